"""API throttles: visitors, members and writes each have a rate, set from the environment (API_THROTTLE_*).

A module of its own, importing nothing but DRF's throttling: DRF imports these classes while it is still loading
its views, so they cannot live beside code that needs those views.
"""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

# Rates come from settings (API_THROTTLE_* in the environment). They are read at each request rather than once at
# import, so that a test or a deployment that changes REST_FRAMEWORK sees the new rates.


class _RatesFromSettings(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    """Requests of visitors without an account, per IP address."""


class MemberThrottle(_RatesFromSettings, UserRateThrottle):
    """Requests of a signed-in member (by session or token), per member. Visitors are AnonThrottle's alone, so a
    visitor's request costs one cache round trip, not two."""

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class WriteThrottle(_RatesFromSettings, UserRateThrottle):
    """Writes (POST, PUT, PATCH, DELETE) of anyone, per member or IP address: posting is rarer than reading."""

    scope = "write"

    def allow_request(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class PreviewThrottle(_RatesFromSettings, UserRateThrottle):
    """The compose boxes' markdown preview (a page endpoint, /comments/preview/, not the API), per member. It lives
    here so that it reads its rate (`preview`, PREVIEW_THROTTLE) and its cache as the API's throttles do."""

    scope = "preview"
