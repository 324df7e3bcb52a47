"""SQLite's full-text search of papers: the FTS5 table papers_paper_fts read tier by tier with column filters,
highlight() and snippet(), and the closest spellings of misspelt words among words that start alike."""

from __future__ import annotations

import difflib

from papers.reading import SearchFilters, Sort
from papers.search import statements
from papers.search.query import MARK_CLOSE, MARK_OPEN, WORD_RE, ParsedQuery
from papers.search.statements import (
    CATEGORY_JOIN,
    PAGE_ROW,
    PAPER_COLUMNS,
    SORT_ORDERS,
    TIE_BREAK,
    WEIGHTS,
    fetch_rows,
    filter_sql,
    page_order,
    qualified,
    tier_choices,
    tier_plan,
)

_FROM = "papers_paper_fts JOIN papers_paper ON papers_paper.id = papers_paper_fts.rowid"
TITLE = "{title}"


def fulltext_sql(parsed: ParsedQuery, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """The same statement for FTS5: the page and one paper more, highlight() and snippet() on the page only. Rows
    as PostgreSQL's statement gives them.

    CROSS JOIN fixes the page as the outer loop (SQLite keeps the order as written): otherwise the planner may
    walk every match of a common word through the FTS table and look each up in the page."""
    where, params = filter_sql(filters)
    wanted = offset + limit + 1
    match = parsed.fts5()
    if sort is Sort.RELEVANCE:
        branches, branch_params = tier_sql(parsed, where, params, wanted)
    else:
        order = qualified(SORT_ORDERS[sort], "papers_paper")
        branches = f"""SELECT * FROM (SELECT {PAGE_ROW}, 0 AS b, NULL AS t, NULL AS a FROM {_FROM}
            WHERE papers_paper_fts MATCH %s{where} ORDER BY {order} LIMIT %s)"""
        branch_params = [match, *params, wanted]
    sql = f"""
        WITH page AS (SELECT * FROM ({branches}) LIMIT %s OFFSET %s)
        SELECT page.b, page.t, page.a,
               highlight(papers_paper_fts, 0, %s, %s),
               snippet(papers_paper_fts, 2, %s, %s, %s, 40),
               cat.name, {PAPER_COLUMNS}
        FROM page CROSS JOIN papers_paper_fts ON papers_paper_fts.rowid = page.id
        JOIN papers_paper p ON p.id = page.id {CATEGORY_JOIN}
        WHERE papers_paper_fts MATCH %s
        ORDER BY {qualified(page_order(sort), "page")}
    """
    marks = [MARK_OPEN, MARK_CLOSE]
    return sql, [*branch_params, limit + 1, offset, *marks, *marks, " … ", match]


def tier_sql(parsed: ParsedQuery, where: str, params: list, wanted: int) -> tuple[str, list]:
    """The matches in tier order (statements.tiers): one SELECT per tier and one for the rest, UNION ALL, read in
    order. A tier says what the title and authors must and must not hold as one FTS5 query on
    `papers_paper_names_fts` (migration papers/0007), whose lists hold title and author words only; the whole
    paper's table is asked only for the groups that must be in the abstract, and for excluded words."""
    groups = parsed.fts5_groups()
    explicit, rest = tier_plan(len(groups))
    order = qualified(TIE_BREAK, "papers_paper")
    parts, values = [], []
    for b, (t, a) in enumerate(explicit):
        conditions, condition_values = [], []
        if a:
            conditions.append(f"papers_paper.id IN {_NAMES_MATCH}")
            condition_values.append(_tier_match(groups, t, a))
        else:  # no group in the title or the authors: a condition the names' index answers only as "not these"
            conditions.append(f"papers_paper.id NOT IN {_NAMES_MATCH}")
            condition_values.append(" OR ".join(f"({g})" for g in groups))
        if a < len(groups) or parsed.excluded:
            conditions.append(f"papers_paper.id IN {_WHOLE_MATCH}")
            condition_values.append(parsed.fts5())
        parts.append(
            f"SELECT * FROM (SELECT {PAGE_ROW}, {b} AS b, {t} AS t, {a} AS a FROM papers_paper"
            f" WHERE {' AND '.join(conditions)}{where} ORDER BY {order} LIMIT %s)"
        )
        values += [*condition_values, *params, wanted]
    if rest:
        held = f"(papers_paper.id IN {_NAMES_MATCH})"
        t_sql, a_sql = " + ".join([held] * len(groups)), " + ".join([held] * len(groups))
        read = ", ".join(f"({t}, {a})" for t, a in explicit)
        parts.append(
            f"""SELECT * FROM (SELECT * FROM (
                SELECT {PAGE_ROW}, {len(explicit)} AS b, {t_sql} AS t, {a_sql} AS a FROM {_FROM}
                WHERE papers_paper_fts MATCH %s{where}
            ) rest WHERE (rest.t, rest.a) NOT IN (VALUES {read})
            ORDER BY rest.t DESC, rest.a DESC, {qualified(TIE_BREAK, "rest")} LIMIT %s)"""
        )
        values += [f"{TITLE} : ({g})" for g in groups]
        values += [f"({g})" for g in groups]
        values += [parsed.fts5(), *params, wanted]
    return " UNION ALL ".join(parts), values


_NAMES_MATCH = "(SELECT rowid FROM papers_paper_names_fts WHERE papers_paper_names_fts MATCH %s)"
_WHOLE_MATCH = "(SELECT rowid FROM papers_paper_fts WHERE papers_paper_fts MATCH %s)"


def _tier_match(groups: list[str], t: int, a: int) -> str:
    """An FTS5 query of the names' table for the papers of tier (t, a): for each way of choosing which t groups
    the title holds and which a - t more the authors hold, those groups there and the others not."""
    choices = []
    for in_title, in_authors, others, neither in tier_choices(len(groups), t, a):
        positive = [f"{TITLE} : ({groups[i]})" for i in in_title] + [f"({groups[i]})" for i in in_authors]
        negative = [f"{TITLE} : ({groups[i]})" for i in others] + [f"({groups[i]})" for i in neither]
        choice = "(" + " AND ".join(positive) + ")"
        choices.append(f"({choice} NOT ({' OR '.join(negative)}))" if negative else choice)
    return " OR ".join(choices)


def spellings(terms: list[str], filters: SearchFilters) -> dict[str, list[str]]:
    """FTS5 has no similarity operator: gather papers whose title or authors hold a word that starts like a term
    (its first three letters), and for each term the word of those titles and names spelt most like it (difflib,
    at least 0.75 alike). One statement; a typo among the first three letters is not found."""
    where, params = filter_sql(filters)
    prefixes = sorted({t[:3] for t in terms})
    match = " OR ".join(f'"{prefix}"*' for prefix in prefixes)
    weights = ", ".join(str(w) for w in WEIGHTS[:2])
    rows = fetch_rows(
        f"""
        SELECT papers_paper.title, papers_paper.author_names
        FROM papers_paper_names_fts JOIN papers_paper ON papers_paper.id = papers_paper_names_fts.rowid
        WHERE papers_paper_names_fts MATCH %s{where} ORDER BY bm25(papers_paper_names_fts, {weights}) LIMIT %s
        """,
        [match, *params, statements.FUZZY_CAP * len(prefixes)],
    )
    words: dict[str, int] = {}
    for title, authors in rows:
        for word in WORD_RE.findall(f"{title} {authors}".lower()):
            words[word] = words.get(word, 0) + 1
    found: dict[str, list[str]] = {}
    for term in terms:
        if term in words:
            continue  # a word of a title or a name is spelt right: it stays as typed
        matcher = difflib.SequenceMatcher(None, b=term)
        scored = []
        for word in words:
            if word[:3] == term[:3]:
                matcher.set_seq1(word)
                if matcher.real_quick_ratio() >= 0.75 and matcher.quick_ratio() >= 0.75:
                    scored.append((matcher.ratio(), words[word], word))
        best = sorted((s for s in scored if s[0] >= 0.75), reverse=True)
        if best:
            found[term] = [word for _, _, word in best[: statements.SPELLINGS_PER_WORD]]
    return found
