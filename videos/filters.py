"""Filters of the videos, chapters and corrections API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from papers import arxiv
from papers.models import Paper
from shared.api import FilterSet
from videos.models import Chapter, Correction, Video


class VideoFilter(FilterSet):
    channel = django_filters.CharFilter(field_name="channel__slug", max_length=100, help_text="A channel's slug.")
    tag = django_filters.CharFilter(method="filter_tag", max_length=64, help_text="A tag, without '#'.")
    paper = django_filters.CharFilter(
        method="filter_paper", max_length=80, help_text="Videos about this paper (arXiv id in any accepted form)."
    )

    class Meta:
        model = Video
        fields: list[str] = []

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(tags__name=value.lstrip("#").lower())

    def filter_paper(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            return queryset.filter(paper_links__paper__in=Paper.objects.named(value))
        except arxiv.InvalidArxivId:
            return queryset.none()


class ChapterFilter(FilterSet):
    video = django_filters.CharFilter(field_name="video__slug", max_length=120, help_text="A video's slug.")

    class Meta:
        model = Chapter
        fields: list[str] = []


class CorrectionFilter(FilterSet):
    video = django_filters.CharFilter(field_name="video__slug", max_length=120, help_text="A video's slug.")
    kind = django_filters.ChoiceFilter(choices=Correction.Kind.choices)

    class Meta:
        model = Correction
        fields: list[str] = []
