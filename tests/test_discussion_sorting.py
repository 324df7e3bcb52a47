"""Sorting and paging a discussion (issue 13): best (the Wilson lower bound), top, newest, oldest and "author replies
first" among siblings at each level, threads kept whole; pages of top-level threads; a permalink opening the page
that holds its comment; the same on the pages and in the API."""

from __future__ import annotations

import datetime
import math
import re

from django.apps import apps as django_apps
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, Vote
from comments.threads import THREADS_PER_PAGE, build_thread
from tests.api_support import client_for
from tests.factories import (
    ChannelFactory,
    CommentFactory,
    PaperFactory,
    UserFactory,
    VideoFactory,
    VoteFactory,
    make_personas,
)

T0 = timezone.now() - datetime.timedelta(days=3)


def wilson(up: int, down: int) -> float:
    """The lower bound of the Wilson score interval at 95% (z = 1.96), written out here apart from the code's."""
    n = up + down
    if not n:
        return 0.0
    z = 1.96
    phat = up / n
    centre = phat + z**2 / (2 * n)
    spread = z * math.sqrt(phat * (1 - phat) / n + z**2 / (4 * n * n))
    return (centre - spread) / (1 + z**2 / n)


def _with_votes(comment: Comment, up: int, down: int) -> Comment:
    """Fixed vote counts on the row (what the vote service keeps), without a thousand members to cast them."""
    Comment.objects.filter(pk=comment.pk).update(up_votes=up, down_votes=down, score=up - down)
    comment.refresh_from_db()
    return comment


