"""Moderation: removing and restoring a comment through every door keeps counts right and leaves a log row
(issue 10, defect 2). The admin, the pages and the API share one pair of services."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from comments import services
from comments.models import Comment, Moderation
from tests.api_support import client_for
from tests.factories import PaperFactory, VideoFactory, make_personas


class ModerationCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.spam = services.comment_post(author=cls.p.bob, target=cls.paper, body="Buy cheap GPUs here")
        cls.fine = services.comment_post(author=cls.p.alice, target=cls.paper, body="A fair point")
        cls.reply = services.comment_post(author=cls.p.alice, target=cls.paper, body="Not spam", parent=cls.spam)

    def count(self) -> int:
        self.paper.refresh_from_db()
        return self.paper.comment_count

    def visible(self) -> int:
        return Comment.objects.filter(paper=self.paper, deleted_at=None, removed_at=None).count()


class AdminModerationTests(ModerationCase):
    def act(self, action: str, reason: str = "Advertising"):
        self.client.force_login(self.p.carol)
        return self.client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": action, "_selected_action": [self.spam.pk], "index": 0, "reason": reason, "apply": "1"},
        )

    def test_removing_in_the_admin_keeps_the_count_and_logs_who_and_why(self):
        assert self.count() == 3
        response = self.act("remove_comments")
        assert response.status_code == 302
        assert Comment.objects.get(pk=self.spam.pk).removed_at is not None
        assert self.count() == self.visible() == 2
        entry = Moderation.objects.get(comment=self.spam)
        assert (entry.moderator, entry.action, entry.reason) == (self.p.carol, "remove", "Advertising")
        assert entry.created_at is not None

    def test_restoring_in_the_admin_brings_the_count_back_and_logs_it(self):
        self.act("remove_comments")
        self.act("restore_comments", reason="It was a real vendor")
        assert Comment.objects.get(pk=self.spam.pk).removed_at is None
        assert self.count() == self.visible() == 3
        actions = list(Moderation.objects.filter(comment=self.spam).order_by("pk").values_list("action", "reason"))
        assert actions == [("remove", "Advertising"), ("restore", "It was a real vendor")]

    def test_the_admin_asks_for_a_reason_before_removing(self):
        self.client.force_login(self.p.carol)
        response = self.client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "remove_comments", "_selected_action": [self.spam.pk], "index": 0},
        )
        assert response.status_code == 200
        assert "reason" in response.content.decode().lower()
        assert Comment.objects.get(pk=self.spam.pk).removed_at is None
        assert not Moderation.objects.exists()

    def test_removing_twice_counts_once(self):
        self.act("remove_comments")
        self.act("remove_comments")
        assert self.count() == self.visible() == 2
        assert Moderation.objects.filter(comment=self.spam, action="remove").count() == 1


class PageModerationTests(ModerationCase):
    def test_a_curator_removes_a_comment_from_its_page_with_a_reason(self):
        self.client.force_login(self.p.carol)
        response = self.client.post(f"/comments/{self.spam.pk}/remove/", {"reason": "Advertising"})
        assert response.status_code == 302
        assert self.count() == self.visible() == 2
        assert Moderation.objects.get(comment=self.spam).reason == "Advertising"
        html = self.client.get("/papers/2105.06548/").content.decode()
        assert "removed by a moderator" in html
        assert "Not spam" in html  # the reply stays in place

    def test_a_removal_without_a_reason_shows_what_is_missing(self):
        self.client.force_login(self.p.carol)
        response = self.client.post(f"/comments/{self.spam.pk}/remove/", {"reason": "  "})
        assert response.status_code == 400
        assert "reason" in response.content.decode().lower()
        assert Comment.objects.get(pk=self.spam.pk).removed_at is None

    def test_a_curator_restores_from_the_page(self):
        self.client.force_login(self.p.carol)
        self.client.post(f"/comments/{self.spam.pk}/remove/", {"reason": "Advertising"})
        response = self.client.post(f"/comments/{self.spam.pk}/restore/", {"reason": "Mistaken"})
        assert response.status_code == 302
        assert self.count() == self.visible() == 3

    def test_members_may_not_moderate(self):
        self.client.force_login(self.p.alice)
        response = self.client.post(f"/comments/{self.spam.pk}/remove/", {"reason": "I dislike it"})
        assert response.status_code == 403
        assert Comment.objects.get(pk=self.spam.pk).removed_at is None
        assert not Moderation.objects.exists()

    def test_the_moderation_log_is_public(self):
        self.client.force_login(self.p.carol)
        self.client.post(f"/comments/{self.spam.pk}/remove/", {"reason": "Advertising"})
        self.client.logout()
        html = self.client.get("/moderation/").content.decode()
        assert "Advertising" in html
        assert "carol" in html
        assert f"/comments/{self.spam.pk}/" in html


class ApiModerationTests(ModerationCase):
    def test_a_curator_removes_and_restores_through_the_api(self):
        client = client_for(self.p.carol)
        response = client.post(f"/api/v1/comments/{self.spam.pk}/remove/", {"reason": "Advertising"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "removed"
        assert self.count() == self.visible() == 2
        response = client.post(f"/api/v1/comments/{self.spam.pk}/restore/", {"reason": "Mistaken"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "visible"
        assert self.count() == self.visible() == 3
        assert Moderation.objects.filter(comment=self.spam).count() == 2

    def test_a_member_gets_403_and_a_missing_reason_400(self):
        response = client_for(self.p.alice).post(
            f"/api/v1/comments/{self.spam.pk}/remove/", {"reason": "x"}, format="json"
        )
        assert response.status_code == 403
        response = client_for(self.p.carol).post(f"/api/v1/comments/{self.spam.pk}/remove/", {}, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()["fields"]


class VideoCommentModerationTests(TestCase):
    def test_removing_a_video_comment_keeps_the_videos_count(self):
        p = make_personas()
        video = VideoFactory(slug="expire-span")
        comment = services.comment_post(author=p.bob, target=video, body="Off topic")
        self.client.force_login(p.carol)
        self.client.post(f"/comments/{comment.pk}/remove/", {"reason": "Off topic"})
        video.refresh_from_db()
        assert video.comment_count == 0
