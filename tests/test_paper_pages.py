"""Paper pages: the list with its filters, sorts and pages; a paper page; an author page; their query counts."""

from __future__ import annotations

import datetime
import html

from django.test import TestCase

from papers.models import Paper
from tests.factories import (
    AuthorFactory,
    CategoryFactory,
    ChapterFactory,
    PaperFactory,
    VideoFactory,
    VideoPaperFactory,
    make_personas,
)
from tests.pages import PUBLIC_NOTES_QUERIES, discussion_queries, queries_of

# the page of papers, their authorships (with authors)
LIST_QUERIES = 2
# most discussed: one page read in order from paper_discussed_idx, and the authorships (4 before issue 10)
DISCUSSED_LIST_QUERIES = 2
# the paper (with its primary category), authorships, categories, versions, video links (with video and channel),
# chapters
PAPER_QUERIES = 6
# the author, the count of their papers, the page of papers, their authorships, the members who claimed the author
AUTHOR_QUERIES = 5


def add_papers(count: int, *, start: int = 0) -> list[Paper]:
    """`count` papers, each with two authors and two categories, one day apart, newest last."""
    lg, cv = CategoryFactory(code="cs.LG"), CategoryFactory(code="cs.CV", name="Computer Vision")
    papers = []
    for i in range(start, start + count):
        paper = PaperFactory(
            arxiv_id=f"2201.{i:05d}",
            title=f"Paper number {i}",
            published=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
            authors=[f"First Author{i}", f"Second Author{i}"],
        )
        paper.categories.set([lg, cv])
        papers.append(paper)
    return papers


class PaperListQueryTests(TestCase):
    def test_list_takes_the_same_queries_for_5_and_200_papers(self):
        add_papers(5)
        count_5, response, sql = queries_of(self.client, "/papers/")
        assert count_5 == LIST_QUERIES, sql
        assert len(response.context["page"].items) == 5
        add_papers(195, start=5)
        count_200, response, sql = queries_of(self.client, "/papers/")
        assert count_200 == LIST_QUERIES, sql
        assert len(response.context["page"].items) == 25

    def test_most_discussed_order_takes_the_same_queries(self):
        counts = []
        for start, count in [(0, 5), (5, 15)]:
            papers = add_papers(count, start=start)
            Paper.objects.filter(pk__in=[p.pk for p in papers[:2]]).update(comment_count=3, discussion_count=3)
            queries, response, sql = queries_of(self.client, "/papers/?sort=discussed")
            assert len(response.context["page"].items) == start + count
            counts.append(queries)
        assert counts == [DISCUSSED_LIST_QUERIES, DISCUSSED_LIST_QUERIES], sql


class PaperListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.papers = add_papers(30)  # 2022-01-01 .. 2022-01-30
        cls.old = PaperFactory(
            arxiv_id="1706.03762",
            title="Attention Is All You Need",
            published=datetime.date(2017, 6, 12),
            primary_category=CategoryFactory(code="cs.CL", name="Computation and Language"),
        )
        cls.old.categories.set([CategoryFactory(code="cs.CL")])
        Paper.objects.filter(pk=cls.old.pk).update(comment_count=7, discussion_count=7)
        VideoPaperFactory(paper=cls.papers[3], video=VideoFactory(slug="explaining-three"))

    def titles(self, url: str) -> list[str]:
        response = self.client.get(url)
        assert response.status_code == 200
        return [paper.title for paper in response.context["page"]]

    def test_pages_of_25_newest_first_with_links_both_ways(self):
        response = self.client.get("/papers/")
        page = response.context["page"]
        assert [p.title for p in page][:2] == ["Paper number 29", "Paper number 28"]
        assert len(page.items) == 25 and page.has_next and not page.has_previous
        assert 'href="?page=2"' in response.content.decode()
        second = self.client.get("/papers/?page=2")
        assert [p.title for p in second.context["page"]] == [
            "Paper number 4",
            "Paper number 3",
            "Paper number 2",
            "Paper number 1",
            "Paper number 0",
            "Attention Is All You Need",
        ]
        assert 'href="?page=1"' in second.content.decode()

    def test_a_page_past_the_end_is_empty(self):
        assert self.titles("/papers/?page=99") == []

    def search_titles(self, url: str) -> list[str]:
        response = self.client.get(url)
        assert response.status_code == 200
        return [hit.paper.title for hit in response.context["results"].hits]

    def test_the_filter_form_sends_filters_to_the_search(self):
        body = self.client.get("/papers/").content.decode()
        for name in ("q", "category", "year_from", "year_to", "has_video", "sort"):
            assert f'name="{name}"' in body
        assert self.search_titles("/papers/?category=cs.CL") == ["Attention Is All You Need"]
        assert self.search_titles("/papers/?year_from=2017&year_to=2017") == ["Attention Is All You Need"]
        assert self.search_titles("/papers/?has_video=yes") == ["Paper number 3"]

    def test_sort_by_most_discussed(self):
        assert self.titles("/papers/?sort=discussed")[:2] == ["Attention Is All You Need", "Paper number 29"]
        assert self.titles("/papers/?sort=relevance")[0] == "Paper number 29"

    def test_most_discussed_continues_newest_first_across_pages(self):
        assert self.titles("/papers/?sort=discussed&page=2") == [f"Paper number {i}" for i in range(5, -1, -1)]
        assert self.titles("/papers/?sort=discussed&page=3") == []

    def test_page_links_keep_the_order(self):
        response = self.client.get("/papers/?sort=discussed")
        assert 'href="?page=2&amp;sort=discussed"' in response.content.decode()

    def test_card_marks_papers_that_have_a_video(self):
        body = self.client.get("/papers/?page=2").content.decode()
        assert body.count("▶ video") == 1

    def test_list_has_a_title_and_description(self):
        body = self.client.get("/papers/?sort=discussed").content.decode()
        assert "<title>Papers, most discussed · Paper Hub</title>" in body
        assert '<meta name="description" content="Machine-learning papers on Paper Hub, most discussed first' in body


class PaperPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.personas = make_personas()
        cls.paper = PaperFactory(
            arxiv_id="2105.01601",
            version=4,
            title="MLP-Mixer: An all-MLP Architecture for Vision",
            abstract="Mixing with $O(n^2)$ cost & more <b>bold</b> claims.",
            published=datetime.date(2021, 5, 4),
            updated=datetime.date(2021, 6, 11),
            code_url="https://github.com/google-research/vision_transformer",
            primary_category=CategoryFactory(code="cs.CV", name="Computer Vision"),
            authors=["Ilya Tolstikhin", "Neil Houlsby"],
        )
        cls.paper.categories.set([CategoryFactory(code="cs.CV"), CategoryFactory(code="cs.LG")])
        video = VideoFactory(
            title="MLP-Mixer explained", slug="mlp-mixer", url="https://www.youtube.com/watch?v=7K4Z8RqjWIk"
        )
        VideoPaperFactory(video=video, paper=cls.paper)
        ChapterFactory(video=video, start=0, title="Intro")
        ChapterFactory(video=video, start=140, title="Architecture")
        cls.video = video

    def test_shows_everything_a_reader_needs(self):
        response = self.client.get("/papers/2105.01601/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "MLP-Mixer: An all-MLP Architecture for Vision</h1>" in body
        tolstikhin = self.paper.authorships.get(position=0).author
        assert f'<a href="/authors/{tolstikhin.pk}/">Ilya Tolstikhin</a>' in body
        assert "arXiv:2105.01601v4" in body
        assert "4 May 2021" in body and "11 June 2021" in body
        assert 'href="/papers/?category=cs.LG"' in body
        assert 'href="https://arxiv.org/abs/2105.01601"' in body
        assert 'href="https://arxiv.org/pdf/2105.01601"' in body
        assert 'href="https://github.com/google-research/vision_transformer"' in body
        assert "&lt;b&gt;bold&lt;/b&gt;" in body and "<b>bold</b>" not in body

    def test_bibtex_is_in_a_pre_with_a_copy_button_for_javascript(self):
        body = self.client.get("/papers/2105.01601/").content.decode()
        assert "@misc{tolstikhin2021mlpmixer," in body
        assert "  author = {Ilya Tolstikhin and Neil Houlsby}," in body
        assert "  eprint = {2105.01601}," in body
        assert f'<button type="button" class="copy" data-copy="bibtex-{self.paper.pk}" hidden>' in body

    def test_lists_the_videos_that_explain_it_with_their_chapters(self):
        body = self.client.get("/papers/2105.01601/").content.decode()
        assert '<a href="/videos/mlp-mixer/">MLP-Mixer explained</a>' in body
        assert '<a href="/videos/mlp-mixer/?t=140#player"><span class="time">2:20</span> Architecture</a>' in body

    def test_math_in_the_abstract_is_mathml_and_the_description_keeps_the_source(self):
        body = self.client.get("/papers/2105.01601/").content.decode()
        assert '<annotation encoding="application/x-tex">O(n^2)</annotation>' in body
        assert "<msup><mi>n</mi><mn>2</mn></msup>" in body
        description = body.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
        assert "$O(n^2)$" in html.unescape(description)

    def test_title_and_description(self):
        body = self.client.get("/papers/2105.01601/").content.decode()
        assert "<title>MLP-Mixer: An all-MLP Architecture for Vision · Paper Hub</title>" in body
        assert '<meta name="description" content="MLP-Mixer: An all-MLP Architecture for Vision by' in body

    def test_a_versioned_id_redirects_to_the_one_address(self):
        response = self.client.get("/papers/2105.01601v2/")
        assert response.status_code == 301
        assert response["Location"] == "/papers/2105.01601/"

    def test_an_unknown_paper_is_our_404(self):
        response = self.client.get("/papers/2105.99999/")
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()

    def test_a_signed_in_member_sees_their_links_in_the_header(self):
        self.client.force_login(self.personas.alice)
        body = self.client.get("/papers/2105.01601/").content.decode()
        assert 'href="/u/alice/"' in body and ">My notes</a>" in body

    def test_old_style_id_keeps_its_slash(self):
        PaperFactory(arxiv_id="hep-th/9901001", title="Old style")
        assert self.client.get("/papers/hep-th/9901001/").status_code == 200


class PaperPageQueryTests(TestCase):
    def paper_with(self, videos: int, chapters: int) -> Paper:
        paper = PaperFactory(arxiv_id=f"2106.{videos:05d}", authors=[f"Author {i} of {videos}" for i in range(videos)])
        paper.categories.set([CategoryFactory(code=f"cs.X{i}") for i in range(videos)])
        for v in range(videos):
            video = VideoFactory(channel__slug=f"channel-{videos}-{v}", channel__name=f"Channel {v}")
            VideoPaperFactory(video=video, paper=paper)
            for c in range(chapters):
                ChapterFactory(video=video, start=c * 30)
        return paper

    def test_paper_page_takes_the_same_queries_for_1_and_3_videos(self):
        for videos, chapters in [(1, 4), (3, 12)]:
            paper = self.paper_with(videos, chapters)
            expected = PAPER_QUERIES + discussion_queries(paper) + PUBLIC_NOTES_QUERIES
            count, response, sql = queries_of(self.client, paper.get_absolute_url())
            assert count == expected, sql
            assert len(response.context["video_links"]) == videos


class AuthorPageTests(TestCase):
    def test_author_page_lists_their_papers_in_constant_queries(self):
        author = AuthorFactory(name="Ada Lovelace", key="ada lovelace")
        counts = []
        for total in (3, 9):
            for i in range(total - (3 if total == 9 else 0)):
                PaperFactory(arxiv_id=f"2107.{total * 100 + i:05d}", authors=[author, f"Coauthor {total}-{i}"])
            count, response, sql = queries_of(self.client, author.get_absolute_url())
            assert len(response.context["page"].items) == total
            counts.append(count)
        assert counts == [AUTHOR_QUERIES, AUTHOR_QUERIES], sql
        body = response.content.decode()
        assert "<h1>Ada Lovelace</h1>" in body and "9 papers on Paper Hub" in body
        assert "<title>Ada Lovelace · Paper Hub</title>" in body
