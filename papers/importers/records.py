"""What an import reads and reports: the records as prepared for writing, the report, the filter, and the
one rule for "unchanged"."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from papers import arxiv
from papers.arxiv import BadRecord, PaperRecord

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
    "license",
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
    # Records written (created or updated) whose title, author names or abstract had mojibake undone.
    repaired: int = 0
    errors: list[str] = field(default_factory=list)

    def add_error(self, source: str, line: int, message: str) -> None:
        self.skipped += 1
        self.errors.append(f"{source}:{line}: {message}" if line else f"{source}: {message}")

    def merge(self, other: ImportReport) -> None:
        for name in ("read", "created", "updated", "unchanged", "skipped", "filtered", "repaired"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def summary(self) -> str:
        text = (
            f"read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped as bad {self.skipped}"
        )
        text += f", filtered out {self.filtered}" if self.filtered else ""
        return text + (f", mojibake repaired in {self.repaired}" if self.repaired else "")


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def is_newer(record: PaperRecord, current: dict) -> bool | None:
    """True if the record is newer than the stored paper, False if older, None if the same version."""
    if record.version is not None and record.version != current["version"]:
        return record.version > current["version"]
    if record.updated != current["updated"]:
        return record.updated > current["updated"]
    return None


def record_values(record: PaperRecord, authors: list[tuple[str, str]], current: dict | None = None) -> dict:
    """The paper's fields from a record; what the record's format cannot say (the version in OAI's arXiv format,
    the license in the export API's) stays as `current` (the stored row) has it."""
    version = record.version if record.version is not None else (current["version"] if current else 1)
    license = record.license if record.license is not None else (current["license"] if current else "")
    return {
        "version": version,
        "title": record.title,
        "abstract": record.abstract,
        "published": record.published,
        "updated": record.updated,
        "doi": record.doi,
        "journal_ref": record.journal_ref,
        "arxiv_comments": record.comments,
        "license": license,
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


@dataclass(frozen=True)
class PreparedRecord:
    """A record with its authors keyed once (author_key is the costly part of preparing a paper)."""

    record: PaperRecord
    authors: list[tuple[str, str]]
    # The paper's row for COPY as a CSV line without its id, when made ahead (by the snapshot parser thread).
    copy_line: str = ""


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


def is_unchanged(record: PaperRecord, row: dict, authors: list[tuple[str, str]] | None = None) -> bool:
    """The one rule for "nothing to write", for the upserts and for the snapshot's quick skim alike: the paper's
    fields need nothing (fields_unchanged) and every version the record knows is held (versions_unchanged).

    `row` is a row of papers.importers.upserts.current_rows: the paper's fields and its stored versions.
    """
    return fields_unchanged(record, row, authors) and versions_unchanged(record, row["versions"])


def versions_unchanged(record: PaperRecord, stored: dict[int, str]) -> bool:
    """Whether the stored versions ({number: size}) hold every version of the record, with its size if it
    gives one. Versions are facts that never change on arXiv: they are only ever added (or a missing size
    filled), never replaced or removed, so that an import knowing fewer versions leaves the others be."""
    return all(v.number in stored and (stored[v.number] or not v.size) for v in record.versions)


def fields_unchanged(record: PaperRecord, row: dict, authors: list[tuple[str, str]] | None = None) -> bool:
    """Whether the record leaves the paper's fields as they are: a full paper (not a stub) that the record does
    not make newer, and either older than it or holding its values already. An older record never changes them.

    `authors` are the record's keyed authors (ordered_authors); without them, the names are keyed only when the
    listed names differ from the stored ones (keying is the costly part, and rarely changes the answer).
    """
    if row["is_stub"]:
        return False
    newer = is_newer(record, row)
    if newer is not None:
        return not newer
    values = record_values(record, authors or [], row)
    if any(row[name] != value for name, value in values.items() if name != "author_names"):
        return False
    stored = row["author_names"]
    if authors is None:
        # The names as listed match the stored list unless someone is listed twice; only then is keying needed.
        return stored == ", ".join(record.authors) or stored == ", ".join(name for _, name in ordered_authors(record))
    return stored == values["author_names"]
