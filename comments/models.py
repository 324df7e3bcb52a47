"""Threaded comments on papers and videos, votes on them, and members' reading notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from comments.mentions import Mentioned, link_mentions
from comments.timestamps import link_timestamps
from papers.models import Paper
from shared.fields import URLField
from shared.markdown import render_markdown
from videos.models import Video

MAX_COMMENT_LENGTH = 10_000
MAX_NOTE_LENGTH = 100_000


def _with_body_html(kwargs: dict) -> dict:
    """Make a save(update_fields=[..., "body"]) also write the rendered HTML."""
    fields = kwargs.get("update_fields")
    if fields is not None and "body" in fields:
        kwargs["update_fields"] = {*fields, "body_html"}
    return kwargs


class State(models.TextChoices):
    """What a reader sees of a comment: its text, or a placeholder that keeps its replies in place."""

    VISIBLE = "visible", "Visible"
    DELETED = "deleted", "Deleted by its author"
    REMOVED = "removed", "Removed by a moderator"
    HELD = "held", "Awaiting approval"


def comment_state(deleted_at, removed_at, held_at=None) -> State:
    """The one reading of the three dates: a moderator's removal shows over the author's own deletion, and both over
    pre-moderation (a held comment is its author's and curators' alone until a curator approves it)."""
    if removed_at is not None:
        return State.REMOVED
    if deleted_at is not None:
        return State.DELETED
    return State.VISIBLE if held_at is None else State.HELD


def placeholder_text(state: State) -> str:
    """What a thread shows in place of a comment's text: "deleted" or "removed by a moderator"."""
    return "deleted" if state == State.DELETED else state.label.lower()


def visible_q(prefix: str = "") -> Q:
    """The visible state as a condition, on comments (`visible_q()`) or through a relation
    (`visible_q("comments__")`); the same reading as comment_state. A held comment is not visible: it is not counted
    until it is approved."""
    return Q(**{f"{prefix}deleted_at": None, f"{prefix}removed_at": None, f"{prefix}held_at": None})


VISIBLE = visible_q()
STATE_Q = {  # each state as a condition; a removal shows over a deletion, as in comment_state
    State.VISIBLE: VISIBLE,
    State.DELETED: Q(deleted_at__isnull=False, removed_at=None),
    State.REMOVED: Q(removed_at__isnull=False),
    State.HELD: Q(held_at__isnull=False, deleted_at=None, removed_at=None),
}


class HasState:
    """What a comment shows, read from its two dates: for the model and for a thread's plain rows alike."""

    __slots__ = ()
    deleted_at: object
    removed_at: object
    held_at: object

    @property
    def state(self) -> State:
        return comment_state(self.deleted_at, self.removed_at, self.held_at)

    @property
    def is_visible(self) -> bool:
        # comment_state(...) is State.VISIBLE, written out: a long thread asks it of every comment
        return self.deleted_at is None and self.removed_at is None and self.held_at is None

    @property
    def is_held(self) -> bool:
        """Awaiting a curator's approval (pre-moderation): shown to its author and curators only, not counted."""
        return self.held_at is not None and self.deleted_at is None and self.removed_at is None

    def get_state_label(self) -> str:
        return placeholder_text(self.state)


class Kind(models.TextChoices):
    """What a comment is: a plain remark by default, or one of the kinds a discussion is filtered by."""

    PLAIN = "plain", "Comment"
    QUESTION = "question", "Question"
    CRITIQUE = "critique", "Critique"
    SUMMARY = "summary", "Summary"
    ERRATUM = "erratum", "Erratum report"
    REPRODUCTION = "reproduction", "Reproduction report"


KIND_LABELS = dict(Kind.choices)
# What a discussion filtered to a kind is called: "Show: questions, critiques, summaries..."
KIND_PLURALS = {
    Kind.QUESTION: "questions",
    Kind.CRITIQUE: "critiques",
    Kind.SUMMARY: "summaries",
    Kind.ERRATUM: "erratum reports",
    Kind.REPRODUCTION: "reproduction reports",
}


