"""Issue 13, item 11: members flag comments into the curators' queue, curators decide through the same removal
services as everywhere (the public log says who, when and why), and new members' first comments may be held for
approval, seen by their author and curators only and not counted until approved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.models import Comment, Flag, Moderation, Notification, State
from tests.api_support import client_for
from tests.factories import PaperFactory, UserFactory, VideoFactory, VideoPaperFactory, make_personas

PAGE = "/papers/2105.06548/"


class FlagCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.spam = services.comment_post(author=cls.p.bob, target=cls.paper, body="Buy cheap GPUs here")
        cls.fine = services.comment_post(author=cls.p.alice, target=cls.paper, body="A fair point")

    def count(self) -> int:
        self.paper.refresh_from_db()
        return self.paper.comment_count


class FlagRuleTests(FlagCase):
    def test_a_member_flags_anothers_comment_once_while_it_is_open(self):
        flag = services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam")
        assert (flag.status, flag.reason, flag.flagger) == ("pending", "spam", self.p.alice)
        with self.assertRaises(ValidationError) as caught:
            services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="abuse")
        assert "comment" in caught.exception.message_dict
        assert Flag.objects.count() == 1

    def test_not_their_own_and_other_needs_words(self):
        with self.assertRaises(ValidationError) as caught:
            services.comment_flag(comment=self.spam, flagger=self.p.bob, reason="spam")
        assert "own" in caught.exception.message_dict["comment"][0]
        with self.assertRaises(ValidationError) as caught:
            services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="other", text="  ")
        assert "text" in caught.exception.message_dict
        with self.assertRaises(ValidationError):
            services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="rant")

    def test_after_a_decision_a_member_may_flag_again(self):
        services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam")
        services.comment_review(comment=self.spam, moderator=self.p.carol, outcome="approved")
        again = services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="abuse")
        assert again.status == "pending"

    def test_the_database_keeps_one_open_flag_per_member_and_comment(self):
        from django.db import IntegrityError, transaction

        Flag.objects.create(comment=self.spam, flagger=self.p.alice, reason="spam")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Flag.objects.create(comment=self.spam, flagger=self.p.alice, reason="abuse")


class QueuePathTests(FlagCase):
    """flag -> queue -> action -> log, through every door."""

    def test_remove_as_spam_goes_through_the_removal_service_and_logs_it(self):
        services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam")
        services.comment_flag(comment=self.spam, flagger=self.p.carol, reason="abuse")
        assert self.count() == 2
        services.comment_review(comment=self.spam, moderator=self.p.carol, outcome="removed-spam")
        assert Comment.objects.get(pk=self.spam.pk).state == State.REMOVED
        assert self.count() == 1
        entry = Moderation.objects.get(comment=self.spam)
        assert (entry.moderator, entry.action, entry.reason) == (self.p.carol, "remove", "Spam")
        assert set(Flag.objects.values_list("status", "resolved_by")) == {("removed-spam", self.p.carol.pk)}

    def test_removal_by_rule_names_the_rule(self):
        services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="off-topic")
        with self.assertRaises(ValidationError) as caught:
            services.comment_review(comment=self.spam, moderator=self.p.carol, outcome="removed-rule")
        assert "reason" in caught.exception.message_dict
        services.comment_review(comment=self.spam, moderator=self.p.carol, outcome="removed-rule", reason="Rule 2")
        assert Moderation.objects.get(comment=self.spam).reason == "Against the rules: Rule 2"
        assert Flag.objects.get().status == "removed-rule"

    def test_approval_keeps_the_comment_closes_the_flags_and_logs_it(self):
        services.comment_flag(comment=self.fine, flagger=self.p.bob, reason="abuse")
        services.comment_review(comment=self.fine, moderator=self.p.carol, outcome="approved", reason="Fair criticism")
        assert Comment.objects.get(pk=self.fine.pk).is_visible and self.count() == 2
        assert Flag.objects.get().status == "approved"
        entry = Moderation.objects.get(comment=self.fine)
        assert (entry.action, entry.reason) == ("approve", "Fair criticism")
        # Nothing left to approve: no second log row.
        services.comment_approve(comment=self.fine, moderator=self.p.carol)
        assert Moderation.objects.filter(comment=self.fine).count() == 1

    def test_members_may_not_decide(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            services.comment_review(comment=self.spam, moderator=self.p.alice, outcome="removed-spam")

    def test_the_admin_queue_lists_pending_flags_and_its_actions_use_the_services(self):
        services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam")
        services.comment_flag(comment=self.fine, flagger=self.p.bob, reason="abuse")
        self.client.force_login(self.p.carol)
        url = reverse("admin:comments_flag_changelist")
        response = self.client.get(url)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == 2  # pending, by default
        spam_flag = Flag.objects.get(comment=self.spam)
        response = self.client.post(url, {"action": "remove_as_spam", "_selected_action": [spam_flag.pk]})
        assert response.status_code == 302
        assert Comment.objects.get(pk=self.spam.pk).removed_at is not None
        assert self.count() == 1
        assert Moderation.objects.get(comment=self.spam).moderator == self.p.carol
        assert len(self.client.get(url).context["cl"].result_list) == 1
        assert len(self.client.get(url, {"status": "removed-spam"}).context["cl"].result_list) == 1
        # By rule: a page asks for the rule first.
        fine_flag = Flag.objects.get(comment=self.fine)
        form = {"action": "remove_by_rule", "_selected_action": [fine_flag.pk]}
        response = self.client.post(url, form)
        assert response.status_code == 200 and Comment.objects.get(pk=self.fine.pk).removed_at is None
        self.client.post(url, {**form, "reason": "No personal attacks", "apply": "1"})
        assert Moderation.objects.get(comment=self.fine).reason == "Against the rules: No personal attacks"
        assert Flag.objects.get(pk=fine_flag.pk).status == "removed-rule"

    def test_a_plain_removal_closes_the_open_flags_and_a_restore_leaves_them_closed(self):
        services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam")
        self.client.force_login(self.p.carol)
        response = self.client.post(reverse("comments:remove", args=[self.spam.pk]), {"reason": "Advertising"})
        assert response.status_code == 302
        flag = Flag.objects.get()
        assert (flag.status, flag.resolved_by, flag.resolved_at is not None) == ("removed-rule", self.p.carol, True)
        assert not Flag.objects.filter(status="pending").exists()  # the queue no longer lists it
        services.comment_restore(comment=self.spam, moderator=self.p.carol, reason="Mistaken")
        assert Flag.objects.get().status == "removed-rule"
        # Restored and visible, it may be flagged afresh.
        assert services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam").status == "pending"

    def test_removal_through_the_api_closes_the_open_flags(self):
        services.comment_flag(comment=self.fine, flagger=self.p.bob, reason="abuse")
        response = client_for(self.p.carol).post(f"/api/v1/comments/{self.fine.pk}/remove/", {"reason": "Rule 1"})
        assert response.status_code == 200
        assert list(Flag.objects.values_list("status", "resolved_by")) == [("removed-rule", self.p.carol.pk)]


class FlagPageTests(FlagCase):
    def test_members_see_a_flag_link_under_others_comments_only(self):
        self.client.force_login(self.p.alice)
        page = self.client.get(PAGE).content.decode()
        assert reverse("comments:flag", args=[self.spam.pk]) in page
        assert reverse("comments:flag", args=[self.fine.pk]) not in page  # her own
        self.client.logout()
        assert "/flag/" not in self.client.get(PAGE).content.decode()

    def test_the_flag_form_writes_a_flag_and_refuses_a_second(self):
        self.client.force_login(self.p.alice)
        url = reverse("comments:flag", args=[self.spam.pk])
        assert self.client.get(url).status_code == 200
        response = self.client.post(url, {"reason": "spam", "text": ""})
        assert response.status_code == 302
        assert Flag.objects.filter(comment=self.spam, flagger=self.p.alice, status="pending").exists()
        response = self.client.post(url, {"reason": "abuse"})
        assert response.status_code == 400 and "already" in response.content.decode()
        response = self.client.post(reverse("comments:flag", args=[self.fine.pk]), {"reason": "spam"})
        assert response.status_code == 400  # her own

    def test_the_curators_review_page_decides_and_members_are_refused(self):
        services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam")
        url = reverse("comments:review", args=[self.spam.pk])
        self.client.force_login(self.p.alice)
        assert self.client.post(url, {"outcome": "removed-spam"}).status_code == 403
        self.client.force_login(self.p.carol)
        page = self.client.get(url)
        assert page.status_code == 200 and "Open flags" in page.content.decode()
        assert self.client.post(url, {"outcome": "removed-rule", "reason": ""}).status_code == 400
        assert self.client.post(url, {"outcome": "removed-spam"}).status_code == 302
        assert Moderation.objects.get(comment=self.spam).action == "remove"
        assert self.count() == 1


class FlagApiTests(FlagCase):
    def test_a_member_flags_through_the_api_with_field_errors_on_bad_input(self):
        client = client_for(self.p.alice)
        url = f"/api/v1/comments/{self.spam.pk}/flag/"
        response = client.post(url, {"reason": "spam"}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "pending"
        again = client.post(url, {"reason": "abuse"}, format="json")
        assert again.status_code == 400 and "comment" in again.json()["fields"]
        bad = client.post(url, {"reason": "rant"}, format="json")
        assert bad.status_code == 400 and "reason" in bad.json()["fields"]
        other = client_for(self.p.carol).post(url, {"reason": "other"}, format="json")
        assert other.status_code == 400 and "text" in other.json()["fields"]
        own = client_for(self.p.bob).post(url, {"reason": "spam"}, format="json")
        assert own.status_code == 400
        assert client_for().post(url, {"reason": "spam"}, format="json").status_code == 401

    def test_curators_review_through_the_api(self):
        services.comment_flag(comment=self.spam, flagger=self.p.alice, reason="spam")
        url = f"/api/v1/comments/{self.spam.pk}/review/"
        assert client_for(self.p.alice).post(url, {"outcome": "removed-spam"}, format="json").status_code == 403
        curator = client_for(self.p.carol)
        bad = curator.post(url, {"outcome": "removed-rule"}, format="json")
        assert bad.status_code == 400 and "reason" in bad.json()["fields"]
        assert curator.post(url, {"outcome": "gone"}, format="json").status_code == 400
        response = curator.post(url, {"outcome": "removed-spam", "reason": "bot"}, format="json")
        assert response.status_code == 200 and response.json()["state"] == "removed"
        assert Moderation.objects.get(comment=self.spam).reason == "Spam: bot"
        assert Flag.objects.get().status == "removed-spam"


@override_settings(PREMODERATE_FIRST_COMMENTS=2)
class PremoderationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.newcomer = UserFactory(username="newcomer")

    def counts(self) -> tuple[int, int]:
        self.paper.refresh_from_db()
        return self.paper.comment_count, self.paper.discussion_count

    def test_a_new_members_first_comments_are_held_and_not_counted(self):
        held = services.comment_post(author=self.newcomer, target=self.paper, body="Hello, first post")
        assert held.held_at is not None and held.state == State.HELD
        assert self.counts() == (0, 0)
        assert not Comment.objects.filter(pk=held.pk).visible().exists()

    def test_approval_releases_it_counts_follow_and_the_log_says_so(self):
        held = services.comment_post(author=self.newcomer, target=self.paper, body="Hello, first post")
        services.comment_approve(comment=held, moderator=self.p.carol)
        held.refresh_from_db()
        assert held.is_visible and self.counts() == (1, 1)
        entry = Moderation.objects.get(comment=held)
        assert (entry.action, entry.moderator) == ("approve", self.p.carol)

    def test_nobody_is_told_of_a_held_comment_until_it_is_released(self):
        body = "Hello @alice, a first post"
        held = services.comment_post(author=self.newcomer, target=self.paper, body=body)
        assert not Notification.objects.filter(comment=held).exists()
        services.comment_approve(comment=held, moderator=self.p.carol)
        told = Notification.objects.filter(comment=held).values_list("recipient__username", "reason")
        assert list(told) == [("alice", "mention")]
        held.refresh_from_db()
        assert held.body == body and 'class="mention"' in held.body_html

    def test_after_n_approved_comments_a_member_posts_freely(self):
        for n in range(2):
            held = services.comment_post(author=self.newcomer, target=self.paper, body=f"Comment {n}")
            assert held.held_at is not None
            services.comment_approve(comment=held, moderator=self.p.carol)
        free = services.comment_post(author=self.newcomer, target=self.paper, body="Trusted now")
        assert free.held_at is None and self.counts() == (3, 3)

    def test_rejected_comments_do_not_earn_trust(self):
        for n in range(3):
            spam = services.comment_post(author=self.newcomer, target=self.paper, body=f"Spam {n}")
            assert spam.held_at is not None
            services.comment_review(comment=spam, moderator=self.p.carol, outcome="removed-spam")
        assert self.counts() == (0, 0)
        assert services.comment_post(author=self.newcomer, target=self.paper, body="More").held_at is not None

    def test_curators_and_members_with_history_are_not_held(self):
        assert services.comment_post(author=self.p.carol, target=self.paper, body="Curator").held_at is None
        with self.settings(PREMODERATE_FIRST_COMMENTS=0):
            for n in range(2):
                services.comment_post(author=self.p.alice, target=self.paper, body=f"Before {n}")
        assert services.comment_post(author=self.p.alice, target=self.paper, body="After").held_at is None

    def test_a_held_comment_on_a_video_leaves_the_papers_discussion_count_alone(self):
        link = VideoPaperFactory(paper=self.paper, video=VideoFactory())
        held = services.comment_post(author=self.newcomer, target=link.video, body="On the video")
        link.video.refresh_from_db()
        assert link.video.comment_count == 0 and self.counts() == (0, 0)
        services.comment_approve(comment=held, moderator=self.p.carol)
        link.video.refresh_from_db()
        assert link.video.comment_count == 1 and self.counts() == (0, 1)

    def test_a_held_comment_takes_no_replies_or_votes(self):
        held = services.comment_post(author=self.newcomer, target=self.paper, body="Hello")
        with self.assertRaises(ValidationError):
            services.comment_post(author=self.p.alice, target=self.paper, body="Hi", parent=held)
        with self.assertRaises(ValidationError):
            services.vote_cast(user=self.p.alice, comment=held)
        with self.assertRaises(ValidationError):
            services.comment_flag(comment=held, flagger=self.p.alice, reason="spam")

    def test_the_page_shows_it_to_its_author_and_curators_only(self):
        held = services.comment_post(author=self.newcomer, target=self.paper, body="Awaiting words")
        self.client.force_login(self.newcomer)
        page = self.client.get(PAGE).content.decode()
        assert "Awaiting words" in page and "awaiting approval" in page
        assert "(0 comments)" in page
        self.client.force_login(self.p.alice)
        page = self.client.get(PAGE).content.decode()
        assert "Awaiting words" not in page and f'id="c{held.pk}"' not in page
        assert self.client.get(reverse("comments:detail", args=[held.pk])).status_code == 404
        self.client.logout()
        assert "Awaiting words" not in self.client.get(PAGE).content.decode()
        self.client.force_login(self.p.carol)
        page = self.client.get(PAGE).content.decode()
        assert "Awaiting words" in page and reverse("comments:review", args=[held.pk]) in page

    def test_approval_from_the_page_releases_it_to_everyone(self):
        held = services.comment_post(author=self.newcomer, target=self.paper, body="Awaiting words")
        self.client.force_login(self.p.carol)
        response = self.client.post(reverse("comments:review", args=[held.pk]), {"outcome": "approved"})
        assert response.status_code == 302
        self.client.logout()
        page = self.client.get(PAGE).content.decode()
        assert "Awaiting words" in page and "(1 comment)" in page and "awaiting approval" not in page

    def test_the_admin_filters_held_comments_and_approves_them(self):
        held = services.comment_post(author=self.newcomer, target=self.paper, body="Awaiting words")
        services.comment_post(author=self.p.carol, target=self.paper, body="Curator's own")
        self.client.force_login(self.p.carol)
        url = reverse("admin:comments_comment_changelist")
        listed = self.client.get(url, {"state": "held"}).context["cl"].result_list
        assert [c.pk for c in listed] == [held.pk]
        self.client.post(url, {"action": "approve_comments", "_selected_action": [held.pk]})
        assert Comment.objects.get(pk=held.pk).is_visible and self.counts() == (2, 2)
        assert Moderation.objects.get(comment=held).action == "approve"

    def test_the_api_hides_held_comments_from_others_and_curators_release_them(self):
        held = services.comment_post(author=self.newcomer, target=self.paper, body="Awaiting words")

        def ids(client) -> list[int]:
            return [row["id"] for row in client.get("/api/v1/comments/", {"paper": "2105.06548"}).json()["results"]]

        assert ids(client_for()) == [] and ids(client_for(self.p.alice)) == []
        mine = client_for(self.newcomer).get(f"/api/v1/comments/{held.pk}/").json()
        assert (mine["state"], mine["body"]) == ("held", "Awaiting words")
        assert client_for(self.p.alice).get(f"/api/v1/comments/{held.pk}/").status_code == 404
        assert client_for(self.p.alice).post(f"/api/v1/comments/{held.pk}/vote/", {"value": 1}).status_code == 404
        flag = client_for(self.p.alice).post(f"/api/v1/comments/{held.pk}/flag/", {"reason": "spam"})
        assert flag.status_code == 404
        assert ids(client_for(self.p.carol)) == [held.pk]
        response = client_for(self.p.carol).post(f"/api/v1/comments/{held.pk}/review/", {"outcome": "approved"})
        assert response.status_code == 200 and response.json()["state"] == "visible"
        assert ids(client_for()) == [held.pk] and self.counts() == (1, 1)

    def test_the_api_posts_a_held_comment_and_says_so(self):
        response = client_for(self.newcomer).post("/api/v1/comments/", {"paper": "2105.06548", "body": "Hi"})
        assert response.status_code == 201 and response.json()["state"] == "held"
        assert self.counts() == (0, 0)


class HeldQueryCountTests(TestCase):
    def test_a_page_with_held_comments_reads_as_many_queries_as_one_without(self):
        p = make_personas()
        paper = PaperFactory(arxiv_id="2105.06548")
        for n in range(10):
            services.comment_post(author=p.alice, target=paper, body=f"Visible {n}")
        self.client.force_login(p.carol)
        with CaptureQueriesContext(connection) as before:
            self.client.get(PAGE)
        with self.settings(PREMODERATE_FIRST_COMMENTS=5):
            newcomer = UserFactory(username="newcomer")
            for n in range(5):
                services.comment_post(author=newcomer, target=paper, body=f"Held {n}")
        services.comment_flag(comment=Comment.objects.filter(author=p.alice).first(), flagger=newcomer, reason="spam")
        with self.assertNumQueries(len(before)):
            page = self.client.get(PAGE).content.decode()
        assert page.count("awaiting approval</span>") == 5
