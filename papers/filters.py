"""Filters of the authors API. (The papers API reads its parameters with the search page's own form,
papers.forms.SearchForm, so that the two cannot drift apart.)"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from papers.arxiv import author_key
from papers.models import Author
from shared.api import FilterSet


class AuthorFilter(FilterSet):
    name = django_filters.CharFilter(
        method="filter_name", max_length=200, help_text="Part of the name; accents and case do not matter."
    )

    class Meta:
        model = Author
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        key = author_key(value)
        return queryset.filter(key__contains=key) if key else queryset
