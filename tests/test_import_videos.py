"""Videos from their descriptions and channel feeds: every seed episode, re-runs that never duplicate, stubs."""

from __future__ import annotations

from pathlib import Path

from django.test import TestCase

from papers.models import Paper
from tests.test_video_description import SEED_EPISODES, SEED_PATH
from tests.test_video_description_arxiv import seed_with_prose
from videos.description import parse_timestamp
from videos.importers import channel_named, import_episodes, import_video, read_description_text
from videos.incoming import html_to_text, read_feed
from videos.models import Channel, Chapter, Correction, Video, VideoPaper

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
CHANNEL = "Yannic Kilcher Videos (Audio Only)"


def import_feed_file(path: Path, channel: str | None = None):
    feed_channel, episodes = read_feed(path.read_bytes())
    target = channel_named(channel or feed_channel.title, description=feed_channel.description, url=feed_channel.url)
    return target, import_episodes(
        channel=target, episodes=((e.episode, e.url, e.audio_url) for e in episodes), source=str(path)
    )


def video_state() -> list[tuple]:
    return [
        (
            video.pk,
            video.title,
            video.modified_at,
            tuple(video.chapters.values_list("start", "title")),
            tuple(video.corrections.values_list("kind", "body", "at")),
            tuple(video.paper_links.values_list("paper__arxiv_id", "role")),
        )
        for video in Video.objects.order_by("pk")
    ]


class SeedFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel, cls.report = import_feed_file(SEED_PATH)

    def test_every_episode_imports_once_into_the_named_channel(self):
        assert (self.report.created, self.report.updated, self.report.skipped) == (10, 0, 0)
        assert self.report.problems == []
        assert self.channel.name == CHANNEL
        assert self.channel.description.startswith("I make videos about machine learning research papers")
        assert Video.objects.filter(channel=self.channel).count() == len(SEED_EPISODES) == 10

    def test_every_episode_has_its_chapters_times_corrections_and_papers(self):
        for (
            title_start,
            _,
            published,
            duration,
            chapter_count,
            spot,
            papers,
            code_urls,
            _,
            kinds,
            tags,
        ) in SEED_EPISODES:
            video = Video.objects.get(title__startswith=title_start)
            assert (video.published_day, video.duration) == (published, duration), title_start
            starts = list(video.chapters.order_by("start").values_list("start", flat=True))
            assert len(starts) == chapter_count, title_start
            assert starts[0] == 0 and starts == sorted(set(starts)), title_start
            for time, chapter_title in spot.items():
                assert video.chapters.get(start=parse_timestamp(time)).title == chapter_title, (title_start, time)
            assert list(video.paper_links.order_by("position").values_list("paper__arxiv_id", "role")) == papers
            assert list(video.code_links.order_by("position").values_list("url", flat=True)) == code_urls
            assert list(video.corrections.order_by("position").values_list("kind", flat=True)) == kinds
            assert sorted(video.tags.values_list("name", flat=True)) == sorted(tags)

    def test_errata_and_addenda_keep_their_text_and_time(self):
        lecun = Video.objects.get(title__startswith="Yann LeCun - Self-Supervised Learning")
        assert lecun.corrections.filter(kind=Correction.Kind.ERRATUM).count() == 3
        expire = Video.objects.get(title__startswith="Expire-Span")
        addendum = expire.corrections.get()
        assert addendum.kind == Correction.Kind.ADDENDUM
        assert addendum.body

    def test_linked_papers_are_created_as_stubs(self):
        linked = set(VideoPaper.objects.values_list("paper__arxiv_id", flat=True))
        assert linked == {p for episode in SEED_EPISODES for p, _ in episode[6]}
        assert set(Paper.objects.filter(is_stub=True).values_list("arxiv_id", flat=True)) == linked
        assert self.report.stubs_created == len(linked)
        stub = Paper.objects.get(arxiv_id="2105.06548")
        assert stub.title == "arXiv:2105.06548"

    def test_rerunning_the_feed_changes_nothing_and_never_duplicates(self):
        before = video_state()
        counts = (Video.objects.count(), Chapter.objects.count(), Correction.objects.count(), Paper.objects.count())
        _, report = import_feed_file(SEED_PATH)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 10)
        assert video_state() == before
        assert (
            Video.objects.count(),
            Chapter.objects.count(),
            Correction.objects.count(),
            Paper.objects.count(),
        ) == counts


