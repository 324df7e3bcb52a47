"""Site-wide template filters: video timestamps, links into a video, math in plain text."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.safestring import SafeString, mark_safe

from shared.markdown import render_math_text

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds as a video timestamp: 750 -> "12:30", 3723 -> "1:02:03"."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def watch_url(video, seconds: int) -> str:
    return video.watch_url(seconds)


@register.filter
def math(text: str | None) -> SafeString:
    """Plain text (an abstract, a title) escaped, with its `$...$` and `$$...$$` formulas as MathML.

    Safe because shared.markdown escapes the text and sanitises the MathML with nh3.
    """
    return mark_safe(render_math_text(text or ""))  # noqa: S308 - escaped and sanitised by render_math_text


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with `changes` applied (None or "" removes a key); `page` resets unless given."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"
