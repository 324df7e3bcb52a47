"""Search on both databases: words, stems, authors, phrases, OR and exclusions, filters and sorts, typos,
arXiv ids and links, hostile input, snippets that stay safe, the index kept current, and a constant query count."""

from __future__ import annotations

import datetime
from unittest import skipUnless

from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from papers.models import Paper
from papers.search import (
    MARK_CLOSE,
    MARK_OPEN,
    SearchFilters,
    Sort,
    marked_html,
    parse_query,
    postgres_fulltext_sql,
    search_papers,
)
from tests.factories import CategoryFactory, ChapterFactory, PaperFactory, VideoFactory, VideoPaperFactory
from videos.search import search_videos

ATTENTION, RESNET, GAN, BERT, DROPOUT, STRINGS = (
    "1706.03762",
    "1512.03385",
    "1406.2661",
    "1810.04805",
    "1207.0580",
    "hep-th/9901001",
)


def ids(results) -> list[str]:
    return [hit.paper.arxiv_id for hit in results.hits]


class SearchCorpus(TestCase):
    """Six papers whose words are chosen so that every expected result below is exact."""

    @classmethod
    def setUpTestData(cls) -> None:
        cs_cl, cs_cv, cs_lg = (CategoryFactory(code=c) for c in ("cs.CL", "cs.CV", "cs.LG"))
        stat_ml, hep_th = CategoryFactory(code="stat.ML"), CategoryFactory(code="hep-th")

        def paper(arxiv_id, title, authors, abstract, published, category, comments=0):
            made = PaperFactory(
                arxiv_id=arxiv_id,
                title=title,
                abstract=abstract,
                published=published,
                primary_category=category,
                authors=authors,
            )
            made.categories.add(category)
            if comments:
                Paper.objects.filter(pk=made.pk).update(comment_count=comments, discussion_count=comments)
            return made

        cls.attention = paper(
            ATTENTION,
            "Attention Is All You Need",
            ["Ashish Vaswani", "Noam Shazeer"],
            "The dominant sequence transduction models are based on complex recurrent networks. We propose the "
            "Transformer, based solely on attention mechanisms, dispensing with recurrence entirely.",
            datetime.date(2017, 6, 12),
            cs_cl,
        )
        cls.resnet = paper(
            RESNET,
            "Deep Residual Learning for Image Recognition",
            ["Kaiming He", "Xiangyu Zhang"],
            "Deeper neural networks are more difficult to train. We present a residual learning framework to ease "
            "the training of networks that are substantially deeper.",
            datetime.date(2015, 12, 10),
            cs_cv,
            comments=2,
        )
        cls.gan = paper(
            GAN,
            "Generative Adversarial Nets",
            ["Ian Goodfellow", "Yoshua Bengio"],
            "We propose a new framework for estimating generative models via an adversarial process, in which we "
            "simultaneously train two models.",
            datetime.date(2014, 6, 10),
            stat_ml,
        )
        cls.bert = paper(
            BERT,
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
            ["Jacob Devlin", "Ming-Wei Chang"],
            "We introduce a new language representation model. It is designed to pre-train deep bidirectional "
            "representations from unlabeled text.",
            datetime.date(2018, 10, 11),
            cs_cl,
        )
        cls.dropout = paper(
            DROPOUT,
            "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
            ["Nitish Srivastava", "Geoffrey Hinton"],
            "Large networks are slow to use, making it difficult to deal with overfitting by combining many "
            "different large neural nets.",
            datetime.date(2014, 6, 1),
            cs_lg,
            comments=7,
        )
        cls.strings = paper(
            STRINGS,
            "Anomalies in string theory",
            ["Edward Witten"],
            "Gauge anomalies cancel in ten dimensions.",
            datetime.date(1999, 1, 4),
            hep_th,
        )
        cls.video = VideoFactory(
            title="Residual networks explained",
            slug="resnet-explained",
            summary="Why skip connections let very deep models learn.",
        )
        VideoPaperFactory(video=cls.video, paper=cls.resnet)
        ChapterFactory(video=cls.video, start=0, title="Intro")
        ChapterFactory(video=cls.video, start=60, title="Vanishing gradients")
        cls.other_video = VideoFactory(title="Dropout in five minutes", slug="dropout-five", summary="Regularisation.")


