"""Video and channel pages."""

from __future__ import annotations

from django.urls import path

from shared.pagecache import cache_for_visitors
from videos import views
from videos.syndication import NewestVideosFeed, VideoCorrectionsFeed

app_name = "videos"

urlpatterns = [
    path("videos/", views.video_list, name="list"),
    path("videos/feed/", cache_for_visitors(NewestVideosFeed()), name="feed"),
    path("videos/<slug:slug>/", views.video_detail, name="detail"),
    path("videos/<slug:slug>/corrections/feed/", VideoCorrectionsFeed(), name="corrections_feed"),
    path("channels/<slug:slug>/", views.channel_detail, name="channel"),
]
