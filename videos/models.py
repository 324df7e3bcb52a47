"""Channels and their explainer videos: chapters, corrections, tags and the papers explained."""

from __future__ import annotations

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
    published = models.DateField(null=True, blank=True)
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
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("videos:detail", args=[self.slug])

    def watch_url(self, at: int = 0) -> str:
        """A plain link to the video at `at` seconds, usable without JavaScript."""
        if self.youtube_id:
            return f"https://www.youtube.com/watch?v={self.youtube_id}&t={at}s"
        if self.url:
            return f"{self.url}#t={at}"
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
    """An erratum or addendum the channel published for a video, optionally at a time in it."""

    class Kind(models.TextChoices):
        ERRATUM = "erratum", "Erratum"
        ADDENDUM = "addendum", "Addendum"

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    at = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds into the video, when known.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["video", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["erratum", "addendum"]), name="correction_kind_valid"),
            models.CheckConstraint(condition=Q(at__isnull=True) | Q(at__gte=0), name="correction_at_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.body[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)
