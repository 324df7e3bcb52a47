"""Member accounts: sign-up and the public profile."""

from __future__ import annotations

from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from comments.models import Comment, Note


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(get_user_model(), username=username, is_active=True)
    notes = Note.objects.feed().filter(owner=member).select_related("paper", "video")[:50]
    comments = (
        Comment.objects.filter(author=member, deleted_at=None, removed_at=None)
        .select_related("paper", "video")
        .order_by("-created_at")[:50]
    )
    return render(request, "hub/profile.html", {"member": member, "notes": notes, "comments": comments})
