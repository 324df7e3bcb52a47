"""Anchors (issue 13, item 1): a comment on a video may be about a time in it, and so belongs to that chapter (the
outline counts each chapter's comments and filters the discussion to one); a comment on a paper records the arXiv
version it was written on, and says so once the paper has a newer one (here after a v2 import)."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.forms import NewCommentForm
from comments.models import Comment
from comments.threads import chapter_counts
from papers import arxiv
from papers.importers import upsert_papers
from papers.models import Paper
from tests.api_support import client_for
from tests.factories import ChapterFactory, PaperFactory, VideoFactory, make_personas
from tests.test_constraints import refused

VIDEO = "/videos/fnet/"


class VideoAnchorTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.video = VideoFactory(slug="fnet", url="https://www.youtube.com/watch?v=JJR3pBl78zw", duration=3600)
        for start, title in ((0, "Intro"), (300, "Fourier mixing"), (600, "Results")):
            ChapterFactory(video=cls.video, start=start, title=title)
        cls.intro = services.comment_post(author=cls.p.alice, target=cls.video, body="Nice intro", at=10)
        cls.mixing = services.comment_post(author=cls.p.alice, target=cls.video, body="Why FFT?", at=320)
        cls.mixing_reply = services.comment_post(author=cls.p.bob, target=cls.video, body="Speed.", parent=cls.mixing)
        cls.late = services.comment_post(author=cls.p.bob, target=cls.video, body="At 5:30 too", at=330)
        cls.gone = services.comment_post(author=cls.p.bob, target=cls.video, body="Oops", at=20)
        services.comment_delete(comment=cls.gone, actor=cls.p.bob)
        cls.loose = services.comment_post(author=cls.p.carol, target=cls.video, body="About the whole video")

    def post(self, **data):
        self.client.force_login(self.p.bob)
        return self.client.post(f"/comments/video/{self.video.pk}/new/", {"body": "At a time", **data})

    def test_the_form_reads_typed_times_and_the_players_seconds(self):
        for typed, seconds in (("7:50", 470), ("0:59:59", 3599), (" 0:45 ", 45), ("615", 615)):
            Comment.objects.filter(body="At a time").update(body="Earlier")
            assert self.post(at=typed).status_code == 302, typed
            assert Comment.objects.get(body="At a time").at == seconds

    def test_the_form_reads_hours_minutes_and_seconds(self):
        form = NewCommentForm(data={"body": "x", "at": "1:02:03"}, on_video=True)
        assert form.is_valid() and form.cleaned_data["at"] == 3723
        assert "at" not in NewCommentForm(on_video=False).fields

    def test_a_malformed_or_impossible_time_is_refused_with_the_text_kept(self):
        for typed in ("7:5", "soon", "2:00:00"):  # the last is past the video's end
            response = self.post(at=typed, body="Kept text")
            assert response.status_code == 400, typed
            assert "Kept text" in response.content.decode()
        assert not Comment.objects.filter(body="Kept text").exists()

    def test_a_reply_belongs_where_its_parent_does(self):
        assert self.mixing_reply.at == 320
        with self.assertRaises(ValidationError):
            services.comment_post(author=self.p.carol, target=self.video, body="x", parent=self.mixing, at=10)
        response = client_for(self.p.carol).post(
            "/api/v1/comments/", {"parent": self.mixing.pk, "body": "x", "at": 10}, format="json"
        )
        assert response.status_code == 400

    def test_only_a_comment_on_a_video_has_a_time(self):
        paper = PaperFactory(arxiv_id="2105.03824")
        response = client_for(self.p.bob).post(
            "/api/v1/comments/", {"paper": "2105.03824", "body": "x", "at": 10}, format="json"
        )
        assert response.status_code == 400
        with refused():
            Comment.objects.create(author=self.p.bob, paper=paper, body="x", at=10)

    def test_the_outline_counts_each_chapters_visible_comments_and_links_to_them(self):
        assert chapter_counts(self.video, [0, 300, 600]) == {0: 1, 300: 3}
        page = self.client.get(VIDEO).content.decode()
        assert '<a class="chapter-comments" href="?chapter=0#discussion"' in page
        assert ">1 comment</a>" in page and ">3 comments</a>" in page and ">0 comments</a>" in page

    def test_a_chapter_filters_the_discussion_with_replies(self):
        page = self.client.get(VIDEO + "?chapter=300").content.decode()
        shown = [
            c for c in (self.intro, self.mixing, self.mixing_reply, self.late, self.loose) if f'id="c{c.pk}"' in page
        ]
        assert shown == [self.mixing, self.mixing_reply, self.late]
        assert "about the chapter at 5:00" in page
        assert "(3 comments)" in page
        page = self.client.get(VIDEO + "?chapter=600").content.decode()
        assert "No comments yet." in page
        page = self.client.get(VIDEO + "?chapter=301").content.decode()  # no chapter starts there: everything
        assert f'id="c{self.loose.pk}"' in page

    def test_a_comment_shows_its_time_as_a_link_that_seeks_the_player(self):
        page = self.client.get(VIDEO).content.decode()
        assert (
            '<a class="anchor" href="https://www.youtube.com/watch?v=JJR3pBl78zw&amp;t=320s" data-seek="320">'
            "at 5:20</a>" in page
        )
        assert page.count('class="anchor"') == 3  # roots only: the reply's time is its parent's
        assert "js/player-time.js" in page
        self.client.force_login(self.p.bob)
        assert 'name="at"' in self.client.get(VIDEO).content.decode()
        assert 'name="at"' not in self.client.get(PaperFactory().get_absolute_url()).content.decode()

    def test_the_api_takes_and_filters_by_time(self):
        response = client_for(self.p.bob).post("/api/v1/comments/", {"video": "fnet", "body": "x", "at": 605})
        assert response.status_code == 201 and response.json()["at"] == 605
        rows = client_for().get("/api/v1/comments/?video=fnet&chapter=300").json()["results"]
        assert [r["id"] for r in rows] == [self.mixing.pk, self.mixing_reply.pk, self.late.pk]
        assert [r["at"] for r in rows] == [320, 320, 330]
        rows = client_for().get("/api/v1/comments/?video=fnet&chapter=600&type=plain").json()["results"]
        assert [r["at"] for r in rows] == [605]
        for bad in ("?video=fnet&chapter=301", "?video=fnet&chapter=x", "?paper=2101.00001&chapter=0"):
            assert client_for().get("/api/v1/comments/" + bad).status_code in (400, 404), bad

    def test_chapter_counts_are_one_query_and_the_page_stays_constant(self):
        with self.assertNumQueries(1):
            chapter_counts(self.video, [0, 300, 600])
        with self.assertNumQueries(0):
            assert chapter_counts(self.video, []) == {}

        def page_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert self.client.get(VIDEO + "?chapter=300").status_code == 200
            return len(queries)

        self.client.force_login(self.p.alice)
        before = page_queries()
        for n in range(40):
            services.comment_post(author=self.p.carol, target=self.video, body=f"More {n}", at=n * 15)
        assert page_queries() == before


def _record(arxiv_id: str, version: int, updated: datetime.date) -> arxiv.PaperRecord:
    return arxiv.PaperRecord(
        arxiv_id=arxiv_id,
        version=version,
        title="Expire-Span: not all memories are created equal",
        abstract="We learn to forget.",
        authors=("Sainbayar Sukhbaatar",),
        categories=("cs.LG",),
        published=datetime.date(2021, 5, 13),
        updated=updated,
    )


class PaperVersionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.v1 = _record("2105.06548", 1, datetime.date(2021, 5, 13))
        upsert_papers([cls.v1])
        cls.paper = Paper.objects.get(arxiv_id="2105.06548")
        cls.early = services.comment_post(author=cls.p.alice, target=cls.paper, body="On the first version")

    def test_a_comment_records_the_version_it_was_written_on(self):
        assert self.early.paper_version == 1
        page = self.client.get(self.paper.get_absolute_url()).content.decode()
        assert "written on v" not in page

    def test_after_a_v2_import_older_comments_say_their_version(self):
        report = upsert_papers([dataclasses.replace(self.v1, version=2, updated=datetime.date(2021, 6, 1))])
        assert report.updated == 1
        self.paper.refresh_from_db()
        assert self.paper.version == 2
        later = services.comment_post(author=self.p.bob, target=self.paper, body="On the second")
        assert later.paper_version == 2
        page = self.client.get(self.paper.get_absolute_url()).content.decode()
        assert page.count("written on v1</span>") == 1
        assert 'title="The paper is at v2 now"' in page
        rows = {r["id"]: r for r in client_for().get("/api/v1/comments/?paper=2105.06548").json()["results"]}
        assert (rows[self.early.pk]["paper_version"], rows[self.early.pk]["outdated"]) == (1, True)
        assert (rows[later.pk]["paper_version"], rows[later.pk]["outdated"]) == (2, False)

    def test_a_reply_records_the_version_it_was_written_on_too(self):
        upsert_papers([dataclasses.replace(self.v1, version=3, updated=datetime.date(2021, 7, 1))])
        self.paper.refresh_from_db()
        reply = services.comment_post(author=self.p.bob, target=self.paper, body="Still?", parent=self.early)
        assert (self.early.paper_version, reply.paper_version) == (1, 3)
