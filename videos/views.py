"""Video and channel pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from papers.models import Authorship
from shared.numbers import whole_number
from shared.pagecache import cache_for_visitors
from shared.paging import window
from videos.models import Channel, Correction, Video, VideoPaper
from videos.outline import build_outline

PAGE_SIZE = 24


@require_GET
@cache_for_visitors
def video_list(request: HttpRequest) -> HttpResponse:
    page = window(Video.objects.for_listing().newest(), request, PAGE_SIZE)
    return render(request, "videos/video_list.html", {"page": page})


@require_GET
def video_detail(request: HttpRequest, slug: str) -> HttpResponse:
    video = get_object_or_404(
        Video.objects.for_listing().prefetch_related(
            "chapters",
            # Each correction with the report it came from and its author (one join): "reported by" for free.
            Prefetch("corrections", queryset=Correction.objects.select_related("report__author")),
            "tags",
            "code_links",
            # The papers explained, each with its authors in order: three queries for any number of papers.
            Prefetch("paper_links", queryset=VideoPaper.objects.select_related("paper__primary_category")),
            Prefetch(
                "paper_links__paper__authorships",
                queryset=Authorship.objects.select_related("author").order_by("position"),
            ),
        ),
        slug=slug,
    )
    start = request.GET.get("t", "")
    context = {
        "video": video,
        # ?t=SECONDS (a chapter linked from a paper page) starts the embedded player there.
        "start": whole_number(start) or 0,
        "outline": build_outline(list(video.chapters.all()), list(video.corrections.all())),
        "paper_links": list(video.paper_links.all()),
    }
    return render(request, "videos/video_detail.html", context)


@require_GET
@cache_for_visitors
def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(Channel, slug=slug)
    page = window(channel.videos.for_listing().newest(), request, PAGE_SIZE)
    return render(request, "videos/channel_detail.html", {"channel": channel, "page": page})
