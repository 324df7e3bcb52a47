"""Stub papers (known from a video's arXiv link, metadata not fetched yet) are not the newest papers.

A stub's date is a placeholder (the first of the month its id encodes), so a stub linked from a recent video used to
top the home page, the catalogue's newest and the feed of new papers with an invented date.
"""

from __future__ import annotations

import io
from pathlib import Path
from unittest import mock, skipUnless

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase

from papers.fetch import query_url
from papers.importers import ensure_stub_papers
from papers.models import Paper
from papers.reading import ORDERINGS, Sort, dated_q
from tests.factories import PaperFactory, VideoFactory, VideoPaperFactory
from tests.pages import queries_of
from videos.description import parse_description
from videos.importers import import_video

ARXIV = Path(__file__).resolve().parent / "fixtures" / "arxiv"
WAITING = "waiting for its arXiv metadata"


class StubListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for n in range(3):
            PaperFactory(arxiv_id=f"2101.0000{n}", title=f"Real paper {n}", authors=["Ada Lovelace"])
        # From a video's link: its placeholder date (1 June 2024) is newer than every real paper here.
        cls.stub = ensure_stub_papers(["2406.01234"])["2406.01234"]
        VideoPaperFactory(video=VideoFactory(), paper=cls.stub)

    def test_the_home_page_does_not_list_a_stub_as_newest(self):
        response = self.client.get("/")
        assert self.stub not in response.context["papers"]
        assert len(response.context["papers"]) == 3

    def test_the_catalogue_in_date_orders_leaves_stubs_out(self):
        for sort in ("", "newest", "oldest", "relevance"):
            response = self.client.get("/papers/", {"sort": sort} if sort else {})
            arxiv_ids = [p.arxiv_id for p in response.context["page"]]
            assert arxiv_ids and "2406.01234" not in arxiv_ids, sort
        # With a filter, the list is the search's: stubs stay out of its newest too.
        response = self.client.get("/papers/", {"has_video": "yes"})
        assert [hit.paper.arxiv_id for hit in response.context["results"].hits] == []

    def test_the_most_discussed_order_shows_a_stub_as_waiting(self):
        response = self.client.get("/papers/", {"sort": "discussed"})
        assert "2406.01234" in [p.arxiv_id for p in response.context["page"]]
        body = response.content.decode()
        assert WAITING in body
        assert "2024-06-01" not in body and "1 Jun 2024" not in body

    def test_the_feed_of_new_papers_leaves_stubs_out(self):
        body = self.client.get("/papers/feed/").content.decode()
        assert "2406.01234" not in body
        assert body.count("<entry>") == 3

    def test_the_paper_page_says_it_waits_for_its_metadata(self):
        body = self.client.get("/papers/2406.01234/").content.decode()
        assert "waiting for its arXiv metadata" in body
        assert "not known yet (waiting for arXiv metadata)" in body
        assert "June 2024" not in body  # no invented first version, nor a BibTeX year
        assert "@misc{" not in body

    def test_list_queries_stay_the_same(self):
        count, _, sql = queries_of(self.client, "/papers/")
        assert count == 2, sql  # the page of papers, their authors
        assert "is_stub" in sql[0]


class PlanTests(TestCase):
    """The newest page reads paper_newest_idx in order and stops at the page: the stub filter is checked on the rows
    the scan passes (a handful of stubs), not a reason to sort the table."""

    @skipUnless(connection.vendor == "postgresql", "the plan asserted is PostgreSQL's")
    def test_the_newest_page_is_read_in_index_order(self):
        for n in range(60):
            PaperFactory(arxiv_id=f"2102.{n:05d}", authors=[])
        ensure_stub_papers([f"2406.{n:05d}" for n in range(5)])
        queryset = Paper.objects.filter(dated_q(Sort.NEWEST)).order_by(*ORDERINGS[Sort.NEWEST])[:26]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("ANALYZE papers_paper")
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = queryset.explain()
            cursor.execute("RESET enable_seqscan")
        assert "Index Scan using paper_newest_idx" in plan, plan
        assert "Sort" not in plan and "Filter: (NOT is_stub)" in plan, plan


class FetchStubsTests(TestCase):
    """A video's link makes a stub; `fetch_arxiv --stubs` fills it from the export API (a recorded response)."""

    def test_a_video_link_stub_is_filled_and_then_listed_by_its_real_date(self):
        PaperFactory(arxiv_id="1001.00001", title="An older real paper")  # published 15 Jan 2021 (factory)
        result = import_video(
            channel=VideoFactory().channel,
            title="Explaining 1111.2011",
            description=parse_description("A walk through it.\n\nPaper: https://arxiv.org/abs/1111.2011v1"),
        )
        assert result.stubs_created == 1
        stub = Paper.objects.get(arxiv_id="1111.2011")
        assert stub.is_stub and stub.title == "arXiv:1111.2011"
        assert "1111.2011" not in [p.arxiv_id for p in self.client.get("/papers/").context["page"]]

        recorded = {query_url(["1111.2011"]): (ARXIV / "api_id_list_1111.2011v2.xml").read_bytes()}
        out = io.StringIO()
        with mock.patch("papers.fetch.http_get", side_effect=recorded.__getitem__) as get:
            call_command("fetch_arxiv", "--stubs", stdout=out, stderr=io.StringIO())
        get.assert_called_once_with(query_url(["1111.2011"]))  # no network: the recorded answer
        assert out.getvalue().strip() == "read 1, created 0, updated 1, unchanged 0, skipped as bad 0"

        paper = Paper.objects.get(arxiv_id="1111.2011")
        assert not paper.is_stub
        assert paper.title != "arXiv:1111.2011" and paper.ordered_authors
        assert str(paper.published) == "2011-11-08"  # arXiv's date, not the placeholder 2011-11-01
        page = self.client.get("/papers/", {"sort": "oldest"}).context["page"]
        assert [p.arxiv_id for p in page] == ["1111.2011", "1001.00001"]
        body = self.client.get("/papers/1111.2011/").content.decode()
        assert WAITING not in body and "8 November 2011" in body
