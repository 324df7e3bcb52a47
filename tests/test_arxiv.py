"""Tests for arXiv identifier parsing, canonical ids, reference detection and arXiv URLs."""

from __future__ import annotations

import dataclasses

import pytest

from papers.arxiv import (
    OLD_STYLE_ARCHIVES,
    ArxivId,
    InvalidArxivId,
    abs_url,
    canonical_arxiv_id,
    looks_like_arxiv_reference,
    parse_arxiv_id,
    pdf_url,
)

# (what a person or a feed gives, canonical id, version)
ACCEPTED = [
    # new style, 4 digits (April 2007 to December 2014) and 5 digits (2015 on)
    ("0704.0001", "0704.0001", None),
    ("0704.0001v10", "0704.0001", 10),
    ("1111.2011v2", "1111.2011", 2),
    ("1412.9999", "1412.9999", None),
    ("1501.00001", "1501.00001", None),
    ("2105.06548", "2105.06548", None),
    ("2105.06548v2", "2105.06548", 2),
    ("2105.06548V2", "2105.06548", 2),
    ("2412.19437v1", "2412.19437", 1),
    # arXiv: prefix in any case, whitespace around
    ("arXiv:2105.06548", "2105.06548", None),
    ("ARXIV:2105.06548v3", "2105.06548", 3),
    ("arxiv:hep-th/9901001", "hep-th/9901001", None),
    ("  2105.06548\n", "2105.06548", None),
    ("\tarXiv:0704.0001v2 ", "0704.0001", 2),
    # the OAI-PMH record identifier
    ("oai:arXiv.org:0704.0001", "0704.0001", None),
    ("oai:arXiv.org:hep-ex/0601001", "hep-ex/0601001", None),
    # old style; the subject class is not part of the id, as on arXiv itself
    ("hep-th/9901001", "hep-th/9901001", None),
    ("hep-th/9901001v3", "hep-th/9901001", 3),
    ("hep-th/9108001", "hep-th/9108001", None),
    ("astro-ph/0601001", "astro-ph/0601001", None),
    ("astro-ph/0703999", "astro-ph/0703999", None),
    ("math.GT/0309136", "math/0309136", None),
    ("math.GT/0309136v1", "math/0309136", 1),
    ("cond-mat.str-el/0501001", "cond-mat/0501001", None),
    ("cond-mat/0412498v1", "cond-mat/0412498", 1),
    ("physics.optics/0612001", "physics/0612001", None),
    ("cs.AI/0101001", "cs/0101001", None),
    ("q-bio.PE/0401001", "q-bio/0401001", None),
    ("nlin.SI/0001001", "nlin/0001001", None),
    ("solv-int/9901001", "solv-int/9901001", None),
    ("acc-phys/9411001", "acc-phys/9411001", None),
    ("supr-con/9608001", "supr-con/9608001", None),
    ("HEP-TH/9901001", "hep-th/9901001", None),
    # abs, pdf and html links
    ("https://arxiv.org/abs/2105.06548", "2105.06548", None),
    ("http://arxiv.org/abs/2105.06548v2", "2105.06548", 2),
    ("https://www.arxiv.org/abs/2105.06548", "2105.06548", None),
    ("https://export.arxiv.org/abs/2105.06548", "2105.06548", None),
    ("http://export.arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001", 1),
    ("https://arxiv.org/pdf/2105.06548", "2105.06548", None),
    ("https://arxiv.org/pdf/2105.06548v1", "2105.06548", 1),
    ("https://arxiv.org/pdf/2105.06548.pdf", "2105.06548", None),
    ("https://arxiv.org/pdf/2105.06548v1.pdf", "2105.06548", 1),
    ("http://www.arxiv.org/pdf/hep-th/9901001v2.pdf", "hep-th/9901001", 2),
    ("https://arxiv.org/abs/math.GT/0309136", "math/0309136", None),
    ("https://arxiv.org/html/2105.06548v1", "2105.06548", 1),
    ("https://arxiv.org/abs/2105.06548/", "2105.06548", None),
    ("https://arxiv.org/pdf/2105.06548v1.pdf/", "2105.06548", 1),
    ("https://arxiv.org/abs/2105.06548?context=cs", "2105.06548", None),
    ("https://arxiv.org/abs/2105.06548#references", "2105.06548", None),
    ("https://arxiv.org/abs/2105.06548v2/?utm_source=x#top", "2105.06548", 2),
    ("HTTPS://ArXiv.org/abs/2105.06548", "2105.06548", None),
    ("arxiv.org/abs/2105.06548", "2105.06548", None),
    ("www.arxiv.org/pdf/2105.06548v3", "2105.06548", 3),
    (" https://arxiv.org/abs/0704.0001 \n", "0704.0001", None),
    # as arXiv reads them (tests/test_arxiv_id_vectors.py has the reference suites): the number after the dot in its
    # period's width, a file name, a trailing path, a subject class in any case
    ("2105.0654", "2105.00654", None),
    ("1501.0001", "1501.00001", None),
    ("1412.00001", "1412.0001", None),
    ("2105.06548.pdf", "2105.06548", None),
    ("hep-th/9901001/1", "hep-th/9901001", None),
    ("math.gt/0309136", "math/0309136", None),
    ("cond-mat.STR-EL/0501001", "cond-mat/0501001", None),
]

