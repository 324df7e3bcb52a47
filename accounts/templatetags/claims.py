"""The author page's claim box: who on the hub is this author, and a member's way to say it is them."""

from __future__ import annotations

from django import template

from accounts.models import AuthorClaim

register = template.Library()


@register.inclusion_tag("accounts/_author_claim.html", takes_context=True)
def author_claim(context, author):
    """{% author_claim author %}: the members a curator confirmed as this author, and for a signed-in member their
    own claim's state or a link to claim it. One query."""
    user = context["request"].user
    rows = AuthorClaim.objects.filter(author=author).select_related("user").only("status", "user__username")
    if user.is_authenticated:
        rows = rows.filter(status=AuthorClaim.Status.APPROVED) | rows.filter(user=user)
    else:
        rows = rows.filter(status=AuthorClaim.Status.APPROVED)
    rows = list(rows.order_by("created_at", "pk"))
    mine = next((c for c in reversed(rows) if user.is_authenticated and c.user_id == user.pk), None)
    members = [c.user for c in rows if c.status == AuthorClaim.Status.APPROVED]
    return {"author": author, "members": members, "mine": mine, "user": user}
