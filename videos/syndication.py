"""Atom feeds of the newest explainer videos (/videos/feed/) and of each video's corrections
(/videos/<slug>/corrections/feed/); videos/incoming.py reads channel feeds for imports."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from videos.description import format_timestamp
from videos.models import Correction, Video

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


class VideoCorrectionsFeed(Feed):
    """A video's errata and addenda, newest first, each with its status (reported, confirmed, fixed):
    /videos/<slug>/corrections/feed/. An entry is updated when the correction is confirmed or fixed."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Video:
        return get_object_or_404(Video.objects.select_related("channel"), slug=slug)

    def title(self, obj: Video) -> str:
        return f"Corrections of “{obj.title}”"

    def subtitle(self, obj: Video) -> str:
        return f"Errata and addenda of {obj.channel.name}'s video on Paper Hub, with their status."

    def link(self, obj: Video) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Video) -> str:
        return reverse("videos:corrections_feed", args=[obj.slug])

    def items(self, obj: Video) -> list[Correction]:
        rows = obj.corrections.select_related("report__author").order_by("-created_at", "-pk")
        return list(rows[:FEED_SIZE])

    def item_title(self, item: Correction) -> str:
        at = f" at {format_timestamp(item.at)}" if item.at is not None else ""
        return f"{item.get_kind_display()}{at} ({item.get_status_display().lower()})"

    def item_description(self, item: Correction) -> str:
        parts = [item.body_html, f"<p>Status: {escape(item.get_status_display().lower())}</p>"]
        if item.report_id is not None:
            who = item.report.author.get_username() if item.report.author_id else "a former member"
            parts.append(f"<p>Reported by {escape(who)}.</p>")
        if item.fixed_by:
            parts.append(f"<p>Fixed: {escape(item.fixed_by)}</p>")
        return "".join(parts)

    def item_link(self, item: Correction) -> str:
        return f"{item.video.get_absolute_url()}#correction-{item.pk}"

    def item_guid(self, item: Correction) -> str:
        return f"{item.video.get_absolute_url()}#correction-{item.pk}"

    def item_pubdate(self, item: Correction) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Correction) -> datetime.datetime:
        return max(moment for moment in (item.created_at, item.confirmed_at, item.fixed_at) if moment is not None)

    def item_categories(self, item: Correction) -> list[str]:
        return [item.kind, item.status]
