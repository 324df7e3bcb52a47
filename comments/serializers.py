"""Comments, votes and notes in the API.

A thread is read as flat rows (`parent` and `depth` on each, oldest first, so a parent always comes before its
replies): a client nests them in one pass, and new comments only ever append, which is what lets a cursor page
through a discussion that grows while it is read. The rows are built as dicts from one `values()` query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import get_script_prefix
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comments.models import MAX_COMMENT_LENGTH, Comment, CommentRevision, Flag, Kind, Note, State, comment_state
from papers import arxiv
from papers.models import Paper
from shared.urls import url_for, url_halves
from videos.models import Video

COMMENT_COLUMNS = (
    "id",
    "paper__arxiv_id",
    "video__slug",
    "parent_id",
    "depth",
    "author__username",
    "body",
    "body_html",
    "created_at",
    "edited_at",
    "deleted_at",
    "removed_at",
    "score",
    "up_votes",
    "down_votes",
    "kind",
    "accepted",
    "answered",
    "at",
    "paper_version",
    "paper__version",
    "held_at",
    "correction__id",
)

# --- Comments: the read shape and its builder ------------------------------------------------------------------------


class CommentSerializer(serializers.Serializer):
    """One comment of a thread. A deleted or removed comment keeps its place, without author or text."""

    id = serializers.IntegerField()
    paper = serializers.CharField(allow_null=True, help_text="The paper's arXiv id, or null for a video's comment.")
    video = serializers.CharField(allow_null=True, help_text="The video's slug, or null for a paper's comment.")
    parent = serializers.IntegerField(allow_null=True, help_text="The comment this one answers; null at top level.")
    depth = serializers.IntegerField(help_text="0 at top level, parent's depth + 1 for a reply.")
    author = serializers.CharField(allow_null=True, help_text="Username; null once deleted or removed.")
    body = serializers.CharField(allow_blank=True, help_text="Markdown as written; empty once deleted or removed.")
    body_html = serializers.CharField(allow_blank=True, help_text="The body rendered and sanitised.")
    state = serializers.ChoiceField(choices=State.choices)
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    score = serializers.IntegerField(help_text="Up-votes minus down-votes.")
    up_votes = serializers.IntegerField(help_text="Members who voted it up.")
    down_votes = serializers.IntegerField(help_text="Members who voted it down.")
    kind = serializers.ChoiceField(choices=Kind.choices, help_text="What the comment is: plain, a question...")
    accepted = serializers.BooleanField(help_text="This reply is the answer its question's asker accepted.")
    answered = serializers.BooleanField(help_text="A question with an accepted answer (false for other kinds).")
    at = serializers.IntegerField(
        allow_null=True, help_text="On a video: the second it is about (its chapter's); a reply has its parent's."
    )
    paper_version = serializers.IntegerField(
        allow_null=True, help_text="On a paper: the arXiv version it was written on (null when not known)."
    )
    outdated = serializers.BooleanField(help_text="The paper has a newer version than the one it was written on.")
    correction = serializers.IntegerField(
        allow_null=True,
        help_text="An erratum report a curator confirmed: the id of the video's correction it became (/corrections/).",
    )
    my_vote = serializers.IntegerField(allow_null=True, help_text="Your vote (1 or -1), or null.")
    url = serializers.CharField()


def comment_items(rows: Iterable[dict], my_votes: dict[int, int]) -> list[dict]:
    head, tail = url_halves("comment-detail")  # once per page: a thread is a thousand rows
    prefix = get_script_prefix().rstrip("/") + head
    items = []
    for row in rows:
        state = comment_state(row["deleted_at"], row["removed_at"], row["held_at"])
        visible = state == State.VISIBLE or state == State.HELD  # a held row reaches only its author and curators
        items.append(
            {
                "id": row["id"],
                "paper": row["paper__arxiv_id"],
                "video": row["video__slug"],
                "parent": row["parent_id"],
                "depth": row["depth"],
                "author": row["author__username"] if visible else None,
                "body": row["body"] if visible else "",
                "body_html": row["body_html"] if visible else "",
                "state": str(state),
                "created_at": row["created_at"],
                "edited_at": row["edited_at"],
                "score": row["score"],
                "up_votes": row["up_votes"],
                "down_votes": row["down_votes"],
                "kind": row["kind"],
                "accepted": row["accepted"],
                "answered": bool(row["answered"]) and row["kind"] == Kind.QUESTION,
                "at": row["at"],
                "paper_version": row["paper_version"],
                "outdated": row["paper_version"] is not None and row["paper_version"] < (row["paper__version"] or 0),
                "correction": row["correction__id"],
                "my_vote": my_votes.get(row["id"]),
                "url": f"{prefix}{row['id']}{tail}",
            }
        )
    return items


# --- Comments: what members send -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class PaperByArxivIdField(serializers.RelatedField):
    """A paper named by its arXiv id in any accepted form."""

    default_error_messages = {
        "invalid": "Not an arXiv id: {reason}.",
        "does_not_exist": "The hub holds no paper {arxiv_id}.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Paper.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Paper:
        if not isinstance(data, str):
            self.fail("invalid", reason="give it as a string")
        try:
            paper = self.get_queryset().named(data).first()
        except arxiv.InvalidArxivId as exc:
            self.fail("invalid", reason=str(exc))
        if paper is None:
            self.fail("does_not_exist", arxiv_id=arxiv.canonical_arxiv_id(data))
        return paper

    def to_representation(self, paper: Paper) -> str:
        return paper.arxiv_id


class CommentCreateSerializer(serializers.Serializer):
    """A new comment on a paper or a video, or a reply (`parent`; the target then comes from it)."""

    paper = PaperByArxivIdField(required=False, allow_null=True, help_text="The paper's arXiv id (any form).")
    video = serializers.SlugRelatedField(
        slug_field="slug", queryset=Video.objects.all(), required=False, allow_null=True, help_text="A video's slug."
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Comment.objects.all(), required=False, allow_null=True, help_text="The comment this one answers."
    )
    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH, help_text="Markdown.")
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.PLAIN, help_text="What the comment is.")
    at = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2_147_483_647,
        help_text="On a video, a new comment: the second it is about. A reply takes its parent's.",
    )

    def validate(self, attrs: dict) -> dict:
        paper, video, parent = attrs.get("paper"), attrs.get("video"), attrs.get("parent")
        if paper is not None and video is not None:
            raise serializers.ValidationError({"video": "A comment is on a paper or on a video, not both."})
        if parent is not None:
            attrs["target"] = paper or video or parent.target
        elif paper is None and video is None:
            raise serializers.ValidationError({"paper": "Say which paper or video (or which comment you answer)."})
        else:
            attrs["target"] = paper or video
        return attrs


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH, help_text="Markdown; replaces the text.")


class AcceptResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The reply.")
    question = serializers.IntegerField(help_text="The question it answers.")
    accepted = serializers.BooleanField()


class RevisionSerializer(serializers.ModelSerializer):
    """A comment's text before one edit, who made that edit and when (oldest first)."""

    edited_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CommentRevision
        fields = ["id", "body", "edited_by", "edited_at"]


class VoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=[1, -1], default=1, help_text="1 (up, the default) or -1 (down).")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why: shown in the public moderation log.")


class FlagSerializer(serializers.ModelSerializer):
    """A member's flag on a comment: why, and where the curators' review of it stands."""

    reason = serializers.ChoiceField(choices=Flag.Reason.choices, help_text="spam, abuse, off-topic or other.")
    text = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="What is wrong (required for other)."
    )

    class Meta:
        model = Flag
        fields = ["id", "comment", "reason", "text", "status", "created_at"]
        read_only_fields = ["id", "comment", "status", "created_at"]


class ReviewSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(str(s), s.label) for s in (Flag.Status.APPROVED, Flag.Status.REMOVED_SPAM, Flag.Status.REMOVED_RULE)],
        help_text="approved (it stays, or a held comment is released), removed-spam or removed-rule.",
    )
    reason = serializers.CharField(
        max_length=400,
        required=False,
        allow_blank=True,
        default="",
        help_text="For the public moderation log; required for removed-rule (which rule).",
    )


class VoteResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    my_vote = serializers.IntegerField(allow_null=True)


# --- Notes ------------------------------------------------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    paper = PaperByArxivIdField(required=False, allow_null=True, help_text="The paper it is about (any id form).")
    video = serializers.SlugRelatedField(
        slug_field="slug", queryset=Video.objects.all(), required=False, allow_null=True
    )
    body_html = serializers.CharField(read_only=True, help_text="The body rendered and sanitised.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = [
            "id",
            "owner",
            "paper",
            "video",
            "source_url",
            "source_title",
            "title",
            "body",
            "body_html",
            "visibility",
            "created_at",
            "updated_at",
            "published_at",
            "url",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "published_at"]

    def get_url(self, note: Note) -> str:
        return url_for("note-detail", note.pk)

    # No validate(): the services run the model's own validation (Note.clean and its constraints), and the API's
    # exception handler answers their ValidationError as a 400 with field errors.


class ErratumConfirmSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=MAX_COMMENT_LENGTH,
        required=False,
        help_text="The erratum's text (markdown), when the report's own needs an edit; the report's when left out.",
    )


class CorrectionFixedSerializer(serializers.Serializer):
    fixed_by = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Where it is fixed: “fixed in v2”, or a later video's address.",
    )
