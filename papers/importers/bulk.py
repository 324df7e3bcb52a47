"""A first load into an empty hub, as pg_restore does it: the secondary indexes dropped and built once at the end."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection

PAPER_TABLES = (
    "papers_paper",
    "papers_author",
    "papers_authorship",
    "papers_paper_categories",
    "papers_paperversion",
)


def secondary_indexes(cursor, tables: Iterable[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of each index of `tables` that no constraint (primary key, unique) owns."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [list(tables)],
    )
    return cursor.fetchall()


@contextmanager
def indexes_built_after(tables: Iterable[str]) -> Iterator[None]:
    """PostgreSQL: drop the secondary indexes of `tables` for a bulk load and build them again afterwards.

    Building a GIN index (search vector, trigrams) once over all rows is several times cheaper than keeping it
    up to date row by row. The indexes are rebuilt however the load ends, interrupted (Ctrl-C, SIGTERM) or not;
    only a killed process (SIGKILL) would leave them missing, and they are printed to stderr first for that case.
    Uniqueness is never suspended: constraint indexes stay. The tables are vacuumed and analysed at the end.
    """
    tables = list(tables)
    with connection.cursor() as cursor:
        indexes = secondary_indexes(cursor, tables)
        for name, definition in indexes:
            sys.stderr.write(f"deferring index build until the load ends: {definition};\n")
            cursor.execute(f"DROP INDEX {name}")
    previous = signal.getsignal(signal.SIGTERM) if threading.current_thread() is threading.main_thread() else None
    if previous is not None:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
            # As after pg_restore: fresh statistics (how common each search word is decides the search's plan)
            # and the visibility map (counts and other index-only scans skip the table), which autovacuum would
            # see to only some time after the load.
            for table in tables:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
