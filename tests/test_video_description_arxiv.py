"""Papers named in video descriptions and show notes: arXiv ids in prose and ftp links (issue 12).

The reading of each id is papers.arxiv's (tests/test_arxiv_id_vectors.py); these tests check that the description
parser uses it where it scans text for papers.
"""

from __future__ import annotations

import pytest

from videos.description import ROLE_EXPLAINED, ROLE_MENTIONED, PaperLink, parse_description, parse_feed_text

FTP_PDF = "https://arxiv.org/ftp/arxiv/papers/1502/1502.03167.pdf"


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("As shown in arXiv:2105.06548, attention is enough.", [("2105.06548", None)]),
        ("This extends work (see arxiv:1706.03762v5) on transformers.", [("1706.03762", 5)]),
        ("Batch norm, 2015 (1502.03167), still matters.", [("1502.03167", None)]),
        ("An old one: hep-th/9901001 and math.GT/0309136.", [("hep-th/9901001", None), ("math/0309136", None)]),
        (f"The PDF is at {FTP_PDF}.", [("1502.03167", None)]),
        ("Scanned at https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf, from 1999.", [("hep-th/9901001", None)]),
        ("Also at arxiv.org/abs/2105.06548v2 if you prefer.", [("2105.06548", 2)]),
    ],
)
def test_ids_and_ftp_links_in_the_summary_are_mentioned_papers(
    summary: str, expected: list[tuple[str, int | None]]
) -> None:
    description = parse_description(f"#tag\n{summary}")
    assert [(paper.arxiv_id, paper.version, paper.role) for paper in description.papers] == [
        (arxiv_id, version, ROLE_MENTIONED) for arxiv_id, version in expected
    ]
    assert description.problems == ()
    assert description.summary == summary


def test_a_mentioned_id_links_to_its_abs_page_and_a_link_stays_as_written() -> None:
    description = parse_description(f"Builds on arXiv:1706.03762v5 and {FTP_PDF}.")
    assert description.papers == (
        PaperLink("1706.03762", 5, ROLE_MENTIONED, "https://arxiv.org/abs/1706.03762v5"),
        PaperLink("1502.03167", None, ROLE_MENTIONED, FTP_PDF),
    )


def test_a_paper_named_twice_in_prose_is_one_paper() -> None:
    description = parse_description("See https://arxiv.org/abs/2105.06548 (arXiv:2105.06548v2), i.e. 2105.06548.")
    assert [paper.arxiv_id for paper in description.papers] == ["2105.06548"]


@pytest.mark.parametrize(
    "value",
    [
        FTP_PDF,
        "http://export.arxiv.org/ftp/arxiv/papers/1502/1502.03167.pdf",
        "https://arxiv.org/abs?id=1502.03167",
        "https://arxiv.org/abs/1502.03167/",
        "arXiv:1502.03167 (ICML 2015)",
    ],
)
def test_paper_label_reads_ftp_links_redirected_forms_and_ids_among_words(value: str) -> None:
    (paper,) = parse_description(f"Paper: {value}").papers
    assert (paper.arxiv_id, paper.role) == ("1502.03167", ROLE_EXPLAINED)


def test_errata_mention_ids_in_prose() -> None:
    description = parse_description("Paper: https://arxiv.org/abs/2105.06548\nERRATA: at 3:10 I meant arXiv:2005.14165")
    assert [(paper.arxiv_id, paper.role) for paper in description.papers] == [
        ("2105.06548", ROLE_EXPLAINED),
        ("2005.14165", ROLE_MENTIONED),
    ]


@pytest.mark.parametrize(
    ("summary", "problem"),
    [
        ("As shown in arXiv:2113.00001, it works.", "arXiv id not used: month 13"),
        ("See https://arxiv.org/ftp/arxiv/papers/1502/1503.03167.pdf now.", "arXiv link not used:"),
        ("Based on https://arxiv.org/abs/2105.0654... which we skip.", "arXiv link not used:"),
    ],
)
def test_arxiv_text_that_names_no_paper_is_reported(summary: str, problem: str) -> None:
    description = parse_description(summary)
    assert description.papers == ()
    assert len(description.problems) == 1
    assert description.problems[0].startswith("line 1: ")
    assert problem in description.problems[0]


def test_numbers_that_are_no_id_stay_prose() -> None:
    description = parse_description("We trained 1234.5678 steps on v1.2105.06548 with 2105.0654 examples.")
    assert description.papers == ()
    assert description.problems == ()


def test_show_notes_find_ids_in_prose_and_ftp_links() -> None:
    text = (
        "My Show\nMe\nA show about papers.\n\n"
        "May 26, 2021 • 42min\nBatch norm\n"
        f"We read arXiv:1502.03167 today; the PDF is at {FTP_PDF}.\n\n"
        "June 2, 2021 • 40min\nOld physics\n"
        "From the archive: https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf\n"
    )
    _, episodes = parse_feed_text(text)
    assert [[paper.arxiv_id for paper in episode.description.papers] for episode in episodes] == [
        ["1502.03167"],
        ["hep-th/9901001"],
    ]
