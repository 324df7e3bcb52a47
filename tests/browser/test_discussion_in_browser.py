"""Issue 13 in a real Chromium: a comment about the time the player is at (taken by the page's script), counted in
its chapter and found through the outline; a question's asker accepting an answer with the script running; a member
editing a comment in place and reading the edit's diff; and a flag followed through a curator's review to the log."""

from __future__ import annotations

import pytest

from comments import services
from comments.models import Comment, Flag, Moderation
from tests.browser import test_hub_in_browser as hub_browser
from tests.browser.test_hub_in_browser import BrowserTestCase
from tests.factories import ChannelFactory, ChapterFactory, PaperFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.browser


def log_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


class PlayerTimeTests(BrowserTestCase):
    # The episode's audio, served by the test itself (no network), as the seeking tests serve it.
    AUDIO_URL = hub_browser.AudioSeekTests.AUDIO_URL
    audio_page = hub_browser.AudioSeekTests.audio_page

    def setUp(self) -> None:
        UserFactory(username="bob")
        self.episode = VideoFactory(
            slug="expire-span-episode", channel=ChannelFactory(), audio_url=self.AUDIO_URL, duration=400
        )
        ChapterFactory(video=self.episode, start=0, title="Intro")
        ChapterFactory(video=self.episode, start=150, title="Remembering the past")

    def test_a_comment_takes_the_players_time_and_counts_in_its_chapter(self):
        page = self.audio_page()
        log_in(page, self.url("/accounts/login/?next=/videos/expire-span-episode/"), "bob")
        page.wait_for_url(self.url("/videos/expire-span-episode/"))
        page.wait_for_function("document.getElementById('audio-player').readyState >= 1")
        page.evaluate(
            "(() => { const a = document.getElementById('audio-player'); a.pause(); a.currentTime = 200; })()"
        )
        page.wait_for_function("Math.abs(document.getElementById('audio-player').currentTime - 200) < 0.5")

        form = page.locator('form[data-comment-form="new"]')
        form.get_by_role("button", name="Use the player's time").click()
        assert form.locator('input[name="at"]').input_value() == "3:20"
        form.locator("select[name=kind]").select_option("question")
        form.locator("textarea").fill("Why does the span shrink here?")
        form.get_by_role("button", name="Post comment").click()
        mine = page.locator("article.comment.mine", has_text="Why does the span shrink here?")
        mine.wait_for()
        assert mine.locator("a.anchor").inner_text() == "at 3:20"
        assert mine.locator(".kind").inner_text() == "Question"
        assert Comment.objects.get(body="Why does the span shrink here?").at == 200

        page.reload()
        counts = page.locator(".chapters a.chapter-comments")
        assert counts.all_inner_texts() == ["0 comments", "1 comment"]
        counts.nth(1).click()
        page.wait_for_url(self.url("/videos/expire-span-episode/?chapter=150#discussion"))
        assert page.locator("article.comment").count() == 1
        self.screenshot(page, "video-chapter-discussion")


class AcceptAnswerTests(BrowserTestCase):
    def setUp(self) -> None:
        alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
        paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        question = services.comment_post(author=alice, target=paper, body="Does it scale?", kind="question")
        self.answer = services.comment_post(author=bob, target=paper, body="To 128k tokens.", parent=question)

    def test_the_asker_accepts_an_answer_with_the_script_running(self):
        page = self.new_page()
        log_in(page, self.url("/accounts/login/?next=/papers/2105.06548/"), "alice")
        page.wait_for_url(self.url("/papers/2105.06548/"))
        assert page.locator(".unanswered").inner_text() == "open"
        page.locator(f"#c{self.answer.pk}").get_by_role("button", name="Accept answer").click()
        page.wait_for_url(self.url(f"/papers/2105.06548/?comment={self.answer.pk}#c{self.answer.pk}"))
        assert page.locator(".answered").inner_text() == "answered"
        assert "accepted" in page.locator(f"#c{self.answer.pk}").get_attribute("class")
        self.screenshot(page, "paper-answered-question")


