"""Discussions and reading notes in the API: /api/v1/comments/ and /api/v1/notes/.

Writes go through comments.services, the same functions the pages call, so a comment posted here is sanitised,
counted and checked (a reply on its parent's target) exactly as one posted from a page.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from comments import services
from comments.models import VISIBLE, Comment, Kind, Note, Vote, may_moderate
from comments.serializers import (
    COMMENT_COLUMNS,
    AcceptResultSerializer,
    CommentCreateSerializer,
    CommentEditSerializer,
    CommentSerializer,
    CorrectionFixedSerializer,
    ErratumConfirmSerializer,
    FlagSerializer,
    NoteSerializer,
    ReasonSerializer,
    ReviewSerializer,
    RevisionSerializer,
    VoteResultSerializer,
    VoteSerializer,
    comment_items,
)
from comments.threads import (
    SORTS,
    THREADS_PER_PAGE,
    ThreadFilter,
    build_thread,
    chapter_span,
    discussion_authors,
)
from papers import arxiv
from papers.models import Paper
from shared.api import FilterSet, GrowingListPagination
from shared.numbers import whole_number
from videos.models import Chapter, Correction, Video
from videos.serializers import CorrectionSerializer


class ThreadPagination(GrowingListPagination):
    """Oldest first, by a cursor: comments posted while a client pages only ever add to the end."""

    ordering = ("created_at", "id")


def _my_votes(user, comment_ids: list[int]) -> dict[int, int]:
    if not user.is_authenticated or not comment_ids:
        return {}
    return dict(Vote.objects.filter(user=user, comment_id__in=comment_ids).values_list("comment_id", "value"))


THREAD_PARAMETERS = [
    OpenApiParameter(
        "paper", OpenApiTypes.STR, description="The discussion of this paper (arXiv id in any accepted form)."
    ),
    OpenApiParameter("video", OpenApiTypes.STR, description="The discussion of this video (its slug)."),
    OpenApiParameter(
        "type", OpenApiTypes.STR, enum=Kind.values, description="Only the comments of this kind (e.g. question)."
    ),
    OpenApiParameter(
        "chapter",
        OpenApiTypes.INT,
        description="With `video`: only the comments about the chapter starting at this second (replies included).",
    ),
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        enum=list(SORTS),
        description="Read the discussion as its page does: replies under their parent in reading order, siblings "
        "sorted (best: Wilson lower bound of up and down votes; top: score; newest; oldest; authors: the "
        "discussed work's authors' comments first), paged by top-level thread with `page` "
        f"({THREADS_PER_PAGE} threads a page, each whole). With `type`, each comment of the kind comes with its "
        "replies. Without `ordering`: every row oldest first, by cursor.",
    ),
    OpenApiParameter(
        "page", OpenApiTypes.INT, description="With `ordering`: the page of top-level threads, from 1 (default 1)."
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="The discussion of a paper or a video",
        description="Every comment of the thread as flat rows, oldest first: `parent` and `depth` give the tree, "
        "and a parent always comes before its replies. Give exactly one of `paper` or `video`. Pages follow a "
        "cursor (`next`), so comments posted meanwhile are neither skipped nor repeated. With `ordering`, the "
        "discussion as its page reads it: pages of whole top-level threads, sorted (`next` and `previous` "
        "carry `page`).",
        parameters=THREAD_PARAMETERS,
        responses=CommentSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One comment", responses=CommentSerializer),
    create=extend_schema(
        summary="Post a comment, or a reply", request=CommentCreateSerializer, responses={201: CommentSerializer}
    ),
    partial_update=extend_schema(
        summary="Edit your comment", request=CommentEditSerializer, responses=CommentSerializer
    ),
    destroy=extend_schema(
        summary="Delete your comment", description="It stays as a placeholder so that replies keep their place."
    ),
)
class CommentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = ThreadPagination
    serializer_class = CommentSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        # Rows as dicts with the author's name and the target's key joined in: one query a page, any size.
        accepted = Comment.objects.filter(VISIBLE, parent=OuterRef("pk"), accepted=True)
        comments = Comment.objects.filter(self._held_shown())
        return comments.annotate(answered=Exists(accepted)).order_by("created_at", "id").values(*COMMENT_COLUMNS)

    def _held_shown(self) -> Q:
        """Comments awaiting approval reach their author and curators only (as on the pages)."""
        user = self.request.user
        if may_moderate(user):
            return Q()
        return Q(held_at=None) | Q(author_id=user.pk) if user.is_authenticated else Q(held_at=None)

    def _part(self, video_id: int | None) -> ThreadFilter | None:
        """`type` and, on a video, `chapter`: the same parts of a discussion a page shows (None: all of it)."""
        params = self.request.query_params
        kind = params.get("type", "").strip() or None
        if kind is not None and kind not in Kind.values:
            raise exceptions.ValidationError({"type": [f"One of {', '.join(Kind.values)}."]})
        chapter = params.get("chapter", "").strip()
        span = None
        if chapter:
            if video_id is None:
                raise exceptions.ValidationError({"chapter": ["Chapters are a video's: give `video`."]})
            starts = list(Chapter.objects.filter(video_id=video_id).values_list("start", flat=True))
            second = whole_number(chapter)
            span = chapter_span(starts, second) if second is not None else None
            if span is None:
                raise exceptions.ValidationError({"chapter": ["No chapter of this video starts at that second."]})
        if kind is None and span is None:
            return None
        return ThreadFilter(kind=kind, start=span.start if span else None, end=span.end if span else None)

    def _narrowing(self, video_id: int | None) -> Q:
        """The part asked for (`_part`) as a condition on the flat rows."""
        part, q = self._part(video_id), Q()
        if part is not None and part.kind is not None:
            q &= Q(kind=part.kind)
        if part is not None and part.start is not None:
            q &= Q(at__gte=part.start) & (Q(at__lt=part.end) if part.end is not None else Q())
        return q

    def _thread_filter(self) -> Q:
        params = self.request.query_params
        paper, video = params.get("paper", "").strip(), params.get("video", "").strip()
        if bool(paper) == bool(video):
            raise exceptions.ValidationError({"paper": ["Give exactly one of `paper` (an arXiv id) or `video`."]})
        if paper:
            try:
                named = Paper.objects.named(paper)
            except arxiv.InvalidArxivId as exc:
                raise exceptions.ValidationError({"paper": [f"Not an arXiv id: {exc}."]}) from exc
            # order_by(): a unique lookup, not a walk of the newest-first index (see papers.serializers).
            paper_id = next(iter(named.order_by().values_list("pk", flat=True)), None)
            if paper_id is None:
                raise exceptions.NotFound(f"The hub holds no paper {arxiv.canonical_arxiv_id(paper)}.")
            return Q(paper_id=paper_id)
        video_id = next(iter(Video.objects.filter(slug=video).order_by().values_list("pk", flat=True)), None)
        if video_id is None:
            raise exceptions.NotFound("No video has this slug.")
        return Q(video_id=video_id)

    def _ordering(self) -> tuple[str, int] | None:
        """`ordering` and `page`, checked: None when the client reads by cursor."""
        params = self.request.query_params
        ordering = params.get("ordering", "").strip()
        if not ordering:
            if "page" in params:
                raise exceptions.ValidationError({"page": ["Pages of threads go with `ordering`; follow `next`."]})
            return None
        if ordering not in SORTS:
            raise exceptions.ValidationError({"ordering": [f"One of {', '.join(SORTS)}."]})
        page = whole_number(params.get("page", "1").strip())
        if page is None or page < 1:
            raise exceptions.ValidationError({"page": ["A page number: 1 or more."]})
        return ordering, page

    def _threads_page(self, target: Q, ordering: str, page: int) -> Response:
        """One page of top-level threads, sorted as the page sorts them, each whole and in reading order: the tree
        read in one query (comments.threads), then the page's rows as the cursor list gives them."""
        ids = dict(target.children)
        discussed: Paper | Video
        if "video_id" in ids:
            discussed = Video.objects.select_related("channel").get(pk=ids["video_id"])
        else:
            discussed = Paper(pk=ids["paper_id"])
        part = self._part(ids.get("video_id"))
        authors = discussion_authors(discussed) if ordering == "authors" else frozenset()
        thread = build_thread(discussed, sort=ordering, only=part, authors=authors)
        order = [row.comment.pk for row in thread.rows(roots=thread.page_roots(page), max_depth=1 << 30)]
        rows = {row["id"]: row for row in self.get_queryset().filter(target, pk__in=order)}
        items = comment_items([rows[pk] for pk in order if pk in rows], _my_votes(self.request.user, order))
        link = self.request.build_absolute_uri
        query = self.request.query_params.copy()
        pages = {"next": page + 1 if page < thread.page_count() else None, "previous": page - 1 if page > 1 else None}
        body: dict = {}
        for name, number in pages.items():
            query["page"] = str(number)
            body[name] = link(f"{self.request.path}?{query.urlencode()}") if number else None
        body["results"] = items
        return Response(body)

    def list(self, request: Request) -> Response:
        target = self._thread_filter()
        ordered = self._ordering()
        if ordered is not None:
            return self._threads_page(target, *ordered)
        narrowing = self._narrowing(dict(target.children).get("video_id"))
        rows = self.paginate_queryset(self.get_queryset().filter(target, narrowing))
        votes = _my_votes(request.user, [row["id"] for row in rows])
        return self.get_paginated_response(comment_items(rows, votes))

    def _item(self, pk: int) -> dict:
        row = get_object_or_404(self.get_queryset(), pk=pk)
        return comment_items([row], _my_votes(self.request.user, [pk]))[0]

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._item(pk))

    def get_object(self) -> Comment:
        # A held comment is a 404 to anyone but its author and curators, for every action, as in the lists.
        comments = Comment.objects.filter(self._held_shown()).select_related("paper", "video")
        return get_object_or_404(comments, pk=self.kwargs["pk"])

    def create(self, request: Request) -> Response:
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = services.comment_post(
            author=request.user,
            target=data["target"],
            body=data["body"],
            parent=data.get("parent"),
            kind=data["kind"],
            at=data.get("at"),
        )
        return Response(self._item(comment.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        serializer = CommentEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.comment_edit(comment=comment, editor=request.user, body=serializer.validated_data["body"])
        return Response(self._item(comment.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        services.comment_delete(comment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["POST"], request=VoteSerializer, responses=VoteResultSerializer, summary="Vote on a comment"
    )
    @extend_schema(
        methods=["DELETE"], request=None, responses={200: VoteResultSerializer}, summary="Withdraw your vote"
    )
    @action(detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated])
    def vote(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        if request.method == "DELETE":
            services.vote_withdraw(user=request.user, comment=comment)
            my_vote = None
        else:
            serializer = VoteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            my_vote = services.vote_cast(user=request.user, comment=comment, value=serializer.validated_data["value"])
            my_vote = my_vote.value
        score = Comment.objects.filter(pk=comment.pk).values_list("score", flat=True).get()
        return Response({"score": score, "my_vote": my_vote})

    @extend_schema(
        methods=["POST"],
        request=None,
        responses=AcceptResultSerializer,
        summary="Accept this reply as the answer to your question",
        description="Only the question's author may; accepting another reply moves the mark.",
    )
    @extend_schema(
        methods=["DELETE"], request=None, responses={200: AcceptResultSerializer}, summary="Take the acceptance back"
    )
    @action(detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated])
    def accept(self, request: Request, pk: str) -> Response:
        answer = services.answer_accept(answer=self.get_object(), actor=request.user, accepted=request.method == "POST")
        return Response({"id": answer.pk, "question": answer.parent_id, "accepted": answer.accepted})

    @extend_schema(
        responses=RevisionSerializer(many=True),
        summary="A comment's earlier texts",
        description="The text before each edit, who edited and when, oldest first. A deleted or removed comment's "
        "history is its author's and curators' alone (404 for anyone else).",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def revisions(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        if not comment.revisions_readable_by(request.user):
            raise exceptions.NotFound("No such comment history.")
        revisions = comment.revisions.select_related("edited_by")
        return Response(RevisionSerializer(revisions, many=True).data)

    @extend_schema(
        request=FlagSerializer,
        responses={201: FlagSerializer},
        summary="Flag a comment for the curators",
        description="Why: spam, abuse, off-topic or other (then `text` says what). One open flag per member and "
        "comment; not your own.",
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def flag(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        serializer = FlagSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        flag = services.comment_flag(comment=comment, flagger=request.user, reason=data["reason"], text=data["text"])
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReviewSerializer,
        responses=CommentSerializer,
        summary="Decide on a flagged or held comment (curators)",
        description="approved keeps it (a held comment is released and counted), removed-spam and removed-rule "
        "remove it; its open flags close with the decision, and the public moderation log gets the reason.",
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def review(self, request: Request, pk: str) -> Response:
        if not may_moderate(request.user):
            raise exceptions.PermissionDenied("Only curators may moderate comments.")
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = services.comment_review(
            comment=self.get_object(), moderator=request.user, outcome=data["outcome"], reason=data["reason"]
        )
        return Response(self._item(comment.pk))

    def _moderate(self, request: Request, service) -> Response:
        if not may_moderate(request.user):
            raise exceptions.PermissionDenied("Only curators may moderate comments.")
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = service(comment=self.get_object(), moderator=request.user, reason=serializer.validated_data["reason"])
        return Response(self._item(comment.pk))

    @extend_schema(
        request=ReasonSerializer,
        responses=CommentSerializer,
        summary="Remove a comment (curators)",
        description="Its replies stay, under a placeholder; the reason goes into the public moderation log.",
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def remove(self, request: Request, pk: str) -> Response:
        return self._moderate(request, services.comment_remove)

    @extend_schema(
        request=ReasonSerializer, responses=CommentSerializer, summary="Restore a removed comment (curators)"
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def restore(self, request: Request, pk: str) -> Response:
        return self._moderate(request, services.comment_restore)

    @extend_schema(
        request=ErratumConfirmSerializer,
        responses={201: CorrectionSerializer, 200: CorrectionSerializer},
        summary="Confirm an erratum report as the video's erratum (curators)",
        description="A visible erratum report on a video becomes the video's erratum at the report's time, "
        "confirmed and linked to the report, with the report's text or `body`. 201 when made; a report already "
        "confirmed answers 200 with its correction, unchanged.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="confirm-erratum",
        url_name="confirm-erratum",
        permission_classes=[permissions.IsAuthenticated],
    )
    def confirm_erratum(self, request: Request, pk: str) -> Response:
        if not may_moderate(request.user):
            raise exceptions.PermissionDenied("Only curators confirm errata.")
        serializer = ErratumConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = self.get_object()
        existed = Correction.objects.filter(report=report).exists()
        correction = services.erratum_confirm(
            report=report, curator=request.user, body=serializer.validated_data.get("body")
        )
        answer = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(CorrectionSerializer(correction).data, status=answer)


@extend_schema(
    request=CorrectionFixedSerializer,
    responses=CorrectionSerializer,
    summary="Mark a correction fixed (curators)",
    description="`fixed_by` says where: “fixed in v2”, or a later video's address. Marking it again changes only "
    "where; the first time and curator stay.",
)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def correction_fixed(request: Request, pk: int) -> Response:
    """POST /api/v1/corrections/<pk>/fixed/: beside the videos app's corrections, whose app may not call this one's
    services."""
    if not may_moderate(request.user):
        raise exceptions.PermissionDenied("Only curators mark corrections fixed.")
    serializer = CorrectionFixedSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    correction = get_object_or_404(Correction.objects.select_related("video"), pk=pk)
    correction = services.correction_mark_fixed(
        correction=correction, curator=request.user, fixed_by=serializer.validated_data["fixed_by"]
    )
    return Response(CorrectionSerializer(correction).data)


# --- Notes ------------------------------------------------------------------------------------------------------------


class NoteFilter(FilterSet):
    owner = django_filters.CharFilter(
        field_name="owner__username",
        max_length=150,
        help_text="A member's username: their public notes (all of them, when it is you). Without it: your notes.",
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gt", help_text="Only notes changed after this time (for a sync)."
    )
    paper = django_filters.CharFilter(method="filter_paper", max_length=80, help_text="Notes about this paper.")

    class Meta:
        model = Note
        fields: list[str] = []

    def filter_paper(self, queryset, name: str, value: str):
        try:
            return queryset.filter(paper__in=Paper.objects.named(value))
        except arxiv.InvalidArxivId:
            return queryset.none()


class NotePagination(GrowingListPagination):
    """By a cursor, least recently changed first: following `next` to the end, and later from the last link
    again, gives a sync client every note it has not yet seen."""

    ordering = ("updated_at", "id")


class PublicNoteFilter(FilterSet):
    paper = django_filters.CharFilter(
        method="filter_paper", max_length=80, help_text="Public notes about this paper (arXiv id in any form)."
    )
    video = django_filters.CharFilter(field_name="video__slug", max_length=200, help_text="Public notes on this video.")
    owner = django_filters.CharFilter(field_name="owner__username", max_length=150, help_text="One member's.")

    class Meta:
        model = Note
        fields: list[str] = []

    filter_paper = NoteFilter.filter_paper


class PublicNotePagination(GrowingListPagination):
    """Newest published first, by a cursor: notes published while a client pages come before its first page, so
    the pages it follows neither skip nor repeat one."""

    ordering = ("-published_at", "-id")


class IsOwnerOrReadOnly(permissions.BasePermission):
    message = "Only the note's owner may change it."

    def has_object_permission(self, request, view, note: Note) -> bool:
        return request.method in permissions.SAFE_METHODS or note.owner_id == request.user.pk


@extend_schema_view(
    list=extend_schema(summary="Your notes, or a member's public notes (`owner`)"),
    retrieve=extend_schema(summary="A note: yours, or anyone's public one (another's private note is a 404)"),
    create=extend_schema(summary="Write a note (private unless `visibility` is public)"),
    update=extend_schema(summary="Replace your note"),
    partial_update=extend_schema(summary="Change your note (e.g. publish it)"),
    destroy=extend_schema(summary="Delete your note"),
)
class NoteViewSet(viewsets.ModelViewSet):
    serializer_class = NoteSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    pagination_class = NotePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = NoteFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        user = self.request.user
        # Owner, paper and video on every row in the same query: the serializer names all three.
        queryset = Note.objects.visible_to(user).select_related("owner", "paper", "video")
        if getattr(self, "swagger_fake_view", False):
            return Note.objects.none()  # the schema generator asks for the model only
        if self.action == "list" and not self.request.query_params.get("owner"):
            if not user.is_authenticated:
                raise exceptions.NotAuthenticated("Sign in to list your notes, or give `owner` for a member's.")
            queryset = queryset.filter(owner=user)
        return queryset

    # Writes go through comments.services, as the notes pages' do; the serializer only validates the input.

    def perform_create(self, serializer: NoteSerializer) -> None:
        serializer.instance = services.note_create(owner=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: NoteSerializer) -> None:
        serializer.instance = services.note_edit(
            note=serializer.instance, editor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, note: Note) -> None:
        services.note_delete(note=note, actor=self.request.user)

    @extend_schema(
        summary="Every member's public notes, newest first",
        description="The notes members have published (never a private one, yours included), newest publication "
        "first, paged by cursor; `paper`, `video` or `owner` narrow it. The hub's page of them is /notes/public/.",
        responses=NoteSerializer(many=True),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="public",
        permission_classes=[permissions.AllowAny],
        pagination_class=PublicNotePagination,
        filterset_class=PublicNoteFilter,
    )
    def public(self, request: Request) -> Response:
        notes = self.filter_queryset(Note.objects.listed().select_related("owner", "paper", "video"))
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
