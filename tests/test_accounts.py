"""Accounts and profiles: sign up, log in and out, passwords, a member's public page and its Atom feed."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from comments import services
from tests.factories import NoteFactory, PaperFactory, make_personas


class AccountTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()

    def test_sign_up_logs_the_new_member_in(self):
        response = self.client.post(
            "/accounts/signup/",
            {
                "username": "dora",
                "email": "dora@example.org",
                "password1": "a long pass 4 dora",
                "password2": "a long pass 4 dora",
            },
        )
        assert response.status_code == 302
        assert self.client.get("/notes/").status_code == 200
        assert get_user_model().objects.get(username="dora").email == "dora@example.org"

    def test_sign_up_with_bad_input_keeps_the_name_and_says_why(self):
        response = self.client.post(
            "/accounts/signup/", {"username": "alice", "email": "", "password1": "x", "password2": "y"}
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "A user with that username already exists." in html
        assert "Give an e-mail address" in html
        assert "The two password fields didn’t match." in html
        assert 'value="alice"' in html

    def test_log_in_and_out(self):
        response = self.client.post(
            "/accounts/login/", {"username": "alice", "password": "correct horse battery staple"}
        )
        assert response.status_code == 302
        assert self.client.get("/notes/").status_code == 200
        self.client.post("/accounts/logout/")
        assert self.client.get("/notes/").status_code == 302

    def test_password_change(self):
        self.client.force_login(self.p.alice)
        response = self.client.post(
            "/accounts/password_change/",
            {
                "old_password": "correct horse battery staple",
                "new_password1": "a brand new secret 77",
                "new_password2": "a brand new secret 77",
            },
        )
        assert response["Location"] == "/accounts/password_change/done/"
        self.p.alice.refresh_from_db()
        assert self.p.alice.check_password("a brand new secret 77")

    def test_password_reset_mails_a_working_link(self):
        response = self.client.post("/accounts/password_reset/", {"email": "bob@example.org"})
        assert response["Location"] == "/accounts/password_reset/done/"
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject == "Reset your Paper Hub password"
        link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
        form = self.client.get(link, follow=True)
        assert "Choose a new password" in form.content.decode()
        done = self.client.post(
            form.redirect_chain[-1][0], {"new_password1": "reset pass 12345", "new_password2": "reset pass 12345"}
        )
        assert done["Location"] == "/accounts/reset/done/"
        self.p.bob.refresh_from_db()
        assert self.p.bob.check_password("reset pass 12345")


class ProfileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.public = services.note_create(owner=cls.p.alice, title="Public take", body="*Shared*", visibility="public")
        cls.private = services.note_create(owner=cls.p.alice, title="Private take")
        cls.comment = services.comment_post(author=cls.p.alice, target=cls.paper, body="Nice memory trick")

    def test_the_profile_lists_public_notes_and_comments_only(self):
        html = self.client.get("/u/alice/").content.decode()
        assert "Public take" in html
        assert "<p><em>Shared</em></p>" in html
        assert "Private take" not in html
        assert f'href="/comments/{self.comment.pk}/"' in html
        assert self.client.get("/u/nobody/").status_code == 404

    def test_only_the_member_sees_links_to_their_password_and_api_tokens(self):
        assert "/accounts/tokens/" not in self.client.get("/u/alice/").content.decode()
        self.client.force_login(self.p.bob)
        assert "/accounts/tokens/" not in self.client.get("/u/alice/").content.decode()
        self.client.force_login(self.p.alice)
        html = self.client.get("/u/alice/").content.decode()
        assert 'href="/accounts/tokens/"' in html
        assert 'href="/accounts/password_change/"' in html

    def test_the_atom_feed_has_the_public_notes_newest_first(self):
        newer = services.note_create(owner=self.p.alice, title="Newer take", visibility="public")
        response = self.client.get("/u/alice/feed/")
        xml = response.content.decode()
        assert response["Content-Type"].startswith("application/atom+xml")
        assert xml.index("Newer take") < xml.index("Public take")
        assert "Private take" not in xml
        assert f"/notes/{newer.pk}/" in xml

    def test_the_paper_discussion_feed(self):
        services.comment_post(author=self.p.bob, target=self.paper, body="Second comment")
        xml = self.client.get("/papers/2105.06548/feed/").content.decode()
        assert xml.index("bob on Expire-Span") < xml.index("alice on Expire-Span")
        assert self.client.get("/papers/2105.99999/feed/").status_code == 404
        assert self.client.get("/papers/not-an-id/feed/").status_code == 404

    def test_a_profile_takes_the_same_queries_for_few_and_many_items(self):
        with CaptureQueriesContext(connection) as few:
            assert self.client.get("/u/alice/").status_code == 200
        with CaptureQueriesContext(connection) as few_feed:
            assert self.client.get("/u/alice/feed/").status_code == 200
        for i in range(20):
            NoteFactory(owner=self.p.alice, visibility="public", paper=self.paper if i % 2 else None)
            services.comment_post(author=self.p.alice, target=self.paper, body=f"comment {i}")
        with self.assertNumQueries(len(few)):
            assert self.client.get("/u/alice/").status_code == 200
        with self.assertNumQueries(len(few_feed)):
            assert self.client.get("/u/alice/feed/").status_code == 200
