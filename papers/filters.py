"""Filters of the papers API: the same choices as the search page, as django-filter declares them."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from hub.api_base import FilterSet
from papers.arxiv import author_key
from papers.models import Author, Paper
from papers.search import SearchFilters, Sort

ORDERINGS = {
    "newest": ("-published", "-arxiv_id"),
    "oldest": ("published", "arxiv_id"),
    "discussed": ("-comment_count", "-published", "-arxiv_id"),
}
SEARCH_SORTS = {"newest": Sort.NEWEST, "discussed": Sort.DISCUSSED, "relevance": Sort.RELEVANCE}


def _category_codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in value.split(",") if code.strip())


class PaperFilter(FilterSet):
    """Without `q`, these filter the catalogue directly; with `q`, they go to papers.search with the words."""

    q = django_filters.CharFilter(
        method="skip",
        max_length=500,
        help_text="Words of a title, an author or an abstract, or an arXiv id or link (which finds that paper).",
    )
    category = django_filters.CharFilter(
        method="filter_category",
        max_length=300,
        help_text="arXiv categories, comma-separated (any of them); end with a dot for a whole archive: `cs.`",
    )
    year_from = django_filters.NumberFilter(
        field_name="published", lookup_expr="year__gte", min_value=1991, max_value=2100, help_text="First year."
    )
    year_to = django_filters.NumberFilter(
        field_name="published", lookup_expr="year__lte", min_value=1991, max_value=2100, help_text="Last year."
    )
    author = django_filters.CharFilter(
        method="filter_author", max_length=200, help_text="Words of an author's name (every word must match)."
    )
    has_video = django_filters.BooleanFilter(
        method="filter_has_video", help_text="Only papers explained in a video (true) or without one (false)."
    )
    ordering = django_filters.ChoiceFilter(
        method="skip",
        choices=[(name, name) for name in ("newest", "oldest", "discussed", "relevance")],
        empty_label=None,
        help_text="newest (the default), oldest, discussed (most comments), relevance (with `q`; its default).",
    )

    class Meta:
        model = Paper
        fields: list[str] = []

    def skip(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # used by the view itself (`q` goes to papers.search, `ordering` to order_by)

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for code in _category_codes(value):
            condition |= Q(category__code__startswith=code) if code.endswith(".") else Q(category_id=code)
        if not condition:
            return queryset
        return queryset.filter(Exists(Paper.categories.through.objects.filter(condition, paper_id=OuterRef("pk"))))

    def filter_author(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(author_names__icontains=word)
        return queryset

    def filter_has_video(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        explained = Exists(Paper.videos.through.objects.filter(paper_id=OuterRef("pk")))
        return queryset.filter(explained if value else ~explained)

    # --- What the view reads after validation ---

    @property
    def query(self) -> str:
        return (self.form.cleaned_data.get("q") or "").strip()

    def ordering_fields(self) -> tuple[str, ...]:
        return ORDERINGS.get(self.form.cleaned_data.get("ordering") or "newest", ORDERINGS["newest"])

    def search_sort(self) -> Sort:
        return SEARCH_SORTS.get(self.form.cleaned_data.get("ordering") or "relevance", Sort.NEWEST)

    def search_filters(self) -> SearchFilters:
        data = self.form.cleaned_data
        return SearchFilters(
            categories=_category_codes(data.get("category") or ""),
            year_from=int(data["year_from"]) if data.get("year_from") is not None else None,
            year_to=int(data["year_to"]) if data.get("year_to") is not None else None,
            author=data.get("author") or "",
            has_video=data.get("has_video"),
        )


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
