"""Atom feeds of the participating side. Included in the root URLconf before the papers pages, whose catch-all
arXiv id pattern would otherwise take /papers/<id>/feed/ (papers may not import comments, so it lives here)."""

from __future__ import annotations

from django.urls import path

from comments.syndication import MemberNotesFeed, PaperDiscussionFeed, PublicNotesFeed

urlpatterns = [
    path("papers/<arxiv:arxiv_id>/feed/", PaperDiscussionFeed(), name="paper-discussion-feed"),
    path("u/<str:username>/feed/", MemberNotesFeed(), name="profile-feed"),
    path("notes/public/feed/", PublicNotesFeed(), name="public-notes-feed"),
]
