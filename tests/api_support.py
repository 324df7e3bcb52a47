"""Helpers of the API tests: a client signed in by token, and a query-count comparison that shows the SQL."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def client_for(user=None) -> APIClient:
    """An API client, anonymous or authenticated as `user` with their token (as a third-party client is)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def count_queries(action: Callable[[], object]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def assert_same_queries(small: Callable[[], object], large: Callable[[], object]) -> int:
    """Both actions run the same number of queries (printed on failure); returns that number."""
    small_count, small_sql = count_queries(small)
    large_count, large_sql = count_queries(large)
    assert small_count == large_count, "\n".join(
        [f"{small_count} queries for the small case:", *small_sql, f"{large_count} for the large case:", *large_sql]
    )
    return small_count
