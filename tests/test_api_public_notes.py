"""The API's list of every member's public notes (issue 13, item 8): /api/v1/notes/public/, newest first, never a
private note, whoever asks (the pages' side is tests/test_public_notes.py)."""

from __future__ import annotations

from django.test import TestCase

from tests.api_support import client_for
from tests.factories import ChannelFactory, NoteFactory, PaperFactory, VideoFactory, make_personas
from tests.test_public_notes import SECRET, published


class PublicNotesApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.video = VideoFactory(slug="expire-span-explained", channel=ChannelFactory())
        cls.newer = published(cls.p.alice, "Alice, newer", days_ago=1, paper=cls.paper)
        cls.older = published(cls.p.bob, "Bob, older", days_ago=2, video=cls.video)
        NoteFactory(owner=cls.p.alice, title=SECRET, paper=cls.paper)

    def test_anyone_reads_the_public_notes_newest_first_never_a_private_one(self):
        for user in (None, self.p.bob, self.p.carol, self.p.alice):
            with self.subTest(viewer=user and user.username):
                response = client_for(user).get("/api/v1/notes/public/")
                assert response.status_code == 200
                results = response.json()["results"]
                assert [note["title"] for note in results] == ["Alice, newer", "Bob, older"]
                assert all(note["visibility"] == "public" for note in results)

    def test_filters_and_cursor(self):
        api = client_for()
        assert [n["title"] for n in api.get("/api/v1/notes/public/?paper=2105.06548").json()["results"]] == [
            "Alice, newer"
        ]
        assert [n["title"] for n in api.get("/api/v1/notes/public/?video=expire-span-explained").json()["results"]] == [
            "Bob, older"
        ]
        assert [n["title"] for n in api.get("/api/v1/notes/public/?owner=bob").json()["results"]] == ["Bob, older"]
        first = api.get("/api/v1/notes/public/?page_size=1").json()
        assert [n["title"] for n in first["results"]] == ["Alice, newer"]
        second = api.get(first["next"]).json()
        assert [n["title"] for n in second["results"]] == ["Bob, older"] and second["next"] is None

    def test_the_list_of_your_own_notes_is_unchanged(self):
        response = client_for(self.p.alice).get("/api/v1/notes/")
        assert {n["title"] for n in response.json()["results"]} == {"Alice, newer", SECRET}
