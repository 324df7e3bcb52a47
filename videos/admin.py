"""Curator admin for channels and videos with their chapters, corrections and papers."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import path

from shared.numbers import whole_number
from videos import admin_import
from videos.description import MAX_TIMESTAMP_SECONDS, format_timestamp, parse_timestamp
from videos.models import Channel, Chapter, CodeLink, Correction, Tag, Video, VideoPaper


class TimestampField(forms.Field):
    """A time into a video as people write it: "7:50", "1:02:03", or plain seconds ("470"); shown as h:mm:ss.

    What was typed stays in the box with the error, as with any form field, so a slip is fixed, not retyped.
    """

    widget = forms.TextInput(attrs={"size": 9, "placeholder": "m:ss", "inputmode": "numeric"})
    default_error_messages = {
        "invalid": "Write the time as m:ss (7:50), h:mm:ss (1:02:03) or seconds (470), not “%(value)s”.",
        "too_long": f"A time goes up to {format_timestamp(MAX_TIMESTAMP_SECONDS)}.",
    }

    def to_python(self, value) -> int | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        seconds = whole_number(text)
        if seconds is None:
            try:
                seconds = parse_timestamp(text)
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": text}
                ) from None
        if seconds > MAX_TIMESTAMP_SECONDS:
            raise forms.ValidationError(self.error_messages["too_long"], code="too_long")
        return seconds

    def prepare_value(self, value):
        # A stored number of seconds is shown as a timestamp; what a curator typed is shown as typed.
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_TIMESTAMP_SECONDS:
            return format_timestamp(value)
        return value


class ChapterForm(forms.ModelForm):
    start = TimestampField(help_text="From the start of the video: 7:50, 1:02:03 or seconds.")

    class Meta:
        model = Chapter
        fields = ["start", "title"]


class CorrectionForm(forms.ModelForm):
    at = TimestampField(required=False, help_text="Where in the video, when known: 7:50, 1:02:03 or seconds.")

    class Meta:
        model = Correction
        fields = ["kind", "at", "body", "position", "status", "fixed_by"]


class ChapterInline(admin.TabularInline):
    model = Chapter
    form = ChapterForm
    extra = 1
    ordering = ["start"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    form = CorrectionForm
    extra = 0
    fields = ["kind", "at", "body", "position", "status", "fixed_by", "report"]
    readonly_fields = ["report"]


class VideoPaperInline(admin.TabularInline):
    model = VideoPaper
    extra = 1
    autocomplete_fields = ["paper"]


class CodeLinkInline(admin.TabularInline):
    model = CodeLink
    extra = 0
    fields = ["url", "position", "warning"]
    readonly_fields = ["warning"]

    @admin.display(description="Warning")
    def warning(self, link: CodeLink) -> str:
        if link.pk and link.cut_short:
            return "⚠ Cut short by the description: not a working link; pages show it as text. Put the full address."
        return ""


class CutShortCodeLinkFilter(admin.SimpleListFilter):
    """Videos whose code links were imported cut short ("https://github.com/facebookresearch/t...")."""

    title = "code link cut short"
    parameter_name = "code_link_cut_short"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Yes: needs the full address"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        cut_short = Exists(CodeLink.objects.cut_short().filter(video=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(cut_short)
        if self.value() == "no":
            return queryset.filter(~cut_short)
        return queryset


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    # Import page: a curator pastes what they have, the same import as the command runs.
    change_list_template = "admin/videos/video/change_list.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(partial(admin_import.import_view, self))
        return [path("import/", view, name="videos_video_import"), *super().get_urls()]

    list_display = ["title", "channel", "published", "duration", "comment_count"]
    list_filter = ["channel", "published", "tags", CutShortCodeLinkFilter]
    search_fields = ["title", "summary", "chapters__title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["channel", "tags"]
    readonly_fields = ["comment_count", "created_at", "modified_at"]
    list_select_related = ["channel"]
    inlines = [ChapterInline, CorrectionInline, VideoPaperInline, CodeLinkInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