class WordSearchTests(SearchCorpus):
    def test_title_words_find_the_paper_first(self):
        assert ids(search_papers("residual learning")) == [RESNET]
        assert ids(search_papers("adversarial"))[0] == GAN

    def test_stemmed_forms_match_each_other(self):
        # "training", "trained", "train" and "pre-train" share the stem "train".
        expected = {RESNET, GAN, BERT}
        assert set(ids(search_papers("trained"))) == expected
        assert set(ids(search_papers("training"))) == expected

    def test_author_names_match(self):
        assert ids(search_papers("goodfellow")) == [GAN]
        assert ids(search_papers("Geoffrey Hinton")) == [DROPOUT]
        assert ids(search_papers("Witten anomalies")) == [STRINGS]

    def test_a_title_match_ranks_above_an_abstract_match(self):
        # BERT has "transformers" in its title, the attention paper only in its abstract.
        assert ids(search_papers("transformers")) == [BERT, ATTENTION]

    def test_recency_and_discussion_break_ties_between_equal_matches(self):
        def twin(arxiv_id: str, published: datetime.date, comments: int = 0) -> None:
            made = PaperFactory(arxiv_id=arxiv_id, title="Hyperbolic embeddings", abstract="", published=published)
            Paper.objects.filter(pk=made.pk).update(comment_count=comments, discussion_count=comments)

        twin("2001.00011", datetime.date(2020, 1, 5))
        twin("2301.00011", datetime.date(2023, 1, 5))
        twin("1901.00011", datetime.date(2019, 1, 5), comments=40)
        assert ids(search_papers("hyperbolic embeddings")) == ["1901.00011", "2301.00011", "2001.00011"]

    def test_a_strong_old_match_stays_above_a_weak_new_one(self):
        PaperFactory(arxiv_id="2401.00021", title="Notes", abstract="Residual connections, briefly.")
        Paper.objects.filter(arxiv_id="2401.00021").update(comment_count=100, discussion_count=100)
        assert ids(search_papers("residual"))[0] == RESNET

    def test_quoted_phrase_must_appear_in_order(self):
        assert ids(search_papers('"adversarial process"')) == [GAN]
        assert ids(search_papers('"process adversarial"')) == []

    def test_excluded_word_removes_papers(self):
        assert set(ids(search_papers("networks"))) == {ATTENTION, RESNET, DROPOUT}
        assert set(ids(search_papers("networks -recurrent"))) == {RESNET, DROPOUT}
        assert set(ids(search_papers('networks -"neural networks"'))) == {ATTENTION}

    def test_or_takes_either_word(self):
        assert set(ids(search_papers("goodfellow OR vaswani"))) == {GAN, ATTENTION}
        assert set(ids(search_papers("goodfellow or vaswani"))) == {GAN, ATTENTION}

    def test_or_binds_closer_than_the_words_around_it(self):
        # (goodfellow OR vaswani) AND transformer: the GAN paper has the first word but not the last.
        assert ids(search_papers("goodfellow or vaswani transformer")) == [ATTENTION]
        assert ids(search_papers("transformer goodfellow or vaswani")) == [ATTENTION]

    def test_total_is_exact_on_the_last_page_and_a_lower_bound_before_it(self):
        results = search_papers("networks")
        assert (results.total, results.total_is_lower_bound) == (3, False)
        first, last = search_papers("networks", per_page=2), search_papers("networks", page=2, per_page=2)
        assert (first.total, first.total_is_lower_bound, first.has_next) == (2, True, True)
        assert (last.total, last.total_is_lower_bound, last.has_next) == (3, False, False)
        past = search_papers("networks", page=3, per_page=2)
        assert (past.total, past.hits, past.fuzzy) == (None, [], False)

    def test_pages_split_the_results(self):
        first = search_papers("networks", page=1, per_page=2)
        second = search_papers("networks", page=2, per_page=2)
        assert (len(first.hits), first.has_next, len(second.hits), second.has_next) == (2, True, 1, False)
        assert set(ids(first) + ids(second)) == {ATTENTION, RESNET, DROPOUT}

    def test_hits_carry_category_and_author_names_in_one_query(self):
        with self.assertNumQueries(1):
            hit = search_papers("residual learning").hits[0]
            assert (hit.paper.primary_category.code, hit.paper.author_names) == ("cs.CV", "Kaiming He, Xiangyu Zhang")
        assert hit.rank > 0

    def test_ordered_authors_on_request_cost_one_more_query(self):
        with self.assertNumQueries(2):
            hits = search_papers("networks", with_authors=True).hits
            authors = {hit.paper.arxiv_id: [a.name for a in hit.paper.ordered_authors] for hit in hits}
        assert authors[RESNET] == ["Kaiming He", "Xiangyu Zhang"]
        assert authors[DROPOUT] == ["Nitish Srivastava", "Geoffrey Hinton"]


