"""Writes that pages and the API share: posting, editing, deleting and voting on comments; notes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from comments.models import Comment, Note, Vote
from papers.models import Paper
from videos.models import Video


def _bump_comment_count(target: Paper | Video, delta: int) -> None:
    type(target).objects.filter(pk=target.pk).update(comment_count=F("comment_count") + delta)


@transaction.atomic
def comment_post(*, author, target: Paper | Video, body: str, parent: Comment | None = None) -> Comment:
    """Post a comment on a paper or video, or a reply to `parent` (which must be on the same target)."""
    if parent is not None:
        if (parent.paper_id, parent.video_id) != (
            target.pk if isinstance(target, Paper) else None,
            target.pk if isinstance(target, Video) else None,
        ):
            raise ValidationError({"parent": "A reply must be on the same paper or video as the comment it answers."})
        if parent.removed_at is not None:
            raise ValidationError({"parent": "This comment was removed by a moderator and takes no replies."})
    comment = Comment(
        author=author,
        paper=target if isinstance(target, Paper) else None,
        video=target if isinstance(target, Video) else None,
        parent=parent,
        depth=parent.depth + 1 if parent is not None else 0,
        body=body.strip(),
    )
    comment.full_clean()
    comment.save()
    _bump_comment_count(target, +1)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, editor, body: str) -> Comment:
    if comment.author_id != editor.pk:
        raise PermissionDenied("Only the author may edit a comment.")
    if not comment.is_visible:
        raise ValidationError({"body": "A deleted or removed comment cannot be edited."})
    comment.body = body.strip()
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> Comment:
    """The author deletes their comment; its row stays as a placeholder so replies keep their place."""
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only the author may delete a comment.")
    if comment.deleted_at is None:
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
        _bump_comment_count(comment.target, -1)
    return comment


@transaction.atomic
def vote_cast(*, user, comment: Comment, value: int = 1) -> Vote:
    """One vote per member and comment: casting again changes the vote, never adds a second."""
    if value not in (-1, 1):
        raise ValidationError({"value": "A vote is +1 or -1."})
    if comment.author_id == user.pk:
        raise ValidationError({"comment": "Members do not vote on their own comments."})
    if not comment.is_visible:
        raise ValidationError({"comment": "Deleted and removed comments take no votes."})
    vote, created = Vote.objects.select_for_update().get_or_create(
        user=user, comment=comment, defaults={"value": value}
    )
    if created:
        Comment.objects.filter(pk=comment.pk).update(score=F("score") + value)
    elif vote.value != value:
        Comment.objects.filter(pk=comment.pk).update(score=F("score") + value - vote.value)
        vote.value = value
        vote.save(update_fields=["value"])
    return vote


@transaction.atomic
def vote_withdraw(*, user, comment: Comment) -> None:
    vote = Vote.objects.select_for_update().filter(user=user, comment=comment).first()
    if vote is not None:
        Comment.objects.filter(pk=comment.pk).update(score=F("score") - vote.value)
        vote.delete()


def note_publish(*, note: Note, actor, public: bool = True) -> Note:
    if note.owner_id != actor.pk:
        raise PermissionDenied("Only the owner may publish or hide a note.")
    note.visibility = Note.Visibility.PUBLIC if public else Note.Visibility.PRIVATE
    fields = ["visibility", "updated_at"]
    if public and note.published_at is None:
        note.published_at = timezone.now()
        fields.append("published_at")
    note.save(update_fields=fields)
    return note


def _note_subject_errors(*, paper, video, source_url: str) -> None:
    if sum(bool(x) for x in (paper, video, source_url)) > 1:
        raise ValidationError("A note is about one thing at most: a paper, a video or an outside source.")


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
    _note_subject_errors(paper=paper, video=video, source_url=source_url)
    note = Note(
        owner=owner,
        title=title.strip(),
        body=body,
        paper=paper,
        video=video,
        source_url=source_url,
        source_title=source_title.strip() if source_url else "",
        visibility=visibility,
    )
    if note.is_public:
        note.published_at = timezone.now()
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
    if not note.source_url:
        note.source_title = ""
    _note_subject_errors(paper=note.paper, video=note.video, source_url=note.source_url)
    fields = [*changes, "updated_at", "source_title"]
    if note.is_public and note.published_at is None:
        note.published_at = timezone.now()
        fields.append("published_at")
    note.full_clean()
    note.save(update_fields=fields)
    return note


@transaction.atomic
def note_delete(*, note: Note, actor) -> None:
    if note.owner_id != actor.pk:
        raise PermissionDenied("Only the owner may delete a note.")
    note.delete()
