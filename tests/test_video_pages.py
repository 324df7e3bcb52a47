"""Video pages: the player, chapters that seek, corrections at their chapter, the papers explained; lists."""

from __future__ import annotations

import datetime

from django.test import TestCase

from comments.models import Comment
from tests.factories import (
    ChannelFactory,
    ChapterFactory,
    CommentFactory,
    CorrectionFactory,
    PaperFactory,
    VideoFactory,
    VideoPaperFactory,
)
from tests.pages import PUBLIC_NOTES_QUERIES, discussion_queries, queries_of
from videos.models import Correction, Video, VideoPaper

# the video (with channel), chapters, corrections, tags, code links, paper links (with papers), authorships, and
# the discussion's comments per chapter (one aggregate query)
VIDEO_QUERIES = 8
# the page of videos (with channels)
LIST_QUERIES = 1
# the channel, the page of its videos
CHANNEL_QUERIES = 2


class VideoPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.video = VideoFactory(
            title="Expire-Span explained",
            slug="expire-span",
            url="https://www.youtube.com/watch?v=2PYLNHqxd5A",
            duration=2520,
            summary="Tokens get a learned lifetime.",
            channel=ChannelFactory(name="Paper Explained", slug="paper-explained"),
        )
        for start, title in [(0, "Intro"), (150, "Remembering the past"), (3723, "Long tail")]:
            ChapterFactory(video=cls.video, start=start, title=title)
        CorrectionFactory(video=cls.video, kind=Correction.Kind.ERRATUM, body="The *loss* is wrong here.", at=200)
        CorrectionFactory(video=cls.video, kind=Correction.Kind.ADDENDUM, body="Code is now public.", at=None)
        paper = PaperFactory(arxiv_id="2105.06548", title="Not All Memories are Created Equal", authors=["S. S."])
        VideoPaperFactory(video=cls.video, paper=paper, role=VideoPaper.Role.EXPLAINED)

    def body(self, url: str = "/videos/expire-span/") -> str:
        response = self.client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def test_embeds_the_nocookie_player_with_the_js_api(self):
        assert 'src="https://www.youtube-nocookie.com/embed/2PYLNHqxd5A?enablejsapi=1&amp;rel=0"' in self.body()

    def test_a_start_time_in_the_address_starts_the_player_there(self):
        assert "embed/2PYLNHqxd5A?enablejsapi=1&amp;rel=0&amp;start=150" in self.body("/videos/expire-span/?t=150")

    def test_chapters_are_plain_links_to_the_video_at_that_time_that_seek_with_js(self):
        body = self.body()
        assert (
            '<a href="https://www.youtube.com/watch?v=2PYLNHqxd5A&amp;t=150s" data-seek="150">'
            '<span class="time">2:30</span> <span class="chapter-title">Remembering the past</span></a>'
        ) in body
        assert '<span class="time">1:02:03</span>' in body

    def test_a_correction_is_shown_at_the_chapter_it_falls_in(self):
        body = self.body()
        chapter = body.index("Remembering the past</span>")
        erratum = body.index("The <em>loss</em> is wrong here.")
        next_chapter = body.index("Long tail</span>")
        assert chapter < erratum < next_chapter
        assert '<a href="https://www.youtube.com/watch?v=2PYLNHqxd5A&amp;t=200s" data-seek="200">3:20</a>' in body

    def test_a_correction_without_a_time_is_shown_with_the_whole_video(self):
        body = self.body()
        outline_start = body.index('<nav class="outline"')
        outline_end = body.index("</nav>", outline_start)
        assert not outline_start < body.index("Code is now public.") < outline_end

    def test_lists_the_papers_it_explains(self):
        body = self.body()
        assert '<a href="/papers/2105.06548/">Not All Memories are Created Equal</a>' in body
        assert "Paper explained" in body

    def test_title_and_description(self):
        body = self.body()
        assert "<title>Expire-Span explained · Paper Explained · Paper Hub</title>" in body
        assert '<meta name="description" content="Tokens get a learned lifetime.">' in body

    def test_a_video_without_an_address_has_no_player_and_no_empty_links(self):
        bare = VideoFactory(slug="bare", url="")
        ChapterFactory(video=bare, start=60, title="Only chapter")
        body = self.body("/videos/bare/")
        assert "<iframe" not in body and 'href=""' not in body
        assert '<span class="chapter-static"><span class="time">1:00</span>' in body

    def test_an_unknown_video_is_our_404(self):
        response = self.client.get("/videos/no-such-video/")
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()


