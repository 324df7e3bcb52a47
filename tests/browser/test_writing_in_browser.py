"""Writing comfort in a real Chromium (issue 13, item 9): long words wrap at phone and desktop widths, the box counts
down and keeps a long paste whole, the live preview comes from the server's markdown, a refused post is followed
by a clean form and an updated count, and "Preview" works without JavaScript."""

from __future__ import annotations

import re

import pytest

from comments import services
from tests.browser.test_hub_in_browser import VIEWPORTS, BrowserTestCase
from tests.factories import PaperFactory, UserFactory

pytestmark = pytest.mark.browser

LONG_WORD = "Supercalifragilistic" * 150  # 3,000 characters, no break
PASSWORD = "correct horse battery staple"


class WritingComfortTests(BrowserTestCase):
    def setUp(self) -> None:
        self.bob = UserFactory(username="bob")
        self.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span", abstract="Attention.")

    def signed_in_page(self, *, javascript: bool = True):
        page = self.new_page(javascript=javascript)
        page.goto(self.url("/accounts/login/?next=/papers/2105.06548/"))
        page.fill("#id_username", "bob")
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(self.url("/papers/2105.06548/"))
        return page

    def test_a_3000_character_word_leaves_the_page_as_wide_as_the_screen(self):
        wide_table = "| " + " | ".join(f"column {i}" for i in range(40)) + " |\n|" + "---|" * 40
        body = f"{LONG_WORD}\n\nhttps://example.org/{LONG_WORD}\n\n```\n{LONG_WORD}\n```\n\n{wide_table}"
        services.comment_post(author=self.bob, target=self.paper, body=body)
        page = self.new_page()
        for name, viewport in VIEWPORTS.items():
            with self.subTest(width=name):
                page.set_viewport_size(viewport)
                page.goto(self.url("/papers/2105.06548/"))
                assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]
                # The code block and the table scroll inside their own boxes.
                assert page.evaluate("document.querySelector('.comment pre').scrollWidth") > viewport["width"]
                assert page.evaluate("document.querySelector('.comment table').scrollWidth") > viewport["width"]
        self.screenshot(page, "long-word-comment")

    def test_a_long_word_in_a_public_note_wraps_on_its_page_the_lists_and_the_profile(self):
        note = services.note_create(
            owner=self.bob, title=LONG_WORD[:300], body=f"{LONG_WORD}\n\n`{LONG_WORD}`", paper=self.paper
        )
        services.note_publish(note=note, actor=self.bob)
        page = self.new_page()
        for url in (f"/notes/{note.pk}/", "/u/bob/", "/notes/public/", "/papers/2105.06548/"):
            for name, viewport in VIEWPORTS.items():
                with self.subTest(url=url, width=name):
                    page.set_viewport_size(viewport)
                    page.goto(self.url(url))
                    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]

    def test_live_preview_count_and_a_refused_post_followed_by_a_good_one(self):
        services.comment_post(author=self.bob, target=self.paper, body="First.")
        page = self.signed_in_page()
        form = page.locator('form[data-comment-form="new"]')
        box = form.locator("textarea")
        assert box.get_attribute("maxlength") is None
        assert form.locator(".compose-count").inner_text() == "10,000 characters left of 10,000"

        # Live preview, rendered by the server: markdown, math in both notations, a bare link.
        box.fill("**Bold** and \\(x^2\\) and $y$ at https://example.org")
        preview = form.locator(".compose-preview")
        preview.locator("strong").wait_for()
        assert preview.locator("math").count() == 2
        assert preview.locator('a[href="https://example.org"]').count() == 1
        assert form.locator(".compose-count").inner_text() == "9,949 characters left of 10,000"

        # A paste beyond the limit is kept whole; the count says by how much it is over; the post is refused.
        box.fill("")
        box.focus()
        page.keyboard.insert_text("p" * 10_002)
        assert page.evaluate("document.querySelector('form[data-comment-form=new] textarea').value.length") == 10_002
        assert form.locator(".compose-count").inner_text().startswith("2 characters over the limit of 10,000")
        form.get_by_role("button", name="Post comment").click()
        error = page.locator('form[data-comment-form="new"] .errorlist')
        error.wait_for()
        assert "this one has 10,002" in error.inner_text()
        form = page.locator('form[data-comment-form="new"]')
        assert len(form.locator("textarea").input_value()) == 10_002
        assert page.locator("#discussion-title .count").inner_text() == "(1 comment)"

        # The next, good post: it appears, the error and the text go, the count follows.
        form.locator("textarea").fill("Short and *sweet*.")
        form.get_by_role("button", name="Post comment").click()
        page.locator("article.comment.mine", has_text="Short and sweet.").wait_for()
        form = page.locator('form[data-comment-form="new"]')
        assert form.locator(".errorlist").count() == 0
        assert form.locator("textarea").input_value() == ""
        assert page.locator("#discussion-title .count").inner_text() == "(2 comments)"
        assert form.locator(".compose-count").inner_text() == "10,000 characters left of 10,000"

        # The Preview button previews in place with the script: nothing is posted, no page is left.
        form.locator("textarea").fill("_only a preview_")
        form.get_by_role("button", name="Preview").click()
        form.locator(".compose-preview em").wait_for()
        assert page.url == self.url("/papers/2105.06548/")
        assert page.locator("article.comment", has_text="only a preview").count() == 0
        self.screenshot(page, "compose-preview")

    def test_preview_without_javascript_renders_on_the_server_and_keeps_the_text(self):
        page = self.signed_in_page(javascript=False)
        box = page.locator('form[data-comment-form="new"] textarea')
        box.fill("A *draft* with \\[\\frac{a}{b}\\]")
        page.locator('form[data-comment-form="new"]').get_by_role("button", name="Preview").click()
        page.locator("#preview-title").wait_for()
        section = page.locator("section.compose-preview")
        assert section.locator("em").inner_text() == "draft"
        assert section.locator('math[display="block"]').count() == 1
        assert page.locator("#id_body").input_value() == "A *draft* with \\[\\frac{a}{b}\\]"
        page.get_by_role("button", name="Post comment").click()
        page.wait_for_url(re.compile(r"/papers/2105\.06548/\?comment=(\d+)#c\1$"))
        assert page.locator("article.comment em", has_text="draft").count() == 1
