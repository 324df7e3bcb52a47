"""Every write of the discussion and of reading notes, shared by the pages, the API and the admin.

Posting, editing, deleting, voting, moderating, and what becomes of a member's words when they leave: each keeps
the counters (a paper's or video's comments, a comment's score) equal to what readers see, and asks the models
who may do it (comments.models holds those rules).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from comments import notifications
from comments.models import (
    Comment,
    CommentRevision,
    Flag,
    Kind,
    Moderation,
    Note,
    Notification,
    NotificationSettings,
    Vote,
    Watch,
    may_moderate,
)
from papers.models import Paper
from videos.models import Correction, Video


def _count_changed(*, paper_id: int | None, video_id: int | None, delta: int) -> None:
    """A visible comment appeared on (delta > 0) or left (delta < 0) a paper or a video: its count follows, and so
    does the discussion count of the paper, or of each paper the video explains."""
    if paper_id is not None:
        Paper.objects.filter(pk=paper_id).update(
            comment_count=F("comment_count") + delta, discussion_count=F("discussion_count") + delta
        )
    elif video_id is not None:
        Video.objects.filter(pk=video_id).update(comment_count=F("comment_count") + delta)
        # A video's discussion is also that of the papers it explains (Paper.discussion_count).
        Paper.objects.filter(video_links__video_id=video_id).update(discussion_count=F("discussion_count") + delta)


@transaction.atomic
def comment_post(
    *,
    author,
    target: Paper | Video,
    body: str,
    parent: Comment | None = None,
    kind: str = Kind.PLAIN,
    at: int | None = None,
) -> Comment:
    """Post a comment on a paper or video, or a reply to `parent` (which must be on the same target).

    `kind` says what it is (a question, a critique...); `at`, on a video, the second it is about. A reply belongs
    where its parent does: it takes the parent's time, and giving another is an error. A comment on a paper records
    the arXiv version the paper is at now, so that pages can say when a newer one came out.
    """
    if parent is not None:
        if parent.is_held:
            raise ValidationError({"parent": "This comment is awaiting a curator's approval and takes no replies yet."})
        if not parent.is_on(target):
            raise ValidationError({"parent": "A reply must be on the same paper or video as the comment it answers."})
        if not parent.takes_replies:
            raise ValidationError({"parent": "This comment was removed by a moderator and takes no replies."})
        if at is not None and at != parent.at:
            raise ValidationError({"at": "A reply is about its parent's time; only a new comment takes one."})
        at = parent.at
    if at is not None:
        if not isinstance(target, Video):
            raise ValidationError({"at": "Only a comment on a video is about a time in it."})
        if parent is None and target.duration and at > target.duration:
            raise ValidationError({"at": "The video is shorter than that."})
    comment = Comment(
        author=author,
        paper=target if isinstance(target, Paper) else None,
        video=target if isinstance(target, Video) else None,
        parent=parent,
        body=body.strip(),
        kind=kind,
        at=at,
        paper_version=target.version if isinstance(target, Paper) else None,
        held_at=timezone.now() if is_premoderated(author) else None,
    )
    comment.full_clean()
    comment.save()
    if comment.is_visible:  # a held comment counts, and is announced, once a curator approves it
        _count_changed(paper_id=comment.paper_id, video_id=comment.video_id, delta=+1)
        notifications.notify_new_comment(comment)  # mentions, the parent's author, watchers: in this transaction
    return comment


def is_premoderated(member) -> bool:
    """Whether `member`'s next comment is held for a curator's approval: while pre-moderation is on
    (PREMODERATE_FIRST_COMMENTS = N > 0), a member with fewer than N comments in good standing (posted without being
    held, or approved, and not removed) is new to the hub. Curators never are."""
    first = settings.PREMODERATE_FIRST_COMMENTS
    if first <= 0 or member is None or may_moderate(member):
        return False
    standing = Comment.objects.filter(author=member, held_at=None, removed_at=None).order_by()[:first]
    return standing.count() < first


@transaction.atomic
def comment_edit(*, comment: Comment, editor, body: str) -> Comment:
    """The author changes the text; the text it replaces is kept as a CommentRevision (who edited, when)."""
    if comment.author_id != editor.pk:
        raise PermissionDenied("Only the author may edit a comment.")
    if not comment.is_editable_by(editor):
        raise ValidationError({"body": "A deleted or removed comment cannot be edited."})
    previous = Comment.objects.filter(pk=comment.pk).values_list("body", flat=True).get()
    comment.body = body.strip()
    comment.full_clean()
    if comment.body == previous:
        return comment  # nothing changed: no edit to record
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    _keep_revision(comment=comment, previous_body=previous, editor=editor)
    told = set(Notification.objects.filter(comment=comment).values_list("recipient_id", flat=True))
    notifications.notify_mentions(comment, before=told)  # a name the edit added is told; no one twice
    return comment


def _keep_revision(*, comment: Comment, previous_body: str, editor) -> None:
    """The text an edit replaced, with who edited and when (the comment's edited_at, which that edit stamped)."""
    edited_at = comment.edited_at or timezone.now()
    CommentRevision.objects.create(comment=comment, body=previous_body, edited_by=editor, edited_at=edited_at)


@transaction.atomic
def comment_correct(*, comment: Comment, curator, previous_body: str) -> Comment:
    """A curator changed a comment's text in the admin (which saves it, in this transaction): the text it replaced
    is kept as a revision, as an author's edit keeps it."""
    if not may_moderate(curator):
        raise PermissionDenied("Only curators may correct another member's comment.")
    if comment.body != previous_body:
        comment.edited_at = timezone.now()  # saved with the rest of the admin's form, after this
        _keep_revision(comment=comment, previous_body=previous_body, editor=curator)
    return comment


@transaction.atomic
def answer_accept(*, answer: Comment, actor, accepted: bool = True) -> Comment:
    """The asker of a question marks `answer`, a direct reply to it, as the accepted answer (`accepted=False`
    takes the mark back). Accepting another reply moves the mark: a question has one accepted answer at most."""
    answer = Comment.objects.select_related("parent").select_for_update(of=("self",)).get(pk=answer.pk)
    if answer.parent is None or not answer.parent.is_question:
        raise ValidationError({"comment": "Only a direct reply to a question can be its accepted answer."})
    if not answer.answer_acceptable_by(actor):
        if answer.parent.author_id != actor.pk:
            raise PermissionDenied("Only the member who asked the question may accept an answer.")
        raise ValidationError({"comment": "A deleted or removed question or answer cannot be accepted."})
    if accepted:
        Comment.objects.filter(parent_id=answer.parent_id, accepted=True).exclude(pk=answer.pk).update(accepted=False)
    if answer.accepted != accepted:
        answer.accepted = accepted
        answer.save(update_fields=["accepted"])
    return answer


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> Comment:
    """The author deletes their comment; its row stays as a placeholder so replies keep their place."""
    if not comment.is_deletable_by(actor):
        raise PermissionDenied("Only the author may delete a comment.")
    if comment.deleted_at is None:
        was_visible = comment.is_visible
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
        if was_visible:
            _count_changed(paper_id=comment.paper_id, video_id=comment.video_id, delta=-1)
    return comment


def _moderate(*, comment: Comment, moderator, reason: str, action: Moderation.Action, flag_status: str = "") -> Comment:
    if not may_moderate(moderator):
        raise PermissionDenied("Only curators may moderate comments.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why, for the moderation log."})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    removing = action == Moderation.Action.REMOVE
    if (comment.removed_at is not None) == removing:
        return comment  # already so: nothing to log twice
    was_visible = comment.is_visible
    comment.removed_at = timezone.now() if removing else None
    comment.save(update_fields=["removed_at"])
    if removing:
        # Its open flags close with the removal, so the curators' queue never lists a removed comment.
        _close_flags(comment=comment, moderator=moderator, status=flag_status or Flag.Status.REMOVED_RULE)
    if was_visible != comment.is_visible:
        _count_changed(paper_id=comment.paper_id, video_id=comment.video_id, delta=-1 if removing else +1)
    entry = Moderation(comment=comment, moderator=moderator, action=action, reason=reason)
    entry.full_clean()
    entry.save()
    return comment


