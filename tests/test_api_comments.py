"""The discussion API: a thread as flat rows, posting and replying, editing and deleting one's own, votes."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.utils import timezone

from comments.models import Comment, Vote
from papers.models import Paper
from tests.api_support import assert_same_queries, client_for
from tests.factories import CommentFactory, PaperFactory, UserFactory, VideoFactory, make_personas


class ThreadReadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        start = timezone.now() - datetime.timedelta(hours=1)
        cls.root = CommentFactory(paper=cls.paper, author=cls.people.alice, body="Root *comment*", created_at=start)
        cls.reply = CommentFactory(
            paper=cls.paper,
            author=cls.people.bob,
            parent=cls.root,
            body="A reply",
            created_at=start + datetime.timedelta(minutes=1),
        )
        cls.gone = CommentFactory(
            paper=cls.paper,
            author=cls.people.bob,
            body="Regretted",
            created_at=start + datetime.timedelta(minutes=2),
            deleted_at=timezone.now(),
        )
        cls.video = VideoFactory(slug="expire-span")
        CommentFactory(paper=None, video=cls.video, author=cls.people.alice, body="On the video")

    def test_thread_is_flat_oldest_first_with_parent_and_depth(self):
        response = client_for().get("/api/v1/comments/?paper=2105.06548")
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [(r["id"], r["parent"], r["depth"]) for r in rows] == [
            (self.root.pk, None, 0),
            (self.reply.pk, self.root.pk, 1),
            (self.gone.pk, None, 0),
        ]
        assert rows[0]["author"] == "alice"
        assert rows[0]["body_html"] == "<p>Root <em>comment</em></p>"
        assert rows[0]["paper"] == "2105.06548"
        assert rows[0]["video"] is None
        assert rows[0]["my_vote"] is None

    def test_deleted_comment_stays_as_a_placeholder_without_author_or_text(self):
        rows = client_for().get("/api/v1/comments/?paper=arXiv:2105.06548v1").json()["results"]
        assert rows[2] | {"created_at": None} == {
            "id": self.gone.pk,
            "paper": "2105.06548",
            "video": None,
            "parent": None,
            "depth": 0,
            "author": None,
            "body": "",
            "body_html": "",
            "state": "deleted",
            "created_at": None,
            "edited_at": None,
            "score": 0,
            "up_votes": 0,
            "down_votes": 0,
            "kind": "plain",
            "accepted": False,
            "answered": False,
            "at": None,
            "paper_version": None,
            "outdated": False,
            "correction": None,
            "my_vote": None,
            "url": f"/api/v1/comments/{self.gone.pk}/",
        }

    def test_video_thread(self):
        rows = client_for().get("/api/v1/comments/?video=expire-span").json()["results"]
        assert [(r["body"], r["video"], r["paper"]) for r in rows] == [("On the video", "expire-span", None)]

    def test_thread_needs_exactly_one_existing_target(self):
        client = client_for()
        for url in ("/api/v1/comments/", "/api/v1/comments/?paper=2105.06548&video=expire-span"):
            response = client.get(url)
            assert response.status_code == 400
            assert list(response.json()["fields"]) == ["paper"]
        assert client.get("/api/v1/comments/?paper=nonsense").status_code == 400
        assert client.get("/api/v1/comments/?paper=2101.99999").status_code == 404
        assert client.get("/api/v1/comments/?video=nothing").status_code == 404

    def test_cursor_pages_neither_skip_nor_repeat_when_comments_arrive(self):
        client = client_for()
        first = client.get("/api/v1/comments/?paper=2105.06548&page_size=2").json()
        assert [r["id"] for r in first["results"]] == [self.root.pk, self.reply.pk]
        newcomer = CommentFactory(paper=self.paper, author=self.people.alice, body="Late")
        second = client.get(first["next"]).json()
        assert [r["id"] for r in second["results"]] == [self.gone.pk, newcomer.pk]
        assert second["next"] is None

    def test_my_vote_shows_for_the_member(self):
        Vote.objects.create(user=self.people.bob, comment=self.root, value=1)
        rows = client_for(self.people.bob).get("/api/v1/comments/?paper=2105.06548").json()["results"]
        assert [r["my_vote"] for r in rows] == [1, None, None]


class ThreadQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(username="reader")
        cls.small = PaperFactory(arxiv_id="2101.00001")
        cls.large = PaperFactory(arxiv_id="2101.00002")
        for paper, size in ((cls.small, 5), (cls.large, 100)):
            parent = None
            for n in range(size):
                author = UserFactory(username=f"writer{paper.pk}-{n}")
                comment = CommentFactory(paper=paper, author=author, parent=parent if n % 3 else None)
                Vote.objects.create(user=cls.member, comment=comment, value=1)
                parent = comment

    def test_thread_queries_do_not_grow_with_its_size(self):
        anonymous = client_for()
        count = assert_same_queries(
            lambda: anonymous.get("/api/v1/comments/?paper=2101.00001&page_size=1000"),
            lambda: anonymous.get("/api/v1/comments/?paper=2101.00002&page_size=1000"),
        )
        assert count == 2  # the target, the page
        member = client_for(self.member)
        assert_same_queries(
            lambda: member.get("/api/v1/comments/?paper=2101.00001&page_size=1000"),
            lambda: member.get("/api/v1/comments/?paper=2101.00002&page_size=1000"),
        )


class CommentWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.video = VideoFactory(slug="expire-span")
        cls.comment = CommentFactory(paper=cls.paper, author=cls.people.alice, body="Alice's comment")
        # as comment_post would have counted it
        Paper.objects.filter(pk=cls.paper.pk).update(comment_count=1, discussion_count=1)

    def test_anonymous_may_read_but_not_write(self):
        client = client_for()
        assert client.get(f"/api/v1/comments/{self.comment.pk}/").status_code == 200
        assert client.post("/api/v1/comments/", {"paper": "2105.06548", "body": "Hi"}).status_code == 401
        assert client.patch(f"/api/v1/comments/{self.comment.pk}/", {"body": "x"}).status_code == 401
        assert client.delete(f"/api/v1/comments/{self.comment.pk}/").status_code == 401
        assert client.post(f"/api/v1/comments/{self.comment.pk}/vote/", {"value": 1}).status_code == 401

    def test_member_posts_a_comment_and_a_reply(self):
        bob = client_for(self.people.bob)
        response = bob.post("/api/v1/comments/", {"paper": "arXiv:2105.06548v2", "body": "Bob's *take*"})
        assert response.status_code == 201, response.json()
        assert response.json()["body_html"] == "<p>Bob's <em>take</em></p>"
        assert response.json()["author"] == "bob"
        reply = bob.post("/api/v1/comments/", {"parent": self.comment.pk, "body": "Replying to Alice"})
        assert reply.status_code == 201
        assert (reply.json()["parent"], reply.json()["depth"], reply.json()["paper"]) == (
            self.comment.pk,
            1,
            "2105.06548",
        )
        assert Paper.objects.get(pk=self.paper.pk).comment_count == 3  # counted by the service, as pages do
        on_video = bob.post("/api/v1/comments/", {"video": "expire-span", "body": "On the video"})
        assert on_video.json()["video"] == "expire-span"

    def test_bad_comments_answer_400_with_field_errors(self):
        bob = client_for(self.people.bob)
        cases = [
            ({"paper": "2105.06548", "body": ""}, "body"),
            ({"paper": "2105.06548", "body": "x" * 10_001}, "body"),
            ({"paper": "2101.99999", "body": "Hi"}, "paper"),
            ({"body": "Nowhere"}, "paper"),
            ({"paper": "2105.06548", "video": "expire-span", "body": "Both"}, "video"),
            ({"video": "expire-span", "parent": self.comment.pk, "body": "Wrong target"}, "parent"),
            ({"parent": 10**12, "body": "No such parent"}, "parent"),
        ]
        for data, field in cases:
            response = bob.post("/api/v1/comments/", data, format="json")
            assert response.status_code == 400, (data, response.json())
            assert field in response.json()["fields"], (data, response.json())
        assert Comment.objects.count() == 1

    def test_author_edits_and_deletes_their_comment_others_get_403(self):
        bob = client_for(self.people.bob)
        url = f"/api/v1/comments/{self.comment.pk}/"
        assert bob.patch(url, {"body": "Hijacked"}).status_code == 403
        assert bob.delete(url).status_code == 403
        alice = client_for(self.people.alice)
        edited = alice.patch(url, {"body": "Alice, edited"})
        assert edited.status_code == 200
        assert edited.json()["body"] == "Alice, edited"
        assert edited.json()["edited_at"] is not None
        assert alice.delete(url).status_code == 204
        assert client_for().get(url).json()["state"] == "deleted"
        assert alice.patch(url, {"body": "Again"}).status_code == 400

    def test_vote_and_unvote(self):
        bob = client_for(self.people.bob)
        url = f"/api/v1/comments/{self.comment.pk}/vote/"
        assert bob.post(url, {"value": 1}).json() == {"score": 1, "my_vote": 1}
        assert bob.post(url, {"value": -1}).json() == {"score": -1, "my_vote": -1}
        assert bob.delete(url).json() == {"score": 0, "my_vote": None}
        assert bob.post(url, {"value": 5}).status_code == 400
        own = client_for(self.people.alice).post(url, {"value": 1})
        assert own.status_code == 400
        assert list(own.json()["fields"]) == ["comment"]
        assert client_for(self.people.bob).post("/api/v1/comments/999999/vote/", {"value": 1}).status_code == 404
