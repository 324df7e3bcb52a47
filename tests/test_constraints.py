"""Every rule that belongs to the data is refused by the database itself, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import TestCase

from comments.models import Comment, Note, Vote
from papers.models import Authorship, Paper
from tests.factories import (
    AuthorFactory,
    ChapterFactory,
    CommentFactory,
    PaperFactory,
    UserFactory,
    VideoFactory,
)
from videos.models import Chapter


def refused():
    """Context manager: the statement inside must raise IntegrityError (in its own savepoint)."""
    return _Refused()


class _Refused:
    def __enter__(self):
        self._raises = pytest.raises(IntegrityError)
        self._raises.__enter__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def __exit__(self, *exc):
        self._atomic.__exit__(*exc)
        return self._raises.__exit__(*exc)


class PaperConstraintTests(TestCase):
    def test_canonical_arxiv_id_is_unique(self):
        PaperFactory(arxiv_id="2105.06548")
        with refused():
            PaperFactory(arxiv_id="2105.06548")

    def test_one_author_per_position(self):
        paper = PaperFactory()
        Authorship.objects.create(paper=paper, author=AuthorFactory(name="Ada One"), position=0)
        with refused():
            Authorship.objects.create(paper=paper, author=AuthorFactory(name="Bob Two"), position=0)
        # A different position is fine.
        Authorship.objects.create(paper=paper, author=AuthorFactory(name="Bob Two"), position=1)
        assert paper.authorships.count() == 2

    def test_updated_not_before_published(self):
        with refused():
            PaperFactory(published=datetime.date(2021, 5, 1), updated=datetime.date(2021, 4, 1))

    def test_version_at_least_one(self):
        paper = PaperFactory()
        with refused():
            Paper.objects.filter(pk=paper.pk).update(version=0)


class ChapterConstraintTests(TestCase):
    def test_start_is_not_negative(self):
        video = VideoFactory()
        with refused():
            Chapter.objects.bulk_create([Chapter(video=video, start=-1, title="Before the start")])

    def test_start_is_unique_within_a_video(self):
        video = VideoFactory()
        ChapterFactory(video=video, start=150, title="Remembering the past")
        with refused():
            ChapterFactory(video=video, start=150, title="Same second again")
        # The same second in another video is fine.
        ChapterFactory(video=VideoFactory(), start=150, title="Elsewhere")
        assert Chapter.objects.filter(start=150).count() == 2


class CommentConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = UserFactory(username="alice")
        cls.paper = PaperFactory()
        cls.video = VideoFactory()

    def test_comment_needs_a_target(self):
        with refused():
            Comment.objects.create(author=self.alice, body="On nothing at all")

    def test_comment_cannot_target_both_paper_and_video(self):
        with refused():
            Comment.objects.create(author=self.alice, paper=self.paper, video=self.video, body="On both")

    def test_reply_must_share_its_parents_target(self):
        parent = CommentFactory(author=self.alice, paper=self.paper)
        with refused():
            Comment.objects.create(author=self.alice, video=self.video, parent=parent, depth=1, body="Elsewhere")
        with refused():
            Comment.objects.create(author=self.alice, paper=PaperFactory(), parent=parent, depth=1, body="Other paper")
        reply = Comment.objects.create(author=self.alice, paper=self.paper, parent=parent, body="Same paper")
        assert reply.depth == 1

    def test_moving_a_reply_to_another_target_is_refused(self):
        parent = CommentFactory(author=self.alice, paper=self.paper)
        reply = CommentFactory(author=self.alice, paper=self.paper, parent=parent)
        with refused():
            Comment.objects.filter(pk=reply.pk).update(paper=PaperFactory())

    def test_one_vote_per_member_and_comment(self):
        comment = CommentFactory(paper=self.paper)
        Vote.objects.create(user=self.alice, comment=comment, value=1)
        with refused():
            Vote.objects.create(user=self.alice, comment=comment, value=-1)

    def test_vote_is_plus_or_minus_one(self):
        with refused():
            Vote.objects.create(user=self.alice, comment=CommentFactory(paper=self.paper), value=5)


class NoteConstraintTests(TestCase):
    def test_note_has_at_most_one_subject(self):
        alice = UserFactory(username="alice")
        with refused():
            Note.objects.create(owner=alice, title="Two subjects", paper=PaperFactory(), video=VideoFactory())
        with refused():
            Note.objects.create(owner=alice, title="Paper and URL", paper=PaperFactory(), source_url="https://x.org/")

    def test_public_note_has_a_publication_time(self):
        note = Note.objects.create(owner=UserFactory(), title="Mine")
        with refused():
            Note.objects.filter(pk=note.pk).update(visibility="public", published_at=None)
