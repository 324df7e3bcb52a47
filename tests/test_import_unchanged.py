"""One rule says when a record would change nothing (papers.importers.is_unchanged): the upserts ask it with the
record's keyed authors, the snapshot's quick skim without them, and the two readings must agree on real lines."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.test import TestCase

from papers import arxiv
from papers.importers import import_file, is_unchanged, ordered_authors
from papers.importers.upserts import current_rows

SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "arxiv" / "snapshot_sample_100.jsonl"


class UnchangedRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_file(SNAPSHOT)
        with SNAPSHOT.open("rb") as lines:
            cls.records = [r for r in arxiv.parse_snapshot_lines(lines) if isinstance(r, arxiv.PaperRecord)]
        cls.rows = current_rows([record.arxiv_id for record in cls.records])

    def both(self, record, row) -> tuple[bool, bool]:
        return is_unchanged(record, row), is_unchanged(record, row, ordered_authors(record))

    def test_every_imported_record_is_unchanged_by_both_readings(self):
        assert len(self.records) == 100
        for record in self.records:
            assert self.both(record, self.rows[record.arxiv_id]) == (True, True), record.arxiv_id

    def test_a_changed_title_or_author_list_is_a_change_to_both(self):
        for record in self.records[:20]:
            row = self.rows[record.arxiv_id]
            retitled = dataclasses.replace(record, title=record.title + " (revised)")
            assert self.both(retitled, row) == (False, False)
            more_authors = dataclasses.replace(record, authors=[*record.authors, "Ada Lovelace"])
            assert self.both(more_authors, row) == (False, False)

    def test_an_older_version_changes_nothing_and_a_stub_is_always_filled(self):
        record = next(r for r in self.records if (r.version or 1) > 1)
        row = self.rows[record.arxiv_id]
        older = dataclasses.replace(record, version=1, title="An older title")
        assert self.both(older, row) == (True, True)
        assert self.both(record, {**row, "is_stub": True}) == (False, False)