class AudioEpisodeTests(TestCase):
    """A podcast episode without a YouTube video plays its feed's audio; chapters and times seek it."""

    @classmethod
    def setUpTestData(cls):
        cls.video = VideoFactory(
            title="Expire-Span, the episode",
            slug="expire-span-audio",
            url="https://podcast.example.org/episodes/expire-span",
            audio_url="https://media.podcast.example.org/pad-1.mp3",
        )
        ChapterFactory(video=cls.video, start=150, title="Remembering the past")
        CorrectionFactory(video=cls.video, kind=Correction.Kind.ERRATUM, body="Wrong sign.", at=200)
        cls.comment = CommentFactory(video=cls.video, paper=None, body="The trick is at 2:30.")
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        VideoPaperFactory(video=cls.video, paper=cls.paper)

    def test_the_audio_element_is_the_player(self):
        body = self.client.get("/videos/expire-span-audio/").content.decode()
        assert '<div class="player player-audio" id="player">' in body
        assert (
            '<audio id="audio-player" controls preload="metadata" src="https://media.podcast.example.org/pad-1.mp3"'
            in body
        )
        assert "<iframe" not in body

    def test_a_start_time_in_the_address_starts_the_audio_there(self):
        body = self.client.get("/videos/expire-span-audio/?t=150").content.decode()
        assert 'src="https://media.podcast.example.org/pad-1.mp3#t=150"' in body

    def test_chapters_corrections_and_comment_times_seek_the_audio(self):
        body = self.client.get("/videos/expire-span-audio/").content.decode()
        assert (
            '<a href="/videos/expire-span-audio/?t=150#player" data-seek="150"><span class="time">2:30</span>'
        ) in body
        assert '<a href="/videos/expire-span-audio/?t=200#player" data-seek="200">3:20</a>' in body
        assert 'The trick is at <a href="/videos/expire-span-audio/?t=150#player" data-seek="150">2:30</a>' in body
        assert 'href=""' not in body

    def test_the_paper_page_links_chapters_to_the_player(self):
        body = self.client.get("/papers/2105.06548/").content.decode()
        assert '<a href="/videos/expire-span-audio/?t=150#player"><span class="time">2:30</span>' in body


