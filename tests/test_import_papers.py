"""arXiv metadata into the hub: every source format from real data, idempotent re-imports, versions, bad lines."""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import tempfile
from pathlib import Path
from unittest import mock

import orjson
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from papers import arxiv
from papers.fetch import ExportApiClient, fetch_papers, query_url
from papers.importers import (
    PAPER_TABLES,
    ImportReport,
    RecordFilter,
    ensure_stub_papers,
    import_file,
    plain_snapshot_record,
    secondary_indexes,
    upsert_papers,
)
from papers.models import Author, Authorship, Category, Paper, PaperVersion

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "arxiv"


def fixture(name: str) -> Path:
    return FIXTURES / name


def paper_rows() -> list[tuple]:
    """Everything an import writes about each paper, independent of row ids."""
    rows = []
    for paper in Paper.objects.order_by("arxiv_id"):
        authors = [
            (a.position, a.author.name, a.author.key)
            for a in Authorship.objects.filter(paper=paper).select_related("author").order_by("position")
        ]
        rows.append(
            (
                paper.arxiv_id,
                paper.version,
                paper.title,
                paper.abstract,
                paper.author_names,
                paper.published,
                paper.updated,
                paper.primary_category_id,
                sorted(paper.categories.values_list("code", flat=True)),
                paper.doi,
                paper.journal_ref,
                paper.arxiv_comments,
                paper.is_stub,
                authors,
                paper.license,
                list(paper.versions.order_by("number").values_list("number", "submitted", "size", "source")),
            )
        )
    return rows


def stamps() -> dict[str, datetime.datetime]:
    return dict(Paper.objects.values_list("arxiv_id", "modified_at"))


def counts() -> tuple[int, int, int, int]:
    return (
        Paper.objects.count(),
        Author.objects.count(),
        Authorship.objects.count(),
        Paper.categories.through.objects.count(),
    )


def snapshot_copy(lines: list[bytes]) -> Path:
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as handle:
        handle.write(b"".join(lines))
    return Path(handle.name)


