"""arXiv identifiers read as arXiv reads them, held against the reference suites' vectors.

Each group below restates, as facts of our own parser, the inputs and outcomes of one reference test suite:
arxiv-base (arXiv's identifier module: `arxiv/identifier`, its `Identifier` class and its text finder
`parse_arxiv_id`), arxiv-browse (the abs and pdf routes of arxiv.org and their tests) and idutils
(inveniosoftware/idutils, its arXiv cases in `tests/test_idutils.py`). Where we decide differently from a suite the
group says so and why; papers/arxiv.py's "Identifiers" comment block gives the rules.

An expected value is (canonical id, version) for an accepted input, or None for a refusal.
"""

from __future__ import annotations

import pytest

from papers.arxiv import ArxivId, InvalidArxivId, find_arxiv_ids, parse_arxiv_id, scan_arxiv_references

Expected = tuple[str, int | None] | None


def outcome(text: str) -> Expected:
    try:
        parsed = parse_arxiv_id(text)
    except InvalidArxivId:
        return None
    return (parsed.id, parsed.version)


def ids(*pairs: tuple[str, int | None]) -> list[ArxivId]:
    return [ArxivId(arxiv_id, version) for arxiv_id, version in pairs]


# --- arxiv-base, arxiv/identifier/test_arxiv_identifier.py: Identifier keeps the id and sets aside what follows it.
ARXIV_BASE_IDENTIFIER = [
    ("physics/0303098", ("physics/0303098", None)),
    ("physics/0303098/", ("physics/0303098", None)),
    ("physics/0303098/static/icon.png", ("physics/0303098", None)),
]

# --- arxiv-base, arxiv/identifier/test_identifier.py: the text finder `parse_arxiv_id` on bare ids.
# Its finder returns any YYMM.NNNN(N) it sees without judging it; arXiv's Identifier (what arxiv.org runs on a
# request) refuses five digits above 9999 before 2015, so 1203.12345 names no paper and we refuse it (class 3).
# The "odd mashup" hep-ph/1203.12345v12 is refused for the same reason: its new-style part is not a valid id.
ARXIV_BASE_FINDER = [
    ("math/9901123", ("math/9901123", None)),
    ("hep-ex/9901123", ("hep-ex/9901123", None)),
    ("gr-qc/9901123", ("gr-qc/9901123", None)),
    ("math.NA/9901123", ("math/9901123", None)),
    ("cs.DB/9901123", ("cs/9901123", None)),
    ("gr-qc/9901123v3", ("gr-qc/9901123", 3)),
    ("hep-ph/1203.12345v12", None),
    ("1202.1234", ("1202.1234", None)),
    ("1203.12345", None),
    ("1202.1234v1", ("1202.1234", 1)),
    ("1203.12345v1", None),
    ("1203.12345v12", None),
]

# --- arxiv-browse, tests/test_identifier.py, test_identifier_fields.
ARXIV_BROWSE_FIELDS = [
    ("0803.1924", ("0803.1924", None)),
    ("hep-th/0701051v4", ("hep-th/0701051", 4)),
    ("1201.0001", ("1201.0001", None)),
]

# --- arxiv-browse, tests/test_identifier.py, test_good_identifiers: a leading slash, doubled slashes, an arXiv:
# prefix, upper-case archives and a trailing path after the id all name the paper (class 2).
ARXIV_BROWSE_GOOD = [
    ("hep-th/9901001", ("hep-th/9901001", None)),
    ("/hep-th/0702050", ("hep-th/0702050", None)),
    ("/hep-th/0702050v1", ("hep-th/0702050", 1)),
    ("/0708.1234", ("0708.1234", None)),
    ("/0708.1234v1", ("0708.1234", 1)),
    ("hep-th//9901001", ("hep-th/9901001", None)),
    ("hep-th///9901001", ("hep-th/9901001", None)),
    ("arxiv:hep-th/9901001", ("hep-th/9901001", None)),
    ("hep-th/9901001/extra", ("hep-th/9901001", None)),
    ("hep-th/9901001/ExTrA", ("hep-th/9901001", None)),
    ("HEP-TH/9901001/extra", ("hep-th/9901001", None)),
    ("HEP-TH/9901001/ExTrA", ("hep-th/9901001", None)),
    ("0704.0001", ("0704.0001", None)),
]

