"""A new visitor's first evening on the hub, in a real Chromium: sign up, search, read, discuss, take a note,
publish it; and a video page whose chapters and comment timestamps seek the player.

Each run leaves screenshots of the home, a paper, a video and a profile at phone and desktop widths in
var/screenshots/.
"""

from __future__ import annotations

import datetime
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from comments import services
from tests.factories import ChannelFactory, ChapterFactory, PaperFactory, UserFactory, VideoFactory, VideoPaperFactory

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
TIMEOUT_MS = 10_000


class BrowserTestCase(StaticLiveServerTestCase):
    """One Chromium for the class; each test gets fresh contexts that reach nothing but the test server."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        if not CHROMIUM.exists():
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package (as root).")
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def new_page(self, *, javascript: bool = True):
        context = self.browser.new_context(viewport=VIEWPORTS["desktop"], java_script_enabled=javascript)
        context.set_default_timeout(TIMEOUT_MS)
        # No network here: the embedded YouTube player and anything else off the test server is refused at once.
        context.route(re.compile(r"^(?!" + re.escape(self.live_server_url) + ")"), lambda route: route.abort())
        self.addCleanup(context.close)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"

    def screenshot(self, page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for width, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size(VIEWPORTS["desktop"])


class NewMemberJourneyTests(BrowserTestCase):
    def setUp(self) -> None:
        self.bob = UserFactory(username="bob")
        self.paper = PaperFactory(
            arxiv_id="2105.06548",
            title="Not All Memories are Created Equal: Learning to Forget by Expiring",
            abstract="Attention mechanisms have shown promising results in sequence modeling tasks.",
            authors=["Sainbayar Sukhbaatar", "Angela Fan"],
        )
        root = services.comment_post(author=self.bob, target=self.paper, body="Who else read the appendix?")
        self.bobs_reply = services.comment_post(
            author=self.bob, target=self.paper, body="Answering myself: the appendix has the ablations.", parent=root
        )

    def test_sign_up_search_discuss_and_keep_a_note(self):
        page = self.new_page()
        page.goto(self.url("/"))
        self.screenshot(page, "home")

        # Sign up: the new member is logged in at once.
        page.get_by_role("link", name="Sign up").first.click()
        page.fill("#id_username", "dora")
        page.fill("#id_email", "dora@example.org")
        page.fill("#id_password1", "a long pass for dora 42")
        page.fill("#id_password2", "a long pass for dora 42")
        page.get_by_role("button", name="Create my account").click()
        page.wait_for_url(self.url("/"))
        assert page.get_by_role("link", name="My notes").count() >= 1

        # Search, then open the paper.
        page.fill("#site-search", "memories")
        page.press("#site-search", "Enter")
        page.get_by_role("link", name=re.compile("Not All Memories")).first.click()
        page.wait_for_url(self.url("/papers/2105.06548/"))

        # Comment (in place, without a page load).
        new_form = page.locator('form[data-comment-form="new"]')
        new_form.locator("textarea").fill("Expiring memories is a *neat* idea.")
        new_form.get_by_role("button", name="Post comment").click()
        mine = page.locator("article.comment.mine", has_text="Expiring memories is a neat idea.")
        mine.wait_for()
        assert mine.locator("em").inner_text() == "neat"

        # Reply to Bob's reply: it appears one level deeper.
        bobs_reply = page.locator(f"#c{self.bobs_reply.pk}")
        bobs_reply.get_by_role("link", name="Reply").click()
        reply_form = page.locator(f'form.comment-inline-form[data-for="c{self.bobs_reply.pk}"]')
        reply_form.locator("textarea").fill("Thanks, the ablations settle it.")
        reply_form.get_by_role("button", name="Post reply").click()
        reply = page.locator("article.comment.mine", has_text="the ablations settle it")
        reply.wait_for()
        assert reply.get_attribute("style") == "--depth: 2;"

        # Edit my comment: the new text shows, marked edited.
        mine.get_by_role("link", name="Edit").click()
        edit_form = page.locator("form.comment-inline-form[data-mode=edit]")
        edit_form.locator("textarea").fill("Expiring memories is a neat idea, and cheap.")
        edit_form.get_by_role("button", name="Save").click()
        edited = page.locator("article.comment.mine", has_text="and cheap.")
        edited.wait_for()
        assert edited.locator(".edited").inner_text() == "edited"

        # Delete my reply: a placeholder keeps its place.
        reply_id = reply.get_attribute("id")
        reply.get_by_role("link", name="Delete").click()
        page.locator(f"#{reply_id}.comment-gone").wait_for()
        assert "[deleted]" in page.locator(f"#{reply_id}").inner_text()

        # Vote Bob's reply up, once, then down; the vote survives a reload.
        up = bobs_reply.locator("button.vote-up")
        up.click()
        page.wait_for_function(
            f"document.querySelector('#c{self.bobs_reply.pk} button.vote-up').getAttribute('aria-pressed') === 'true'"
        )
        assert bobs_reply.locator(".votes .score").inner_text() == "1 point"
        bobs_reply.locator("button.vote-down").click()
        page.wait_for_function(
            f"document.querySelector('#c{self.bobs_reply.pk} button.vote-down').getAttribute('aria-pressed') === 'true'"
        )
        assert up.get_attribute("aria-pressed") == "false"
        assert bobs_reply.locator(".votes .score").inner_text() == "-1 points"
        page.reload()
        assert page.locator(f"#c{self.bobs_reply.pk} button.vote-down").get_attribute("aria-pressed") == "true"
        self.screenshot(page, "paper")

        # A private note on the paper.
        page.get_by_role("link", name="Write a note on this paper").click()
        page.fill("#id_title", "Expire-Span in one line")
        page.fill("#id_body", "Learn **which** memories to drop.")
        page.get_by_role("button", name="Save note").click()
        page.wait_for_url(re.compile(r"/notes/\d+/$"))
        note_url = page.url
        assert "Private" in page.locator("article.note .meta").inner_text()

        # Bob cannot read it.
        other = self.new_page()
        other.goto(self.url("/accounts/login/"))
        other.fill("#id_username", "bob")
        other.fill("#id_password", "correct horse battery staple")
        other.get_by_role("button", name="Log in").click()
        other.wait_for_url(self.url("/"))
        response = other.goto(note_url)
        assert response.status == 404
        assert "Expire-Span in one line" not in other.content()

        # Publish: on the profile, and in its Atom feed.
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(note_url)
        page.goto(self.url("/u/dora/"))
        assert page.locator(".note-feed").get_by_role("link", name="Expire-Span in one line").count() == 1
        self.screenshot(page, "profile")
        feed = page.request.get(self.url("/u/dora/feed/"))
        assert feed.status == 200
        assert "<title>Expire-Span in one line</title>" in feed.text()
        assert other.goto(note_url).status == 200

    def test_without_javascript_forms_post_and_return_to_the_comment(self):
        page = self.new_page(javascript=False)
        page.goto(self.url("/accounts/login/?next=/papers/2105.06548/"))
        page.fill("#id_username", "bob")
        page.fill("#id_password", "correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(self.url("/papers/2105.06548/"))

        page.locator(f"#c{self.bobs_reply.pk}").get_by_role("link", name="Reply").click()
        page.wait_for_url(self.url(f"/comments/{self.bobs_reply.pk}/reply/"))
        page.fill("#id_body", "   ")  # blank: the browser lets it through, the server says why
        page.get_by_role("button", name="Post reply").click()
        assert "Write something before posting." in page.content()
        page.fill("#id_body", "Plain HTML works too.")
        page.get_by_role("button", name="Post reply").click()
        page.wait_for_url(re.compile(r"/papers/2105\.06548/\?comment=(\d+)#c\1$"))
        anchor = page.url.rsplit("#", 1)[1]
        assert page.locator(f"#{anchor}").inner_text().count("Plain HTML works too.") == 1


class VideoSeekTests(BrowserTestCase):
    def setUp(self) -> None:
        host = UserFactory(username="host")
        self.video = VideoFactory(
            slug="expire-span-explained",
            title="Expire-Span explained",
            url="https://www.youtube.com/watch?v=2PYLNHqxd5A",
            published=datetime.date(2021, 5, 26),
            channel=ChannelFactory(owner=host),
        )
        VideoPaperFactory(video=self.video, paper=PaperFactory(arxiv_id="2105.06548", title="Expire-Span"))
        ChapterFactory(video=self.video, start=0, title="Intro")
        ChapterFactory(video=self.video, start=330, title="Expiring memories")
        services.comment_post(author=host, target=self.video, body="The main trick is at 12:30.")

    def test_a_chapter_and_a_timestamp_in_a_comment_seek_the_player(self):
        page = self.new_page()
        page.goto(self.url("/videos/expire-span-explained/"))
        page.locator("#video-player").wait_for(state="attached")
        self.screenshot(page, "video")

        chapter = page.locator('.chapters a[data-seek="330"]')
        assert chapter.get_attribute("href") == "https://www.youtube.com/watch?v=2PYLNHqxd5A&t=330s"
        chapter.click()
        assert "is-current" in chapter.get_attribute("class")
        assert page.url == self.url("/videos/expire-span-explained/")  # the player seeks; no page is left

        stamp = page.locator('article.comment a[data-seek="750"]')
        assert stamp.inner_text() == "12:30"
        assert stamp.get_attribute("href") == "https://www.youtube.com/watch?v=2PYLNHqxd5A&t=750s"
        stamp.click()
        assert "is-current" in stamp.get_attribute("class")
        assert "is-current" not in (chapter.get_attribute("class") or "")
        assert page.url == self.url("/videos/expire-span-explained/")


def silent_wav(seconds: int, rate: int = 4000) -> bytes:
    """A mono 8-bit WAV of silence: an episode's audio that Chromium can load and seek, made here (no network)."""
    frames = b"\x80" * (seconds * rate)
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(frames),
        b"WAVE",
        b"fmt ",
        16,
        1,
        1,
        rate,
        rate,
        1,
        8,
        b"data",
        len(frames),
    )
    return header + frames


