"""Channels and their explainer videos: chapters, corrections, tags and the papers explained."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from papers.models import Paper
from shared.fields import URLField
from shared.markdown import render_markdown
from videos.description import CUT_SHORT_MARKS, is_cut_short

YOUTUBE_ID_RE = re.compile(
    r"(?:youtu\.be/|youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/|live/))([\w-]{11})"
)


def youtube_id_from_url(url: str) -> str:
    """The 11-character video id of a YouTube URL, or "" when the URL is not YouTube's."""
    match = YOUTUBE_ID_RE.search(url or "")
    return match.group(1) if match else ""


def publication_moment(value: datetime.date | None) -> tuple[datetime.datetime | None, int | None]:
    """An episode's publication as (aware moment, the UTC offset it was given in, in minutes).

    A feed gives a time with its offset ("Wed, 26 May 2021 18:00:00 -0700"): the moment is kept exactly and the
    offset beside it, because the database keeps only the moment (in UTC) and the day readers are shown is the
    day in that offset. A plain date (a feed text page, the demo, a curator's YYYY-MM-DD) is that day's midnight
    in UTC, offset 0, so it is shown as the day given; a naive time is read as UTC.
    """
    if value is None:
        return None, None
    if not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time.min, tzinfo=datetime.UTC), 0
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=datetime.UTC), 0
    offset = value.utcoffset()
    assert offset is not None
    return value, int(offset.total_seconds() // 60)


class Channel(models.Model):
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="channels",
        help_text="The member who speaks for the channel; their comments are marked as the creator's.",
    )
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    url = URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("videos:channel", args=[self.slug])


class Tag(models.Model):
    """A hashtag of a video description, stored without '#', lowercased."""

    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VideoQuerySet(models.QuerySet):
    def newest(self) -> VideoQuerySet:
        # A video whose date is unknown sorts last on both databases (PostgreSQL puts NULLs first).
        return self.order_by(models.F("published").desc(nulls_last=True), "-pk")

    def for_listing(self) -> VideoQuerySet:
        return self.select_related("channel")


