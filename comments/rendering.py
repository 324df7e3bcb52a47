"""A discussion's HTML built in Python from the flattened thread: one pass, one string.

Django's template engine costs tens of microseconds per included partial, which is most of a 1,000-comment page;
here a comment costs a few string joins. Every value goes in through one function, `_e`, which escapes all but the
bodies that shared.markdown has already sanitised (tests/test_thread_escaping.py holds it to hostile payloads).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils.safestring import SafeData, SafeString, mark_safe

from comments.models import may_moderate, placeholder_text
from comments.threads import Row, ThreadComment, build_thread
from comments.timestamps import relink_timestamps
from shared.urls import quote_key, url_halves


def _prefix(name: str) -> tuple[str, str]:
    # Reversed once per process, not once per comment (shared.urls); keys here are pks and usernames.
    head, tail = url_halves(name)
    return _e(get_script_prefix().rstrip("/") + head), _e(tail)


VOTE_FORM_ID = "discussion-vote"


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _e(value) -> str:
    """The one way a value enters the HTML here: escaped as django.utils.html.escape does, unless it is already safe
    HTML (a body sanitised by shared.markdown). Written out because it runs a dozen times per comment: most values
    (pks, scores, dates) hold nothing to escape, and are seen to hold nothing faster than they would be rewritten."""
    if type(value) is int:
        return str(value)
    if isinstance(value, SafeData):
        return value
    text = str(value)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return text.translate(_ESCAPES)
    return text


@dataclass
class Viewer:
    """What a page knows about who is reading it, computed once for all its comments."""

    user_id: int | None = None
    csrf_token: str = ""
    votes: dict[int, int] = field(default_factory=dict)  # comment pk -> the reader's +1 or -1
    creator_id: int | None = None  # the owner of the video's channel, whose comments are marked
    moderator: bool = False
    video: Any = None  # the video discussed: time links in its comments follow what it plays now

    @classmethod
    def for_request(cls, request, *, votes: dict[int, int], creator_id: int | None = None, video=None) -> Viewer:
        user = request.user
        if not user.is_authenticated:
            return cls(creator_id=creator_id, video=video)
        return cls(
            user_id=user.pk,
            csrf_token=get_token(request),
            votes=votes,
            creator_id=creator_id,
            moderator=may_moderate(user),
            video=video,
        )


class CommentRenderer:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.vote_form = (
            f'<form id="{VOTE_FORM_ID}" class="vote-form" method="post" hidden>'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(viewer.csrf_token)}"></form>'
            if viewer.user_id is not None
            else ""
        )
        self.detail = _prefix("comments:detail")
        self.reply = _prefix("comments:reply")
        self.edit = _prefix("comments:edit")
        self.delete = _prefix("comments:delete")
        self.vote = _prefix("comments:vote")
        self.remove = _prefix("comments:remove")
        self.restore = _prefix("comments:restore")
        self.profile = _prefix("profile")
        self._authors: dict[int | None, str] = {}

    def _url(self, parts: tuple[str, str], key: int | str) -> str:
        return f"{parts[0]}{_e(key)}{parts[1]}"  # the halves were escaped once, in _prefix

    def _author(self, comment: ThreadComment) -> str:
        html = self._authors.get(comment.author_id)
        if html is None:
            name = comment.author_name or ""
            html = f'<a class="comment-author" href="{self._url(self.profile, quote_key(name))}">{_e(name)}</a>'
            self._authors[comment.author_id] = html
        return html

    def _moderation(self, c: ThreadComment) -> str:
        if not self.viewer.moderator:
            return ""
        if c.removed_at is not None:
            return f' <a href="{self._url(self.restore, c.pk)}" data-action="moderate">Restore</a>'
        return f' <a href="{self._url(self.remove, c.pk)}" data-action="moderate">Remove</a>'

    def _vote_buttons(self, c: ThreadComment, points: str) -> str:
        # Both buttons submit the page's one hidden vote form (its CSRF token written once) to this comment's vote
        # URL: plain HTML, so voting works without JavaScript. Pressing one's current vote again withdraws it.
        now = self.viewer.votes.get(c.pk, 0)
        url = self._url(self.vote, c.pk)
        common = f'form="{VOTE_FORM_ID}" formaction="{url}" name="action"'
        up = ("withdraw", "true") if now == 1 else ("up", "false")
        down = ("withdraw", "true") if now == -1 else ("down", "false")
        return (
            f'<span class="votes"><button class="vote vote-up" {common} value="{up[0]}" aria-pressed="{up[1]}" '
            f'aria-label="Vote up">▲</button> {points} <button class="vote vote-down" {common} value="{down[0]}" '
            f'aria-pressed="{down[1]}" aria-label="Vote down">▼</button></span>'
        )

    def row(self, row: Row) -> str:
        """One comment's HTML. A single function, since it runs once per comment of threads 10,000 long."""
        e, c, viewer = _e, row.comment, self.viewer
        pk = c.pk
        permalink = self._url(self.detail, pk)
        when = c.created_at
        stamp = (
            f'<a href="{permalink}"><time datetime="{e(when.isoformat(timespec="minutes"))}">'
            f"{e(f'{when.day} {when:%b %Y, %H:%M}')}</time></a>"
        )
        head = f'id="c{e(pk)}" style="--depth:{e(row.depth)}"'
        if not c.is_visible:
            html = (
                f'<article class="comment comment-gone" {head}><p class="comment-meta">'
                f"[{e(placeholder_text(c.state))}] · {stamp}{self._moderation(c)}</p></article>"
            )
        else:
            mine = c.author_id == viewer.user_id
            classes, badge = "comment", ""
            if viewer.creator_id is not None and c.author_id == viewer.creator_id:
                classes += " by-creator"
                badge = ' <span class="badge" title="The channel\'s creator">creator</span>'
            if mine:
                classes += " mine"
            edited = ' · <span class="edited" title="This comment was edited">edited</span>' if c.edited_at else ""
            points = f'<span class="score">{e(c.score)} {"point" if c.score == 1 else "points"}</span>'
            votes = points if viewer.user_id is None or mine else self._vote_buttons(c, points)
            actions = f'<a href="{self._url(self.reply, pk)}" data-action="reply">Reply</a>'
            if mine:
                actions += (
                    f' <a href="{self._url(self.edit, pk)}" data-action="edit">Edit</a>'
                    f' <a href="{self._url(self.delete, pk)}" data-action="delete">Delete</a>'
                )
            if viewer.moderator:
                actions += self._moderation(c)
            body = c.body_html
            if viewer.video is not None and 'data-seek="' in body:
                body = relink_timestamps(body, viewer.video)  # only rewrites the time links it made itself
            html = (
                f'<article class="{classes}" {head}><p class="comment-meta">{self._author(c)}{badge} · '
                f"{stamp}{edited}</p>"
                f'<div class="prose">{e(SafeString(body))}</div>'  # sanitised by shared.markdown
                f'<div class="comment-actions">{votes} {actions}</div></article>'
            )
        if row.hidden:
            noun = "reply" if row.hidden == 1 else "replies"
            html += (
                f'<p class="comment-continue" style="--depth:{e(row.depth + 1)}">'
                f'<a href="{permalink}">Continue this thread ({e(row.hidden)} more {noun}) →</a></p>'
            )
        return html

    def rows(self, rows: list[Row], *, vote_form: bool = True) -> SafeString:
        html = "".join(map(self.row, rows))
        return mark_safe(self.vote_form + html if vote_form else html)  # noqa: S308 - every value went through _e


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while a long thread is built and drawn.

    A 10,000-comment thread makes some 100,000 short-lived objects, which set off full collections that scan the
    whole process heap midway: make bench's 10,000-comment page took 160 ms without this pause and 126 ms with it
    (1,000 comments: no difference), in a process whose heap holds what a serving worker's does. A thread's
    objects form no reference cycles, so reference counting frees them all when the caller drops them.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class DrawnThread:
    html: SafeString
    count: int  # visible comments
    empty: bool


def draw_thread(target, viewer: Viewer, *, sort: str, root_pk: int | None = None) -> DrawnThread:
    """The discussion of `target` (or the sub-thread under comment `root_pk`) read in one query and drawn for
    `viewer`; the one way pages draw a thread."""
    with _collector_paused():
        thread = build_thread(target, sort=sort)
        rows = thread.rows(root=thread.nodes[root_pk]) if root_pk is not None else thread.rows()
        drawn = DrawnThread(render_rows(rows, viewer), thread.count, not thread.roots)
        del thread, rows  # freed here, by reference counting, before the collector runs again
    return drawn


def render_rows(rows: list[Row], viewer: Viewer, *, vote_form: bool = True) -> SafeString:
    """The HTML of `rows` in order, for `viewer`: vote buttons, their own edit and delete links, the creator mark,
    and a curator's remove and restore links.

    `vote_form=False` leaves out the page's shared vote form, for a comment added to a page that has it already.
    """
    return CommentRenderer(viewer).rows(rows, vote_form=vote_form)
