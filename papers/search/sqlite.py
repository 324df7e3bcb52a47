"""SQLite's full-text search of papers: the FTS5 table papers_paper_fts, bm25 under the same weights,
highlight() and snippet(), and a prefix fallback for misspelt words re-ranked by string similarity."""

from __future__ import annotations

import difflib

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

SQLITE_AGE = "max(julianday('now') - julianday(published), 0)"


def fulltext_sql(match: str, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """The same statement for FTS5: bm25 under the same weights, highlight() and snippet() on the page only.

    CROSS JOIN fixes the page as the outer loop (SQLite keeps the order as written): otherwise the planner may
    walk every match of a common word through the FTS table and look each up in the page, where it should
    fetch the page's 25 rows by rowid (7 ms instead of 4 ms for one common word at 100k papers)."""
    where, params = filter_sql(filters)
    cand_order, page_order = SORT_KEYS[sort]
    weights = ", ".join(str(w) for w in WEIGHTS)
    score = boosted("-bm", age_days=SQLITE_AGE)
    sql = f"""
        WITH cand AS (
            SELECT papers_paper_fts.rowid AS id, bm25(papers_paper_fts, {weights}) AS bm,
                   papers_paper.published, papers_paper.discussion_count, papers_paper.arxiv_id
            FROM papers_paper_fts JOIN papers_paper ON papers_paper.id = papers_paper_fts.rowid
            WHERE papers_paper_fts MATCH %s{where} {cand_order} LIMIT %s
        ),
        page AS (
            SELECT id, published, discussion_count, arxiv_id, {score} AS score
            FROM cand ORDER BY {page_order} LIMIT %s OFFSET %s
        )
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.score AS score,
                   highlight(papers_paper_fts, 0, %s, %s),
                   snippet(papers_paper_fts, 2, %s, %s, %s, 40),
                   cat.name, {PAPER_COLUMNS}
            FROM page CROSS JOIN papers_paper_fts ON papers_paper_fts.rowid = page.id
            JOIN papers_paper p ON p.id = page.id {CATEGORY_JOIN}
            WHERE papers_paper_fts MATCH %s
        ) x ON 1
        ORDER BY {qualified(page_order, "x")}
    """
    marks = [MARK_OPEN, MARK_CLOSE]
    return sql, [match, *params, statements.CANDIDATE_CAP, limit, offset, *marks, *marks, " … ", match]


def fuzzy(terms: list[str], filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """FTS5 has no similarity operator: gather papers whose title or authors hold a word that starts like a query
    word (three letters), keep the best by bm25, re-rank them here by how closely those words match, then read the
    page's rows. Two statements."""
    where, params = filter_sql(filters)
    prefixes = sorted({t[:3] for t in terms})
    match = "{title author_names} : (" + " OR ".join(f'"{prefix}"*' for prefix in prefixes) + ")"
    weights = ", ".join(str(w) for w in WEIGHTS)
    candidates = fetch_rows(
        f"""
        SELECT papers_paper.id, papers_paper.title, papers_paper.author_names, papers_paper.published,
               papers_paper.discussion_count
        FROM papers_paper_fts JOIN papers_paper ON papers_paper.id = papers_paper_fts.rowid
        WHERE papers_paper_fts MATCH %s{where}
        ORDER BY bm25(papers_paper_fts, {weights}) LIMIT %s
        """,
        [match, *params, statements.FUZZY_CAP * len(prefixes)],
    )
    scored = []
    for paper_id, title, authors, published, comment_count in candidates:
        words = set(WORD_RE.findall(f"{title} {authors}".lower()))
        similarity = 0.0
        for term in terms:
            # Only words sharing the term's first letters can be what was meant (that is how they were found).
            matcher = difflib.SequenceMatcher(None, b=term)
            best = 0.0
            for word in words:
                if word[:3] == term[:3]:
                    matcher.set_seq1(word)
                    if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                        best = max(best, matcher.ratio())
            similarity += best if best >= 0.75 else 0.0
        if similarity:
            scored.append((similarity, paper_id, str(published), comment_count))
    key = {
        Sort.RELEVANCE: lambda item: (item[0], item[1]),
        Sort.NEWEST: lambda item: (item[2], item[1]),
        Sort.OLDEST: lambda item: (item[2], item[1]),
        Sort.DISCUSSED: lambda item: (item[3], item[2], item[1]),
    }[sort]
    scored.sort(key=key, reverse=sort is not Sort.OLDEST)
    page = scored[offset : offset + limit]
    if not page:
        return len(scored), []
    placeholders = ", ".join(["%s"] * len(page))
    rows = {
        row[4]: row
        for row in fetch_rows(
            f"""SELECT p.title, p.abstract, cat.name, NULL, {PAPER_COLUMNS}
            FROM papers_paper p {CATEGORY_JOIN} WHERE p.id IN ({placeholders})""",
            [item[1] for item in page],
        )
    }
    # Rows as the full-text statement gives them: (n, score, title, abstract, category name, *paper columns).
    return len(scored), [
        (len(scored), similarity, *rows[paper_id][:3], *rows[paper_id][4:]) for similarity, paper_id, *_ in page
    ]