# (text, a fragment of the message that says what is wrong)
REJECTED = [
    ("", "empty"),
    ("   \n", "empty"),
    ("arXiv:", "no identifier after the prefix"),
    ("hello", "not an arXiv identifier"),
    ("2105", "not an arXiv identifier"),
    ("2105.06548.docx", "not an arXiv identifier"),
    ("21O5.06548", "not an arXiv identifier"),
    ("2105.06548v", "not an arXiv identifier"),
    ("2105.06548v2v3", "not an arXiv identifier"),
    # months
    ("2113.00001", "month 13 "),
    ("2100.00001", "month 00 "),
    ("0713.0001", "month 13 "),
    ("hep-th/9913001", "month 13 "),
    ("hep-th/9900001", "month 00 "),
    # digits after the dot
    ("2105.065", "3 digits after the dot; ids from 2015 on have 5"),
    ("2105.654", "3 digits after the dot; ids from 2015 on have 5"),
    ("2105.065481", "6 digits after the dot; ids from 2015 on have 5"),
    ("1501.000001", "6 digits after the dot; ids from 2015 on have 5"),
    ("0801.12345", "5 digits after the dot; ids from April 2007 to December 2014 have 4"),
    ("1412.10000", "5 digits after the dot; ids from April 2007 to December 2014 have 4"),
    ("0704.001", "3 digits after the dot"),
    ("2105.00000", "numbering starts at 1"),
    ("0703.0001", "starts in April 2007"),
    ("0612.1234", "starts in April 2007"),
    # old style
    ("foo/9901001", "unknown arXiv archive 'foo'"),
    ("stat/0601001", "unknown arXiv archive 'stat'"),
    ("hep-theory/9901001", "unknown arXiv archive 'hep-theory'"),
    ("/9901001", "not an arXiv identifier"),
    ("cond_mat/0101001", "old-style ids look like hep-th/9901001"),
    ("hep-th/990101", "needs 7 digits"),
    ("hep-th/99010011", "needs 7 digits"),
    ("hep-th/99o1001", "needs 7 digits"),
    ("hep-th/9901001x", "needs 7 digits"),
    ("hep-th/8901001", "has year 89"),
    ("hep-th/0704001", "March 2007"),
    ("hep-th/9901000", "numbering starts at 001"),
    ("math.gtx/0309136", "subject class 'gtx'.*like GT as in math.GT"),
    ("math.G1/0309136", "subject class 'G1'"),
    ("math./0309136", "subject class ''"),
    ("cond-mat.str_el/0501001", "subject class 'str_el'.*like str-el"),
    ("hep-th.x_y/9901001", "subject class 'x_y'"),
    # versions
    ("2105.06548v0", "version v0 "),
    ("2105.06548v01", "version v01 "),
    ("hep-th/9901001v0", "version v0 "),
    # junk around, other hosts, other pages
    ("see https://arxiv.org/abs/2105.06548 now", "other text around the identifier"),
    ("2105.06548 2105.06549", "other text around the identifier"),
    ("arXiv: 2105.06548", "other text around the identifier"),
    ("https://example.org/abs/2105.06548", "not an arXiv link: the host is 'example.org'"),
    ("https://arxiv.org.evil.example/abs/2105.06548", "the host is 'arxiv.org.evil.example'"),
    ("https://notarxiv.org/abs/2105.06548", "the host is 'notarxiv.org'"),
    ("https://arxiv.org:8080/abs/2105.06548", "the host is 'arxiv.org:8080'"),
    ("example.org/pdf/2105.06548", "the host is 'example.org'"),
    ("https:///abs/2105.06548", "the host is 'missing'"),
    ("ftp://arxiv.org/abs/2105.06548", "not a web link"),
    ("https://arxiv.org/list/cs.LG/recent", "not a link to a paper"),
    ("https://arxiv.org/abs/", "not a link to a paper"),
    ("https://arxiv.org/", "not a link to a paper"),
    ("https://arxiv.org", "not a link to a paper"),
    ("https://arxiv.org/abs/2105.06548junk", "not an arXiv identifier"),
    ("https://arxiv.org/abs/2113.00001", "month 13 "),
    # digits that are not ASCII digits
    ("\uff12\uff11\uff10\uff15.\uff10\uff16\uff15\uff14\uff18", "not an arXiv identifier"),
    ("hep-th/\u0669\u0669\u0660\u0661\u0660\u0660\u0661", "needs 7 digits"),
]


