"""A video's publication time as its feed gives it: the moment kept, the feed's day shown, on every surface.

The old import took feedparser's UTC reading of `pubDate` and kept its date, so an episode published at 18:00
-0700 was filed under the next day (on a real 730-episode feed, only 393 dates were right).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from tests.api_support import client_for
from tests.factories import VideoFactory, make_personas
from videos.importers import channel_named, import_episodes
from videos.incoming import read_feed, read_feed_date
from videos.models import Video, publication_moment
from videos.search import search_videos

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
UTC = datetime.UTC


def offset(hours: float) -> datetime.timezone:
    return datetime.timezone(datetime.timedelta(hours=hours))


def import_feed(name: str):
    feed_channel, episodes = read_feed((FEEDS / name).read_bytes())
    channel = channel_named(feed_channel.title, description=feed_channel.description, url=feed_channel.url)
    return import_episodes(channel=channel, episodes=((e.episode, e.url, e.audio_url) for e in episodes), source=name)


class ReadFeedDateTests(SimpleTestCase):
    def test_rfc_822_dates_keep_their_offset(self):
        cases = {
            "Wed, 26 May 2021 18:00:00 -0700": datetime.datetime(2021, 5, 26, 18, 0, tzinfo=offset(-7)),
            "Thu, 27 May 2021 23:30:00 GMT": datetime.datetime(2021, 5, 27, 23, 30, tzinfo=UTC),
            "Fri, 28 May 2021 20:15:00 PDT": datetime.datetime(2021, 5, 28, 20, 15, tzinfo=offset(-7)),
            "Sat, 29 May 2021 00:30:00 +0200": datetime.datetime(2021, 5, 29, 0, 30, tzinfo=offset(2)),
            "Sat, 29 May 2021 00:30:00 +0530": datetime.datetime(2021, 5, 29, 0, 30, tzinfo=offset(5.5)),
            "29 May 2021 00:30 -0000": datetime.datetime(2021, 5, 29, 0, 30, tzinfo=UTC),  # "unknown": read as UTC
        }
        for text, expected in cases.items():
            moment = read_feed_date(text)
            assert moment == expected and moment.utcoffset() == expected.utcoffset(), text

    def test_atom_dates_keep_their_offset(self):
        assert read_feed_date("2021-05-27T01:30:00+05:30").utcoffset() == datetime.timedelta(hours=5, minutes=30)
        assert read_feed_date("2021-05-26T22:00:00Z") == datetime.datetime(2021, 5, 26, 22, tzinfo=UTC)
        assert read_feed_date("2021-05-26T22:00:00.123-04:00").date() == datetime.date(2021, 5, 26)

    def test_other_shapes_are_not_guessed(self):
        assert read_feed_date("last Tuesday") is None
        assert read_feed_date("") is None

    def test_publication_moment_of_a_day_is_its_midnight_utc(self):
        assert publication_moment(datetime.date(2021, 5, 26)) == (datetime.datetime(2021, 5, 26, tzinfo=UTC), 0)
        moment = datetime.datetime(2021, 5, 26, 18, tzinfo=offset(-7))
        assert publication_moment(moment) == (moment, -420)


class FeedDateImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.report = import_feed("podcast_offsets.rss")
        cls.atom_report = import_feed("atom_offsets.xml")

    def video(self, title_start: str) -> Video:
        return Video.objects.get(title__startswith=title_start)

    def test_the_day_shown_is_the_day_the_feed_gave(self):
        assert (self.report.created, self.atom_report.created) == (4, 2)
        days = {v.title.split()[0]: v.published_day for v in Video.objects.all()}
        assert days == {
            "Expire-Span": datetime.date(2021, 5, 26),  # 18:00 -0700 is 01:00 UTC on the 27th
            "FNet": datetime.date(2021, 5, 27),
            "MLP-Mixer,": datetime.date(2021, 5, 28),  # 20:15 PDT is 03:15 UTC on the 29th
            "DDPM": datetime.date(2021, 5, 29),  # 00:30 +0200 is 22:30 UTC on the 28th
            "Perceiver": datetime.date(2021, 5, 27),  # 01:30 +05:30 is 20:00 UTC on the 26th
            "ViT": datetime.date(2021, 5, 26),
        }

    def test_the_moment_and_offset_are_stored(self):
        expire = self.video("Expire-Span")
        assert expire.published == datetime.datetime(2021, 5, 27, 1, 0, tzinfo=UTC)
        assert expire.published_offset == -420
        assert expire.published_local.isoformat() == "2021-05-26T18:00:00-07:00"
        assert self.video("Perceiver").published_offset == 330

    def test_lists_are_newest_first_by_the_moment(self):
        titles = [v.title.split()[0] for v in Video.objects.newest()]
        assert titles == ["MLP-Mixer,", "DDPM", "FNet", "Expire-Span", "ViT", "Perceiver"]
        response = self.client.get("/videos/")
        assert [v.title.split()[0] for v in response.context["page"]] == titles

    def test_pages_show_the_feeds_day_with_its_offset(self):
        expire = self.video("Expire-Span")
        page = self.client.get(expire.get_absolute_url()).content.decode()
        assert '<time datetime="2021-05-26T18:00:00-07:00">26 May 2021</time>' in page
        listing = self.client.get("/videos/").content.decode()
        assert '<time datetime="2021-05-26T18:00:00-07:00">26 May 2021</time>' in listing
        assert '<time datetime="2021-05-29T00:30:00+02:00">29 May 2021</time>' in listing
        assert "27 May 2021</time></span>" not in page

    def test_search_shows_the_feeds_day(self):
        body = self.client.get("/papers/", {"q": "forget"}).content.decode()
        assert "Expire-Span at six in the evening" in body
        assert "26 May 2021" in body

    def test_atom_syndication_keeps_the_offset(self):
        body = self.client.get("/videos/feed/").content.decode()
        assert "<published>2021-05-26T18:00:00-07:00</published>" in body
        assert "<published>2021-05-27T01:30:00+05:30</published>" in body

    def test_api_gives_an_iso_datetime_in_the_feeds_offset(self):
        results = client_for().get("/api/v1/videos/", {"page_size": 10}).json()["results"]
        published = {v["title"].split()[0]: v["published"] for v in results}
        assert published["Expire-Span"] == "2021-05-26T18:00:00-07:00"
        assert published["FNet"] == "2021-05-27T23:30:00Z"
        assert published["Perceiver"] == "2021-05-27T01:30:00+05:30"

    def test_reimporting_the_feed_changes_nothing(self):
        stamps = dict(Video.objects.values_list("pk", "modified_at"))
        again = import_feed("podcast_offsets.rss")
        assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
        assert dict(Video.objects.values_list("pk", "modified_at")) == stamps


class ApiWriteTests(TestCase):
    def test_a_curator_writes_a_time_with_its_offset(self):
        people = make_personas()
        video = VideoFactory(slug="late-show")
        carol = client_for(people.carol)
        response = carol.patch("/api/v1/videos/late-show/", {"published": "2021-05-26T18:00:00-07:00"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["published"] == "2021-05-26T18:00:00-07:00"
        video.refresh_from_db()
        assert (video.published_day, video.published_offset) == (datetime.date(2021, 5, 26), -420)
        response = carol.patch("/api/v1/videos/late-show/", {"published": None}, format="json")
        assert response.status_code == 200 and response.json()["published"] is None


class DateOnlyTests(TestCase):
    def test_a_day_without_a_time_is_shown_as_that_day(self):
        video = VideoFactory(published=datetime.date(2021, 5, 26))
        video.refresh_from_db()
        assert (video.published, video.published_offset) == (datetime.datetime(2021, 5, 26, tzinfo=UTC), 0)
        assert video.published_day == datetime.date(2021, 5, 26)


class PublishedMigrationTests(TransactionTestCase):
    """videos/0004 turns stored dates into midnight UTC with offset 0 (the same day shown), and back."""

    before = [("videos", "0003_count_explainer_discussions")]
    after = [("videos", "0004_published_time_and_audio")]

    def migrate(self, target):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    def test_dates_become_moments_and_back(self):
        try:
            apps = self.migrate(self.before)
            channel = apps.get_model("videos", "Channel").objects.create(name="Old", slug="old")
            Video = apps.get_model("videos", "Video")
            Video.objects.create(channel=channel, title="Dated", slug="dated", published=datetime.date(2021, 5, 26))
            Video.objects.create(channel=channel, title="Undated", slug="undated", published=None)
            apps = self.migrate(self.after)
            rows = dict(apps.get_model("videos", "Video").objects.values_list("slug", "published"))
            assert rows == {"dated": datetime.datetime(2021, 5, 26, tzinfo=UTC), "undated": None}
            assert apps.get_model("videos", "Video").objects.get(slug="dated").published_offset == 0
            # SQLite remakes the table: the search's triggers must be back, so a new video is found by its title
            VideoFactory(title="Zeitgeber explained", slug="zeitgeber")
            assert [hit.video.slug for hit in search_videos("zeitgeber").hits] == ["zeitgeber"]
            apps = self.migrate(self.before)
            rows = dict(apps.get_model("videos", "Video").objects.values_list("slug", "published"))
            assert rows == {
                "dated": datetime.date(2021, 5, 26),
                "undated": None,
                "zeitgeber": datetime.date(2021, 5, 1),
            }
        finally:
            # Every app back to its latest migration: going back to videos/0003 also unapplied the comments
            # migrations that depend on videos/0004, which later tests' tables need.
            executor = MigrationExecutor(connection)
            executor.migrate(executor.loader.graph.leaf_nodes())
