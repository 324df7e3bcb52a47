"""Moderation of comments, and the admin's view of reading notes (private ones stay private)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from comments import services
from comments.forms import ReasonForm
from comments.models import Comment, CommentRevision, Flag, Kind, Moderation, Note, State, Vote
from videos.models import Correction


class TargetFilter(admin.SimpleListFilter):
    title = "on"
    parameter_name = "on"

    def lookups(self, request, model_admin):
        return [("paper", "Papers"), ("video", "Videos")]

    def queryset(self, request, queryset):
        if self.value() == "paper":
            return queryset.filter(paper__isnull=False)
        if self.value() == "video":
            return queryset.filter(video__isnull=False)
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        return queryset.in_state(State(self.value())) if self.value() in State.values else queryset


class RevisionInline(admin.TabularInline):
    """A comment's earlier texts, read-only: services.comment_edit and a curator's correction here write them."""

    model = CommentRevision
    fields = ["edited_at", "edited_by", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["edited_at", "pk"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Curators read every comment and moderate them; they never delete one (replies would lose their place).

    Removing and restoring go through comments.services, as on the pages and in the API: counts follow and the
    moderation log gets a row with the curator and their reason.
    """

    list_display = ["__str__", "short_body", "created_at", "score", "edited_at", "removed_at"]  # who, on what: __str__
    list_filter = [TargetFilter, StateFilter, "kind", "accepted", "created_at"]
    search_fields = ["body", "author__username", "paper__arxiv_id", "video__title"]
    list_select_related = ["author", "paper", "video"]
    raw_id_fields = ["author", "paper", "video", "parent"]
    # A comment's time is set when it is posted and shared by its replies (a chapter's filter reads it on all of
    # them), so it is not changed here; nor is its kind (a question's accepted answer hangs on it), the accepted
    # mark (the asker's) or the paper's version.
    readonly_fields = [
        *("depth", "score", "body_html", "created_at", "edited_at", "deleted_at", "removed_at"),
        *("kind", "at", "accepted", "paper_version", "held_at"),
        *("up_votes", "down_votes"),  # kept by the vote service with the score
    ]
    inlines = [RevisionInline]
    actions = ["remove_comments", "restore_comments", "approve_comments", "confirm_errata"]
    date_hierarchy = "created_at"

    @admin.display(description="comment")
    def short_body(self, comment: Comment) -> str:
        return comment.body[:80]

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        """A curator's correction of the text is an edit like the author's: the text it replaces is kept."""
        if change and "body" in form.changed_data:
            services.comment_correct(comment=obj, curator=request.user, previous_body=form.initial.get("body", ""))
        super().save_model(request, obj, form, change)

    def _moderate(self, request: HttpRequest, queryset: QuerySet, service, verb: str):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": f"{verb.capitalize()} comments",
                "opts": self.model._meta,
                "comments": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "verb": verb,
            }
            return TemplateResponse(request, "admin/comments/comment/moderate.html", context)
        changed = 0
        for comment in queryset:
            before = comment.removed_at
            after = service(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"]).removed_at
            changed += (before is None) != (after is None)
        self.message_user(request, f"{verb.capitalize()}d {changed} comment(s).", messages.SUCCESS)
        return None

    @admin.action(description="Remove the selected comments (replies stay, under a placeholder)")
    def remove_comments(self, request: HttpRequest, queryset: QuerySet):
        return self._moderate(request, queryset, services.comment_remove, "remove")

    @admin.action(description="Restore the selected removed comments")
    def restore_comments(self, request: HttpRequest, queryset: QuerySet):
        return self._moderate(request, queryset, services.comment_restore, "restore")

    @admin.action(description="Approve the selected comments (release those awaiting approval, close their flags)")
    def approve_comments(self, request: HttpRequest, queryset: QuerySet):
        approved = 0
        for comment in queryset:
            before = (comment.held_at, comment.flags.filter(status=Flag.Status.PENDING).exists())
            services.comment_approve(comment=comment, moderator=request.user)
            approved += before[0] is not None or before[1]
        self.message_user(request, f"Approved {approved} comment(s).", messages.SUCCESS)

    @admin.action(description="Confirm the selected erratum reports as their videos' errata (with their text)")
    def confirm_errata(self, request: HttpRequest, queryset: QuerySet):
        confirmed, refused = 0, []
        for report in queryset.filter(kind=Kind.ERRATUM, correction__isnull=True).select_related("video"):
            try:
                services.erratum_confirm(report=report, curator=request.user)
            except ValidationError as exc:
                refused.append(f"{report}: {' '.join(exc.messages)}")
            else:
                confirmed += 1
        self.message_user(request, f"Confirmed {confirmed} erratum report(s).", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not confirmed: " + "; ".join(refused), messages.WARNING)


class FixedByForm(ActionForm):
    fixed_by = forms.CharField(
        max_length=500, required=False, label="Fixed by", help_text="“fixed in v2”, or a later video's address."
    )


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Every video's errata and addenda by status, for curators to follow up: here because marking one fixed is a
    service of the comments app (comments.services.correction_mark_fixed), which the videos app may not call."""

    list_display = ["__str__", "video", "kind", "status", "report", "fixed_by", "confirmed_by", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["video", "report__author", "report__video", "confirmed_by"]
    search_fields = ["body", "video__title", "fixed_by"]
    readonly_fields = ["report", "created_at", "confirmed_at", "confirmed_by", "fixed_at", "fixed_marked_by"]
    raw_id_fields = ["video"]
    action_form = FixedByForm
    actions = ["mark_fixed"]

    @admin.action(description="Mark the selected corrections fixed (by what the “Fixed by” box says)")
    def mark_fixed(self, request: HttpRequest, queryset: QuerySet):
        fixed_by = request.POST.get("fixed_by", "")
        for correction in queryset:
            services.correction_mark_fixed(correction=correction, curator=request.user, fixed_by=fixed_by)
        self.message_user(request, f"Marked {queryset.count()} correction(s) fixed.", messages.SUCCESS)


class FlagStatusFilter(admin.SimpleListFilter):
    """The queue: pending flags unless another state is asked for."""

    title = "state"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Flag.Status.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or Flag.Status.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or Flag.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """The curators' queue of flagged comments. Flags are written by members (services.comment_flag); a decision
    goes through services.comment_review, the same removal service as the admin's comments, the pages and the API,
    so the counts follow and the public moderation log says who, when and why."""

    list_display = ["created_at", "comment", "comment_text", "reason", "text", "flagger", "status", "resolved_by"]
    list_filter = [FlagStatusFilter, "reason"]
    list_select_related = ["comment__author", "comment__paper", "comment__video", "flagger", "resolved_by"]
    search_fields = ["text", "comment__body", "flagger__username"]
    actions = ["approve_flagged", "remove_as_spam", "remove_by_rule"]

    @admin.display(description="comment says")
    def comment_text(self, flag: Flag) -> str:
        return flag.comment.body[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Flag | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Flag | None = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet, outcome: str, reason: str = "") -> None:
        comments = Comment.objects.filter(pk__in=queryset.values("comment_id"))
        for comment in comments:
            services.comment_review(comment=comment, moderator=request.user, outcome=outcome, reason=reason)
        label = Flag.Status(outcome).label.lower()
        self.message_user(request, f"{len(comments)} comment(s): {label}.", messages.SUCCESS)

    @admin.action(description="Approve: the flagged comments stay (their flags close)")
    def approve_flagged(self, request: HttpRequest, queryset: QuerySet):
        self._decide(request, queryset, Flag.Status.APPROVED)

    @admin.action(description="Remove the flagged comments as spam")
    def remove_as_spam(self, request: HttpRequest, queryset: QuerySet):
        self._decide(request, queryset, Flag.Status.REMOVED_SPAM)

    @admin.action(description="Remove the flagged comments by rule (name the rule)")
    def remove_by_rule(self, request: HttpRequest, queryset: QuerySet):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            return self._decide(request, queryset, Flag.Status.REMOVED_RULE, form.cleaned_data["reason"])
        context = {
            **self.admin_site.each_context(request),
            "title": "Remove flagged comments by rule",
            "opts": self.model._meta,
            "flags": queryset.select_related("comment__author"),
            "form": form,
            "action": request.POST.get("action"),
        }
        return TemplateResponse(request, "admin/comments/flag/remove_by_rule.html", context)


@admin.register(Moderation)
class ModerationAdmin(admin.ModelAdmin):
    """The moderation log, read-only: rows are written by the services alone."""

    list_display = ["created_at", "moderator", "action", "comment", "reason"]
    list_filter = ["action", "created_at"]
    list_select_related = ["moderator", "comment__author", "comment__paper", "comment__video"]  # str(comment)
    search_fields = ["reason", "moderator__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Moderation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Moderation | None = None) -> bool:
        return False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["comment", "user", "value", "created_at"]
    raw_id_fields = ["comment", "user"]
    list_select_related = ["user", "comment__author", "comment__paper", "comment__video"]  # str(comment)


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    """Staff see that a private note exists (owner, dates) but never its title or body.

    Only the owner may open their private note here; public notes can be read and moderated.
    """

    list_filter = ["visibility", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["owner__username"]  # widened with care in get_search_results
    raw_id_fields = ["owner", "paper", "video"]
    readonly_fields = ["body_html", "created_at", "updated_at", "published_at"]

    def _readable(self, request: HttpRequest, note: Note | None) -> bool:
        return note is None or note.is_public or note.owner_id == request.user.pk

    def get_list_display(self, request: HttpRequest):
        @admin.display(description="title")
        def shown_title(note: Note) -> str:
            return note.title if self._readable(request, note) else "(private note)"

        return [shown_title, "owner", "visibility", "created_at", "published_at"]

    def has_view_permission(self, request: HttpRequest, obj: Note | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._readable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Note | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._readable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Note | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._readable(request, obj)

    def get_actions(self, request: HttpRequest):
        # The bulk delete confirmation lists every selected note by title, private ones included.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        # Searching titles and bodies must not reveal what private notes say, so it looks only
        # at public notes and the curator's own; owners are found by username.
        term = search_term.strip()
        if not term:
            return queryset, False
        readable = Q(visibility=Note.Visibility.PUBLIC) | Q(owner=request.user)
        text_match = readable & (Q(title__icontains=term) | Q(body__icontains=term))
        return queryset.filter(text_match | Q(owner__username__icontains=term)), False
