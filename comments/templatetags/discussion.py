"""Template tags that put a discussion and a member's notes on any paper or video page."""

from __future__ import annotations

from django import template

from comments.models import Note
from comments.threads import SORTS, build_thread

register = template.Library()


@register.inclusion_tag("comments/_discussion.html", takes_context=True)
def discussion(context, target):
    """The comment count, sort links, the thread and (for members) the comment form of `target`."""
    request = context["request"]
    sort = request.GET.get("sort", "top")
    sort = sort if sort in SORTS else "top"
    return {"target": target, "thread": build_thread(target, sort=sort), "sort": sort, "user": request.user}


@register.inclusion_tag("comments/_my_notes.html", takes_context=True)
def my_notes(context, target):
    """The signed-in member's own notes on `target` (nothing for visitors)."""
    user = context["request"].user
    notes = []
    if user.is_authenticated:
        field = "paper" if target._meta.model_name == "paper" else "video"
        notes = list(Note.objects.filter(owner=user, **{field: target}).order_by("-created_at"))
    return {"target": target, "notes": notes, "user": user}