class SeedWithProseMentionsTests(TestCase):
    """The seed's show notes with a prose line naming two papers below the DDPM episode's links (issue 12)."""

    @staticmethod
    def import_text(text: str):
        feed_channel, episodes = read_feed(text.encode())
        channel = channel_named(feed_channel.title, description=feed_channel.description)
        return import_episodes(channel=channel, episodes=((e.episode, e.url) for e in episodes), source="seed")

    def test_papers_named_in_prose_are_mentioned_and_a_second_import_changes_nothing(self):
        report = self.import_text(seed_with_prose())
        assert (report.created, report.updated, report.skipped, report.problems) == (10, 0, 0, [])
        ddpm = Video.objects.get(title__startswith="DDPM")
        assert list(ddpm.paper_links.order_by("position").values_list("paper__arxiv_id", "role")) == [
            ("2105.05233", VideoPaper.Role.EXPLAINED),
            ("2102.09672", VideoPaper.Role.PREVIOUS),
            ("2006.11239", VideoPaper.Role.MENTIONED),
            ("1907.05600", VideoPaper.Role.MENTIONED),
        ]
        assert Paper.objects.get(arxiv_id="1907.05600").is_stub
        before, counts = video_state(), (Paper.objects.count(), VideoPaper.objects.count())

        again = self.import_text(seed_with_prose())
        assert (again.created, again.updated, again.unchanged, again.stubs_created) == (0, 0, 10, 0)
        assert video_state() == before
        assert (Paper.objects.count(), VideoPaper.objects.count()) == counts

    def test_the_seed_as_written_takes_the_mentions_away_again(self):
        self.import_text(seed_with_prose())
        report = self.import_text(SEED_PATH.read_text(encoding="utf-8"))
        assert (report.created, report.updated, report.unchanged) == (0, 1, 9)
        ddpm = Video.objects.get(title__startswith="DDPM")
        assert list(ddpm.paper_links.order_by("position").values_list("paper__arxiv_id", flat=True)) == [
            "2105.05233",
            "2102.09672",
        ]


class ChannelFeedTests(TestCase):
    def test_podcast_rss_episodes_with_html_descriptions(self):
        channel, report = import_feed_file(FEEDS / "podcast_two_episodes.rss")
        assert channel.name == CHANNEL
        assert channel.url == "https://www.youtube.com/c/YannicKilcher"
        assert (report.created, report.skipped, report.problems) == (2, 0, [])
        expire = Video.objects.get(title__startswith="Expire-Span")
        assert expire.url == "https://www.youtube.com/watch?v=2PYLNHqxd5A"
        assert expire.youtube_id == "2PYLNHqxd5A"
        assert expire.duration == 42 * 60 + 13
        assert expire.published_local.isoformat() == "2021-05-26T16:04:11+00:00"
        assert expire.chapters.count() == 9
        assert expire.chapters.get(start=18 * 60 + 50).title == "Predicting expiration masks"
        assert list(expire.paper_links.values_list("paper__arxiv_id", "role")) == [("2105.06548", "explained")]
        assert list(expire.corrections.values_list("kind", flat=True)) == [Correction.Kind.ADDENDUM]
        music = Video.objects.get(title__contains="music video")
        assert music.duration == 852
        assert music.chapters.count() == 6

    def test_rerunning_a_feed_updates_in_place(self):
        import_feed_file(FEEDS / "podcast_two_episodes.rss")
        before = video_state()
        _, report = import_feed_file(FEEDS / "podcast_two_episodes.rss")
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
        assert video_state() == before

    def test_youtube_channel_atom_feed(self):
        channel, report = import_feed_file(FEEDS / "youtube_channel.xml")
        assert channel.name == "Yannic Kilcher"
        assert report.created == 1
        video = Video.objects.get()
        assert video.youtube_id == "JJR3pBl78zw"
        assert video.published_local.isoformat() == "2021-05-24T14:02:11+00:00"
        assert video.duration is None
        assert video.title.startswith("FNet")
        assert video.chapters.count() == 7
        assert list(video.paper_links.values_list("paper__arxiv_id", flat=True)) == ["2105.03824"]

    def test_the_same_video_from_its_youtube_feed_and_a_pasted_description_is_one_video(self):
        import_feed_file(FEEDS / "youtube_channel.xml")
        channel = Channel.objects.get()
        text = (Path(__file__).resolve().parent.parent / "hub" / "demo" / "videos" / "02-fnet.txt").read_text()
        pasted = read_description_text(text)
        result = import_video(
            channel=channel,
            title=pasted.title,
            description=pasted.description,
            url="https://youtu.be/JJR3pBl78zw",
        )
        assert not result.created
        assert Video.objects.count() == 1


class HtmlToTextTests(TestCase):
    def test_paragraphs_are_lines_and_empty_paragraphs_blank_lines(self):
        text = html_to_text("<p>OUTLINE:</p>\n<p>0:00 - Intro</p><p><br></p><p>ERRATA:</p><p>a&amp;b</p>")
        assert text == "OUTLINE:\n0:00 - Intro\n\nERRATA:\na&b"

    def test_a_link_keeps_its_url_when_its_text_is_not_the_url(self):
        assert html_to_text('<p>Paper: <a href="https://arxiv.org/abs/2105.06548">here</a></p>') == (
            "Paper: here https://arxiv.org/abs/2105.06548"
        )
        assert html_to_text('<a href="https://x.org/a">https://x.org/a</a>') == "https://x.org/a"

    def test_plain_text_passes_through(self):
        assert html_to_text("line one\nline two &amp; more") == "line one\nline two & more"
