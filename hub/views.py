"""Site-wide pages: the home page and the health check."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comments.models import visible_q
from papers.models import Paper
from papers.reading import NOT_STUB, explained
from shared.pagecache import cache_for_visitors
from videos.models import Video

DISCUSSED_DAYS = 7


def most_discussed(since: datetime.datetime, limit: int = 5) -> list[tuple[int, Paper | Video]]:
    """Papers and videos with the most visible comments since `since`, most first: two queries.

    The join starts from the recent comments (indexed by date), so the cost follows this week's
    discussion, not the size of the catalogue.
    """
    visible = visible_q("comments__")
    papers = (
        Paper.objects.filter(visible, comments__created_at__gte=since)
        .annotate(recent=Count("comments"))
        .order_by("-recent", "-published", "pk")[:limit]
    )
    videos = (
        Video.objects.for_listing()
        .filter(visible, comments__created_at__gte=since)
        .annotate(recent=Count("comments"))
        .order_by("-recent", "pk")[:limit]
    )
    ranked = sorted([*papers, *videos], key=lambda item: -item.recent)
    return [(item.recent, item) for item in ranked[:limit]]


@require_GET
@cache_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - datetime.timedelta(days=DISCUSSED_DAYS)
    context = {
        # Not the stubs: their date is a placeholder until their metadata is fetched (papers.reading.dated_q).
        "papers": Paper.objects.for_listing().annotate(has_video=explained()).filter(NOT_STUB).newest()[:10],
        "videos": Video.objects.for_listing().newest()[:6],
        "discussed": most_discussed(since),
        "discussed_days": DISCUSSED_DAYS,
    }
    return render(request, "home.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache answer, 503 otherwise: for load balancers and monitors."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
