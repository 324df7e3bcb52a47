"""Papers and authors in the API: /api/v1/papers/ (by arXiv id in any accepted form) and /api/v1/authors/."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from papers import arxiv
from papers.filters import AuthorFilter
from papers.forms import SearchForm
from papers.models import Author, Authorship, Paper
from papers.reading import ORDERINGS, Sort, filters_q
from papers.search import search_papers
from papers.serializers import (
    LIST_COLUMNS,
    AuthorDetailSerializer,
    AuthorSerializer,
    PaperDetailSerializer,
    PaperListItemSerializer,
    PaperWriteSerializer,
    paper_detail,
    paper_list_items,
)
from shared.api import CataloguePagination, ETagMixin, IsStaffOrReadOnly, form_parameters
from shared.paging import MAX_PAGE

CATALOGUE_METHODS = ["get", "post", "put", "patch", "head", "options"]  # curators fix rows; nothing is deleted here

_API_NAMES = {"sort": "ordering"}  # the page's name of a parameter -> the API's, where they differ
LIST_PARAMETERS = form_parameters(SearchForm, names=_API_NAMES, types={"has_video": bool, "has_discussion": bool})
LIST_PARAMETER_NAMES = {parameter.name for parameter in LIST_PARAMETERS} - {"page"}

ARXIV_ID_PARAMETER = OpenApiParameter(
    "arxiv_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="An arXiv id in any accepted form: 2105.06548, 2105.06548v2, arXiv:2105.06548, hep-th/9901001. "
    "The answer is the same for each, about the canonical id.",
)


class PaperPagination(CataloguePagination):
    """Page numbers; a search may not know its total, so `count` can be null."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["nullable"] = True
        paginated["properties"]["count"]["description"] = (
            "Papers in all pages; null when a search cannot tell (it counts no further than the page it reads)."
        )
        paginated["properties"]["spellings"] = {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Searches only: when no paper had every word, each misspelt word and the spellings "
            'searched instead, e.g. {"goodfelow": ["goodfellow"]} (PostgreSQL; empty on SQLite).',
        }
        return paginated

    def search_response(
        self, request: Request, items: list, *, page: int, has_next: bool, total: int | None, spellings: dict
    ):
        url = request.build_absolute_uri()
        previous = None
        if page > 1:
            previous = remove_query_param(url, "page") if page == 2 else replace_query_param(url, "page", page - 1)
        return Response(
            {
                "count": total,
                "next": replace_query_param(url, "page", page + 1) if has_next else None,
                "previous": previous,
                "results": items,
                "spellings": spellings,
            }
        )