# --- arxiv-browse, tests/test_identifier.py, test_bad_identifiers, as the suite's tuple evaluates: two missing
# commas there glue neighbours together ("0800.0001" + "quant-ph/9409000", "0612.1234" + "0703.1234"), so the glued
# strings are what it tests; the two ids meant on their own are refused too and follow at the end.
ARXIV_BROWSE_BAD = [
    "BAD_ID",
    "hep-th/990100",
    "hep-th/99010011",
    "0703.123",
    "0703.123456",
    "",
    "/",
    "0713.0001",
    "0800.0001quant-ph/9409000",
    "0704.0000",
    "quant-ph/940900",
    "quant-ph/94090000",
    "quant-ph/94091",
    "quant-ph/940912",
    "quant-ph/94091234",
    "0707.000",
    "0707.00000",
    "0707.1",
    "0707.12",
    "0707.123",
    "0707.123456",
    "0705.35950705.3595v1/",
    "arxiv:0705.35950705.3595v1/",
    "0707.2096va",
    "0707.2096va/",
    "0612.1234",
    "0612.12340703.1234",
    "0703.1234",
    # meant separately in the suite
    "0800.0001",
    "quant-ph/9409000",
]

# --- arxiv-browse, the abs route (browse/routes/ui.py, controllers/abs_page.py) and tests/test_browse.py,
# tests/test_abs.py, tests/test_404.py: what arxiv.org answers with the paper or a 301 to it (class 4).
ARXIV_BROWSE_ABS_ROUTES = [
    # test_legacy_id_params: the id in the query, or the archive in the path and the number in the query
    ("https://arxiv.org/abs?id=0704.0600", ("0704.0600", None)),
    ("https://arxiv.org/abs?id=adap-org/9303002", ("adap-org/9303002", None)),
    ("https://arxiv.org/abs?adap-org/9303002", ("adap-org/9303002", None)),
    ("https://arxiv.org/abs?archive=adap-org&papernum=9303002", ("adap-org/9303002", None)),
    ("https://arxiv.org/abs/adap-org?papernum=9303002", ("adap-org/9303002", None)),
    ("https://arxiv.org/abs/adap-org?9303002", ("adap-org/9303002", None)),
    # test_fmt_param: other parameters leave the id alone
    ("https://arxiv.org/abs/adap-org/9303001?fmt=txt", ("adap-org/9303001", None)),
    # test_missing_paper: four digits after 2015 are answered with a 301 to the five-digit id
    ("https://arxiv.org/abs/1805.0001", ("1805.00001", None)),
    # test_old_id_format: the arXiv: prefix inside the path is answered with a 301
    ("https://arxiv.org/abs/arxiv:physics/9707012", ("physics/9707012", None)),
    # pages answered with 200
    ("https://arxiv.org/abs/0704.0380", ("0704.0380", None)),
    ("https://arxiv.org/abs/0704.0945v2", ("0704.0945", 2)),
    ("https://arxiv.org/abs/1101.5805v2", ("1101.5805", 2)),
    ("https://arxiv.org/abs/physics/9707012v4", ("physics/9707012", 4)),
    ("https://arxiv.org/abs/hep-th/9809096", ("hep-th/9809096", None)),
    ("https://arxiv.org/abs/1501.99999", ("1501.99999", None)),
    # 404: no id, Arabic-Indic digits, an unknown archive, a new-style id given as a bare query key
    ("https://arxiv.org/abs/abcde", None),
    ("https://arxiv.org/abs/gr-qc/\u06f9\u06f7\u06f0\u06f6123", None),
    ("https://arxiv.org/abs?archive=foo&papernum=1234567", None),
    ("https://arxiv.org/abs?0704.0600", None),
]

