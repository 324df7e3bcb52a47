"""Papers named in video descriptions and show notes: arXiv ids in prose and ftp links (issue 12).

The reading of each id is papers.arxiv's (tests/test_arxiv_id_vectors.py); these tests check that the description
parser uses it where it scans text for papers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from videos.description import (
    ROLE_EXPLAINED,
    ROLE_MENTIONED,
    ROLE_PREVIOUS,
    Link,
    PaperLink,
    VideoDescription,
    parse_description,
    parse_feed_text,
)

FTP_PDF = "https://arxiv.org/ftp/arxiv/papers/1502/1502.03167.pdf"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_SHOW_NOTES = FIXTURES / "seeds" / "003_65aef0935f5c0e82.txt"
EXPIRE_SPAN = FIXTURES / "descriptions" / "seed003-expire-span.txt"
EXPIRE_SPAN_CODE_LINE = "Code: https://github.com/facebookresearch/t..."
# A line of the DDPM show notes, and prose written below it in the same channel's style, naming the DDPM paper by id
# and the score-matching paper by its ftp PDF link.
DDPM_CODE_LINE = "Code: https://github.com/openai/guided-diff..."
DDPM_PROSE = (
    "This builds on DDPM (arXiv:2006.11239) and on score matching, "
    "https://arxiv.org/ftp/arxiv/papers/1907/1907.05600.pdf."
)


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


# ---------------------------------------------------------------------------------------------------------------------
# Lines outside any section, chapter titles and link labels are prose too
# ---------------------------------------------------------------------------------------------------------------------


def with_line(text: str, after: str, line: str) -> str:
    """`text` with `line` added below its only line `after`."""
    lines = text.split("\n")
    assert lines.count(after) == 1, after
    index = lines.index(after) + 1
    return "\n".join([*lines[:index], line, *lines[index:]])


def expire_span_with(line: str, *, after: str = EXPIRE_SPAN_CODE_LINE) -> VideoDescription:
    """The real Expire-Span description (seed 003) with `line` written below `after`, at line 15 by default."""
    return parse_description(with_line(EXPIRE_SPAN.read_text(encoding="utf-8"), after, line))


def seed_with_prose() -> str:
    """The seed's show notes with DDPM_PROSE below the DDPM episode's Code line, outside any section."""
    return with_line(SEED_SHOW_NOTES.read_text(encoding="utf-8"), DDPM_CODE_LINE, DDPM_PROSE)


EXPIRE_SPAN_PAPER = PaperLink("2105.06548", None, ROLE_EXPLAINED, "https://arxiv.org/abs/2105.06548")


@pytest.mark.parametrize(
    ("line", "mentioned"),
    [
        (
            "Expire-Span builds on Transformer XL (arXiv:1901.02860), as its Table 1 shows.",
            PaperLink("1901.02860", None, ROLE_MENTIONED, "https://arxiv.org/abs/1901.02860"),
        ),
        (
            "Transformer XL is at https://arxiv.org/ftp/arxiv/papers/1901/1901.02860.pdf if you want the details.",
            PaperLink("1901.02860", None, ROLE_MENTIONED, "https://arxiv.org/ftp/arxiv/papers/1901/1901.02860.pdf"),
        ),
        (
            "Compressive Transformers (1911.05507v1) forget by compressing instead.",
            PaperLink("1911.05507", 1, ROLE_MENTIONED, "https://arxiv.org/abs/1911.05507v1"),
        ),
    ],
)
def test_a_line_outside_any_section_mentions_the_papers_it_names(line: str, mentioned: PaperLink) -> None:
    description = expire_span_with(line)
    assert description.papers == (EXPIRE_SPAN_PAPER, mentioned)
    assert description.problems == ()  # the line was read, so it is not reported as left out


def test_a_line_outside_any_section_naming_the_explained_paper_does_not_count_it_twice() -> None:
    description = expire_span_with("As shown in arXiv:2105.06548v1, memories can expire.")
    assert description.papers == (EXPIRE_SPAN_PAPER,)
    assert description.problems == ()


def test_a_line_outside_any_section_that_names_no_paper_is_still_left_out_and_says_why() -> None:
    description = expire_span_with("As shown in arXiv:2113.00001, memories can expire.")
    assert description.papers == (EXPIRE_SPAN_PAPER,)
    assert len(description.problems) == 2
    assert description.problems[0].startswith("line 15: arXiv id not used: ")
    assert "month 13" in description.problems[0]
    assert description.problems[1] == (
        "line 15: 'As shown in arXiv:2113.00001, memories can expire.' is not part of any section; left out"
    )


def test_plain_prose_outside_any_section_is_still_left_out() -> None:
    description = expire_span_with("Thanks to the authors for the discussion!")
    assert description.papers == (EXPIRE_SPAN_PAPER,)
    assert description.problems == (
        "line 15: 'Thanks to the authors for the discussion!' is not part of any section; left out",
    )


def test_a_chapter_title_mentions_the_paper_it_names() -> None:
    chapter = "13:45 - Comparison to Transformer XL"
    text = EXPIRE_SPAN.read_text(encoding="utf-8").replace(f"{chapter}\n", f"{chapter} (arXiv:1901.02860)\n")
    description = parse_description(text, duration=42 * 60 + 59)
    assert description.chapters[5].title == "Comparison to Transformer XL (arXiv:1901.02860)"
    assert len(description.chapters) == 9
    assert [(paper.arxiv_id, paper.role) for paper in description.papers] == [
        ("2105.06548", ROLE_EXPLAINED),
        ("1901.02860", ROLE_MENTIONED),
    ]
    assert description.problems == ()


def test_the_label_of_a_link_mentions_the_paper_it_names() -> None:
    line = "My Video on Transformers (Attention is All You Need): https://youtu.be/iDulhoQ2pro"
    labelled = line.replace("Need)", "Need, arXiv:1706.03762)")
    _, episodes = parse_feed_text(SEED_SHOW_NOTES.read_text(encoding="utf-8").replace(line, labelled))
    (perceiver,) = [episode for episode in episodes if episode.title.startswith("Perceiver")]
    description = perceiver.description
    assert [(paper.arxiv_id, paper.role) for paper in description.papers] == [
        ("2103.03206", ROLE_EXPLAINED),
        ("1706.03762", ROLE_MENTIONED),
    ]
    assert description.other_links == (Link(labelled.partition(": https")[0], "https://youtu.be/iDulhoQ2pro"),)
    assert description.problems == ()


def test_show_notes_mention_papers_named_in_prose_below_the_links() -> None:
    _, original = parse_feed_text(SEED_SHOW_NOTES.read_text(encoding="utf-8"))
    _, episodes = parse_feed_text(seed_with_prose())
    (ddpm,) = [episode for episode in episodes if episode.title.startswith("DDPM")]
    assert ddpm.description.papers == (
        PaperLink("2105.05233", None, ROLE_EXPLAINED, "https://arxiv.org/abs/2105.05233"),
        PaperLink("2102.09672", None, ROLE_PREVIOUS, "https://arxiv.org/abs/2102.09672"),
        PaperLink("2006.11239", None, ROLE_MENTIONED, "https://arxiv.org/abs/2006.11239"),
        PaperLink("1907.05600", None, ROLE_MENTIONED, "https://arxiv.org/ftp/arxiv/papers/1907/1907.05600.pdf"),
    )
    assert ddpm.description.problems == ()
    # The other episodes read as before: a line added to one episode changes only that one.
    assert [e.description for e in episodes if e is not ddpm] == [
        e.description for e in original if not e.title.startswith("DDPM")
    ]


@pytest.mark.parametrize(
    ("after", "line"),
    [
        # The channel's social and support lines, even when one names a paper, are boilerplate, not the video's.
        (EXPIRE_SPAN_CODE_LINE, "Discord: https://discord.gg/4H8xxDF (our reading group is on arXiv:2105.03824)"),
        (EXPIRE_SPAN_CODE_LINE, "If you want to support me, the best thing to do is to share arXiv:2105.03824 :)"),
        (EXPIRE_SPAN_CODE_LINE, "Reading list for supporters (https://www.patreon.com/yannickilcher): 2105.03824"),
        # Everything from "Links:" on is the boilerplate below every video.
        ("Links:", "My papers on arXiv (2105.03824 and more): https://arxiv.org/a/kilcher_y_1"),
        ("Links:", "As shown in arXiv:2105.03824, this block is the same under every video."),
    ],
)
def test_boilerplate_lines_name_no_papers(after: str, line: str) -> None:
    description = expire_span_with(line, after=after)
    assert description.papers == (EXPIRE_SPAN_PAPER,)
    assert description.problems == ()
