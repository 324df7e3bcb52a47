"""Reading metadata files (snapshot, Atom, OAI-PMH; gzip or not) and streaming a snapshot into the upserts: parse
one chunk in a thread while the last is written, and skip the lines of papers held unchanged without parsing them."""

from __future__ import annotations

import calendar
import datetime
import gzip
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from typing import IO, cast

import orjson
from django.db import connection

from papers import arxiv
from papers.arxiv import BadRecord, PaperRecord
from papers.importers.bulk import PAPER_TABLES, indexes_built_after
from papers.importers.records import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    PreparedRecord,
    RecordFilter,
    batches,
    filtered,
    is_unchanged,
    ordered_authors,
)
from papers.importers.upserts import copy_lines, current_rows, upsert_batch, upsert_papers
from papers.models import Category, Paper
from shared.text import repair_mojibake

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
        for chunk in batches(lines, batch_size):
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
        upsert_batch(kept, report, known_categories)
    if on_batch is not None:
        on_batch(report)


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
    current = current_rows([data["id"] for data in decoded if data is not None])
    if not current:
        return chunk
    result = []
    for line, data in zip(chunk, decoded, strict=True):
        row = current.get(data["id"]) if data is not None else None
        record = _plain_record(data) if data is not None and row is not None and not row["is_stub"] else None
        if record is not None and row is not None and is_unchanged(record, row):
            result.append(b"")
            report.read += 1
            report.unchanged += 1
        else:
            result.append(line)
    return result


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
    for key in ("title", "abstract", "doi", "journal-ref", "comments", "categories", "license"):
        value = data.get(key)
        if value is None:
            texts[key] = ""
        elif isinstance(value, str):
            texts[key] = value
        else:
            return None
    title = " ".join(texts["title"].split())
    if not title or len(texts["license"]) > arxiv.LICENSE_MAX_LENGTH:
        return None
    versions = _plain_versions(data.get("versions"))
    names = _plain_names(data.get("authors_parsed"))
    if versions is None or names is None:
        return None
    # As papers.arxiv tidies them: whitespace collapsed, the abstract's paragraphs kept, mojibake undone.
    abstract = arxiv.normalize_abstract(texts["abstract"])
    repaired_title, repaired_abstract = repair_mojibake(title), repair_mojibake(abstract)
    return PaperRecord(
        arxiv_id=arxiv_id,
        version=versions[-1].number,
        title=repaired_title,
        abstract=repaired_abstract,
        authors=tuple(names),
        categories=tuple(dict.fromkeys(texts["categories"].split())),
        published=versions[0].submitted.date(),
        updated=versions[-1].submitted.date(),
        doi=" ".join(texts["doi"].split()),
        journal_ref=" ".join(texts["journal-ref"].split()),
        comments=" ".join(texts["comments"].split()),
        versions=versions,
        license=texts["license"].strip(),
        repaired=(repaired_title, repaired_abstract) != (title, abstract),
    )


def _plain_versions(versions: object) -> tuple[arxiv.RecordVersion, ...] | None:
    """The versions of a plain line, oldest first (a number listed twice keeps its first listing), or None."""
    if not (isinstance(versions, list) and versions):
        return None
    dated: dict[int, arxiv.RecordVersion] = {}
    for entry in versions:
        label = entry.get("version") if isinstance(entry, dict) else None
        if not (isinstance(label, str) and _VERSION_LABEL.fullmatch(label)):
            return None
        created = _gmt_moment(entry.get("created"))
        if created is None:
            return None
        number = int(label[1:])
        if number not in dated:
            dated[number] = arxiv.RecordVersion(number, created, "", arxiv.SNAPSHOT)
    ordered = tuple(sorted(dated.values(), key=lambda v: v.number))
    return ordered if ordered[-1].submitted.date() >= ordered[0].submitted.date() else None


def _plain_names(parsed: object) -> list[str] | None:
    """The author names of a plain authors_parsed, or None when one needs the parser's tidying."""
    if not (isinstance(parsed, list) and parsed):
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
    return names


def _plain_new_style_id(text: str) -> bool:
    """True for a canonical new-style id (what papers.arxiv.parse_arxiv_id returns unchanged)."""
    match = _NEW_STYLE_ID.fullmatch(text)
    if match is None:
        return False
    yymm = int(match[1])
    return yymm >= 704 and len(match[2]) == (4 if yymm <= 1412 else 5) and int(match[2]) > 0


def _gmt_moment(value: object) -> datetime.datetime | None:
    """The aware UTC moment of "Mon, 2 Apr 2007 19:18:42 GMT", or None for anything else (the full parser
    handles it)."""
    if not isinstance(value, str):
        return None
    parts = value.split()
    if len(parts) != 6 or parts[5] != "GMT" or not _GMT_TIME.fullmatch(parts[4]) or parts[2] not in _MONTHS:
        return None
    time = parts[4]  # HH:MM:SS, as _GMT_TIME vouched
    try:
        return datetime.datetime(
            int(parts[3]),
            _MONTHS[parts[2]],
            int(parts[1]),
            int(time[:2]),
            int(time[3:5]),
            int(time[6:]),
            tzinfo=datetime.UTC,
        )
    except ValueError:
        return None