class TestParseArxivId:
    @pytest.mark.parametrize(("text", "expected_id", "expected_version"), ACCEPTED)
    def test_accepted_forms_are_canonicalised(self, text: str, expected_id: str, expected_version: int | None) -> None:
        assert parse_arxiv_id(text) == ArxivId(id=expected_id, version=expected_version)

    @pytest.mark.parametrize(("text", "expected_id", "expected_version"), ACCEPTED)
    def test_canonical_arxiv_id_drops_version_and_subject_class(
        self, text: str, expected_id: str, expected_version: int | None
    ) -> None:
        assert canonical_arxiv_id(text) == expected_id

    @pytest.mark.parametrize(("text", "expected_id", "expected_version"), ACCEPTED)
    def test_str_reparses_to_the_same_id(self, text: str, expected_id: str, expected_version: int | None) -> None:
        parsed = parse_arxiv_id(text)
        assert parse_arxiv_id(str(parsed)) == parsed

    @pytest.mark.parametrize(("text", "message"), REJECTED)
    def test_malformed_input_is_rejected_with_the_reason(self, text: str, message: str) -> None:
        with pytest.raises(InvalidArxivId, match=message):
            parse_arxiv_id(text)

    @pytest.mark.parametrize(("text", "message"), REJECTED)
    def test_canonical_arxiv_id_rejects_the_same_input(self, text: str, message: str) -> None:
        with pytest.raises(InvalidArxivId, match=message):
            canonical_arxiv_id(text)

    @pytest.mark.parametrize("value", [None, 2105.06548, b"2105.06548"])
    def test_non_text_is_rejected(self, value: object) -> None:
        with pytest.raises(InvalidArxivId, match="must be text"):
            parse_arxiv_id(value)  # type: ignore[arg-type]

    def test_error_message_quotes_the_offending_input(self) -> None:
        with pytest.raises(InvalidArxivId) as caught:
            parse_arxiv_id("2113.00001")
        assert str(caught.value) == "month 13 in '2113.00001' is not a month (01-12)"

    def test_invalid_id_is_a_value_error(self) -> None:
        # Callers that only know ValueError (forms, argparse) still catch it.
        with pytest.raises(ValueError):
            parse_arxiv_id("nonsense")

    @pytest.mark.parametrize("archive", sorted(OLD_STYLE_ARCHIVES))
    def test_every_old_style_archive_is_accepted(self, archive: str) -> None:
        assert parse_arxiv_id(f"{archive}/0101001v2") == ArxivId(id=f"{archive}/0101001", version=2)

    @pytest.mark.parametrize("archive", ["stat", "q-fin", "eess", "econ", "hep", "physic", "cond-matter"])
    def test_archives_without_old_style_ids_are_unknown(self, archive: str) -> None:
        with pytest.raises(InvalidArxivId, match=f"unknown arXiv archive '{archive}'"):
            parse_arxiv_id(f"{archive}/0101001")

    @pytest.mark.parametrize("canonical", ["0704.0001", "1412.9999", "2105.06548", "hep-th/9901001", "math/0309136"])
    def test_canonical_ids_are_fixed_points(self, canonical: str) -> None:
        # The Paper model stores canonical ids and validates them by re-parsing.
        assert parse_arxiv_id(canonical) == ArxivId(id=canonical, version=None)


class TestArxivId:
    @pytest.mark.parametrize(
        ("arxiv_id", "expected"),
        [
            (ArxivId("2105.06548", None), "2105.06548"),
            (ArxivId("2105.06548", 2), "2105.06548v2"),
            (ArxivId("hep-th/9901001", 12), "hep-th/9901001v12"),
            (ArxivId("math/0309136"), "math/0309136"),
        ],
    )
    def test_str_appends_the_version_when_set(self, arxiv_id: ArxivId, expected: str) -> None:
        assert str(arxiv_id) == expected

    def test_is_frozen_and_hashable(self) -> None:
        parsed = parse_arxiv_id("2105.06548v2")
        with pytest.raises(dataclasses.FrozenInstanceError):
            parsed.version = 3  # type: ignore[misc]
        assert {parsed, ArxivId("2105.06548", 2)} == {parsed}

    def test_versions_are_part_of_equality(self) -> None:
        assert parse_arxiv_id("2105.06548v1") != parse_arxiv_id("2105.06548v2")
        assert parse_arxiv_id("2105.06548") != parse_arxiv_id("2105.06548v1")


