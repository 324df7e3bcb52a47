"""Reading-note pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from comments.models import Note


@require_GET
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's private note is a 404, so that its existence does not leak.
    note = get_object_or_404(Note.objects.visible_to(request.user).select_related("owner", "paper", "video"), pk=pk)
    return render(request, "comments/note_detail.html", {"note": note})


@require_GET
@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    notes = Note.objects.filter(owner=request.user).select_related("paper", "video")
    return render(request, "comments/note_list.html", {"notes": notes})