class FilterAndSortTests(SearchCorpus):
    def test_category_and_archive(self):
        assert ids(search_papers("networks", filters=SearchFilters(categories=("cs.CV",)))) == [RESNET]
        assert set(ids(search_papers("networks", filters=SearchFilters(categories=("cs.",))))) == {
            ATTENTION,
            RESNET,
            DROPOUT,
        }
        assert ids(search_papers("generative", filters=SearchFilters(categories=("cs.",)))) == []

    def test_year_range(self):
        filters = SearchFilters(year_from=2015, year_to=2017)
        assert set(ids(search_papers("networks", filters=filters))) == {ATTENTION, RESNET}

    def test_author_filter(self):
        assert ids(search_papers("networks", filters=SearchFilters(author="hinton"))) == [DROPOUT]

    def test_has_video_and_has_discussion(self):
        assert ids(search_papers("networks", filters=SearchFilters(has_video=True))) == [RESNET]
        assert set(ids(search_papers("networks", filters=SearchFilters(has_video=False)))) == {ATTENTION, DROPOUT}
        assert set(ids(search_papers("networks", filters=SearchFilters(has_discussion=True)))) == {RESNET, DROPOUT}
        assert ids(search_papers("networks", filters=SearchFilters(has_discussion=False))) == [ATTENTION]

    def test_sorts(self):
        assert ids(search_papers("networks", sort=Sort.NEWEST)) == [ATTENTION, RESNET, DROPOUT]
        assert ids(search_papers("networks", sort=Sort.DISCUSSED)) == [DROPOUT, RESNET, ATTENTION]

    def test_filters_without_words_list_the_filtered_papers(self):
        results = search_papers("", filters=SearchFilters(categories=("cs.CL",)))
        assert ids(results) == [BERT, ATTENTION]


