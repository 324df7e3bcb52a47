"""@username in a comment: a link to the member's profile, and the members it names (who are notified).

It runs on shared.markdown's sanitised output, as comments.timestamps does: only text outside links, code and math
is read, and what it adds is built here (an escaped URL to /u/<username>/ and the escaped name), so nothing a member
wrote gains a way past the sanitiser. Only existing active members become links; any other "@word" stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

_TAG_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
_SKIP = {"a", "code", "pre", "math"}  # a link already goes somewhere; code and math are quoted verbatim
# "@name" not inside a word or an address (bob@example.org): Django's username characters, less "@".
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")
MAX_MENTIONS = 20  # a comment that names more members notifies the first twenty only


@dataclass(frozen=True, slots=True)
class Mentioned:
    pk: int
    username: str


def _text_pieces(html: str):
    """(piece, readable) for each piece of `html`: tags and the text inside links, code and math are not readable."""
    skipping = 0
    for piece in _TAG_RE.split(html):
        if piece.startswith("<"):
            match = _TAG_NAME_RE.match(piece)
            if match and match.group(2).lower() in _SKIP and not piece.endswith("/>"):
                skipping = max(skipping + (-1 if match.group(1) else 1), 0)
            yield piece, False
        else:
            yield piece, bool(piece) and not skipping


def _candidates(name: str) -> tuple[str, ...]:
    """ "@alice." at the end of a sentence names alice; a username may end in a dot too, so both are asked."""
    stripped = name.rstrip(".-+")
    return (name, stripped) if stripped and stripped != name else (name,)


def mentioned_names(html: str) -> list[str]:
    names: list[str] = []
    for piece, readable in _text_pieces(html):
        if readable and "@" in piece:
            for match in MENTION_RE.finditer(piece):
                names.extend(_candidates(match.group(1)))
    return names


def link_mentions(html: str) -> tuple[str, list[Mentioned]]:
    """`html` with each @username of an active member linked to their profile, and those members (in order, once
    each, at most MAX_MENTIONS). One query when the text holds an "@", none otherwise."""
    names = mentioned_names(html) if "@" in html else []
    if not names:
        return html, []
    found = dict(get_user_model().objects.filter(username__in=set(names), is_active=True).values_list("username", "pk"))
    if not found:
        return html, []
    members: dict[str, Mentioned] = {}

    def link(match: re.Match) -> str:
        for name in _candidates(match.group(1)):
            if name in found:
                members.setdefault(name, Mentioned(found[name], name))
                url = reverse("profile", args=[name])
                rest = match.group(1)[len(name) :]
                return f'<a class="mention" href="{escape(url)}">@{escape(name)}</a>{rest}'
        return match.group(0)

    out = [
        MENTION_RE.sub(link, piece) if readable and "@" in piece else piece for piece, readable in _text_pieces(html)
    ]
    return "".join(out), list(members.values())[:MAX_MENTIONS]
