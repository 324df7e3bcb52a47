"""Tests for author-name handling and the snapshot, export API (Atom) and OAI-PMH metadata parsers."""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from papers.arxiv import (
    AtomPage,
    BadRecord,
    InvalidFeed,
    OaiPage,
    PaperRecord,
    RecordVersion,
    author_display_name,
    author_key,
    detect_format,
    latex_to_unicode,
    normalize_text,
    parse_atom,
    parse_oai,
    parse_snapshot_lines,
    split_author_string,
)

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"

ABSTRACT_0704_0001 = (
    "A fully differential calculation in perturbative quantum chromodynamics is presented for the production of "
    "massive photon pairs at hadron colliders. All next-to-leading order perturbative contributions from "
    "quark-antiquark, gluon-(anti)quark, and gluon-gluon subprocesses are included, as well as all-orders "
    "resummation of initial-state gluon radiation valid at next-to-next-to-leading logarithmic accuracy. The region "
    "of phase space is specified in which the calculation is most reliable. Good agreement is demonstrated with data "
    "from the Fermilab Tevatron, and predictions are made for more detailed tests with CDF and DO data. Predictions "
    "are shown for distributions of diphoton pairs produced at the energy of the Large Hadron Collider (LHC). "
    "Distributions of the diphoton pairs from the decay of a Higgs boson are contrasted with those produced from QCD "
    "processes at the LHC, showing that enhanced sensitivity to the signal can be obtained with judicious selection "
    "of events."
)

PAPER_0704_0001 = PaperRecord(
    arxiv_id="0704.0001",
    version=2,
    title="Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
    abstract=ABSTRACT_0704_0001,
    authors=("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"),
    categories=("hep-ph",),
    published=datetime.date(2007, 4, 2),
    updated=datetime.date(2007, 7, 24),
    doi="10.1103/PhysRevD.76.013009",
    journal_ref="Phys.Rev.D76:013009,2007",
    comments="37 pages, 15 figures; published version",
    versions=(
        RecordVersion(1, datetime.datetime(2007, 4, 2, 19, 18, 42, tzinfo=datetime.UTC), "", "snapshot"),
        RecordVersion(2, datetime.datetime(2007, 7, 24, 20, 10, 27, tzinfo=datetime.UTC), "", "snapshot"),
    ),
    license="",
)


def metadata(record: PaperRecord) -> PaperRecord:
    """The record without what only some formats give (the versions' history, the license), to compare formats."""
    return dataclasses.replace(record, versions=(), license=None)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def snapshot_lines(name: str = "snapshot_sample_100.jsonl") -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines(keepends=True)


def snapshot_records(name: str = "snapshot_sample_100.jsonl") -> list[PaperRecord | BadRecord]:
    return list(parse_snapshot_lines(snapshot_lines(name)))


def snapshot_line(arxiv_id: str) -> dict:
    for line in snapshot_lines():
        data = json.loads(line)
        if data["id"] == arxiv_id:
            return data
    raise LookupError(arxiv_id)


def only_paper(items: list[PaperRecord | BadRecord]) -> PaperRecord:
    assert len(items) == 1
    (item,) = items
    assert isinstance(item, PaperRecord), item
    return item


def by_id(items: list[PaperRecord | BadRecord]) -> dict[str, PaperRecord]:
    return {item.arxiv_id: item for item in items if isinstance(item, PaperRecord)}


ATOM_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
    ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
)


def atom_entry(
    *,
    entry_id: str = "http://arxiv.org/abs/2105.06548v2",
    title: str = "A title",
    published: str = "2021-05-13T21:23:14Z",
    updated: str = "2021-06-01T10:00:00Z",
    authors: tuple[str, ...] = ("Ada Lovelace",),
) -> str:
    author_elements = "".join(f"<author><name>{name}</name></author>" for name in authors)
    title_element = f"<title>{title}</title>" if title is not None else ""
    published_element = f"<published>{published}</published>" if published is not None else ""
    return (
        f"  <entry>\n    <id>{entry_id}</id>\n    <updated>{updated}</updated>\n    {published_element}\n"
        f"    {title_element}\n    <summary>An abstract.</summary>\n    {author_elements}\n"
        '    <arxiv:primary_category term="cs.LG"/>\n    <category term="cs.LG"/>\n  </entry>\n'
    )


OAI_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
    "<responseDate>2024-03-05T10:40:12Z</responseDate>\n"
    '<request verb="ListRecords" metadataPrefix="arXivRaw">http://export.arxiv.org/oai2</request>\n'
)


def oai_raw_record(
    *, arxiv_id: str = "2105.06548", versions: str = "", title: str = "A title", authors: str = "Ada Lovelace"
) -> str:
    versions = versions or '<version version="v1"><date>Thu, 13 May 2021 21:23:14 GMT</date></version>'
    return (
        f"<record>\n<header>\n <identifier>oai:arXiv.org:{arxiv_id}</identifier>\n"
        " <datestamp>2021-05-14</datestamp>\n</header>\n<metadata>\n"
        f' <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>{arxiv_id}</id>{versions}'
        f"<title>{title}</title><authors>{authors}</authors><categories>cs.LG stat.ML</categories>"
        "<abstract>An abstract.</abstract></arXivRaw>\n</metadata>\n</record>\n"
    )


# ---------------------------------------------------------------------------------------------------------------------
# Author names
# ---------------------------------------------------------------------------------------------------------------------


