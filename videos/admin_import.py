"""The curator's import page in the admin: paste a video description, get the same import as `import_video`."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from videos.description import parse_duration
from videos.importers import PastedVideo, channel_named, import_video, read_description_text
from videos.models import Channel, Video


class VideoDescriptionForm(forms.Form):
    channel = forms.ModelChoiceField(Channel.objects.all(), required=False, help_text="An existing channel, or:")
    new_channel = forms.CharField(label="New channel", max_length=200, required=False)
    url = forms.URLField(label="Video URL", max_length=500, required=False, assume_scheme="https")
    title = forms.CharField(max_length=300, required=False, help_text="Taken from the episode header if empty.")
    published = forms.DateField(required=False, help_text="YYYY-MM-DD; taken from the episode header if empty.")
    duration = forms.CharField(label="Length", required=False, help_text="Such as 42:10 or 42min.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        help_text="The description as the video site shows it (OUTLINE, paper and code links, ERRATA/ADDENDUM); "
        "it may start with a feed episode header such as 'May 26, 2021 • 42min' and the title.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("channel") and not data.get("new_channel", "").strip():
            self.add_error("channel", "Choose a channel or name a new one.")
        if data.get("duration"):
            data["seconds"] = parse_duration(data["duration"])
            if data["seconds"] is None:
                self.add_error("duration", "Not a video length; write it like 42:10 or 42min.")
        if "description" in data:
            try:
                data["pasted"] = read_description_text(data["description"], duration=data.get("seconds"))
            except ValueError as exc:
                self.add_error("description", str(exc))
                return data
            if not (data.get("title") or data["pasted"].title):
                self.add_error("title", "Give the title (the description has no episode header with one).")
        return data


def import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: create or update the video and its chapters, corrections and paper links."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = VideoDescriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pasted: PastedVideo = data["pasted"]
        channel = data["channel"] or channel_named(data["new_channel"].strip())
        result = import_video(
            channel=channel,
            title=data["title"] or pasted.title,
            description=pasted.description,
            url=data["url"],
            published=data["published"] or pasted.published,
            duration=data.get("seconds") or pasted.duration,
        )
        state = "created" if result.created else "updated" if result.changed else "unchanged"
        messages.success(
            request,
            f"{result.video.title}: {state}; {len(pasted.description.chapters)} chapters, "
            f"{len(pasted.description.corrections)} corrections, {len(pasted.description.papers)} papers "
            f"({result.stubs_created} new stubs).",
        )
        for problem in pasted.description.problems:
            messages.warning(request, problem)
        return HttpResponseRedirect(reverse("admin:videos_video_change", args=[result.video.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Video._meta,
        "title": "Import a video from its description",
        "form": form,
    }
    return TemplateResponse(request, "admin/import_form.html", context)