@extend_schema_view(
    list=extend_schema(summary="Papers, newest first, filtered; or a search with `q`"),
    retrieve=extend_schema(
        summary="One paper by arXiv id", parameters=[ARXIV_ID_PARAMETER], responses=PaperDetailSerializer
    ),
    create=extend_schema(summary="Add a paper (curators)", responses={201: PaperDetailSerializer}),
    update=extend_schema(
        summary="Replace a paper's metadata (curators)",
        parameters=[ARXIV_ID_PARAMETER],
        responses=PaperDetailSerializer,
    ),
    partial_update=extend_schema(
        summary="Fix some of a paper's metadata (curators)",
        parameters=[ARXIV_ID_PARAMETER],
        responses=PaperDetailSerializer,
    ),
)
class PaperViewSet(ETagMixin, viewsets.ModelViewSet):
    queryset = Paper.objects.all()
    serializer_class = PaperWriteSerializer
    permission_classes = [IsStaffOrReadOnly]
    pagination_class = PaperPagination
    lookup_field = "arxiv_id"
    # Old-style ids keep their slash (hep-th/9901001), and a version or "arXiv:" prefix is accepted too.
    lookup_value_regex = r".+"
    http_method_names = CATALOGUE_METHODS

    @extend_schema(parameters=LIST_PARAMETERS, responses=PaperListItemSerializer(many=True))
    def list(self, request: Request) -> Response:
        paginator: PaperPagination = self.paginator
        params = request.query_params
        if not any(name in params for name in LIST_PARAMETER_NAMES):
            # The plain catalogue, the most read page of the API: no form to build and clean.
            queryset = Paper.objects.order_by(*ORDERINGS[Sort.NEWEST]).values(*LIST_COLUMNS)
            return paginator.get_paginated_response(paper_list_items(paginator.paginate_queryset(queryset, request)))
        # The search page's own form reads the parameters, so that both mean the same (`ordering` is its `sort`).
        form = SearchForm({("sort" if name == "ordering" else name): params[name] for name in params})
        if not form.is_valid():
            if "page" in form.errors:
                raise exceptions.NotFound(f"Invalid page: lists of papers run from page 1 to {MAX_PAGE}.")
            raise exceptions.ValidationError({_API_NAMES.get(k, k): v for k, v in form.errors.items()})
        if not form.query:
            sort = Sort(form.cleaned_data["sort"] or Sort.NEWEST)
            queryset = Paper.objects.filter(filters_q(form.filters)).order_by(*ORDERINGS[sort]).values(*LIST_COLUMNS)
            rows = paginator.paginate_queryset(queryset, request, view=self)
            return paginator.get_paginated_response(paper_list_items(rows))
        page, per_page = form.page_number, paginator.get_page_size(request)
        results = search_papers(form.query, filters=form.filters, sort=form.sort_order, page=page, per_page=per_page)
        highlights = {
            hit.paper.pk: {"title_html": str(hit.title_html), "abstract_html": str(hit.abstract_html)}
            for hit in results.hits
        }
        order = {hit.paper.pk: index for index, hit in enumerate(results.hits)}
        rows = sorted(Paper.objects.filter(pk__in=list(order)).values(*LIST_COLUMNS), key=lambda row: order[row["id"]])
        return paginator.search_response(
            request,
            paper_list_items(rows, highlights),
            page=page,
            has_next=results.has_next,
            total=None if results.total_is_lower_bound else results.total,
            spellings=results.spellings,
        )

    def retrieve(self, request: Request, arxiv_id: str) -> Response:
        item = paper_detail(_canonical_or_404(arxiv_id))
        if item is None:
            raise Http404
        return Response(item)

    def get_object(self) -> Paper:
        paper = get_object_or_404(Paper, arxiv_id=_canonical_or_404(self.kwargs["arxiv_id"]))
        self.check_object_permissions(self.request, paper)
        return paper

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        paper = serializer.save()
        return Response(paper_detail(paper.arxiv_id), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        paper = serializer.save()
        return Response(paper_detail(paper.arxiv_id))


def _canonical_or_404(text: str) -> str:
    try:
        return arxiv.canonical_arxiv_id(text)
    except arxiv.InvalidArxivId as exc:
        raise exceptions.NotFound(f"Not an arXiv id: {exc}.") from exc


@extend_schema_view(
    list=extend_schema(summary="Authors, by name"),
    retrieve=extend_schema(summary="An author with their papers", responses=AuthorDetailSerializer),
    create=extend_schema(summary="Add an author (curators)"),
    update=extend_schema(summary="Rename an author (curators)"),
    partial_update=extend_schema(summary="Rename an author (curators)"),
)
class AuthorViewSet(ETagMixin, viewsets.ModelViewSet):
    permission_classes = [IsStaffOrReadOnly]
    pagination_class = CataloguePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuthorFilter
    http_method_names = CATALOGUE_METHODS

    def get_queryset(self):
        if self.action == "retrieve":
            # The author's papers in one more query (not one per paper), newest first.
            return Author.objects.prefetch_related(
                Prefetch(
                    "authorships",
                    queryset=Authorship.objects.select_related("paper").order_by("-paper__published", "-paper_id"),
                )
            )
        return Author.objects.order_by("key", "pk")

    def get_serializer_class(self):
        return AuthorDetailSerializer if self.action == "retrieve" else AuthorSerializer