class TypoTests(SearchCorpus):
    """PostgreSQL finds a misspelling anywhere in the word (the closest words of titles and names by trigram
    similarity); SQLite gathers words with the same first three letters and ranks them by similarity, so it misses
    a typo among the first three letters."""

    def test_misspelled_author(self):
        results = search_papers("Goodfelow")
        assert (ids(results), results.fuzzy) == ([GAN], True)

    def test_misspelled_title_word(self):
        results = search_papers("adversarail nets")
        assert ids(results)[0] == GAN
        assert results.fuzzy

    def test_misspelled_author_with_a_right_word(self):
        assert ids(search_papers("srivastva dropout"))[0] == DROPOUT

    def test_typo_at_the_start_of_a_word(self):
        found = ids(search_papers("ooodfellow"))
        if connection.vendor == "postgresql":
            assert found == [GAN]
        else:
            assert found == []

    def test_the_correction_is_said_and_searched(self):
        results = search_papers("goodfelow")
        assert (results.spellings, results.corrected_query) == ({"goodfelow": ["goodfellow"]}, "goodfellow")

    def test_every_misspelt_word_must_be_matched_by_one_of_its_spellings(self):
        # Both words misspelt, each corrected: only the paper holding both corrections is found.
        assert ids(search_papers("goodfelow adversarail")) == [GAN]

    def test_a_right_word_is_not_widened_to_its_neighbours(self):
        # "nets" is in a title: it stays as typed, and only the misspelt word gets alternatives.
        if connection.vendor == "postgresql":
            assert "nets" not in search_papers("adversarail nets").spellings

    def test_words_of_new_and_edited_papers_can_be_spelt_wrong_at_once(self):
        paper = PaperFactory(arxiv_id="2402.00001", title="Hyperbolic embeddings", authors=["Maximilian Nickel"])
        assert ids(search_papers("hyperbolik")) == ["2402.00001"]
        paper.title = "Poincare embeddings"
        paper.save()
        assert ids(search_papers("poincere")) == ["2402.00001"]

    def test_a_query_with_exclusions_gets_no_fuzzy_second_chance(self):
        results = search_papers("goodfelow -generative")
        assert (ids(results), results.fuzzy) == ([], False)


class SnippetTests(SearchCorpus):
    def test_matches_are_marked_in_title_and_abstract(self):
        hit = search_papers("residual").hits[0]
        assert hit.title_html == "Deep <mark>Residual</mark> Learning for Image Recognition"
        assert "<mark>residual</mark> learning framework" in hit.abstract_html

    def test_stemmed_matches_are_marked(self):
        hit = search_papers("trains", filters=SearchFilters(categories=("cs.CV",))).hits[0]
        assert "<mark>train</mark>" in hit.abstract_html
        assert "<mark>training</mark>" in hit.abstract_html

    def test_paper_text_is_escaped_before_marking(self):
        PaperFactory(
            arxiv_id="2001.00001",
            title='<script>alert("x")</script> Robust & Sound',
            abstract="<b>robust</b> <img src=x onerror=alert(1)>",
        )
        hit = search_papers("robust").hits[0]
        assert hit.title_html == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Robust</mark> &amp; Sound"
        assert "<img" not in hit.abstract_html and "<b>" not in hit.abstract_html
        assert "<mark>robust</mark>" in hit.abstract_html

    def test_typo_results_mark_what_was_searched(self):
        # The correction that was searched, and the word spelt right.
        hit = search_papers("adversarail nets").hits[0]
        assert hit.title_html == "Generative <mark>Adversarial</mark> <mark>Nets</mark>"


class IndexKeptCurrentTests(SearchCorpus):
    def test_changed_title_and_authors_are_found_at_once(self):
        self.strings.title = "Heterotic string compactifications"
        self.strings.save()
        assert ids(search_papers("heterotic")) == [STRINGS]
        assert ids(search_papers('"anomalies in string theory"')) == []
        Paper.objects.filter(pk=self.strings.pk).update(author_names="Juan Maldacena")
        assert ids(search_papers("maldacena")) == [STRINGS]

    def test_deleted_paper_is_gone(self):
        self.gan.delete()
        assert ids(search_papers("goodfellow")) == []

    def test_a_counter_update_keeps_the_paper_findable(self):
        Paper.objects.filter(pk=self.gan.pk).update(comment_count=3, discussion_count=3)
        assert ids(search_papers("goodfellow")) == [GAN]


