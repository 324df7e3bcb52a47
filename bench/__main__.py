"""Run the hub's benchmarks: `python -m bench [SECTION ...]` (see bench/README.md; `make bench` wraps it).

Needs DATABASE_URL naming a PostgreSQL server (bin/with-postgres provides a throwaway one). Runs the chosen
sections (default: all present) in the order import, search, pages, api, each a module bench/<section>.py
with `run(ctx)`, then prints one table of every figure and writes it to var/bench/results.json.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import time

# Section name -> module; "import" is a Python keyword, so its module is bench/importer.py.
SECTIONS = {"import": "bench.importer", "search": "bench.search", "pages": "bench.pages", "api": "bench.api"}
DEFAULT_PAPERS = 100_000


def main(argv: list[str]) -> int:
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        print("bench: DATABASE_URL must name a PostgreSQL server; run it through bin/with-postgres "
              "(make bench does).", file=sys.stderr)  # fmt: skip
        return 2
    unknown = [name for name in argv if name not in SECTIONS]
    if unknown:
        print(f"bench: unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    try:
        n_papers = int(os.environ.get("BENCH_PAPERS", DEFAULT_PAPERS))
    except ValueError:
        print(f"bench: BENCH_PAPERS={os.environ['BENCH_PAPERS']!r} is not a number of papers", file=sys.stderr)
        return 2
    chosen = [name for name in SECTIONS if name in argv] if argv else list(SECTIONS)
    present = [name for name in chosen if importlib.util.find_spec(SECTIONS[name]) is not None]
    for name in chosen:
        if name not in present:
            print(f"bench: section {name!r} has no module {SECTIONS[name]} yet; skipped")

    from bench.context import BENCH_DB, BenchContext

    ctx = BenchContext(n_papers=n_papers, server_url=server_url)
    started = time.perf_counter()
    print(f"bench: corpus of {n_papers} papers at {ctx.corpus_path}")
    print(f"bench: corpus ready after {time.perf_counter() - started:.1f} s")
    ctx.create_database(BENCH_DB)
    # Django in this process talks to the bench database, for sections that query it directly.
    os.environ.update({k: v for k, v in ctx.env().items() if k in ("DATABASE_URL", "SECRET_KEY", "DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()

    for name in present:
        print(f"bench: == section {name} ==")
        importlib.import_module(SECTIONS[name]).run(ctx)

    from bench.corpus import VAR_BENCH

    VAR_BENCH.mkdir(parents=True, exist_ok=True)
    (VAR_BENCH / "results.json").write_text(json.dumps(ctx.results(), indent=2) + "\n", encoding="utf-8")
    print()
    print(f"Paper Hub benchmarks: {n_papers:,} papers, {time.perf_counter() - started:.0f} s in all")
    print(ctx.table())
    print(f"(also in {VAR_BENCH / 'results.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
