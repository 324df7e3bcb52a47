"""Batched upserts of parsed arXiv records into papers, authors and categories."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction

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
    errors: list[str] = field(default_factory=list)

    def add_error(self, source: str, line: int, message: str) -> None:
        self.skipped += 1
        self.errors.append(f"{source}:{line}: {message}" if line else f"{source}: {message}")

    def merge(self, other: ImportReport) -> None:
        for name in ("read", "created", "updated", "unchanged", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def summary(self) -> str:
        return (
            f"read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped as bad {self.skipped}"
        )


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


def _values(record: PaperRecord, current_version: int | None = None) -> dict:
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
        "author_names": _author_names(record),
    }


def _author_ids(names: set[str]) -> dict[str, int]:
    """Author ids by key for every name, creating the authors that are new (one spelling, one row)."""
    by_key = {arxiv.author_key(name): name for name in names}
    by_key.pop("", None)
    known = dict(Author.objects.filter(key__in=by_key).values_list("key", "id"))
    missing = [Author(key=key, name=name) for key, name in by_key.items() if key not in known]
    if missing:
        Author.objects.bulk_create(missing, ignore_conflicts=True)
        known.update(Author.objects.filter(key__in=[a.key for a in missing]).values_list("key", "id"))
    return known


def _ensure_categories(codes: set[str], known: set[str]) -> None:
    new = codes - known
    if new:
        Category.objects.bulk_create([Category(code=code) for code in new], ignore_conflicts=True)
        known.update(new)


def _author_names(record: PaperRecord) -> str:
    return ", ".join(dict.fromkeys(record.authors))


def _write_relations(papers: list[tuple[int, PaperRecord]], author_ids: dict[str, int]) -> None:
    authorships, links = [], []
    category_through = Paper.categories.through
    for paper_id, record in papers:
        seen_authors: set[int] = set()
        for name in record.authors:
            author_id = author_ids.get(arxiv.author_key(name))
            # The same person listed twice on a paper keeps their first position.
            if author_id is None or author_id in seen_authors:
                continue
            seen_authors.add(author_id)
            authorships.append(Authorship(paper_id=paper_id, author_id=author_id, position=len(seen_authors) - 1))
        links.extend(category_through(paper_id=paper_id, category_id=code) for code in record.categories)
    Authorship.objects.bulk_create(authorships)
    category_through.objects.bulk_create(links, ignore_conflicts=True)


def _upsert_batch(records: list[PaperRecord], report: ImportReport, known_categories: set[str]) -> None:
    # The newest record of each id wins when a batch holds the same paper twice.
    latest: dict[str, PaperRecord] = {}
    for record in records:
        seen = latest.get(record.arxiv_id)
        if seen is None or (record.version or 0, record.updated) > (seen.version or 0, seen.updated):
            if seen is not None:
                report.unchanged += 1
            latest[record.arxiv_id] = record
        else:
            report.unchanged += 1

    current = {
        row["arxiv_id"]: row
        for row in Paper.objects.filter(arxiv_id__in=latest).values("id", "arxiv_id", "is_stub", *RECORD_FIELDS)
    }
    to_create: list[PaperRecord] = []
    to_update: list[tuple[int, PaperRecord]] = []
    for arxiv_id, record in latest.items():
        row = current.get(arxiv_id)
        if row is None:
            to_create.append(record)
            continue
        newer = _is_newer(record, row)
        if (
            newer is False
            and not row["is_stub"]
            or (
                newer is None
                and not row["is_stub"]
                and all(row[name] == value for name, value in _values(record, row["version"]).items())
            )
        ):
            report.unchanged += 1
        else:
            to_update.append((row["id"], record))

    if not to_create and not to_update:
        return
    with transaction.atomic():
        _ensure_categories({code for r in latest.values() for code in r.categories}, known_categories)
        names = {name for r in to_create for name in r.authors} | {name for _, r in to_update for name in r.authors}
        author_ids = _author_ids(names)
        created = Paper.objects.bulk_create(
            [
                Paper(arxiv_id=r.arxiv_id, primary_category_id=r.categories[0] if r.categories else None, **_values(r))
                for r in to_create
            ]
        )
        if created and created[0].pk is None:  # backends that do not return ids from a bulk insert
            ids = dict(Paper.objects.filter(arxiv_id__in=[r.arxiv_id for r in to_create]).values_list("arxiv_id", "id"))
        else:
            ids = {paper.arxiv_id: paper.pk for paper in created}
        if to_update:
            update_ids = [paper_id for paper_id, _ in to_update]
            Authorship.objects.filter(paper_id__in=update_ids).delete()
            Paper.categories.through.objects.filter(paper_id__in=update_ids).delete()
            Paper.objects.bulk_update(
                [
                    Paper(
                        pk=paper_id,
                        is_stub=False,
                        primary_category_id=r.categories[0] if r.categories else None,
                        **_values(r, current[r.arxiv_id]["version"]),
                    )
                    for paper_id, r in to_update
                ],
                fields=[*RECORD_FIELDS, "is_stub", "primary_category"],
            )
        _write_relations([(ids[r.arxiv_id], r) for r in to_create] + to_update, author_ids)
    report.created += len(to_create)
    report.updated += len(to_update)


def upsert_papers(
    items: Iterable[PaperRecord | BadRecord],
    *,
    source: str = "<input>",
    batch_size: int = DEFAULT_BATCH_SIZE,
    report: ImportReport | None = None,
) -> ImportReport:
    """Create or update papers from parsed records, `batch_size` at a time, each batch one transaction.

    A newer version (or, without versions, a later update date) updates a paper; an older one changes
    nothing; a stub is always filled. Bad records are counted and reported as "source:line: message".
    """
    report = report or ImportReport()
    known_categories = set(Category.objects.values_list("code", flat=True))

    def good_records() -> Iterator[PaperRecord]:
        for item in items:
            if isinstance(item, BadRecord):
                report.read += 1
                report.add_error(source, item.line, item.message)
                continue
            report.read += 1
            yield item

    for batch in _batches(good_records(), batch_size):
        _upsert_batch(batch, report, known_categories)
    return report


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