class AudioSeekTests(BrowserTestCase):
    AUDIO_URL = "https://media.podcast.example.org/expire-span.wav"

    def setUp(self) -> None:
        host = UserFactory(username="host")
        channel = ChannelFactory(owner=host)
        self.episode = VideoFactory(
            slug="expire-span-episode", title="Expire-Span, the episode", channel=channel, audio_url=self.AUDIO_URL
        )
        ChapterFactory(video=self.episode, start=0, title="Intro")
        ChapterFactory(video=self.episode, start=150, title="Remembering the past")
        services.comment_post(author=host, target=self.episode, body="The main trick is at 5:00.")
        self.silent = VideoFactory(slug="demo-episode", title="Nothing to play", channel=channel)
        ChapterFactory(video=self.silent, start=150, title="Remembering the past")
        services.comment_post(author=host, target=self.silent, body="The main trick is at 5:00.")

    def audio_page(self):
        page = self.new_page()
        audio = silent_wav(400)

        def serve(route) -> None:
            # As audio hosts do: byte ranges, without which Chromium holds a file unseekable and every seek lands at 0.
            match = re.fullmatch(r"bytes=(\d+)-(\d*)", route.request.headers.get("range", "bytes=0-"))
            start = int(match.group(1)) if match else 0
            end = int(match.group(2)) if match and match.group(2) else len(audio) - 1
            headers = {
                "Content-Type": "audio/wav",
                "Accept-Ranges": "bytes",
                "Content-Range": f"bytes {start}-{end}/{len(audio)}",
            }
            route.fulfill(status=206, body=audio[start : end + 1], headers=headers)

        # Registered after new_page's refusal of every other host, so it answers first: the episode's file.
        page.context.route(self.AUDIO_URL, serve)
        return page

    def current_time(self, page) -> float:
        return page.evaluate("document.getElementById('audio-player').currentTime")

    def test_chapters_and_comment_times_seek_the_audio(self):
        page = self.audio_page()
        page.goto(self.url("/videos/expire-span-episode/"))
        page.wait_for_function("document.getElementById('audio-player').readyState >= 1")
        self.screenshot(page, "video-audio")

        chapter = page.locator('.chapters a[data-seek="150"]')
        assert chapter.get_attribute("href") == "/videos/expire-span-episode/?t=150#player"
        chapter.click()
        page.wait_for_function("Math.abs(document.getElementById('audio-player').currentTime - 150) < 1")
        assert "is-current" in chapter.get_attribute("class")
        assert page.url == self.url("/videos/expire-span-episode/")  # the audio seeks; no page is left

        stamp = page.locator('article.comment a[data-seek="300"]')
        assert stamp.inner_text() == "5:00"
        stamp.click()
        page.wait_for_function("Math.abs(document.getElementById('audio-player').currentTime - 300) < 1")
        assert page.url == self.url("/videos/expire-span-episode/")

    def test_a_chapter_link_from_elsewhere_starts_the_audio_at_its_time(self):
        page = self.audio_page()
        page.goto(self.url("/videos/expire-span-episode/?t=150#player"))
        page.wait_for_function("document.getElementById('audio-player').readyState >= 1")
        assert abs(self.current_time(page) - 150) < 1

    def test_times_are_text_when_nothing_plays(self):
        page = self.new_page()
        page.goto(self.url("/videos/demo-episode/"))
        self.screenshot(page, "video-nothing-to-play")
        assert page.locator("a[data-seek]").count() == 0
        assert page.locator("#player").count() == 0
        assert page.locator(".chapters .chapter-static .time").inner_text() == "2:30"
        comment = page.locator("article.comment .prose")
        assert "The main trick is at 5:00." in comment.inner_text()
        assert comment.locator("a").count() == 0
