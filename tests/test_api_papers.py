"""The papers and authors API: filters, search, any form of arXiv id, curators' writes, errors, query counts."""

from __future__ import annotations

import datetime

from django.test import TestCase

from papers.models import Category, Paper
from tests.api_support import assert_same_queries, client_for
from tests.factories import CategoryFactory, PaperFactory, VideoPaperFactory, make_personas


class PaperReadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.ml = CategoryFactory(code="cs.LG", name="Machine Learning")
        cls.cl = CategoryFactory(code="cs.CL", name="Computation and Language")
        cls.hep = CategoryFactory(code="hep-th", name="High Energy Physics - Theory")
        cls.expire = PaperFactory(
            arxiv_id="2105.06548",
            title="Not All Memories are Created Equal: Learning to Forget by Expiring",
            abstract="Attention mechanisms have shown promising results in sequence modeling tasks.",
            published=datetime.date(2021, 5, 13),
            primary_category=cls.ml,
            authors=["Sainbayar Sukhbaatar", "Da Ju"],
        )
        cls.expire.categories.set([cls.ml, cls.cl])
        cls.fnet = PaperFactory(
            arxiv_id="2105.03824",
            title="FNet: Mixing Tokens with Fourier Transforms",
            abstract="We show that Transformer encoder architectures can be sped up.",
            published=datetime.date(2021, 5, 9),
            primary_category=cls.cl,
            authors=["James Lee-Thorp", "Joshua Ainslie"],
        )
        cls.fnet.categories.set([cls.cl])
        cls.old = PaperFactory(
            arxiv_id="hep-th/9901001",
            title="Strings on a lattice",
            abstract="An old-style identifier.",
            published=datetime.date(1999, 1, 4),
            primary_category=cls.hep,
            authors=["Ada Theorist"],
        )
        cls.old.categories.set([cls.hep])
        VideoPaperFactory(paper=cls.expire, video__slug="expire-span", video__title="Expire-Span explained")

    def get(self, url: str, user=None):
        return client_for(user).get(url)

    def ids(self, response) -> list[str]:
        return [item["arxiv_id"] for item in response.json()["results"]]

    def test_list_is_newest_first_with_authors_in_order(self):
        response = self.get("/api/v1/papers/")
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 3
        assert self.ids(response) == ["2105.06548", "2105.03824", "hep-th/9901001"]
        first = body["results"][0]
        assert [a["name"] for a in first["authors"]] == ["Sainbayar Sukhbaatar", "Da Ju"]
        assert first["categories"] == ["cs.CL", "cs.LG"]
        assert first["primary_category"] == "cs.LG"
        assert first["url"] == "/api/v1/papers/2105.06548/"
        assert first["published"] == "2021-05-13"
        assert first["highlight"] is None

    def test_filters_category_year_author_and_video(self):
        assert self.ids(self.get("/api/v1/papers/?category=cs.LG")) == ["2105.06548"]
        assert self.ids(self.get("/api/v1/papers/?category=cs.")) == ["2105.06548", "2105.03824"]
        assert self.ids(self.get("/api/v1/papers/?year_to=2000")) == ["hep-th/9901001"]
        assert self.ids(self.get("/api/v1/papers/?year_from=2021&year_to=2021")) == ["2105.06548", "2105.03824"]
        assert self.ids(self.get("/api/v1/papers/?author=ainslie")) == ["2105.03824"]
        assert self.ids(self.get("/api/v1/papers/?has_video=true")) == ["2105.06548"]
        assert self.ids(self.get("/api/v1/papers/?has_video=false")) == ["2105.03824", "hep-th/9901001"]
        assert self.ids(self.get("/api/v1/papers/?ordering=oldest")) == ["hep-th/9901001", "2105.03824", "2105.06548"]

    def test_search_goes_through_the_search_function_with_filters(self):
        response = self.get("/api/v1/papers/?q=fourier")
        assert self.ids(response) == ["2105.03824"]
        assert "<mark>Fourier</mark>" in response.json()["results"][0]["highlight"]["title_html"]
        assert self.ids(self.get("/api/v1/papers/?q=attention&category=cs.CL")) == ["2105.06548"]
        assert self.ids(self.get("/api/v1/papers/?q=attention&year_to=2000")) == []
        assert self.ids(self.get("/api/v1/papers/?q=arXiv:2105.06548v2")) == ["2105.06548"]

    def test_a_misspelt_search_says_which_spellings_it_read(self):
        body = self.get("/api/v1/papers/?q=sukhbatar").json()
        assert [item["arxiv_id"] for item in body["results"]] == ["2105.06548"]
        assert body["spellings"] == {"sukhbatar": ["sukhbaatar"]}
        assert self.get("/api/v1/papers/?q=fourier").json()["spellings"] == {}

    def test_bad_query_parameters_answer_400_with_field_errors(self):
        response = self.get("/api/v1/papers/?year_from=soon&ordering=random")
        assert response.status_code == 400
        body = response.json()
        assert body["status"] == 400
        assert body["code"] == "invalid"
        assert sorted(body["fields"]) == ["ordering", "year_from"]
        assert self.get("/api/v1/papers/?page=99").status_code == 404
        assert self.get("/api/v1/papers/?q=fourier&page=0").status_code == 404

    def test_detail_answers_every_accepted_form_of_the_id(self):
        for form in ("2105.06548", "2105.06548v2", "arXiv:2105.06548", "arxiv.org/abs/2105.06548"):
            response = self.get(f"/api/v1/papers/{form}/")
            assert response.status_code == 200, form
            assert response.json()["arxiv_id"] == "2105.06548"
        old = self.get("/api/v1/papers/hep-th/9901001/")
        assert old.status_code == 200
        assert old.json()["arxiv_id"] == "hep-th/9901001"
        assert self.get("/api/v1/papers/hep-th/9901001v3/").json()["title"] == "Strings on a lattice"

    def test_detail_has_videos_and_discussion_link(self):
        body = self.get("/api/v1/papers/2105.06548/").json()
        assert body["videos"] == [
            {
                "slug": "expire-span",
                "title": "Expire-Span explained",
                "channel": "paper-explained",
                "role": "explained",
                "url": "/api/v1/videos/expire-span/",
            }
        ]
        assert body["comments_url"] == "/api/v1/comments/?paper=2105.06548"
        assert body["abs_url"] == "https://arxiv.org/abs/2105.06548"

    def test_unknown_or_malformed_ids_answer_404_in_the_error_shape(self):
        for url in ("/api/v1/papers/2105.99999/", "/api/v1/papers/not-an-id/", "/api/v1/nothing-here/"):
            response = self.get(url)
            assert response.status_code == 404, url
            assert response.json()["code"] == "not_found"
            assert response["Content-Type"] == "application/json"

    def test_catalogue_reads_carry_an_etag_and_answer_304(self):
        client = client_for()
        first = client.get("/api/v1/papers/2105.06548/")
        etag = first["ETag"]
        assert etag.startswith('"')
        assert client.get("/api/v1/papers/2105.06548/", HTTP_IF_NONE_MATCH=etag).status_code == 304
        listing = client.get("/api/v1/papers/")
        assert client.get("/api/v1/papers/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
        Paper.objects.filter(pk=self.expire.pk).update(title="A new title")
        assert client.get("/api/v1/papers/2105.06548/", HTTP_IF_NONE_MATCH=etag).status_code == 200

    def test_authors_list_and_detail_with_papers(self):
        response = self.get("/api/v1/authors/?name=sukhb")
        assert [a["name"] for a in response.json()["results"]] == ["Sainbayar Sukhbaatar"]
        author_id = response.json()["results"][0]["id"]
        detail = self.get(f"/api/v1/authors/{author_id}/").json()
        assert [(p["arxiv_id"], p["position"]) for p in detail["papers"]] == [("2105.06548", 0)]


class PaperWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        CategoryFactory(code="cs.LG", name="Machine Learning")
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span", published=datetime.date(2021, 5, 13))

    NEW = {
        "arxiv_id": "arXiv:2106.01345v2",
        "title": "Decision Transformer",
        "published": "2021-06-02",
        "updated": "2021-06-24",
        "primary_category": "cs.LG",
        "categories": ["cs.LG"],
        "authors": ["Lili Chen", "Kevin Lu"],
    }

    def test_anonymous_may_not_write(self):
        assert client_for().post("/api/v1/papers/", self.NEW, format="json").status_code == 401
        assert client_for().patch("/api/v1/papers/2105.06548/", {"title": "x"}, format="json").status_code == 401

    def test_members_may_not_write(self):
        alice = client_for(self.people.alice)
        response = alice.post("/api/v1/papers/", self.NEW, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert alice.patch("/api/v1/papers/2105.06548/", {"title": "x"}, format="json").status_code == 403
        assert alice.post("/api/v1/authors/", {"name": "Someone"}, format="json").status_code == 403
        assert not Paper.objects.filter(arxiv_id="2106.01345").exists()

    def test_curator_adds_a_paper_with_its_id_made_canonical(self):
        response = client_for(self.people.carol).post("/api/v1/papers/", self.NEW, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["arxiv_id"] == "2106.01345"
        assert [a["name"] for a in body["authors"]] == ["Lili Chen", "Kevin Lu"]
        assert Paper.objects.get(arxiv_id="2106.01345").author_names == "Lili Chen, Kevin Lu"

    def test_curator_fixes_a_paper_by_any_form_of_its_id(self):
        carol = client_for(self.people.carol)
        response = carol.patch("/api/v1/papers/arXiv:2105.06548v1/", {"title": "Expire-Span (fixed)"}, format="json")
        assert response.status_code == 200
        assert Paper.objects.get(pk=self.paper.pk).title == "Expire-Span (fixed)"

    def test_bad_input_answers_400_with_field_errors_never_500(self):
        carol = client_for(self.people.carol)
        cases = [
            ({**self.NEW, "arxiv_id": "2105.06548"}, "arxiv_id"),  # already held
            ({**self.NEW, "arxiv_id": "banana"}, "arxiv_id"),
            ({**self.NEW, "updated": "2021-01-01"}, "non_field_errors"),  # updated before published
            ({**self.NEW, "primary_category": "zz.XX"}, "primary_category"),
            ({**self.NEW, "published": "yesterday"}, "published"),
            ({**self.NEW, "authors": "Lili Chen"}, "authors"),
        ]
        for data, field in cases:
            response = carol.post("/api/v1/papers/", data, format="json")
            assert response.status_code == 400, (data, response.json())
            assert field in response.json()["fields"], (field, response.json())
        malformed = carol.post("/api/v1/papers/", "{not json", content_type="application/json")
        assert malformed.status_code == 400
        assert malformed.json()["code"] == "parse_error"
        assert Category.objects.filter(code="zz.XX").exists() is False

    def test_nothing_in_the_catalogue_is_deleted_through_the_api(self):
        assert client_for(self.people.carol).delete("/api/v1/papers/2105.06548/").status_code == 405


class PaperQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ml = CategoryFactory(code="cs.LG")
        for n in range(100):
            paper = PaperFactory(
                published=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
                authors=[f"First Author{n}", f"Second Author{n}"],
            )
            paper.categories.set([ml])

    def test_papers_list_queries_do_not_grow_with_the_page(self):
        client = client_for()
        count = assert_same_queries(
            lambda: client.get("/api/v1/papers/?page_size=5"), lambda: client.get("/api/v1/papers/?page_size=100")
        )
        assert count == 4  # count, page, authors, categories

    def test_search_queries_do_not_grow_with_the_page(self):
        client = client_for()
        assert_same_queries(
            lambda: client.get("/api/v1/papers/?q=attention&page_size=5"),
            lambda: client.get("/api/v1/papers/?q=attention&page_size=100"),
        )

    def test_authors_list_queries_do_not_grow_with_the_page(self):
        client = client_for()
        assert_same_queries(
            lambda: client.get("/api/v1/authors/?page_size=5"), lambda: client.get("/api/v1/authors/?page_size=100")
        )
