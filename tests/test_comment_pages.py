"""Discussion pages: posting, replying, editing, deleting and voting, as plain forms and in place; who may do what;
and the query count of a discussion, whatever its size."""

from __future__ import annotations

import random

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Comment, Vote
from comments.threads import MAX_DEPTH, build_thread
from tests.factories import ChannelFactory, CommentFactory, PaperFactory, UserFactory, VideoFactory, make_personas

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


class PostingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.comment = services.comment_post(author=cls.p.alice, target=cls.paper, body="Alice's **first** thought")

    def test_a_member_comments_and_is_sent_back_to_the_comment(self):
        self.client.force_login(self.p.bob)
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": "Bob *agrees*"})
        comment = Comment.objects.get(body="Bob *agrees*")
        assert response.status_code == 302
        assert response["Location"] == f"/papers/2105.06548/?comment={comment.pk}#c{comment.pk}"
        assert comment.body_html == "<p>Bob <em>agrees</em></p>"
        self.paper.refresh_from_db()
        assert self.paper.comment_count == 2

    def test_an_empty_comment_shows_what_is_wrong(self):
        self.client.force_login(self.p.bob)
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": "   "})
        assert response.status_code == 400
        assert "Write something before posting." in response.content.decode()
        assert Comment.objects.count() == 1

    def test_a_too_long_comment_keeps_what_the_member_typed(self):
        self.client.force_login(self.p.bob)
        body = "word " * 2001
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": body})
        assert response.status_code == 400
        html = response.content.decode()
        assert "holds at most 10,000 characters; this one has 10,004" in html
        assert body.strip() in html

    def test_visitors_are_sent_to_log_in(self):
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": "hello"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert Comment.objects.count() == 1

    def test_reply_form_page_and_reply(self):
        self.client.force_login(self.p.bob)
        page = self.client.get(f"/comments/{self.comment.pk}/reply/")
        assert page.status_code == 200
        assert "<strong>first</strong>" in page.content.decode()
        response = self.client.post(f"/comments/{self.comment.pk}/reply/", {"body": "A reply"})
        reply = Comment.objects.get(body="A reply")
        assert (reply.parent_id, reply.depth) == (self.comment.pk, 1)
        assert response["Location"] == f"/papers/2105.06548/?comment={reply.pk}#c{reply.pk}"

    def test_reply_in_place_answers_with_the_new_comment(self):
        self.client.force_login(self.p.bob)
        response = self.client.post(f"/comments/{self.comment.pk}/reply/", {"body": "In place"}, **FETCH)
        reply = Comment.objects.get(body="In place")
        html = response.content.decode()
        assert response.status_code == 200
        assert html.startswith(f'<article class="comment mine" id="c{reply.pk}"')
        assert 'id="discussion-vote"' not in html

    def test_a_bad_reply_in_place_answers_400_with_the_form(self):
        self.client.force_login(self.p.bob)
        response = self.client.post(f"/comments/{self.comment.pk}/reply/", {"body": ""}, **FETCH)
        assert response.status_code == 400
        assert response.content.decode().lstrip().startswith("<form")

    def test_the_author_edits_and_the_comment_is_marked_edited(self):
        self.client.force_login(self.p.alice)
        response = self.client.post(f"/comments/{self.comment.pk}/edit/", {"body": "Changed my mind"})
        self.comment.refresh_from_db()
        assert response.status_code == 302
        assert self.comment.body_html == "<p>Changed my mind</p>"
        assert self.comment.edited_at is not None
        page = self.client.get("/papers/2105.06548/").content.decode()
        assert 'class="edited"' in page

    def test_an_emptied_edit_keeps_the_old_text(self):
        self.client.force_login(self.p.alice)
        response = self.client.post(f"/comments/{self.comment.pk}/edit/", {"body": ""})
        assert response.status_code == 400
        self.comment.refresh_from_db()
        assert self.comment.body == "Alice's **first** thought"

    def test_another_member_can_neither_edit_nor_delete(self):
        self.client.force_login(self.p.bob)
        for url in (f"/comments/{self.comment.pk}/edit/", f"/comments/{self.comment.pk}/delete/"):
            assert self.client.get(url).status_code == 403
            assert self.client.post(url, {"body": "hijacked"}).status_code == 403
        self.comment.refresh_from_db()
        assert (self.comment.body, self.comment.deleted_at) == ("Alice's **first** thought", None)

    def test_delete_leaves_a_placeholder_that_keeps_the_replies(self):
        reply = services.comment_post(author=self.p.bob, target=self.paper, body="Bob replies", parent=self.comment)
        self.client.force_login(self.p.alice)
        assert self.client.get(f"/comments/{self.comment.pk}/delete/").status_code == 200
        response = self.client.post(f"/comments/{self.comment.pk}/delete/")
        assert response.status_code == 302
        page = self.client.get("/papers/2105.06548/").content.decode()
        assert "[deleted]" in page
        assert "first</strong> thought" not in page
        assert f'id="c{reply.pk}"' in page
        assert "(1 comment)" in page

    def test_vote_once_then_withdraw(self):
        self.client.force_login(self.p.bob)
        url = f"/comments/{self.comment.pk}/vote/"
        assert self.client.post(url, {"action": "up"}, **FETCH).json() == {"score": 1, "voted": True, "vote": 1}
        assert self.client.post(url, {"action": "up"}, **FETCH).json() == {"score": 1, "voted": True, "vote": 1}
        assert Vote.objects.filter(comment=self.comment).count() == 1
        response = self.client.post(url, {"action": "withdraw"})
        assert response.status_code == 302
        self.comment.refresh_from_db()
        assert self.comment.score == 0

    def test_no_vote_on_ones_own_comment(self):
        self.client.force_login(self.p.alice)
        response = self.client.post(f"/comments/{self.comment.pk}/vote/", {"action": "up"})
        assert response.status_code == 400
        assert "Members do not vote on their own comments." in response.content.decode()

    def test_the_page_shows_a_pressed_vote_and_only_ones_own_edit_links(self):
        services.vote_cast(user=self.p.bob, comment=self.comment)
        self.client.force_login(self.p.bob)
        page = self.client.get("/papers/2105.06548/").content.decode()
        assert 'value="withdraw" aria-pressed="true"' in page
        assert f"/comments/{self.comment.pk}/edit/" not in page
        self.client.force_login(self.p.alice)
        page = self.client.get("/papers/2105.06548/").content.decode()
        assert f"/comments/{self.comment.pk}/edit/" in page
        assert 'form="discussion-vote"' not in page  # no vote on one's own comment

    def test_the_permalink_page_shows_the_comment_and_its_replies(self):
        reply = services.comment_post(author=self.p.bob, target=self.paper, body="Bob replies", parent=self.comment)
        response = self.client.get(f"/comments/{reply.pk}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Bob replies" in html
        assert "first</strong>" not in html
        assert f'href="/comments/{self.comment.pk}/"' in html

    def test_markdown_links_are_nofollow_and_raw_html_shows_as_typed(self):
        comment = services.comment_post(
            author=self.p.bob,
            target=self.paper,
            body="[x](https://example.org) <script>alert(1)</script> and a List<T> of <b>tags</b>",
        )
        assert 'rel="nofollow ugc noopener"' in comment.body_html
        assert "<script" not in comment.body_html and "<b>" not in comment.body_html
        shown = "&lt;script&gt;alert(1)&lt;/script&gt; and a List&lt;T&gt; of &lt;b&gt;tags&lt;/b&gt;"
        assert shown in comment.body_html

    def test_html_blocks_show_as_typed_and_code_is_untouched(self):
        comment = services.comment_post(
            author=self.p.bob, target=self.paper, body='<div onclick="x()">\nhi\n</div>\n\n`a<b`'
        )
        assert "<div" not in comment.body_html
        assert '<p>&lt;div onclick="x()"&gt;' in comment.body_html
        assert "<code>a&lt;b</code>" in comment.body_html


class VideoDiscussionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.host = UserFactory(username="host")
        cls.video = VideoFactory(
            slug="fnet", channel=ChannelFactory(owner=cls.host), url="https://www.youtube.com/watch?v=JJR3pBl78zw"
        )
        services.comment_post(author=cls.host, target=cls.video, body="Thanks for watching")
        services.comment_post(author=cls.p.alice, target=cls.video, body="The key idea is at 12:30.")

    def test_the_channels_owner_is_marked_as_the_creator(self):
        page = self.client.get("/videos/fnet/").content.decode()
        assert page.count('class="badge"') == 1
        assert '<a class="comment-author" href="/u/host/">host</a> <span class="badge"' in page

    def test_a_timestamp_in_a_comment_seeks_the_video(self):
        page = self.client.get("/videos/fnet/").content.decode()
        assert (
            '<a href="https://www.youtube.com/watch?v=JJR3pBl78zw&amp;t=750s" data-seek="750" '
            'rel="nofollow ugc noopener">12:30</a>'
            in page
            or '<a href="https://www.youtube.com/watch?v=JJR3pBl78zw&amp;t=750s" data-seek="750">12:30</a>' in page
        )

    def test_a_video_page_reads_its_discussion_in_constant_queries(self):
        def count() -> int:
            self.client.force_login(self.p.bob)
            with CaptureQueriesContext(connection) as queries:
                assert self.client.get("/videos/fnet/").status_code == 200
            return len(queries)

        small = count()
        for i in range(20):
            services.comment_post(author=self.p.carol, target=self.video, body=f"More {i} at 1:0{i % 10}")
        assert count() == small


def _discussion(paper: int, users: list, *, threads: int, total: int) -> None:
    """`total` comments on `paper` in `threads` threads, replies at random depths below them."""
    rng = random.Random(total)
    roots = [CommentFactory(paper=paper, author=rng.choice(users)) for _ in range(threads)]
    everyone = list(roots)
    for _ in range(total - threads):
        everyone.append(CommentFactory(paper=paper, author=rng.choice(users), parent=rng.choice(everyone)))


class DiscussionQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        users = [cls.p.alice, cls.p.bob, cls.p.carol]
        cls.small = PaperFactory(arxiv_id="2101.00001")
        cls.large = PaperFactory(arxiv_id="2101.00002")
        _discussion(cls.small, users, threads=1, total=1)
        _discussion(cls.large, users, threads=40, total=500)
        for comment in Comment.objects.filter(paper=cls.large)[:30]:
            if comment.author_id != cls.p.alice.pk:
                services.vote_cast(user=cls.p.alice, comment=comment)

    def test_the_discussion_tag_reads_three_queries_for_a_member_and_two_for_a_visitor(self):
        # The comments with their authors, the paper's members who are its authors (their badge), and for a member
        # their votes.
        template = Template("{% load discussion %}{% discussion paper %}")
        for paper in (self.small, self.large):
            request = RequestFactory().get(paper.get_absolute_url())
            request.user = self.p.alice
            with self.assertNumQueries(3):
                html = template.render(RequestContext(request, {"paper": paper}))
            assert html.count("<article") == len(build_thread(paper).rows())

        request = RequestFactory().get(self.large.get_absolute_url())
        request.user = AnonymousUser()
        with self.assertNumQueries(2):
            template.render(RequestContext(request, {"paper": self.large}))

    def test_a_paper_page_with_1_or_500_comments_takes_the_same_queries(self):
        self.client.force_login(self.p.alice)
        with CaptureQueriesContext(connection) as small:
            response = self.client.get("/papers/2101.00001/")
        assert response.status_code == 200
        assert "(1 comment)" in response.content.decode()
        with self.assertNumQueries(len(small)):
            response = self.client.get("/papers/2101.00002/")
        assert "(500 comments)" in response.content.decode()
        assert response.content.decode().count('aria-pressed="true"') == Vote.objects.filter(user=self.p.alice).count()

    def test_a_permalink_page_takes_the_same_queries_for_any_thread(self):
        self.client.force_login(self.p.bob)
        small_root = Comment.objects.get(paper=self.small)
        large_root = Comment.objects.filter(paper=self.large, parent=None).first()
        with CaptureQueriesContext(connection) as small:
            assert self.client.get(f"/comments/{small_root.pk}/").status_code == 200
        with self.assertNumQueries(len(small)):
            assert self.client.get(f"/comments/{large_root.pk}/").status_code == 200


class DeepThreadTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2101.00003")
        cls.chain = [services.comment_post(author=cls.p.alice, target=cls.paper, body="level 0")]
        for depth in range(1, MAX_DEPTH + 2):
            cls.chain.append(
                services.comment_post(author=cls.p.alice, target=cls.paper, body=f"level {depth}", parent=cls.chain[-1])
            )

    def test_the_page_stops_indenting_and_continues_the_thread_elsewhere(self):
        html = self.client.get("/papers/2101.00003/").content.decode()
        capped = self.chain[MAX_DEPTH]
        assert f"level {MAX_DEPTH}" in html
        assert f"level {MAX_DEPTH + 1}" not in html
        assert f'<a href="/comments/{capped.pk}/">Continue this thread (1 more reply) →</a>' in html
        below = self.client.get(f"/comments/{capped.pk}/").content.decode()
        assert f"level {MAX_DEPTH + 1}" in below
        assert 'style="--depth:1"' in below

    def test_a_reply_below_the_cap_returns_to_its_own_page(self):
        self.client.force_login(self.p.bob)
        deepest = self.chain[-1]
        response = self.client.post(f"/comments/{deepest.pk}/reply/", {"body": "deeper still"})
        reply = Comment.objects.get(body="deeper still")
        assert response["Location"] == f"/comments/{reply.pk}/#c{reply.pk}"
