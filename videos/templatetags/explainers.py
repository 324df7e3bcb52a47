"""Template tags that put videos on papers' pages, which cannot import the videos app (it sits above papers)."""

from __future__ import annotations

from django import template

from videos.search import VideoSearchResults, search_videos

register = template.Library()

SEARCH_PAGE_VIDEOS = 5  # videos shown beside the first page of paper results


@register.simple_tag
def video_search(query: str, page: int) -> VideoSearchResults | None:
    """The explainer videos matching a paper search's words, beside its first page (two queries)."""
    return search_videos(query, per_page=SEARCH_PAGE_VIDEOS) if query and page == 1 else None
