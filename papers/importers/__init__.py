"""Importing arXiv metadata: every source (the snapshot, the export API's Atom, OAI-PMH) ends in upsert_papers.

- records.py: the records as prepared for writing, the report, the filter, and the one rule for "unchanged";
- upserts.py: batched upserts with authors and categories (COPY on PostgreSQL), and stubs for linked papers;
- snapshot.py: reading files of any format, and streaming a snapshot (parse in a thread, skip unchanged lines);
- bulk.py: a first load into an empty hub builds the secondary indexes once, at the end.
"""

from __future__ import annotations

from papers.importers.bulk import PAPER_TABLES, indexes_built_after, secondary_indexes
from papers.importers.records import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    PreparedRecord,
    RecordFilter,
    is_unchanged,
    ordered_authors,
)
from papers.importers.snapshot import import_file, open_metadata, plain_snapshot_record
from papers.importers.upserts import (
    copy_statement,
    ensure_stub_papers,
    paper_copy_columns,
    paper_copy_row,
    paper_not_null_columns,
    upsert_papers,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "PAPER_TABLES",
    "ImportReport",
    "PreparedRecord",
    "RecordFilter",
    "copy_statement",
    "ensure_stub_papers",
    "import_file",
    "indexes_built_after",
    "is_unchanged",
    "open_metadata",
    "ordered_authors",
    "paper_copy_columns",
    "paper_copy_row",
    "paper_not_null_columns",
    "plain_snapshot_record",
    "secondary_indexes",
    "upsert_papers",
]
