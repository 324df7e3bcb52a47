"""Helpers for page tests: count a page's queries, and the queries of the discussion tags it embeds.

The discussion and notes on paper and video pages belong to the comments app; a page test counts the page's
own queries exactly and adds whatever the embedded tags cost for the same target, measured on their own.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

# `{% public_notes %}` on paper and video pages (issue 13): members' public notes on the target with their count,
# one query (the count is a window over the same rows), whatever their number: tests/test_public_notes.py.
PUBLIC_NOTES_QUERIES = 1
# The header's unread-notifications badge (issue 13): one query on every page a member sees, none for visitors
# (comments.notifications.inbox_badge). Member page counts below are measured relative to each other, so only
# tests/test_notifications.py states it.
INBOX_BADGE_QUERIES = 1

_DISCUSSION = Template("{% load discussion %}{% my_notes target %}{% discussion target %}")


def discussion_queries(target, user=None) -> int:
    """How many queries the `{% my_notes %}` and `{% discussion %}` tags take for `target` and `user`."""
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    with CaptureQueriesContext(connection) as captured:
        _DISCUSSION.render(Context({"target": target, "request": request}))
    return len(captured)


def queries_of(client, url: str) -> tuple[int, object, list[str]]:
    """(number of queries, response, their SQL) of a GET of `url`; the response must be a 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response, [q["sql"] for q in captured.captured_queries]
