"""Paper and video search: the one entry point that pages and the API share.

This first version matches words with case-insensitive containment on both databases; the full-text
backends (PostgreSQL tsvector, SQLite FTS5) replace `_match_papers` and `_match_videos` without
changing the interface below.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from papers import arxiv
from papers.models import Paper

MAX_QUERY_LENGTH = 500  # longer input is cut, not refused: a pasted paragraph still searches
MAX_PER_PAGE = 100


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    DISCUSSED = "discussed"


@dataclass(frozen=True)
class SearchFilters:
    categories: tuple[str, ...] = ()  # any of these (prefix "cs." matches the archive)
    year_from: int | None = None
    year_to: int | None = None
    author: str = ""  # words of an author's name
    has_video: bool | None = None
    has_discussion: bool | None = None


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    rank: float | None
    title_html: SafeString  # the title, escaped, with matches in <mark>
    abstract_html: SafeString  # a short excerpt of the abstract, escaped, with matches in <mark>


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    page: int = 1
    per_page: int = 25
    has_next: bool = False
    total: int | None = None  # exact count when it is cheap to know
    total_is_lower_bound: bool = False  # "more than `total`"
    paper: Paper | None = None  # the query was an arXiv id or link of a paper the hub holds
    missing_arxiv_id: str = ""  # the query was a valid arXiv id the hub does not hold
    message: str = ""  # why there are no results, for the reader (e.g. a malformed arXiv id)
    fuzzy: bool = False  # results come from the typo-tolerant fallback


def _terms(query: str) -> list[str]:
    return [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1][:20]


def _highlight(text: str, terms: list[str], *, limit: int | None = None) -> SafeString:
    if limit is not None and len(text) > limit:
        lowered = text.lower()
        starts = [i for i in (lowered.find(t) for t in terms) if i >= 0]
        start = max(0, min(starts) - limit // 4) if starts else 0
        text = ("…" if start else "") + text[start : start + limit] + "…"
    html = escape(text)
    for term in sorted(set(terms), key=len, reverse=True):
        html = re.sub(rf"(?i)\b({re.escape(escape(term))})", r"<mark>\1</mark>", html)
    return mark_safe(html)  # built from escaped text only


def _filtered(queryset: QuerySet, filters: SearchFilters) -> QuerySet:
    if filters.categories:
        condition = Q()
        for code in filters.categories:
            condition |= Q(category__code__startswith=code) if code.endswith(".") else Q(category_id=code)
        links = Paper.categories.through.objects.filter(condition, paper_id=OuterRef("pk"))
        queryset = queryset.filter(Exists(links))
    if filters.year_from is not None:
        queryset = queryset.filter(published__year__gte=filters.year_from)
    if filters.year_to is not None:
        queryset = queryset.filter(published__year__lte=filters.year_to)
    for word in _terms(filters.author):
        queryset = queryset.filter(author_names__icontains=word)
    if filters.has_video is not None:
        explained = Exists(Paper.videos.through.objects.filter(paper_id=OuterRef("pk")))
        queryset = queryset.filter(explained if filters.has_video else ~explained)
    if filters.has_discussion is not None:
        queryset = queryset.filter(comment_count__gt=0) if filters.has_discussion else queryset.filter(comment_count=0)
    return queryset


def _match_papers(queryset: QuerySet, terms: list[str]) -> QuerySet:
    for term in terms:
        queryset = queryset.filter(
            Q(title__icontains=term) | Q(author_names__icontains=term) | Q(abstract__icontains=term)
        )
    return queryset


def search_papers(
    query: str,
    *,
    filters: SearchFilters | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = 25,
) -> SearchResults:
    """Papers matching `query` and `filters`, one page of them, with highlighted title and abstract.

    A query that is an arXiv id or link (any form papers.arxiv accepts) answers with `paper` set, or with
    `missing_arxiv_id` when the hub does not hold it. Never raises on user input.
    """
    filters = filters or SearchFilters()
    query = (query or "")[:MAX_QUERY_LENGTH].strip()
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    results = SearchResults(query=query, page=page, per_page=per_page)

    if query and arxiv.looks_like_arxiv_reference(query):
        try:
            arxiv_id = arxiv.canonical_arxiv_id(query)
        except arxiv.InvalidArxivId as exc:
            results.message = f"That looks like an arXiv id, but {exc}."
            return results
        results.paper = Paper.objects.filter(arxiv_id=arxiv_id).first()
        if results.paper is None:
            results.missing_arxiv_id = arxiv_id
        else:
            results.hits = [SearchHit(results.paper, None, _highlight(results.paper.title, []), mark_safe(""))]
            results.total = 1
        return results

    terms = _terms(query)
    queryset = _filtered(Paper.objects.all(), filters)
    if query and not terms:
        results.message = "Type a word or two of a title, an author's name, or an arXiv id."
        return results
    queryset = _match_papers(queryset, terms)
    if sort == Sort.DISCUSSED:
        queryset = queryset.order_by("-comment_count", "-published", "-arxiv_id")
    else:
        queryset = queryset.order_by("-published", "-arxiv_id")
    offset = (page - 1) * per_page
    rows = list(queryset.for_listing()[offset : offset + per_page + 1])
    results.has_next = len(rows) > per_page
    results.hits = [
        SearchHit(paper, None, _highlight(paper.title, terms), _highlight(paper.abstract, terms, limit=300))
        for paper in rows[:per_page]
    ]
    return results