@transaction.atomic
def comment_remove(*, comment: Comment, moderator, reason: str, flag_status: str = "") -> Comment:
    """A moderator removes a comment: a placeholder keeps its replies in place; the log says who and why. Its open
    flags close with it, as removed by rule unless a review passes its own outcome as `flag_status`."""
    return _moderate(
        comment=comment, moderator=moderator, reason=reason, action=Moderation.Action.REMOVE, flag_status=flag_status
    )


@transaction.atomic
def comment_restore(*, comment: Comment, moderator, reason: str) -> Comment:
    """A moderator undoes a removal; logged like the removal. Flags closed by the removal stay closed."""
    return _moderate(comment=comment, moderator=moderator, reason=reason, action=Moderation.Action.RESTORE)


def _tally(value: int, sign: int) -> dict:
    """The F() updates of a comment's counts for one vote of `value` (+1 or -1) added (sign 1) or taken back (-1)."""
    column = "up_votes" if value > 0 else "down_votes"
    return {"score": F("score") + sign * value, column: F(column) + sign}


def _vote_changed(comment_pk: int, *, old: int | None, new: int | None) -> None:
    """The comment's score, up- and down-votes follow one member's vote going from `old` to `new` (None: no vote), in
    one UPDATE of F() expressions inside the vote's transaction, so concurrent votes never overwrite each other."""
    if old == new:
        return
    changes: dict = {"score": F("score") + (new or 0) - (old or 0)}
    if old is not None:
        column = "up_votes" if old > 0 else "down_votes"
        changes[column] = F(column) - 1
    if new is not None:
        column = "up_votes" if new > 0 else "down_votes"
        changes[column] = F(column) + 1
    Comment.objects.filter(pk=comment_pk).update(**changes)


