"""Reading notes: my notes, private by default, published on demand; nobody else reads or changes them."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Note
from tests.factories import NoteFactory, PaperFactory, VideoFactory, make_personas


class NotePageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.video = VideoFactory(slug="fnet")
        cls.secret = services.note_create(owner=cls.p.alice, title="Secret thoughts", body="Only *mine*")

    def test_a_new_note_is_private_and_about_a_paper(self):
        self.client.force_login(self.p.alice)
        form = self.client.get("/notes/new/?paper=2105.06548")
        assert 'value="2105.06548"' in form.content.decode()
        response = self.client.post(
            "/notes/new/", {"title": "On Expire-Span", "body": "Memory *expires*", "paper": "arXiv:2105.06548v2"}
        )
        note = Note.objects.get(title="On Expire-Span")
        assert response["Location"] == f"/notes/{note.pk}/"
        assert (note.paper, note.visibility, note.published_at) == (self.paper, "private", None)
        assert note.body_html == "<p>Memory <em>expires</em></p>"

    def test_a_note_about_an_outside_source(self):
        self.client.force_login(self.p.alice)
        self.client.post(
            "/notes/new/",
            {"title": "Blog", "source_url": "https://lilianweng.github.io/posts/", "source_title": "Lil'Log"},
        )
        note = Note.objects.get(title="Blog")
        assert (note.source_url, note.source_title) == ("https://lilianweng.github.io/posts/", "Lil'Log")

    def test_bad_input_shows_what_is_wrong_and_keeps_the_text(self):
        self.client.force_login(self.p.alice)
        response = self.client.post(
            "/notes/new/", {"title": "", "body": "my careful words", "paper": "2105.06548", "video": "fnet"}
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "Give the note a title." in html
        assert "A note is about one thing at most" in html
        assert "my careful words" in html
        response = self.client.post("/notes/new/", {"title": "x", "paper": "not an id"})
        assert "Not an arXiv id or link" in response.content.decode()
        assert Note.objects.count() == 1

    def test_another_members_private_note_is_not_found_anywhere(self):
        self.client.force_login(self.p.bob)
        pk = self.secret.pk
        for url in (f"/notes/{pk}/", f"/notes/{pk}/edit/", f"/notes/{pk}/delete/"):
            assert self.client.get(url).status_code == 404
        assert self.client.post(f"/notes/{pk}/publish/", {"public": "1"}).status_code == 404
        assert self.client.post(f"/notes/{pk}/delete/").status_code == 404
        assert "Secret thoughts" not in self.client.get("/notes/").content.decode()
        self.client.logout()
        assert self.client.get(f"/notes/{pk}/").status_code == 404
        assert Note.objects.get(pk=pk).visibility == "private"

    def test_another_members_public_note_is_readable_but_not_changeable(self):
        services.note_publish(note=self.secret, actor=self.p.alice)
        self.client.force_login(self.p.bob)
        assert self.client.get(f"/notes/{self.secret.pk}/").status_code == 200
        assert self.client.get(f"/notes/{self.secret.pk}/edit/").status_code == 403
        assert self.client.post(f"/notes/{self.secret.pk}/edit/", {"title": "mine now"}).status_code == 403
        assert self.client.post(f"/notes/{self.secret.pk}/delete/").status_code == 403

    def test_publish_then_unpublish(self):
        self.client.force_login(self.p.alice)
        self.client.post(f"/notes/{self.secret.pk}/publish/", {"public": "1"})
        self.secret.refresh_from_db()
        assert self.secret.is_public
        assert "Secret thoughts" in self.client.get("/u/alice/").content.decode()
        self.client.post(f"/notes/{self.secret.pk}/publish/", {"public": "0"})
        self.secret.refresh_from_db()
        assert not self.secret.is_public
        assert "Secret thoughts" not in self.client.get("/u/alice/").content.decode()

    def test_edit_and_delete(self):
        self.client.force_login(self.p.alice)
        page = self.client.get(f"/notes/{self.secret.pk}/edit/").content.decode()
        assert "Only *mine*" in page
        self.client.post(f"/notes/{self.secret.pk}/edit/", {"title": "Renamed", "body": "new", "video": "fnet"})
        self.secret.refresh_from_db()
        assert (self.secret.title, self.secret.video, self.secret.visibility) == ("Renamed", self.video, "private")
        assert self.client.post(f"/notes/{self.secret.pk}/delete/")["Location"] == "/notes/"
        assert not Note.objects.filter(pk=self.secret.pk).exists()

    def test_search_my_notes(self):
        services.note_create(owner=self.p.alice, title="Attention", body="heads")
        NoteFactory(owner=self.p.bob, title="Bob's secret attention")
        self.client.force_login(self.p.alice)
        html = self.client.get("/notes/?q=attention").content.decode()
        assert "Attention" in html
        assert "Secret thoughts" not in html
        assert "Bob&#x27;s secret" not in html
        assert "1 note matching" in html

    def test_the_paper_page_shows_me_my_notes_on_it(self):
        services.note_create(owner=self.p.alice, title="Paper note", paper=self.paper)
        services.note_create(owner=self.p.bob, title="Bob's paper note", paper=self.paper)
        self.client.force_login(self.p.alice)
        html = self.client.get("/papers/2105.06548/").content.decode()
        assert "Paper note" in html
        assert "Bob" not in html.split('id="my-notes-title"')[1].split("</section>")[0]

    def test_my_notes_takes_the_same_queries_for_few_and_many_notes(self):
        self.client.force_login(self.p.alice)
        with CaptureQueriesContext(connection) as few:
            assert self.client.get("/notes/").status_code == 200
        for i in range(30):
            NoteFactory(owner=self.p.alice, paper=self.paper if i % 2 else None, video=None if i % 2 else self.video)
        with self.assertNumQueries(len(few)):
            assert self.client.get("/notes/").status_code == 200