class TestLatexToUnicode:
    @pytest.mark.parametrize(
        ("latex", "expected"),
        [
            ("C. Bal\\'azs", "C. Balázs"),
            ("Ren\\'{e}", "René"),
            ("{\\'E}mile", "Émile"),
            ("R. Tom\\`as", "R. Tomàs"),
            ('M{\\"u}ller', "Müller"),
            ('Gr\\"obner', "Gröbner"),
            ('{\\"O}zg\\"ur', "Özgür"),
            ("Fran\\c{c}ois", "François"),
            ("Fran\\c cois", "François"),
            ("\\c{C}a\\u{g}lar", "Çağlar"),
            ("Pe\\~na", "Peña"),
            ("Pe\\~{n}a", "Peña"),
            ("Rastislav \\v{S}r\\'amek", "Rastislav Šrámek"),
            ("Bro\\v{n}a Brejov\\'a", "Broňa Brejová"),
            ("Tom\\'a\\v{s} Vina\\v{r}", "Tomáš Vinař"),
            ("{\\v{S}}imon", "Šimon"),
            ("Erd\\H{o}s", "Erdős"),
            ("Wa\\l{}\\k{e}sa", "Wałęsa"),
            ("{\\L}ukasz", "Łukasz"),
            ("Mikkel {\\O}bro", "Mikkel Øbro"),
            ("S{\\o}ren", "Søren"),
            ("Gau\\ss", "Gauß"),
            ("Strau{\\ss}", "Strauß"),
            ('\\AA{}ngstr\\"om', "Ångström"),
            ("{\\aa}se", "åse"),
            ("{\\AE}sir", "Æsir"),
            ("D\\'\\i az", "Díaz"),
            ("Mikkel \\O bro", "Mikkel Øbro"),
            ("D\\'{\\i}az", "Díaz"),
            ("Ba\\^{\\i}", "Baî"),
            ("\\=a", "ā"),
            ("\\.Zmija", "Żmija"),
            ("J.~Smith", "J. Smith"),
            ('{Kr\\"oger}', "Kröger"),
        ],
    )
    def test_accents_and_letters_become_unicode(self, latex: str, expected: str) -> None:
        assert latex_to_unicode(latex) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "Adrian Del Maestro",
            "O'Brien",
            "Jean-Pierre Serre",
            "Müller",
            "Čech",
            "ATLAS Collaboration",
            "\\emph{x}",
            "$\\alpha$-decay",
            "100\\%",
            "\\cite{key}",
            "\\lambda",
            "a \\' ",
            "",
        ],
    )
    def test_other_text_is_left_alone(self, text: str) -> None:
        assert latex_to_unicode(text) == text


class TestAuthorDisplayName:
    @pytest.mark.parametrize(
        ("parts", "expected"),
        [
            (("Balázs", "C."), "C. Balázs"),
            (("Bal\\'azs", "C."), "C. Balázs"),
            (("Smith", "John", "Jr."), "John Smith Jr."),
            (("Evans", "Neal J.", "II"), "Neal J. Evans II"),
            (("Yuan", "C. -P."), "C.-P. Yuan"),
            (("Tolstoy", "V. N."), "V. N. Tolstoy"),
            (("Tolstoy", "V.N."), "V. N. Tolstoy"),
            (("Kosovtsov", "Yu.N."), "Yu. N. Kosovtsov"),
            (("Del Maestro", "Adrian"), "Adrian Del Maestro"),
            (("Einstein",), "Einstein"),
            (("Einstein", "", ""), "Einstein"),
            (("  Smith ", " John\n  Paul "), "John Paul Smith"),
            (("Øbro", "Mikkel"), "Mikkel Øbro"),
            (("Vinar\u030c", "Toma\u0301s\u030c"), "Tomáš Vinař"),
            (("", ""), ""),
        ],
    )
    def test_display_name(self, parts: tuple[str, ...], expected: str) -> None:
        assert author_display_name(*parts) == expected