# --- Flags, the curators' queue and pre-moderation --------------------------------------------------------------------


@transaction.atomic
def comment_flag(*, comment: Comment, flagger, reason: str, text: str = "") -> Flag:
    """A member flags another's visible comment for the curators, with a reason (and words, for "other"): one open
    flag per member and comment."""
    if not flagger.is_authenticated:
        raise PermissionDenied("Sign in to flag a comment.")
    if comment.author_id == flagger.pk:
        raise ValidationError({"comment": "Members do not flag their own comments."})
    if not comment.is_flaggable_by(flagger):
        raise ValidationError({"comment": "Only a visible comment can be flagged."})
    if Flag.objects.filter(comment=comment, flagger=flagger, status=Flag.Status.PENDING).exists():
        raise ValidationError({"comment": "You have flagged this comment already; a curator will look at it."})
    flag = Flag(comment=comment, flagger=flagger, reason=reason, text=" ".join((text or "").split()))
    if flag.reason == Flag.Reason.OTHER and not flag.text:
        raise ValidationError({"text": "Say what is wrong with it."})
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as exc:  # a second flag sent at the same moment
        raise ValidationError({"comment": "You have flagged this comment already."}) from exc
    return flag


def _close_flags(*, comment: Comment, moderator, status: str) -> int:
    """Every open flag of `comment` closes with the curator's decision; how many there were."""
    return Flag.objects.filter(comment=comment, status=Flag.Status.PENDING).update(
        status=status, resolved_by=moderator, resolved_at=timezone.now()
    )


APPROVED_HELD = "Approved: released from pre-moderation"
APPROVED_FLAGGED = "Reviewed after flags: it stays"