class EditAndRevisionsTests(BrowserTestCase):
    def setUp(self) -> None:
        UserFactory(username="alice")
        PaperFactory(arxiv_id="2105.06548", title="Expire-Span")

    def test_a_member_edits_a_comment_in_place_and_reads_the_diff(self):
        page = self.new_page()
        log_in(page, self.url("/accounts/login/?next=/papers/2105.06548/"), "alice")
        page.wait_for_url(self.url("/papers/2105.06548/"))
        form = page.locator('form[data-comment-form="new"]')
        form.locator("textarea").fill("The span decays quickly in layer two.")
        form.get_by_role("button", name="Post comment").click()
        mine = page.locator("article.comment.mine", has_text="decays quickly")
        mine.wait_for()
        comment = Comment.objects.get(body="The span decays quickly in layer two.")
        assert mine.locator("a.edited").count() == 0

        # The Edit link opens the form in place (the discussion script), with the text as it is.
        mine.get_by_role("link", name="Edit").click()
        edit = page.locator(f'form.comment-inline-form[data-for="c{comment.pk}"][data-mode="edit"]')
        box = edit.locator("textarea")
        assert box.input_value() == "The span decays quickly in layer two."
        box.fill("The span decays slowly in layer two.")
        edit.get_by_role("button", name="Save").click()
        edited = page.locator(f"#c{comment.pk}", has_text="decays slowly")
        edited.wait_for()
        assert edit.count() == 0
        comment.refresh_from_db()
        assert comment.body == "The span decays slowly in layer two." and comment.edited_at is not None

        edited.locator("a.edited").click()
        page.wait_for_url(self.url(f"/comments/{comment.pk}/revisions/"))
        assert page.locator("pre.revision-text").inner_text() == "The span decays quickly in layer two."
        diff = page.locator("pre.revision-diff")
        assert diff.count() == 1
        assert diff.locator("del").all_inner_texts() == ["quickly"]
        assert diff.locator("ins").all_inner_texts() == ["slowly"]
        assert diff.inner_text() == "The span decays quicklyslowly in layer two."
        self.screenshot(page, "comment-revisions")


class FlagAndReviewTests(BrowserTestCase):
    def setUp(self) -> None:
        alice = UserFactory(username="alice")
        UserFactory(username="bob")
        UserFactory(username="carol", is_staff=True, is_superuser=True)
        paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        self.spam = services.comment_post(author=alice, target=paper, body="Buy cheap GPUs at my shop")

    def test_a_member_flags_a_comment_and_a_curator_removes_it_as_spam(self):
        pk = self.spam.pk
        bob = self.new_page()
        log_in(bob, self.url("/accounts/login/?next=/papers/2105.06548/"), "bob")
        bob.wait_for_url(self.url("/papers/2105.06548/"))
        bob.locator(f"#c{pk}").get_by_role("link", name="Flag").click()
        bob.wait_for_url(self.url(f"/comments/{pk}/flag/"))
        bob.get_by_label("Spam").check()
        bob.get_by_role("button", name="Flag").click()
        bob.wait_for_url(lambda url: f"/comments/{pk}/flag/" not in url)
        flag = Flag.objects.get(comment=self.spam)
        assert (flag.status, flag.reason, flag.flagger.username) == ("pending", "spam", "bob")

        carol = self.new_page()
        log_in(carol, self.url(f"/accounts/login/?next=/comments/{pk}/review/"), "carol")
        carol.wait_for_url(self.url(f"/comments/{pk}/review/"))
        assert "Spam (bob," in carol.locator("ul.flags").inner_text()
        carol.get_by_label("Removed as spam").check()
        carol.get_by_label("Reason").fill("Advertising a shop")
        carol.get_by_role("button", name="Decide").click()
        carol.wait_for_url(lambda url: "/papers/2105.06548/" in url)
        gone = carol.locator(f"#c{pk}")
        assert "comment-gone" in gone.get_attribute("class")
        assert "[removed by a moderator]" in gone.inner_text()
        assert "Buy cheap GPUs" not in carol.locator("[data-discussion]").inner_text()
        assert Flag.objects.get(comment=self.spam).status == "removed-spam"
        assert Moderation.objects.get(comment=self.spam).reason == "Spam: Advertising a shop"

        # Readers see the placeholder too, and the public log lists the act with its reason.
        bob.goto(self.url("/papers/2105.06548/"))
        assert "[removed by a moderator]" in bob.locator(f"#c{pk}").inner_text()
        bob.goto(self.url("/moderation/"))
        row = bob.locator("table.moderation-log tbody tr")
        assert row.count() == 1
        assert row.locator("td").all_inner_texts()[1:] == [
            "carol",
            "Removed",
            f"Comment {pk} on Expire-Span",
            "Spam: Advertising a shop",
        ]
        self.screenshot(bob, "moderation-log")
