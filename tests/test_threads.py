"""The thread builder: one query, siblings in the chosen order, a flat reading order capped in depth."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.utils import timezone

from comments import services
from comments.threads import MAX_DEPTH, build_thread, member_votes
from comments.timestamps import link_timestamps
from tests.factories import CommentFactory, PaperFactory, VideoFactory, VoteFactory, make_personas

T0 = timezone.make_aware(datetime.datetime(2026, 1, 1, 12, 0))


class BuildThreadTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory()
        cls.first = CommentFactory(paper=cls.paper, author=cls.p.alice, body="first", created_at=T0)
        cls.second = CommentFactory(
            paper=cls.paper, author=cls.p.bob, body="second", created_at=T0 + datetime.timedelta(hours=1)
        )
        cls.reply = CommentFactory(
            paper=cls.paper, author=cls.p.bob, parent=cls.first, body="reply", created_at=T0 + datetime.timedelta(2)
        )
        cls.second.score = 5
        cls.second.save(update_fields=["score"])
        # The factory writes rows directly; the services keep the paper's counter, so set it as they would have.
        type(cls.paper).objects.filter(pk=cls.paper.pk).update(comment_count=3, discussion_count=3)

    def _order(self, sort: str) -> list[str]:
        return [row.comment.body_html[3:-4] for row in build_thread(self.paper, sort=sort).rows()]

    def test_each_sort_orders_siblings_and_keeps_replies_under_their_parent(self):
        assert self._order("top") == ["second", "first", "reply"]
        assert self._order("newest") == ["second", "first", "reply"]
        assert self._order("oldest") == ["first", "reply", "second"]

    def test_an_unknown_sort_falls_back_to_top(self):
        assert self._order("random") == self._order("top")

    def test_rows_carry_their_depth(self):
        rows = build_thread(self.paper, sort="oldest").rows()
        assert [(row.comment.body_html, row.depth) for row in rows] == [
            ("<p>first</p>", 0),
            ("<p>reply</p>", 1),
            ("<p>second</p>", 0),
        ]

    def test_a_deleted_comment_stays_in_place_but_is_not_counted(self):
        services.comment_delete(comment=self.first, actor=self.p.alice)
        thread = build_thread(self.paper, sort="oldest")
        assert [row.comment.body_html for row in thread.rows()] == ["<p>first</p>", "<p>reply</p>", "<p>second</p>"]
        assert thread.rows()[0].comment.is_visible is False
        assert thread.count == 2

    def test_the_whole_thread_is_one_query_and_the_votes_one_more(self):
        VoteFactory(user=self.p.alice, comment=self.second)
        with self.assertNumQueries(1):
            build_thread(self.paper).rows()
        with self.assertNumQueries(1):
            assert member_votes(self.p.alice, self.paper) == {self.second.pk: 1}


class DepthCapTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.paper = PaperFactory()
        cls.chain = [CommentFactory(paper=cls.paper, body="c0")]
        for depth in range(1, MAX_DEPTH + 4):
            cls.chain.append(CommentFactory(paper=cls.paper, parent=cls.chain[-1], body=f"c{depth}"))

    def test_replies_below_the_cap_continue_on_their_own_page(self):
        rows = build_thread(self.paper).rows()
        assert [row.depth for row in rows] == list(range(MAX_DEPTH + 1))
        assert rows[-1].comment.pk == self.chain[MAX_DEPTH].pk
        assert rows[-1].hidden == 3

    def test_a_sub_thread_is_indented_afresh_from_its_root(self):
        thread = build_thread(self.paper)
        rows = thread.rows(root=thread.nodes[self.chain[MAX_DEPTH].pk])
        assert [(row.comment.body_html, row.depth, row.hidden) for row in rows] == [
            (f"<p>c{MAX_DEPTH + i}</p>", i, 0) for i in range(4)
        ]


class TimestampLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.video = VideoFactory(url="https://www.youtube.com/watch?v=abcdefghijk")

    def test_times_in_text_become_seek_links_but_not_inside_code_or_links(self):
        html = '<p>See 12:30 and 1:02:03, not <code>3:45</code> nor <a href="https://x.org">4:56</a>.</p>'
        assert link_timestamps(html, self.video) == (
            '<p>See <a href="https://www.youtube.com/watch?v=abcdefghijk&amp;t=750s" data-seek="750">12:30</a> and '
            '<a href="https://www.youtube.com/watch?v=abcdefghijk&amp;t=3723s" data-seek="3723">1:02:03</a>, not '
            '<code>3:45</code> nor <a href="https://x.org">4:56</a>.</p>'
        )

    def test_a_comment_on_a_video_is_linked_once_on_save_and_one_on_a_paper_is_not(self):
        on_video = CommentFactory(video=self.video, paper=None, body="The trick is at 0:45.")
        on_paper = CommentFactory(body="Table 2 at 0:45 of the talk.")
        assert 'data-seek="45"' in on_video.body_html
        assert "data-seek" not in on_paper.body_html
