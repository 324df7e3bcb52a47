"""Paper search: the one entry point that pages and the API share (videos.search finds videos the same way).

The backend is chosen here and nowhere else, by the connection's vendor:

- PostgreSQL: the stored weighted tsvector `papers_paper.search_vector` (migration papers/0002) matched with
  `to_tsquery('english', …)` built from the reader's words; the title's and authors' own vectors (papers/0007)
  say each match's tier; snippets by `ts_headline` for the rows on the page only; when nothing matches, each
  word that no title or author name holds is looked up among the words that do (`papers_search_word`, pg_trgm,
  migration papers/0005) and the search runs again with the closest spelling ("Did you mean").
- SQLite: the FTS5 table `papers_paper_fts` kept by triggers, its columns filtered for the tiers, snippets by
  FTS5 `highlight`/`snippet`; when nothing matches, the closest spelling among words that start alike.

Every match is ranked: papers order by tier (query words in the title, then in the title or authors), then most
discussed, then newest, and each tier is read in that order from an index until the page is full
(statements.py, docs/ARCHITECTURE.md "Search"). Matches are not counted past the page: a page that has a next
one says "more than" the papers so far.
The reader's text is parsed into a small query language here (words, "phrases", OR, -excluded) and rebuilt for
each backend from plain word characters only, so no FTS operator the reader types reaches the database as syntax;
every value is a bound parameter. A search costs one query; the typo fallback adds two.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.safestring import SafeString, mark_safe

from papers import arxiv
from papers.models import Authorship, Category, Paper
from papers.reading import ORDERINGS, SearchFilters, Sort, dated_q, filters_q
from papers.search import postgres, sqlite
from papers.search.postgres import PG_ABSTRACT_OPTIONS, PG_QUERY, PG_RANK_WEIGHTS, PG_TITLE_OPTIONS
from papers.search.postgres import fulltext_sql as postgres_fulltext_sql
from papers.search.query import (
    MARK_CLOSE,
    MARK_OPEN,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    STOP_WORDS,
    WORD_RE,
    ParsedQuery,
    highlight,
    marked_html,
    parse_query,
)
from papers.search.sqlite import fulltext_sql as sqlite_fulltext_sql
from papers.search.statements import (
    CANDIDATE_CAP,
    FUZZY_CAP,
    MIN_SPELLING_SIMILARITY,
    PAPER_FIELDS,
    SPELLINGS_PER_WORD,
    WEIGHTS,
    fetch_rows,
    tier_rank,
)
from shared.paging import page_of

__all__ = [  # what the pages, the API, videos.search and the bench use
    "CANDIDATE_CAP",
    "FUZZY_CAP",
    "MARK_CLOSE",
    "MARK_OPEN",
    "MAX_PER_PAGE",
    "MAX_QUERY_LENGTH",
    "MIN_SPELLING_SIMILARITY",
    "PG_ABSTRACT_OPTIONS",
    "PG_QUERY",
    "PG_RANK_WEIGHTS",
    "PG_TITLE_OPTIONS",
    "SPELLINGS_PER_WORD",
    "STOP_WORDS",
    "WEIGHTS",
    "ResultPage",
    "SearchFilters",
    "SearchHit",
    "SearchResults",
    "Sort",
    "fetch_rows",
    "highlight",
    "marked_html",
    "parse_query",
    "postgres_fulltext_sql",
    "search_papers",
    "sqlite_fulltext_sql",
]


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    rank: float | None
    title_html: SafeString  # the title, escaped, with matches in <mark>
    abstract_html: SafeString  # a short excerpt of the abstract, escaped, with matches in <mark>


@dataclass
class ResultPage:
    """One page of a search's hits and what is known of the rest (papers' and videos' searches alike)."""

    query: str
    hits: list = field(default_factory=list)
    page: int = 1
    per_page: int = 25
    has_next: bool = False
    total: int | None = None  # exact count below the cap
    total_is_lower_bound: bool = False  # "more than `total`": more papers follow than were read
    message: str = ""  # why there are no results, for the reader (e.g. a malformed arXiv id)

    # What includes/_pager.html asks of a page, as of shared.paging.Window.
    @property
    def number(self) -> int:
        return self.page

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1

    def count_page(self, rows: int, has_next: bool) -> None:
        """Record what a page read of `per_page` + 1 papers knows: on the last page the number of matches exactly;
        before it, only that there are more than the papers through this page. (Counting every match costs as much
        as ranking them; past the end of the results nothing is known.)"""
        offset = (self.page - 1) * self.per_page
        self.has_next = has_next
        if has_next:
            self.total, self.total_is_lower_bound = offset + self.per_page, True
        elif rows or self.page == 1:
            self.total = offset + rows

    def count(self, matched: int, cap: int, offset: int) -> None:
        """Record how many matched, as far as the cap lets a search know, and whether a next page follows."""
        self.total = min(matched, cap)
        self.total_is_lower_bound = matched >= cap
        self.has_next = offset + self.per_page < self.total