class NothingToPlayTests(TestCase):
    """The demo's videos: no YouTube id, no audio. Their times are text, never links to a player that is not there."""

    @classmethod
    def setUpTestData(cls):
        cls.video = VideoFactory(slug="demo-episode", url="", youtube_id="", audio_url="")
        ChapterFactory(video=cls.video, start=150, title="Remembering the past")
        CorrectionFactory(video=cls.video, kind=Correction.Kind.ERRATUM, body="Wrong sign.", at=200)
        cls.comment = CommentFactory(video=cls.video, paper=None, body="The trick is at 2:30.")
        VideoPaperFactory(video=cls.video, paper=PaperFactory(arxiv_id="2105.06548"))

    def test_no_player_and_no_links_for_times(self):
        body = self.client.get("/videos/demo-episode/").content.decode()
        assert 'id="player"' not in body and "data-seek" not in body and 'href=""' not in body
        assert '<span class="chapter-static"><span class="time">2:30</span>' in body
        assert 'Erratum at 3:20 <span class="badge correction-status status-confirmed">confirmed</span></p>' in body
        assert "<p>The trick is at 2:30.</p>" in body

    def test_a_comment_saved_with_an_empty_link_is_drawn_as_text(self):
        # What comments on the demo's videos hold from before: a time link with nowhere to go.
        Comment.objects.filter(pk=self.comment.pk).update(
            body_html='<p>The trick is at <a href="" data-seek="150">2:30</a>.</p>'
        )
        body = self.client.get("/videos/demo-episode/").content.decode()
        assert "<p>The trick is at 2:30.</p>" in body and 'href=""' not in body
        assert 'href=""' not in self.client.get(f"/comments/{self.comment.pk}/").content.decode()

    def test_a_video_that_gains_audio_links_its_old_comments_times(self):
        Video.objects.filter(pk=self.video.pk).update(audio_url="https://media.example.org/a.mp3")
        body = self.client.get("/videos/demo-episode/").content.decode()
        assert 'The trick is at <a href="/videos/demo-episode/?t=150#player" data-seek="150">2:30</a>' in body

    def test_the_paper_page_shows_its_chapters_as_text(self):
        body = self.client.get("/papers/2105.06548/").content.decode()
        assert "?t=150#player" not in body
        assert '<li><span class="time">2:30</span> Remembering the past</li>' in body


class VideoPageQueryTests(TestCase):
    def video_with(self, n: int):
        video = VideoFactory(slug=f"video-{n}", url="https://youtu.be/abcdefghijk")
        for i in range(4 * n):
            ChapterFactory(video=video, start=i * 45, title=f"Chapter {i}")
        for i in range(2 * n):
            CorrectionFactory(video=video, at=i * 90, body=f"Correction {i}")
        for i in range(n):
            paper = PaperFactory(arxiv_id=f"2108.{n * 100 + i:05d}", authors=[f"Writer {n}-{i}", f"Other {n}-{i}"])
            VideoPaperFactory(video=video, paper=paper, position=i)
        return video

    def test_video_page_takes_the_same_queries_for_many_chapters_corrections_and_papers(self):
        for n in (1, 3):
            video = self.video_with(n)
            count, response, sql = queries_of(self.client, video.get_absolute_url())
            assert count == VIDEO_QUERIES + discussion_queries(video) + PUBLIC_NOTES_QUERIES, sql
            assert len(response.context["outline"].entries) == 4 * n
            assert len(response.context["paper_links"]) == n


class VideoListTests(TestCase):
    def test_list_and_channel_pages_take_the_same_queries_for_n_and_3n_videos(self):
        channel = ChannelFactory(name="Paper Explained", slug="paper-explained")
        for total in (4, 12):
            while channel.videos.count() < total:
                VideoFactory(channel=channel, published=datetime.date(2021, 1, 1))
            count, response, sql = queries_of(self.client, "/videos/")
            assert count == LIST_QUERIES, sql
            assert len(response.context["page"].items) == total
            count, response, sql = queries_of(self.client, "/channels/paper-explained/")
            assert count == CHANNEL_QUERIES, sql
            assert len(response.context["page"].items) == total

    def test_videos_are_listed_newest_first_with_undated_ones_last(self):
        VideoFactory(title="Undated", published=None)
        VideoFactory(title="Older", published=datetime.date(2020, 1, 1))
        VideoFactory(title="Newer", published=datetime.date(2022, 1, 1))
        response = self.client.get("/videos/")
        assert [v.title for v in response.context["page"]] == ["Newer", "Older", "Undated"]
        assert "<title>Videos · Paper Hub</title>" in response.content.decode()

    def test_channel_page_shows_its_description(self):
        ChannelFactory(name="Paper Explained", slug="paper-explained", description="Walk-throughs of papers.")
        body = self.client.get("/channels/paper-explained/").content.decode()
        assert '<p class="lead">Walk-throughs of papers.</p>' in body
        assert "<title>Paper Explained · Paper Hub</title>" in body
