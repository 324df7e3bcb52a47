"""Template tags that put a discussion and a member's notes on any paper or video page."""

from __future__ import annotations

from django import template
from django.db.models import Count, Window
from django.middleware.csrf import get_token

from comments.forms import CommentForm
from comments.models import Note
from comments.rendering import Viewer, draw_thread
from comments.threads import SORTS, member_votes
from videos.models import Video

register = template.Library()


@register.inclusion_tag("comments/_discussion.html", takes_context=True)
def discussion(context, target):
    """The comment count, sort links, the thread and (for members) the comment form of `target`.

    Two queries whatever the size of the discussion: the comments with their authors, and the reader's votes.
    """
    request = context["request"]
    sort = request.GET.get("sort", "top")
    sort = sort if sort in SORTS else "top"
    creator_id = target.channel.owner_id if isinstance(target, Video) else None
    video = target if isinstance(target, Video) else None
    viewer = Viewer.for_request(request, votes=member_votes(request.user, target), creator_id=creator_id, video=video)
    drawn = draw_thread(target, viewer, sort=sort)
    thread_html, count, empty = drawn.html, drawn.count, drawn.empty
    return {
        "target": target,
        "kind": target._meta.model_name,
        "count": count,
        "empty": empty,
        "thread_html": thread_html,
        "sort": sort,
        "sorts": SORTS,
        "user": request.user,
        "form": CommentForm(),
        "csrf_token": get_token(request) if request.user.is_authenticated else "",
        "path": request.path,
    }


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