class VideoSearchTests(SearchCorpus):
    def test_title_summary_and_chapters(self):
        assert [h.video.slug for h in search_videos("residual").hits] == ["resnet-explained"]
        assert [h.video.slug for h in search_videos("skip connections").hits] == ["resnet-explained"]
        hit = search_videos("gradients").hits[0]
        assert hit.video.slug == "resnet-explained"
        assert "<mark>gradients</mark>" in hit.chapter_html

    def test_title_ranks_above_summary(self):
        VideoFactory(title="Regularisation tricks", slug="regularisation", summary="Dropout and weight decay.")
        assert [h.video.slug for h in search_videos("dropout").hits] == ["dropout-five", "regularisation"]

    def test_chapter_changes_reach_the_index(self):
        chapter = self.video.chapters.get(start=0)
        chapter.title = "Batch normalisation"
        chapter.save()
        assert [h.video.slug for h in search_videos("normalisation").hits] == ["resnet-explained"]
        chapter.delete()
        assert search_videos("normalisation").hits == []
        assert [h.video.slug for h in search_videos("vanishing").hits] == ["resnet-explained"]

    def test_hostile_video_queries_answer_quietly(self):
        for query in ["", "!!!", "the", '"open', "NEAR(a b)", "x" * 10000, "a\x00b"]:
            results = search_videos(query)
            assert results.hits == [], query


class ArxivReferenceTests(SearchCorpus):
    FORMS = [
        "1512.03385",
        "1512.03385v2",
        "arXiv:1512.03385",
        "ARXIV:1512.03385v1",
        "https://arxiv.org/abs/1512.03385",
        "http://arxiv.org/abs/1512.03385v3",
        "https://www.arxiv.org/abs/1512.03385",
        "https://export.arxiv.org/abs/1512.03385",
        "https://arxiv.org/pdf/1512.03385",
        "https://arxiv.org/pdf/1512.03385v1.pdf",
        "https://arxiv.org/html/1512.03385v1",
        "https://arxiv.org/abs/1512.03385?context=cs",
        "arxiv.org/abs/1512.03385",
        " https://arxiv.org/abs/1512.03385/ ",
    ]
    OLD_FORMS = [
        "hep-th/9901001",
        "hep-th/9901001v2",
        "arXiv:hep-th/9901001",
        "http://export.arxiv.org/abs/hep-th/9901001v1",
        "http://www.arxiv.org/pdf/hep-th/9901001v2.pdf",
    ]

    def test_every_form_redirects_to_the_paper(self):
        for text, target in [(f, RESNET) for f in self.FORMS] + [(f, STRINGS) for f in self.OLD_FORMS]:
            response = self.client.get("/papers/", {"q": text})
            assert (response.status_code, response["Location"]) == (302, f"/papers/{target}/"), text
            assert search_papers(text).paper.arxiv_id == target

    def test_an_id_the_hub_lacks_offers_the_arxiv_link(self):
        response = self.client.get("/papers/", {"q": "https://arxiv.org/abs/2401.99999v2"})
        assert response.status_code == 200
        assert response.context["results"].missing_arxiv_id == "2401.99999"
        assert b'href="https://arxiv.org/abs/2401.99999"' in response.content

    def test_a_malformed_id_says_why(self):
        response = self.client.get("/papers/", {"q": "2113.00001"})
        assert response.status_code == 200
        assert response.context["results"].message.startswith("That looks like an arXiv id")


