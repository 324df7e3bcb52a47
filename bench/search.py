"""Section "search": `papers.search.search_papers` against hand-written SQL, on PostgreSQL and on SQLite.

A fixed mix of 210 queries in seven classes of 30 (one common word, one mid-frequency word, one rare word, two
words, a quoted phrase, an author's surname, a misspelling), drawn deterministically from the corpus; every tenth
query also carries a filter or a non-default sort. Each query runs once to warm the caches, then is timed (median
of three runs) through
`search_papers` (first page of 25, snippets and authors included) and through the floor: the same search written
by hand as SQL through a DB-API cursor, with the same candidate cap, ranking and snippets (and, for a query that
finds nothing, the same typo fallback statement). Figures per class and overall: p50, p95, p99 in ms, and the
queries per search.

PostgreSQL runs at the run's N in this process. SQLite runs at min(N, 100,000) in a subprocess
(`python -m bench.search sqlite URL`), since Django here is bound to the PostgreSQL bench database.
Goals: PostgreSQL at 1M p50 < 30 ms, p95 < 150 ms, within 1.2x / 1.5x of the floor, <= 3 queries per
search; SQLite at 100k p50 < 30 ms within 1.3x of the floor.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time

from bench.context import ROOT, BenchContext
from bench.corpus import COMMON_WORDS, MID_WORDS, VAR_BENCH, corpus_path

SECTION = "search"
PER_CLASS = 30
PER_PAGE = 25
SQLITE_PAPERS = 100_000
SEED = 4
ROUNDS = 3
CLASSES = ("common word", "mid word", "rare word", "two words", "phrase", "author", "misspelling")


def run(ctx: BenchContext) -> None:
    ctx.ensure_loaded()
    report(ctx, "PostgreSQL", ctx.n_papers, measure())
    n_sqlite = min(ctx.n_papers, SQLITE_PAPERS)
    url = ctx.ensure_loaded_sqlite() if n_sqlite == ctx.n_papers else _sqlite_copy(ctx, n_sqlite)
    env = {**ctx.env(url), "DJANGO_SETTINGS_MODULE": "hub.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.search", "sqlite"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    report(ctx, "SQLite", n_sqlite, json.loads(done.stdout.strip().splitlines()[-1]))


def _sqlite_copy(ctx: BenchContext, n_papers: int) -> str:
    """An SQLite file of the first `n_papers` corpus (for runs whose N is above the SQLite size)."""
    path = VAR_BENCH / f"bench-search-{n_papers}.sqlite3"
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    url = f"sqlite:///{path}"
    ctx.manage("migrate", "--noinput", url=url)
    ctx.manage("import_arxiv", "--quiet", str(corpus_path(n_papers)), url=url)
    return url


def report(ctx: BenchContext, database: str, n_papers: int, measured: dict) -> None:
    where = f"{database} {n_papers:,}"
    for label in (*CLASSES, "overall"):
        for kind, name in (("function", "search_papers"), ("floor", "raw SQL floor")):
            times = measured[kind][label]
            note = f"{len(times)} queries" if kind == "function" else "same cap, ranking, snippets"
            for q in (50, 95, 99):
                ctx.add(SECTION, f"{where}: {name}, {label}", f"p{q}", percentile(times, q), "ms", note)
    function, floor = measured["function"]["overall"], measured["floor"]["overall"]
    versus = f"{where}: search_papers vs floor"
    ratio50 = percentile(function, 50) / percentile(floor, 50)
    ratio95 = percentile(function, 95) / percentile(floor, 95)
    ctx.add(SECTION, versus, "p50 ratio", ratio50, "x", "goal <= 1.2 (PostgreSQL), <= 1.3 (SQLite)")
    ctx.add(SECTION, versus, "p95 ratio", ratio95, "x", "goal <= 1.5 (PostgreSQL)")
    ctx.add(SECTION, f"{where}: queries per search", "max", max(measured["queries"]), "queries", "goal <= 3")
    ctx.add(SECTION, f"{where}: queries per search", "mean", statistics.mean(measured["queries"]), "queries")
    ctx.add(SECTION, f"{where}: searches with results", "share", measured["found"], "%", "of the mix")


def percentile(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


# ---------------------------------------------------------------------------------------------------------------------
# The query mix
# ---------------------------------------------------------------------------------------------------------------------


def query_mix() -> list[tuple[str, str, dict]]:
    """[(class, query text, options)]: options hold `filters` / `sort` for every tenth query. Deterministic for a
    given database content."""
    from django.db import connection

    from papers.search import STOP_WORDS, SearchFilters, Sort

    rng = random.Random(SEED)
    common = [w for w in COMMON_WORDS if w not in STOP_WORDS and len(w) > 3]
    mid = [w for w in MID_WORDS if "-" not in w]
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM papers_paper")
        top = cursor.fetchone()[0]
        sample = sorted(rng.sample(range(1, top + 1), min(top, 400)))
        placeholders = ", ".join(["%s"] * len(sample))
        cursor.execute(f"SELECT title, abstract, author_names FROM papers_paper WHERE id IN ({placeholders})", sample)
        rows = cursor.fetchall()
    titles = [r[0].split() for r in rows if len(r[0].split()) >= 4]
    abstracts = [r[1].split() for r in rows]
    surnames = [name.split()[-1] for r in rows for name in r[2].split(", ")[:1] if name.split()]
    # Rare words are the tail of the vocabulary that the sampled abstracts actually hold.
    known = set(common) | set(MID_WORDS) | STOP_WORDS
    rare = sorted({w for words in abstracts for w in words if w.isalpha() and w.lower() not in known and len(w) > 8})

    def phrase() -> str:
        words = rng.choice(titles)
        start = rng.randrange(len(words) - 2)
        return '"' + " ".join(w.strip(".,:;") for w in words[start : start + 2]).lower() + '"'

    def misspelt() -> str:
        word = rng.choice([w for w in mid[20:] + surnames if len(w) >= 5])
        i = rng.randrange(1, len(word) - 2)
        return (word[:i] + word[i + 1] + word[i] + word[i + 2 :]).lower()  # two letters swapped

    makers = {
        "common word": lambda: rng.choice(common),
        "mid word": lambda: rng.choice(mid),
        "rare word": lambda: rng.choice(rare),
        "two words": lambda: f"{rng.choice(mid)} {rng.choice(mid)}",
        "phrase": phrase,
        "author": lambda: rng.choice(surnames),
        "misspelling": misspelt,
    }
    options = [
        {"filters": SearchFilters(categories=("cs.LG",))},
        {"sort": Sort.NEWEST},
        {"filters": SearchFilters(year_from=2020)},
        {"sort": Sort.DISCUSSED},
    ]
    mix = []
    for index in range(PER_CLASS * len(CLASSES)):
        label = CLASSES[index % len(CLASSES)]
        mix.append((label, makers[label](), options[(index // 10) % len(options)] if index % 10 == 9 else {}))
    return mix


# ---------------------------------------------------------------------------------------------------------------------
# Measuring (runs in this process for PostgreSQL, in a subprocess for SQLite)
# ---------------------------------------------------------------------------------------------------------------------


def measure() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from papers.search import search_papers

    mix = query_mix()
    floor = floor_postgresql if connection.vendor == "postgresql" else floor_sqlite
    result: dict = {"function": {}, "floor": {}, "queries": [], "found": 0}
    for _label, query, options in mix:  # warm-up, and the query counts
        with CaptureQueriesContext(connection) as captured:
            found = search_papers(query, per_page=PER_PAGE, **options)
        result["queries"].append(len(captured))
        result["found"] += bool(found.hits)
        floor(query, options)
    result["found"] = round(100 * result["found"] / len(mix), 1)
    for kind in ("function", "floor"):
        for label in (*CLASSES, "overall"):
            result[kind][label] = []
    for label, query, options in mix:
        # Each query runs ROUNDS times, alternating with its floor, and counts with its median: on a shared
        # machine a single run measures the neighbours as much as the search.
        function_times, floor_times = [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            hits = search_papers(query, per_page=PER_PAGE, **options).hits
            "".join(h.title_html + h.abstract_html + h.paper.author_names for h in hits)
            function_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            floor(query, options)
            floor_times.append((time.perf_counter() - started) * 1000)
        for kind, times in (("function", function_times), ("floor", floor_times)):
            result[kind][label].append(statistics.median(times))
            result[kind]["overall"].append(statistics.median(times))
    return result


def _floor_options(options: dict, mark: str = "%s") -> tuple[str, list, str]:
    """Filter SQL (parameters marked `mark`), its parameters and the page order, for the few options the mix uses."""
    from papers.search import Sort

    filters = options.get("filters")
    where, params = "", []
    if filters is not None and filters.categories:
        where += (
            " AND EXISTS (SELECT 1 FROM papers_paper_categories pc WHERE pc.paper_id = p.id AND pc.category_id = ?)"
        )
        params.append(filters.categories[0])
    if filters is not None and filters.year_from:
        where += " AND p.published >= ?"
        params.append(f"{filters.year_from}-01-01")
    order = {
        Sort.NEWEST: "published DESC, arxiv_id DESC",
        Sort.DISCUSSED: "discussion_count DESC, published DESC, arxiv_id DESC",
    }
    return where.replace("?", mark), params, order.get(options.get("sort"), "score DESC, id DESC")


def _qualified(order: str, alias: str) -> str:
    return ", ".join(f"{alias}.{part}" for part in order.split(", "))


PG_FLOOR = """
    WITH cand AS MATERIALIZED (
        SELECT p.id, p.published, p.discussion_count, p.arxiv_id,
               ts_rank('{{0.1, 0.2, 0.4, 1.0}}', p.search_vector, to_tsquery('english', %(q)s))
               * (1 + 0.15 / (1 + greatest(current_date - p.published, 0) / 365.25)
                  + 0.1 * p.discussion_count / (p.discussion_count + 10.0)) AS score
        FROM papers_paper p WHERE {match}{where} {cand_order} LIMIT %(cap)s
    ),
    page AS (SELECT *, count(*) OVER () AS n FROM cand ORDER BY {order} LIMIT %(limit)s)
    SELECT page.n, page.score, p.arxiv_id, p.author_names,
           ts_headline('english', p.title, to_tsquery('english', %(q)s), 'HighlightAll=true'),
           ts_headline('english', p.abstract, to_tsquery('english', %(q)s), 'MaxWords=40, MinWords=20, MaxFragments=2')
    FROM page JOIN papers_paper p ON p.id = page.id ORDER BY {page_order}
