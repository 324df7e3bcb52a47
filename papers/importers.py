"""Batched upserts of parsed arXiv records into papers, authors and categories."""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime
import gzip
import io
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, cast

import orjson
from django.db import connection, models, transaction
from django.utils import timezone

from papers import arxiv
from papers.arxiv import BadRecord, PaperRecord
from papers.models import Author, Authorship, Category, Paper

DEFAULT_BATCH_SIZE = 2000

# The fields a record sets on a paper; comparing them tells "unchanged" from "updated".
RECORD_FIELDS = (
    "version",
    "title",
    "abstract",
    "published",
    "updated",
    "doi",
    "journal_ref",
    "arxiv_comments",
    "author_names",
)


@dataclass
class ImportReport:
    """Counts of one import, and its problems as "file:line: message" strings."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    filtered: int = 0
    errors: list[str] = field(default_factory=list)

    def add_error(self, source: str, line: int, message: str) -> None:
        self.skipped += 1
        self.errors.append(f"{source}:{line}: {message}" if line else f"{source}: {message}")

    def merge(self, other: ImportReport) -> None:
        for name in ("read", "created", "updated", "unchanged", "skipped", "filtered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def summary(self) -> str:
        text = (
            f"read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped as bad {self.skipped}"
        )
        return text + (f", filtered out {self.filtered}" if self.filtered else "")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _is_newer(record: PaperRecord, current: dict) -> bool | None:
    """True if the record is newer than the stored paper, False if older, None if the same version."""
    if record.version is not None and record.version != current["version"]:
        return record.version > current["version"]
    if record.updated != current["updated"]:
        return record.updated > current["updated"]
    return None


def _values(record: PaperRecord, authors: list[tuple[str, str]], current_version: int | None = None) -> dict:
    version = record.version if record.version is not None else (current_version or 1)
    return {
        "version": version,
        "title": record.title,
        "abstract": record.abstract,
        "published": record.published,
        "updated": record.updated,
        "doi": record.doi,
        "journal_ref": record.journal_ref,
        "arxiv_comments": record.comments,
        "author_names": ", ".join(name for _, name in authors),
    }


def ordered_authors(record: PaperRecord) -> list[tuple[str, str]]:
    """(key, name) of each author in paper order; the same person listed twice keeps their first position."""
    seen: dict[str, str] = {}
    for name in record.authors:
        key = arxiv.author_key(name)
        if key and key not in seen:
            seen[key] = name
    return list(seen.items())


def _ensure_categories(codes: set[str], known: set[str]) -> None:
    new = codes - known
    if new:
        Category.objects.bulk_create([Category(code=code) for code in sorted(new)], ignore_conflicts=True)
        known.update(new)


def _author_ids(by_key: dict[str, str]) -> dict[str, int]:
    """Author ids by key, creating the authors that are new (one spelling, one row)."""
    if connection.vendor == "postgresql":
        return _author_ids_postgresql(by_key)
    known: dict[str, int] = {}
    keys = list(by_key)
    for start in range(0, len(keys), 500):  # SQLite limits the number of query parameters
        chunk = keys[start : start + 500]
        known.update(Author.objects.filter(key__in=chunk).values_list("key", "id"))
    missing = [Author(key=key, name=name) for key, name in by_key.items() if key not in known]
    if missing:
        Author.objects.bulk_create(missing, ignore_conflicts=True, batch_size=500)
        for start in range(0, len(missing), 500):
            chunk = [a.key for a in missing[start : start + 500]]
            known.update(Author.objects.filter(key__in=chunk).values_list("key", "id"))
    return known


def _author_ids_postgresql(by_key: dict[str, str]) -> dict[str, int]:
    table = Author._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, id FROM {table} WHERE key = ANY(%s)", [list(by_key)])
        known = dict(cursor.fetchall())
        missing = [(key, name) for key, name in by_key.items() if key not in known]
        if missing:
            # Two imports at once may both create an author: the loser of the race reads the winner's row.
            cursor.execute(
                f"INSERT INTO {table} (key, name) SELECT * FROM unnest(%s::text[], %s::text[]) "
                "ON CONFLICT (key) DO NOTHING RETURNING key, id",
                [[key for key, _ in missing], [name for _, name in missing]],
            )
            known.update(cursor.fetchall())
            if len(known) < len(by_key):
                cursor.execute(
                    f"SELECT key, id FROM {table} WHERE key = ANY(%s)", [[k for k in by_key if k not in known]]
                )
                known.update(cursor.fetchall())
    return known


@dataclass(frozen=True)
class PreparedRecord:
    """A record with its authors keyed once (author_key is the costly part of preparing a paper)."""

    record: PaperRecord
    authors: list[tuple[str, str]]
    # The paper's row for COPY as a CSV line without its id, when made ahead (by the snapshot parser thread).
    copy_line: str = ""


def _relation_rows(papers: list[tuple[int, PreparedRecord]], author_ids: dict[str, int]):
    authorships = [
        (paper_id, author_ids[key], position)
        for paper_id, item in papers
        for position, (key, _name) in enumerate(item.authors)
    ]
    links = list({(paper_id, code) for paper_id, item in papers for code in item.record.categories})
    return authorships, links


def _write_relations(papers: list[tuple[int, PreparedRecord]], author_ids: dict[str, int]) -> None:
    authorships, links = _relation_rows(papers, author_ids)
    category_through = Paper.categories.through
    Authorship.objects.bulk_create(
        [Authorship(paper_id=p, author_id=a, position=pos) for p, a, pos in authorships], batch_size=1000
    )
    category_through.objects.bulk_create(
        [category_through(paper_id=p, category_id=c) for p, c in links], ignore_conflicts=True, batch_size=1000
    )


# --- PostgreSQL: new papers go in through COPY, the way pg_restore loads a table ---


def copy_rows(cursor, table: str, columns: list[str], rows: Iterable[tuple], *, not_null: Iterable[str] = ()) -> None:
    """COPY rows into table(columns) in one round trip, as CSV written by the csv module (escaping done in C).

    In CSV an unquoted empty field is NULL; `not_null` names the columns where it must be an empty string.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(copy_statement(table, columns, not_null), buffer)