@transaction.atomic
def comment_approve(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """A curator approves a comment: a held one is released (it is shown to everyone and counted from now on), and
    its open flags close as approved. Written to the moderation log, like a removal; nothing to approve, no row."""
    if not may_moderate(moderator):
        raise PermissionDenied("Only curators may moderate comments.")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    held = comment.held_at is not None
    closed = _close_flags(comment=comment, moderator=moderator, status=Flag.Status.APPROVED)
    if not held and not closed:
        return comment
    if held:
        comment.held_at = None
        # Saving the body again (unchanged) reads the members it names, whom the release notifies.
        comment.save(update_fields=["held_at", "body"])
        if comment.is_visible:
            _count_changed(paper_id=comment.paper_id, video_id=comment.video_id, delta=+1)
            notifications.notify_new_comment(comment)
    reason = " ".join((reason or "").split()) or (APPROVED_HELD if held else APPROVED_FLAGGED)
    entry = Moderation(comment=comment, moderator=moderator, action=Moderation.Action.APPROVE, reason=reason)
    entry.full_clean()
    entry.save()
    return comment


REVIEW_OUTCOMES = (Flag.Status.APPROVED, Flag.Status.REMOVED_SPAM, Flag.Status.REMOVED_RULE)


@transaction.atomic
def comment_review(*, comment: Comment, moderator, outcome: str, reason: str = "") -> Comment:
    """A curator's decision on a flagged or held comment: approved (it stays, or is released), removed as spam, or
    removed by rule (`reason` names the rule). Removal goes through comment_remove, so counts follow and the log
    says who, when and why; every open flag of the comment closes with the decision."""
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError({"outcome": f"One of {', '.join(REVIEW_OUTCOMES)}."})
    if outcome == Flag.Status.APPROVED:
        return comment_approve(comment=comment, moderator=moderator, reason=reason)
    words = " ".join((reason or "").split())
    if outcome == Flag.Status.REMOVED_RULE and not words:
        raise ValidationError({"reason": "Name the rule it breaks, for the moderation log."})
    label = "Spam" if outcome == Flag.Status.REMOVED_SPAM else "Against the rules"
    reason = f"{label}: {words}"[:500] if words else label  # the log's reason holds 500 characters
    comment = comment_remove(comment=comment, moderator=moderator, reason=reason, flag_status=outcome)
    # Flags left open on a comment removed before (nothing removed now) close with this decision too.
    _close_flags(comment=comment, moderator=moderator, status=outcome)
    return comment


@transaction.atomic
def vote_cast(*, user, comment: Comment, value: int = 1) -> Vote:
    """One vote per member and comment, up (+1) or down (-1): casting again changes the vote, never adds one.

    The vote row is locked (or created, the unique constraint settling a race between two first clicks) before the
    counts change, so a member's concurrent clicks count once."""
    if value not in (-1, 1):
        raise ValidationError({"value": "A vote is +1 or -1."})
    if comment.author_id == user.pk:
        raise ValidationError({"comment": "Members do not vote on their own comments."})
    if not comment.takes_vote_from(user):
        raise ValidationError({"comment": "Deleted and removed comments take no votes."})
    vote, created = Vote.objects.select_for_update().get_or_create(
        user=user, comment=comment, defaults={"value": value}
    )
    if created:
        _vote_changed(comment.pk, old=None, new=value)
    elif vote.value != value:
        _vote_changed(comment.pk, old=vote.value, new=value)
        vote.value = value
        vote.save(update_fields=["value"])
    return vote


@transaction.atomic
def vote_withdraw(*, user, comment: Comment) -> None:
    vote = Vote.objects.select_for_update().filter(user=user, comment=comment).first()
    if vote is not None:
        _vote_changed(comment.pk, old=vote.value, new=None)
        vote.delete()


@transaction.atomic
def member_depart(*, member) -> None:
    """Before a member's account is deleted: their comments become placeholders without author or text (the
    replies of others stay where they are), their votes are withdrawn, and every count follows.

    Called for every deletion of a member, by whatever door (comments.apps connects it to the user model's
    pre_delete), so that no cascade ever takes another member's words with it.
    """
    mine = Comment.objects.filter(author=member)
    for row in mine.visible().values("paper_id", "video_id").annotate(n=Count("pk")).order_by():
        _count_changed(paper_id=row["paper_id"], video_id=row["video_id"], delta=-row["n"])
    now = timezone.now()
    mine.filter(deleted_at=None).update(deleted_at=now)
    CommentRevision.objects.filter(comment__in=mine).delete()  # earlier texts leave with the text
    mine.update(author=None, body="", body_html="")
    for value in (-1, 1):
        Comment.objects.filter(votes__user=member, votes__value=value).update(**_tally(value, -1))
    Vote.objects.filter(user=member).delete()


# --- Watching, muting and notifications -------------------------------------------------------------------------------


@transaction.atomic
def watch_set(*, user, state: str | None, paper: Paper | None = None, video: Video | None = None, comment=None):
    """The member watches (`state="watch"`), mutes (`"mute"`) or forgets (`None`) one paper, video or thread (a
    comment and its replies). The Watch, or None once forgotten."""
    if sum(subject is not None for subject in (paper, video, comment)) != 1:
        raise ValidationError({"subject": "Watch or mute exactly one paper, video or thread."})
    if state not in (None, *Watch.State.values):
        raise ValidationError({"state": "Watch, mute, or neither."})
    subject: dict[str, Any] = {"paper": paper} if paper is not None else {"video": video}
    if comment is not None:
        subject = {"comment": comment}
    if state is None:
        Watch.objects.filter(user=user, **subject).delete()
        return None
    watch, _ = Watch.objects.update_or_create(defaults={"state": state}, user=user, **subject)
    return watch


def notifications_mark_read(*, user, pks: list[int] | None = None) -> int:
    """Mark the member's notifications read: those of `pks`, or all of them. How many were unread."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())


def notification_email_set(*, user, email: bool) -> NotificationSettings:
    """Turn the member's notification e-mails on or off (off until they turn them on)."""
    row, _ = NotificationSettings.objects.update_or_create(user=user, defaults={"email": email})
    return row


# --- Reading notes ----------------------------------------------------------------------------------------------------


def note_publish(*, note: Note, actor, public: bool = True) -> Note:
    if note.owner_id != actor.pk:
        raise PermissionDenied("Only the owner may publish or hide a note.")
    note.visibility = Note.Visibility.PUBLIC if public else Note.Visibility.PRIVATE
    note.save(update_fields=["visibility", "updated_at"])
    return note


@transaction.atomic
def note_create(
    *,
    owner,
    title: str,
    body: str = "",
    paper: Paper | None = None,
    video: Video | None = None,
    source_url: str = "",
    source_title: str = "",
    visibility: str = Note.Visibility.PRIVATE,
) -> Note:
    """A new reading note; private unless `visibility` says public (then its publication time is now)."""
    note = Note(
        owner=owner,
        title=title.strip(),
        body=body,
        paper=paper,
        video=video,
        source_url=source_url,
        source_title=source_title.strip(),
        visibility=visibility,
    )
    note.full_clean()
    note.save()
    return note


NOTE_EDITABLE = ("title", "body", "paper", "video", "source_url", "source_title", "visibility")


@transaction.atomic
def note_edit(*, note: Note, editor, **changes) -> Note:
    """Change a note's own fields (any of NOTE_EDITABLE); only its owner may."""
    if note.owner_id != editor.pk:
        raise PermissionDenied("Only the owner may edit a note.")
    unknown = set(changes) - set(NOTE_EDITABLE)
    if unknown:
        raise ValueError(f"Notes have no editable fields {sorted(unknown)}")
    for name, value in changes.items():
        setattr(note, name, value.strip() if name in ("title", "source_title") else value)
    note.full_clean()
    note.save(update_fields=[*changes, "updated_at", "source_title"])
    return note


@transaction.atomic
def note_delete(*, note: Note, actor) -> None:
    if note.owner_id != actor.pk:
        raise PermissionDenied("Only the owner may delete a note.")
    note.delete()


# --- Errata: a member's report confirmed as the video's correction, and marked fixed ---------------------------------


def _erratum_report_refusal(report: Comment) -> str | None:
    """Why `report` cannot become a correction, or None: it must be a visible erratum report on a video."""
    if report.kind != Kind.ERRATUM:
        return "Only an erratum report becomes an erratum."
    if report.video_id is None:
        return "Only a report on a video becomes one of its errata."
    if not report.is_visible:
        return "This report is not shown (deleted, removed or awaiting approval)."
    return None


@transaction.atomic
def erratum_confirm(*, report: Comment, curator, body: str | None = None) -> Correction:
    """A curator confirms a member's erratum report: it becomes the video's erratum at the report's time, with the
    report's text or the curator's edit of it, linked back to the report and saying who confirmed it and when.

    Once: a report already confirmed answers with its correction, unchanged (a second click, two curators at once).
    """
    if not may_moderate(curator):
        raise PermissionDenied("Only curators confirm errata.")
    report = Comment.objects.select_for_update().get(pk=report.pk)
    existing = Correction.objects.filter(report=report).first()
    if existing is not None:
        return existing
    refusal = _erratum_report_refusal(report)
    if refusal:
        raise ValidationError({"report": refusal})
    video_id = report.video_id
    assert video_id is not None  # checked by the refusal above
    text = (report.body if body is None else body).strip()
    if not text:
        raise ValidationError({"body": "Say what the erratum is."})
    last = Correction.objects.filter(video_id=video_id).aggregate(last=Max("position"))["last"]
    correction = Correction(
        video_id=video_id,
        kind=Correction.Kind.ERRATUM,
        status=Correction.Status.CONFIRMED,
        body=text,
        at=report.at,
        position=0 if last is None else last + 1,
        report=report,
        confirmed_at=timezone.now(),
        confirmed_by=curator,
    )
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def correction_mark_fixed(*, correction: Correction, curator, fixed_by: str = "") -> Correction:
    """A curator marks a correction fixed: `fixed_by` says where ("fixed in v2", a later video's address). Marking it
    again only changes where; the first time and curator stay."""
    if not may_moderate(curator):
        raise PermissionDenied("Only curators mark corrections fixed.")
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    fixed_by = " ".join((fixed_by or "").split())
    if correction.status == Correction.Status.FIXED and correction.fixed_by == fixed_by:
        return correction
    if correction.status != Correction.Status.FIXED:
        correction.status = Correction.Status.FIXED
        correction.fixed_at = timezone.now()
        correction.fixed_marked_by = curator
    correction.fixed_by = fixed_by
    correction.full_clean()
    correction.save(update_fields=["status", "fixed_by", "fixed_at", "fixed_marked_by"])
    return correction