# --- arxiv-browse, the pdf route (browse/routes/dissemination.py) and tests/dissemination/: ".pdf" and any query
# are answered with a 301 to the plain address.
ARXIV_BROWSE_PDF_ROUTES = [
    ("https://arxiv.org/pdf/cs/0212040v1.pdf", ("cs/0212040", 1)),
    ("https://arxiv.org/pdf/1208.6335v1.pdf", ("1208.6335", 1)),
    ("https://arxiv.org/pdf/cs/0011004v1?crazy_query_string=notgood", ("cs/0011004", 1)),
    ("https://arxiv.org/pdf/2201.0001?crazy_query_string=notgood", ("2201.00001", None)),
    ("https://arxiv.org/pdf/acc-phys/9502001v1", ("acc-phys/9502001", 1)),
    ("https://arxiv.org/pdf/2101.04792", ("2101.04792", None)),
    ("https://arxiv.org/pdf/1809.00949v1", ("1809.00949", 1)),
]

# --- arxiv-base's Identifier on the number after the dot (class 3): the number is read as a number and written
# in its period's width, so a five-digit number with a leading zero before 2015 is the four-digit id, and a four-digit
# number from 2015 on is the five-digit id (arxiv-browse's test_missing_paper relies on the latter); a number too
# large for its period, or zero, is refused.
ARXIV_BASE_NUMBER_WIDTH = [
    ("0801.01234", ("0801.1234", None)),
    ("1412.00001", ("1412.0001", None)),
    ("1412.09999v2", ("1412.9999", 2)),
    ("0801.12345", None),
    ("1412.10000", None),
    ("1501.0001", ("1501.00001", None)),
    ("2105.0654", ("2105.00654", None)),
    ("1501.00000", None),
    ("0704.00000", None),
]

# --- idutils, tests/test_idutils.py: the arXiv cases (input, normalised id) and the link idutils writes for each.
# idutils also reads a new-style id behind an old-style archive ("hep-th/1601.07616", as INSPIRE and some
# bibliographies write them); arXiv's own parser refuses that, and we follow idutils there: the archive is a known
# one and what follows it is a valid id, so the text can only mean that paper.
IDUTILS = [
    ("arXiv:1310.2590", ("1310.2590", None)),
    ("arxiv:1310.2590", ("1310.2590", None)),
    ("1310.2590", ("1310.2590", None)),
    ("math.GT/0309136", ("math/0309136", None)),
    ("hep-th/9901001v27", ("hep-th/9901001", 27)),
    ("arxiv:math.GT/0309136v2", ("math/0309136", 2)),
    ("arXiv:hep-th/9901001v27", ("hep-th/9901001", 27)),
    ("9912.12345v2", ("9912.12345", 2)),
    ("arXiv:hep-th/1601.07616", ("1601.07616", None)),
    ("hep-th/1601.07616", ("1601.07616", None)),
]
IDUTILS_LINKS = [
    ("http://arxiv.org/abs/arXiv:1310.2590", ("1310.2590", None)),
    ("http://arxiv.org/abs/arXiv:math/0309136", ("math/0309136", None)),
    ("http://arxiv.org/abs/arXiv:hep-th/9901001v27", ("hep-th/9901001", 27)),
    ("http://arxiv.org/abs/arXiv:math/0309136v2", ("math/0309136", 2)),
    ("http://arxiv.org/abs/arXiv:9912.12345v2", ("9912.12345", 2)),
    ("http://arxiv.org/abs/arXiv:1601.07616", ("1601.07616", None)),
]

