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

from comments.models import KIND_LABELS, may_moderate, placeholder_text
from comments.threads import (
    DEFAULT_SORT,
    THREADS_PER_PAGE,
    HeldShown,
    Row,
    ThreadComment,
    ThreadFilter,
    build_thread,
    discussion_authors,
)
from comments.timestamps import relink_timestamps
from shared.urls import quote_key, url_halves
from videos.description import format_timestamp


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
    paper_version: int | None = None  # the discussed paper's latest version: older comments say theirs
    highlight: int | None = None  # the comment a permalink (?comment=ID) opened the page on
    paper_authors: frozenset[int] = frozenset()  # members who are an author of the discussed paper: their badge

    @classmethod
    def for_request(cls, request, *, votes: dict[int, int], target=None, creator_id: int | None = None) -> Viewer:
        """What `request`'s reader is shown of the discussion of `target` (a paper or a video)."""
        user = request.user
        video = target if target is not None and target._meta.model_name == "video" else None
        version = getattr(target, "version", None) if video is None else None
        if not user.is_authenticated:
            return cls(creator_id=creator_id, video=video, paper_version=version)
        return cls(
            user_id=user.pk,
            csrf_token=get_token(request),
            votes=votes,
            creator_id=creator_id,
            moderator=may_moderate(user),
            video=video,
            paper_version=version,
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
        self.accept = _prefix("comments:accept")
        self.revisions = _prefix("comments:revisions")
        self.flag = _prefix("comments:flag")
        self.review = _prefix("comments:review")
        self.confirm_erratum = _prefix("comments:confirm_erratum")
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
        if c.is_held:
            return (
                f' <a href="{self._url(self.review, c.pk)}" class="approve">Approve</a>'
                f' <a href="{self._url(self.remove, c.pk)}" data-action="moderate">Remove</a>'
            )
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

    def _marks(self, c: ThreadComment) -> str:
        """The comment's kind, whether a question is answered or a reply the accepted answer, the time of the
        video it is about, and the paper's version it was written on when a newer one exists."""
        html = ""
        if c.kind != "plain":
            html += f' <span class="kind kind-{_e(c.kind)}">{_e(KIND_LABELS.get(c.kind, c.kind))}</span>'
        if c.kind == "question":
            html += ' <span class="answered">answered</span>' if c.answered else ' <span class="unanswered">open</span>'
        if c.accepted and c.asker_id is not None:
            html += ' <span class="accepted-mark" title="The asker accepted this answer">✓ accepted answer</span>'
        if c.correction_id is not None:
            html += self._confirmed_mark(c.correction_id)
        if c.at is not None and c.parent_id is None:
            video, time = self.viewer.video, _e(format_timestamp(c.at))
            url = video.watch_url(c.at) if video is not None else ""
            html += (
                f' · <a class="anchor" href="{_e(url)}" data-seek="{_e(c.at)}">at {time}</a>'
                if url
                else f' · <span class="anchor">at {time}</span>'
            )
        newest = self.viewer.paper_version
        if c.paper_version is not None and newest is not None and c.paper_version < newest:
            html += (
                f' <span class="badge version" title="The paper is at v{_e(newest)} now">'
                f"written on v{_e(c.paper_version)}</span>"
            )
        return html

    def _standing(self, c: ThreadComment) -> tuple[str, str]:
        """The comment's classes and badges: by the channel's creator, by an author of the paper (a member whose claim
        on one of its authors a curator approved), or awaiting a curator's approval (its author and curators see it)."""
        viewer, classes, badge = self.viewer, "comment", ""
        if viewer.creator_id is not None and c.author_id == viewer.creator_id:
            classes += " by-creator"
            badge = ' <span class="badge" title="The channel\'s creator">creator</span>'
        if c.author_id in viewer.paper_authors:
            classes += " by-author"
            badge += ' <span class="badge paper-author" title="An author of this paper">author</span>'
        if c.held_at is not None:
            classes += " held"
            badge += (
                ' <span class="badge held" title="Shown to its author and curators until a curator approves it">'
                "awaiting approval</span>"
            )
        return classes, badge

    def _confirmed_mark(self, correction_id: int) -> str:
        """An erratum report a curator confirmed: a link to the correction it became, on the video's page."""
        video = self.viewer.video
        page = _e(video.get_absolute_url()) if video is not None else ""
        return (
            f' <a class="badge erratum-confirmed" href="{page}#correction-{_e(correction_id)}" '
            'title="A curator confirmed this report: it is one of the video\'s corrections">confirmed as erratum</a>'
        )

    def _erratum_confirm_link(self, c: ThreadComment) -> str:
        """A curator's link to confirm a visible erratum report on a video as the video's erratum (a page of its own,
        where the text may be edited first)."""
        if c.kind != "erratum" or c.video_id is None or c.correction_id is not None or not c.is_visible:
            return ""
        return f' <a class="confirm-erratum" href="{self._url(self.confirm_erratum, c.pk)}">Confirm as erratum</a>'

    def _flag_link(self, c: ThreadComment) -> str:
        """A member's link to flag another's visible comment for the curators (a form on a page of its own)."""
        return f' <a class="flag-link" href="{self._url(self.flag, c.pk)}" rel="nofollow">Flag</a>'

    def _edited(self, pk: int) -> str:
        return f' · <a class="edited" href="{self._url(self.revisions, pk)}" title="Its earlier texts">edited</a>'

    def _accept_button(self, c: ThreadComment) -> str:
        """The asker's button to accept this reply as the answer, or take it back: a plain form of its own (few
        replies show it, and the discussion script leaves it to post and come back)."""
        if self.viewer.user_id is None or c.asker_id != self.viewer.user_id:
            return ""
        value, label = ("unaccept", "Unaccept answer") if c.accepted else ("accept", "Accept answer")
        return (
            f' <form class="accept-form" method="post" action="{self._url(self.accept, c.pk)}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(self.viewer.csrf_token)}">'
            f'<button class="accept" name="action" value="{value}">{label}</button></form>'
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
        if not c.is_visible and not c.is_held:
            html = (
                f'<article class="comment comment-gone" {head}><p class="comment-meta">'
                f"[{e(placeholder_text(c.state))}] · {stamp}{self._moderation(c)}</p></article>"
            )
        else:
            mine = c.author_id == viewer.user_id
            classes, badge = self._standing(c)
            if mine:
                classes += " mine"
            if c.accepted and c.asker_id is not None:
                classes += " accepted"
            edited = self._edited(pk) if c.edited_at else ""
            points = f'<span class="score">{e(c.score)} {"point" if c.score == 1 else "points"}</span>'
            votes = points if viewer.user_id is None or mine or c.held_at else self._vote_buttons(c, points)
            actions = f'<a href="{self._url(self.reply, pk)}" data-action="reply">Reply</a>'
            if mine:
                actions += (
                    f' <a href="{self._url(self.edit, pk)}" data-action="edit">Edit</a>'
                    f' <a href="{self._url(self.delete, pk)}" data-action="delete">Delete</a>'
                )
            elif viewer.user_id is not None and c.held_at is None:
                actions += self._flag_link(c)
            if c.asker_id is not None and c.asker_id == viewer.user_id:
                actions += self._accept_button(c)
            if viewer.moderator:
                actions += self._moderation(c) + self._erratum_confirm_link(c)
            marks = ""
            if c.kind != "plain" or c.at is not None or c.accepted or c.paper_version != viewer.paper_version:
                marks = self._marks(c)  # most comments have none: plain, untimed, on the paper's latest version
            body = c.body_html
            if viewer.video is not None and 'data-seek="' in body:
                body = relink_timestamps(body, viewer.video)  # only rewrites the time links it made itself
            html = (
                f'<article class="{classes}" {head}><p class="comment-meta">{self._author(c)}{badge} · '
                f"{stamp}{edited}{marks}</p>"
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

    def _row_or_highlighted(self, row: Row) -> str:
        """A row, and the permalinked comment (`Viewer.highlight`) marked for the eye and for assistive technology."""
        html = self.row(row)
        if row.comment.pk == self.viewer.highlight:
            html = html.replace('class="comment', 'aria-current="true" class="comment highlighted', 1)
        return html

    def rows(self, rows: list[Row], *, vote_form: bool = True) -> SafeString:
        html = "".join(map(self.row if self.viewer.highlight is None else self._row_or_highlighted, rows))
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
    page: int = 1  # which page of top-level threads this is, of `pages`
    pages: int = 1


def draw_thread(
    target,
    viewer: Viewer,
    *,
    sort: str,
    root_pk: int | None = None,
    only: ThreadFilter | None = None,
    page: int | None = None,
) -> DrawnThread:
    """The discussion of `target` (or the sub-thread under comment `root_pk`, or the part `only` selects) read in one
    query and drawn for `viewer`; the one way pages draw a thread.

    A whole discussion is drawn a page of top-level threads at a time (`page`, from 1; out of range: the nearest),
    or, when `viewer.highlight` names a comment it holds, the page holding that comment."""
    with _collector_paused():
        # The discussed work's author members: for the "authors" sort, read before the tree; for their badges on a
        # paper, read once the tree has comments (an empty discussion costs no query for them).
        authors = discussion_authors(target) if sort == "authors" else frozenset()
        held = HeldShown(viewer.user_id, viewer.moderator)
        thread = build_thread(target, sort=sort or DEFAULT_SORT, only=only, authors=authors, held=held)
        if thread.roots and target._meta.model_name == "paper":
            viewer.paper_authors = authors if sort == "authors" else discussion_authors(target)
        if root_pk is not None:
            rows, page, pages = thread.rows(root=thread.nodes[root_pk]), 1, 1
        else:
            pages = thread.page_count(THREADS_PER_PAGE)
            holding = thread.page_holding(viewer.highlight) if viewer.highlight is not None else None
            page = holding or min(max(page or 1, 1), pages)
            rows = thread.rows(roots=thread.page_roots(page, THREADS_PER_PAGE))
        drawn = DrawnThread(render_rows(rows, viewer), thread.count, not thread.roots, page, pages)
        del thread, rows  # freed here, by reference counting, before the collector runs again
    return drawn


def render_rows(rows: list[Row], viewer: Viewer, *, vote_form: bool = True) -> SafeString:
    """The HTML of `rows` in order, for `viewer`: vote buttons, their own edit and delete links, the creator mark,
    and a curator's remove and restore links.

    `vote_form=False` leaves out the page's shared vote form, for a comment added to a page that has it already.
    """
    return CommentRenderer(viewer).rows(rows, vote_form=vote_form)
