"""Paper pages. Old-style ids keep their slash: /papers/hep-th/9901001/."""

from __future__ import annotations

from django.urls import path

from papers import views
from papers.syndication import NewestPapersFeed
from shared.pagecache import cache_for_visitors

app_name = "papers"

urlpatterns = [
    path("", views.paper_list, name="list"),
    path("feed/", cache_for_visitors(NewestPapersFeed()), name="feed"),
    path("<arxiv:arxiv_id>/", views.paper_detail, name="detail"),
]