class SnapshotImportTests(TestCase):
    def test_real_snapshot_sample_imports_every_paper_with_its_authors_in_order(self):
        report = import_file(fixture("snapshot_sample_100.jsonl"))
        assert (report.read, report.created, report.updated, report.unchanged, report.skipped) == (100, 100, 0, 0, 0)
        assert report.errors == []
        paper = Paper.objects.get(arxiv_id="0704.0001")
        assert paper.title == ("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
        assert paper.version == 2
        assert paper.published == datetime.date(2007, 4, 2)
        assert paper.updated == datetime.date(2007, 7, 24)
        assert paper.primary_category_id == "hep-ph"
        assert paper.doi == "10.1103/PhysRevD.76.013009"
        assert paper.journal_ref == "Phys.Rev.D76:013009,2007"
        assert paper.author_names == "C. Balázs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan"
        assert [a.name for a in paper.ordered_authors] == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
        two_categories = Paper.objects.get(arxiv_id="0704.0002")
        assert two_categories.primary_category_id == "math.CO"
        assert sorted(two_categories.categories.values_list("code", flat=True)) == ["cs.CG", "math.CO"]
        assert not Paper.objects.filter(is_stub=True).exists()

    def test_reimport_is_idempotent_counts_and_timestamps_unchanged(self):
        import_file(fixture("snapshot_sample_100.jsonl"))
        before, rows, modified = counts(), paper_rows(), stamps()
        report = import_file(fixture("snapshot_sample_100.jsonl"))
        assert (report.read, report.created, report.updated, report.unchanged) == (100, 0, 0, 100)
        assert counts() == before
        assert paper_rows() == rows
        assert stamps() == modified

    def test_reimport_notices_a_changed_line_among_unchanged_ones(self):
        lines = fixture("snapshot_sample_100.jsonl").read_bytes().splitlines(keepends=True)
        import_file(fixture("snapshot_sample_100.jsonl"))
        modified = stamps()
        assert b'"journal-ref":null' in lines[1]
        lines[1] = lines[1].replace(b'"journal-ref":null', b'"journal-ref":"Phys. Rev. X 1 (2008)"', 1)
        path = snapshot_copy(lines)
        self.addCleanup(path.unlink)
        report = import_file(path)
        assert (report.read, report.created, report.updated, report.unchanged) == (100, 0, 1, 99)
        paper = Paper.objects.get(arxiv_id="0704.0002")
        assert paper.journal_ref == "Phys. Rev. X 1 (2008)"
        assert paper.modified_at > modified["0704.0002"]
        assert {k: v for k, v in stamps().items() if k != "0704.0002"} == {
            k: v for k, v in modified.items() if k != "0704.0002"
        }

    def test_bad_lines_are_reported_with_their_numbers_and_the_good_ones_imported(self):
        path = fixture("snapshot_bad_lines.jsonl")
        report = import_file(path)
        assert [error.split(": ", 1)[0] for error in report.errors] == [
            f"{path}:{line}" for line in (2, 4, 5, 6, 8, 10)
        ]
        assert "0704.005" in report.errors[2]
        assert "no title" in report.errors[1]
        assert (report.created, report.skipped) == (4, 6)
        assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == [
            "0704.0002",
            "0704.0006",
            "0704.0008",
            "0704.0011",
        ]

    def test_bad_lines_keep_their_numbers_in_later_chunks_and_on_reimport(self):
        path = fixture("snapshot_bad_lines.jsonl")
        first = import_file(path, batch_size=3)
        second = import_file(path, batch_size=3)
        assert [e.split(": ", 1)[0] for e in first.errors] == [e.split(": ", 1)[0] for e in second.errors]
        assert (second.created, second.unchanged, second.skipped) == (0, 4, 6)

    def test_gzip_input_gives_the_same_rows_as_plain(self):
        import_file(fixture("snapshot_sample_100.jsonl"))
        plain = paper_rows()
        Paper.objects.all().delete()
        Author.objects.all().delete()
        with tempfile.NamedTemporaryFile(suffix=".jsonl.gz", delete=False) as handle:
            handle.write(gzip.compress(fixture("snapshot_sample_100.jsonl").read_bytes()))
        self.addCleanup(Path(handle.name).unlink)
        report = import_file(handle.name)
        assert (report.read, report.created) == (100, 100)
        assert paper_rows() == plain

    def test_category_filter_takes_prefixes_and_counts_the_rest(self):
        report = import_file(fixture("snapshot_sample_100.jsonl"), record_filter=RecordFilter(categories=("math.",)))
        codes = Paper.objects.values_list("arxiv_id", flat=True)
        assert report.created == len(codes) > 0
        assert report.filtered == 100 - report.created
        for paper in Paper.objects.prefetch_related("categories"):
            assert any(c.code.startswith("math.") for c in paper.categories.all())
        exact = import_file(fixture("snapshot_sample_100.jsonl"), record_filter=RecordFilter(categories=("hep-ph",)))
        assert Paper.objects.filter(categories__code="hep-ph").count() == exact.created > 0

    def test_date_filter_on_updated_or_published(self):
        since = datetime.date(2008, 1, 1)
        report = import_file(fixture("snapshot_sample_100.jsonl"), record_filter=RecordFilter(since=since))
        assert report.created == Paper.objects.filter(updated__gte=since).count() == Paper.objects.count() > 0
        assert report.filtered == 100 - report.created
        Paper.objects.all().delete()
        report = import_file(
            fixture("snapshot_sample_100.jsonl"),
            record_filter=RecordFilter(until=datetime.date(2007, 4, 1), date_field="published"),
        )
        assert report.created == Paper.objects.count() > 0
        assert not Paper.objects.filter(published__gt=datetime.date(2007, 4, 1)).exists()


class VersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.record = next(arxiv.parse_snapshot_lines(fixture("same_paper_0704.0001.jsonl").open("rb")))
        upsert_papers([cls.record])

    def test_a_newer_version_updates_the_paper_and_its_authors(self):
        newer = dataclasses.replace(
            self.record,
            version=3,
            title="A revised title",
            updated=datetime.date(2009, 1, 5),
            authors=("E. L. Berger", "New Person"),
        )
        report = upsert_papers([newer])
        assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
        paper = Paper.objects.get(arxiv_id="0704.0001")
        assert (paper.version, paper.title, paper.updated) == (3, "A revised title", datetime.date(2009, 1, 5))
        assert [a.name for a in paper.ordered_authors] == ["E. L. Berger", "New Person"]
        assert paper.author_names == "E. L. Berger, New Person"

    def test_an_older_version_changes_nothing(self):
        before, modified = paper_rows(), stamps()
        older = dataclasses.replace(self.record, version=1, title="The first title", updated=self.record.published)
        report = upsert_papers([older])
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
        assert paper_rows() == before
        assert stamps() == modified

    def test_same_paper_twice_in_a_batch_keeps_the_newest(self):
        newer = dataclasses.replace(self.record, version=5, title="Fifth", updated=datetime.date(2010, 1, 1))
        report = upsert_papers([newer, self.record])
        assert (report.read, report.updated, report.unchanged) == (2, 1, 1)
        assert Paper.objects.get(arxiv_id="0704.0001").title == "Fifth"

    def test_a_stub_is_filled_by_the_import(self):
        ensure_stub_papers(["2105.06548"])
        stub = Paper.objects.get(arxiv_id="2105.06548")
        assert stub.is_stub
        record = dataclasses.replace(self.record, arxiv_id="2105.06548", version=1)
        report = upsert_papers([record])
        assert report.updated == 1
        stub.refresh_from_db()
        assert (stub.is_stub, stub.title) == (False, self.record.title)


class SameAuthorAcrossSourcesTests(TestCase):
    def test_an_author_is_one_row_whichever_source_named_them(self):
        import_file(fixture("same_paper_0704.0001.jsonl"))
        import_file(fixture("oai_listrecords_arxivraw_resumption.xml"))
        import_file(fixture("api_id_astro-ph_0601001.xml"))
        keys = list(Author.objects.values_list("key", flat=True))
        assert len(keys) == len(set(keys))
        assert Author.objects.filter(key="c balazs").count() == 1


class EveryFormatTests(TestCase):
    def import_only(self, name: str) -> list[tuple]:
        Paper.objects.all().delete()
        Author.objects.all().delete()
        Category.objects.all().delete()
        report = import_file(fixture(name))
        assert report.errors == []
        assert report.created == 1
        return paper_rows()

    def test_same_paper_from_snapshot_atom_and_oai_gives_identical_rows(self):
        from_snapshot = self.import_only("same_paper_0704.0001.jsonl")
        from_atom = self.import_only("same_paper_0704.0001_atom.xml")
        from_oai_raw = self.import_only("same_paper_0704.0001_oai_arxivraw.xml")
        # Every field alike; the versions alike but for what each format knows of them (sizes, and the source).
        assert (
            [row[:-1] for row in from_snapshot] == [row[:-1] for row in from_atom] == [row[:-1] for row in from_oai_raw]
        )
        dated = [(number, submitted) for number, submitted, _, _ in from_snapshot[0][-1]]
        assert dated == [(n, s) for n, s, _, _ in from_atom[0][-1]] == [(n, s) for n, s, _, _ in from_oai_raw[0][-1]]
        assert [size for _, _, size, _ in from_oai_raw[0][-1]] == ["424kb", "423kb"]
        assert from_snapshot[0][:2] == ("0704.0001", 2)

    def test_oai_arxiv_format_without_versions_changes_nothing_after_the_snapshot(self):
        import_file(fixture("same_paper_0704.0001.jsonl"))
        before, modified = paper_rows(), stamps()
        report = import_file(fixture("same_paper_0704.0001_oai_arxiv.xml"))
        assert (report.read, report.unchanged) == (1, 1)
        assert paper_rows() == before
        assert stamps() == modified

    def test_real_export_api_responses(self):
        report = import_file(fixture("api_id_list_1111.2011v2.xml"))
        assert (report.created, report.errors) == (1, [])
        paper = Paper.objects.get(arxiv_id="1111.2011")
        assert paper.version == 2
        assert paper.title.startswith("Quantum Criticality for Extended Nodes on a Bethe Lattice")
        report = import_file(fixture("api_id_astro-ph_0601001.xml"))
        assert Paper.objects.get(arxiv_id="astro-ph/0601001").title.startswith("Frequency of Hot Jupiters")
        report = import_file(fixture("api_search_testing_10.xml"))
        assert (report.read, report.created, report.skipped) == (10, 10, 0)

    def test_real_oai_listrecords_response(self):
        page = arxiv.parse_oai(fixture("oai_listrecords_hep-ex.xml").read_bytes())
        expected = [item.arxiv_id for item in page.items if isinstance(item, arxiv.PaperRecord)]
        report = import_file(fixture("oai_listrecords_hep-ex.xml"))
        assert report.created == len(expected) > 0
        assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == sorted(expected)

    def test_oai_page_with_resumption_token_imports_its_records(self):
        report = import_file(fixture("oai_listrecords_arxivraw_resumption.xml"))
        assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == [
            "0704.0009",
            "0704.0025",
            "0704.0049",
            "0704.0062",
            "astro-ph/0601001",
        ]
        assert report.created == 5

    def test_the_api_error_feed_is_reported_and_never_stored(self):
        report = import_file(fixture("api_error_bad_id_abc.xml"))
        path = fixture("api_error_bad_id_abc.xml")
        assert report.errors == [f"{path}:9: arXiv API error: incorrect id format for abc"]
        assert report.skipped == 1
        assert not Paper.objects.exists()


class FetchTests(TestCase):
    def client_with(self, responses: dict[str, bytes], batch_size: int = 2):
        requested: list[str] = []
        sleeps: list[float] = []
        now = [100.0]

        def get(url: str) -> bytes:
            requested.append(url)
            return responses[url]

        def sleep(seconds: float) -> None:
            sleeps.append(seconds)
            now[0] += seconds

        client = ExportApiClient(get=get, sleep=sleep, clock=lambda: now[0], batch_size=batch_size)
        return client, requested, sleeps

    def test_ids_in_any_form_are_requested_with_three_seconds_between_requests(self):
        responses = {
            query_url(["1111.2011"]): fixture("api_id_list_1111.2011v2.xml").read_bytes(),
            query_url(["astro-ph/0601001"]): fixture("api_id_astro-ph_0601001.xml").read_bytes(),
            query_url(["2105.06548"]): fixture("api_empty.xml").read_bytes(),
        }
        client, requested, sleeps = self.client_with(responses, batch_size=1)
        report = fetch_papers(
            ["arXiv:1111.2011v2", "https://arxiv.org/abs/astro-ph/0601001", "https://arxiv.org/pdf/2105.06548"],
            client=client,
        )
        assert requested == list(responses)
        assert sleeps == [3.0, 3.0]
        assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == ["1111.2011", "astro-ph/0601001"]
        assert report.created == 2
        assert report.errors == [f"{requested[2]}: 2105.06548 not found on arXiv"]

    def test_ids_are_batched_into_one_id_list_request(self):
        client, requested, sleeps = self.client_with({}, batch_size=100)
        client.get = lambda url: requested.append(url) or fixture("api_empty.xml").read_bytes()
        fetch_papers(["2105.06548", "hep-th/9901001", "2105.06548v2"], client=client)
        assert requested == [
            "https://export.arxiv.org/api/query?id_list=2105.06548,hep-th/9901001&start=0&max_results=2"
        ]
        assert sleeps == []

    def test_the_error_feed_for_a_malformed_id_is_reported_and_nothing_stored(self):
        client, requested, _ = self.client_with(
            {query_url(["0704.0001"]): fixture("api_error_bad_id_abc.xml").read_bytes()}
        )
        report = fetch_papers(["0704.0001"], client=client)
        assert report.errors == [f"{requested[0]}:9: arXiv API error: incorrect id format for abc"]
        assert not Paper.objects.exists()

    def test_a_reference_that_is_not_an_id_is_reported_and_never_requested(self):
        client, requested, _ = self.client_with({})
        report = fetch_papers(["abc"], client=client)
        assert requested == []
        assert len(report.errors) == 1
        assert report.errors[0].startswith("abc: not an arXiv id")
        assert not Paper.objects.exists()


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Category.objects.bulk_create([Category(code="cs.LG"), Category(code="stat.ML")])

    def records(self, n: int) -> list[arxiv.PaperRecord]:
        return [
            arxiv.PaperRecord(
                arxiv_id=f"2101.{i:05d}",
                version=1,
                title=f"Paper {i}",
                abstract="An abstract.",
                authors=(f"Author {i}", "Shared Person"),
                categories=("cs.LG", "stat.ML"),
                published=datetime.date(2021, 1, 4),
                updated=datetime.date(2021, 1, 4),
            )
            for i in range(1, n + 1)
        ]

    def count_queries(self, records: list[arxiv.PaperRecord]) -> int:
        with CaptureQueriesContext(connection) as captured:
            upsert_papers(records, batch_size=100)
        return len(captured)

    def test_a_batch_costs_the_same_queries_for_n_and_3n_new_papers(self):
        small = self.count_queries(self.records(10))
        Paper.objects.all().delete()
        assert self.count_queries(self.records(30)) == small
        assert Paper.objects.count() == 30

    def test_an_unchanged_batch_costs_the_same_queries_for_n_and_3n_papers(self):
        upsert_papers(self.records(30))
        small = self.count_queries(self.records(10))
        assert self.count_queries(self.records(30)) == small


def test_import_report_summary_names_every_count() -> None:
    report = ImportReport(read=5, created=2, updated=1, unchanged=1, skipped=1, filtered=0)
    assert report.summary() == "read 5, created 2, updated 1, unchanged 1, skipped as bad 1"
    report.filtered = 3
    assert report.summary().endswith(", filtered out 3")
    report.repaired = 2
    assert report.summary().endswith(", filtered out 3, mojibake repaired in 2")


class PlainLineReadingTests(TestCase):
    """The quick reading of plain snapshot lines must give exactly what the general parser gives."""

    def lines(self) -> list[bytes]:
        from bench.corpus import generate

        real = []
        for name in ("snapshot_sample_100.jsonl", "snapshot_bad_lines.jsonl", "same_paper_0704.0001.jsonl"):
            real.extend(fixture(name).read_bytes().splitlines())
        demo = (Path(__file__).resolve().parent.parent / "hub" / "demo" / "papers.jsonl").read_bytes().splitlines()
        synthetic = [orjson.dumps(record) for record in generate(300)]
        return real + demo + synthetic

    def test_quick_reading_agrees_with_the_parser_wherever_it_answers(self):
        answered = 0
        for line in self.lines():
            quick = plain_snapshot_record(line)
            if quick is None:
                continue
            answered += 1
            assert quick == next(arxiv.parse_snapshot_lines([line])), line[:80]
        assert answered > 300

    def test_lines_that_need_the_parser_are_left_to_it(self):
        base = fixture("same_paper_0704.0001.jsonl").read_bytes().strip()
        assert plain_snapshot_record(base) is None  # "C. Bal\'azs": LaTeX in a name
        plain = orjson.loads(base)
        plain["authors_parsed"] = [["Balazs", "C.", ""], ["Yuan", "C.-P.", ""]]
        assert plain_snapshot_record(orjson.dumps(plain)) is None  # hyphenated initials are tidied by the parser
        plain["authors_parsed"] = [["Balazs", "C.", ""]]
        assert plain_snapshot_record(orjson.dumps(plain)).authors == ("C. Balazs",)
        for change in (
            {"id": "hep-th/9901001"},
            {"id": " 0704.0001"},
            {"id": "0704.00001"},
            {"title": 2001},
            {"title": "  "},
            {"versions": [{"version": "v1", "created": "2007-04-02T19:18:42Z"}]},
            {"versions": [{"version": "1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]},
            {"authors_parsed": [["Nadolsky", "P.M.", ""]]},
            {"authors_parsed": []},
        ):
            assert plain_snapshot_record(orjson.dumps({**plain, **change})) is None, change
        assert plain_snapshot_record(b"\xef\xbb\xbf" + orjson.dumps(plain)) is None


class FirstLoadTests(TransactionTestCase):
    """A first load into an empty hub (outside any transaction, as the command runs) keeps every index."""

    def index_definitions(self) -> list[tuple[str, str]]:
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            return secondary_indexes(cursor, PAPER_TABLES)

    def maintenance_counts(self) -> tuple[int, int] | None:
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT vacuum_count, analyze_count FROM pg_stat_user_tables WHERE relname = 'papers_paper'")
            return cursor.fetchone()

    def test_first_load_builds_the_deferred_indexes_again(self):
        before = self.index_definitions()
        assert before or connection.vendor != "postgresql"
        maintained = self.maintenance_counts()
        report = import_file(fixture("snapshot_sample_100.jsonl"), batch_size=30)
        assert (report.created, report.errors) == (100, [])
        assert self.index_definitions() == before
        if maintained is not None:  # vacuumed and analysed once, for the planner and for index-only scans
            assert self.maintenance_counts() == (maintained[0] + 1, maintained[1] + 1)
        assert Paper.objects.filter(author_names__contains="Balázs").count() == 1
        # The first load writes every version too (by COPY on PostgreSQL).
        assert PaperVersion.objects.count() == 175
        assert Paper.objects.exclude(license="").count() == 13
        again = import_file(fixture("snapshot_sample_100.jsonl"), batch_size=30)
        assert (again.unchanged, self.index_definitions()) == (100, before)

    def test_indexes_come_back_when_the_load_fails(self):
        before = self.index_definitions()
        failing = mock.patch("papers.importers.snapshot.upsert_batch", side_effect=RuntimeError("disk full"))
        with failing, self.assertRaisesMessage(RuntimeError, "disk full"):
            import_file(fixture("snapshot_sample_100.jsonl"))
        assert self.index_definitions() == before
