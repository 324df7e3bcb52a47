"""Video and channel pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from videos.models import Channel, Video, VideoPaper

PAGE_SIZE = 25


@require_GET
def video_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Video.objects.for_listing().newest(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "videos/video_list.html", {"page": page})


@require_GET
def video_detail(request: HttpRequest, slug: str) -> HttpResponse:
    video = get_object_or_404(
        Video.objects.for_listing().prefetch_related(
            "chapters",
            "corrections",
            "tags",
            "code_links",
            Prefetch("paper_links", queryset=VideoPaper.objects.select_related("paper")),
        ),
        slug=slug,
    )
    return render(request, "videos/video_detail.html", {"video": video})


@require_GET
def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(Channel, slug=slug)
    page = Paginator(channel.videos.newest(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "videos/channel_detail.html", {"channel": channel, "page": page})