def copy_statement(table: str, columns: list[str], not_null: Iterable[str] = ()) -> str:
    force = [column for column in not_null if column in columns]
    options = f", FORCE_NOT_NULL ({', '.join(force)})" if force else ""
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv{options})"


def paper_copy_columns() -> list[str]:
    """The stored columns of papers_paper that an import writes: every concrete field but computed ones."""
    return [
        f.column for f in Paper._meta.concrete_fields if not isinstance(f, models.GeneratedField) and not f.many_to_many
    ]


def paper_not_null_columns() -> list[str]:
    nullable = {f.column for f in Paper._meta.concrete_fields if f.null}
    return [column for column in paper_copy_columns() if column not in nullable]


def paper_copy_row(paper_id: int, item: PreparedRecord, now: datetime.datetime) -> tuple:
    values = {
        "id": paper_id,
        "arxiv_id": item.record.arxiv_id,
        "primary_category_id": item.record.categories[0] if item.record.categories else None,
        **_values(item.record, item.authors),
    }
    row = []
    for f in Paper._meta.concrete_fields:
        if isinstance(f, models.GeneratedField) or f.many_to_many:
            continue
        if f.attname in values:
            row.append(values[f.attname])
        elif f.attname in ("created_at", "modified_at"):
            row.append(now)
        else:
            default = f.get_default()
            row.append("" if default is None and not f.null else default)
    return tuple(row)


