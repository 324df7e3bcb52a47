"""Section "search": `papers.search.search_papers` against the same ranking computed exhaustively by hand, on
PostgreSQL and on SQLite.

A fixed mix of 210 queries in seven classes of 30 (one common word, one mid-frequency word, one rare word, two
words, a quoted phrase, an author's surname, a misspelling), drawn deterministically from the corpus; every tenth
query also carries a filter or a non-default sort. A phrase made only of stop words is reported as its own class.
Each query runs once to warm the caches (the exhaustive reference is timed then, once), then is timed (median of
three runs) through `search_papers` (first page of 25, snippets and authors included). The reference is one
hand-written statement that computes every matching paper's tier (groups held by the title, then by the title or
authors) and sorts all of them, with no tier read in order and no limit before the sort. Per class: p50/p95/p99
of both, the first page's overlap with the reference at 10 and 25, and the median year of the first page (both),
so a truncated ranking shows. Known items: papers sampled from the corpus, searched by their three rarest title
words, and again with one of them misspelt; the share found first. The peer: tantivy over the same snapshot.

PostgreSQL runs at the run's N in this process. SQLite runs at min(N, 100,000) in a subprocess
(`python -m bench.search sqlite`), since Django here is bound to the PostgreSQL bench database.
Goals (issue 11): overlap@10 >= 0.95 in every class; PostgreSQL at 1M p50 < 15 ms, p95 < 40 ms, p99 < 100 ms;
SQLite at 100k p95 < 40 ms; at most 3 queries per search; known items >= 37/38 (three words), >= 36/38 (typo).
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
KNOWN_ITEMS = 38


def run(ctx: BenchContext) -> None:
    ctx.ensure_loaded()
    measured = measure()
    report(ctx, "PostgreSQL", ctx.n_papers, measured)
    report_peer(ctx, measured)
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
    for label in [*measured["function"]]:
        for kind, name in (("function", "search_papers"), ("reference", "exhaustive by hand")):
            times = measured[kind][label]
            note = f"{len(times)} queries" if kind == "function" else "every match's tier computed, all sorted"
            for q in (50, 95, 99):
                ctx.add(SECTION, f"{where}: {name}, {label}", f"p{q}", percentile(times, q), "ms", note)
        if label == "overall":
            continue
        for k in (10, 25):
            overlaps = measured["overlap"]  # keys are strings when the figures came back as JSON (SQLite)
            overlap = statistics.mean(overlaps[k if k in overlaps else str(k)][label])
            ctx.add(SECTION, f"{where}: overlap@{k} with exhaustive, {label}", "mean", overlap, "", "goal >= 0.95")
        for kind in ("function", "reference"):
            years = [y for y in measured["years"][kind][label] if y]
            ctx.add(SECTION, f"{where}: first page median year ({kind}), {label}", "median",
                    statistics.median(years) if years else 0, "year")  # fmt: skip
    ctx.add(SECTION, f"{where}: queries per search", "max", max(measured["queries"]), "queries", "goal <= 3")
    ctx.add(SECTION, f"{where}: queries per search", "mean", statistics.mean(measured["queries"]), "queries")
    ctx.add(SECTION, f"{where}: searches with results", "share", measured["found"], "%", "of the mix")
    for kind, goal in (("three title words", 37), ("one word misspelt", 36)):
        first, total = measured["known"][kind]
        ctx.add(SECTION, f"{where}: known item first, {kind}", "count", first, f"of {total}", f"goal >= {goal}")


def report_peer(ctx: BenchContext, measured: dict) -> None:
    """tantivy over the same corpus and mix, in this run, beside the hub's PostgreSQL figures."""
    from bench import tantivy_peer

    peer = tantivy_peer.measure(ctx.corpus_path, VAR_BENCH / "tantivy-index", query_mix(), ROUNDS)
    where = f"tantivy {ctx.n_papers:,}"
    ctx.add(SECTION, f"{where}: index build", "time", peer["build"], "s", "2 threads, from the snapshot file")
    for label, times in [*peer["times"].items(), ("overall", peer["overall"])]:
        for q in (50, 95, 99):
            ctx.add(SECTION, f"{where}: search, {label}", f"p{q}", percentile(times, q), "ms", "BM25, snippets")
    ratio = percentile(measured["function"]["overall"], 50) / percentile(peer["overall"], 50)
    ctx.add(SECTION, f"PostgreSQL {ctx.n_papers:,}: search_papers vs tantivy", "p50 ratio", ratio, "x", "goal <= 3")


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
        query = makers[label]()
        if label == "phrase" and all(w in STOP_WORDS for w in query.strip('"').split()):
            label = "stop-word phrase"  # finds nothing on purpose: kept apart from the phrases that can match
        mix.append((label, query, options[(index // 10) % len(options)] if index % 10 == 9 else {}))
    return mix


# ---------------------------------------------------------------------------------------------------------------------
# Measuring (runs in this process for PostgreSQL, in a subprocess for SQLite)
# ---------------------------------------------------------------------------------------------------------------------


def measure() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from papers.search import parse_query, search_papers

    mix = query_mix()
    labels = list(dict.fromkeys(label for label, _, _ in mix))
    result: dict = {"function": {}, "reference": {}, "queries": [], "found": 0}
    result["overlap"] = {k: {label: [] for label in labels} for k in (10, 25)}
    result["years"] = {kind: {label: [] for label in labels} for kind in ("function", "reference")}
    for kind in ("function", "reference"):
        result[kind] = {label: [] for label in [*labels, "overall"]}
    for label, query, options in mix:  # warm-up, the query counts and the overlaps
        with CaptureQueriesContext(connection) as captured:
            found = search_papers(query, per_page=PER_PAGE, **options)
        result["queries"].append(len(captured))
        result["found"] += bool(found.hits)
        got = [hit.paper.arxiv_id for hit in found.hits]
        started = time.perf_counter()
        # A misspelling is searched with each unknown word read as any of its closest spellings: rank that query.
        searched = parse_query(query).with_spellings(found.spellings).text() if found.fuzzy else query
        expected = exhaustive(searched, options)
        reference_ms = (time.perf_counter() - started) * 1000
        result["reference"][label].append(reference_ms)  # timed once: at 1M it reads every match, seconds each
        result["reference"]["overall"].append(reference_ms)
        for k in (10, 25):
            wanted = {arxiv_id for arxiv_id, _ in expected[:k]}
            result["overlap"][k][label].append(len(wanted & set(got[:k])) / len(wanted) if wanted else float(not got))
        result["years"]["function"][label].append(_median_year([hit.paper.published.year for hit in found.hits]))
        result["years"]["reference"][label].append(_median_year([year for _, year in expected]))
    result["found"] = round(100 * result["found"] / len(mix), 1)
    for label, query, options in mix:
        # Each query runs ROUNDS times and counts with its median: on a shared machine a single run measures the
        # neighbours as much as the search.
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            found = search_papers(query, per_page=PER_PAGE, **options)
            "".join(h.title_html + h.abstract_html + h.paper.author_names for h in found.hits)
            times.append((time.perf_counter() - started) * 1000)
        result["function"][label].append(statistics.median(times))
        result["function"]["overall"].append(statistics.median(times))
    result["known"] = known_items()
    return result


def _median_year(years: list[int]) -> float:
    return statistics.median(years) if years else 0


def exhaustive(query: str, options: dict) -> list[tuple[str, int]]:
    """By hand, through a DB-API cursor: every paper matching `query` with its tier computed (groups in the title,
    then in the title or the authors; PostgreSQL from the title and author vectors, SQLite from FTS5 column
    filters), all of them sorted (tier, most discussed, newest) or by the option's sort; the first page as
    [(arxiv id, year)]. No tier is read in order and nothing is cut before the sort."""
    from django.db import connection

    from papers.search import parse_query

    parsed = parse_query(query)
    if not parsed.groups:
        return []
    where, params, order = _floor_options(options)
    postgres = connection.vendor == "postgresql"
    if postgres:
        held_title = "(p.title_vector @@ to_tsquery('english', %s))::int"
        held_either = (
            "(p.title_vector @@ to_tsquery('english', %s) OR p.author_vector @@ to_tsquery('english', %s))::int"
        )
        match, match_param = "p.search_vector @@ to_tsquery('english', %s)", parsed.tsquery()
        alone = parsed.group_tsqueries()
        either_params = [g for g in alone for g in (g, g)]
        source = "papers_paper p"
    else:
        held_title = "(p.id IN (SELECT rowid FROM papers_paper_fts WHERE papers_paper_fts MATCH %s))"
        held_either = held_title
        match, match_param = "papers_paper_fts MATCH %s", parsed.fts5()
        alone = [f"{{title}} : ({g})" for g in parsed.fts5_groups()]
        either_params = [f"{{title author_names}} : ({g})" for g in parsed.fts5_groups()]
        source = "papers_paper_fts JOIN papers_paper p ON p.id = papers_paper_fts.rowid"
    t_sql = " + ".join([held_title] * len(alone))
    a_sql = " + ".join([held_either] * len(alone))
    if order == "score DESC, id DESC":
        order = "t DESC, a DESC, discussion_count DESC, published DESC, arxiv_id DESC"
    sql = f"""
        SELECT arxiv_id, published FROM (
            SELECT p.arxiv_id, p.published, p.discussion_count, {t_sql} AS t, {a_sql} AS a
            FROM {source} WHERE {match}{where}
        ) every_match ORDER BY {order} LIMIT {PER_PAGE}
    """
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    cursor.execute(sql.replace("%s", "%s" if postgres else "?"), [*alone, *either_params, match_param, *params])
    return [(arxiv_id, int(str(published)[:4])) for arxiv_id, published in cursor.fetchall()]


def known_items() -> dict:
    """KNOWN_ITEMS papers sampled from the corpus, each searched by the three title words that the fewest titles
    hold (as a reader remembers a paper's distinctive words), and again with the longest of them misspelt (two
    letters swapped). {kind: (found first, queries)}."""
    from django.db import connection

    from papers.models import Paper
    from papers.search import STOP_WORDS, search_papers

    rng = random.Random(SEED + 1)
    top = Paper.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = Paper.objects.filter(id__in=rng.sample(range(1, top + 1), min(top, KNOWN_ITEMS * 3)))
    papers = [p for p in sample.values_list("arxiv_id", "title") if len(p[1].split()) >= 5][:KNOWN_ITEMS]
    found = {"three title words": 0, "one word misspelt": 0}
    for arxiv_id, title in papers:
        words = {w.strip(".,:;").lower() for w in title.split()} - STOP_WORDS
        words = {w for w in words if w.isalpha() and len(w) > 2}
        rarity = {}
        for word in words:
            if connection.vendor == "postgresql":
                rarity[word] = Paper.objects.extra(
                    where=["title_vector @@ plainto_tsquery('english', %s)"], params=[word]
                ).count()
            else:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM papers_paper_fts WHERE papers_paper_fts MATCH %s",
                        [f'{{title}} : "{word}"'],
                    )
                    rarity[word] = cursor.fetchone()[0]
        chosen = sorted(words, key=lambda w: (rarity[w], w))[:3]
        longest = max(chosen, key=len)
        i = len(longest) // 2
        misspelt = longest[:i] + longest[i + 1] + longest[i] + longest[i + 2 :]
        for kind, query in (
            ("three title words", " ".join(chosen)),
            ("one word misspelt", " ".join(misspelt if w == longest else w for w in chosen)),
        ):
            hits = search_papers(query, per_page=1).hits
            found[kind] += bool(hits) and hits[0].paper.arxiv_id == arxiv_id
    return {kind: (count, len(papers)) for kind, count in found.items()}


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


if __name__ == "__main__":
    # `python -m bench.search sqlite`: measure against DATABASE_URL (an SQLite file) and print the figures as JSON.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()
    print(json.dumps(measure()))
