"""A discussion's HTML built in Python from the flattened thread: one pass, one string.

Django's template engine costs tens of microseconds per included partial, which is most of a 1,000-comment page;
here a comment costs a few string joins. Every value that did not come from hub.markdown (the already sanitised
body_html) is escaped on the way in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from comments.threads import Row, ThreadComment


def _prefix(name: str) -> tuple[str, str]:
    # reverse() once per page, not once per comment: split the URL around a sample pk.
    url = reverse(name, args=[987654321])
    head, _, tail = url.partition("987654321")
    return head, tail


VOTE_FORM_ID = "discussion-vote"


@dataclass
class Viewer:
    """What a page knows about who is reading it, computed once for all its comments."""

    user_id: int | None = None
    csrf_token: str = ""
    voted: set[int] = field(default_factory=set)
    creator_id: int | None = None  # the owner of the video's channel, whose comments are marked

    @classmethod
    def for_request(cls, request, *, voted: set[int], creator_id: int | None = None) -> Viewer:
        user = request.user
        if not user.is_authenticated:
            return cls(creator_id=creator_id)
        return cls(user_id=user.pk, csrf_token=get_token(request), voted=voted, creator_id=creator_id)


class CommentRenderer:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.vote_form = (
            f'<form id="{VOTE_FORM_ID}" class="vote-form" method="post" hidden>'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(viewer.csrf_token)}"></form>'
            if viewer.user_id is not None
            else ""
        )
        self.detail = _prefix("comments:detail")
        self.reply = _prefix("comments:reply")
        self.edit = _prefix("comments:edit")
        self.delete = _prefix("comments:delete")
        self.vote = _prefix("comments:vote")
        self.profile = _prefix("profile")
        self._authors: dict[int, str] = {}

    def _url(self, parts: tuple[str, str], pk: int | str) -> str:
        return f"{parts[0]}{pk}{parts[1]}"

    def _author(self, comment: ThreadComment) -> str:
        html = self._authors.get(comment.author_id)
        if html is None:
            name = escape(comment.author_name)
            html = f'<a class="comment-author" href="{self._url(self.profile, name)}">{name}</a>'
            self._authors[comment.author_id] = html
        return html

    def row(self, row: Row) -> str:
        c = row.comment
        pk = c.pk
        permalink = self._url(self.detail, pk)
        when = c.created_at
        stamp = f'<time datetime="{when.isoformat(timespec="minutes")}">{when.day} {when:%b %Y, %H:%M}</time>'
        if c.deleted_at is not None or c.removed_at is not None:
            what = "removed by a moderator" if c.removed_at is not None else "deleted"
            html = (
                f'<article class="comment comment-gone" id="c{pk}" style="--depth:{row.depth}">'
                f'<p class="comment-meta">[{what}] · <a href="{permalink}">{stamp}</a></p>'
                f"</article>"
            )
        else:
            viewer = self.viewer
            mine = c.author_id == viewer.user_id
            classes = "comment"
            badge = ""
            if viewer.creator_id is not None and c.author_id == viewer.creator_id:
                classes += " by-creator"
                badge = ' <span class="badge" title="The channel\'s creator">creator</span>'
            if mine:
                classes += " mine"
            edited = ' · <span class="edited" title="This comment was edited">edited</span>' if c.edited_at else ""
            points = "point" if c.score == 1 else "points"
            if viewer.user_id is None or mine:
                vote = f'<span class="score">{c.score} {points}</span>'
            else:
                # Every vote button submits the page's one hidden vote form (its CSRF token written once), to
                # this comment's vote URL: plain HTML, so it works without JavaScript.
                voted = pk in viewer.voted
                vote = (
                    f'<button class="vote" form="{VOTE_FORM_ID}" formaction="{self._url(self.vote, pk)}" '
                    f'name="action" value="{"withdraw" if voted else "up"}" '
                    f'aria-pressed="{"true" if voted else "false"}">'
                    f'▲ <span class="score">{c.score} {points}</span></button>'
                )
            actions = f'<a href="{self._url(self.reply, pk)}" data-action="reply">Reply</a>'
            if mine:
                actions += (
                    f' <a href="{self._url(self.edit, pk)}" data-action="edit">Edit</a>'
                    f' <a href="{self._url(self.delete, pk)}" data-action="delete">Delete</a>'
                )
            html = (
                f'<article class="{classes}" id="c{pk}" style="--depth:{row.depth}">'
                f'<p class="comment-meta">{self._author(c)}{badge} · '
                f'<a href="{permalink}">{stamp}</a>{edited}</p>'
                f'<div class="prose">{c.body_html}</div>'
                f'<div class="comment-actions">{vote} {actions}</div>'
                f"</article>"
            )
        if row.hidden:
            noun = "reply" if row.hidden == 1 else "replies"
            html += (
                f'<p class="comment-continue" style="--depth:{row.depth + 1}">'
                f'<a href="{permalink}">Continue this thread ({row.hidden} more {noun}) →</a></p>'
            )
        return html

    def rows(self, rows: list[Row], *, vote_form: bool = True) -> SafeString:
        html = "".join(map(self.row, rows))
        return mark_safe(self.vote_form + html if vote_form else html)  # noqa: S308 - each piece escaped above; bodies sanitised


def render_rows(rows: list[Row], viewer: Viewer, *, vote_form: bool = True) -> SafeString:
    """The HTML of `rows` in order, for `viewer`: vote buttons, their own edit and delete links, the creator mark.

    `vote_form=False` leaves out the page's shared vote form, for a comment added to a page that has it already.
    """
    return CommentRenderer(viewer).rows(rows, vote_form=vote_form)
