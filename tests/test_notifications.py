"""Mentions, notifications, watching and muting (issue 13): the services, the inbox page and its API, e-mail."""

from __future__ import annotations

from django.core import mail
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from comments import notifications, services
from comments.models import Comment, Notification, Watch
from tests.api_support import client_for
from tests.factories import PaperFactory, UserFactory, VideoFactory, make_personas
from tests.pages import INBOX_BADGE_QUERIES, queries_of

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def told(user) -> dict[int, str]:
    """{comment id: reason} of the member's notifications."""
    return dict(Notification.objects.filter(recipient=user).values_list("comment_id", "reason"))


class MentionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.gone = UserFactory(username="gone", is_active=False)

    def test_a_mention_links_the_member_and_notifies_them(self):
        comment = services.comment_post(author=self.p.alice, target=self.paper, body="What do you think, @bob?")
        assert '<a class="mention" href="/u/bob/">@bob</a>?' in comment.body_html
        assert told(self.p.bob) == {comment.pk: "mention"}

    def test_no_link_inside_code_links_or_for_unknown_inactive_members_or_addresses(self):
        body = "`@bob` and\n\n```\n@bob\n```\n\n[@bob](https://example.org) @nobody @gone bob@example.org"
        comment = services.comment_post(author=self.p.alice, target=self.paper, body=body)
        assert 'class="mention"' not in comment.body_html
        assert "<code>@bob</code>" in comment.body_html and "@nobody @gone" in comment.body_html
        assert not Notification.objects.exists()

    def test_a_mention_at_the_end_of_a_sentence_and_html_in_the_text_stay_safe(self):
        comment = services.comment_post(
            author=self.p.alice, target=self.paper, body="Thanks @bob. <script>@carol</script> @carol."
        )
        assert '<a class="mention" href="/u/bob/">@bob</a>.' in comment.body_html
        assert "<script>" not in comment.body_html
        assert set(told(self.p.bob).values()) == {"mention"} and told(self.p.carol)

    def test_mentioning_yourself_tells_no_one(self):
        services.comment_post(author=self.p.alice, target=self.paper, body="Note to self, @alice")
        assert not Notification.objects.exists()

    def test_an_edit_tells_members_it_newly_names_and_no_one_twice(self):
        comment = services.comment_post(author=self.p.alice, target=self.paper, body="cc @bob")
        services.comment_edit(comment=comment, editor=self.p.alice, body="cc @bob and @carol")
        assert told(self.p.bob) == {comment.pk: "mention"} and told(self.p.carol) == {comment.pk: "mention"}
        assert Notification.objects.count() == 2

    def test_the_api_links_and_notifies_as_the_page_does(self):
        response = client_for(self.p.alice).post("/api/v1/comments/", {"paper": "2105.06548", "body": "Hey @bob"})
        assert response.status_code == 201, response.content
        assert 'href="/u/bob/"' in response.json()["body_html"]
        assert list(told(self.p.bob).values()) == ["mention"]

    def test_the_page_links_and_notifies(self):
        self.client.force_login(self.p.alice)
        form = {"body": "Over to you @bob", "kind": "plain"}
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", form)
        assert response.status_code == 302
        page = self.client.get("/papers/2105.06548/").content.decode()
        assert '<a class="mention" href="/u/bob/">@bob</a>' in page
        assert list(told(self.p.bob).values()) == ["mention"]


class ReplyAndWatchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.video = VideoFactory(slug="expire-span")
        cls.root = services.comment_post(author=cls.p.alice, target=cls.paper, body="A question")

    def test_a_reply_tells_the_parents_author_but_not_yourself(self):
        reply = services.comment_post(author=self.p.bob, target=self.paper, body="An answer", parent=self.root)
        assert told(self.p.alice) == {reply.pk: "reply"}
        services.comment_post(author=self.p.alice, target=self.paper, body="Self reply", parent=self.root)
        assert len(told(self.p.alice)) == 1

    def test_a_reply_through_the_page_and_the_api_tells_the_parents_author(self):
        self.client.force_login(self.p.bob)
        form = {"body": "From the page", "kind": "plain"}
        assert self.client.post(f"/comments/{self.root.pk}/reply/", form).status_code == 302
        response = client_for(self.p.carol).post(
            "/api/v1/comments/", {"parent": self.root.pk, "body": "From the API"}, format="json"
        )
        assert response.status_code == 201, response.content
        assert sorted(told(self.p.alice).values()) == ["reply", "reply"]
        assert told(self.p.bob) == told(self.p.carol) == {}

    def test_an_edit_through_the_api_tells_a_newly_named_member(self):
        reply = services.comment_post(author=self.p.bob, target=self.paper, body="plain", parent=self.root)
        response = client_for(self.p.bob).patch(f"/api/v1/comments/{reply.pk}/", {"body": "cc @carol"}, format="json")
        assert response.status_code == 200, response.content
        assert told(self.p.carol) == {reply.pk: "mention"}

    def test_a_mention_in_a_reply_is_told_once_as_a_mention(self):
        reply = services.comment_post(author=self.p.bob, target=self.paper, body="Right, @alice?", parent=self.root)
        assert told(self.p.alice) == {reply.pk: "mention"}

    def test_a_muted_thread_tells_nothing_of_replies_or_mentions_deep_inside(self):
        services.watch_set(user=self.p.alice, state="mute", comment=self.root)
        reply = services.comment_post(author=self.p.bob, target=self.paper, body="reply", parent=self.root)
        services.comment_post(author=self.p.carol, target=self.paper, body="@alice look", parent=reply)
        assert told(self.p.alice) == {}
        assert told(self.p.bob)  # carol's reply still tells bob, who muted nothing

    def test_mute_wins_over_a_watch(self):
        services.watch_set(user=self.p.bob, state="watch", paper=self.paper)
        services.watch_set(user=self.p.bob, state="mute", comment=self.root)
        services.comment_post(author=self.p.carol, target=self.paper, body="@bob here", parent=self.root)
        assert told(self.p.bob) == {}
        services.watch_set(user=self.p.bob, state="mute", paper=self.paper)
        services.watch_set(user=self.p.bob, state="watch", comment=self.root)
        services.comment_post(author=self.p.carol, target=self.paper, body="again", parent=self.root)
        services.comment_post(author=self.p.carol, target=self.paper, body="new top-level @bob")
        assert told(self.p.bob) == {}

    def test_watching_a_paper_or_video_tells_of_top_level_comments_only(self):
        services.watch_set(user=self.p.bob, state="watch", paper=self.paper)
        services.watch_set(user=self.p.bob, state="watch", video=self.video)
        top = services.comment_post(author=self.p.carol, target=self.paper, body="New thread")
        on_video = services.comment_post(author=self.p.carol, target=self.video, body="On the video")
        services.comment_post(author=self.p.carol, target=self.paper, body="a reply", parent=self.root)
        services.comment_post(author=self.p.bob, target=self.paper, body="my own")
        assert told(self.p.bob) == {top.pk: "watch", on_video.pk: "watch"}

    def test_watching_a_thread_tells_of_every_reply_in_it(self):
        services.watch_set(user=self.p.bob, state="watch", comment=self.root)
        first = services.comment_post(author=self.p.carol, target=self.paper, body="one", parent=self.root)
        second = services.comment_post(author=self.p.alice, target=self.paper, body="two", parent=first)
        assert told(self.p.bob) == {first.pk: "thread", second.pk: "thread"}
        services.watch_set(user=self.p.bob, state=None, comment=self.root)
        services.comment_post(author=self.p.alice, target=self.paper, body="three", parent=first)
        assert len(told(self.p.bob)) == 2

    def test_pages_watch_and_mute(self):
        self.client.force_login(self.p.bob)
        page = self.client.get("/papers/2105.06548/").content.decode()
        assert "Watch this paper" in page
        response = self.client.post(f"/watch/paper/{self.paper.pk}/", {"state": "watch", "next": "/papers/2105.06548/"})
        assert response.status_code == 302 and response["Location"] == "/papers/2105.06548/"
        assert "Watching this paper." in self.client.get("/papers/2105.06548/").content.decode()
        response = self.client.post(f"/watch/comment/{self.root.pk}/", {"state": "mute", "next": "https://evil.test/"})
        assert response["Location"] == f"/comments/{self.root.pk}/"
        assert "This thread is muted." in self.client.get(f"/comments/{self.root.pk}/").content.decode()
        assert Watch.objects.filter(user=self.p.bob).count() == 2
        assert self.client.post(f"/watch/note/{self.paper.pk}/", {"state": "watch"}).status_code == 404
        self.client.logout()
        assert "Watch this paper" not in self.client.get("/papers/2105.06548/").content.decode()
        assert self.client.post(f"/watch/paper/{self.paper.pk}/", {"state": "watch"}).status_code == 302
        assert Watch.objects.count() == 2  # a visitor is sent to sign in, nothing is written


class InboxPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.root = services.comment_post(author=cls.p.alice, target=cls.paper, body="A question")
        cls.first = services.comment_post(author=cls.p.bob, target=cls.paper, body="First answer", parent=cls.root)
        cls.second = services.comment_post(author=cls.p.carol, target=cls.paper, body="Second answer", parent=cls.root)

    def test_visitors_are_sent_to_sign_in(self):
        assert self.client.get("/notifications/").status_code == 302

    def test_unread_first_then_newest_and_mark_one_or_all_read(self):
        self.client.force_login(self.p.alice)
        services.notifications_mark_read(user=self.p.alice, pks=[Notification.objects.get(comment=self.second).pk])
        page = self.client.get("/notifications/").content.decode()
        assert page.index("First answer") < page.index("Second answer")  # unread before the newer read one
        assert "bob</a> replied to your comment on" in page
        first = Notification.objects.get(comment=self.first)
        assert self.client.post(f"/notifications/{first.pk}/read/").status_code == 302
        assert notifications.unread_count(self.p.alice) == 0
        other = services.comment_post(author=self.p.bob, target=self.paper, body="@alice again")
        assert notifications.unread_count(self.p.alice) == 1
        self.client.post("/notifications/read/")
        assert notifications.unread_count(self.p.alice) == 0 and told(self.p.alice)[other.pk] == "mention"

    def test_one_cannot_mark_anothers_notification(self):
        self.client.force_login(self.p.bob)
        self.client.post(f"/notifications/{Notification.objects.get(comment=self.first).pk}/read/")
        assert notifications.unread_count(self.p.alice) == 2

    def test_deleted_and_removed_comments_leave_no_text_and_no_count(self):
        services.comment_delete(comment=self.first, actor=self.p.bob)
        services.comment_remove(comment=self.second, moderator=self.p.carol, reason="spam")
        self.client.force_login(self.p.alice)
        page = self.client.get("/notifications/").content.decode()
        assert "First answer" not in page and "Second answer" not in page
        assert notifications.unread_count(self.p.alice) == 0
        body = client_for(self.p.alice).get("/api/v1/notifications/").json()
        assert body["count"] == 0 and "answer" not in str(body)
        services.comment_restore(comment=self.second, moderator=self.p.carol, reason="not spam")
        assert notifications.unread_count(self.p.alice) == 1

    def test_the_header_badge_costs_one_query_for_members_and_none_for_visitors(self):
        visitor, _, _ = queries_of(self.client, "/moderation/")
        self.client.force_login(self.p.alice)
        member, response, sql = queries_of(self.client, "/moderation/")
        assert member == visitor + 2 + INBOX_BADGE_QUERIES, sql  # the session and the user, then the badge
        assert 'aria-label="2 unread">2</span>' in response.content.decode()
        for i in range(30):
            services.comment_post(author=self.p.bob, target=self.paper, body=f"@alice {i}")
        again, response, _ = queries_of(self.client, "/moderation/")
        assert again == member and 'aria-label="32 unread"' in response.content.decode()

    def test_the_inbox_takes_the_same_queries_for_few_and_many(self):
        self.client.force_login(self.p.alice)
        few, _, _ = queries_of(self.client, "/notifications/")
        for i in range(30):
            services.comment_post(author=self.p.bob, target=self.paper, body=f"@alice {i}")
        many, response, sql = queries_of(self.client, "/notifications/")
        assert many == few, sql
        assert response.content.decode().count('class="notification unread"') == 25


class InboxApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.root = services.comment_post(author=cls.p.alice, target=cls.paper, body="A question")
        cls.reply = services.comment_post(author=cls.p.bob, target=cls.paper, body="An answer", parent=cls.root)

    def test_list_count_and_mark_read(self):
        client = client_for(self.p.alice)
        body = client.get("/api/v1/notifications/").json()
        assert body["count"] == 1
        item = body["results"][0]
        assert (item["reason"], item["author"], item["excerpt"], item["read"]) == ("reply", "bob", "An answer", False)
        assert item["url"] == f"/comments/{self.reply.pk}/" and item["target_title"] == "Expire-Span"
        assert client.get("/api/v1/notifications/unread/").json() == {"unread": 1}
        assert client.post(f"/api/v1/notifications/{item['id']}/read/").json() == {"marked": 1}
        assert client.get("/api/v1/notifications/unread/").json() == {"unread": 0}
        services.comment_post(author=self.p.bob, target=self.paper, body="more", parent=self.root)
        assert client.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}

    def test_others_notifications_are_404_and_visitors_401(self):
        pk = Notification.objects.get(recipient=self.p.alice).pk
        assert client_for(self.p.bob).post(f"/api/v1/notifications/{pk}/read/").status_code == 404
        assert client_for(self.p.bob).get(f"/api/v1/notifications/{pk}/").status_code == 404
        assert client_for().get("/api/v1/notifications/").status_code == 401

    def test_bad_input_is_a_400_with_field_errors(self):
        client = client_for(self.p.alice)
        response = client.post("/api/v1/notifications/read/", {"ids": ["x", 0]}, format="json")
        assert response.status_code == 400 and "ids.0" in response.json()["fields"]
        response = client.post("/api/v1/watches/", {"paper": "2105.06548", "video": "nope"}, format="json")
        assert response.status_code == 400 and "video" in response.json()["fields"]
        response = client.post("/api/v1/watches/", {}, format="json")
        assert response.status_code == 400 and response.json()["fields"]
        response = client.post("/api/v1/watches/", {"paper": "2105.06548", "state": "loud"}, format="json")
        assert response.status_code == 400 and "state" in response.json()["fields"]
        response = client.patch("/api/v1/notifications/settings/", {"email": "maybe"}, format="json")
        assert response.status_code == 400 and "email" in response.json()["fields"]

    def test_watches_through_the_api(self):
        client = client_for(self.p.bob)
        response = client.post("/api/v1/watches/", {"paper": "arXiv:2105.06548v1"}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["paper"] == "2105.06548" and response.json()["state"] == "watch"
        top = services.comment_post(author=self.p.carol, target=self.paper, body="New thread")
        assert told(self.p.bob)[top.pk] == "watch"
        response = client.post("/api/v1/watches/", {"comment": self.root.pk, "state": "mute"}, format="json")
        assert response.status_code == 201
        services.comment_post(author=self.p.alice, target=self.paper, body="@bob?", parent=self.reply)
        assert len(told(self.p.bob)) == 1
        assert len(client.get("/api/v1/watches/").json()["results"]) == 2
        assert client.delete(f"/api/v1/watches/{response.json()['id']}/").status_code == 204
        assert client_for(self.p.alice).delete(f"/api/v1/watches/{Watch.objects.get().pk}/").status_code == 404


class EmailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.root = services.comment_post(author=cls.p.alice, target=cls.paper, body="A question")

    @override_settings(EMAIL_BACKEND=LOCMEM, SITE_URL="https://hub.example")
    def test_email_only_when_opted_in_after_commit_and_without_the_text(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.comment_post(author=self.p.bob, target=self.paper, body="Secret words", parent=self.root)
        assert mail.outbox == []
        self.client.force_login(self.p.alice)
        page = self.client.get("/notifications/settings/").content.decode()
        assert "Also e-mail me each notification" in page
        assert self.client.post("/notifications/settings/", {"email": "on"}).status_code == 302
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            reply = services.comment_post(author=self.p.bob, target=self.paper, body="Secret words", parent=self.root)
        assert mail.outbox == [] and len(callbacks) == 1  # nothing leaves before the commit
        callbacks[0]()
        (message,) = mail.outbox
        assert message.to == ["alice@example.org"] and "bob replied to your comment" in message.subject
        assert f"https://hub.example/comments/{reply.pk}/" in message.body and "Secret" not in message.body

    @override_settings(EMAIL_BACKEND=LOCMEM)
    def test_the_api_turns_email_on_and_off(self):
        client = client_for(self.p.alice)
        assert client.get("/api/v1/notifications/settings/").json() == {"email": False}
        assert client.patch("/api/v1/notifications/settings/", {"email": True}, format="json").json() == {"email": True}
        with self.captureOnCommitCallbacks(execute=True):
            services.comment_post(author=self.p.bob, target=self.paper, body="hi", parent=self.root)
        assert len(mail.outbox) == 1
        client.patch("/api/v1/notifications/settings/", {"email": False}, format="json")
        with self.captureOnCommitCallbacks(execute=True):
            services.comment_post(author=self.p.bob, target=self.paper, body="hi again", parent=self.root)
        assert len(mail.outbox) == 1

    @override_settings(EMAIL_BACKEND=LOCMEM)
    def test_a_comment_removed_before_the_mail_leaves_sends_nothing(self):
        services.notification_email_set(user=self.p.alice, email=True)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            reply = services.comment_post(author=self.p.bob, target=self.paper, body="spam", parent=self.root)
        Comment.objects.filter(pk=reply.pk).update(deleted_at=reply.created_at)
        callbacks[0]()
        assert mail.outbox == []


class PostingCostTests(TestCase):
    def test_posting_a_reply_costs_the_same_with_one_or_many_watchers(self):
        p = make_personas()
        paper = PaperFactory(arxiv_id="2105.06548")
        root = services.comment_post(author=p.alice, target=paper, body="root")
        services.watch_set(user=p.bob, state="watch", comment=root)

        def post() -> int:
            with CaptureQueriesContext(connection) as captured:
                services.comment_post(author=p.carol, target=paper, body="reply", parent=root)
            return len(captured)

        one = post()
        for i in range(20):
            services.watch_set(user=UserFactory(username=f"w{i}"), state="watch", comment=root)
        assert post() == one
        # alice (her comment's replies) and bob on the first; and the twenty new watchers on the second
        assert Notification.objects.filter(comment__body="reply").count() == 2 + 22
