"""The admin reads chapter starts and correction times as people write them, and names comments by who and where."""

from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Comment, Moderation, Vote
from tests.factories import (
    ChapterFactory,
    CommentFactory,
    CorrectionFactory,
    PaperFactory,
    UserFactory,
    VideoFactory,
    VoteFactory,
    make_personas,
)
from tests.test_admin import admin_url
from videos.admin import ChapterInline, CorrectionInline, TimestampField
from videos.models import Video


class TimestampFieldTests(SimpleTestCase):
    def test_reads_minutes_hours_and_plain_seconds(self):
        field = TimestampField()
        for typed, seconds in [("7:50", 470), ("1:02:03", 3723), ("470", 470), (" 0:00 ", 0), ("75:30", 4530)]:
            assert field.clean(typed) == seconds, typed

    def test_shows_seconds_as_a_timestamp(self):
        field = TimestampField()
        assert (field.prepare_value(470), field.prepare_value(3723), field.prepare_value(0)) == (
            "7:50",
            "1:02:03",
            "0:00",
        )
        assert field.prepare_value("7:5x") == "7:5x"  # what was typed, as typed

    def test_bad_input_says_what_is_accepted(self):
        field = TimestampField()
        for typed in ("7:5x", "1:2:3", "7:60", "-5", "1.5"):
            with self.assertRaisesMessage(
                Exception, f"Write the time as m:ss (7:50), h:mm:ss (1:02:03) or seconds (470), not “{typed}”."
            ):
                field.clean(typed)
        with self.assertRaisesMessage(Exception, "A time goes up to 99:59:59."):
            field.clean("9999999")
        assert TimestampField(required=False).clean("") is None


class AdminTimeFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.video = VideoFactory(title="Expire-Span explained")
        ChapterFactory(video=cls.video, start=470, title="Remembering")
        CorrectionFactory(video=cls.video, at=3723, body="Wrong sign.")

    def formset(self, inline_class, data: dict):
        request = RequestFactory().post("/")
        request.user = self.people.carol
        inline = inline_class(Video, admin.site)
        prefix = "chapters" if inline_class is ChapterInline else "corrections"
        management = {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        formset_class = inline.get_formset(request, self.video)
        data = {f"{prefix}-0-{name}": value for name, value in data.items()}
        return formset_class({**management, **data}, instance=self.video, prefix=prefix)

    def test_the_change_page_shows_times_as_timestamps(self):
        self.client.force_login(self.people.carol)
        body = self.client.get(admin_url(Video, "change", self.video.pk)).content.decode()
        assert 'name="chapters-0-start" value="7:50"' in body
        assert 'name="corrections-0-at" value="1:02:03"' in body

    def test_a_chapter_start_typed_as_minutes_or_hours(self):
        for typed, seconds in [("12:30", 750), ("1:02:03", 3723), ("95", 95)]:
            formset = self.formset(ChapterInline, {"start": typed, "title": f"At {typed}"})
            assert formset.is_valid(), formset.errors
            formset.save()
            assert self.video.chapters.get(title=f"At {typed}").start == seconds

    def test_a_correction_time_typed_as_minutes_or_left_empty(self):
        formset = self.formset(
            CorrectionInline,
            {"kind": "addendum", "status": "confirmed", "at": "7:51", "body": "More.", "position": "1"},
        )
        assert formset.is_valid(), formset.errors
        formset.save()
        assert self.video.corrections.get(body="More.").at == 471
        formset = self.formset(
            CorrectionInline,
            {"kind": "addendum", "status": "confirmed", "at": "", "body": "Timeless.", "position": "2"},
        )
        assert formset.is_valid(), formset.errors
        formset.save()
        assert self.video.corrections.get(body="Timeless.").at is None

    def test_bad_input_is_explained_and_kept(self):
        formset = self.formset(ChapterInline, {"start": "7:5x", "title": "Typo"})
        assert not formset.is_valid()
        form = formset.forms[0]
        assert form.errors["start"] == [
            "Write the time as m:ss (7:50), h:mm:ss (1:02:03) or seconds (470), not “7:5x”."
        ]
        assert 'value="7:5x"' in str(form["start"])


class CommentTitleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.video = VideoFactory(title="Expire-Span explained")
        cls.on_paper = CommentFactory(paper=cls.paper, author=cls.people.alice)
        cls.on_video = CommentFactory(paper=None, video=cls.video, author=cls.people.bob)

    def test_names_the_author_and_the_target(self):
        assert str(self.on_paper) == "Comment by alice on arXiv:2105.06548"
        assert str(self.on_video) == "Comment by bob on “Expire-Span explained”"

    def test_a_departed_members_comment(self):
        Comment.objects.filter(pk=self.on_paper.pk).update(author=None)
        assert str(Comment.objects.get(pk=self.on_paper.pk)) == "Comment by a former member on arXiv:2105.06548"

    def test_the_admin_titles_and_lists_use_it(self):
        self.client.force_login(self.people.carol)
        body = self.client.get(admin_url(Comment, "change", self.on_video.pk)).content.decode()
        assert "Comment by bob on “Expire-Span explained”" in body
        body = self.client.get(admin_url(Comment, "changelist")).content.decode()
        assert "Comment by alice on arXiv:2105.06548" in body

    def test_vote_and_moderation_lists_name_comments_without_a_query_each(self):
        self.client.force_login(self.people.carol)

        def count(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert self.client.get(url).status_code == 200
            return len(captured)

        def add_rows() -> None:
            comment = services.comment_post(author=UserFactory(), target=self.paper, body="Cheap GPUs")
            VoteFactory(comment=comment, user=self.people.bob)
            services.comment_remove(comment=comment, moderator=self.people.carol, reason="Spam")

        add_rows()
        before = count(admin_url(Vote, "changelist")), count(admin_url(Moderation, "changelist"))
        for _ in range(3):
            add_rows()
        assert (count(admin_url(Vote, "changelist")), count(admin_url(Moderation, "changelist"))) == before
        body = self.client.get(admin_url(Moderation, "changelist")).content.decode()
        assert "on arXiv:2105.06548" in body
