"""Forms of the discussion and of reading notes: they validate, services write."""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

from comments.models import MAX_COMMENT_LENGTH, MAX_NOTE_LENGTH, Flag, Kind, Note
from papers import arxiv
from papers.models import Paper
from shared.numbers import whole_number
from videos.description import parse_timestamp
from videos.models import Video


class MarkdownField(forms.CharField):
    """A body written in markdown, with a limit the server checks and the box states, never enforced by `maxlength`.

    Browsers cut a paste at a `maxlength` without a word, so the limit goes in `data-max-length` instead (the
    compose script counts down from it) and an over-long text comes back with an error and every character kept.
    Line breaks are read as "\n" (browsers send "\r\n"), so that the server counts what the script counts.
    """

    def __init__(self, *, noun: str, **kwargs) -> None:
        self.noun = noun
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, validators.MaxLengthValidator)]

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.update({"data-compose": "", "data-max-length": str(self.max_length)})
        return attrs

    def to_python(self, value) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value: str) -> None:
        super().validate(value)
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                f"{self.noun} holds at most {self.max_length:,} characters; this one has {len(value):,}. "
                f"Shorten it by {len(value) - self.max_length:,} and try again: your text is kept below.",
                code="max_length",
            )


class CommentForm(forms.Form):
    body = MarkdownField(
        noun="A comment",
        label="Your comment",
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {MAX_COMMENT_LENGTH:,} characters of Markdown: *emphasis*, lists, [links](https://…), "
        "`code`, > quotes, tables, math as $x^2$ or \\(x^2\\).",
        error_messages={"required": "Write something before posting."},
    )


class ReplyForm(CommentForm):
    """A reply, or a new comment: its text and what it is (a question, a critique...)."""

    kind = forms.ChoiceField(label="This is a", choices=Kind.choices, required=False, initial=Kind.PLAIN)

    field_order = ["kind", "body"]

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or Kind.PLAIN


class NewCommentForm(ReplyForm):
    """A new comment; on a video also the time it is about (typed as 7:50 or 1:02:03, or taken from the player)."""

    at = forms.CharField(
        label="About the time",
        required=False,
        max_length=12,
        help_text="Optional: where in the video, as 7:50 or 1:02:03.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "7:50", "data-player-time": ""}),
    )

    field_order = ["kind", "at", "body"]

    def __init__(self, *args, on_video: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not on_video:
            del self.fields["at"]

    def clean_at(self) -> int | None:
        text = self.cleaned_data["at"].strip()
        if not text:
            return None
        seconds = whole_number(text)
        if seconds is not None:
            return seconds  # seconds, as the player's time is sent
        try:
            return parse_timestamp(text)
        except ValueError:
            raise ValidationError("Write the time as 7:50 or 1:02:03.") from None


class NoteForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Give the note a title."})
    body = MarkdownField(
        noun="A note",
        label="Note",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=f"Up to {MAX_NOTE_LENGTH:,} characters of Markdown, math as $x^2$ or \\(x^2\\).",
    )
    paper = forms.CharField(
        label="About a paper", required=False, max_length=200, help_text="Its arXiv id or link, e.g. 2105.06548."
    )
    video = forms.CharField(label="About a video", required=False, max_length=200, help_text="The video's slug.")
    source_url = forms.URLField(
        label="About an outside source (link)", required=False, max_length=500, assume_scheme="https"
    )
    source_title = forms.CharField(label="Source title", required=False, max_length=300)
    visibility = forms.ChoiceField(
        required=False,
        choices=Note.Visibility.choices,
        initial=Note.Visibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text="Private notes are yours alone; public ones appear on your profile and its feed.",
    )

    def clean_visibility(self) -> str:
        return self.cleaned_data["visibility"] or Note.Visibility.PRIVATE

    def clean_paper(self) -> Paper | None:
        value = self.cleaned_data["paper"].strip()
        if not value:
            return None
        try:
            paper = Paper.objects.named(value).first()
        except arxiv.InvalidArxivId as exc:
            raise ValidationError(f"Not an arXiv id or link: {exc}") from exc
        if paper is None:
            raise ValidationError(f"No paper {arxiv.canonical_arxiv_id(value)} in the hub yet.")
        return paper

    def clean_video(self) -> Video | None:
        value = self.cleaned_data["video"].strip().strip("/").rsplit("/", 1)[-1]
        if not value:
            return None
        video = Video.objects.filter(slug=value).first()
        if video is None:
            raise ValidationError(f"No video “{value}” in the hub.")
        return video

    def clean(self) -> dict:
        """The note's own constraints (one subject at most), asked of the model so that the form shows their message
        beside any other error, without a copy of the rule here."""
        data = super().clean() or {}
        candidate = Note(
            paper=data.get("paper"),
            video=data.get("video"),
            source_url=data.get("source_url") or "",
            visibility=data.get("visibility") or Note.Visibility.PRIVATE,
        )
        candidate.clean()
        try:
            candidate.validate_constraints()
        except ValidationError as exc:
            self.add_error(None, exc)
        return data

    @classmethod
    def initial_for(cls, note: Note) -> dict:
        return {
            "title": note.title,
            "body": note.body,
            "paper": note.paper.arxiv_id if note.paper_id else "",
            "video": note.video.slug if note.video_id else "",
            "source_url": note.source_url,
            "source_title": note.source_title,
            "visibility": note.visibility,
        }


class NoteSearchForm(forms.Form):
    q = forms.CharField(label="Search my notes", required=False, max_length=200)


class ReasonForm(forms.Form):
    """Why a curator removes or restores a comment: required, since the public moderation log shows it."""

    reason = forms.CharField(
        max_length=500,
        strip=True,
        label="Reason",
        help_text="Shown in the public moderation log.",
        error_messages={"required": "Say why, for the moderation log."},
    )


class FlagForm(forms.Form):
    """A member's flag on a comment: why (services.comment_flag asks for words with "other")."""

    reason = forms.ChoiceField(label="What is wrong", choices=Flag.Reason.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Details",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for “Other”; curators read it, it is not public.",
    )


class ReviewForm(forms.Form):
    """A curator's decision on a flagged or held comment (services.comment_review)."""

    outcome = forms.ChoiceField(
        label="Decision",
        choices=[(str(s), s.label) for s in (Flag.Status.APPROVED, Flag.Status.REMOVED_SPAM, Flag.Status.REMOVED_RULE)],
        widget=forms.RadioSelect,
        initial=Flag.Status.APPROVED,
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=400,
        help_text="Shown in the public moderation log; name the rule when removing by rule.",
    )


class ErratumConfirmForm(forms.Form):
    """A curator's text of the erratum a member's report becomes: the report's own, as it may be edited first."""

    body = MarkdownField(
        noun="An erratum",
        max_length=MAX_COMMENT_LENGTH,
        label="The erratum",
        help_text="Markdown. Shown on the video's page at the report's time, and in its corrections feed.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Say what the erratum is."},
    )


class CorrectionFixedForm(forms.Form):
    """Where a correction was fixed: "fixed in v2", or a later video's address."""

    fixed_by = forms.CharField(
        max_length=500,
        required=False,
        strip=True,
        label="Fixed by",
        help_text="“fixed in v2”, or the address of the video that fixes it.",
    )
