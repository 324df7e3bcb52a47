"""shared.urls writes the hub's links without walking the resolver each time; Django's reverse() is its reference."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from shared.urls import list_url, url_for

CASES = [
    ("papers:detail", "2105.06548"),
    ("papers:detail", "hep-th/9901001"),
    ("paper-detail", "math.GT/0309136"),
    ("comments:detail", 7),
    ("comment-detail", 123456),
    ("profile", "josé+test@example"),
    ("profile", "a b"),
    ("video-detail", "expire-span"),
    ("author-detail", 3),
]


@pytest.mark.parametrize(("name", "key"), CASES)
def test_url_for_agrees_with_reverse(name, key):
    assert url_for(name, key) == reverse(name, args=[key])


@pytest.mark.parametrize(("name", "key"), CASES[:3])
def test_url_for_follows_the_script_prefix(name, key):
    with override_settings(FORCE_SCRIPT_NAME="/hub/"):
        from django.urls import set_script_prefix

        set_script_prefix("/hub/")
        try:
            assert url_for(name, key) == reverse(name, args=[key])
            assert url_for(name, key).startswith("/hub/")
        finally:
            set_script_prefix("/")


def test_list_url_keeps_an_old_style_id_readable():
    assert list_url("comment-list", paper="hep-th/9901001") == reverse("comment-list") + "?paper=hep-th/9901001"
    assert list_url("note-list", owner="a b&c") == reverse("note-list") + "?owner=a+b%26c"
