"""Times written in a comment on a video ("12:30", "1:02:03") turned into links that seek the player."""

from __future__ import annotations

import re

from django.utils.html import escape

from videos.description import TIMESTAMP_RE, parse_timestamp

_TAG_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
# Text inside these stays as written: a link already goes somewhere, code and math are quoted verbatim.
_SKIP = {"a", "code", "pre", "math"}


def link_timestamps(html: str, video) -> str:
    """Wrap every timestamp in the text of sanitised `html` in a link to `video` at that time.

    The link works without JavaScript (it opens the video at that second); `data-seek` lets the page's script seek
    the embedded player instead. It runs on shared.markdown's sanitised output and adds only what it builds here (an
    escaped URL and an integer), so nothing a member wrote gains a way past the sanitiser.
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
                return f'<a href="{escape(video.watch_url(seconds))}" data-seek="{seconds}">{m.group(0)}</a>'

            linked = TIMESTAMP_RE.sub(link, piece)
            changed = changed or linked != piece
            out.append(linked)
    return "".join(out) if changed else html
