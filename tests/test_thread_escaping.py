"""The discussion is drawn in Python (comments.rendering), so every value it writes must pass one escaping function.

Two references nobody here wrote hold it: Django's own `escape` (the renderer's `_e` must agree with it on every
payload), and the standard library's HTML parser reading the drawn thread (no payload may become an element or an
attribute of its own).
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from comments.rendering import Viewer, _e, render_rows
from comments.threads import Row, ThreadComment
from shared.markdown import render_markdown

# Held payloads: classic breakouts of an element, of a double- and a single-quoted attribute, and of a URL.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "</article><svg onload=alert(1)>",
    "&lt;already&gt; &amp; escaped",
    "--><!--",
    "ü ☃ \u202e",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_one_escaping_function_agrees_with_djangos(payload):
    assert _e(payload) == escape(payload)


def test_safe_html_passes_unchanged():
    assert _e(mark_safe("<p>kept</p>")) == "<p>kept</p>"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)


def _thread(payload: str) -> str:
    when = datetime(2021, 5, 13, 12, 0, tzinfo=UTC)
    comment = ThreadComment(
        pk=7, author_id=3, author_name=payload, paper_id=1, video_id=None, parent_id=None, depth=0,
        body_html=render_markdown(payload), created_at=when, edited_at=when, deleted_at=None, removed_at=None,
        score=2,
    )  # fmt: skip
    viewer = Viewer(user_id=4, csrf_token=payload, votes={7: 1}, moderator=True)
    return render_rows([Row(comment, depth=0, hidden=1)], viewer)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_becomes_markup_in_a_drawn_thread(payload):
    parser = _Elements()
    parser.feed(_thread(payload))
    assert not {"script", "img", "svg"} & set(parser.tags)
    assert not [name for name in parser.attributes if name.startswith("on")]
    # The thread's own markup is all there: one article, both vote buttons, the author's link.
    assert parser.tags.count("article") == 1
    assert parser.tags.count("button") == 2
