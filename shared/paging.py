"""Pages of a long list without counting it: fetch one row more than a page to know if another follows.

Counting 100,000 papers costs more than rendering the page of 25 they are listed on, so list pages show
"Newer" and "Older" links instead of "page 3 of 4,000".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

MAX_PAGE = 10_000


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
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) >= 1 else 1


def window(queryset: QuerySet, request: HttpRequest, per_page: int) -> Window:
    """The page of `queryset` that `request` asks for: one query (plus the queryset's prefetches)."""
    number = page_number(request)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Window(items=rows[:per_page], number=number, has_next=len(rows) > per_page)
