"""The papers list without search words: its orders, and the "has a video" mark on each card.

Filters and words go through papers.search (the same form drives both pages); this module is the plain list.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from papers.models import Paper, PaperQuerySet
from papers.search import Sort

# Every order ends in a unique column, so consecutive pages never overlap or skip a paper.
ORDERINGS = {
    Sort.DISCUSSED: ("-comment_count", "-published", "-arxiv_id"),
    Sort.NEWEST: ("-published", "-arxiv_id"),
}


def listing_order(papers: PaperQuerySet, sort: Sort) -> PaperQuerySet:
    """`papers` in the reader's order; relevance means nothing without words, so it lists newest first."""
    return papers.order_by(*ORDERINGS.get(sort, ORDERINGS[Sort.NEWEST]))


def video_links_of_paper() -> Exists:
    """Exists(...) for "some video explains this paper", without papers importing the videos app."""
    link_model = Paper._meta.get_field("video_links").related_model
    return Exists(link_model.objects.filter(paper=OuterRef("pk")))