class TestSplitAuthorString:
    @pytest.mark.parametrize(
        ("authors", "expected"),
        [
            ("A. Smith", ["A. Smith"]),
            ("A. Smith, B. Jones and C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
            ("A. Smith, B. Jones, and C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
            ("A. Smith; B. Jones; C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
            ("Ileana Streinu and Louis Theran", ["Ileana Streinu", "Louis Theran"]),
            ("Sandra Anderson and Andrea Sand", ["Sandra Anderson", "Andrea Sand"]),
            (
                "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
                ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"],
            ),
            ("V. M. Biryukov (Serpukhov, IHEP)", ["V. M. Biryukov"]),
            (
                "A. A. Schekochihin (Oxford), S. C. Cowley (Culham), W. Dorland\n  (Maryland)",
                ["A. A. Schekochihin", "S. C. Cowley", "W. Dorland"],
            ),
            (
                "A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, Japan\n  Science and Technology "
                "Agency, (2) Russian Research Centre ``Kurchatov\n  Institute'', (3) The University of Tokyo)",
                ["A. S. Mishchenko", "N. Nagaosa"],
            ),
            ("Arthur Jaffe (1) and Gordon Ritter (1) ((1) Harvard University)", ["Arthur Jaffe", "Gordon Ritter"]),
            (
                "Paul Harvey, Nicholas\n  Chapman, Neal J. Evans II",
                ["Paul Harvey", "Nicholas Chapman", "Neal J. Evans II"],
            ),
            ("John Smith, Jr., Ann Lee", ["John Smith Jr.", "Ann Lee"]),
            ("John Smith, III and Ann Lee", ["John Smith III", "Ann Lee"]),
            ("The BABAR Collaboration, B. Aubert, et al", ["The BABAR Collaboration", "B. Aubert"]),
            ("B. Aubert et al.", ["B. Aubert"]),
            ("Rastislav \\v{S}r\\'amek, Bro\\v{n}a Brejov\\'a", ["Rastislav Šrámek", "Broňa Brejová"]),
            ("V.N. Tolstoy (INP, Moscow State University)", ["V. N. Tolstoy"]),
            ("A. Smith,, B. Jones ,", ["A. Smith", "B. Jones"]),
            ("A. Smith (unclosed affiliation, B. Jones", ["A. Smith"]),
            ("", []),
            ("   ", []),
        ],
    )
    def test_split(self, authors: str, expected: list[str]) -> None:
        assert split_author_string(authors) == expected


class TestAuthorKey:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("C. Bal\\'azs", "c balazs"),
            ("C. Balázs", "c balazs"),
            ("C. -P. Yuan", "c p yuan"),
            ("C.-P. Yuan", "c p yuan"),
            ("Mikkel {\\O}bro", "mikkel obro"),
            ("Gau\\ss", "gauss"),
            ("Łukasz Wałęsa", "lukasz walesa"),
            ("  Adrian   DEL maestro ", "adrian del maestro"),
            ("O'Brien-Smith", "o brien smith"),
            ("Jos\u0065\u0301 Ram\u00edrez", "jose ramirez"),
            ("李 小龍", "李 小龍"),
            ("A_B", "a b"),
            ("...", ""),
        ],
    )
    def test_key(self, name: str, expected: str) -> None:
        assert author_key(name) == expected

    @pytest.mark.parametrize(
        "spellings",
        [
            ("C. Bal\\'azs", "C. Balázs", "C. BALÁZS", "C.Balazs", "C Balazs"),
            ("C. -P. Yuan", "C.-P. Yuan", "C. P. Yuan"),
            ("V.N. Tolstoy", "V. N. Tolstoy"),
            ("Tom\\'a\\v{s} Vina\\v{r}", "Tomáš Vinař", "Toma\u0301s\u030c Vinar\u030c", "Tomas Vinar"),
            ("Mikkel {\\O}bro", "Mikkel Øbro", "Mikkel Obro"),
        ],
    )
    def test_spellings_of_one_person_share_a_key(self, spellings: tuple[str, ...]) -> None:
        assert len({author_key(spelling) for spelling in spellings}) == 1

    @pytest.mark.parametrize(("first", "second"), [("J. Smith", "J. Smyth"), ("A. B. Smith", "A. Smith")])
    def test_different_names_get_different_keys(self, first: str, second: str) -> None:
        assert author_key(first) != author_key(second)


# ---------------------------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Calculation of prompt\n  diphoton  production \n", "Calculation of prompt diphoton production"),
        ("a\tb\r\nc", "a b c"),
        ("Koll\\'ar's theorem", "Koll\\'ar's theorem"),
        (
            "From dyadic $\\Lambda_{\\alpha}$ to\n  $\\Lambda_{\\alpha}$",
            "From dyadic $\\Lambda_{\\alpha}$ to $\\Lambda_{\\alpha}$",
        ),
        ("", ""),
        (" \n ", ""),
        ("1984", "1984"),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


class TestDetectFormat:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("snapshot_sample_100.jsonl", "snapshot"),
            ("snapshot_bad_lines.jsonl", "snapshot"),
            ("same_paper_0704.0001.jsonl", "snapshot"),
            ("api_error_bad_id_abc.xml", "atom"),
            ("api_id_astro-ph_0601001.xml", "atom"),
            ("api_id_list_1111.2011v2.xml", "atom"),
            ("api_search_au_del_maestro.xml", "atom"),
            ("api_search_testing_10.xml", "atom"),
            ("api_empty.xml", "atom"),
            ("same_paper_0704.0001_atom.xml", "atom"),
            ("oai_listrecords_hep-ex.xml", "oai"),
            ("oai_listrecords_arxivraw_resumption.xml", "oai"),
            ("oai_listrecords_last_page.xml", "oai"),
            ("oai_no_records_match.xml", "oai"),
            ("oai_error_bad_resumption_token.xml", "oai"),
            ("same_paper_0704.0001_oai_arxiv.xml", "oai"),
            ("same_paper_0704.0001_oai_arxivraw.xml", "oai"),
        ],
    )
    @pytest.mark.parametrize("head_size", [300, 4096])
    def test_each_fixture(self, name: str, expected: str, head_size: int) -> None:
        assert detect_format(fixture_bytes(name)[:head_size]) == expected

    @pytest.mark.parametrize(
        ("head", "expected"),
        [
            (b'\xef\xbb\xbf{"id":"0704.0001"', "snapshot"),
            (b'\n\n  {"id":"0704.0001"', "snapshot"),
            (b"<feed xmlns='http://www.w3.org/2005/Atom'>", "atom"),
            (b"<?xml version='1.0'?>\n<!-- cached 2024-03-05 -->\n<atom:feed xmlns:atom='x'>", "atom"),
            (b'<?xml version="1.0"?><!DOCTYPE OAI-PMH><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">', "oai"),
        ],
    )
    def test_prologue_variants(self, head: bytes, expected: str) -> None:
        assert detect_format(head) == expected

    @pytest.mark.parametrize(
        ("head", "message"),
        [
            (gzip.compress(fixture_bytes("api_empty.xml")), "gzip-compressed"),
            (b"", "not arXiv metadata"),
            (b"id,title\n0704.0001,Calculation", "not arXiv metadata"),
            (b"[1, 2, 3]", "not arXiv metadata"),
            (b"<!DOCTYPE html><html><body>Rate exceeded</body></html>", "unexpected XML root element <html>"),
            (b'<?xml version="1.0"?><rss version="2.0">', "unexpected XML root element <rss>"),
            (b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a long comment', "no XML root element"),
        ],
    )
    def test_other_data_is_refused(self, head: bytes, message: str) -> None:
        with pytest.raises(InvalidFeed, match=message):
            detect_format(head)


# ---------------------------------------------------------------------------------------------------------------------
# Snapshot (JSON lines)
# ---------------------------------------------------------------------------------------------------------------------


class TestSnapshot:
    def test_all_hundred_lines_parse(self) -> None:
        records = snapshot_records()
        assert [type(record) for record in records] == [PaperRecord] * 100
        assert [record.arxiv_id for record in records] == [f"0704.{number:04d}" for number in range(1, 101)]

    def test_first_paper_every_field(self) -> None:
        assert snapshot_records()[0] == PAPER_0704_0001

    def test_bytes_and_text_lines_give_the_same_records(self) -> None:
        lines = (FIXTURES / "snapshot_sample_100.jsonl").read_bytes().splitlines(keepends=True)
        assert list(parse_snapshot_lines(lines)) == snapshot_records()

    def test_reads_a_binary_file_object(self) -> None:
        with (FIXTURES / "snapshot_sample_100.jsonl").open("rb") as snapshot_file:
            assert list(parse_snapshot_lines(snapshot_file)) == snapshot_records()

    def test_is_streaming(self) -> None:
        def lines_then_failure() -> Iterator[str]:
            yield snapshot_lines()[0]
            raise AssertionError("the parser read ahead of the record it returned")

        assert next(parse_snapshot_lines(lines_then_failure())) == PAPER_0704_0001

    @pytest.mark.parametrize(
        ("arxiv_id", "field_name", "expected"),
        [
            # authors_parsed with a suffix, and with affiliations in a fourth slot
            (
                "0704.0009",
                "authors",
                (
                    "Paul Harvey",
                    "Bruno Merin",
                    "Tracy L. Huard",
                    "Luisa M. Rebull",
                    "Nicholas Chapman",
                    "Neal J. Evans II",
                    "Philip C. Myers",
                ),
            ),
            ("0704.0025", "authors", ("A. S. Mishchenko", "N. Nagaosa")),
            ("0704.0049", "authors", ("Mikkel Øbro",)),
            ("0704.0062", "authors", ("Rastislav Šrámek", "Broňa Brejová", "Tomáš Vinař")),
            ("0704.0081", "authors", ("V. N. Tolstoy",)),
            # LaTeX in titles and abstracts is kept exactly as written
            ("0704.0073", "title", "A transcendental approach to Koll\\'ar's injectivity theorem"),
            ("0704.0005", "title", "From dyadic $\\Lambda_{\\alpha}$ to $\\Lambda_{\\alpha}$"),
            (
                "0704.0019",
                "title",
                'Approximation for extinction probability of the contact process based on the Gr\\"obner basis',
            ),
            # categories in order, primary first
            ("0704.0002", "categories", ("math.CO", "cs.CG")),
            ("0704.0025", "categories", ("cond-mat.str-el", "cond-mat.stat-mech")),
            # versions: the count, the date of v1 and of the latest
            ("0704.0064", "version", 5),
            ("0704.0064", "published", datetime.date(2007, 4, 1)),
            ("0704.0064", "updated", datetime.date(2008, 10, 24)),
            ("0704.0009", "version", 1),
            ("0704.0009", "updated", datetime.date(2007, 4, 2)),
            # nulls become empty strings
            ("0704.0002", "doi", ""),
            ("0704.0002", "journal_ref", ""),
            ("0704.0062", "comments", ""),
            (
                "0704.0062",
                "journal_ref",
                (
                    "Algorithms in Bioinformatics: 7th International Workshop (WABI), 4645 volume of Lecture Notes in "
                    "Computer Science, pp. 240-251, Philadelphia, PA, USA, September 2007. Springer"
                ),
            ),
        ],
    )
    def test_field_values(self, arxiv_id: str, field_name: str, expected: object) -> None:
        assert getattr(by_id(snapshot_records())[arxiv_id], field_name) == expected

    def test_abstract_whitespace_is_normalised(self) -> None:
        for record in snapshot_records():
            paragraphs = record.abstract.split("\n\n")
            assert all(paragraph == " ".join(paragraph.split()) for paragraph in paragraphs)
            assert record.title == " ".join(record.title.split())
            assert record.abstract and record.title

    def test_updated_is_never_before_published(self) -> None:
        assert all(record.updated >= record.published for record in snapshot_records())

    def test_authors_string_gives_the_same_names_as_authors_parsed(self) -> None:
        # The same person must come out the same whichever field (or source) names them.
        for line in snapshot_lines():
            data = json.loads(line)
            del data["authors_parsed"]
            (from_string,) = parse_snapshot_lines([json.dumps(data)])
            (from_parsed,) = parse_snapshot_lines([line])
            assert from_string == from_parsed, data["id"]

    def test_bad_lines_are_reported_and_good_lines_around_them_parse(self) -> None:
        records = snapshot_records("snapshot_bad_lines.jsonl")
        summary = [
            (record.line, "bad") if isinstance(record, BadRecord) else (record.arxiv_id, "ok") for record in records
        ]
        assert summary == [
            ("0704.0002", "ok"),
            (2, "bad"),
            (4, "bad"),
            (5, "bad"),
            (6, "bad"),
            ("0704.0006", "ok"),
            (8, "bad"),
            ("0704.0008", "ok"),
            (10, "bad"),
            ("0704.0011", "ok"),
        ]

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            (2, r"^line 2 is not valid JSON: "),
            (4, r"^line 4: record 0704\.0004 has no title$"),
            (5, r"^line 5: record id '0704\.005' is not a valid arXiv id: .*3 digits after the dot"),
            (6, r"^line 6 is a JSON list, not an object$"),
            (8, r"^line 8: record 0704\.0007 has 'title' as a JSON int, not text: 1984$"),
            (10, r"^line 10: record 0704\.0010 has no versions list$"),
        ],
    )
    def test_bad_line_messages(self, line: int, message: str) -> None:
        records = snapshot_records("snapshot_bad_lines.jsonl")
        messages = {record.line: record.message for record in records if isinstance(record, BadRecord)}
        assert re.search(message, messages[line]), messages[line]

    def test_title_that_looks_like_a_number_stays_text(self) -> None:
        record = by_id(snapshot_records("snapshot_bad_lines.jsonl"))["0704.0008"]
        assert record.title == "2001"

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"id": None}, "record has no arXiv id"),
            ({"id": ""}, "record has no arXiv id"),
            ({"id": 704.0001}, "record id 704.0001 is a float, not text"),
            ({"id": "2113.00001"}, "record id '2113.00001' is not a valid arXiv id: month 13"),
            ({"title": "  \n "}, "record 0704.0001 has no title"),
            ({"title": None}, "record 0704.0001 has no title"),
            ({"abstract": ["a"]}, "record 0704.0001 has 'abstract' as a JSON list, not text"),
            ({"versions": []}, "record 0704.0001 has no versions list"),
            ({"versions": "v1"}, "record 0704.0001 has no versions list"),
            (
                {"versions": [{"version": "1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]},
                "malformed version label '1'",
            ),
            ({"versions": [{"version": "v0", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]}, "malformed version label"),
            ({"versions": [{"version": "v1", "created": "yesterday"}]}, "version v1 has a malformed date 'yesterday'"),
            ({"versions": [{"version": "v1"}]}, "record 0704.0001 version v1 has no date"),
            ({"versions": ["v1"]}, "malformed versions entry 'v1'"),
            ({"authors_parsed": "Balázs, C."}, "malformed authors_parsed"),
            ({"authors_parsed": [["Balázs", 3]]}, "malformed authors_parsed entry"),
        ],
    )
    def test_malformed_fields_make_a_bad_record_naming_the_record(self, change: dict, message: str) -> None:
        data = json.loads(snapshot_lines()[0]) | change
        (record,) = parse_snapshot_lines(["", json.dumps(data)])
        assert isinstance(record, BadRecord)
        assert record.line == 2
        assert record.message.startswith("line 2: ")
        assert message in record.message

    def test_versions_out_of_order_still_give_first_and_latest(self) -> None:
        data = json.loads(snapshot_lines()[0])
        data["versions"].reverse()
        (record,) = parse_snapshot_lines([json.dumps(data)])
        assert (record.version, record.published, record.updated) == (
            2,
            datetime.date(2007, 4, 2),
            datetime.date(2007, 7, 24),
        )

    def test_old_style_id_in_the_snapshot(self) -> None:
        data = json.loads(snapshot_lines()[0]) | {"id": "math/0309136"}
        (record,) = parse_snapshot_lines([json.dumps(data)])
        assert record.arxiv_id == "math/0309136"

    def test_invalid_utf8_is_a_bad_record(self) -> None:
        good = snapshot_lines()[0].encode("utf-8")
        records = list(parse_snapshot_lines([good, b'{"id": "0704.0002", "title": "\xff"}\n', good]))
        assert [type(record) for record in records] == [PaperRecord, BadRecord, PaperRecord]
        assert records[1] == BadRecord(2, "line 2 is not UTF-8 text: invalid start byte at byte 30")

    def test_byte_order_mark_on_the_first_line_is_ignored(self) -> None:
        (record,) = parse_snapshot_lines(["\ufeff" + snapshot_lines()[0]])
        assert record == PAPER_0704_0001

    @pytest.mark.parametrize("lines", [[], [""], ["\n", "  \n", "\r\n"]])
    def test_empty_input_gives_nothing(self, lines: list[str]) -> None:
        assert list(parse_snapshot_lines(lines)) == []


# ---------------------------------------------------------------------------------------------------------------------
# Export API (Atom)
# ---------------------------------------------------------------------------------------------------------------------


class TestAtom:
    def test_one_id_with_version(self) -> None:
        page = parse_atom(fixture_bytes("api_id_list_1111.2011v2.xml"))
        assert (page.total_results, page.start_index, page.items_per_page) == (1, 0, 10)
        record = only_paper(page.items)
        assert record.arxiv_id == "1111.2011"
        assert record.version == 2
        assert record.title == (
            "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
        )
        assert record.abstract.startswith(
            "Theoretical description of anisotropic systems, such as layered superconductors"
        )
        assert record.abstract.endswith(
            "similar to adding a single extra dimension to the theory describing a single node."
        )
        assert record.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
        assert record.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
        assert record.published == datetime.date(2011, 11, 8)
        assert record.updated == datetime.date(2012, 4, 2)
        assert record.doi == "10.1103/PhysRevB.85.115117"
        assert record.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
        assert record.comments == "8 pages, 3 figures. Published version"

    def test_old_style_id_in_the_2026_format(self) -> None:
        record = only_paper(parse_atom(fixture_bytes("api_id_astro-ph_0601001.xml")).items)
        assert (record.arxiv_id, record.version) == ("astro-ph/0601001", 1)
        assert record.authors == ("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski")
        assert record.categories == ("astro-ph",)
        assert record.published == record.updated == datetime.date(2006, 1, 2)
        assert record.journal_ref == "ActaAstron.56:1-50,2006"
        assert record.doi == ""
        # Entities are decoded, LaTeX is not touched.
        assert "Gould & Morgan (2003)" in record.abstract
        assert "V_max<17.5" in record.abstract
        assert "(1/310)(1^{+1.39}_{-0.59})" in record.abstract

    @pytest.mark.parametrize(
        ("name", "total_results", "start_index", "items_per_page", "count"),
        [
            ("api_search_au_del_maestro.xml", 31, 0, 10, 10),
            ("api_search_testing_10.xml", 214881, 0, 10, 10),
            ("api_id_astro-ph_0601001.xml", 1, 0, 100, 1),
            ("api_empty.xml", 0, 0, 10, 0),
        ],
    )
    def test_search_pages(
        self, name: str, total_results: int, start_index: int, items_per_page: int, count: int
    ) -> None:
        page = parse_atom(fixture_bytes(name))
        assert (page.total_results, page.start_index, page.items_per_page) == (
            total_results,
            start_index,
            items_per_page,
        )
        assert len(page.items) == count
        assert all(isinstance(item, PaperRecord) for item in page.items)

    @pytest.mark.parametrize(
        ("arxiv_id", "field_name", "expected"),
        [
            ("cond-mat/0412498", "authors", ("Adrian Del Maestro", "Subir Sachdev")),
            ("cond-mat/0412498", "version", 1),
            ("1303.6954", "version", 2),
            ("1303.6954", "published", datetime.date(2013, 3, 27)),
            ("1303.6954", "updated", datetime.date(2013, 9, 3)),
            ("1303.6954", "authors", ("B. Kulchytskyy", "G. Gervais", "A. Del Maestro")),
            ("1412.6529", "categories", ("cond-mat.quant-gas", "quant-ph")),
        ],
    )
    def test_search_entry_fields_2016_format(self, arxiv_id: str, field_name: str, expected: object) -> None:
        records = by_id(parse_atom(fixture_bytes("api_search_au_del_maestro.xml")).items)
        assert getattr(records[arxiv_id], field_name) == expected

    def test_utf8_names_are_preserved(self) -> None:
        records = by_id(parse_atom(fixture_bytes("api_search_testing_10.xml")).items)
        assert records["2405.13786"].authors == ("Aurora Ramírez", "Mario Berrios", "José Raúl Romero", "Robert Feldt")
        assert records["2204.08348"].version == 3
        assert records["2005.14124"].categories == ("cs.SE", "cs.CR", "cs.LG")

    def test_text_and_bytes_input_agree(self) -> None:
        raw = fixture_bytes("api_search_testing_10.xml")
        assert parse_atom(raw.decode("utf-8")) == parse_atom(raw)

    def test_error_feed_is_a_bad_record_with_arxivs_message(self) -> None:
        page = parse_atom(fixture_bytes("api_error_bad_id_abc.xml"))
        assert page.items == [BadRecord(line=9, message="arXiv API error: incorrect id format for abc")]
        assert not any(isinstance(item, PaperRecord) for item in page.items)

    def test_empty_feed_is_an_empty_page(self) -> None:
        assert parse_atom(fixture_bytes("api_empty.xml")) == AtomPage(
            items=[], total_results=0, start_index=0, items_per_page=10
        )

    def test_feed_without_paging_fields(self) -> None:
        assert parse_atom(ATOM_HEAD + "</feed>") == AtomPage(
            items=[], total_results=None, start_index=None, items_per_page=None
        )

    def test_bad_entry_is_reported_at_its_line_between_good_ones(self) -> None:
        document = (
            ATOM_HEAD
            + atom_entry(entry_id="http://arxiv.org/abs/2105.06548v2")
            + atom_entry(entry_id="http://arxiv.org/abs/2105.065")
            + atom_entry(entry_id="http://arxiv.org/abs/2105.06549v1")
            + "</feed>\n"
        )
        items = parse_atom(document).items
        assert [type(item) for item in items] == [PaperRecord, BadRecord, PaperRecord]
        bad = items[1]
        assert bad.line == 13
        assert document.splitlines()[bad.line - 1].strip() == "<entry>"
        assert "'http://arxiv.org/abs/2105.065'" in bad.message

    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            (atom_entry(title=""), "record 2105.06548 has no title"),
            (atom_entry(title=None), "record 2105.06548 has no title"),
            (atom_entry(published=None), "entry 2105.06548v2 published date is missing"),
            (atom_entry(published="13 May 2021"), "entry 2105.06548v2 published date '13 May 2021' is malformed"),
            (atom_entry(updated="2021-01-01T00:00:00Z"), "record 2105.06548 was updated (2021-01-01) before it was"),
            (atom_entry(entry_id=""), "record has no arXiv id"),
            (atom_entry(entry_id="http://example.org/abs/2105.06548"), "the host is 'example.org'"),
        ],
    )
    def test_malformed_entries(self, entry: str, message: str) -> None:
        (item,) = parse_atom(ATOM_HEAD + entry + "</feed>").items
        assert isinstance(item, BadRecord)
        assert message in item.message

    @pytest.mark.parametrize("title", ["1984", "2001", "42", "3.14"])
    def test_title_that_looks_like_a_number_stays_text(self, title: str) -> None:
        record = only_paper(parse_atom(ATOM_HEAD + atom_entry(title=title) + "</feed>").items)
        assert record.title == title

    def test_timestamps_are_dated_in_utc(self) -> None:
        entry = atom_entry(published="2021-05-13T23:30:00-05:00", updated="2021-05-14T04:30:00Z")
        record = only_paper(parse_atom(ATOM_HEAD + entry + "</feed>").items)
        assert record.published == record.updated == datetime.date(2021, 5, 14)

    def test_primary_category_first_and_no_duplicates(self) -> None:
        entry = atom_entry().replace('<category term="cs.LG"/>', '<category term="stat.ML"/><category term="cs.LG"/>')
        record = only_paper(parse_atom(ATOM_HEAD + entry + "</feed>").items)
        assert record.categories == ("cs.LG", "stat.ML")

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            (b"", "not well-formed XML"),
            (b"Rate exceeded.", "not well-formed XML"),
            (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "not well-formed XML"),
            (fixture_bytes("oai_listrecords_hep-ex.xml"), "expected an Atom <feed>, found <OAI-PMH> in namespace"),
            (b"<feed><entry/></feed>", "expected an Atom <feed>, found <feed> without a namespace"),
            (
                b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">]>'
                b"<feed xmlns='http://www.w3.org/2005/Atom'>&a;</feed>",
                "entity declarations are not accepted",
            ),
        ],
    )
    def test_unusable_documents_raise(self, document: bytes, message: str) -> None:
        with pytest.raises(InvalidFeed, match=message):
            parse_atom(document)


