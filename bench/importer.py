"""Section "import": `import_arxiv` on PostgreSQL against its ceiling, PostgreSQL's own COPY.

Figures, for the N-paper synthetic snapshot:
- first load: `manage.py import_arxiv` of the snapshot into the empty, migrated bench database (time, papers/s,
  peak RSS of the import process);
- unchanged re-import: the same command again over the loaded hub (time, peak RSS, speed-up over the first load;
  goal at least 5x);
- ceiling: COPY of the very same rows (papers, authors, authorships, categories and their links, versions) into
  another empty, migrated database with the same schema, indexes and stored search columns; once with the indexes
  in place (before the imports) and once building the secondary indexes after the data, as pg_restore does (after
  them). The faster of the two is the ceiling; the importer's speed as a share of it is the "speed share"
  figure (goal at least 0.5).

The rows for COPY are prepared from the corpus before the clock starts, with the importer's own row builder, so
the ceiling measures PostgreSQL alone. The load leaves the bench database holding the corpus for later sections.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.context import ROOT, BenchContext, database_url

SECTION = "import"
CEILING_DB = "paperhub_bench_ceiling"
TABLES = (
    "papers_category",
    "papers_author",
    "papers_paper",
    "papers_authorship",
    "papers_paper_categories",
    "papers_paperversion",
)


def run(ctx: BenchContext) -> None:
    corpus = str(ctx.corpus_path)
    n = ctx.n_papers
    files = ceiling_files(ctx)
    # The two ceilings bracket the imports, so that a shared machine's load drifting during the run weighs on
    # both sides alike.
    with_indexes = copy_ceiling(ctx, files, defer_indexes=False)
    ctx.add(SECTION, "COPY ceiling, indexes in place", "time", with_indexes, "s")

    seconds, cpu, rss_mb, summary = timed_import(ctx, corpus)
    ctx.mark_loaded()
    ctx.add(SECTION, "import_arxiv, first load", "time", seconds, "s", summary)
    ctx.add(SECTION, "import_arxiv, first load", "CPU", cpu, "s", "user+system of the import process")
    ctx.add(SECTION, "import_arxiv, first load", "rate", n / seconds, "papers/s")
    ctx.add(SECTION, "import_arxiv, first load", "peak RSS", rss_mb, "MB", "goal: flat in N (1M within 1.2x of 100k)")

    again, again_cpu, again_rss, again_summary = timed_import(ctx, corpus)
    ctx.add(SECTION, "import_arxiv, unchanged re-import", "time", again, "s", again_summary)
    ctx.add(SECTION, "import_arxiv, unchanged re-import", "CPU", again_cpu, "s")
    ctx.add(SECTION, "import_arxiv, unchanged re-import", "peak RSS", again_rss, "MB")
    ctx.add(SECTION, "re-import vs first load", "speed-up", seconds / again, "x", "goal >= 5")

    deferred = copy_ceiling(ctx, files, defer_indexes=True)
    ctx.add(SECTION, "COPY ceiling, indexes built after", "time", deferred, "s")
    ceiling = min(with_indexes, deferred)
    ctx.add(SECTION, "COPY ceiling", "rate", n / ceiling, "papers/s", "the faster of the two")
    ctx.add(SECTION, "import_arxiv vs COPY ceiling", "speed share", ceiling / seconds, "x", "goal >= 0.5")


def timed_import(ctx: BenchContext, corpus: str) -> tuple[float, float, float, str]:
    """Run import_arxiv in its own process: (wall seconds, CPU seconds, peak RSS in MB, its summary line)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "import_arxiv", "--quiet", corpus],
            env=ctx.env(),
            cwd=ROOT,
            stdout=out,
            stderr=err,
        )
        # wait4 gives the resource usage of this one child (ru_maxrss is in KiB on Linux).
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        summary = out.read().strip().splitlines()[-1:] or [""]
        if process.returncode != 0:
            raise RuntimeError(f"import_arxiv failed ({process.returncode}):\n{err.read()[-4000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, summary[0]


def ceiling_files(ctx: BenchContext) -> dict[str, tuple[Path, list[str]]]:
    """COPY text files of every table, built from the corpus by the importer's own row code (cached)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    from django.utils import timezone

    from papers import arxiv
    from papers.importers import PreparedRecord, ordered_authors, paper_copy_columns, paper_copy_row
    from papers.importers.upserts import VERSION_COPY_COLUMNS, version_copy_rows

    columns = paper_copy_columns()
    tag = hashlib.sha1(" ".join(columns).encode()).hexdigest()[:8]
    folder = ctx.corpus_path.parent / f"{ctx.corpus_path.stem}-csv-{tag}"
    names = {
        "papers_category": ["code", "name"],
        "papers_author": ["id", "key", "name"],
        "papers_paper": columns,
        "papers_authorship": ["paper_id", "author_id", "position"],
        "papers_paper_categories": ["paper_id", "category_id"],
        "papers_paperversion": VERSION_COPY_COLUMNS,
    }
    files = {table: (folder / f"{table}.tsv", cols) for table, cols in names.items()}
    if all(path.exists() for path, _ in files.values()):
        return files
    print("bench: preparing the COPY files of the ceiling (not timed)")
    folder.mkdir(parents=True, exist_ok=True)
    author_ids: dict[str, int] = {}
    categories: set[str] = set()
    now = timezone.now()

    with (
        open(files["papers_author"][0], "w", encoding="utf-8", newline="") as authors_file,
        open(files["papers_paper"][0], "w", encoding="utf-8", newline="") as papers_file,
        open(files["papers_authorship"][0], "w", encoding="utf-8", newline="") as authorships_file,
        open(files["papers_paper_categories"][0], "w", encoding="utf-8", newline="") as links_file,
        open(files["papers_paperversion"][0], "w", encoding="utf-8", newline="") as versions_file,
        open(ctx.corpus_path, "rb") as corpus,
    ):
        authors, papers, authorships, links, versions = (
            csv.writer(f, lineterminator="\n")
            for f in (authors_file, papers_file, authorships_file, links_file, versions_file)
        )
        for paper_id, record in enumerate(arxiv.parse_snapshot_lines(corpus), start=1):
            item = PreparedRecord(record, ordered_authors(record))
            papers.writerow(paper_copy_row(paper_id, item, now))
            for position, (key, name) in enumerate(item.authors):
                author_id = author_ids.get(key)
                if author_id is None:
                    author_id = author_ids[key] = len(author_ids) + 1
                    authors.writerow((author_id, key, name))
                authorships.writerow((paper_id, author_id, position))
            for code in dict.fromkeys(record.categories):
                categories.add(code)
                links.writerow((paper_id, code))
            versions.writerows(version_copy_rows(paper_id, record))
    with open(files["papers_category"][0], "w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows((code, "") for code in sorted(categories))
    return files


def copy_ceiling(ctx: BenchContext, files: dict[str, tuple[Path, list[str]]], *, defer_indexes: bool) -> float:
    """Seconds to COPY every file into a fresh migrated database, in one transaction, as PostgreSQL loads fastest."""
    import psycopg2

    from papers.importers import copy_statement, paper_not_null_columns, secondary_indexes

    # Every column but the paper's nullable ones holds text where an empty field means "", not NULL.
    not_null = {"code", "name", "key", "size", *paper_not_null_columns()}

    ctx.create_database(CEILING_DB)
    connection = psycopg2.connect(database_url(ctx.server_url, CEILING_DB).replace("pgsql://", "postgres://", 1))
    try:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            indexes = secondary_indexes(cursor, TABLES) if defer_indexes else []
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            for table in TABLES:
                path, columns = files[table]
                with open(path, encoding="utf-8", newline="") as data:
                    cursor.copy_expert(copy_statement(table, columns, not_null), data)
            # Deferred foreign-key checks must run before an index can be built in the same transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, definition in indexes:
                cursor.execute(definition)
            connection.commit()
            elapsed = time.perf_counter() - started
            cursor.execute("SELECT count(*) FROM papers_paper")
            assert cursor.fetchone()[0] == ctx.n_papers
    finally:
        connection.close()
        ctx.drop_database(CEILING_DB)
    return elapsed
