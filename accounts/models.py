"""Members who are authors: a member's claim on an Author of the catalogue, which a curator approves or rejects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from papers.models import Author


class AuthorClaim(models.Model):
    """ "I am this author": a member's claim on a papers.Author, decided by a curator in the admin (accounts.claims).

    Once approved, the member's comments on that author's papers carry an author badge. Different people may share an
    Author row (arXiv names are its only key), so more than one member's claim on an author may be approved.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_claims")
    # related_name "claims": comments.threads.paper_author_members reads it through the ORM (comments sit below us).
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    evidence = models.CharField(
        max_length=500,
        blank=True,
        help_text="How a curator can tell it is you: a homepage, an institutional address, an ORCID.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]), name="authorclaim_status_valid"
            ),
            models.UniqueConstraint(
                fields=["user", "author"],
                condition=Q(status__in=["pending", "approved"]),
                name="authorclaim_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="authorclaim_decided_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["author"], name="authorclaim_approved_idx", condition=Q(status="approved"))]

    def __str__(self) -> str:
        return f"{self.user} as {self.author} ({self.get_status_display().lower()})"
