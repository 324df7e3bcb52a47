"""Claims of authorship in the admin: curators approve or reject them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import claims
from accounts.models import AuthorClaim


@admin.register(AuthorClaim)
class AuthorClaimAdmin(admin.ModelAdmin):
    """Members' claims to be an author of the catalogue. Decisions go through accounts.claims (who and when)."""

    list_display = ["created_at", "user", "author", "evidence", "status", "decided_by", "decided_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["user", "author", "decided_by"]
    search_fields = ["user__username", "author__name", "evidence"]
    raw_id_fields = ["user", "author"]
    readonly_fields = ["user", "author", "evidence", "status", "created_at", "decided_by", "decided_at"]
    actions = ["approve_claims", "reject_claims"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members claim from the author's page

    def _decide(self, request: HttpRequest, queryset: QuerySet, approve: bool) -> None:
        for claim in queryset:
            claims.claim_decide(claim=claim, curator=request.user, approve=approve)
        verb = "Approved" if approve else "Rejected"
        self.message_user(request, f"{verb} {len(queryset)} claim(s).", messages.SUCCESS)

    @admin.action(description="Approve the selected claims (the members' comments get the author badge)")
    def approve_claims(self, request: HttpRequest, queryset: QuerySet):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject the selected claims")
    def reject_claims(self, request: HttpRequest, queryset: QuerySet):
        self._decide(request, queryset, approve=False)
