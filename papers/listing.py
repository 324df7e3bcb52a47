"""The papers list without search words, in any of the reading orders, with the "has a video" mark on each card.

Filters and words go through papers.search (the same form drives both pages); this module is the plain list.
"""

from __future__ import annotations

from papers.models import Paper
from papers.reading import ORDERINGS, Sort, dated_q, explained
from shared.paging import Window, page_of


def paper_page(sort: Sort, number: int, per_page: int) -> Window:
    """Page `number` of every paper in `sort` order (relevance means nothing without words: newest first).

    Two queries in every order: the page's rows, read in order from the index that matches it (paper_newest_idx
    or paper_discussed_idx), and their authors. Orders by date leave out stubs, whose date is a placeholder.
    """
    papers = Paper.objects.for_listing().annotate(has_video=explained()).filter(dated_q(sort))
    return page_of(papers.order_by(*ORDERINGS[sort]), number, per_page)
