"""Imports keep what arXiv records say beyond the latest version (issue 12): every version from every format that
gives it, never replaced by an older import; the license; the abstract's paragraphs; text repaired of mojibake;
and a re-import of every fixture still changes nothing. Shown on the paper's page, in the API and the admin."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

from papers import arxiv
from papers.importers import import_file, upsert_papers
from papers.models import Paper, PaperVersion
from papers.search import search_papers
from tests.api_support import client_for
from tests.factories import make_personas
from tests.pages import PUBLIC_NOTES_QUERIES, discussion_queries, queries_of
from tests.test_import_papers import counts, paper_rows, snapshot_copy, stamps

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "arxiv"
SAMPLE = FIXTURES / "snapshot_sample_100.jsonl"
UTC = datetime.UTC
BY = "http://creativecommons.org/licenses/by/4.0/"
# Every fixture that holds records, in an order that mixes the formats. Not snapshot_bad_lines.jsonl: its line 9
# gives 0704.0008 the same version as the sample with another title ("2001"), so the two would take turns.
EVERY_FIXTURE = [
    "snapshot_sample_100.jsonl",
    "same_paper_0704.0001_atom.xml",
    "same_paper_0704.0001_oai_arxivraw.xml",
    "same_paper_0704.0001_oai_arxiv.xml",
    "same_paper_0704.0001.jsonl",
    "oai_listrecords_arxivraw_resumption.xml",
    "oai_listrecords_hep-ex.xml",
    "oai_listrecords_last_page.xml",
    "oai_no_records_match.xml",
    "api_id_list_1111.2011v2.xml",
    "api_id_astro-ph_0601001.xml",
    "api_search_au_del_maestro.xml",
    "api_search_testing_10.xml",
    "api_empty.xml",
]


def sample_line(arxiv_id: str) -> dict:
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        if data["id"] == arxiv_id:
            return data
    raise LookupError(arxiv_id)


def import_lines(*lines: dict):
    path = snapshot_copy([json.dumps(line).encode() + b"\n" for line in lines])
    try:
        return import_file(path)
    finally:
        path.unlink()


def import_text(text: str, suffix: str = ".xml"):
    path = snapshot_copy([text.encode()])
    renamed = path.with_suffix(suffix)
    path.rename(renamed)
    try:
        return import_file(renamed)
    finally:
        renamed.unlink()


def atom_of_0704_0001(version: int, updated: str, title: str | None = None) -> str:
    """The real-format export API entry of 0704.0001, as arXiv would answer for another version."""
    text = (FIXTURES / "same_paper_0704.0001_atom.xml").read_text(encoding="utf-8")
    text = text.replace("abs/0704.0001v2", f"abs/0704.0001v{version}").replace(
        "pdf/0704.0001v2", f"pdf/0704.0001v{version}"
    )
    text = text.replace("<updated>2007-07-24T20:10:27Z</updated>", f"<updated>{updated}</updated>")
    if title is not None:
        text = text.replace(
            "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies", title
        )
    return text


def versions_of(arxiv_id: str) -> list[tuple]:
    return list(
        PaperVersion.objects.filter(paper__arxiv_id=arxiv_id)
        .order_by("number")
        .values_list("number", "submitted", "size", "source")
    )


def all_versions() -> list[tuple]:
    return list(
        PaperVersion.objects.order_by("paper__arxiv_id", "number").values_list(
            "paper__arxiv_id", "number", "submitted", "size"
        )
    )


class SnapshotSampleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.report = import_file(SAMPLE)

    def test_every_version_of_every_paper_is_kept(self):
        assert PaperVersion.objects.count() == 175
        assert Paper.objects.filter(version__gt=1).count() == 49
        for paper in Paper.objects.prefetch_related("versions"):
            assert [v.number for v in paper.versions.all()] == list(range(1, paper.version + 1)), paper.arxiv_id
            assert paper.versions.all()[0].submitted.date() == paper.published
        assert versions_of("0704.0064") == [
            (1, datetime.datetime(2007, 4, 1, 13, 32, 15, tzinfo=UTC), "", "snapshot"),
            (2, datetime.datetime(2007, 5, 3, 16, 35, 49, tzinfo=UTC), "", "snapshot"),
            (3, datetime.datetime(2007, 12, 6, 13, 31, 19, tzinfo=UTC), "", "snapshot"),
            (4, datetime.datetime(2008, 6, 5, 11, 21, 43, tzinfo=UTC), "", "snapshot"),
            (5, datetime.datetime(2008, 10, 24, 12, 23, 58, tzinfo=UTC), "", "snapshot"),
        ]

    def test_licenses_are_stored(self):
        licensed = dict(Paper.objects.exclude(license="").values_list("arxiv_id", "license"))
        assert len(licensed) == 13
        assert licensed["0704.0033"] == "http://creativecommons.org/licenses/by-nc-nd/4.0/"
        assert licensed["0704.0002"] == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
        assert Paper.objects.get(arxiv_id="0704.0033").license_name == "CC BY-NC-ND 4.0"

    def test_abstracts_keep_their_paragraphs_and_search_reads_them_all(self):
        assert Paper.objects.filter(abstract__contains="\n\n").count() == 8
        paper = Paper.objects.get(arxiv_id="0704.0099")
        assert len(paper.abstract_paragraphs) == 3
        # "majorisation" is in the third paragraph only, "Hermitian" at its end.
        results = search_papers("majorisation Hermitian")
        assert [hit.paper.arxiv_id for hit in results.hits] == ["0704.0099"]

    def test_nothing_in_the_sample_needed_repair(self):
        assert self.report.repaired == 0

    def test_papers_imported_before_versions_were_kept_get_them_on_the_next_import(self):
        # As after migration 0008: no versions, no license, abstracts in one paragraph.
        PaperVersion.objects.all().delete()
        for paper in Paper.objects.filter(abstract__contains="\n\n"):
            Paper.objects.filter(pk=paper.pk).update(abstract=" ".join(paper.abstract.split()))
        Paper.objects.update(license="")
        report = import_file(SAMPLE)
        assert (report.updated, report.unchanged) == (100, 0)
        assert PaperVersion.objects.count() == 175
        assert Paper.objects.exclude(license="").count() == 13
        assert Paper.objects.filter(abstract__contains="\n\n").count() == 8
        assert import_file(SAMPLE).unchanged == 100


class OlderNeverReplacesNewerTests(TestCase):
    def test_an_older_snapshot_line_changes_nothing(self):
        line = sample_line("0704.0064")
        import_lines(line)
        before, modified, versions = paper_rows(), stamps(), all_versions()
        older = dict(
            line,
            versions=line["versions"][:1],
            title="An earlier title",
            abstract="  An earlier abstract.\n",
            license=BY,
        )
        report = import_lines(older)
        assert (report.read, report.created, report.updated, report.unchanged) == (1, 0, 0, 1)
        assert (paper_rows(), stamps(), all_versions()) == (before, modified, versions)
        assert Paper.objects.get(arxiv_id="0704.0064").version == 5

    def test_the_export_api_entry_of_v1_after_the_snapshot_changes_nothing(self):
        import_file(FIXTURES / "same_paper_0704.0001.jsonl")
        before, modified, versions = paper_rows(), stamps(), all_versions()
        report = import_text(atom_of_0704_0001(1, "2007-04-02T19:18:42Z", title="The first title"))
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
        assert (paper_rows(), stamps(), all_versions()) == (before, modified, versions)

    def test_an_older_record_adds_only_the_versions_the_paper_lacks(self):
        # The export API answered with v3: the paper knows v1 and v3, not v2.
        import_text(atom_of_0704_0001(3, "2008-01-10T10:00:00Z", title="A third title"))
        paper = Paper.objects.get(arxiv_id="0704.0001")
        assert (paper.version, paper.title, paper.updated) == (3, "A third title", datetime.date(2008, 1, 10))
        assert [v[0] for v in versions_of("0704.0001")] == [1, 3]
        fields, modified = paper_rows()[0][:-1], paper.modified_at
        # An older snapshot (v1, v2) brings v2 and nothing else: the title and dates of v3 stay.
        report = import_file(FIXTURES / "same_paper_0704.0001.jsonl")
        assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
        assert paper_rows()[0][:-1] == fields
        assert versions_of("0704.0001") == [
            (1, datetime.datetime(2007, 4, 2, 19, 18, 42, tzinfo=UTC), "", "atom"),
            (2, datetime.datetime(2007, 7, 24, 20, 10, 27, tzinfo=UTC), "", "snapshot"),
            (3, datetime.datetime(2008, 1, 10, 10, 0, tzinfo=UTC), "", "atom"),
        ]
        assert Paper.objects.get(arxiv_id="0704.0001").modified_at > modified
        again = import_file(FIXTURES / "same_paper_0704.0001.jsonl")
        assert (again.updated, again.unchanged) == (0, 1)

    def test_a_newer_record_that_knows_fewer_versions_keeps_the_others(self):
        line = sample_line("0704.0064")
        import_lines(dict(line, versions=line["versions"][:4]))
        (full,) = arxiv.parse_snapshot_lines([json.dumps(line)])
        assert isinstance(full, arxiv.PaperRecord)
        first, fifth = full.versions[0], full.versions[4]
        from_api = dataclasses.replace(
            full,
            versions=(first._replace(source="atom"), fifth._replace(source="atom")),
            title="The fifth version's title",
            license=None,
        )
        report = upsert_papers([from_api])
        assert report.updated == 1
        paper = Paper.objects.get(arxiv_id="0704.0064")
        assert (paper.version, paper.title, paper.updated) == (
            5,
            "The fifth version's title",
            datetime.date(2008, 10, 24),
        )
        assert [(n, source) for n, _, _, source in versions_of("0704.0064")] == [
            (1, "snapshot"),
            (2, "snapshot"),
            (3, "snapshot"),
            (4, "snapshot"),
            (5, "atom"),
        ]
        # The export API cannot say which license: the one the snapshot gave stays.
        assert paper.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"

    def test_arxiv_raw_fills_the_sizes_and_nothing_else(self):
        import_file(FIXTURES / "same_paper_0704.0001.jsonl")
        fields = paper_rows()[0][:-1]
        report = import_file(FIXTURES / "same_paper_0704.0001_oai_arxivraw.xml")
        assert (report.updated, report.unchanged) == (1, 0)
        assert paper_rows()[0][:-1] == fields
        assert versions_of("0704.0001") == [
            (1, datetime.datetime(2007, 4, 2, 19, 18, 42, tzinfo=UTC), "424kb", "arxivraw"),
            (2, datetime.datetime(2007, 7, 24, 20, 10, 27, tzinfo=UTC), "423kb", "arxivraw"),
        ]
        # Formats without sizes never take them away.
        for name in (
            "same_paper_0704.0001.jsonl",
            "same_paper_0704.0001_atom.xml",
            "same_paper_0704.0001_oai_arxiv.xml",
        ):
            assert import_file(FIXTURES / name).unchanged == 1, name
        assert [size for _, _, size, _ in versions_of("0704.0001")] == ["424kb", "423kb"]

    def test_the_license_follows_the_newest_record_that_can_say(self):
        line = sample_line("0704.0001")
        import_lines(dict(line, versions=line["versions"][:1], license=BY))
        import_file(FIXTURES / "same_paper_0704.0001_atom.xml")  # v2, but the export API names no license
        assert Paper.objects.values_list("version", "license").get() == (2, BY)
        import_lines(dict(line, license="http://arxiv.org/licenses/nonexclusive-distrib/1.0/"))
        assert Paper.objects.get().license_name == "arXiv non-exclusive license to distribute"

    def test_the_same_paper_twice_in_a_batch_keeps_the_newest_with_every_version(self):
        (snapshot,) = arxiv.parse_snapshot_lines([json.dumps(sample_line("0704.0064"))])
        assert isinstance(snapshot, arxiv.PaperRecord)
        older = dataclasses.replace(snapshot, version=3, versions=snapshot.versions[:3], title="Third")
        newest = dataclasses.replace(snapshot, versions=(snapshot.versions[0], snapshot.versions[4]), title="Fifth")
        report = upsert_papers([older, newest])
        assert (report.read, report.created, report.unchanged) == (2, 1, 1)
        assert Paper.objects.get().title == "Fifth"
        assert [v[0] for v in versions_of("0704.0064")] == [1, 2, 3, 5]


class MojibakeImportTests(TestCase):
    def test_text_is_stored_repaired_and_counted_once(self):
        lines = SAMPLE.read_bytes().splitlines(keepends=True)
        data = json.loads(lines[1])
        data["title"] = "Sparsity-certifying Graph Decompositions after WÃ¼bben"
        data["authors_parsed"][0][0] = "StreinuÃ¶"
        lines[1] = json.dumps(data).encode() + b"\n"
        path = snapshot_copy(lines)
        self.addCleanup(path.unlink)
        report = import_file(path)
        assert (report.created, report.repaired) == (100, 1)
        assert "mojibake repaired in 1" in report.summary()
        paper = Paper.objects.get(arxiv_id="0704.0002")
        assert paper.title == "Sparsity-certifying Graph Decompositions after Wübben"
        assert paper.author_names.startswith("Ileana Streinuö, ")
        again = import_file(path)
        assert (again.unchanged, again.repaired) == (100, 0)


class EveryFixtureTests(TestCase):
    def import_all(self, names: list[str]) -> list:
        return [import_file(FIXTURES / name) for name in names]

    def test_a_second_import_of_every_fixture_changes_nothing(self):
        self.import_all(EVERY_FIXTURE)
        before, rows, modified, versions = counts(), paper_rows(), stamps(), all_versions()
        assert PaperVersion.objects.count() == len(versions) > 175
        reports = self.import_all(EVERY_FIXTURE)
        assert sum(report.created for report in reports) == 0
        assert sum(report.updated for report in reports) == 0
        assert (counts(), paper_rows(), stamps(), all_versions()) == (before, rows, modified, versions)

    def test_the_versions_kept_do_not_depend_on_the_order_of_the_imports(self):
        self.import_all(EVERY_FIXTURE)
        forward = all_versions()
        Paper.objects.all().delete()
        self.import_all(EVERY_FIXTURE[::-1])
        assert all_versions() == forward


class PagesApiAndAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        import_file(SAMPLE)
        import_file(FIXTURES / "same_paper_0704.0001_oai_arxivraw.xml")

    def page(self, arxiv_id: str) -> str:
        response = self.client.get(reverse("papers:detail", args=[arxiv_id]))
        assert response.status_code == 200
        return response.content.decode()

    def test_the_page_lists_each_version_with_its_date_and_link(self):
        # The versions are one query for the page, however many: five of them cost what one does.
        counts = []
        for arxiv_id in ("0704.0064", "0704.0099"):
            paper = Paper.objects.get(arxiv_id=arxiv_id)
            count, _, sql = queries_of(self.client, paper.get_absolute_url())
            counts.append(count - discussion_queries(paper) - PUBLIC_NOTES_QUERIES)
        assert counts == [5, 5], sql  # paper, authorships, categories, versions, video links
        body = self.page("0704.0001")
        for number, moment, day in [
            (1, "2007-04-02T19:18:42", "2 Apr 2007"),
            (2, "2007-07-24T20:10:27", "24 Jul 2007"),
        ]:
            link = f'<a href="https://arxiv.org/abs/0704.0001v{number}">v{number}</a>'
            assert f'{link} <time datetime="{moment}+00:00">{day}</time>' in body
        assert "(424kb)" in body and "(423kb)" in body

    def test_the_page_names_the_license_and_links_it(self):
        body = self.page("0704.0033")
        assert '<a href="http://creativecommons.org/licenses/by-nc-nd/4.0/" rel="license">CC BY-NC-ND 4.0</a>' in body
        assert ">arXiv non-exclusive license to distribute</a>" in self.page("0704.0002")
        assert "<dt>License</dt>" not in self.page("0704.0001")

    def test_a_curators_abstract_breaks_at_blank_lines_typed_in_any_line_ending(self):
        assert Paper(abstract="One,\r\ntwo.\r\n\r\nThree.\n \nFour.").abstract_paragraphs == [
            "One,\r\ntwo.",
            "Three.",
            "Four.",
        ]

    def test_the_page_shows_the_abstract_in_its_paragraphs(self):
        body = self.page("0704.0099")
        abstract = body.split('<h2 id="abstract-title">Abstract</h2>', 1)[1].split("</section>", 1)[0]
        assert abstract.count("<p>") == 3
        assert "<p>In the course of this work, we introduce the novel notion of" in abstract

    def test_the_api_gives_versions_and_license(self):
        data = client_for().get("/api/v1/papers/0704.0001/").json()
        assert data["versions"] == [
            {
                "version": 1,
                "submitted": "2007-04-02T19:18:42+00:00",
                "size": "424kb",
                "abs_url": "https://arxiv.org/abs/0704.0001v1",
            },
            {
                "version": 2,
                "submitted": "2007-07-24T20:10:27+00:00",
                "size": "423kb",
                "abs_url": "https://arxiv.org/abs/0704.0001v2",
            },
        ]
        assert (data["license"], data["license_name"]) == ("", "")
        data = client_for().get("/api/v1/papers/0704.0033/").json()
        assert (data["license"], data["license_name"]) == (
            "http://creativecommons.org/licenses/by-nc-nd/4.0/",
            "CC BY-NC-ND 4.0",
        )
        assert data["abstract"].count("\n\n") == 0
        assert client_for().get("/api/v1/papers/0704.0099/").json()["abstract"].count("\n\n") == 2

    def test_the_admin_shows_the_versions_read_only(self):
        self.client.force_login(self.people.carol)
        paper = Paper.objects.get(arxiv_id="0704.0001")
        body = self.client.get(reverse("admin:papers_paper_change", args=[paper.pk])).content.decode()
        assert "424kb" in body and "OAI-PMH arXivRaw" in body
        assert 'name="versions-0-size"' not in body
        assert 'name="versions-TOTAL_FORMS"' in body