@dataclass
class SearchResults(ResultPage):
    hits: list[SearchHit] = field(default_factory=list)
    paper: Paper | None = None  # the query was an arXiv id or link of a paper the hub holds
    missing_arxiv_id: str = ""  # the query was a valid arXiv id the hub does not hold
    fuzzy: bool = False  # results come from the typo-tolerant fallback
    spellings: dict[str, list[str]] = field(default_factory=dict)  # misspelt word -> the spellings searched for it
    corrected_query: str = ""  # the query as searched, with the corrections: what "Did you mean" links to
    query_words: int = 0  # words searched for (stop words aside), so that a page can speak of one word or several


def _hits(rows: list[tuple], searched: ParsedQuery, *, with_authors: bool) -> list[SearchHit]:
    """Hits from rows of (branch, t, a, title, abstract, category name, *paper columns). The title and abstract
    come marked by the engine, but for PostgreSQL's abstract (None): ts_headline spent 0.2 ms on each, most of
    a search, so its excerpt is marked here, by `highlight`. With `with_authors`, the Author rows of the whole
    page come in one more query."""
    category_field = Paper._meta.get_field("primary_category")
    attnames = _ATTNAMES
    alias = connection.alias  # a lookup through the connection proxy each time costs more than the row
    groups, terms = len(searched.groups), searched.terms
    hits: list[SearchHit] = []
    categories: dict[str, Category] = {}  # a page holds few categories: one instance each, as select_related does not
    for _branch, t, a, title, abstract, category_name, *columns in rows:
        paper = Paper.from_db(alias, attnames, columns)
        code = paper.primary_category_id
        if code is not None and code not in categories:
            categories[code] = Category.from_db(alias, ["code", "name"], [code, category_name])
        category_field.set_cached_value(paper, categories.get(code) if code is not None else None)
        excerpt = marked_html(abstract) if abstract is not None else highlight(paper.abstract, terms, limit=300)
        rank = None if t is None else tier_rank(t, a, groups)
        hits.append(SearchHit(paper, rank, marked_html(title), excerpt))
    if with_authors:
        prefetch_related_objects(
            [hit.paper for hit in hits],
            Prefetch("authorships", queryset=Authorship.objects.select_related("author").order_by("position")),
        )
    return hits


_ATTNAMES = [f.attname for f in PAPER_FIELDS]


def search_papers(
    query: str,
    *,
    filters: SearchFilters | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = 25,
    with_authors: bool = False,
) -> SearchResults:
    """Papers matching `query` and `filters`, one page of them, with highlighted title and abstract.

    A query that is an arXiv id or link (any form papers.arxiv accepts) answers with `paper` set, or with
    `missing_arxiv_id` when the hub does not hold it. With no words but some filters, it lists the filtered papers
    in `sort` order (newest for relevance). Never raises on user input.

    Costs one query; the typo fallback (run when the full-text query finds nothing at all) adds two.
    Each hit's paper carries its primary category and `author_names`; `with_authors=True` also prefetches the
    ordered Author rows (`paper.ordered_authors`) in one more query, for callers that link to authors.
    """
    filters = filters or SearchFilters()
    query = (query or "")[:MAX_QUERY_LENGTH].replace("\x00", " ").strip()
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    results = SearchResults(query=query, page=page, per_page=per_page)

    if query and arxiv.looks_like_arxiv_reference(query):
        return _by_arxiv_id(results)

    parsed = parse_query(query)
    if not parsed.groups and not query and filters != SearchFilters():
        return _browse(results, filters, sort)
    if not parsed.groups:
        if query:
            results.message = (
                "Words like “the” and “of” are in every paper: add a word of a title, an author's name, or an arXiv id."
                if WORD_RE.search(query)
                else "Type a word or two of a title, an author's name, or an arXiv id."
            )
        return results
    results.query_words = len(parsed.terms)
    offset = (page - 1) * per_page
    matched, rows = _fulltext(parsed, filters, sort, per_page, offset)
    fuzzy_terms = [t for t in parsed.terms if len(t) >= 4 and not t.isdigit()][:MAX_WORDS]
    if not matched and offset and fuzzy_terms:
        matched, _ = _fulltext(parsed, filters, sort, 1, 0)  # past the end of the results, or none at all?
        rows = []
    # Typos get a second chance, unless the reader was exact (phrases, exclusions): then the empty answer stands.
    if not matched and fuzzy_terms and not parsed.is_exact:
        typed = parsed
        matched, rows, parsed = _second_chance(results, parsed, fuzzy_terms, filters, sort, offset)
        results.fuzzy = bool(matched)
    results.count_page(min(len(rows), per_page), len(rows) > per_page)
    results.hits = _hits(rows[:per_page], parsed, with_authors=with_authors)
    if results.fuzzy and results.hits:
        results.corrected_query = _correction(typed, results.spellings, results.hits[0].paper)
    return results


