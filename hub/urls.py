"""Root URLconf: pages, accounts, admin and operations."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts import tokens
from accounts import views as accounts
from hub import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("comments.feed_urls")),  # before papers: /papers/<arxiv id>/feed/, /u/<username>/feed/
    path("papers/", include("papers.urls")),
    path("authors/", include("papers.author_urls")),
    path("", include("videos.urls")),
    path("", include("comments.urls")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/claim/author/<int:pk>/", accounts.claim_author, name="claim_author"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("u/<str:username>/", accounts.profile, name="profile"),
    path("admin/", admin.site.urls),
]

# REST API: the versioned API, and the member's page for their API token.
urlpatterns += [
    path("api/v1/", include("hub.api")),
    path("accounts/tokens/", tokens.api_tokens, name="api-tokens"),
]