# ---------------------------------------------------------------------------------------------------------------------
# OAI-PMH
# ---------------------------------------------------------------------------------------------------------------------


class TestOai:
    def test_arxiv_format_record(self) -> None:
        page = parse_oai(fixture_bytes("oai_listrecords_hep-ex.xml"))
        assert (page.resumption_token, page.complete_list_size) == (None, None)
        assert [item.arxiv_id for item in page.items] == ["1706.05371", "1706.09418", "1707.00874"]
        record = page.items[0]
        assert record == PaperRecord(
            arxiv_id="1706.05371",
            version=None,
            title="Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid Xenon Detectors",
            abstract=record.abstract,
            authors=(
                "Tyler Anderson",
                "Jacob Cutter",
                "Navneet Dhaliwal",
                "Olivia Dalager",
                "Benjamin Godfrey",
                "Seth Hillbrand",
                "Michael Irving",
                "Aaron Manalaysay",
                "Juan Montoya",
                "James Morad",
                "Christian Neher",
                "Dustin Stolp",
                "Mani Tripathi",
            ),
            categories=("physics.ins-det", "hep-ex"),
            published=datetime.date(2017, 6, 16),
            updated=datetime.date(2017, 12, 12),
            doi="",
            journal_ref="",
            comments="10 pages, 9 figures",
            license="http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
        )
        assert record.abstract.startswith("Silicon photomultipliers (SiPMs) are potential solid-state alternatives to")
        assert record.abstract.endswith("with respect to dark-count rate, gain, or photon detection efficiency.")

    def test_arxiv_format_optional_fields_and_latex(self) -> None:
        records = by_id(parse_oai(fixture_bytes("oai_listrecords_hep-ex.xml")).items)
        assert records["1706.09418"].doi == "10.1140/epjc/s10052-017-5414-4"
        assert records["1706.09418"].journal_ref == "Eur. Phys. J. C (2017) 77:856"
        assert records["1706.09418"].comments == (
            "43 pages, 13 tables, 17 figures; updated Figs. 11-17 and Tab. 12 including NLO corrections; "
            "version accepted for publication in EPJC"
        )
        assert records["1707.00874"].title == (
            "Implications of right-handed neutrinos in $B-L$ extended standard model with scalar dark matter"
        )
        assert records["1707.00874"].categories == ("hep-ph", "astro-ph.CO", "hep-ex")

    def test_arxiv_raw_page_with_resumption_token(self) -> None:
        page = parse_oai(fixture_bytes("oai_listrecords_arxivraw_resumption.xml"))
        assert page.resumption_token == "6960524|1001"
        assert page.complete_list_size == 2461
        # 0704.0097 is deleted and skipped.
        assert [item.arxiv_id for item in page.items] == [
            "0704.0009",
            "0704.0025",
            "0704.0049",
            "0704.0062",
            "astro-ph/0601001",
        ]
        records = by_id(page.items)
        assert records["0704.0062"].authors == ("Rastislav Šrámek", "Broňa Brejová", "Tomáš Vinař")
        assert records["0704.0025"].authors == ("A. S. Mishchenko", "N. Nagaosa")
        assert records["0704.0049"].authors == ("Mikkel Øbro",)
        assert records["0704.0009"].authors[5] == "Neal J. Evans II"
        assert (records["0704.0062"].version, records["0704.0062"].published) == (1, datetime.date(2007, 3, 31))

    def test_last_page_has_no_token_but_keeps_the_size(self) -> None:
        assert parse_oai(fixture_bytes("oai_listrecords_last_page.xml")) == OaiPage(
            items=[], resumption_token=None, complete_list_size=2002
        )

    def test_no_records_match_is_an_empty_page(self) -> None:
        assert parse_oai(fixture_bytes("oai_no_records_match.xml")) == OaiPage(
            items=[], resumption_token=None, complete_list_size=0
        )

    def test_other_oai_errors_raise_with_code_and_message(self) -> None:
        with pytest.raises(
            InvalidFeed,
            match=r"^OAI-PMH error badResumptionToken: The value of the resumptionToken argument is invalid or expired",
        ):
            parse_oai(fixture_bytes("oai_error_bad_resumption_token.xml"))

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ('<error code="badArgument">Illegal argument</error>', "badArgument: Illegal argument"),
            ('<error code="cannotDisseminateFormat">no</error>', "cannotDisseminateFormat"),
            ('<error code="noRecordsMatch">none</error><error code="badArgument">bad</error>', "badArgument: bad"),
            ("<Identify><repositoryName>arXiv</repositoryName></Identify>", "no ListRecords or GetRecord"),
        ],
    )
    def test_unusable_oai_responses_raise(self, body: str, message: str) -> None:
        with pytest.raises(InvalidFeed, match=message):
            parse_oai(OAI_HEAD + body + "</OAI-PMH>")

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            (b"", "not well-formed XML"),
            (b"<html><body>503 Service Unavailable", "not well-formed XML"),
            (
                fixture_bytes("api_empty.xml"),
                "expected an <OAI-PMH> response, found <feed> in namespace 'http://www.w3.org/2005/Atom'",
            ),
            (b"<OAI-PMH><ListRecords/></OAI-PMH>", "found <OAI-PMH> without a namespace"),
        ],
    )
    def test_unusable_documents_raise(self, document: bytes, message: str) -> None:
        with pytest.raises(InvalidFeed, match=message):
            parse_oai(document)

    def test_versions_give_version_and_dates(self) -> None:
        versions = (
            '<version version="v3"><date>Fri, 4 Jun 2021 09:00:00 GMT</date><size>1kb</size></version>'
            '<version version="v1"><date>Thu, 13 May 2021 21:23:14 GMT</date><size>1kb</size></version>'
            '<version version="v2"><date>Tue, 1 Jun 2021 23:59:59 GMT</date><size>1kb</size></version>'
        )
        page = parse_oai(OAI_HEAD + "<ListRecords>" + oai_raw_record(versions=versions) + "</ListRecords></OAI-PMH>")
        record = only_paper(page.items)
        assert (record.version, record.published, record.updated) == (
            3,
            datetime.date(2021, 5, 13),
            datetime.date(2021, 6, 4),
        )
        assert record.categories == ("cs.LG", "stat.ML")

    def test_bad_record_is_reported_at_its_line_between_good_ones(self) -> None:
        document = (
            OAI_HEAD
            + "<ListRecords>\n"
            + oai_raw_record(arxiv_id="2105.06548")
            + oai_raw_record(arxiv_id="2105.06549", title="")
            + oai_raw_record(arxiv_id="2105.06550")
            + "</ListRecords>\n</OAI-PMH>\n"
        )
        items = parse_oai(document).items
        assert [type(item) for item in items] == [PaperRecord, BadRecord, PaperRecord]
        assert items[1].message == "record 2105.06549 has no title"
        assert document.splitlines()[items[1].line - 1] == "<record>"
        assert items[1].line == 15

    @pytest.mark.parametrize(
        ("record", "message"),
        [
            (oai_raw_record(arxiv_id="2105.6548"), "record id '2105.6548' is not a valid arXiv id"),
            (oai_raw_record(versions="<size>1kb</size>"), "record 2105.06548 has no version elements"),
            (
                oai_raw_record(versions='<version version="1"><date>Thu, 13 May 2021 21:23:14 GMT</date></version>'),
                "record 2105.06548 has a malformed version label '1'",
            ),
            (
                oai_raw_record(versions='<version version="v1"><date>13/05/2021</date></version>'),
                "record 2105.06548 version v1 has a malformed date '13/05/2021'",
            ),
            (
                "<record><header><identifier>oai:arXiv.org:2105.06548</identifier></header><metadata>"
                '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"/></metadata></record>',
                "record oai:arXiv.org:2105.06548 has no metadata in the arXiv or arXivRaw format",
            ),
        ],
    )
    def test_malformed_records(self, record: str, message: str) -> None:
        (item,) = parse_oai(OAI_HEAD + "<ListRecords>" + record + "</ListRecords></OAI-PMH>").items
        assert isinstance(item, BadRecord)
        assert message in item.message

    def test_arxiv_format_without_updated_uses_created(self) -> None:
        document = fixture_bytes("same_paper_0704.0001_oai_arxiv.xml").replace(b"<updated>2007-07-24</updated>", b"")
        record = only_paper(parse_oai(document).items)
        assert record.published == record.updated == datetime.date(2007, 4, 2)

    @pytest.mark.parametrize("title", ["1984", "2001", "42"])
    def test_title_that_looks_like_a_number_stays_text(self, title: str) -> None:
        document = OAI_HEAD + "<ListRecords>" + oai_raw_record(title=title) + "</ListRecords></OAI-PMH>"
        assert only_paper(parse_oai(document).items).title == title


