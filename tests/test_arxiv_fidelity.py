"""What arXiv records say beyond the latest version, read as each format says it: every version with its date and
size, the license, the abstract's paragraphs, and text that arrived double-decoded (issue 12). Pure parsing, from
the real-format fixtures in tests/fixtures/arxiv; the import side is tests/test_import_versions.py."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path

import orjson
import pytest

from papers.arxiv import (
    BadRecord,
    PaperRecord,
    RecordVersion,
    normalize_abstract,
    parse_atom,
    parse_oai,
    parse_snapshot_lines,
)
from papers.importers import plain_snapshot_record
from papers.licenses import license_name

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"
UTC = datetime.UTC
NONEXCLUSIVE = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
BY_NC_ND = "http://creativecommons.org/licenses/by-nc-nd/4.0/"
# The sample's abstracts with more than one paragraph (a line break followed by indentation).
PARAGRAPHED = {
    "0704.0010": 2,
    "0704.0024": 2,
    "0704.0047": 2,
    "0704.0050": 2,
    "0704.0061": 2,
    "0704.0072": 2,
    "0704.0091": 2,
    "0704.0099": 3,
}


def snapshot_lines() -> list[str]:
    return (FIXTURES / "snapshot_sample_100.jsonl").read_text(encoding="utf-8").splitlines()


def snapshot_records() -> dict[str, PaperRecord]:
    records = [record for record in parse_snapshot_lines(snapshot_lines()) if isinstance(record, PaperRecord)]
    return {record.arxiv_id: record for record in records}


def line_of(arxiv_id: str) -> dict:
    return next(json.loads(line) for line in snapshot_lines() if json.loads(line)["id"] == arxiv_id)


def one(line: dict) -> PaperRecord:
    (record,) = parse_snapshot_lines([json.dumps(line)])
    assert isinstance(record, PaperRecord), record
    return record


def both_readings(line: dict) -> tuple[PaperRecord, PaperRecord | None]:
    """The general parser's record of a snapshot line, and the quick reader's (None where it leaves the line)."""
    return one(line), plain_snapshot_record(orjson.dumps(line))


def records_of(name: str) -> dict[str, PaperRecord]:
    data = (FIXTURES / name).read_bytes()
    items = parse_atom(data).items if name.startswith(("api_", "same_paper_0704.0001_atom")) else parse_oai(data).items
    return {item.arxiv_id: item for item in items if isinstance(item, PaperRecord)}


# --- versions ---------------------------------------------------------------------------------------------------------


class TestVersions:
    def test_the_snapshot_gives_every_version_with_its_moment(self) -> None:
        records = snapshot_records()
        assert sum(len(record.versions) for record in records.values()) == 175
        assert sum(len(record.versions) > 1 for record in records.values()) == 49
        for record in records.values():
            assert [v.number for v in record.versions] == list(range(1, record.version + 1))
            assert all(
                v.submitted.tzinfo is not None and v.source == "snapshot" and v.size == "" for v in record.versions
            )
            assert (record.published, record.updated) == (
                record.versions[0].submitted.date(),
                record.versions[-1].submitted.date(),
            )
        assert [(v.number, v.submitted) for v in records["0704.0064"].versions] == [
            (1, datetime.datetime(2007, 4, 1, 13, 32, 15, tzinfo=UTC)),
            (2, datetime.datetime(2007, 5, 3, 16, 35, 49, tzinfo=UTC)),
            (3, datetime.datetime(2007, 12, 6, 13, 31, 19, tzinfo=UTC)),
            (4, datetime.datetime(2008, 6, 5, 11, 21, 43, tzinfo=UTC)),
            (5, datetime.datetime(2008, 10, 24, 12, 23, 58, tzinfo=UTC)),
        ]

    def test_arxiv_raw_gives_every_version_with_its_size(self) -> None:
        (record,) = records_of("same_paper_0704.0001_oai_arxivraw.xml").values()
        assert record.versions == (
            RecordVersion(1, datetime.datetime(2007, 4, 2, 19, 18, 42, tzinfo=UTC), "424kb", "arxivraw"),
            RecordVersion(2, datetime.datetime(2007, 7, 24, 20, 10, 27, tzinfo=UTC), "423kb", "arxivraw"),
        )
        harvested = records_of("oai_listrecords_arxivraw_resumption.xml")
        assert harvested["0704.0009"].versions == (
            RecordVersion(1, datetime.datetime(2007, 4, 2, 19, 41, 34, tzinfo=UTC), "1433kb", "arxivraw"),
        )

    def test_the_export_api_gives_the_first_version_and_the_one_it_returned(self) -> None:
        (record,) = records_of("api_id_list_1111.2011v2.xml").values()
        assert record.versions == (
            RecordVersion(1, datetime.datetime(2011, 11, 8, 18, 48, 36, tzinfo=UTC), "", "atom"),
            RecordVersion(2, datetime.datetime(2012, 4, 2, 12, 38, 54, tzinfo=UTC), "", "atom"),
        )
        (old_style,) = records_of("api_id_astro-ph_0601001.xml").values()
        assert old_style.versions == (
            RecordVersion(1, datetime.datetime(2006, 1, 2, 14, 57, 58, tzinfo=UTC), "", "atom"),
        )
        # v3: the versions between the first and the returned one are not in the feed, and are not invented.
        third = records_of("api_search_testing_10.xml")["2204.08348"]
        assert [v.number for v in third.versions] == [1, 3]

    def test_a_size_arxiv_would_not_write_stays_unknown(self) -> None:
        raw = (FIXTURES / "same_paper_0704.0001_oai_arxivraw.xml").read_text(encoding="utf-8")
        (record,) = parse_oai(raw.replace("<size>424kb</size>", f"<size>{'9' * 30}kb</size>")).items
        assert isinstance(record, PaperRecord)
        assert [v.size for v in record.versions] == ["", "423kb"]

    def test_oai_arxiv_format_names_no_version(self) -> None:
        assert all(record.versions == () for record in records_of("oai_listrecords_hep-ex.xml").values())

    def test_snapshot_and_arxiv_raw_date_the_same_versions_alike(self) -> None:
        harvested = records_of("oai_listrecords_arxivraw_resumption.xml")
        snapshot = snapshot_records()
        for arxiv_id in ("0704.0009", "0704.0025", "0704.0049", "0704.0062"):
            assert [(v.number, v.submitted) for v in harvested[arxiv_id].versions] == [
                (v.number, v.submitted) for v in snapshot[arxiv_id].versions
            ]

    def test_a_version_listed_twice_is_kept_once_and_versions_come_oldest_first(self) -> None:
        line = line_of("0704.0064")
        line["versions"] = [line["versions"][2], line["versions"][0], line["versions"][2], line["versions"][1]]
        for record in both_readings(line):
            assert record is not None
            assert [v.number for v in record.versions] == [1, 2, 3]
            assert record.version == 3

    def test_both_readings_of_the_snapshot_give_the_same_versions(self) -> None:
        for line in snapshot_lines():
            quick = plain_snapshot_record(line.encode())
            if quick is not None:
                assert quick.versions == one(json.loads(line)).versions


# --- license ----------------------------------------------------------------------------------------------------------


class TestLicense:
    def test_the_snapshot_gives_the_license_or_none(self) -> None:
        records = snapshot_records()
        licensed = {arxiv_id: record.license for arxiv_id, record in records.items() if record.license}
        assert len(licensed) == 13
        assert sorted(set(licensed.values())) == [NONEXCLUSIVE, BY_NC_ND]
        assert [arxiv_id for arxiv_id, url in licensed.items() if url == BY_NC_ND] == ["0704.0033", "0704.0038"]
        # null in the snapshot: arXiv records no license for the paper.
        assert records["0704.0001"].license == ""

    def test_oai_records_carry_their_license(self) -> None:
        assert [record.license for record in records_of("oai_listrecords_hep-ex.xml").values()] == [NONEXCLUSIVE] * 3

    def test_the_export_api_cannot_say(self) -> None:
        assert {record.license for record in records_of("api_search_au_del_maestro.xml").values()} == {None}

    def test_both_readings_of_the_snapshot_give_the_same_license(self) -> None:
        line = line_of("0704.0002")
        assert [record.license for record in both_readings(line)] == [NONEXCLUSIVE, NONEXCLUSIVE]

    def test_a_license_longer_than_a_url_is_a_bad_record(self) -> None:
        line = dict(line_of("0704.0002"), license="http://example.org/" + "x" * 200)
        (item,) = parse_snapshot_lines([json.dumps(line)])
        assert isinstance(item, BadRecord)
        assert "has a license of 219 characters, more than the 200 of a URL" in item.message
        assert plain_snapshot_record(orjson.dumps(line)) is None


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (NONEXCLUSIVE, "arXiv non-exclusive license to distribute"),
        ("http://arxiv.org/licenses/assumed-1991-2003/", "arXiv assumed license (1991-2003)"),
        ("http://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"),
        ("http://creativecommons.org/licenses/by-sa/4.0/", "CC BY-SA 4.0"),
        ("http://creativecommons.org/licenses/by-nc-sa/4.0/", "CC BY-NC-SA 4.0"),
        (BY_NC_ND, "CC BY-NC-ND 4.0"),
        ("http://creativecommons.org/licenses/by-nc/4.0/", "CC BY-NC 4.0"),
        ("http://creativecommons.org/licenses/by/3.0/", "CC BY 3.0"),
        ("http://creativecommons.org/licenses/by-nc-sa/3.0/", "CC BY-NC-SA 3.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
        ("http://creativecommons.org/licenses/publicdomain/", "Public domain (Creative Commons dedication)"),
        ("https://creativecommons.org/licenses/by/4.0", "CC BY 4.0"),
        ("https://www.creativecommons.org/licenses/by/2.5/de/", "CC BY 2.5 (DE)"),
        ("http://creativecommons.org/licenses/by-xx/4.0/", "http://creativecommons.org/licenses/by-xx/4.0/"),
        ("http://arxiv.org/licenses/other/", "http://arxiv.org/licenses/other/"),
        ("https://example.org/my-license", "https://example.org/my-license"),
        ("", ""),
    ],
)
def test_license_names(url: str, name: str) -> None:
    assert license_name(url) == name


# --- abstract paragraphs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  One line\nwrapped here.\n", "One line wrapped here."),
        ("  First paragraph\nwrapped.\n  Second paragraph.\n", "First paragraph wrapped.\n\nSecond paragraph."),
        ("First.\n\tSecond, after a tab.", "First.\n\nSecond, after a tab."),
        ("First.\n\nSecond, after a blank line.", "First.\n\nSecond, after a blank line."),
        ("First.  \n   \n  Second.\n  ", "First.\n\nSecond."),
        ("Ends with a break.\n  ", "Ends with a break."),
        ("", ""),
    ],
)
def test_normalize_abstract(text: str, expected: str) -> None:
    assert normalize_abstract(text) == expected


class TestParagraphs:
    def test_the_snapshot_sample_keeps_its_paragraphs_and_only_those(self) -> None:
        records = snapshot_records()
        counts = {arxiv_id: len(r.abstract.split("\n\n")) for arxiv_id, r in records.items() if "\n" in r.abstract}
        assert counts == PARAGRAPHED
        three = records["0704.0099"].abstract.split("\n\n")
        assert three[0].startswith("For positive semidefinite matrices $A$ and $B$, Ando and Zhan proved the")
        assert three[1].startswith("In this paper we consider the related question whether the inequalities $|||")
        assert three[2].startswith("In the course of this work, we introduce the novel notion of $Y$-dominated")
        assert three[2].endswith("mentioned above.")

    def test_hard_wraps_are_spaces(self) -> None:
        abstract = snapshot_records()["0704.0010"].abstract
        assert "Structures on a graph defined by means of semicubes" in abstract
        assert abstract.split("\n\n")[1].startswith("The operations of Cartesian product and pasting, and expansion")

    def test_the_export_api_keeps_paragraphs_in_both_its_layouts(self) -> None:
        # 2026 layout: no hard wraps, a paragraph is still a line break followed by indentation.
        abstract = records_of("api_search_testing_10.xml")["1812.11470"].abstract
        assert [p.split(".")[0] for p in abstract.split("\n\n")] == ["Context", "Objective", "Results", "Conclusion"]
        # 2016 layout: hard-wrapped like the snapshot, one paragraph.
        assert all("\n" not in r.abstract for r in records_of("api_search_au_del_maestro.xml").values())

    def test_arxiv_raw_and_both_snapshot_readings_agree_on_paragraphs(self) -> None:
        for arxiv_id in PARAGRAPHED:
            parsed, quick = both_readings(line_of(arxiv_id))
            assert quick is None or quick.abstract == parsed.abstract


# --- mojibake ---------------------------------------------------------------------------------------------------------


def doubly_decoded(text: str) -> str:
    """UTF-8 read as Windows-1252, as the mistake upstream makes it: "Wübben" -> "WÃ¼bben"."""
    return text.encode("utf-8").decode("cp1252")


class TestMojibake:
    def test_the_example_of_the_issue(self) -> None:
        assert doubly_decoded("Wübben") == "WÃ¼bben"

    def test_title_and_abstract_are_repaired_by_both_readings(self) -> None:
        line = line_of("0704.0002")
        line["title"] = "Sparsity-certifying Graph Decompositions after Wübben and Møller"
        line["abstract"] = line["abstract"].replace("Gabow and\nWestermann", "Gabow and\nWüstermann")
        expected = one(line)
        assert not expected.repaired
        broken = dict(line, title=doubly_decoded(line["title"]), abstract=doubly_decoded(line["abstract"]))
        for record in both_readings(broken):
            assert record is not None
            assert record.title == "Sparsity-certifying Graph Decompositions after Wübben and Møller"
            assert "Gabow and Wüstermann" in record.abstract
            assert record.repaired
            assert record == dataclasses.replace(expected, repaired=True)

    def test_author_names_are_repaired(self) -> None:
        line = line_of("0704.0062")  # "Rastislav Šrámek", "Broňa Brejová", "Tomáš Vinař"
        expected = one(line).authors
        line["authors_parsed"] = [[doubly_decoded(part) for part in parts] for parts in line["authors_parsed"]]
        line["authors"] = doubly_decoded(line["authors"])
        record = one(line)
        assert record.authors == expected == ("Rastislav Šrámek", "Broňa Brejová", "Tomáš Vinař")
        assert record.repaired

    def test_atom_and_oai_text_is_repaired(self) -> None:
        atom = (FIXTURES / "same_paper_0704.0001_atom.xml").read_text(encoding="utf-8")
        (record,) = parse_atom(atom.replace("<name>E. L. Berger</name>", "<name>E. L. WÃ¼bben</name>")).items
        assert isinstance(record, PaperRecord)
        assert (record.authors[1], record.repaired) == ("E. L. Wübben", True)
        raw = (FIXTURES / "same_paper_0704.0001_oai_arxivraw.xml").read_text(encoding="utf-8")
        (record,) = parse_oai(raw.replace("Calculation of prompt", "CalculaciÃ³n of prompt")).items
        assert isinstance(record, PaperRecord)
        assert record.title.startswith("Calculación of prompt") and record.repaired

    def test_right_text_is_left_alone(self) -> None:
        # Accents, LaTeX and symbols as arXiv sends them: nothing in the real samples is mojibake.
        assert not any(record.repaired for record in snapshot_records().values())
        for name in ("api_search_testing_10.xml", "api_search_au_del_maestro.xml", "oai_listrecords_hep-ex.xml"):
            assert not any(record.repaired for record in records_of(name).values())
        assert snapshot_records()["0704.0049"].authors == ("Mikkel Øbro",)
