"""Nothing a member wrote disappears because someone else left or was deleted (issue 10, defect 1).

A departed member's own comments become placeholders; every reply to them stays in place; the paper's comment
count and every comment's score stay equal to what is visible and what was voted. The same holds whichever door
the deletion comes through: the model, the admin's delete page, or its bulk action.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import ProtectedError, RestrictedError, Sum
from django.test import TestCase
from django.urls import reverse

from comments import services
from comments.models import Comment, Vote
from tests.factories import PaperFactory, UserFactory, VideoFactory, make_personas

User = get_user_model()


class MemberDeletionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.dora = UserFactory(username="dora")
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.first = services.comment_post(author=cls.dora, target=cls.paper, body="Dora's first comment")
        cls.second = services.comment_post(author=cls.dora, target=cls.paper, body="Dora's second comment")
        cls.reply = services.comment_post(
            author=cls.p.alice, target=cls.paper, body="Alice answers Dora", parent=cls.first
        )
        cls.own = services.comment_post(author=cls.p.bob, target=cls.paper, body="Bob on his own")
        services.vote_cast(user=cls.dora, comment=cls.reply, value=1)
        services.vote_cast(user=cls.dora, comment=cls.own, value=-1)
        services.vote_cast(user=cls.p.bob, comment=cls.reply, value=1)
        services.vote_cast(user=cls.p.alice, comment=cls.first, value=1)

    def assert_words_kept(self) -> None:
        assert not User.objects.filter(username="dora").exists()
        # Every row stays: Dora's two as placeholders, Alice's reply under the first, Bob's on its own.
        assert set(Comment.objects.values_list("pk", flat=True)) == {
            self.first.pk,
            self.second.pk,
            self.reply.pk,
            self.own.pk,
        }
        reply = Comment.objects.get(pk=self.reply.pk)
        assert reply.parent_id == self.first.pk
        assert reply.body == "Alice answers Dora"
        for gone in Comment.objects.filter(pk__in=[self.first.pk, self.second.pk]):
            assert gone.author_id is None
            assert not gone.is_visible
        # Counts stay equal to what can be seen and what was voted.
        self.paper.refresh_from_db()
        visible = Comment.objects.filter(paper=self.paper, deleted_at=None, removed_at=None).count()
        assert visible == 2
        assert self.paper.comment_count == visible
        for comment in Comment.objects.all():
            votes = Vote.objects.filter(comment=comment).aggregate(total=Sum("value"))["total"] or 0
            assert comment.score == votes, (comment.pk, comment.score, votes)
        assert Comment.objects.get(pk=self.reply.pk).score == 1
        assert Comment.objects.get(pk=self.own.pk).score == 0

    def test_deleting_the_member_keeps_every_reply_and_the_counts(self):
        User.objects.get(username="dora").delete()
        self.assert_words_kept()

    def test_deleting_the_member_in_the_admin_keeps_every_reply(self):
        self.client.force_login(self.p.carol)
        url = reverse("admin:auth_user_delete", args=[self.dora.pk])
        response = self.client.post(url, {"post": "yes"})
        assert response.status_code == 302
        self.assert_words_kept()

    def test_the_admins_bulk_delete_of_members_keeps_every_reply(self):
        self.client.force_login(self.p.carol)
        response = self.client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "delete_selected", "_selected_action": [self.dora.pk], "post": "yes"},
        )
        assert response.status_code == 302
        self.assert_words_kept()

    def test_the_departed_members_placeholders_show_no_name_or_text(self):
        User.objects.get(username="dora").delete()
        html = self.client.get("/papers/2105.06548/").content.decode()
        assert "Dora&#x27;s first comment" not in html and "Dora's first comment" not in html
        assert "Alice answers Dora" in html
        thread = self.client.get("/api/v1/comments/", {"paper": "2105.06548"}).json()["results"]
        by_id = {row["id"]: row for row in thread}
        assert by_id[self.first.pk]["author"] is None
        assert by_id[self.first.pk]["body"] == ""
        assert by_id[self.reply.pk]["parent"] == self.first.pk


class CommentsAreNeverDeletedByCascadeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.video = VideoFactory(slug="expire-span")
        cls.parent = services.comment_post(author=cls.p.alice, target=cls.paper, body="A question")
        cls.child = services.comment_post(author=cls.p.bob, target=cls.paper, body="An answer", parent=cls.parent)
        cls.on_video = services.comment_post(author=cls.p.bob, target=cls.video, body="On the video")

    def test_the_admins_bulk_delete_of_comments_removes_nothing(self):
        self.client.force_login(self.p.carol)
        self.client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "delete_selected", "_selected_action": [self.parent.pk], "post": "yes"},
        )
        assert Comment.objects.filter(pk__in=[self.parent.pk, self.child.pk]).count() == 2

    def test_the_admin_offers_no_hard_delete_of_a_comment(self):
        self.client.force_login(self.p.carol)
        response = self.client.post(reverse("admin:comments_comment_delete", args=[self.parent.pk]), {"post": "yes"})
        assert response.status_code == 403
        assert Comment.objects.filter(pk=self.parent.pk).exists()

    def test_a_paper_or_video_with_a_discussion_cannot_be_deleted_from_under_it(self):
        for target in (self.paper, self.video):
            with self.assertRaises((ProtectedError, RestrictedError)):
                target.delete()
        assert Comment.objects.count() == 3

    def test_a_comment_with_replies_cannot_be_deleted_from_under_them(self):
        with self.assertRaises((ProtectedError, RestrictedError)):
            Comment.objects.get(pk=self.parent.pk).delete()
        assert Comment.objects.filter(pk=self.child.pk).exists()
