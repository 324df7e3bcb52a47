"""`{% watch_controls subject %}`: a member's watch and mute buttons for a paper, a video or a thread."""

from __future__ import annotations

from django import template

from comments import notifications
from comments.models import Comment
from papers.models import Paper

register = template.Library()


@register.inclusion_tag("comments/_watch.html", takes_context=True)
def watch_controls(context, subject):
    """One query for a member (their choice about `subject`); none for a visitor, who sees nothing."""
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"show": False}
    kind = "paper" if isinstance(subject, Paper) else "comment" if isinstance(subject, Comment) else "video"
    return {
        "show": True,
        "kind": kind,
        "subject": subject,
        "state": notifications.watch_state(user, **{kind: subject}),
        "next": request.get_full_path(),
        "noun": "thread" if kind == "comment" else kind,
        "csrf_token": context.get("csrf_token"),
    }
