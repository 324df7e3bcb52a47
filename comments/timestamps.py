"""Times written in a comment on a video ("12:30", "1:02:03") turned into links that seek the player."""

from __future__ import annotations

import re

from django.utils.html import escape

from videos.description import TIMESTAMP_RE, parse_timestamp

_TAG_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
# Text inside these stays as written: a link already goes somewhere, code and math are quoted verbatim.
_SKIP = {"a", "code", "pre", "math"}


# A time that link_timestamps marked: a link, or a span while the video has nothing to play (members cannot write
# data-seek: raw HTML in a comment is text, and nh3 drops the attribute).
_SEEK_MARK_RE = re.compile(r'<(?:a href="[^"]*"|span class="timestamp") data-seek="([0-9]+)">([^<]*)</(?:a|span)>')


def link_timestamps(html: str, video) -> str:
    """Wrap every timestamp in the text of sanitised `html` in a link to `video` at that time.

    The link works without JavaScript (it opens the video at that second); `data-seek` lets the page's script seek
    the embedded player or the audio instead. It runs on shared.markdown's sanitised output and adds only what it
    builds here (an escaped URL and an integer), so nothing a member wrote gains a way past the sanitiser. A video
    with nothing to play (no YouTube video, no audio) has nowhere to link to: its times are marked with a span,
    text on the page, which relink_timestamps turns into links if the video gains something to play.
    """
    if not html or not TIMESTAMP_RE.search(html):
        return html
    out: list[str] = []
    skipping = 0
    changed = False
    for piece in _TAG_RE.split(html):
        if piece.startswith("<"):
            match = _TAG_NAME_RE.match(piece)
            if match and match.group(2).lower() in _SKIP and not piece.endswith("/>"):
                skipping += -1 if match.group(1) else 1
                skipping = max(skipping, 0)
            out.append(piece)
        elif skipping or not piece:
            out.append(piece)
        else:

            def link(m: re.Match) -> str:
                seconds = parse_timestamp(m.group(0))
                return _seek_mark(video, seconds, m.group(0))

            linked = TIMESTAMP_RE.sub(link, piece)
            changed = changed or linked != piece
            out.append(linked)
    return "".join(out) if changed else html


def _seek_mark(video, seconds: int, text: str) -> str:
    url = video.watch_url(seconds)
    if url:
        return f'<a href="{escape(url)}" data-seek="{seconds}">{text}</a>'
    return f'<span class="timestamp" data-seek="{seconds}">{text}</span>'


def relink_timestamps(html: str, video) -> str:
    """The times of a comment saved earlier, linked where `video` plays now, or plain text when nothing plays.

    Bodies are rendered on save, and a video gains its YouTube id or audio later (or loses them): pages pass each
    body that holds a marked time through this, so a time is never a dead link (the demo's were `href=""`).
    """
    if 'data-seek="' not in html:
        return html
    if not video.watch_url(0):
        return _SEEK_MARK_RE.sub(lambda m: m.group(2), html)
    return _SEEK_MARK_RE.sub(lambda m: _seek_mark(video, int(m.group(1)), m.group(2)), html)
