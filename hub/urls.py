"""Root URLconf: pages, accounts, admin and operations."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from comments.feeds import MemberNotesFeed, PaperDiscussionFeed
from hub import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # A paper's discussion feed: here, not in papers/urls.py, because papers sits below comments.
    path("papers/<path:arxiv_id>/feed/", PaperDiscussionFeed(), name="paper-discussion-feed"),
    path("papers/", include("papers.urls")),
    path("authors/", include("papers.author_urls")),
    path("", include("videos.urls")),
    path("", include("comments.urls")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("u/<str:username>/", accounts.profile, name="profile"),
    path("u/<str:username>/feed/", MemberNotesFeed(), name="profile-feed"),
    path("admin/", admin.site.urls),
]