def _page_order(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article [^>]*id="c(\d+)"', html)]


# (up, down) per comment, posted oldest first; the two without a positive bound tie and go newest first.
COUNTS = [(1, 0), (100, 10), (5, 5), (0, 0), (0, 3), (12, 1)]


class BestSortTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.roots = [
            _with_votes(
                CommentFactory(paper=cls.paper, author=cls.p.bob, created_at=T0 + datetime.timedelta(hours=i)), up, dn
            )
            for i, (up, dn) in enumerate(COUNTS)
        ]
        first = cls.roots[0]
        cls.replies = [
            _with_votes(
                CommentFactory(paper=cls.paper, parent=first, created_at=T0 + datetime.timedelta(days=1, hours=i)),
                up,
                dn,
            )
            for i, (up, dn) in enumerate([(2, 0), (30, 2), (0, 0)])
        ]

    def expected(self, comments: list[Comment]) -> list[int]:
        return [
            c.pk for c in sorted(comments, key=lambda c: (-wilson(c.up_votes, c.down_votes), -c.created_at.timestamp()))
        ]

    def reading_order(self) -> list[int]:
        """Roots by best, each followed by its replies by best: the order the page and the API must give."""
        order = []
        for pk in self.expected(self.roots):
            order.append(pk)
            if pk == self.roots[0].pk:
                order += self.expected(self.replies)
        return order

    def test_the_fixed_counts_rank_as_the_formula_says(self):
        # 100 up / 10 down > 12/1 > 5 up / 5 down > 1 up / 0 down > no votes and 0/3 (both 0: newest first)
        assert wilson(100, 10) > wilson(12, 1) > wilson(5, 5) > wilson(1, 0) > 0
        expected = [self.roots[i].pk for i in (1, 5, 2, 0, 4, 3)]
        assert self.expected(self.roots) == expected

    def test_the_thread_builder_sorts_siblings_at_each_level_and_keeps_threads_whole(self):
        rows = build_thread(self.paper, sort="best").rows()
        assert [row.comment.pk for row in rows] == self.reading_order()

    def test_the_page_sorts_by_best(self):
        page = self.client.get("/papers/2105.06548/?sort=best").content.decode()
        assert _page_order(page) == self.reading_order()
        assert '<strong aria-current="true">best</strong>' in page

    def test_the_api_sorts_by_best_and_keeps_each_thread_in_reading_order(self):
        body = client_for().get("/api/v1/comments/?paper=2105.06548&ordering=best").json()
        assert [item["id"] for item in body["results"]] == self.reading_order()
        second = next(item for item in body["results"] if item["id"] == self.roots[1].pk)
        assert (second["up_votes"], second["down_votes"], second["score"]) == (100, 10, 90)
        assert body["next"] is None and body["previous"] is None

    def test_top_newest_and_oldest_in_the_api_are_the_pages_orders(self):
        for ordering in ("top", "newest", "oldest"):
            api = client_for().get(f"/api/v1/comments/?paper=2105.06548&ordering={ordering}").json()
            page = self.client.get(f"/papers/2105.06548/?sort={ordering}").content.decode()
            assert [item["id"] for item in api["results"]] == _page_order(page), ordering
        newest = client_for().get("/api/v1/comments/?paper=2105.06548&ordering=newest").json()["results"]
        assert [i["id"] for i in newest if i["parent"] is None] == [c.pk for c in reversed(self.roots)]

    def test_a_bad_ordering_or_page_is_a_400_naming_the_field(self):
        api = client_for()
        for query, name in (
            ("ordering=random", "ordering"),
            ("ordering=best&page=0", "page"),
            ("ordering=best&page=two", "page"),
            ("page=2", "page"),
        ):
            response = api.get(f"/api/v1/comments/?paper=2105.06548&{query}")
            assert response.status_code == 400, query
            assert name in response.json()["fields"], (query, response.json())

    def test_an_unknown_sort_on_the_page_falls_back_to_top(self):
        page = self.client.get("/papers/2105.06548/?sort=nonsense").content.decode()
        assert _page_order(page) == [row.comment.pk for row in build_thread(self.paper, sort="top").rows()]


class VoteCountTests(TestCase):
    """up_votes and down_votes follow every vote, as the score does."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.comment = CommentFactory(author=cls.p.carol)

    def counts(self) -> tuple[int, int, int]:
        self.comment.refresh_from_db()
        return self.comment.score, self.comment.up_votes, self.comment.down_votes

    def test_casting_changing_and_withdrawing(self):
        services.vote_cast(user=self.p.alice, comment=self.comment, value=1)
        services.vote_cast(user=self.p.bob, comment=self.comment, value=-1)
        assert self.counts() == (0, 1, 1)
        services.vote_cast(user=self.p.bob, comment=self.comment, value=1)
        assert self.counts() == (2, 2, 0)
        services.vote_cast(user=self.p.bob, comment=self.comment, value=1)  # the same again: nothing
        assert self.counts() == (2, 2, 0)
        services.vote_withdraw(user=self.p.alice, comment=self.comment)
        assert self.counts() == (1, 1, 0)
        services.vote_cast(user=self.p.alice, comment=self.comment, value=-1)
        assert self.counts() == (0, 1, 1)

    def test_a_departing_members_votes_leave_both_counts(self):
        services.vote_cast(user=self.p.alice, comment=self.comment, value=1)
        services.vote_cast(user=self.p.bob, comment=self.comment, value=-1)
        self.p.alice.delete()
        assert self.counts() == (-1, 0, 1)
        self.p.bob.delete()
        assert self.counts() == (0, 0, 0)

    def test_the_page_and_the_api_votes_keep_them(self):
        self.client.force_login(self.p.alice)
        self.client.post(f"/comments/{self.comment.pk}/vote/", {"action": "down"})
        client_for(self.p.bob).post(f"/api/v1/comments/{self.comment.pk}/vote/", {"value": 1}, format="json")
        assert self.counts() == (0, 1, 1)
        client_for(self.p.bob).delete(f"/api/v1/comments/{self.comment.pk}/vote/")
        self.client.post(f"/comments/{self.comment.pk}/vote/", {"action": "up"})
        assert self.counts() == (1, 1, 0)

    def test_the_migration_fills_the_counts_from_the_votes(self):
        migration = __import__("comments.migrations.0005_vote_counts", fromlist=["_fill_vote_counts"])
        other = CommentFactory()
        for user, value in ((self.p.alice, 1), (self.p.bob, 1), (UserFactory(), -1)):
            VoteFactory(user=user, comment=self.comment, value=value)  # rows only, as before the counts existed
        VoteFactory(user=self.p.alice, comment=other, value=-1)

        class Editor:
            connection = connection

        migration._fill_vote_counts(django_apps, Editor())
        assert Comment.objects.filter(pk=self.comment.pk).values_list("up_votes", "down_votes").get() == (2, 1)
        assert Comment.objects.filter(pk=other.pk).values_list("up_votes", "down_votes").get() == (0, 1)


class AuthorRepliesFirstTests(TestCase):
    """On a video, its channel's owner is the creator whose comments "author replies first" lifts, at every level."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        channel = ChannelFactory(owner=cls.p.carol, slug="host")
        cls.video = VideoFactory(channel=channel, slug="a-talk")
        cls.question = _with_votes(CommentFactory(paper=None, video=cls.video, author=cls.p.alice, created_at=T0), 9, 0)
        cls.loud = _with_votes(
            CommentFactory(paper=None, video=cls.video, author=cls.p.bob, parent=cls.question, created_at=T0), 40, 0
        )
        cls.host = CommentFactory(
            paper=None, video=cls.video, author=cls.p.carol, parent=cls.question, created_at=T0, body="From the host"
        )
        cls.host_top = CommentFactory(paper=None, video=cls.video, author=cls.p.carol, created_at=T0)

    def expected(self) -> list[int]:
        return [self.host_top.pk, self.question.pk, self.host.pk, self.loud.pk]

    def test_the_page_puts_the_creators_comments_first_among_siblings(self):
        page = self.client.get("/videos/a-talk/?sort=authors").content.decode()
        assert _page_order(page) == self.expected()
        assert "author replies first" in page
        best = self.client.get("/videos/a-talk/?sort=best").content.decode()
        assert _page_order(best) == [self.question.pk, self.loud.pk, self.host.pk, self.host_top.pk]

    def test_the_api_does_the_same(self):
        body = client_for().get("/api/v1/comments/?video=a-talk&ordering=authors").json()
        assert [item["id"] for item in body["results"]] == self.expected()


def _many_threads(paper, users, *, threads: int, replies_each: int = 1) -> list[Comment]:
    """`threads` top-level comments on `paper`, the oldest first, each with a chain of replies: bulk rows."""
    roots = Comment.objects.bulk_create(
        Comment(paper=paper, author=users[i % len(users)], body=f"t{i}", body_html=f"<p>t{i}</p>",
                created_at=T0 + datetime.timedelta(minutes=i))
        for i in range(threads)
    )  # fmt: skip
    level = roots
    for depth in range(1, replies_each + 1):
        level = Comment.objects.bulk_create(
            Comment(paper=paper, author=users[(i + depth) % len(users)], parent=parent, depth=depth, body="r",
                    body_html="<p>r</p>", created_at=parent.created_at + datetime.timedelta(seconds=depth))
            for i, parent in enumerate(level)
        )  # fmt: skip
    return roots


class PagingTests(TestCase):
    """120 top-level threads with two replies each: three pages of 50, 50 and 20 threads, each thread whole."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.roots = _many_threads(cls.paper, [cls.p.alice, cls.p.bob], threads=120, replies_each=2)
        # In "oldest" order, thread i is on page i // 50 + 1; its deepest reply is what a permalink names.
        cls.deep_in_75 = Comment.objects.get(parent__parent=cls.roots[75])

    def test_the_page_shows_fifty_whole_threads_and_links_the_next(self):
        html = self.client.get("/papers/2105.06548/?sort=oldest").content.decode()
        order = _page_order(html)
        assert len(order) == THREADS_PER_PAGE * 3 and order[0] == self.roots[0].pk
        assert "Page 1 of 3" in html and 'rel="next"' in html and 'rel="prev"' not in html
        last = self.client.get("/papers/2105.06548/?sort=oldest&page=3").content.decode()
        assert _page_order(last)[::3] == [r.pk for r in self.roots[100:]]
        assert "Page 3 of 3" in last and 'rel="next"' not in last
        # out of range: the nearest page
        assert _page_order(self.client.get("/papers/2105.06548/?sort=oldest&page=99").content.decode()) == (
            _page_order(last)
        )

    def test_a_permalink_opens_the_page_holding_the_comment_highlighted(self):
        url = self.deep_in_75.get_absolute_url()
        assert url == f"/papers/2105.06548/?comment={self.deep_in_75.pk}#c{self.deep_in_75.pk}"
        html = self.client.get(f"/papers/2105.06548/?sort=oldest&comment={self.deep_in_75.pk}").content.decode()
        assert "Page 2 of 3" in html
        assert self.deep_in_75.pk in _page_order(html)
        marked = re.findall(r'<article aria-current="true" class="comment highlighted[^"]*" id="c(\d+)"', html)
        assert marked == [str(self.deep_in_75.pk)]
        # the default sort too (every thread has score 0: oldest first among equals)
        assert self.deep_in_75.pk in _page_order(self.client.get(url).content.decode())

    def test_a_reply_posted_on_a_later_page_comes_back_to_that_page(self):
        self.client.force_login(self.p.bob)
        response = self.client.post(f"/comments/{self.roots[110].pk}/reply/", {"body": "late"})
        reply = Comment.objects.get(body="late")
        assert response["Location"] == f"/papers/2105.06548/?comment={reply.pk}#c{reply.pk}"
        assert reply.pk in _page_order(self.client.get(response["Location"]).content.decode())

    def test_the_api_pages_by_top_level_thread(self):
        api = client_for()
        first = api.get("/api/v1/comments/?paper=2105.06548&ordering=oldest").json()
        assert [i["id"] for i in first["results"] if i["parent"] is None] == [r.pk for r in self.roots[:50]]
        assert len(first["results"]) == 150 and first["previous"] is None
        second = api.get(first["next"]).json()
        assert [i["id"] for i in second["results"] if i["parent"] is None] == [r.pk for r in self.roots[50:100]]
        assert "page=1" in second["previous"] and "page=3" in second["next"]
        third = api.get(second["next"]).json()
        assert len(third["results"]) == 60 and third["next"] is None
        beyond = api.get("/api/v1/comments/?paper=2105.06548&ordering=oldest&page=9")
        assert beyond.status_code == 200 and beyond.json()["results"] == []


class SortedPageQueryTests(TestCase):
    """The best-sorted, paged discussion costs the same queries for 10 comments and for 1,000."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.small = PaperFactory(arxiv_id="2101.00001")
        cls.large = PaperFactory(arxiv_id="2101.00002")
        users = [cls.p.alice, cls.p.bob, cls.p.carol]
        _many_threads(cls.small, users, threads=5, replies_each=1)
        roots = _many_threads(cls.large, users, threads=200, replies_each=4)
        Comment.objects.filter(paper=cls.large, pk__in=[r.pk for r in roots[::7]]).update(up_votes=3, down_votes=1)
        Vote.objects.bulk_create(
            Vote(user=cls.p.alice, comment=r) for r in roots[1::3] if r.author_id != cls.p.alice.pk
        )

    def test_ten_and_a_thousand_comments_take_the_same_queries_sorted_by_best(self):
        assert Comment.objects.filter(paper=self.small).count() == 10
        assert Comment.objects.filter(paper=self.large).count() == 1000
        deepest = Comment.objects.filter(paper=self.large).last()
        for user in (self.p.alice, None):
            if user:
                self.client.force_login(user)
            else:
                self.client.logout()
            with CaptureQueriesContext(connection) as small:
                assert self.client.get("/papers/2101.00001/?sort=best").status_code == 200
            with self.assertNumQueries(len(small)):
                html = self.client.get("/papers/2101.00002/?sort=best&page=2").content.decode()
            assert len(_page_order(html)) == THREADS_PER_PAGE * 5
            with self.assertNumQueries(len(small)):
                html = self.client.get(f"/papers/2101.00002/?comment={deepest.pk}").content.decode()
            assert 'class="comment highlighted' in html and deepest.pk in _page_order(html)

    def test_the_api_reads_a_page_of_threads_in_the_same_queries_for_any_size(self):
        api = client_for(self.p.alice)
        with CaptureQueriesContext(connection) as small:
            assert api.get("/api/v1/comments/?paper=2101.00001&ordering=best").status_code == 200
        with self.assertNumQueries(len(small)):
            body = api.get("/api/v1/comments/?paper=2101.00002&ordering=best&page=2").json()
        assert len(body["results"]) == THREADS_PER_PAGE * 5
