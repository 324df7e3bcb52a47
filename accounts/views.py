"""Member accounts: sign-up and the public profile (log-in, log-out and passwords are Django's own views)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from accounts import claims
from comments.models import Comment, Note
from papers.models import Author

PROFILE_SIZE = 50


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        help_text="For resetting your password only; never shown to other members.",
        error_messages={"required": "Give an e-mail address, so that you can reset a forgotten password."},
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
        return redirect(next_url if next_url and safe else "home")
    return render(
        request, "registration/signup.html", {"form": form, "next": next_url}, status=400 if form.errors else 200
    )


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's public notes, newest first like a feed, and their newest comments: three queries."""
    member = get_object_or_404(get_user_model(), username=username, is_active=True)
    notes = Note.objects.feed().filter(owner=member).select_related("paper", "video")[:PROFILE_SIZE]
    comments = (
        Comment.objects.visible()
        .filter(author=member)
        .select_related("paper", "video")
        .order_by("-created_at", "-pk")[:PROFILE_SIZE]
    )
    return render(request, "accounts/profile.html", {"member": member, "notes": notes, "comments": comments})


class ClaimForm(forms.Form):
    evidence = forms.CharField(
        label="How can a curator tell it is you?",
        required=False,
        max_length=500,
        help_text="A homepage, an institutional address, an ORCID: whatever shows you wrote these papers.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def claim_author(request: HttpRequest, pk: int) -> HttpResponse:
    """A member claims to be this author of the catalogue; a curator approves or rejects it in the admin."""
    author = get_object_or_404(Author, pk=pk)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            claims.claim_author(member=request.user, author=author, evidence=form.cleaned_data["evidence"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect(author)
    context = {"form": form, "author": author}
    return render(request, "accounts/claim_author.html", context, status=400 if form.is_bound else 200)
