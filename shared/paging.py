"""Pages of a long list without counting it: fetch one row more than a page to know if another follows.

Counting 100,000 papers costs more than rendering the page of 25 they are listed on, so list pages show
"Newer" and "Older" links instead of "page 3 of 4,000". Every list of the hub pages this way (papers, searches,
videos, a member's notes, the moderation log), and every one stops at the same last page, MAX_PAGE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from shared.numbers import whole_number

MAX_PAGE = 10_000  # the last page of any list, on the pages and in the API: 250,000 papers at 25 a page


@dataclass(frozen=True)
class Window:
    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_number(request: HttpRequest) -> int:
    """The `page` parameter as a number from 1; anything else (missing, "abc", "-3") is page 1."""
    raw = request.GET.get("page", "")
    number = whole_number(raw)
    return min(number, MAX_PAGE) if number is not None and number >= 1 else 1


def page_of(queryset: QuerySet, number: int, per_page: int) -> Window:
    """Page `number` (from 1) of `queryset`: one query (plus the queryset's prefetches)."""
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Window(items=rows[:per_page], number=number, has_next=len(rows) > per_page)


def window(queryset: QuerySet, request: HttpRequest, per_page: int) -> Window:
    """The page of `queryset` that `request` asks for."""
    return page_of(queryset, page_number(request), per_page)
