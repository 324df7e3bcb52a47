"""Votes and replies under concurrent clicks (issue 13): each member's vote counts once, and every count (score, up-
and down-votes, replies, the paper's comments) is exact however the requests interleave.

The concurrent variant runs threads with their own database connections against PostgreSQL. SQLite takes one writer
at a time (the others fail with "database table is locked" instead of waiting on a row lock), so there it cannot run
concurrently; the sequential variant holds the same counts on both databases.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from unittest import skipUnless

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection, connections
from django.test import TransactionTestCase

from comments import services
from comments.models import Comment, Vote
from papers.models import Paper
from tests.factories import PaperFactory

MEMBERS = 20
UP = 15  # the first 15 vote up, the other 5 down
CONCURRENT_REASON = (
    "concurrent writers need PostgreSQL: SQLite refuses a second writer instead of making it wait "
    "(the sequential variant runs on both databases)"
)


def _run_together(actions: list[Callable[[], object]]) -> list[BaseException]:
    """Start every action at once (a barrier), each in its own thread with its own connection; the errors raised."""
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def worker(action: Callable[[], object]) -> None:
        try:
            close_old_connections()
            barrier.wait(timeout=30)
            action()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


class VoteAndReplyCountsMixin:
    """20 members each vote once and reply once to one comment; one member clicks "up" ten times."""

    def setUp(self) -> None:
        user_model = get_user_model()
        self.author = user_model.objects.create_user("author", password="x")
        self.members = [user_model.objects.create_user(f"m{i}", password="x") for i in range(MEMBERS)]
        self.paper = PaperFactory()
        self.comment = services.comment_post(author=self.author, target=self.paper, body="Worth reading?")

    def run_all(self, actions: list[Callable[[], object]]) -> None:
        """Run `actions`: at once on PostgreSQL, one after another on SQLite (each concrete class says which)."""
        raise NotImplementedError  # the mixin's two test classes each define it

    def _vote(self, i: int) -> Callable[[], object]:
        def vote() -> None:
            comment = Comment.objects.get(pk=self.comment.pk)
            services.vote_cast(user=self.members[i], comment=comment, value=1 if i < UP else -1)

        return vote

    def _reply(self, i: int) -> Callable[[], object]:
        def reply() -> None:
            parent = Comment.objects.get(pk=self.comment.pk)
            services.comment_post(author=self.members[i], target=self.paper, body=f"reply {i}", parent=parent)

        return reply

    def test_twenty_votes_and_twenty_replies_leave_exact_counts(self) -> None:
        self.run_all([self._vote(i) for i in range(MEMBERS)] + [self._reply(i) for i in range(MEMBERS)])
        comment = Comment.objects.get(pk=self.comment.pk)
        assert (comment.score, comment.up_votes, comment.down_votes) == (UP - (MEMBERS - UP), UP, MEMBERS - UP)
        assert Vote.objects.filter(comment=comment).count() == MEMBERS
        assert Comment.objects.filter(parent=comment).count() == MEMBERS
        assert Comment.objects.filter(parent=comment, depth=1).count() == MEMBERS
        paper = Paper.objects.get(pk=self.paper.pk)
        assert (paper.comment_count, paper.discussion_count) == (MEMBERS + 1, MEMBERS + 1)

    def test_one_member_clicking_up_ten_times_leaves_one_vote(self) -> None:
        member = self.members[0]

        def click() -> None:
            services.vote_cast(user=member, comment=Comment.objects.get(pk=self.comment.pk), value=1)

        self.run_all([click] * 10)
        comment = Comment.objects.get(pk=self.comment.pk)
        assert Vote.objects.filter(comment=comment, user=member).count() == 1
        assert (comment.score, comment.up_votes, comment.down_votes) == (1, 1, 0)


class SequentialVoteTests(VoteAndReplyCountsMixin, TransactionTestCase):
    """The same clicks one after another, on both databases."""

    def run_all(self, actions: list[Callable[[], object]]) -> None:
        for action in actions:
            action()


@pytest.mark.postgres_only
@skipUnless(connection.vendor == "postgresql", CONCURRENT_REASON)
class ConcurrentVoteTests(VoteAndReplyCountsMixin, TransactionTestCase):
    """The clicks all at once, each in its own thread and connection."""

    def run_all(self, actions: list[Callable[[], object]]) -> None:
        errors = _run_together(actions)
        assert not errors, errors
