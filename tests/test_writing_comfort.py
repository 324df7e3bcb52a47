"""Writing comfort (issue 13, item 9): a box that states its limit and never cuts a paste; an over-long text refused
with its words kept (pages and API); a preview rendered by the one markdown renderer (tests/test_markdown_links.py
holds its additions to the reference examples), with and without the script; and the discussion's count sent
with every write for the script to show."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.test import Client, TestCase, override_settings

from comments.models import MAX_COMMENT_LENGTH, Comment, Note
from shared.markdown import render_markdown
from tests.api_support import client_for
from tests.factories import PaperFactory, make_personas

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


class CommentBoxTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")

    def setUp(self) -> None:
        self.client.force_login(self.p.bob)

    def box(self, html: str) -> str:
        return re.search(r"<textarea[^>]*>", html).group(0)

    def test_the_box_states_its_limit_and_has_no_maxlength(self):
        html = self.client.get("/papers/2105.06548/").content.decode()
        box = self.box(html)
        assert "maxlength" not in box
        assert f'data-max-length="{MAX_COMMENT_LENGTH}"' in box
        assert "Up to 10,000 characters" in html

    def test_the_reply_edit_and_note_boxes_have_no_maxlength_either(self):
        comment = Comment.objects.create(author=self.p.bob, paper=self.paper, body="mine")
        for url in (f"/comments/{comment.pk}/reply/", f"/comments/{comment.pk}/edit/", "/notes/new/"):
            with self.subTest(url=url):
                box = self.box(self.client.get(url).content.decode())
                assert "maxlength" not in box and "data-max-length" in box

    def test_an_over_long_paste_is_refused_whole_with_a_clear_error(self):
        body = "x" * (MAX_COMMENT_LENGTH + 1)
        for headers in ({}, FETCH):
            with self.subTest(fetch=bool(headers)):
                response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": body}, **headers)
                html = response.content.decode()
                assert response.status_code == 400
                assert "A comment holds at most 10,000 characters; this one has 10,001." in html
                assert body in html  # every character kept, none cut
        assert not Comment.objects.exists()

    def test_line_breaks_count_as_one_character_as_the_script_counts_them(self):
        body = ("y" * 99 + "\r\n") * 100  # 10,000 characters with "\n", 10,100 as the browser sends them
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": body})
        assert response.status_code == 302
        assert len(Comment.objects.get().body) == MAX_COMMENT_LENGTH - 1  # the last line break is stripped

    def test_an_over_long_note_keeps_its_text(self):
        body = "z" * 100_001
        response = self.client.post("/notes/new/", {"title": "Long", "body": body})
        assert response.status_code == 400
        assert "A note holds at most 100,000 characters; this one has 100,001." in response.content.decode()
        assert body in response.content.decode()
        assert not Note.objects.exists()

    def test_the_api_answers_400_with_the_field_error(self):
        api = client_for(self.p.bob)
        response = api.post("/api/v1/comments/", {"paper": "2105.06548", "body": "x" * (MAX_COMMENT_LENGTH + 1)})
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["body"]
        assert "10000" in response.json()["fields"]["body"][0]
        assert not Comment.objects.exists()

    def test_a_post_by_the_script_sends_the_new_count(self):
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": "One"}, **FETCH)
        assert response.status_code == 200 and response["X-Discussion-Count"] == "1"
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": "Two"}, **FETCH)
        assert response["X-Discussion-Count"] == "2"
        first = Comment.objects.get(body="One")
        response = self.client.post(f"/comments/{first.pk}/delete/", **FETCH)
        assert response["X-Discussion-Count"] == "1"


class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    TEXT = "**Bold**, \\(x^2\\), https://example.org and <script>alert(1)</script>"

    def test_the_endpoint_renders_through_shared_markdown(self):
        self.client.force_login(self.p.bob)
        response = self.client.post("/comments/preview/", {"body": self.TEXT})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert response.content.decode() == render_markdown(self.TEXT)
        assert "<script" not in response.content.decode()
        assert not Comment.objects.exists() and not Note.objects.exists()

    def test_members_only_post_only_and_csrf_checked(self):
        assert self.client.post("/comments/preview/", {"body": "x"}).status_code == 302  # to log in
        self.client.force_login(self.p.bob)
        assert self.client.get("/comments/preview/").status_code == 405
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.p.bob)
        assert strict.post("/comments/preview/", {"body": "x"}).status_code == 403

    def test_too_long_to_preview(self):
        self.client.force_login(self.p.bob)
        assert self.client.post("/comments/preview/", {"body": "x" * 100_001}).status_code == 400

    def test_previews_are_throttled_per_member(self):
        rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "preview": "2/minute"}
        with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
            self.client.force_login(self.p.bob)
            codes = [self.client.post("/comments/preview/", {"body": "x"}).status_code for _ in range(3)]
            assert codes == [200, 200, 429]
            response = self.client.post("/comments/preview/", {"body": "x"})
            assert int(response["Retry-After"]) > 0
            self.client.force_login(self.p.alice)
            assert self.client.post("/comments/preview/", {"body": "x"}).status_code == 200

    def test_the_preview_button_works_without_javascript(self):
        self.client.force_login(self.p.bob)
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": self.TEXT, "preview": "1"})
        html = response.content.decode()
        assert response.status_code == 200
        preview = html.split('id="preview-title"')[1].split("</section>")[0]
        assert render_markdown(self.TEXT) in preview
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.split("<textarea")[1]  # the text kept in the box
        assert not Comment.objects.exists()

    def test_preview_of_a_reply_an_edit_and_a_note(self):
        self.client.force_login(self.p.bob)
        comment = Comment.objects.create(author=self.p.bob, paper=self.paper, body="mine")
        for url, data in [
            (f"/comments/{comment.pk}/reply/", {"body": "*reply*"}),
            (f"/comments/{comment.pk}/edit/", {"body": "*edit*"}),
            ("/notes/new/", {"title": "T", "body": "*note*"}),
            (f"/notes/{Note.objects.create(owner=self.p.bob, title='N').pk}/edit/", {"title": "N", "body": "*n2*"}),
        ]:
            with self.subTest(url=url):
                response = self.client.post(url, {**data, "preview": "1"})
                assert response.status_code == 200
                assert f"<em>{data['body'].strip('*')}</em>" in response.content.decode()
        assert Comment.objects.get().body == "mine"
        assert Note.objects.get().body == ""

    def test_the_forms_name_the_preview_endpoint(self):
        self.client.force_login(self.p.bob)
        html = self.client.get("/papers/2105.06548/").content.decode()
        assert 'data-preview-url="/comments/preview/"' in html
        assert '<button type="submit" name="preview" value="1"' in html
        assert "js/compose.js" in html