class SearchPageTests(SearchCorpus):
    HOSTILE = [
        "",
        "   ",
        "!!! ??? ...",
        "the of and",
        "x" * 10000,
        "attention " * 1000,
        "NEAR(a b) AND OR NOT * ^ : { } ( ) +",
        "title: attention",
        '"unbalanced quote',
        'a "b" "c',
        '""',
        "-",
        '-""',
        "or",
        "OR OR AND",
        "\x00",
        "atten\x00tion",
        "' OR 1=1 --",
        "%_\\",
        "; DROP TABLE papers_paper; --",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ 注意力",
    ]

    def test_hostile_queries_answer_with_a_normal_page(self):
        for query in self.HOSTILE:
            response = self.client.get("/papers/", {"q": query})
            assert response.status_code == 200, repr(query[:40])
        assert Paper.objects.count() == 6

    def test_hostile_queries_never_raise(self):
        for query in self.HOSTILE:
            for sort in Sort:
                search_papers(query, sort=sort, filters=SearchFilters(author=query, categories=("cs.",)))

    def test_stop_words_alone_explain_themselves(self):
        response = self.client.get("/papers/", {"q": "the of and"})
        assert "add a word of a title" in response.context["results"].message

    def test_query_filters_and_sort_from_the_form(self):
        response = self.client.get(
            "/papers/", {"q": "networks", "category": "cs.", "year_from": "2015", "sort": "newest"}
        )
        assert response.status_code == 200
        assert ids(response.context["results"]) == [ATTENTION, RESNET]
        assert response.context["query"] == "networks"
        assert response.context["form"].is_valid()

    def test_bad_filters_show_errors_and_keep_the_search(self):
        response = self.client.get(
            "/papers/", {"q": "networks", "year_from": "abc", "category": "'; drop", "sort": "best", "page": "-4"}
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"year_from", "category", "sort", "page"}
        assert set(ids(response.context["results"])) == {ATTENTION, RESNET, DROPOUT}
        assert b"networks" in response.content

    def test_videos_have_their_own_section(self):
        response = self.client.get("/papers/", {"q": "residual"})
        section = response.content.split(b'class="video-results"')[1]
        assert section.count(b'class="card video-card"') == 1
        assert b"Explainer videos" in response.content
        assert b'href="/videos/resnet-explained/"' in response.content

    def test_typo_page_offers_the_correction_and_shows_its_papers(self):
        response = self.client.get("/papers/", {"q": "goodfelow", "sort": "newest"})
        assert "No paper holds the word “goodfelow”. Did you mean:".encode() in response.content
        assert b'<a href="/papers/?q=goodfellow&amp;sort=newest">goodfellow</a>' in response.content
        assert [hit.paper.arxiv_id for hit in response.context["results"].hits] == [GAN]

    def test_a_word_that_nothing_holds_is_named(self):
        response = self.client.get("/papers/", {"q": "qqqzzz"})
        assert "No paper holds the word “qqqzzz”.".encode() in response.content
        response = self.client.get("/papers/", {"q": "qqqzzz networks"})
        assert b"No paper holds all of these words." in response.content

    def test_empty_query_lists_the_newest_papers(self):
        response = self.client.get("/papers/")
        assert response.status_code == 200
        assert "results" not in response.context


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        video = VideoFactory(title="Kernels explained", slug="kernels", summary="Kernels for everyone.")
        ChapterFactory(video=video, title="Kernel trick")

    def count_for(self, papers: int) -> int:
        start = Paper.objects.count()
        for n in range(start, papers):
            PaperFactory(arxiv_id=f"2301.{n:05d}", title=f"Kernel methods {n}", authors=[f"Ada Kernel{n}", "Bo Li"])
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/papers/", {"q": "kernel"})
        assert response.status_code == 200
        assert len(response.context["results"].hits) == papers
        return len(queries)

    def test_search_page_query_count_is_constant(self):
        # papers: the ranked page with snippets; videos: the ranked page, then the videos with their channels.
        assert self.count_for(4) == self.count_for(12) == 3

    def test_typo_fallback_adds_two_queries(self):
        # PostgreSQL looks the words up, then searches again with their spellings; SQLite gathers candidates,
        # re-ranks them in Python, then reads the page's rows.
        for n in range(3):
            PaperFactory(arxiv_id=f"2302.{n:05d}", title=f"Kernel methods {n}", authors=["Grace Hopperton"])
        with CaptureQueriesContext(connection) as queries:
            results = search_papers("hoperton")
        assert (len(results.hits), results.fuzzy, len(queries)) == (3, True, 3)


