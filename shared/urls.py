"""Addresses of objects by their URL names, fast enough to build one per row of a long list.

`reverse()` walks the URL resolver on each call (a few microseconds), which is most of the cost of a 100-row API
page's links. `url_for(name, key)` reverses a name once, with a sample key, and afterwards writes the key into the
two halves; the key is quoted as `reverse()` quotes it. The script prefix (FORCE_SCRIPT_NAME) is added per call.
"""

from __future__ import annotations

import functools
from urllib.parse import quote, urlencode

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse

_SAMPLE = "987654321"  # digits: they match every converter of the hub's URLs (int, slug, str, path, arxiv)
_SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in a path (RFC 3986 sub-delims, "/", "~", ":", "@")


@functools.cache
def url_halves(name: str) -> tuple[str, str]:
    """The path of URL `name` split around its one argument, without the script prefix: for callers that write
    thousands of links in a loop (comments.rendering) and add the prefix and quoting themselves."""
    url = reverse(name, args=[_SAMPLE])
    prefix = get_script_prefix()
    head, found, tail = url.removeprefix(prefix).partition(_SAMPLE)
    if not found:
        raise ValueError(f"URL {name!r} does not take its key as its only argument")
    return "/" + head.removeprefix("/"), tail


def quote_key(key: object) -> str:
    """A URL argument quoted as reverse() quotes it."""
    return quote(str(key), safe=_SAFE)


def url_for(name: str, key: object) -> str:
    """The path of URL `name` for `key` (a pk, a slug, an arXiv id), as reverse(name, args=[key]) gives it."""
    head, tail = url_halves(name)
    return f"{get_script_prefix().rstrip('/')}{head}{quote_key(key)}{tail}"


@functools.cache
def _plain(name: str) -> str:
    return "/" + reverse(name).removeprefix(get_script_prefix())


def list_url(name: str, **params: object) -> str:
    """The path of URL `name` (which takes no argument) with `params` as its query string."""
    query = urlencode(params, safe="/:")  # an old-style arXiv id keeps its slash, as in the paper's own URL
    return f"{get_script_prefix().rstrip('/')}{_plain(name)}{'?' + query if query else ''}"


def _forget(*, setting: str, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        url_halves.cache_clear()
        _plain.cache_clear()


setting_changed.connect(_forget, dispatch_uid="shared.urls")