def _create_postgresql(items: list[PreparedRecord], author_ids: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Paper._meta.db_table, len(items)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = paper_copy_columns()
        if all(item.copy_line for item in items):
            # The rows were written ahead, in the parser thread; only the ids go in here.
            data = io.StringIO(
                "".join(f"{paper_id},{item.copy_line}" for paper_id, item in zip(ids, items, strict=True))
            )
            cursor.copy_expert(copy_statement(Paper._meta.db_table, columns, paper_not_null_columns()), data)
        else:
            now = timezone.now()
            copy_rows(
                cursor,
                Paper._meta.db_table,
                columns,
                (paper_copy_row(paper_id, item, now) for paper_id, item in zip(ids, items, strict=True)),
                not_null=paper_not_null_columns(),
            )
        authorships, links = _relation_rows(list(zip(ids, items, strict=True)), author_ids)
        copy_rows(cursor, Authorship._meta.db_table, ["paper_id", "author_id", "position"], authorships)
        copy_rows(cursor, Paper.categories.through._meta.db_table, ["paper_id", "category_id"], links)


def copy_lines(items: list[PreparedRecord]) -> list[PreparedRecord]:
    """The items with their paper rows written ahead as CSV lines (all columns but the id, which comes first)."""
    assert paper_copy_columns()[0] == "id"
    now = timezone.now()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lined = []
    for item in items:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(paper_copy_row(0, item, now)[1:])
        lined.append(dataclasses.replace(item, copy_line=buffer.getvalue()))
    return lined


def _create_orm(items: list[PreparedRecord], author_ids: dict[str, int]) -> None:
    created = Paper.objects.bulk_create(
        [
            Paper(
                arxiv_id=item.record.arxiv_id,
                primary_category_id=item.record.categories[0] if item.record.categories else None,
                **_values(item.record, item.authors),
            )
            for item in items
        ],
        batch_size=500,
    )
    if created and created[0].pk is None:  # backends that do not return ids from a bulk insert
        wanted = [item.record.arxiv_id for item in items]
        ids = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            ids.update(Paper.objects.filter(arxiv_id__in=chunk).values_list("arxiv_id", "id"))
    else:
        ids = {paper.arxiv_id: paper.pk for paper in created}
    _write_relations([(ids[item.record.arxiv_id], item) for item in items], author_ids)


def _current_rows(arxiv_ids: list[str]) -> dict[str, dict]:
    current = {}
    for start in range(0, len(arxiv_ids), 500):
        chunk = arxiv_ids[start : start + 500]
        for row in Paper.objects.filter(arxiv_id__in=chunk).values("id", "arxiv_id", "is_stub", *RECORD_FIELDS):
            current[row["arxiv_id"]] = row
    return current


def _is_unchanged(item: PreparedRecord, row: dict) -> bool:
    """The one rule for "nothing to write": a full paper (not a stub) that the record does not make newer, and
    either older than it or holding the same values already."""
    if row["is_stub"]:
        return False
    newer = _is_newer(item.record, row)
    if newer is not None:
        return not newer
    return all(row[name] == value for name, value in _values(item.record, item.authors, row["version"]).items())


def _latest_of_batch(items: list[PreparedRecord], report: ImportReport) -> dict[str, PreparedRecord]:
    """The newest record of each id, when a batch holds the same paper twice; the others count as unchanged."""
    latest: dict[str, PreparedRecord] = {}
    for item in items:
        record = item.record
        seen = latest.get(record.arxiv_id)
        if seen is None or (record.version or 0, record.updated) > (seen.record.version or 0, seen.record.updated):
            if seen is not None:
                report.unchanged += 1
            latest[record.arxiv_id] = item
        else:
            report.unchanged += 1
    return latest


def _update_papers(to_update: list[tuple[int, PreparedRecord]], current: dict[str, dict], author_ids) -> None:
    update_ids = [paper_id for paper_id, _ in to_update]
    Authorship.objects.filter(paper_id__in=update_ids).delete()
    Paper.categories.through.objects.filter(paper_id__in=update_ids).delete()
    Paper.objects.bulk_update(
        [
            Paper(
                pk=paper_id,
                is_stub=False,
                primary_category_id=item.record.categories[0] if item.record.categories else None,
                **_values(item.record, item.authors, current[item.record.arxiv_id]["version"]),
                modified_at=timezone.now(),
            )
            for paper_id, item in to_update
        ],
        fields=[*RECORD_FIELDS, "is_stub", "primary_category", "modified_at"],
        batch_size=500,
    )
    _write_relations(to_update, author_ids)


def _upsert_batch(items: list[PreparedRecord], report: ImportReport, known_categories: set[str]) -> None:
    latest = _latest_of_batch(items, report)
    current = _current_rows(list(latest))
    to_create: list[PreparedRecord] = []
    to_update: list[tuple[int, PreparedRecord]] = []
    for arxiv_id, item in latest.items():
        row = current.get(arxiv_id)
        if row is None:
            to_create.append(item)
        elif _is_unchanged(item, row):
            report.unchanged += 1
        else:
            to_update.append((row["id"], item))
    if not to_create and not to_update:
        return
    with transaction.atomic():
        _ensure_categories({code for i in latest.values() for code in i.record.categories}, known_categories)
        by_key = {key: name for item in to_create for key, name in item.authors}
        by_key.update((key, name) for _, item in to_update for key, name in item.authors)
        author_ids = _author_ids(by_key)
        if to_create:
            if connection.vendor == "postgresql":
                _create_postgresql(to_create, author_ids)
            else:
                _create_orm(to_create, author_ids)
        if to_update:
            _update_papers(to_update, current, author_ids)
    report.created += len(to_create)
    report.updated += len(to_update)


def upsert_papers(
    items: Iterable[PaperRecord | PreparedRecord | BadRecord],
    *,
    source: str = "<input>",
    batch_size: int = DEFAULT_BATCH_SIZE,
    report: ImportReport | None = None,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Create or update papers from parsed records, `batch_size` at a time, each batch one transaction.

    A newer version (or, without versions, a later update date) updates a paper; an older one changes
    nothing; a stub is always filled. Bad records are counted and reported as "source:line: message".
    Memory stays flat in the size of the input: only one batch is held at a time, and nothing is cached
    across batches but the (small) set of category codes. `on_batch` is called after each batch (progress).
    """
    report = report or ImportReport()
    known_categories = set(Category.objects.values_list("code", flat=True))

    def good_records() -> Iterator[PreparedRecord]:
        for item in items:
            report.read += 1
            if isinstance(item, BadRecord):
                report.add_error(source, item.line, item.message)
                continue
            yield item if isinstance(item, PreparedRecord) else PreparedRecord(item, ordered_authors(item))

    for batch in _batches(good_records(), batch_size):
        _upsert_batch(batch, report, known_categories)
        if on_batch is not None:
            on_batch(report)
    return report


# --- reading files: any of the three formats, plain or gzip-compressed, streamed ---

GZIP_MAGIC = b"\x1f\x8b"


def open_metadata(path: str | os.PathLike) -> tuple[str, IO[bytes]]:
    """Open an arXiv metadata file and name its format (snapshot, atom or oai); gzip is undone transparently.

    The returned binary stream is positioned at the start; the caller closes it.
    """
    with open(path, "rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    # The caller closes the stream. A GzipFile is a binary stream, which typeshed does not call IO[bytes].
    stream = cast(IO[bytes], gzip.GzipFile(path, "rb")) if compressed else open(path, "rb")  # noqa: SIM115
    try:
        head = stream.read(4096)
        stream.seek(0)
        return arxiv.detect_format(head), stream
    except Exception:
        stream.close()
        raise


def import_file(
    path: str | os.PathLike,
    *,
    record_filter: RecordFilter | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    report: ImportReport | None = None,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import one metadata file of any format; errors are reported as "PATH:LINE: message".

    A snapshot line whose paper the hub already holds unchanged is recognised from its raw JSON and never
    parsed in full, which is what makes re-running an import over a whole snapshot cheap.
    """
    report = report or ImportReport()
    record_filter = record_filter or RecordFilter()
    source = os.fspath(path)
    kind, stream = open_metadata(path)
    with stream:
        if kind == "snapshot":
            return _import_snapshot(stream, source, record_filter, batch_size, report, on_batch)
        page = arxiv.parse_atom(stream.read()) if kind == "atom" else arxiv.parse_oai(stream.read())
        return upsert_papers(
            filtered(page.items, record_filter, report),
            source=source,
            batch_size=batch_size,
            report=report,
            on_batch=on_batch,
        )


def _import_snapshot(
    lines: Iterable[bytes],
    source: str,
    record_filter: RecordFilter,
    batch_size: int,
    report: ImportReport,
    on_batch: Callable[[ImportReport], None] | None,
) -> ImportReport:
    """Stream a snapshot in chunks of lines: parse chunk k+1 in a thread while chunk k is written.

    Parsing is pure Python and writing mostly waits on the database (the driver lets go of the interpreter
    while it waits), so the two overlap. At most two chunks are held at once: memory stays flat in the file's
    size. Only the calling thread touches the database.
    """
    known_categories = set(Category.objects.values_list("code", flat=True))
    # Looking for unchanged lines pays only when the hub holds papers; a filtered import parses every line
    # so that what the filter leaves out is counted as such.
    skim = not record_filter and Paper.objects.exists()
    # With COPY, the parser thread also writes each paper's row, so the writing thread only sends it.
    write_ahead = connection.vendor == "postgresql"
    first_line = 1
    pending: Future | None = None
    # A first load into an empty hub builds the secondary indexes once at the end, as pg_restore does.
    defer = connection.vendor == "postgresql" and not connection.in_atomic_block and not skim and not record_filter
    with (
        indexes_built_after(PAPER_TABLES) if defer and not Paper.objects.exists() else nullcontext(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot-parser") as parser,
    ):
        for chunk in _batches(lines, batch_size):
            if skim:
                chunk = _blank_unchanged(chunk, report)
            future = parser.submit(_parse_chunk, chunk, first_line, record_filter, write_ahead)
            first_line += len(chunk)
            if pending is not None:
                _write_chunk(pending.result(), source, report, known_categories, on_batch)
            pending = future
        if pending is not None:
            _write_chunk(pending.result(), source, report, known_categories, on_batch)
    return report


PAPER_TABLES = ("papers_paper", "papers_author", "papers_authorship", "papers_paper_categories")


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


def _parse_chunk(
    chunk: list[bytes], first_line: int, record_filter: RecordFilter, write_ahead: bool = False
) -> tuple[list[PreparedRecord], list[BadRecord], int]:
    """(records kept, bad records, how many the filter left out) of one chunk of snapshot lines; no I/O."""
    kept: list[PreparedRecord] = []
    bad: list[BadRecord] = []
    left_out = 0
    for line_number, line in enumerate(chunk, start=first_line):
        if not line.strip():
            continue
        item: PaperRecord | BadRecord | None = plain_snapshot_record(line)
        if item is None:
            # Anything the quick reading does not vouch for is read by the parser, which decides and explains.
            item = next(arxiv.parse_snapshot_lines([line], first_line=line_number), None)
            if item is None:
                continue
        if isinstance(item, BadRecord):
            bad.append(item)
        elif not record_filter or record_filter.keeps(item):
            kept.append(PreparedRecord(item, ordered_authors(item)))
        else:
            left_out += 1
    return (copy_lines(kept) if write_ahead else kept), bad, left_out


def _write_chunk(
    parsed: tuple[list[PreparedRecord], list[BadRecord], int],
    source: str,
    report: ImportReport,
    known_categories: set[str],
    on_batch: Callable[[ImportReport], None] | None,
) -> None:
    kept, bad, left_out = parsed
    report.read += len(kept) + len(bad) + left_out
    report.filtered += left_out
    for item in bad:
        report.add_error(source, item.line, item.message)
    if kept:
        _upsert_batch(kept, report, known_categories)
    if on_batch is not None:
        on_batch(report)


# --- recognising unchanged snapshot lines without parsing them in full ---

# Words of ASCII letters (hyphens inside, a dot at the end) separated by single spaces: nothing to tidy.
_PLAIN_NAME = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*\.?(?: [A-Za-z]+(?:-[A-Za-z]+)*\.?)*")
_NEW_STYLE_ID = re.compile(r"([0-9]{2}(?:0[1-9]|1[0-2]))\.([0-9]{4,5})")
_VERSION_LABEL = re.compile(r"v[1-9][0-9]*")
_GMT_TIME = re.compile(r"[0-2][0-9]:[0-5][0-9]:[0-6][0-9]")
_MONTHS = {name: number for number, name in enumerate(calendar.month_abbr) if name}


def _blank_unchanged(chunk: list[bytes], report: ImportReport) -> list[bytes]:
    """The chunk with the lines of papers held unchanged made blank (and counted as read and unchanged).

    Blank lines keep the parser's line numbers right. A line the quick look cannot vouch for (names other than
    plain ASCII, unusual dates, anything odd) is left for the full parser, which decides.
    """
    decoded = []
    for line in chunk:
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            data = None
        decoded.append(data if isinstance(data, dict) and isinstance(data.get("id"), str) else None)
    current = _current_rows([data["id"] for data in decoded if data is not None])
    if not current:
        return chunk
    result = []
    for line, data in zip(chunk, decoded, strict=True):
        row = current.get(data["id"]) if data is not None else None
        record = _plain_record(data) if data is not None and row is not None and not row["is_stub"] else None
        if record is not None and row is not None and _held_unchanged(record, row):
            result.append(b"")
            report.read += 1
            report.unchanged += 1
        else:
            result.append(line)
    return result


def _held_unchanged(record: PaperRecord, row: dict) -> bool:
    if record.version < row["version"]:
        return True  # an older version never changes a paper
    same = (
        row["version"] == record.version
        and row["updated"] == record.updated
        and row["published"] == record.published
        and row["title"] == record.title
        and row["abstract"] == record.abstract
        and row["doi"] == record.doi
        and row["journal_ref"] == record.journal_ref
        and row["arxiv_comments"] == record.comments
    )
    if not same:
        return False
    # The names as listed match the stored list unless someone is listed twice; only then is keying needed.
    stored = row["author_names"]
    return stored == ", ".join(record.authors) or stored == ", ".join(name for _, name in ordered_authors(record))


def plain_snapshot_record(line: bytes) -> PaperRecord | None:
    """The record of a snapshot line, read quickly when the line is plain; None to leave it to the parser.

    Plain means: valid JSON object, a new-style id in canonical form, text fields as text, versions labelled
    v1, v2, ... with dates as arXiv writes them ("Mon, 2 Apr 2007 19:18:42 GMT"), and authors_parsed names of
    ASCII letters, spaces, hyphens and closing dots. That is nearly every line of the real snapshot, and for
    those the result equals what papers.arxiv.parse_snapshot_lines gives (a test holds the two together);
    skipping the general parser's LaTeX, Unicode and date handling is what makes a corpus-scale import fast.
    """
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return _plain_record(data) if isinstance(data, dict) else None


def _plain_record(data: dict) -> PaperRecord | None:
    arxiv_id = data.get("id")
    if not (isinstance(arxiv_id, str) and _plain_new_style_id(arxiv_id)):
        return None
    texts = {}
    for key in ("title", "abstract", "doi", "journal-ref", "comments", "categories"):
        value = data.get(key)
        if value is None:
            texts[key] = ""
        elif isinstance(value, str):
            texts[key] = " ".join(value.split())
        else:
            return None
    versions = data.get("versions")
    parsed = data.get("authors_parsed")
    if not (texts["title"] and isinstance(versions, list) and versions and isinstance(parsed, list) and parsed):
        return None
    dated = []
    for entry in versions:
        label = entry.get("version") if isinstance(entry, dict) else None
        if not (isinstance(label, str) and _VERSION_LABEL.fullmatch(label)):
            return None
        created = _gmt_date(entry.get("created"))
        if created is None:
            return None
        dated.append((int(label[1:]), created))
    dated.sort()
    if dated[-1][1] < dated[0][1]:
        return None
    names = []
    for parts in parsed:
        if not isinstance(parts, list) or not parts or not all(isinstance(part, str) for part in parts):
            return None
        last, first, suffix = (parts + ["", ""])[:3]
        name = " ".join(part for part in (first, last, suffix) if part)
        if name and not _PLAIN_NAME.fullmatch(name):
            return None
        if name:
            names.append(name)
    return PaperRecord(
        arxiv_id=arxiv_id,
        version=dated[-1][0],
        title=texts["title"],
        abstract=texts["abstract"],
        authors=tuple(names),
        categories=tuple(dict.fromkeys(texts["categories"].split())),
        published=dated[0][1],
        updated=dated[-1][1],
        doi=texts["doi"],
        journal_ref=texts["journal-ref"],
        comments=texts["comments"],
    )


def _plain_new_style_id(text: str) -> bool:
    """True for a canonical new-style id (what papers.arxiv.parse_arxiv_id returns unchanged)."""
    match = _NEW_STYLE_ID.fullmatch(text)
    if match is None:
        return False
    yymm = int(match[1])
    return yymm >= 704 and len(match[2]) == (4 if yymm <= 1412 else 5) and int(match[2]) > 0


def _gmt_date(value: object) -> datetime.date | None:
    """The date of "Mon, 2 Apr 2007 19:18:42 GMT", or None for anything else (the full parser handles it)."""
    if not isinstance(value, str):
        return None
    parts = value.split()
    if len(parts) != 6 or parts[5] != "GMT" or not _GMT_TIME.fullmatch(parts[4]) or parts[2] not in _MONTHS:
        return None
    try:
        return datetime.date(int(parts[3]), _MONTHS[parts[2]], int(parts[1]))
    except ValueError:
        return None


@dataclass(frozen=True)
class RecordFilter:
    """Which records an import keeps: categories by prefix, and a date range on `published` or `updated`."""

    categories: tuple[str, ...] = ()
    since: datetime.date | None = None
    until: datetime.date | None = None
    date_field: str = "updated"

    def __bool__(self) -> bool:
        return bool(self.categories or self.since or self.until)

    def matches_category(self, code: str) -> bool:
        # A plain prefix: "cs." takes the whole cs archive, "hep" every hep-* archive, "cs.LG" that category.
        return code.startswith(self.categories)

    def keeps(self, record: PaperRecord) -> bool:
        if self.categories and not any(self.matches_category(code) for code in record.categories):
            return False
        when = getattr(record, self.date_field)
        if self.since and when < self.since:
            return False
        return not (self.until and when > self.until)


def filtered(
    items: Iterable[PaperRecord | BadRecord], record_filter: RecordFilter, report: ImportReport
) -> Iterator[PaperRecord | BadRecord]:
    """Pass bad records on (to be reported) and good ones that the filter keeps; count the rest."""
    for item in items:
        if isinstance(item, BadRecord) or record_filter.keeps(item):
            yield item
        else:
            report.read += 1
            report.filtered += 1


def ensure_stub_papers(arxiv_ids: Iterable[str]) -> dict[str, Paper]:
    """Papers for these canonical ids, creating a stub for each one the hub does not hold yet."""
    wanted = list(dict.fromkeys(arxiv_ids))
    papers = {p.arxiv_id: p for p in Paper.objects.filter(arxiv_id__in=wanted)}
    for arxiv_id in wanted:
        if arxiv_id not in papers:
            papers[arxiv_id] = Paper.objects.create(
                arxiv_id=arxiv_id,
                title=f"arXiv:{arxiv_id}",
                published=_month_of_id(arxiv_id),
                updated=_month_of_id(arxiv_id),
                is_stub=True,
            )
    return papers


def _month_of_id(arxiv_id: str) -> datetime.date:
    """A stub's placeholder date: the first of the month its id encodes (YYMM for both id styles)."""
    digits = arxiv_id.split("/")[-1]
    year, month = int(digits[:2]), int(digits[2:4])
    return datetime.date(2000 + year if year < 91 else 1900 + year, month, 1)