class PlanTests(TestCase):
    """The planner may read a tier from the index of its order (stopping at the page) or from the GIN indexes
    (then sort): both must give the same pages, or page 2 would not follow page 1."""

    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(40):
            title = f"Sparse kernels {n}" if n % 3 else f"Dense kernels {n}"
            PaperFactory(arxiv_id=f"2303.{n:05d}", title=title, abstract="Sparse attention.")

    def read_with(self, *planner_settings_off: str) -> tuple[str, list[list[str]]]:
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in planner_settings_off:
                cursor.execute(f"SET LOCAL {setting} = off")
            sql, params = postgres_fulltext_sql(parse_query("sparse"), SearchFilters(), Sort.RELEVANCE, 5, 0)
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            pages = [ids(search_papers("sparse", page=page, per_page=10)) for page in (1, 2, 3, 4, 5)]
            for setting in planner_settings_off:  # SET LOCAL outlives the savepoint, in the test's transaction
                cursor.execute(f"RESET {setting}")
        return plan, pages

    @skipUnless(connection.vendor == "postgresql", "SQLite has one way to read a match: the FTS5 index")
    def test_reading_in_order_or_from_the_gin_indexes_gives_the_same_pages(self):
        ordered_plan, in_order = self.read_with("enable_bitmapscan", "enable_seqscan")
        gin_plan, from_gin = self.read_with("enable_indexscan", "enable_seqscan")
        # Either index of the tie-break order (the covering one is cheaper once the table has been vacuumed).
        assert "Scan using paper_discussed" in ordered_plan and "Bitmap" not in ordered_plan
        assert "Bitmap Index Scan on papers_paper_title_vector_idx" in gin_plan
        assert in_order == from_gin
        assert [len(page) for page in in_order] == [10, 10, 10, 10, 0]
        assert len(set(sum(in_order, []))) == 40


class ParseQueryTests(TestCase):
    def test_operators_become_plain_words(self):
        parsed = parse_query('NEAR(a b) AND "x* ^y" -col:z OR')
        assert parsed.fts5() == '("near" AND "b" AND "x y") NOT ("col" OR "z")'
        assert parsed.tsquery() == "(near) & (b) & ((x <-> y)) & !col & !z"

    def test_or_joins_neighbours(self):
        parsed = parse_query("gan or diffusion models")
        assert parsed.groups == ((("gan",), ("diffusion",)), (("models",),))
        assert parsed.fts5() == '("gan" OR "diffusion") AND "models"'
        assert parsed.tsquery() == "(gan | diffusion) & (models)"

    def test_spellings_widen_single_words_only(self):
        parsed = parse_query('gann "deep nets" -x').with_spellings({"gann": ["gan", "gains"], "deep": ["deer"]})
        assert parsed.tsquery() == "(gann | gan | gains) & ((deep <-> nets)) & !x"

    def test_unbalanced_quote_is_ignored(self):
        assert parse_query('"deep residual').groups == ((("deep",),), (("residual",),))


class PaperListFallbackTests(TestCase):
    def test_a_bad_page_number_without_a_search_still_lists_papers(self):
        PaperFactory(arxiv_id="2201.00001", title="Listed paper")
        response = self.client.get("/papers/", {"page": "abc"})
        assert response.status_code == 200
        assert [p.arxiv_id for p in response.context["page"]] == ["2201.00001"]


class MarkedHtmlTests(TestCase):
    def test_markers_become_balanced_mark_tags_around_escaped_text(self):
        assert marked_html(f"a <b> {MARK_OPEN}x&y{MARK_CLOSE} c") == "a &lt;b&gt; <mark>x&amp;y</mark> c"
        assert marked_html(f"{MARK_CLOSE}stray {MARK_OPEN}open") == "stray <mark>open</mark>"
        assert marked_html(f"{MARK_OPEN}{MARK_OPEN}twice{MARK_CLOSE}{MARK_CLOSE}") == "<mark>twice</mark>"
        assert marked_html(None) == ""