# --- arXiv's file tree, as arxiv-browse's test data lays it out (tests/data/abs_files/ftp/<archive>/papers/YYMM/):
# /ftp/arxiv/papers/YYMM/YYMM.NNNNN.pdf for new-style ids, /ftp/<archive>/papers/YYMM/YYMMNNN.pdf for old ones
# (class 5). The month directory must agree with the id.
FTP_LINKS = [
    ("https://arxiv.org/ftp/arxiv/papers/1502/1502.03167.pdf", ("1502.03167", None)),
    ("https://arxiv.org/ftp/arxiv/papers/0704/0704.0001.pdf", ("0704.0001", None)),
    ("http://export.arxiv.org/ftp/arxiv/papers/2308/2308.16188.pdf", ("2308.16188", None)),
    ("arxiv.org/ftp/arxiv/papers/1907/1907.07431.pdf", ("1907.07431", None)),
    ("https://arxiv.org/ftp/arxiv/papers/1907/1907.07431.tar.gz", ("1907.07431", None)),
    ("https://arxiv.org/ftp/physics/papers/0106/0106051.pdf", ("physics/0106051", None)),
    ("https://arxiv.org/ftp/acc-phys/papers/9411/9411001.abs", ("acc-phys/9411001", None)),
    # refused: the month directory disagrees with the id, the archive is unknown, or the path is not a paper's file
    ("https://arxiv.org/ftp/arxiv/papers/1502/1503.03167.pdf", None),
    ("https://arxiv.org/ftp/physics/papers/0107/0106051.pdf", None),
    ("https://arxiv.org/ftp/foo/papers/0106/0106051.pdf", None),
    ("https://arxiv.org/ftp/arxiv/papers/1502/", None),
    ("https://arxiv.org/ftp/arxiv/papers/1502/1502.03167.docx", None),
]

ACCEPTANCE_GROUPS = {
    "arxiv-base Identifier": ARXIV_BASE_IDENTIFIER,
    "arxiv-base finder": ARXIV_BASE_FINDER,
    "arxiv-browse fields": ARXIV_BROWSE_FIELDS,
    "arxiv-browse good ids": ARXIV_BROWSE_GOOD,
    "arxiv-browse bad ids": [(text, None) for text in ARXIV_BROWSE_BAD],
    "arxiv-browse abs routes": ARXIV_BROWSE_ABS_ROUTES,
    "arxiv-browse pdf routes": ARXIV_BROWSE_PDF_ROUTES,
    "arxiv-base number width": ARXIV_BASE_NUMBER_WIDTH,
    "idutils": IDUTILS,
    "idutils links": IDUTILS_LINKS,
    "ftp links": FTP_LINKS,
}
VECTORS = [
    pytest.param(text, expected, id=f"{group}: {text!r}")
    for group, vectors in ACCEPTANCE_GROUPS.items()
    for text, expected in vectors
]


@pytest.mark.parametrize(("text", "expected"), VECTORS)
def test_reference_vector(text: str, expected: Expected) -> None:
    assert outcome(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, expected) for text, expected in [*ARXIV_BASE_FINDER, *IDUTILS] if expected is not None],
)
def test_reference_ids_are_found_inside_a_sentence(text: str, expected: tuple[str, int | None]) -> None:
    assert find_arxiv_ids(f"As shown in {text}, the bound holds.") == ids(expected)


