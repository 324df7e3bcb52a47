"""Template tags that put a discussion and a member's notes on any paper or video page."""

from __future__ import annotations

from django import template
from django.db.models import Count, Window
from django.middleware.csrf import get_token

from comments.forms import NewCommentForm
from comments.models import KIND_PLURALS, Kind, Note, may_moderate
from comments.rendering import Viewer, draw_thread
from comments.threads import (
    DEFAULT_SORT,
    SORT_LABELS,
    SORTS,
    ThreadFilter,
    chapter_counts,
    chapter_span,
    member_votes,
)
from shared.numbers import whole_number
from videos.description import format_timestamp
from videos.models import Video

register = template.Library()


def _thread_filter(request, target) -> ThreadFilter | None:
    """The part of the discussion the page asks for: ?type=question (any kind), and on a video ?chapter=START (the
    start of one of its chapters, in seconds). Anything else shows the whole discussion."""
    kind = request.GET.get("type", "")
    kind = kind if kind in Kind.values else None
    span = None
    start = whole_number(request.GET.get("chapter", ""))
    if isinstance(target, Video) and start is not None:
        span = chapter_span([chapter.start for chapter in target.chapters.all()], start)
    if kind is None and span is None:
        return None
    return ThreadFilter(kind=kind, start=span.start if span else None, end=span.end if span else None)


@register.simple_tag(takes_context=True)
def is_curator(context) -> bool:
    """Whether the page's reader is a curator (comments.models.may_moderate): for the videos app's pages, which
    show curators their actions on corrections but may not import this app."""
    return may_moderate(context["request"].user)


@register.inclusion_tag("comments/_discussion.html", takes_context=True)
def discussion(context, target):
    """The comment count, sort and type links, the thread and (for members) the comment form of `target`.

    Three queries whatever the size of the discussion: the comments with their authors, the reader's votes, and on a
    paper with comments the members who are its authors (their badge).
    """
    request = context["request"]
    sort = request.GET.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORTS else DEFAULT_SORT
    creator_id = target.channel.owner_id if isinstance(target, Video) else None
    viewer = Viewer.for_request(request, votes=member_votes(request.user, target), target=target, creator_id=creator_id)
    viewer.highlight = whole_number(request.GET.get("comment", ""))
    only = _thread_filter(request, target)
    page = whole_number(request.GET.get("page", ""))
    drawn = draw_thread(target, viewer, sort=sort, only=only, page=page)
    return {
        "target": target,
        "kind": target._meta.model_name,
        "count": drawn.count,
        "empty": drawn.empty,
        "thread_html": drawn.html,
        "sort": sort,
        "sorts": [(name, SORT_LABELS.get(name, name)) for name in SORTS],
        "page": drawn.page,
        "pages": drawn.pages,
        "previous_page": drawn.page - 1 if drawn.page > 1 else None,
        "next_page": drawn.page + 1 if drawn.page < drawn.pages else None,
        "kinds": [(str(value), plural) for value, plural in KIND_PLURALS.items()],
        "only": only,
        "only_kind": KIND_PLURALS.get(only.kind, "") if only and only.kind else "",
        "only_chapter": format_timestamp(only.start) if only and only.start is not None else "",
        "user": request.user,
        "form": NewCommentForm(on_video=isinstance(target, Video)),
        "csrf_token": get_token(request) if request.user.is_authenticated else "",
        "path": request.path,
        "request": request,
    }


@register.simple_tag
def chapter_comment_counts(video, entries) -> dict[int, int]:
    """{% chapter_comment_counts video outline.entries as counts %}: the visible comments about each chapter, by
    its start (one query; none without chapters). Read one with {{ counts|comments_at:chapter }}."""
    return chapter_counts(video, [entry.chapter.start for entry in entries])


@register.filter
def comments_at(counts: dict[int, int], chapter) -> int:
    return counts.get(chapter.start, 0)


@register.inclusion_tag("comments/_my_notes.html", takes_context=True)
def my_notes(context, target):
    """The signed-in member's own notes on `target` (nothing for visitors)."""
    user = context["request"].user
    notes = []
    kind = target._meta.model_name
    if user.is_authenticated:
        field = "paper" if kind == "paper" else "video"
        notes = list(Note.objects.filter(owner=user, **{field: target}).order_by("-created_at"))
    ref = target.arxiv_id if kind == "paper" else target.slug
    return {"target": target, "notes": notes, "user": user, "kind": kind, "ref": ref}


PUBLIC_NOTES_SHOWN = 10


@register.inclusion_tag("comments/_public_notes.html")
def public_notes(target):
    """Members' public notes on `target`, newest first, with their number: one query whatever their number (the
    count rides along as a window over the same rows). Private notes are in no one's list, their owner's included:
    the owner sees them under "My notes"."""
    kind = target._meta.model_name
    rows = list(
        Note.objects.listed()
        .filter(**{kind: target})
        .select_related("owner")
        .only("pk", "title", "published_at", "owner__username")
        .annotate(total=Window(Count("pk")))[:PUBLIC_NOTES_SHOWN]
    )
    ref = target.arxiv_id if kind == "paper" else target.slug
    count = rows[0].total if rows else 0
    return {"notes": rows, "count": count, "kind": kind, "ref": ref, "more": count > len(rows)}