# ---------------------------------------------------------------------------------------------------------------------
# One paper, every source
# ---------------------------------------------------------------------------------------------------------------------


class TestSamePaperFromEverySource:
    def test_snapshot_atom_and_arxiv_raw_agree(self) -> None:
        from_snapshot = only_paper(snapshot_records("same_paper_0704.0001.jsonl"))
        from_atom = only_paper(parse_atom(fixture_bytes("same_paper_0704.0001_atom.xml")).items)
        from_oai_raw = only_paper(parse_oai(fixture_bytes("same_paper_0704.0001_oai_arxivraw.xml")).items)
        assert from_snapshot == PAPER_0704_0001
        assert metadata(from_atom) == metadata(from_oai_raw) == metadata(PAPER_0704_0001)

    def test_oai_arxiv_format_agrees_except_for_the_version_it_does_not_carry(self) -> None:
        from_oai = only_paper(parse_oai(fixture_bytes("same_paper_0704.0001_oai_arxiv.xml")).items)
        assert from_oai.version is None
        assert from_oai.versions == ()
        assert metadata(from_oai) == dataclasses.replace(metadata(PAPER_0704_0001), version=None)

    def test_every_format_dates_the_versions_it_knows_alike(self) -> None:
        from_snapshot = only_paper(snapshot_records("same_paper_0704.0001.jsonl"))
        from_atom = only_paper(parse_atom(fixture_bytes("same_paper_0704.0001_atom.xml")).items)
        from_oai_raw = only_paper(parse_oai(fixture_bytes("same_paper_0704.0001_oai_arxivraw.xml")).items)
        dated = [(v.number, v.submitted) for v in PAPER_0704_0001.versions]
        assert [(v.number, v.submitted) for v in from_snapshot.versions] == dated
        assert [(v.number, v.submitted) for v in from_atom.versions] == dated
        assert [(v.number, v.submitted) for v in from_oai_raw.versions] == dated
        assert [(v.size, v.source) for v in from_snapshot.versions] == [("", "snapshot")] * 2
        assert [(v.size, v.source) for v in from_atom.versions] == [("", "atom")] * 2
        assert [(v.size, v.source) for v in from_oai_raw.versions] == [("424kb", "arxivraw"), ("423kb", "arxivraw")]

    def test_old_style_paper_from_atom_and_arxiv_raw_agree(self) -> None:
        from_atom = only_paper(parse_atom(fixture_bytes("api_id_astro-ph_0601001.xml")).items)
        from_oai_raw = by_id(parse_oai(fixture_bytes("oai_listrecords_arxivraw_resumption.xml")).items)
        assert metadata(from_oai_raw["astro-ph/0601001"]) == metadata(from_atom)
        assert [(v.number, v.submitted) for v in from_oai_raw["astro-ph/0601001"].versions] == [
            (v.number, v.submitted) for v in from_atom.versions
        ]

    @pytest.mark.parametrize("arxiv_id", ["0704.0009", "0704.0025", "0704.0049", "0704.0062"])
    def test_snapshot_and_arxiv_raw_agree(self, arxiv_id: str) -> None:
        from_snapshot = by_id(snapshot_records())[arxiv_id]
        from_oai_raw = by_id(parse_oai(fixture_bytes("oai_listrecords_arxivraw_resumption.xml")).items)[arxiv_id]
        assert metadata(from_oai_raw) == metadata(from_snapshot)
        assert [(v.number, v.submitted) for v in from_oai_raw.versions] == [
            (v.number, v.submitted) for v in from_snapshot.versions
        ]
        assert all(v.size.endswith("kb") for v in from_oai_raw.versions)

    def test_author_keys_agree_across_sources(self) -> None:
        # Yuan is "C. -P." in authors_parsed, OAI and Atom but "C.-P." in the free-text author list.
        sources = [
            only_paper(snapshot_records("same_paper_0704.0001.jsonl")).authors,
            only_paper(parse_atom(fixture_bytes("same_paper_0704.0001_atom.xml")).items).authors,
            only_paper(parse_oai(fixture_bytes("same_paper_0704.0001_oai_arxiv.xml")).items).authors,
            only_paper(parse_oai(fixture_bytes("same_paper_0704.0001_oai_arxivraw.xml")).items).authors,
            tuple(split_author_string(snapshot_line("0704.0001")["authors"])),
        ]
        keys = {tuple(author_key(name) for name in authors) for authors in sources}
        assert keys == {("c balazs", "e l berger", "p m nadolsky", "c p yuan")}

    @pytest.mark.parametrize("arxiv_id", ["0704.0001", "0704.0028", "0704.0032", "0704.0049", "0704.0062", "0704.0081"])
    def test_author_string_and_parsed_authors_give_equal_names_and_keys(self, arxiv_id: str) -> None:
        data = snapshot_line(arxiv_id)
        from_parsed = [author_display_name(*(parts + ["", ""])[:3]) for parts in data["authors_parsed"]]
        from_string = split_author_string(data["authors"])
        assert from_string == from_parsed
        assert [author_key(name) for name in from_string] == [author_key(name) for name in from_parsed]


def test_pages_hold_independent_item_lists() -> None:
    # A mutable default shared between pages would leak items from one response into the next.
    AtomPage().items.append(BadRecord(0, "leaked"))
    OaiPage().items.append(BadRecord(0, "leaked"))
    assert AtomPage().items == []
    assert OaiPage().items == []


def test_snapshot_parser_handles_many_lines_lazily() -> None:
    endless = itertools.cycle(snapshot_lines()[:3])
    first_thousand = list(itertools.islice(parse_snapshot_lines(endless), 1000))
    assert len(first_thousand) == 1000
    assert all(isinstance(record, PaperRecord) for record in first_thousand)
