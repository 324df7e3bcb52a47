"""The inbox of notifications, its settings, and the watch and mute buttons (issue 13): member pages and forms.

Every write is a plain POST through comments.services that redirects back, as the discussion's forms are.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comments import notifications, services
from comments.models import Comment, Watch
from papers.models import Paper
from shared.paging import window
from videos.models import Video

INBOX_PAGE_SIZE = 25
WATCHABLE = {"paper": Paper, "video": Video, "comment": Comment}


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The member's notifications, unread first, then newest: two queries (the page and its count)."""
    page = window(notifications.inbox(request.user), request, INBOX_PAGE_SIZE)
    return render(request, "comments/inbox.html", {"page": page})


@require_POST
@login_required
def inbox_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one notification read (`pk`, the member's own), or all of them."""
    services.notifications_mark_read(user=request.user, pks=None if pk is None else [pk])
    return redirect(_back(request, fallback="comments:inbox"))


class NotificationSettingsForm(forms.Form):
    email = forms.BooleanField(
        required=False,
        label="Also e-mail me each notification",
        help_text="Sent to the address of your account; it names who wrote and where, with a link, never the text.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, initial={"email": notifications.email_wanted(request.user)})
    if request.method == "POST" and form.is_valid():
        services.notification_email_set(user=request.user, email=form.cleaned_data["email"])
        wanted = form.cleaned_data["email"]
        messages.success(request, "Saved: you will get e-mails." if wanted else "Saved: no e-mails.")
        return redirect("comments:notification_settings")
    return render(request, "comments/notification_settings.html", {"form": form, "has_email": bool(request.user.email)})


@require_POST
@login_required
def watch(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Watch, mute or forget a paper, a video or a thread (`state`: watch, mute, or empty)."""
    model = WATCHABLE.get(kind)
    if model is None:
        raise Http404("Only papers, videos and threads are watched.")
    subject = get_object_or_404(model, pk=pk)
    state = request.POST.get("state") or None
    if state not in (None, *Watch.State.values):
        state = None
    services.watch_set(user=request.user, state=state, **{kind: subject})
    fallback = subject.get_permalink() if isinstance(subject, Comment) else subject.get_absolute_url()
    return redirect(_back(request, fallback=fallback))


def _back(request: HttpRequest, *, fallback: str) -> str:
    """Where a form came from (`next`, on this site only), or `fallback`."""
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    return next_url if next_url and safe else fallback