"""
PG_FLOOR_SPELLINGS = """
    SELECT t.term, w.word FROM unnest(%s::text[]) AS t(term) CROSS JOIN LATERAL (
        SELECT word, word <-> t.term AS distance FROM papers_search_word ORDER BY word <-> t.term LIMIT %s
    ) w WHERE w.distance <= %s
"""


def floor_postgresql(query: str, options: dict) -> list:
    """By hand: to_tsquery, the capped candidates (newest first under a sort or a year filter), ts_rank with the
    same boosts, ts_headline on the page, the authors as stored text; when nothing matched, the closest spellings
    of the words from papers_search_word, and the same search again with them."""
    from django.db import connection

    from papers.search import CANDIDATE_CAP, MIN_SPELLING_SIMILARITY, SPELLINGS_PER_WORD, parse_query

    where, params, order = _floor_options(options, mark="%({})s")
    where = where.format(*(f"f{i}" for i in range(len(params))))
    named = {f"f{i}": value for i, value in enumerate(params)}
    newest_first = order != "score DESC, id DESC" or "published" in where
    cand_order = "ORDER BY " + _qualified("published DESC, arxiv_id DESC" if order.startswith("score") else order, "p")
    parsed = parse_query(query)
    groups = [[" <-> ".join(alt) for alt in group] for group in parsed.groups]

    def search(groups: list[list[str]]) -> list:
        tsquery = " & ".join("(" + " | ".join(f"({alt})" for alt in group) + ")" for group in groups)
        match = "p.search_vector @@ to_tsquery('english', %(q)s)"
        statement = PG_FLOOR.format(
            match=f"{match} AND {match}" if "<->" in tsquery else match,
            where=where,
            cand_order=cand_order if newest_first else "",
            order=order,
            page_order=_qualified(order, "page"),
        )
        cursor.execute(statement, {"q": tsquery, "cap": CANDIDATE_CAP, "limit": PER_PAGE, **named})
        return cursor.fetchall()

    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        rows = search(groups)
        terms = [t for t in parsed.terms if len(t) >= 4 and not t.isdigit()][:16]
        if rows or not terms or parsed.is_exact:
            return rows
        cursor.execute(PG_FLOOR_SPELLINGS, [terms, SPELLINGS_PER_WORD, 1 - MIN_SPELLING_SIMILARITY])
        spellings: dict[str, list[str]] = {}
        for term, word in cursor.fetchall():
            spellings.setdefault(term, []).append(word)
        spellings = {term: words for term, words in spellings.items() if term not in words}
        if not spellings:
            return rows
        return search([group + [w for alt in group for w in spellings.get(alt, [])] for group in groups])


def floor_sqlite(query: str, options: dict) -> list:
    """By hand: FTS5 MATCH with the capped candidates, bm25 with the same weights and boosts, highlight() and
    snippet() on the page; the prefix statement when nothing matched (without the re-ranking in Python and the
    page's rows)."""
    from django.db import connection

    from papers.search import CANDIDATE_CAP, FUZZY_CAP, parse_query

    where, params, order = _floor_options(options, mark="?")
    parsed = parse_query(query)
    match = parsed.fts5()
    cand_order = "" if order.startswith("score") else "ORDER BY " + _qualified(order, "p")
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    rows = cursor.execute(
        f"""
        WITH cand AS (
            SELECT papers_paper_fts.rowid AS id, bm25(papers_paper_fts, 1.0, 0.4, 0.2) AS bm, p.published,
                   p.discussion_count, p.arxiv_id
            FROM papers_paper_fts JOIN papers_paper p ON p.id = papers_paper_fts.rowid
            WHERE papers_paper_fts MATCH ?{where} {cand_order} LIMIT ?
        ),
        page AS (
            SELECT id, published, discussion_count, arxiv_id, count(*) OVER () AS n,
                   -bm * (1 + 0.15 / (1 + max(julianday('now') - julianday(published), 0) / 365.25)
                          + 0.1 * discussion_count / (discussion_count + 10.0)) AS score
            FROM cand ORDER BY {order} LIMIT ?
        )
        SELECT page.n, page.score, p.arxiv_id, p.author_names,
               highlight(papers_paper_fts, 0, '<b>', '</b>'), snippet(papers_paper_fts, 2, '<b>', '</b>', '…', 40)
        FROM page CROSS JOIN papers_paper_fts ON papers_paper_fts.rowid = page.id JOIN papers_paper p ON p.id = page.id
        WHERE papers_paper_fts MATCH ? ORDER BY {_qualified(order, "page")}
        """,
        [match, *params, CANDIDATE_CAP, PER_PAGE, match],
    ).fetchall()
    terms = [t for t in parsed.terms if len(t) >= 4][:16]
    if rows or not terms or parsed.is_exact:
        return rows
    prefixes = sorted({t[:3] for t in terms})
    return cursor.execute(
        f"""
        SELECT p.id, p.title, p.author_names, p.published, p.discussion_count
        FROM papers_paper_fts JOIN papers_paper p ON p.id = papers_paper_fts.rowid
        WHERE papers_paper_fts MATCH ?{where} ORDER BY bm25(papers_paper_fts, 1.0, 0.4, 0.2) LIMIT ?
        """,
        [
            "{title author_names} : (" + " OR ".join(f'"{p}"*' for p in prefixes) + ")",
            *params,
            FUZZY_CAP * len(prefixes),
        ],
    ).fetchall()


if __name__ == "__main__":
    # `python -m bench.search sqlite`: measure against DATABASE_URL (an SQLite file) and print the figures as JSON.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()
    print(json.dumps(measure()))
