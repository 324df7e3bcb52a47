"""PostgreSQL's full-text search of papers: the stored weighted tsvector, ts_rank, ts_headline, and the
closest spellings of misspelt words from papers_search_word (pg_trgm)."""

from __future__ import annotations

from papers.reading import SearchFilters, Sort
from papers.search import statements
from papers.search.query import MARK_CLOSE, MARK_OPEN, WORD_RE
from papers.search.statements import (
    CATEGORY_JOIN,
    PAPER_COLUMNS,
    SORT_KEYS,
    WEIGHTS,
    boosted,
    fetch_rows,
    filter_sql,
    qualified,
)

PG_AGE = "greatest(current_date - papers_paper.published, 0)"
PG_QUERY = "to_tsquery('english'::regconfig, %s)"
PG_RANK_WEIGHTS = "'{0.1, %s, %s, %s}'::float4[]" % tuple(reversed(WEIGHTS))  # noqa: UP031 - D, C, B, A
PG_TITLE_OPTIONS = f'HighlightAll=true, StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
PG_ABSTRACT_OPTIONS = (
    f'MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … ", StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
)


def fulltext_sql(tsquery: str, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """One statement: match, cap, rank, one page with headlines, and the capped count.

    The query is written into each clause as `to_tsquery('english', %s)` (a constant the planner folds) rather
    than read from a CTE, so that the planner sees how common the words are: for a word in most papers it reads
    the table (or the newest-first index, for that sort) until it has the cap, for a rare one it asks the GIN
    index. The candidates of a relevance search are the first CANDIDATE_CAP matches in storage order,
    which both plans give alike (the hub's connections turn synchronised scans and parallel workers off, see settings).
    """
    where, params = filter_sql(filters)
    cand_order, page_order = SORT_KEYS[sort]
    if sort is Sort.RELEVANCE and (filters.year_from is not None or filters.year_to is not None):
        # Storage order follows the order papers came in, which follows their dates: read in that order, a range
        # of recent years would be found only after every older paper. Newest first, the reading starts in it.
        cand_order = SORT_KEYS[Sort.NEWEST][0]
    score = boosted(f"ts_rank({PG_RANK_WEIGHTS}, papers_paper.search_vector, {PG_QUERY})", age_days=PG_AGE)
    match, match_params = f"papers_paper.search_vector @@ {PG_QUERY}", [tsquery]
    if "<->" in tsquery:
        # The planner estimates a phrase as common as its words together, where it is usually a small share of
        # them; it would then read a sort's index end to end looking for the cap. Said twice, the condition's
        # estimate is squared, which is nearer the truth, and the plan asks the GIN index instead.
        match, match_params = f"{match} AND {match}", [tsquery, tsquery]
    sql = f"""
        WITH cand AS MATERIALIZED (
            SELECT id, published, discussion_count, arxiv_id, {score} AS score
            FROM papers_paper WHERE {match}{where} {cand_order} LIMIT %s
        ),
        page AS (SELECT * FROM cand ORDER BY {page_order} LIMIT %s OFFSET %s)
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.score,
                   ts_headline('english'::regconfig, p.title, {PG_QUERY}, %s),
                   ts_headline('english'::regconfig, p.abstract, {PG_QUERY}, %s),
                   cat.name, {PAPER_COLUMNS}
            FROM page JOIN papers_paper p ON p.id = page.id {CATEGORY_JOIN}
        ) x ON true
        ORDER BY {qualified(page_order, "x")}
    """
    return sql, [
        tsquery, *match_params, *params, statements.CANDIDATE_CAP, limit, offset,
        tsquery, PG_TITLE_OPTIONS, tsquery, PG_ABSTRACT_OPTIONS,
    ]  # fmt: skip


def spellings(terms: list[str]) -> dict[str, list[str]]:
    """For each term that no title or author name holds, the words of titles and author names spelt most like it
    (pg_trgm over papers_search_word, migration papers/0005), closest first. One statement: the GiST index
    walks the words nearest each term (`<->`) and stops at SPELLINGS_PER_WORD, then the distant ones
    are dropped."""
    rows = fetch_rows(
        """
        SELECT t.term, w.word FROM unnest(%s::text[]) AS t(term)
        CROSS JOIN LATERAL (
            SELECT word, word <-> t.term AS distance FROM papers_search_word ORDER BY word <-> t.term LIMIT %s
        ) w
        WHERE w.distance <= %s
        """,
        [terms, statements.SPELLINGS_PER_WORD, 1 - statements.MIN_SPELLING_SIMILARITY],
    )
    found: dict[str, list[str]] = {}
    for term, word in rows:
        if WORD_RE.fullmatch(word):  # the table holds word characters only; the query text is built from them
            found.setdefault(term, []).append(word)
    # A term that is itself a word of a title or a name is spelt right: it stays as the reader typed it.
    return {term: words for term, words in found.items() if term not in words}