def may_moderate(user) -> bool:
    """Curators moderate: active staff with the permission to change comments (superusers have it)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff) and user.has_perm(
        "comments.change_comment"
    )


class CommentQuerySet(models.QuerySet):
    def on(self, target: Paper | Video) -> CommentQuerySet:
        if isinstance(target, Paper):
            return self.filter(paper=target)
        return self.filter(video=target)

    def visible(self) -> CommentQuerySet:
        """Comments whose text readers see: neither deleted by their author nor removed by a moderator."""
        return self.filter(VISIBLE)

    def in_state(self, state: State) -> CommentQuerySet:
        return self.filter(STATE_Q[state])

    def for_thread(self) -> CommentQuerySet:
        # A whole thread in one query: authors joined, oldest first so parents precede replies.
        return self.select_related("author").order_by("created_at", "pk")


class Comment(HasState, models.Model):
    """A comment on exactly one paper or video; a reply shares its parent's target.

    A comment deleted by its author or removed by a moderator keeps its row, so replies keep
    their place under a placeholder.
    """

    # No comment is ever deleted by a cascade: a departed member's comments stay as placeholders (the author is
    # emptied, see services.member_depart), and a paper, video or comment with a discussion cannot be deleted.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="comments", null=True, blank=True
    )
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="comments", null=True, blank=True)
    video = models.ForeignKey(Video, on_delete=models.PROTECT, related_name="comments", null=True, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, related_name="replies", null=True, blank=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Deleted by its author.")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Removed by a moderator.")
    score = models.IntegerField(default=0, editable=False)
    # Kept beside the score by services.vote_cast / vote_withdraw (F() updates in the vote's transaction), so the
    # "best" sort reads the Wilson bound from the row, without counting votes.
    up_votes = models.PositiveIntegerField(default=0, editable=False)
    down_votes = models.PositiveIntegerField(default=0, editable=False)
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.PLAIN)
    accepted = models.BooleanField(
        default=False, editable=False, help_text="The answer its question's asker accepted (a direct reply)."
    )
    at = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="On a video: the second it is about (its chapter's); replies take their parent's.",
    )
    paper_version = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="On a paper: the arXiv version it was written on."
    )
    held_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Held for a curator's approval since then (pre-moderation of new members); empty once approved.",
    )

    objects = CommentQuerySet.as_manager()
    # The active members its text names (@username), as its last save of the text linked them: for notifications.
    mentioned: list[Mentioned] = []

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(paper__isnull=False) & Q(video__isnull=True))
                | (Q(paper__isnull=True) & Q(video__isnull=False)),
                name="comment_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="comment_depth_matches_parent",
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="comment_kind_valid"),
            models.CheckConstraint(
                condition=Q(accepted=False) | Q(parent__isnull=False), name="comment_accepted_reply"
            ),
            models.CheckConstraint(condition=Q(at__isnull=True) | Q(video__isnull=False), name="comment_at_on_video"),
            models.UniqueConstraint(fields=["parent"], condition=Q(accepted=True), name="comment_one_accepted_answer"),
            # "A reply has its parent's target" spans two rows, so a trigger enforces it
            # (migration 0002_comment_reply_target_trigger), on PostgreSQL and SQLite alike. "Only a question's
            # reply is accepted" spans two rows too; comments.services.answer_accept keeps it.
        ]
        indexes = [
            models.Index(fields=["paper", "created_at"], name="comment_paper_idx", condition=Q(paper__isnull=False)),
            models.Index(fields=["video", "created_at"], name="comment_video_idx", condition=Q(video__isnull=False)),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
            models.Index(fields=["video", "at"], name="comment_video_at_idx", condition=Q(at__isnull=False)),
            models.Index(fields=["held_at"], name="comment_held_idx", condition=Q(held_at__isnull=False)),
        ]

    def __str__(self) -> str:
        """ "Comment by alice on arXiv:2105.06548" or on “a video's title”: the admin's title for it, and its
        name in the moderation log and the votes (whose admin lists select the author and target)."""
        who = self.author.username if self.author_id else "a former member"
        if self.paper_id:
            where = f"arXiv:{self.paper.arxiv_id}"
        elif self.video_id:
            where = f"“{self.video.title}”"
        else:
            where = "nothing yet"
        return f"Comment by {who} on {where}"

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        if self.video_id:
            self.body_html = link_timestamps(self.body_html, self.video)
        fields = kwargs.get("update_fields")
        if fields is None or "body" in fields:  # a save of other columns asks no one's name
            self.body_html, self.mentioned = link_mentions(self.body_html)
        self._derive_depth()
        super().save(*args, **_with_body_html(kwargs))

    def get_absolute_url(self) -> str:
        """The comment in its discussion: `?comment=` opens the page of threads holding it, highlighted; the anchor
        scrolls to it."""
        return f"{self.target.get_absolute_url()}?comment={self.pk}#c{self.pk}"

    def clean(self) -> None:
        self._derive_depth()  # before the constraints are validated: a reply's depth follows its parent's

    def _derive_depth(self) -> None:
        if self.parent_id and not self.depth:
            self.depth = self.parent.depth + 1

    def get_permalink(self) -> str:
        """The comment's own page: it with its replies, however deep it sits in the thread."""
        return reverse("comments:detail", args=[self.pk])

    @property
    def target(self) -> Paper | Video:
        return self.paper if self.paper_id else self.video

    def is_on(self, target: Paper | Video) -> bool:
        return (self.paper_id, self.video_id) == ((target.pk, None) if isinstance(target, Paper) else (None, target.pk))

    # Who may do what: asked by the views (to show or refuse a form) and the services (to refuse the write).

    def is_editable_by(self, user) -> bool:
        # A held comment is its author's to correct while it waits, as a visible one is.
        return (self.is_visible or self.is_held) and user.is_authenticated and self.author_id == user.pk

    def is_flaggable_by(self, user) -> bool:
        """Members flag others' visible comments for curators to review (services.comment_flag keeps one open flag
        per member and comment)."""
        return self.is_visible and user.is_authenticated and self.author_id != user.pk

    def is_shown_to(self, user) -> bool:
        """Whether `user` reads this comment at all: a held comment is its author's and curators' alone."""
        if self.held_at is None:
            return True
        return bool(user.is_authenticated and (self.author_id == user.pk or may_moderate(user)))

    def is_deletable_by(self, user) -> bool:
        return user.is_authenticated and self.author_id == user.pk

    @property
    def takes_replies(self) -> bool:
        # A deleted comment's replies may go on (the question still stands); a moderator's removal ends them.
        return self.removed_at is None

    def takes_vote_from(self, user) -> bool:
        return self.is_visible and user.is_authenticated and self.author_id != user.pk

    @property
    def is_question(self) -> bool:
        return self.kind == Kind.QUESTION

    def answer_acceptable_by(self, user) -> bool:
        """Whether `user` may accept (or unaccept) this comment as the answer to its parent: the parent must be a
        visible question, `user` its author, and this reply visible. Asked of the reply, with its parent loaded."""
        parent = self.parent
        return bool(
            parent is not None
            and parent.is_question
            and parent.is_visible
            and self.is_visible
            and user.is_authenticated
            and parent.author_id == user.pk
        )

    def revisions_readable_by(self, user) -> bool:
        """Earlier texts follow the comment: anyone reads them while it is visible; once deleted or removed, only its
        author and curators do."""
        if self.is_visible:
            return True
        return bool(user.is_authenticated and (self.author_id == user.pk or may_moderate(user)))


