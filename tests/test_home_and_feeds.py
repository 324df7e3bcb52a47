"""The home page, the Atom feeds of newest papers and videos, and the hub's own error pages."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import RequestFactory, TestCase, override_settings
from django.urls import path
from django.utils import timezone

from hub import urls as hub_urls
from shared.pagecache import cache_for_visitors
from tests.factories import CommentFactory, PaperFactory, VideoFactory, make_personas
from tests.pages import queries_of

ATOM = "{http://www.w3.org/2005/Atom}"
# newest papers, their authorships, newest videos (with channels), most discussed papers, most discussed videos
HOME_QUERIES = 5
# the papers with their authorships
PAPER_FEED_QUERIES = 2
# the videos with their channels
VIDEO_FEED_QUERIES = 1


def add_content(n: int, start: int) -> None:
    for i in range(start, start + n):
        paper = PaperFactory(
            arxiv_id=f"2301.{i:05d}",
            title=f"Paper {i}",
            published=datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
            authors=[f"Author A{i}", f"Author B{i}"],
        )
        video = VideoFactory(title=f"Video {i}", published=datetime.date(2023, 1, 1) + datetime.timedelta(days=i))
        CommentFactory(paper=paper, body=f"On paper {i}")
        CommentFactory(paper=None, video=video, body=f"On video {i}")


class HomeTests(TestCase):
    def test_home_takes_the_same_queries_for_n_and_3n_items(self):
        counts = []
        for start, n in [(0, 4), (4, 8)]:
            add_content(n, start)
            count, response, sql = queries_of(self.client, "/")
            counts.append(count)
        assert counts == [HOME_QUERIES, HOME_QUERIES], sql
        assert len(response.context["discussed"]) == 5

    def test_shows_newest_papers_and_videos(self):
        add_content(12, 0)
        response = self.client.get("/")
        assert [p.title for p in response.context["papers"]][:2] == ["Paper 11", "Paper 10"]
        assert len(response.context["papers"]) == 10
        assert [v.title for v in response.context["videos"]][:2] == ["Video 11", "Video 10"]
        body = response.content.decode()
        assert "<title>Paper Hub: read, watch and discuss machine-learning papers</title>" in body

    def test_most_discussed_counts_this_weeks_visible_comments_only(self):
        busy = PaperFactory(title="Busy this week")
        quiet = PaperFactory(title="Busy last month")
        video = VideoFactory(title="Watched this week")
        for _ in range(3):
            CommentFactory(paper=busy)
        CommentFactory(paper=busy, deleted_at=timezone.now())
        for _ in range(5):
            CommentFactory(paper=quiet, created_at=timezone.now() - datetime.timedelta(days=20))
        CommentFactory(paper=quiet)
        CommentFactory(paper=None, video=video)
        CommentFactory(paper=None, video=video)
        discussed = self.client.get("/").context["discussed"]
        assert [(count, item.title) for count, item in discussed] == [
            (3, "Busy this week"),
            (2, "Watched this week"),
            (1, "Busy last month"),
        ]

    def test_says_so_when_nothing_was_discussed_this_week(self):
        body = self.client.get("/").content.decode()
        assert "No comments in the last 7 days." in body


class FeedTests(TestCase):
    def test_papers_feed_is_atom_with_the_newest_papers(self):
        counts = []
        for start, n in [(0, 3), (3, 6)]:
            add_content(n, start)
            count, response, sql = queries_of(self.client, "/papers/feed/")
            counts.append(count)
        assert counts == [PAPER_FEED_QUERIES, PAPER_FEED_QUERIES], sql
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 9
        assert entries[0].find(f"{ATOM}title").text == "Paper 8"
        assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Author A8, Author B8"
        assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/papers/2301.00008/"

    def test_videos_feed_is_atom_with_the_newest_videos(self):
        counts = []
        for start, n in [(0, 3), (3, 6)]:
            add_content(n, start)
            count, response, sql = queries_of(self.client, "/videos/feed/")
            counts.append(count)
        assert counts == [VIDEO_FEED_QUERIES, VIDEO_FEED_QUERIES], sql
        root = ET.fromstring(response.content)
        entries = root.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries][:2] == ["Video 8", "Video 7"]

    def test_pages_announce_the_feeds(self):
        body = self.client.get("/").content.decode()
        assert '<link rel="alternate" type="application/atom+xml" title="Paper Hub: newest papers"' in body


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*hub_urls.urlpatterns, path("test-403/", _forbidden), path("test-500/", _broken)]


@override_settings(ROOT_URLCONF=__name__)
class ErrorPageTests(TestCase):
    def test_404_is_our_page(self):
        response = self.client.get("/no/such/page/")
        assert response.status_code == 404
        body = response.content.decode()
        assert "<title>Page not found · Paper Hub</title>" in body and 'id="main"' in body

    def test_403_is_our_page(self):
        response = self.client.get("/test-403/")
        assert response.status_code == 403
        assert "<title>Not allowed · Paper Hub</title>" in response.content.decode()

    def test_500_is_our_page_and_needs_no_database(self):
        self.client.raise_request_exception = False
        response = self.client.get("/test-500/")
        assert response.status_code == 500
        assert "<title>Something went wrong · Paper Hub</title>" in response.content.decode()
        with self.assertNumQueries(0):
            render_to_string("500.html")


@override_settings(PAGE_CACHE_SECONDS=30)
class PageCacheTests(TestCase):
    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def test_a_visitor_gets_home_from_the_cache_until_it_expires(self):
        PaperFactory(title="First paper")
        with self.assertNumQueries(HOME_QUERIES):
            assert self.client.get("/").status_code == 200
        PaperFactory(title="Second paper")
        with self.assertNumQueries(0):
            body = self.client.get("/").content.decode()
        assert "First paper" in body and "Second paper" not in body
        cache.clear()
        assert "Second paper" in self.client.get("/").content.decode()

    def test_every_address_has_its_own_entry(self):
        add_content(3, 0)
        assert self.client.get("/papers/feed/").status_code == 200
        with self.assertNumQueries(1):
            assert self.client.get("/videos/feed/").status_code == 200

    def test_a_member_always_gets_a_fresh_page_with_their_own_header(self):
        alice = make_personas().alice
        assert self.client.get("/videos/").status_code == 200
        self.client.force_login(alice)
        body = self.client.get("/videos/").content.decode()
        assert 'href="/u/alice/"' in body and ">Log out</button>" in body

    def test_a_page_that_used_a_csrf_token_or_a_session_is_not_stored(self):
        calls = []

        def page(request):
            calls.append(request.path)
            if "form" in request.GET:
                get_token(request)  # a form on the page: the token is this visitor's own
            return HttpResponse("a page")

        cached = cache_for_visitors(page)
        factory = RequestFactory()
        cached(factory.get("/p/?form=1"))
        cached(factory.get("/p/?form=1"))
        cached(factory.get("/p/"))
        cached(factory.get("/p/"))
        with_session = factory.get("/p/")
        with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
        cached(with_session)
        assert calls == ["/p/", "/p/", "/p/", "/p/"]
