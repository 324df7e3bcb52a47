"""Channels, videos, chapters and corrections in the API; curators write through the same serializers."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shared.api import full_clean_with
from shared.urls import list_url, url_for
from videos.models import Channel, Chapter, Correction, Video, VideoPaper


class _CleanedModelSerializer(serializers.ModelSerializer):
    """Runs the model's own validation, so a constraint the database enforces answers 400, never 500."""

    def validate(self, attrs: dict) -> dict:
        full_clean_with(self.Meta.model, attrs, instance=self.instance)
        return attrs


class ChannelSerializer(_CleanedModelSerializer):
    website = serializers.URLField(source="url", max_length=500, required=False, allow_blank=True)
    owner = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Who speaks for it."
    )
    url = serializers.SerializerMethodField()
    videos_url = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = ["slug", "name", "description", "website", "owner", "url", "videos_url"]

    def get_url(self, channel: Channel) -> str:
        return url_for("channel-detail", channel.slug)

    def get_videos_url(self, channel: Channel) -> str:
        return list_url("video-list", channel=channel.slug)


class VideoPaperRefSerializer(serializers.ModelSerializer):
    arxiv_id = serializers.CharField(source="paper.arxiv_id")
    title = serializers.CharField(source="paper.title")
    url = serializers.SerializerMethodField()

    class Meta:
        model = VideoPaper
        fields = ["arxiv_id", "title", "role", "url"]

    def get_url(self, link: VideoPaper) -> str:
        return url_for("paper-detail", link.paper.arxiv_id)


class ChapterSerializer(_CleanedModelSerializer):
    video = serializers.SlugRelatedField(slug_field="slug", queryset=Video.objects.all())

    class Meta:
        model = Chapter
        fields = ["id", "video", "start", "title"]


class CorrectionSerializer(_CleanedModelSerializer):
    video = serializers.SlugRelatedField(slug_field="slug", queryset=Video.objects.all())
    body_html = serializers.CharField(read_only=True, help_text="The body rendered from markdown and sanitised.")
    report = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The member's erratum report (a comment) a curator confirmed."
    )

    class Meta:
        model = Correction
        fields = [
            "id",
            "video",
            "kind",
            "body",
            "body_html",
            "at",
            "position",
            "status",
            "report",
            "fixed_by",
            "created_at",
            "confirmed_at",
            "fixed_at",
        ]
        read_only_fields = ["created_at", "confirmed_at", "fixed_at"]


class _VideoChapterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Chapter
        fields = ["id", "start", "title"]


class _VideoCorrectionSerializer(serializers.ModelSerializer):
    report = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The member's erratum report (a comment) a curator confirmed."
    )

    class Meta:
        model = Correction
        fields = ["id", "kind", "body", "body_html", "at", "status", "report", "fixed_by"]


class PublishedField(serializers.DateTimeField):
    """An ISO 8601 time kept in its own UTC offset both ways ("2021-05-26T18:00:00-07:00"), as the feed gave it:
    its date is the day the episode came out where it was announced (a time without offset is read as UTC)."""

    def enforce_timezone(self, value):
        return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


class VideoSerializer(_CleanedModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="slug", queryset=Channel.objects.all())
    published = PublishedField(
        source="published_local",
        required=False,
        allow_null=True,
        help_text="When the episode came out, in the UTC offset its feed gave (the date part is the day shown).",
    )
    watch_url = serializers.URLField(source="url", max_length=500, required=False, allow_blank=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    papers = VideoPaperRefSerializer(many=True, read_only=True, source="paper_links")
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Video
        fields = [
            "slug",
            "title",
            "channel",
            "published",
            "duration",
            "youtube_id",
            "watch_url",
            "audio_url",
            "comment_count",
            "tags",
            "papers",
            "url",
            "html_url",
        ]
        read_only_fields = ["youtube_id", "comment_count"]

    def get_url(self, video: Video) -> str:
        return url_for("video-detail", video.slug)

    def get_html_url(self, video: Video) -> str:
        return video.get_absolute_url()


class VideoDetailSerializer(VideoSerializer):
    chapters = _VideoChapterSerializer(many=True, read_only=True, help_text="In order of their start.")
    corrections = _VideoCorrectionSerializer(many=True, read_only=True, help_text="Errata and addenda.")
    code_links = serializers.SerializerMethodField(help_text="Links to the video's code.")
    code_links_cut_short = serializers.SerializerMethodField(
        help_text='Code links the description cut short ("https://github.com/a/t..."): text, not working links.'
    )
    comments_url = serializers.SerializerMethodField()

    class Meta(VideoSerializer.Meta):
        fields = [
            *VideoSerializer.Meta.fields,
            "summary",
            "chapters",
            "corrections",
            "code_links",
            "code_links_cut_short",
            "comments_url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_code_links(self, video: Video) -> list[str]:
        return [link.url for link in video.code_links.all() if not link.cut_short]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_code_links_cut_short(self, video: Video) -> list[str]:
        return [link.url for link in video.code_links.all() if link.cut_short]

    def get_comments_url(self, video: Video) -> str:
        return list_url("comment-list", video=video.slug)


class VideoHighlightSerializer(serializers.Serializer):
    title_html = serializers.CharField(help_text="The title, HTML-escaped, with matched words in <mark>.")
    summary_html = serializers.CharField(allow_blank=True, help_text="An excerpt of the summary, words in <mark>.")
    chapter_html = serializers.CharField(allow_blank=True, help_text="Matching chapter titles, or empty.")


class VideoSearchHitSerializer(VideoSerializer):
    highlight = serializers.SerializerMethodField()

    class Meta(VideoSerializer.Meta):
        fields = [*VideoSerializer.Meta.fields, "highlight"]

    @extend_schema_field(VideoHighlightSerializer)
    def get_highlight(self, video: Video) -> dict:
        return self.context["highlights"][video.pk]


class VideoSearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Matching videos (a lower bound past the search's cap).")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = VideoSearchHitSerializer(many=True)
