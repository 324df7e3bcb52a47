"""The notes API: your own notes to list, write, change and delete; a member's public notes for all to read;
another member's private note answers 404, never 403."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.utils import timezone

from comments.models import Note
from tests.api_support import assert_same_queries, client_for
from tests.factories import NoteFactory, PaperFactory, UserFactory, VideoFactory, make_personas


class NoteAccessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.private = NoteFactory(owner=cls.people.alice, title="Alice private", paper=cls.paper)
        cls.public = NoteFactory(owner=cls.people.alice, title="Alice public", visibility=Note.Visibility.PUBLIC)
        cls.bobs = NoteFactory(owner=cls.people.bob, title="Bob private")

    def titles(self, response) -> list[str]:
        return sorted(note["title"] for note in response.json()["results"])

    def test_a_member_lists_their_own_notes(self):
        response = client_for(self.people.alice).get("/api/v1/notes/")
        assert response.status_code == 200
        assert self.titles(response) == ["Alice private", "Alice public"]
        assert self.titles(client_for(self.people.alice).get("/api/v1/notes/?owner=alice")) == [
            "Alice private",
            "Alice public",
        ]

    def test_others_read_only_a_members_public_notes(self):
        assert self.titles(client_for(self.people.bob).get("/api/v1/notes/?owner=alice")) == ["Alice public"]
        assert self.titles(client_for().get("/api/v1/notes/?owner=alice")) == ["Alice public"]

    def test_anonymous_must_name_an_owner(self):
        response = client_for().get("/api/v1/notes/")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_another_members_private_note_is_404_for_every_method(self):
        url = f"/api/v1/notes/{self.private.pk}/"
        for client in (client_for(self.people.bob), client_for(self.people.carol)):
            assert client.get(url).status_code == 404
            assert client.patch(url, {"title": "Mine now"}).status_code == 404
            assert client.put(url, {"title": "Mine now", "visibility": "public"}).status_code == 404
            assert client.delete(url).status_code == 404
        assert client_for().get(url).status_code == 404
        assert Note.objects.get(pk=self.private.pk).title == "Alice private"

    def test_another_members_public_note_is_readable_but_not_writable(self):
        url = f"/api/v1/notes/{self.public.pk}/"
        bob = client_for(self.people.bob)
        assert bob.get(url).json()["title"] == "Alice public"
        assert client_for().get(url).status_code == 200
        assert bob.patch(url, {"title": "Defaced"}).status_code == 403
        assert bob.delete(url).status_code == 403
        assert client_for().patch(url, {"title": "Defaced"}).status_code == 401

    def test_owner_changes_publishes_and_deletes(self):
        alice = client_for(self.people.alice)
        url = f"/api/v1/notes/{self.private.pk}/"
        assert alice.get(url).json()["paper"] == "2105.06548"
        published = alice.patch(url, {"visibility": "public", "body": "Now *public*"})
        assert published.status_code == 200
        assert published.json()["published_at"] is not None
        assert published.json()["body_html"] == "<p>Now <em>public</em></p>"
        assert client_for(self.people.bob).get(url).status_code == 200
        assert alice.delete(url).status_code == 204
        assert not Note.objects.filter(pk=self.private.pk).exists()


class NoteWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        PaperFactory(arxiv_id="hep-th/9901001")
        VideoFactory(slug="expire-span")

    def test_a_new_note_is_private_and_belongs_to_its_writer(self):
        response = client_for(self.people.bob).post(
            "/api/v1/notes/", {"title": "Strings", "body": "Old but gold", "paper": "arXiv:hep-th/9901001v2"}
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["owner"], body["visibility"], body["paper"], body["published_at"]) == (
            "bob",
            "private",
            "hep-th/9901001",
            None,
        )

    def test_anonymous_may_not_write(self):
        assert client_for().post("/api/v1/notes/", {"title": "Nope"}).status_code == 401

    def test_bad_notes_answer_400_with_field_errors(self):
        bob = client_for(self.people.bob)
        cases = [
            ({"body": "no title"}, "title"),
            ({"title": "Two subjects", "paper": "hep-th/9901001", "video": "expire-span"}, "non_field_errors"),
            (
                {"title": "Link and paper", "paper": "hep-th/9901001", "source_url": "https://x.org/"},
                "non_field_errors",
            ),
            ({"title": "Bad link", "source_url": "not a url"}, "source_url"),
            ({"title": "Bad visibility", "visibility": "friends"}, "visibility"),
            ({"title": "Unknown paper", "paper": "2101.99999"}, "paper"),
        ]
        for data, field in cases:
            response = bob.post("/api/v1/notes/", data, format="json")
            assert response.status_code == 400, (data, response.json())
            assert field in response.json()["fields"], (data, response.json())
        assert Note.objects.count() == 0

    def test_sync_reads_only_notes_changed_since(self):
        old = NoteFactory(owner=self.people.bob, title="Old")
        Note.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
        NoteFactory(owner=self.people.bob, title="Fresh")
        since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
        response = client_for(self.people.bob).get("/api/v1/notes/", {"updated_after": since})
        assert [n["title"] for n in response.json()["results"]] == ["Fresh"]
        assert client_for(self.people.bob).get("/api/v1/notes/?updated_after=yesterday").status_code == 400


class NoteQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(username="prolific")
        paper = PaperFactory()
        for n in range(100):
            NoteFactory(owner=cls.owner, title=f"Note {n}", paper=paper if n % 2 else None)

    def test_notes_list_queries_do_not_grow_with_the_page(self):
        client = client_for(self.owner)
        assert_same_queries(
            lambda: client.get("/api/v1/notes/?page_size=5"), lambda: client.get("/api/v1/notes/?page_size=100")
        )
