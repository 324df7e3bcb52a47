"""The papers list without search words: its orders, and the "has a video" mark on each card.

Filters and words go through papers.search (the same form drives both pages); this module is the plain list.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects

from hub.paging import Window
from papers.models import Authorship, Paper, PaperQuerySet
from papers.search import Sort

NEWEST = ("-published", "-arxiv_id")
DISCUSSED = ("-comment_count", "-published", "-arxiv_id")


def video_links_of_paper() -> Exists:
    """Exists(...) for "some video explains this paper", without papers importing the videos app."""
    link_model = Paper._meta.get_field("video_links").related_model
    return Exists(link_model.objects.filter(paper=OuterRef("pk")))


def _slice(queryset: PaperQuerySet, start: int, count: int) -> list[Paper]:
    # Always one query, even for nothing, so that a page costs the same however the rows fall.
    return list(queryset[start : start + max(count, 1)])[:count]


def paper_page(sort: Sort, number: int, per_page: int) -> Window:
    """Page `number` of every paper in `sort` order (relevance means nothing without words: newest first).

    Newest first walks the (published, arxiv_id) index: 2 queries. Most discussed would sort the whole
    catalogue on every visit, as nearly every paper ties at no comments; so it lists the discussed papers (few,
    found through the comment_count index) and then the rest newest first, which is the same order:
    4 queries (a count of the discussed, each part, the authors).
    """
    papers = Paper.objects.select_related("primary_category").annotate(has_video=video_links_of_paper())
    start, wanted = (number - 1) * per_page, per_page + 1
    if sort != Sort.DISCUSSED:
        rows = list(papers.order_by(*NEWEST)[start : start + wanted])
    else:
        discussed = papers.filter(comment_count__gt=0)
        total_discussed = discussed.count()
        rows = _slice(discussed.order_by(*DISCUSSED), min(start, total_discussed), wanted)
        quiet_start = max(start - total_discussed, 0)
        rows += _slice(papers.filter(comment_count=0).order_by(*NEWEST), quiet_start, wanted - len(rows))
    items = rows[:per_page]
    # The authors of the page in one query, as PaperQuerySet.with_authors() would fetch them.
    authors = Prefetch("authorships", queryset=Authorship.objects.select_related("author").order_by("position"))
    prefetch_related_objects(items, authors)
    return Window(items=items, number=number, has_next=len(rows) > per_page)
