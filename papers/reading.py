"""How papers are read: the filters and orders every list of papers shares, said once.

The search page, the plain papers list and the papers API all turn their parameters into a `SearchFilters` and a
`Sort` (papers.forms.PaperQueryForm does that for both the page and the API), and this module turns those into the
ORM's terms: `filters_q()` is the one definition of each filter, and papers.search compiles the same Q into its
full-text statements, so a filter cannot mean one thing in a search and another in a list.
"""

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from papers.models import Paper

WORD_RE = re.compile(r"[^\W_]+")  # letters and digits, as papers.search reads words
MAX_AUTHOR_WORDS = 16  # as many as papers.search reads of a query


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"  # with words; without, the newest first
    NEWEST = "newest"
    OLDEST = "oldest"
    DISCUSSED = "discussed"  # most comments, the explainer videos' included (Paper.discussion_count)


# Each order ends in arxiv_id, so that ties are broken the same way on every page; the first two follow the indexes
# paper_newest_idx and paper_discussed_idx column for column.
ORDERINGS: dict[Sort, tuple[str, ...]] = {
    Sort.NEWEST: ("-published", "-arxiv_id"),
    Sort.OLDEST: ("published", "arxiv_id"),
    Sort.DISCUSSED: ("-discussion_count", "-published", "-arxiv_id"),
}
ORDERINGS[Sort.RELEVANCE] = ORDERINGS[Sort.NEWEST]

# A stub (a paper known from a link, its metadata not fetched yet) carries a placeholder date, the first of the month
# its id encodes: it has no place in an order by date, and would otherwise be shown as one of the newest papers.
# Lists in these orders leave stubs out (their pages and the most-discussed order still show them, as waiting for
# their metadata); the condition is a filter on the index scan of paper_newest_idx, which skips the few stubs.
DATED_SORTS = frozenset({Sort.NEWEST, Sort.OLDEST, Sort.RELEVANCE})
NOT_STUB = Q(is_stub=False)


def dated_q(sort: Sort) -> Q:
    """The condition a list of papers in `sort` order adds: no stubs in an order by date."""
    return NOT_STUB if sort in DATED_SORTS else Q()


@dataclass(frozen=True)
class SearchFilters:
    """What a reader narrowed a list to. Category codes are as typed; an archive ends with a dot ("cs.")."""

    categories: tuple[str, ...] = ()  # any of these; letter case does not matter
    year_from: int | None = None
    year_to: int | None = None
    author: str = ""  # words of an author's name, each of which must match
    has_video: bool | None = None
    has_discussion: bool | None = None  # the paper's own comments or its explainer videos'


def explained() -> Exists:
    """Some video explains the paper (a row of videos' VideoPaper, the `videos` relation's through model)."""
    return Exists(Paper.videos.through.objects.filter(paper_id=OuterRef("pk")))


def _category_q(codes: tuple[str, ...]) -> Q:
    links = Paper.categories.through
    condition = Q()
    for code in codes:
        condition |= Q(category__code__istartswith=code) if code.endswith(".") else Q(category__code__iexact=code)
    return Q(Exists(links.objects.filter(condition, paper_id=OuterRef("pk"))))


def filters_q(filters: SearchFilters) -> Q:
    """The one definition of every filter, as a condition on papers_paper."""
    q = Q()
    if filters.categories:
        q &= _category_q(filters.categories)
    if filters.year_from is not None:
        q &= Q(published__gte=datetime.date(max(1, filters.year_from), 1, 1))
    if filters.year_to is not None:
        q &= Q(published__lte=datetime.date(min(9999, filters.year_to), 12, 31))
    for word in WORD_RE.findall(filters.author.lower())[:MAX_AUTHOR_WORDS]:
        q &= Q(author_names__icontains=word)
    if filters.has_video is not None:
        q &= Q(explained()) if filters.has_video else ~Q(explained())
    if filters.has_discussion is not None:
        q &= Q(discussion_count__gt=0) if filters.has_discussion else Q(discussion_count=0)
    return q
