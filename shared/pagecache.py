"""Whole-page caching of the public lists for visitors who are not signed in.

Home, the papers and videos lists, author and channel pages and the feeds are the same for every visitor,
and rendering them costs far more than the framework itself. A visitor without a session gets the page from
the cache (process memory, or Redis when REDIS_URL is set) for PAGE_CACHE_SECONDS, so new papers and comment
counts reach them that much later. Members are never served from it: their header and forms are their own,
and they see their own comments at once. A page that used a CSRF token or set a cookie is never stored, so no
visitor gets another's token.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

KEY_PREFIX = "pagecache:v1:"


def _key(request: HttpRequest) -> str:
    return KEY_PREFIX + hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()


def cache_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view`'s 200 answers to GETs from visitors without a session from the cache."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        # A session cookie may carry a signed-in member or pending messages: that visitor gets a fresh page.
        if seconds <= 0 or request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            cache.set(key, response, seconds)
        return response

    return wrapped
