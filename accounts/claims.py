"""Claims of authorship: the writes that the author page and the admin share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuthorClaim
from papers.models import Author


def may_decide_claims(user) -> bool:
    """Curators decide claims: active staff with the permission to change them (superusers have it)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff) and user.has_perm(
        "accounts.change_authorclaim"
    )


@transaction.atomic
def claim_author(*, member, author: Author, evidence: str = "") -> AuthorClaim:
    """A member says they are `author`; a curator decides. One open (pending or approved) claim per member and
    author."""
    if not member.is_authenticated:
        raise PermissionDenied("Sign in to claim an author.")
    if AuthorClaim.objects.filter(user=member, author=author, status__in=["pending", "approved"]).exists():
        raise ValidationError({"author": "You have claimed this author already."})
    claim = AuthorClaim(user=member, author=author, evidence=" ".join((evidence or "").split()))
    claim.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:  # the same claim sent twice at once
        raise ValidationError({"author": "You have claimed this author already."}) from exc
    return claim


@transaction.atomic
def claim_decide(*, claim: AuthorClaim, curator, approve: bool) -> AuthorClaim:
    """A curator approves or rejects a pending claim (or takes an approval back by rejecting it)."""
    if not may_decide_claims(curator):
        raise PermissionDenied("Only curators decide claims of authorship.")
    claim = AuthorClaim.objects.select_for_update().get(pk=claim.pk)
    status = AuthorClaim.Status.APPROVED if approve else AuthorClaim.Status.REJECTED
    if claim.status != status:
        claim.status, claim.decided_by, claim.decided_at = status, curator, timezone.now()
        claim.save(update_fields=["status", "decided_by", "decided_at"])
    return claim
