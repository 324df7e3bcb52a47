"""The papers list's filters and sorts, read from the query string: one place for the page and its links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import QueryDict

from papers.models import Paper, PaperQuerySet

# Sort key -> (label, ordering). Every ordering ends in a unique column so pages never overlap.
SORTS = {
    "newest": ("Newest first", ("-published", "-arxiv_id")),
    "oldest": ("Oldest first", ("published", "arxiv_id")),
    "updated": ("Recently updated", ("-updated", "-arxiv_id")),
    "discussed": ("Most discussed", ("-comment_count", "-published", "-arxiv_id")),
}
MIN_YEAR = 1991  # arXiv opened in August 1991


def video_links_of_paper():
    """Exists(...) for "some video explains this paper", without papers importing the videos app."""
    link_model = Paper._meta.get_field("video_links").related_model
    return Exists(link_model.objects.filter(paper=OuterRef("pk")))


@dataclass(frozen=True)
class PaperFilters:
    category: str = ""
    year: int | None = None
    has_video: bool = False
    sort: str = "newest"

    @classmethod
    def from_query(cls, query: QueryDict) -> PaperFilters:
        """Read filters leniently: a value the hub does not understand is ignored, never an error page."""
        year_text = query.get("year", "").strip()
        year = int(year_text) if year_text.isdigit() else None
        if year is not None and not MIN_YEAR <= year <= datetime.date.today().year + 1:
            year = None
        sort = query.get("sort", "newest")
        return cls(
            category=query.get("category", "").strip()[:32],
            year=year,
            has_video=query.get("video") in {"1", "on", "yes"},
            sort=sort if sort in SORTS else "newest",
        )

    @property
    def active(self) -> bool:
        return bool(self.category or self.year or self.has_video)

    def apply(self, papers: PaperQuerySet) -> PaperQuerySet:
        if self.category:
            papers = papers.filter(categories__code=self.category)
        if self.year:
            papers = papers.filter(published__year=self.year)
        if self.has_video:
            papers = papers.filter(video_links_of_paper())
        return papers.order_by(*SORTS[self.sort][1])