def _fulltext(parsed: ParsedQuery, filters: SearchFilters, sort: Sort, per_page: int, offset: int):
    """(how many rows, the rows of the page and one more) from the engine's one statement."""
    if connection.vendor == "postgresql":
        rows = fetch_rows(*postgres.fulltext_sql(parsed, filters, sort, per_page, offset))
    else:
        rows = fetch_rows(*sqlite.fulltext_sql(parsed, filters, sort, per_page, offset))
    return len(rows), rows


def _by_arxiv_id(results: SearchResults) -> SearchResults:
    """The query is an arXiv id or link: that paper, or why not."""
    try:
        results.paper = Paper.objects.for_listing().named(results.query).first()
    except arxiv.InvalidArxivId as exc:
        results.message = f"That looks like an arXiv id, but {exc}."
        return results
    if results.paper is None:
        results.missing_arxiv_id = arxiv.canonical_arxiv_id(results.query)
    else:
        results.hits = [SearchHit(results.paper, None, highlight(results.paper.title, []), mark_safe(""))]
        results.total = 1
    return results


def _second_chance(results, parsed, fuzzy_terms, filters, sort, offset):
    """Nothing matched every word: the words no title or author name holds, spelt as the closest such words
    (PostgreSQL: trigram similarity over the lexicon; SQLite: words starting alike, by difflib), and the search
    again with each read as any of them. Returns (rows found, rows, the query searched); `results.spellings` says
    what was read for what."""
    if connection.vendor == "postgresql":
        spellings = postgres.spellings(fuzzy_terms)
    else:
        spellings = sqlite.spellings(fuzzy_terms, filters)
    if not spellings:
        return 0, [], parsed
    # Each misspelt word is read as any of its closest spellings, so that the best-ranked reading comes first
    # whichever of them it is (the closest by letters is not always the one meant).
    widened = parsed.with_spellings(spellings)
    matched, rows = _fulltext(widened, filters, sort, results.per_page, offset)
    if matched:
        results.spellings = spellings
    return matched, rows, widened if matched else parsed


def _correction(parsed: ParsedQuery, spellings: dict[str, list[str]], best: Paper) -> str:
    """The query as "Did you mean" offers it: each misspelt word spelt as the best-ranked paper spells it (the
    closest spelling when that paper has none of them)."""
    words = set(WORD_RE.findall(f"{best.title} {best.author_names} {best.abstract}".lower()))
    chosen = {term: next((w for w in found if w in words), found[0]) for term, found in spellings.items()}
    return parsed.with_corrections(chosen).text()


def _browse(results: SearchResults, filters: SearchFilters, sort: Sort) -> SearchResults:
    """No words, only filters: the filtered papers in `sort` order (newest first for relevance)."""
    papers = Paper.objects.for_listing().filter(filters_q(filters), dated_q(sort)).order_by(*ORDERINGS[sort])
    window = page_of(papers, results.page, results.per_page)
    results.has_next = window.has_next
    results.hits = [
        SearchHit(paper, None, highlight(paper.title, []), highlight(paper.abstract, [], limit=300)) for paper in window
    ]
    return results