class CommentRevision(models.Model):
    """A comment's text as it was before one edit: who made that edit and when. Written by services.comment_edit."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["edited_at", "pk"]
        indexes = [models.Index(fields=["comment", "edited_at"], name="revision_comment_idx")]

    def __str__(self) -> str:
        return f"Text of comment {self.comment_id} before the edit of {self.edited_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    """One member's vote on one comment: +1 or -1."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="vote_one_per_member_and_comment"),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="vote_value_plus_or_minus_one"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} on {self.comment_id}"


class Moderation(models.Model):
    """One act of a moderator on a comment: who, when, what and why. The log is public (/moderation/)."""

    class Action(models.TextChoices):
        REMOVE = "remove", "Removed"
        RESTORE = "restore", "Restored"
        APPROVE = "approve", "Approved"

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="moderations")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="moderations"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["remove", "restore", "approve"]), name="moderation_action_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="moderation_has_reason"),
        ]
        indexes = [models.Index(fields=["-created_at", "-id"], name="moderation_newest_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} comment {self.comment_id}: {self.reason}"


class Flag(models.Model):
    """A member's report that a comment breaks the hub's rules, with a reason: the curators' queue (in the admin) is
    the pending ones. A curator's decision closes every open flag of the comment (services.flags_resolve)."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse"
        OFF_TOPIC = "off-topic", "Off-topic"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved (the comment stays)"
        REMOVED_SPAM = "removed-spam", "Removed as spam"
        REMOVED_RULE = "removed-rule", "Removed by rule"

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="flags")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    text = models.CharField(max_length=500, blank=True, help_text="What is wrong (required for “other”).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "flagger"], condition=Q(status="pending"), name="flag_one_open_per_member"
            ),
            models.CheckConstraint(condition=Q(reason__in=["spam", "abuse", "off-topic", "other"]), name="flag_reason"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "removed-spam", "removed-rule"]), name="flag_status"
            ),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(text=""), name="flag_other_says_why"),
            models.CheckConstraint(
                condition=Q(status="pending", resolved_at__isnull=True)
                | (~Q(status="pending") & Q(resolved_at__isnull=False)),
                name="flag_resolved_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="flag_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag on comment {self.comment_id}"


class NoteQuerySet(models.QuerySet):
    def public(self) -> NoteQuerySet:
        return self.filter(visibility=Note.Visibility.PUBLIC)

    def visible_to(self, user) -> NoteQuerySet:
        """Public notes, plus the member's own private ones."""
        if user is not None and user.is_authenticated:
            return self.filter(Q(visibility=Note.Visibility.PUBLIC) | Q(owner=user))
        return self.public()

    def feed(self) -> NoteQuerySet:
        return self.public().order_by("-published_at", "-pk")

    def listed(self) -> NoteQuerySet:
        """Public notes of active members, newest first: what the hub's public lists of notes show (a paper's or a
        video's page, /notes/public/ and its feed, the API's notes/public/). A deactivated member's notes leave
        them, as their profile does."""
        return self.feed().filter(owner__is_active=True)


class Note(models.Model):
    """A member's reading note: about a paper, a video, an outside source, or nothing in particular."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private"
        PUBLIC = "public", "Public"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    paper = models.ForeignKey(Paper, on_delete=models.SET_NULL, related_name="notes", null=True, blank=True)
    video = models.ForeignKey(Video, on_delete=models.SET_NULL, related_name="notes", null=True, blank=True)
    source_url = URLField(max_length=500, blank=True, help_text="An outside source: a blog post, a talk.")
    source_title = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(max_length=MAX_NOTE_LENGTH, blank=True)
    body_html = models.TextField(editable=False, default="")
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When it was first made public.")

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(visibility__in=["private", "public"]), name="note_visibility_valid"),
            models.CheckConstraint(
                condition=Q(visibility="private") | Q(published_at__isnull=False),
                name="note_public_has_published_at",
            ),
            models.CheckConstraint(
                condition=(Q(paper__isnull=True) & Q(video__isnull=True))
                | (Q(paper__isnull=False) & Q(video__isnull=True) & Q(source_url=""))
                | (Q(paper__isnull=True) & Q(video__isnull=False) & Q(source_url="")),
                name="note_at_most_one_subject",
                violation_error_message="A note is about one thing at most: a paper, a video or an outside source.",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="note_owner_idx"),
            models.Index(fields=["owner", "-published_at"], name="note_feed_idx", condition=Q(visibility="public")),
            models.Index(fields=["paper", "owner"], name="note_paper_idx", condition=Q(paper__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        if not self.source_url:
            self.source_title = ""  # a source's title means nothing without the source
        self._stamp_publication()
        fields = kwargs.get("update_fields")
        if fields is not None and "visibility" in fields:
            kwargs["update_fields"] = {*fields, "published_at"}  # stamped here or already by clean()
        super().save(*args, **_with_body_html(kwargs))

    def get_absolute_url(self) -> str:
        return reverse("comments:note", args=[self.pk])

    def clean(self) -> None:
        # Before the constraints are validated: a public note needs its publication time to pass them.
        self._stamp_publication()

    def _stamp_publication(self) -> None:
        """The first time a note is public, it is published now (the feed's order); later changes keep that time."""
        if self.is_public and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def subject(self) -> Paper | Video | None:
        return self.paper or self.video


# --- Watching, muting and notifications (issue 13) -------------------------------------------------------------------


class Watch(models.Model):
    """A member's choice about one paper, video or thread (a comment and every reply below it): watch it, or mute it.

    Watching a paper or a video notifies of each new top-level comment there; watching a thread, of each reply in
    it. Muting a paper, a video or a thread silences every notification from the comments in it, mentions and
    replies included, and a mute wins over any watch (comments.notifications.recipients)."""

    class State(models.TextChoices):
        WATCH = "watch", "Watching"
        MUTE = "mute", "Muted"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="watches", null=True, blank=True)
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="watches", null=True, blank=True)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="watches", null=True, blank=True)
    state = models.CharField(max_length=5, choices=State, default=State.WATCH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["watch", "mute"]), name="watch_state_valid"),
            models.CheckConstraint(
                condition=Q(paper__isnull=False, video__isnull=True, comment__isnull=True)
                | Q(paper__isnull=True, video__isnull=False, comment__isnull=True)
                | Q(paper__isnull=True, video__isnull=True, comment__isnull=False),
                name="watch_exactly_one_subject",
            ),
            models.UniqueConstraint(
                fields=["user", "paper"], condition=Q(paper__isnull=False), name="watch_paper_once"
            ),
            models.UniqueConstraint(
                fields=["user", "video"], condition=Q(video__isnull=False), name="watch_video_once"
            ),
            models.UniqueConstraint(
                fields=["user", "comment"], condition=Q(comment__isnull=False), name="watch_thread_once"
            ),
        ]
        # Asked by subject when a comment is posted: who watches or mutes this paper, video or these threads.
        indexes = [
            models.Index(fields=["paper"], name="watch_paper_idx", condition=Q(paper__isnull=False)),
            models.Index(fields=["video"], name="watch_video_idx", condition=Q(video__isnull=False)),
            models.Index(fields=["comment"], name="watch_comment_idx", condition=Q(comment__isnull=False)),
        ]

    def __str__(self) -> str:
        subject = f"paper {self.paper_id}" if self.paper_id else f"video {self.video_id}" if self.video_id else ""
        return f"{self.user_id} {self.state} {subject or f'thread {self.comment_id}'}"


class Notification(models.Model):
    """A member is told of a comment: they were mentioned, it replies to theirs, or it is in something they watch.

    It holds no text: pages and the API show the comment's text only while the comment is visible, and list no
    notification of a deleted or removed comment (comments.notifications.inbox)."""

    class Reason(models.TextChoices):
        MENTION = "mention", "mentioned you"
        REPLY = "reply", "replied to your comment"
        THREAD = "thread", "replied in a thread you watch"
        WATCH = "watch", "commented on something you watch"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=8, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "comment"], name="notification_once_per_comment"),
            models.CheckConstraint(
                condition=Q(reason__in=["mention", "reply", "thread", "watch"]), name="notification_reason_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"To {self.recipient_id}: comment {self.comment_id} ({self.reason})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """A member's choices about notifications: e-mail is off until they turn it on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_settings"
    )
    email = models.BooleanField(default=False, help_text="Also send each notification by e-mail.")

    def __str__(self) -> str:
        return f"Notification settings of {self.user_id}"
