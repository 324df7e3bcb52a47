"""The search page and the papers API read their parameters by the same rules (issue 10, defect 3): the same last
page, the same filters (discussion, categories as a list, an archive, any letter case) and the same votes."""

from __future__ import annotations

import re

from django.test import TestCase

from comments import services
from comments.models import Comment, Vote
from papers.forms import SearchForm
from tests.api_support import client_for
from tests.factories import CategoryFactory, PaperFactory, make_personas

ARXIV_ID_RE = re.compile(r"arXiv:(\d{4}\.\d{5})")


def page_ids(client, params: dict) -> set[str]:
    response = client.get("/papers/", params)
    assert response.status_code == 200, response.status_code
    return set(ARXIV_ID_RE.findall(response.content.decode()))


def api_ids(params: dict) -> set[str]:
    response = client_for().get("/api/v1/papers/", params)
    assert response.status_code == 200, response.content
    return {item["arxiv_id"] for item in response.json()["results"]}


class FilterRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        lg, cv = CategoryFactory(code="cs.LG", name="Machine Learning"), CategoryFactory(code="cs.CV", name="Vision")
        ml = CategoryFactory(code="stat.ML", name="Machine Learning (stat)")
        cls.lg = PaperFactory(arxiv_id="2101.00001", title="Sparse attention for learning", primary_category=lg)
        cls.lg.categories.set([lg])
        cls.cv = PaperFactory(arxiv_id="2101.00002", title="Attention in vision", primary_category=cv)
        cls.cv.categories.set([cv])
        cls.ml = PaperFactory(arxiv_id="2101.00003", title="Attention as a kernel", primary_category=ml)
        cls.ml.categories.set([ml])
        services.comment_post(author=cls.p.alice, target=cls.cv, body="Does it hold at scale?")

    def both(self, page_params: dict, api_params: dict | None = None) -> tuple[set[str], set[str]]:
        return page_ids(self.client, page_params), api_ids(api_params or page_params)

    def test_has_discussion_filters_the_page_and_the_api_alike(self):
        for words in ({"q": "attention"}, {}):
            assert self.both({**words, "has_discussion": "yes"}, {**words, "has_discussion": "true"}) == (
                {"2101.00002"},
                {"2101.00002"},
            ), words
            assert self.both({**words, "has_discussion": "no"}, {**words, "has_discussion": "false"}) == (
                {"2101.00001", "2101.00003"},
                {"2101.00001", "2101.00003"},
            ), words

    def test_a_comma_list_of_categories_is_any_of_them_on_both(self):
        for words in ({"q": "attention"}, {}):
            expected = {"2101.00001", "2101.00003"}
            assert self.both({**words, "category": "cs.LG,stat.ML"}) == (expected, expected), words

    def test_an_archive_alone_is_the_whole_archive_on_both(self):
        for words in ({"q": "attention"}, {}):
            for archive in ("cs", "cs."):
                expected = {"2101.00001", "2101.00002"}
                assert self.both({**words, "category": archive}) == (expected, expected), (words, archive)

    def test_letter_case_of_a_category_does_not_matter_on_both(self):
        for words in ({"q": "attention"}, {}):
            assert self.both({**words, "category": "CS.cv"}) == ({"2101.00002"}, {"2101.00002"}), words

    def test_the_last_search_page_is_the_same_on_both(self):
        last = SearchForm.base_fields["page"].max_value  # the page's last page; the API must agree
        response = self.client.get("/papers/", {"q": "attention", "page": last})
        assert "page" not in response.context["form"].errors
        assert client_for().get("/api/v1/papers/", {"q": "attention", "page": last}).status_code == 200
        response = self.client.get("/papers/", {"q": "attention", "page": last + 1})
        assert "page" in response.context["form"].errors
        assert client_for().get("/api/v1/papers/", {"q": "attention", "page": last + 1}).status_code == 404


class VoteRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.comment = services.comment_post(author=cls.p.alice, target=cls.paper, body="A claim")

    def score(self) -> int:
        return Comment.objects.get(pk=self.comment.pk).score

    def test_the_page_takes_down_votes_as_the_api_does(self):
        self.client.force_login(self.p.bob)
        self.client.post(f"/comments/{self.comment.pk}/vote/", {"action": "down"})
        assert self.score() == -1
        assert Vote.objects.get(user=self.p.bob).value == -1
        self.client.post(f"/comments/{self.comment.pk}/vote/", {"action": "up"})
        assert self.score() == 1
        self.client.post(f"/comments/{self.comment.pk}/vote/", {"action": "withdraw"})
        assert self.score() == 0
        response = client_for(self.p.carol).post(f"/api/v1/comments/{self.comment.pk}/vote/", {"value": -1})
        assert response.status_code == 200
        assert self.score() == -1

    def test_the_page_offers_both_votes(self):
        self.client.force_login(self.p.bob)
        html = self.client.get("/papers/2105.06548/").content.decode()
        assert 'value="up"' in html
        assert 'value="down"' in html