class TestLooksLikeArxivReference:
    @pytest.mark.parametrize("text", [text for text, _, _ in ACCEPTED])
    def test_every_accepted_form_counts(self, text: str) -> None:
        assert looks_like_arxiv_reference(text) is True

    @pytest.mark.parametrize(
        "text",
        [
            # meant as ids, though wrong: the caller should report why rather than search titles
            "2113.00001",
            "2105.0654",
            "0801.12345",
            "foo/9901001",
            "hep-th/0704001",
            "math.gt/0309136",
            "2105.06548v0",
            "arXiv:nonsense",
            "https://arxiv.org/list/cs.LG/recent",
            "arxiv.org",
        ],
    )
    def test_malformed_ids_still_count(self, text: str) -> None:
        assert looks_like_arxiv_reference(text) is True

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "   ",
            "attention is all you need",
            "transformer",
            "BERT",
            "3.14159",
            "12345",
            "2105.065",
            "2105",
            "hep-th",
            "see 2105.06548",
            "2105.06548 please",
            "see https://arxiv.org/abs/2105.06548 now",
            "https://example.org/abs/2105.06548",
            "https://github.com/arxiv/arxiv-browse",
            "notarxiv.org/abs/2105.06548",
            "C++/CLI",
            "\x00",
            "a" * 10_000,
        ],
    )
    def test_ordinary_queries_do_not_count(self, text: str) -> None:
        assert looks_like_arxiv_reference(text) is False

    @pytest.mark.parametrize("value", [None, 42, b"2105.06548", ["2105.06548"]])
    def test_never_raises_on_non_text(self, value: object) -> None:
        assert looks_like_arxiv_reference(value) is False  # type: ignore[arg-type]


class TestUrls:
    @pytest.mark.parametrize(
        ("arxiv_id", "version", "expected_abs", "expected_pdf"),
        [
            ("2105.06548", None, "https://arxiv.org/abs/2105.06548", "https://arxiv.org/pdf/2105.06548"),
            ("2105.06548", 2, "https://arxiv.org/abs/2105.06548v2", "https://arxiv.org/pdf/2105.06548v2"),
            ("2105.06548v3", None, "https://arxiv.org/abs/2105.06548v3", "https://arxiv.org/pdf/2105.06548v3"),
            ("2105.06548v3", 3, "https://arxiv.org/abs/2105.06548v3", "https://arxiv.org/pdf/2105.06548v3"),
            ("0704.0001", 1, "https://arxiv.org/abs/0704.0001v1", "https://arxiv.org/pdf/0704.0001v1"),
            ("hep-th/9901001", None, "https://arxiv.org/abs/hep-th/9901001", "https://arxiv.org/pdf/hep-th/9901001"),
            ("math.GT/0309136", 1, "https://arxiv.org/abs/math/0309136v1", "https://arxiv.org/pdf/math/0309136v1"),
            ("arXiv:2105.06548", None, "https://arxiv.org/abs/2105.06548", "https://arxiv.org/pdf/2105.06548"),
            (
                "http://export.arxiv.org/pdf/2105.06548.pdf",
                None,
                "https://arxiv.org/abs/2105.06548",
                "https://arxiv.org/pdf/2105.06548",
            ),
        ],
    )
    def test_urls_use_the_canonical_id(
        self, arxiv_id: str, version: int | None, expected_abs: str, expected_pdf: str
    ) -> None:
        assert abs_url(arxiv_id, version) == expected_abs
        assert pdf_url(arxiv_id, version) == expected_pdf

    @pytest.mark.parametrize("make_url", [abs_url, pdf_url])
    @pytest.mark.parametrize("text", ["2105.06548v2", "hep-th/9901001", "math.GT/0309136v4"])
    def test_urls_parse_back_to_the_same_id(self, make_url, text: str) -> None:
        assert parse_arxiv_id(make_url(text)) == parse_arxiv_id(text)

    @pytest.mark.parametrize("make_url", [abs_url, pdf_url])
    @pytest.mark.parametrize(
        ("arxiv_id", "version", "message"),
        [
            ("2113.00001", None, "month 13"),
            ("", None, "empty"),
            ("2105.06548", 0, "version 0 is not valid"),
            ("2105.06548", -1, "version -1 is not valid"),
            ("2105.06548", True, "version True is not valid"),
            ("2105.06548v2", 3, "already names version 2"),
        ],
    )
    def test_invalid_ids_and_versions_are_rejected(self, make_url, arxiv_id: str, version, message: str) -> None:
        with pytest.raises(InvalidArxivId, match=message):
            make_url(arxiv_id, version)