class Video(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="videos")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    url = URLField(max_length=500, blank=True, help_text="Where the video is watched.")
    youtube_id = models.CharField(max_length=11, blank=True, help_text="Filled from the URL when it is YouTube's.")
    published = models.DateTimeField(
        null=True, blank=True, help_text="When the episode came out, as its feed says (a date alone is midnight UTC)."
    )
    published_offset = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="The UTC offset, in minutes, the feed gave the time in; pages show the day in that offset.",
    )
    audio_url = URLField(
        max_length=1000,
        blank=True,
        help_text="The episode's audio file (a podcast feed's enclosure), played on the page when there is no "
        "YouTube video.",
    )
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Length in seconds.")
    summary = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, related_name="videos", blank=True)
    papers = models.ManyToManyField(Paper, through="VideoPaper", related_name="videos", blank=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)

    objects = VideoQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-pk"]
        indexes = [models.Index(fields=["-published", "-id"], name="video_newest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__isnull=True) | Q(duration__gt=0), name="video_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.url and not self.youtube_id:
            self.youtube_id = youtube_id_from_url(self.url)
        self._settle_published()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("videos:detail", args=[self.slug])

    def _settle_published(self) -> None:
        """A date, a naive time or a time in some offset, given for `published`, stored as moment and offset."""
        value = self.published
        if value is None:
            self.published_offset = None
        elif not isinstance(value, datetime.datetime) or timezone.is_naive(value) or self.published_offset is None:
            self.published, self.published_offset = publication_moment(value)

    @property
    def published_local(self) -> datetime.datetime | None:
        """The publication time in the offset its feed gave it in (the day shown is this one's day).

        Pages are the same for every reader (and cached for visitors), so they cannot use the reader's own time
        zone, and the site's (UTC) moves an evening episode west of Greenwich to the next day: the feed's own
        offset gives the day the channel itself announced.
        """
        moment, offset = self.published, self.published_offset
        if moment is None:
            return None
        if not isinstance(moment, datetime.datetime) or timezone.is_naive(moment):
            moment, offset = publication_moment(moment)
        assert moment is not None
        if offset is None:
            offset = int((moment.utcoffset() or datetime.timedelta()).total_seconds() // 60)
        return moment.astimezone(datetime.timezone(datetime.timedelta(minutes=offset)))

    @published_local.setter
    def published_local(self, value: datetime.date | None) -> None:
        self.published, self.published_offset = publication_moment(value)

    @property
    def published_day(self) -> datetime.date | None:
        """The day the feed gave (see published_local)."""
        local = self.published_local
        return local.date() if local else None

    @property
    def playable(self) -> str:
        """What the page can play: "youtube" (the embedded player), "audio" (the feed's audio file) or ""."""
        if self.youtube_id:
            return "youtube"
        if self.audio_url:
            return "audio"
        return ""

    def watch_url(self, at: int = 0) -> str:
        """A plain link to the video at `at` seconds, usable without JavaScript; "" when nothing can be played.

        A podcast episode's audio plays on its own page, so its link is that page at the time (`?t=` starts the
        audio there). A page that only names the channel's site has nothing to seek: a time there is text.
        """
        if self.youtube_id:
            return f"https://www.youtube.com/watch?v={self.youtube_id}&t={at}s"
        if self.audio_url:
            return f"{self.get_absolute_url()}?t={at}#player"
        return ""


class VideoPaper(models.Model):
    class Role(models.TextChoices):
        EXPLAINED = "explained", "Paper explained"
        PREVIOUS = "previous", "Previous paper"
        MENTIONED = "mentioned", "Mentioned"

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="paper_links")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="video_links")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EXPLAINED)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["video", "position"]
        constraints = [
            models.UniqueConstraint(fields=["video", "paper"], name="videopaper_once_per_video"),
            models.CheckConstraint(
                condition=Q(role__in=["explained", "previous", "mentioned"]), name="videopaper_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["paper", "video"], name="videopaper_paper_idx")]

    def __str__(self) -> str:
        return f"{self.video_id} {self.role} {self.paper_id}"


def cut_short_q(field: str = "url") -> Q:
    """The links in `field` that a description cut short ("...", "…"): the rule of videos.description.is_cut_short."""
    condition = Q()
    for mark in CUT_SHORT_MARKS:
        condition |= Q(**{f"{field}__endswith": mark})
    return condition


class CodeLinkQuerySet(models.QuerySet):
    def cut_short(self) -> CodeLinkQuerySet:
        """Links kept as the description showed them, cut short: curators look up the full address."""
        return self.filter(cut_short_q())


class CodeLink(models.Model):
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="code_links")
    url = URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CodeLinkQuerySet.as_manager()

    class Meta:
        ordering = ["video", "position"]
        constraints = [models.UniqueConstraint(fields=["video", "url"], name="codelink_once_per_video")]

    def __str__(self) -> str:
        return self.url

    @property
    def cut_short(self) -> bool:
        """Whether the stored address is a description's shortened text ("https://github.com/a/t..."), not a link.

        Pages show it as text, the API lists it apart, the admin flags it (`CodeLink.objects.cut_short()`).
        """
        return is_cut_short(self.url)


class Chapter(models.Model):
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="chapters")
    start = models.PositiveIntegerField(help_text="Seconds from the start of the video.")
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["video", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="chapter_start_not_negative"),
            models.UniqueConstraint(fields=["video", "start"], name="chapter_start_unique_in_video"),
        ]

    def __str__(self) -> str:
        return f"{self.start}s {self.title}"


class Correction(models.Model):
    """An erratum or addendum of a video, optionally at a time in it: published by the channel (imported from its
    description), added by a curator, or a member's erratum report that a curator confirmed
    (comments.services.erratum_confirm), which `report` links back to."""

    class Kind(models.TextChoices):
        ERRATUM = "erratum", "Erratum"
        ADDENDUM = "addendum", "Addendum"

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        CONFIRMED = "confirmed", "Confirmed"
        FIXED = "fixed", "Fixed"

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    at = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds into the video, when known.")
    position = models.PositiveSmallIntegerField(default=0)
    # The channel's own errata and a curator's are confirmed when written; only erratum_confirm links a report.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    # A string reference: videos sits below comments and imports nothing of it. PROTECT, as every key into comments
    # is: comments are never deleted (a departing member's become placeholders).
    report = models.OneToOneField(
        "comments.Comment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="correction",
        help_text="The member's erratum report a curator confirmed as this correction.",
    )
    fixed_by = models.CharField(
        max_length=500, blank=True, help_text='Where it is fixed: "fixed in v2", or a later video\'s address.'
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    fixed_at = models.DateTimeField(null=True, blank=True, editable=False)
    fixed_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["video", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["erratum", "addendum"]), name="correction_kind_valid"),
            models.CheckConstraint(condition=Q(at__isnull=True) | Q(at__gte=0), name="correction_at_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["reported", "confirmed", "fixed"]), name="correction_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["video", "-created_at"], name="correction_feed_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.body[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.video.get_absolute_url()}#correction-{self.pk}"

    @property
    def fixed_by_url(self) -> str:
        """`fixed_by` when it is a web address (a later video), to link; "" when it is words ("fixed in v2")."""
        text = self.fixed_by.strip()
        return text if re.fullmatch(r"https?://\S+", text) else ""
