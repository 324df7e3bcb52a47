"""Digits that str.isdigit() accepts and int() refuses ('²', '³') are bad input like any other: never a 500."""

from __future__ import annotations

from django.test import TestCase

from tests.factories import PaperFactory, UserFactory, VideoFactory
from videos.incoming import _duration


class SuperscriptDigitTests(TestCase):
    def test_a_list_page_number_in_superscript_is_page_one(self):
        PaperFactory()
        for url in ("/papers/?page=²", "/videos/?page=²", "/papers/?page=1²"):
            assert self.client.get(url).status_code == 200, url

    def test_a_video_start_time_in_superscript_starts_at_zero(self):
        video = VideoFactory()
        assert self.client.get(video.get_absolute_url() + "?t=²").status_code == 200

    def test_the_admin_year_filter_ignores_superscripts(self):
        self.client.force_login(UserFactory(is_staff=True, is_superuser=True))
        assert self.client.get("/admin/papers/paper/?year=²").status_code in (200, 302)

    def test_a_feed_duration_in_superscript_is_no_duration(self):
        assert _duration("²") is None
