"""A relevance search ranks every match: its pages are those of an exhaustive ranking computed here.

The corpus is larger than the search's one internal limit, lowered for the test (the tiers read one by one
before the rest is sorted together), and the papers that rank first are the newest, the last
stored, so a search that ranked only the first matches it met would fail. The exhaustive ranking asks the
engine only which papers' titles, authors and text hold each word (one plain query per word and field); the
order (tiers, then the most discussed, then the newest) is computed in Python over all of them.
"""

from __future__ import annotations

import datetime
from unittest import mock

from django.db import connection
from django.test import TestCase

from papers.models import Paper
from papers.search import parse_query, search_papers
from tests.factories import PaperFactory

LOWERED = {"papers.search.statements.EXPLICIT_TIERS": 1}


def holding(group: str, field: str) -> set[int]:
    """Ids of papers whose `field` ("title", "authors" or "all") holds the group, as the engine reads words."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            column = {"title": "title_vector", "authors": "author_vector", "all": "search_vector"}[field]
            cursor.execute(f"SELECT id FROM papers_paper WHERE {column} @@ to_tsquery('english', %s)", [group])
        else:
            columns = {"title": "{title} : ", "authors": "{author_names} : ", "all": ""}[field]
            cursor.execute(
                "SELECT rowid FROM papers_paper_fts WHERE papers_paper_fts MATCH %s", [f"{columns}({group})"]
            )
        return {row[0] for row in cursor.fetchall()}


def exhaustive(query: str) -> list[str]:
    parsed = parse_query(query)
    groups = parsed.group_tsqueries() if connection.vendor == "postgresql" else parsed.fts5_groups()
    held = {field: [holding(g, field) for g in groups] for field in ("title", "authors", "all")}
    excluded = (
        [" <-> ".join(alt) for alt in parsed.excluded]
        if connection.vendor == "postgresql"
        else ['"' + " ".join(alt) + '"' for alt in parsed.excluded]
    )
    matching = set.intersection(*held["all"]).difference(*(holding(alt, "all") for alt in excluded))
    ranked = []
    for paper in Paper.objects.filter(pk__in=matching):
        t = sum(paper.pk in ids for ids in held["title"])
        pairs = zip(held["title"], held["authors"], strict=True)
        a = sum(paper.pk in title or paper.pk in authors for title, authors in pairs)
        ranked.append(((t, a, paper.discussion_count, paper.published, paper.arxiv_id), paper.arxiv_id))
    return [arxiv_id for _, arxiv_id in sorted(ranked, reverse=True)]


class EveryMatchIsRankedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        start = datetime.date(2005, 1, 1)
        for n in range(90):
            # Older papers first, as an import stores them: the best are stored last.
            kind = n % 6
            title = {0: "Sparse kernel methods", 1: "Kernel regression at scale", 2: "Sparse attention"}.get(
                kind, f"Learning with priors {n}"
            )
            authors = ["Ada Kernel", "Bo Li"] if kind == 3 else ["Cy Sparse"] if kind == 4 else ["Di Wu"]
            abstract = "We study kernel machines." if kind != 2 else "Sparse methods without the k-word."
            paper = PaperFactory(
                arxiv_id=f"2401.{n:05d}",
                title=title,
                authors=authors,
                abstract=abstract,
                published=start + datetime.timedelta(days=70 * n),
            )
            if n % 17 == 0:
                Paper.objects.filter(pk=paper.pk).update(discussion_count=n // 17)

    def pages(self, query: str, per_page: int = 10, pages: int = 4) -> list[str]:
        found = []
        for page in range(1, pages + 1):
            found += [hit.paper.arxiv_id for hit in search_papers(query, page=page, per_page=per_page).hits]
        return found

    def test_every_page_is_the_exhaustive_ranking(self):
        for query in ("kernel", "sparse kernel", "kernel or attention", "sparse -attention", "sparse methods"):
            with self.subTest(query=query), mock.patch.multiple("papers.search.statements", **_names(LOWERED)):
                expected = exhaustive(query)
                assert len(expected) > 7, "the corpus must exceed the lowered limits"
                assert (query, self.pages(query)) == (query, expected[:40])

    def test_the_best_match_is_the_newest_title_match_not_the_first_stored(self):
        first = search_papers("kernel").hits[0].paper
        assert (first.title, first.arxiv_id) == ("Kernel regression at scale", exhaustive("kernel")[0])

    def test_page_and_api_agree(self):
        page = self.client.get("/papers/", {"q": "sparse kernel"}).context["results"]
        api = self.client.get("/api/v1/papers/", {"q": "sparse kernel"}).json()
        listed = [item["arxiv_id"] for item in api["results"]]
        assert listed and listed == [hit.paper.arxiv_id for hit in page.hits][: len(listed)]
        assert (api["count"], page.total, page.total_is_lower_bound) == (None, 25, True)

    def test_did_you_mean_on_page_and_api(self):
        response = self.client.get("/papers/", {"q": "kernle"})
        assert b'Did you mean: <a href="/papers/?q=kernel">kernel</a>?' in response.content
        hits = [hit.paper.arxiv_id for hit in response.context["results"].hits]
        assert hits == exhaustive("kernel")[:25]
        api = self.client.get("/api/v1/papers/", {"q": "kernle"}).json()
        listed = [item["arxiv_id"] for item in api["results"]]
        assert (api["spellings"], listed) == ({"kernle": ["kernel"]}, hits[: len(listed)])


def _names(patches: dict) -> dict:
    return {name.rsplit(".", 1)[1]: value for name, value in patches.items()}