# --- Class 1: ids inside prose. arxiv-base's finder looks for "arXiv:"-prefixed and bare ids anywhere in a text; we
# do the same, and also read arXiv links (abs, pdf, html, ftp, with or without https://), judging every candidate
# with the parser above.
PROSE = [
    ("As shown in arXiv:2105.06548, attention is enough.", ids(("2105.06548", None))),
    ("see arxiv:hep-th/9901001v2.", ids(("hep-th/9901001", 2))),
    ("(arXiv:1706.03762; ARXIV:2005.14165v4)", ids(("1706.03762", None), ("2005.14165", 4))),
    ("the OAI record oai:arXiv.org:0704.0001 says", ids(("0704.0001", None))),
    (
        "Paper 2105.06548 builds on math.GT/0309136 and HEP-TH/9901001.",
        ids(("2105.06548", None), ("math/0309136", None), ("hep-th/9901001", None)),
    ),
    ("Slides: arxiv.org/abs/2105.06548v2, code elsewhere", ids(("2105.06548", 2))),
    ("Read https://arxiv.org/pdf/1706.03762v5.pdf!", ids(("1706.03762", 5))),
    ("PDF: https://arxiv.org/ftp/arxiv/papers/1502/1502.03167.pdf today", ids(("1502.03167", None))),
    ("scan at https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf.", ids(("hep-th/9901001", None))),
    ("download 2105.06548v2.pdf and read it", ids(("2105.06548", 2))),
    # one entry per paper, in the order of first mention, with the version of that first mention
    (
        "https://arxiv.org/abs/1706.03762 and arXiv:1706.03762v5, then 2105.06548 and 1706.03762v7",
        ids(("1706.03762", None), ("2105.06548", None)),
    ),
    # idutils' form inside a sentence
    ("cf. arXiv:hep-th/1601.07616 [hep-th]", ids(("1601.07616", None))),
    # not ids: other sites' links, decimals, dates, numbers too short or too long, versions of software
    ("Code: https://github.com/someone/2105.06548 and example.org/abs/2105.06548", []),
    ("version 1.2105.06548 or 12105.06548 or 2105.065481", []),
    ("on 2021-05-14, at 12:30, costs 1234.5678", []),
    ("hep-th/99010011 is too long", []),
    # a bare number outside its period's width is not taken for an id in prose (see find_arxiv_ids)
    ("cites 2105.0654 and 0801.01234 in passing", []),
    # five digits before 2015 is no id (class 3), in prose as anywhere
    ("1203.12345 and hep-ph/1203.12345v12", []),
    # a link cut short by the video site is not read as the shorter id it spells
    ("Based on https://arxiv.org/abs/2105.0654... which we skip.", []),
    ("Based on https://arxiv.org/abs/2105.0654\u2026 which we skip.", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), PROSE)
def test_ids_are_found_in_prose(text: str, expected: list[ArxivId]) -> None:
    assert find_arxiv_ids(text) == expected


def test_references_say_where_and_as_what_they_were_written() -> None:
    text = "See arXiv:2105.06548 and https://arxiv.org/abs/1706.03762v2, or arxiv.org/pdf/2005.14165."
    references = scan_arxiv_references(text)
    assert [text[reference.start : reference.end] for reference in references] == [
        "arXiv:2105.06548",
        "https://arxiv.org/abs/1706.03762v2",
        "arxiv.org/pdf/2005.14165",
    ]
    assert [reference.url for reference in references] == [
        "https://arxiv.org/abs/2105.06548",
        "https://arxiv.org/abs/1706.03762v2",
        "https://arxiv.org/pdf/2005.14165",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "https://arxiv.org/abs/2113.00001",
        "https://arxiv.org/list/cs.LG/recent",
        "arXiv:2113.00001",
        "https://arxiv.org/abs/2105.0...",
        "https://arxiv.org:8080/abs/2105.06548",
        "https://arxiv.org/ftp/arxiv/papers/1502/1503.03167.pdf",
    ],
)
def test_text_meant_as_arxiv_that_names_no_paper_is_reported(text: str) -> None:
    (reference,) = scan_arxiv_references(f"Based on {text} today.")
    assert reference.arxiv_id is None
    assert reference.problem
    assert find_arxiv_ids(text) == []


@pytest.mark.parametrize("text", ["1234.5678", "foo/1234567", "see arxiv.org for more", "https://arxiv.org"])
def test_bare_numbers_that_are_no_id_are_not_reported(text: str) -> None:
    assert scan_arxiv_references(text) == []
