"""Atom feed of the newest papers, for feed readers: /papers/feed/."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from papers.models import Paper
from papers.reading import NOT_STUB

FEED_SIZE = 50


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class NewestPapersFeed(Feed):
    feed_type = Atom1Feed
    title = "Paper Hub: newest papers"
    subtitle = "The newest machine-learning papers on Paper Hub."
    link = reverse_lazy("papers:list")
    feed_url = reverse_lazy("papers:feed")

    def items(self) -> list[Paper]:
        # Stubs are not new papers: their date is a placeholder until their metadata is fetched.
        return list(Paper.objects.with_authors().filter(NOT_STUB).newest()[:FEED_SIZE])

    def item_title(self, item: Paper) -> str:
        return item.title

    def item_description(self, item: Paper) -> str:
        return item.abstract

    def item_author_name(self, item: Paper) -> str:
        return item.author_names or ", ".join(a.name for a in item.ordered_authors)

    def item_pubdate(self, item: Paper) -> datetime.datetime:
        return _midnight(item.published)

    def item_updateddate(self, item: Paper) -> datetime.datetime:
        return _midnight(item.updated)

    def item_categories(self, item: Paper) -> list[str]:
        return [item.primary_category_id] if item.primary_category_id else []
