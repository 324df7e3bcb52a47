"""PostgreSQL's full-text search of papers: the stored weighted tsvector, ts_rank, ts_headline, and the
closest spellings of misspelt words from papers_search_word (pg_trgm)."""

from __future__ import annotations

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

PG_QUERY = "to_tsquery('english'::regconfig, %s)"
PG_RANK_WEIGHTS = "'{0.1, %s, %s, %s}'::float4[]" % tuple(reversed(WEIGHTS))  # noqa: UP031 - D, C, B, A
PG_TITLE_OPTIONS = f'HighlightAll=true, StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
PG_ABSTRACT_OPTIONS = (
    f'MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … ", StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
)


def fulltext_sql(parsed: ParsedQuery, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """One statement: the page and one paper more (to know whether a page follows), with the title's headline
    (the abstract's excerpt is marked in Python: papers.search._hits).

    Rows: (branch, t, a, title headline, abstract headline, category name, *paper columns), in order.
    Sorted by relevance, the page is read tier by tier (`tier_sql`); sorted otherwise, in the sort's order from
    its index. Each query is written into its clause as `to_tsquery('english', %s)`, a constant the planner
    folds, so that it knows from the columns' statistics how common the words are: for a word in many papers it
    reads the index of the order until the page is full, for a rarer one it asks the GIN index and sorts.
    """
    where, params = filter_sql(filters)
    wanted = offset + limit + 1
    everything = parsed.tsquery()
    if sort is Sort.RELEVANCE:
        branches, branch_params = tier_sql(parsed, where, params, wanted)
    else:
        order = qualified(SORT_ORDERS[sort], "papers_paper")
        branches = f"""(SELECT {PAGE_ROW}, 0 AS b, NULL::int AS t, NULL::int AS a FROM papers_paper
            WHERE papers_paper.search_vector @@ {PG_QUERY}{where} ORDER BY {order} LIMIT %s)"""
        branch_params = [everything, *params, wanted]
    sql = f"""
        WITH page AS MATERIALIZED (SELECT * FROM ({branches}) r LIMIT %s OFFSET %s)
        SELECT page.b, page.t, page.a, ts_headline('english'::regconfig, p.title, {PG_QUERY}, %s), NULL,
               cat.name, {PAPER_COLUMNS}
        FROM page JOIN papers_paper p ON p.id = page.id {CATEGORY_JOIN}
        ORDER BY {qualified(page_order(sort), "page")}
    """
    return sql, [*branch_params, limit + 1, offset, everything, PG_TITLE_OPTIONS]


def tier_sql(parsed: ParsedQuery, where: str, params: list, wanted: int) -> tuple[str, list]:
    """The matches in tier order (statements.tiers), as UNION ALL of one SELECT per tier and one for the rest.

    PostgreSQL runs the parts of a UNION ALL one after the other and stops when the page is full, so a tier after
    the page is never read. Each tier's SELECT says what its papers' titles and authors hold and do not hold, in
    conditions the small vectors' GIN indexes answer (`title_vector`, `author_vector`, migration papers/0007)
    and the planner estimates from their statistics; the rest counts each row's groups and sorts them."""
    groups = len(parsed.groups)
    explicit, rest = tier_plan(groups)
    everything, alone = parsed.tsquery(), parsed.group_tsqueries()
    t_sql = " + ".join([f"(papers_paper.title_vector @@ {PG_QUERY})::int"] * groups)
    a_sql = " + ".join(
        [f"(papers_paper.title_vector @@ {PG_QUERY} OR papers_paper.author_vector @@ {PG_QUERY})::int"] * groups
    )
    a_params = [query for group in alone for query in (group, group)]
    order = qualified(TIE_BREAK, "papers_paper")
    # A tier whose words are all in the abstract only is reached when fewer titles and names hold them than a page
    # needs, so they are rare words; but the planner cannot know how rare a word its statistics never saw, and may
    # read the most-discussed index end to end looking for a page of them (2.4 s at a million papers for a
    # misspelling). Ordered by expressions that index does not follow, the tier is read from the GIN index.
    abstract_order = qualified(TIE_BREAK, "papers_paper").replace("discussion_count", "discussion_count + 0", 1)
    match = f"papers_paper.search_vector @@ {PG_QUERY}"
    parts, values = [], []
    for b, (t, a) in enumerate(explicit):
        condition, condition_params = tier_condition(alone, t, a)
        # A paper whose title and authors hold every group holds the whole query, unless the query excludes words:
        # then the vector of the whole paper is read too (decompressed, row by row), as in the lower tiers.
        whole, whole_params = ("", []) if a == groups and not parsed.excluded else (f"{match} AND ", [everything])
        parts.append(
            f"(SELECT {PAGE_ROW}, {b} AS b, {t} AS t, {a} AS a FROM papers_paper"
            f" WHERE {whole}{condition}{where} ORDER BY {order if a else abstract_order} LIMIT %s)"
        )
        values += [*whole_params, *condition_params, *params, wanted]
    if rest:
        read = ", ".join(f"({t}, {a})" for t, a in explicit)
        parts.append(
            f"""(SELECT * FROM (
                SELECT {PAGE_ROW}, {len(explicit)} AS b, {t_sql} AS t, {a_sql} AS a
                FROM papers_paper WHERE {match}{where}
            ) rest WHERE (rest.t, rest.a) NOT IN ({read})
            ORDER BY rest.t DESC, rest.a DESC, {qualified(TIE_BREAK, "rest")} LIMIT %s)"""
        )
        values += [*alone, *a_params, everything, *params, wanted]
    return " UNION ALL ".join(parts), values


def tier_condition(alone: list[str], t: int, a: int) -> tuple[str, list[str]]:
    """The papers of tier (t, a) as conditions on the title's and the authors' vectors, which their GIN indexes
    answer and whose statistics the planner reads: for each way of choosing the t groups in the title and the
    a - t more in the authors, those groups there and the others not."""
    title, authors = "papers_paper.title_vector", "papers_paper.author_vector"
    choices, values = [], []
    for in_title, in_authors, others, neither in tier_choices(len(alone), t, a):
        parts = []
        for column, chosen, joiner, negated in (
            (title, in_title, " & ", False),
            (authors, in_authors, " & ", False),
            (title, others, " | ", True),
            (authors, neither, " | ", True),
        ):
            if chosen:
                parts.append(f"{'NOT ' if negated else ''}{column} @@ {PG_QUERY}")
                values.append(joiner.join(alone[i] for i in chosen))
        choices.append("(" + " AND ".join(parts) + ")")
    return "(" + " OR ".join(choices) + ")", values


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
