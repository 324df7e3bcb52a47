"""Atom feed of the newest explainer videos: /videos/feed/ (videos/incoming.py reads channel feeds for imports)."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from videos.models import Video

FEED_SIZE = 50


class NewestVideosFeed(Feed):
    feed_type = Atom1Feed
    title = "Paper Hub: newest videos"
    subtitle = "The newest paper explainer videos on Paper Hub."
    link = reverse_lazy("videos:list")
    feed_url = reverse_lazy("videos:feed")

    def items(self) -> list[Video]:
        return list(Video.objects.for_listing().newest()[:FEED_SIZE])

    def item_title(self, item: Video) -> str:
        return item.title

    def item_description(self, item: Video) -> str:
        return item.summary

    def item_author_name(self, item: Video) -> str:
        return item.channel.name

    def item_pubdate(self, item: Video) -> datetime.datetime:
        # The time in the offset its feed gave; a video without a date counts from when the hub learnt of it.
        return item.published_local or item.created_at
