"""Issue 13 in a real Chromium: a mention posted with the discussion script running links the member and reaches
their inbox; the header's badge counts it, and marking it read clears the badge."""

from __future__ import annotations

import pytest

from comments import services
from tests.browser.test_discussion_in_browser import log_in
from tests.browser.test_hub_in_browser import BrowserTestCase
from tests.factories import PaperFactory, UserFactory

pytestmark = pytest.mark.browser


class MentionInboxTests(BrowserTestCase):
    def setUp(self) -> None:
        UserFactory(username="bob")
        self.alice = UserFactory(username="alice")
        paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        services.comment_post(author=self.alice, target=paper, body="Does it scale?")

    def test_a_mention_reaches_the_inbox_and_the_badge(self):
        page = self.new_page()
        log_in(page, self.url("/accounts/login/?next=/papers/2105.06548/"), "bob")
        page.wait_for_url(self.url("/papers/2105.06548/"))
        form = page.locator('form[data-comment-form="new"]')
        form.locator("textarea").fill("What do you think, @alice?")
        form.get_by_role("button", name="Post comment").click()
        mine = page.locator("article.comment.mine", has_text="What do you think")
        mine.wait_for()
        assert mine.locator("a.mention").get_attribute("href") == "/u/alice/"
        page.context.clear_cookies()

        log_in(page, self.url("/accounts/login/?next=/papers/2105.06548/"), "alice")
        page.wait_for_url(self.url("/papers/2105.06548/"))
        assert page.locator(".inbox-link .badge").inner_text() == "1"
        page.locator(".inbox-link").click()
        page.wait_for_url(self.url("/notifications/"))
        assert "bob mentioned you on Expire-Span" in page.locator("li.notification").inner_text()
        self.screenshot(page, "inbox")
        page.get_by_role("button", name="Mark all read").click()
        page.wait_for_url(self.url("/notifications/"))
        assert page.locator(".inbox-link .badge").count() == 0
        assert page.locator("li.notification.unread").count() == 0
