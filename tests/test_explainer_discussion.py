"""A paper's discussion includes what is said under the videos that explain it (issue 10, defect 4): the paper page
shows and links it, and "has a discussion" and "most discussed" count it, on the pages and in the API alike."""

from __future__ import annotations

import re

from django.test import TestCase

from comments import services
from tests.api_support import client_for
from tests.factories import PaperFactory, UserFactory, VideoFactory, VideoPaperFactory, make_personas
from videos.models import VideoPaper

ARXIV_ID_RE = re.compile(r"arXiv:(\d{4}\.\d{5})")


class ExplainerDiscussionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.explained = PaperFactory(arxiv_id="2006.06462", title="Explained paper about attention")
        cls.talked = PaperFactory(arxiv_id="2006.06463", title="Talked about attention paper")
        cls.quiet = PaperFactory(arxiv_id="2006.06464", title="Quiet attention paper")
        cls.video = VideoFactory(slug="explainer-video", title="The explainer")
        VideoPaperFactory(video=cls.video, paper=cls.explained, role=VideoPaper.Role.EXPLAINED)
        people = [UserFactory(username=f"viewer{n}") for n in range(8)]
        cls.video_comments = [
            services.comment_post(author=person, target=cls.video, body=f"Comment {n} on the video")
            for n, person in enumerate(people)
        ]
        for n in range(3):
            services.comment_post(author=cls.p.alice, target=cls.talked, body=f"Paper comment {n}")

    def test_the_paper_page_shows_and_links_its_explainers_discussion(self):
        html = self.client.get("/papers/2006.06462/").content.decode()
        assert "8 comments" in html
        assert "/videos/explainer-video/#discussion" in html

    def test_has_discussion_counts_the_explainers_comments(self):
        page = set(ARXIV_ID_RE.findall(self.client.get("/papers/", {"has_discussion": "yes"}).content.decode()))
        assert page == {"2006.06462", "2006.06463"}
        api = client_for().get("/api/v1/papers/", {"has_discussion": "true"}).json()["results"]
        assert {item["arxiv_id"] for item in api} == {"2006.06462", "2006.06463"}
        counts = {item["arxiv_id"]: (item["comment_count"], item["discussion_count"]) for item in api}
        assert counts == {"2006.06462": (0, 8), "2006.06463": (3, 3)}

    def test_most_discussed_counts_the_explainers_comments(self):
        html = self.client.get("/papers/", {"sort": "discussed"}).content.decode()
        assert ARXIV_ID_RE.findall(html)[:3] == ["2006.06462", "2006.06463", "2006.06464"]
        html = self.client.get("/papers/", {"q": "attention", "sort": "discussed"}).content.decode()
        assert ARXIV_ID_RE.findall(html)[:3] == ["2006.06462", "2006.06463", "2006.06464"]
        api = client_for().get("/api/v1/papers/", {"ordering": "discussed"}).json()["results"]
        assert [item["arxiv_id"] for item in api][:3] == ["2006.06462", "2006.06463", "2006.06464"]

    def test_the_count_follows_deletes_and_new_links(self):
        for comment in self.video_comments[:6]:
            services.comment_delete(comment=comment, actor=comment.author)
        html = self.client.get("/papers/2006.06462/").content.decode()
        assert "2 comments" in html
        # Linking the quiet paper to the video brings the video's discussion to it.
        VideoPaper.objects.create(video=self.video, paper=self.quiet, role=VideoPaper.Role.EXPLAINED)
        self.client.force_login(self.p.carol)
        html = self.client.get("/papers/2006.06464/").content.decode()
        assert "2 comments" in html
