"""Tests for videos.description: timestamps, durations, description and feed parsing, and the demo texts."""

from __future__ import annotations

import dataclasses
import datetime
import re
from functools import cache
from pathlib import Path

import pytest

from videos.description import (
    ADDENDUM,
    ERRATUM,
    MAX_TIMESTAMP_SECONDS,
    ROLE_EXPLAINED,
    ROLE_MENTIONED,
    ROLE_PREVIOUS,
    TIMESTAMP_RE,
    Chapter,
    Correction,
    Episode,
    Link,
    PaperLink,
    VideoDescription,
    format_timestamp,
    parse_description,
    parse_duration,
    parse_feed_text,
    parse_timestamp,
)

SEED_PATH = Path(__file__).resolve().parent / "fixtures" / "seeds" / "003_65aef0935f5c0e82.txt"
DEMO_DIR = Path(__file__).resolve().parents[1] / "hub" / "demo" / "videos"


@cache
def seed() -> tuple[str, tuple[Episode, ...]]:
    channel_description, episodes = parse_feed_text(SEED_PATH.read_text(encoding="utf-8"))
    return channel_description, tuple(episodes)


def seed_episode(title_start: str) -> Episode:
    matching = [episode for episode in seed()[1] if episode.title.startswith(title_start)]
    assert len(matching) == 1, f"expected one seed episode titled {title_start!r}..., found {len(matching)}"
    return matching[0]


def all_strings(value: object) -> list[str]:
    """Every string inside a parsed structure, however deeply nested, so nothing can hide from a search."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [text for item in dataclasses.fields(value) for text in all_strings(getattr(value, item.name))]
    if isinstance(value, tuple | list):
        return [text for item in value for text in all_strings(item)]
    return []


def chapters_of(*lines: str) -> VideoDescription:
    return parse_description("\n".join(["OUTLINE:", *lines]))


# ---------------------------------------------------------------------------------------------------------------------
# Timestamps
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0:00", 0),
        ("00:00", 0),
        ("0:45", 45),
        ("5:07", 307),
        ("12:30", 750),
        ("59:59", 3599),
        ("75:30", 4530),
        ("99:59", 5999),
        ("0:00:00", 0),
        ("1:00:00", 3600),
        ("1:02:03", 3723),
        ("01:02:03", 3723),
        ("10:00:00", 36000),
        ("99:59:59", MAX_TIMESTAMP_SECONDS),
        ("  12:30\t", 750),
    ],
)
def test_parse_timestamp_reads_valid_times(text: str, seconds: int) -> None:
    assert parse_timestamp(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12",
        ":30",
        "12:",
        "12:3",
        "12:300",
        "12:60",
        "12:99",
        "1:60:00",
        "1:99:59",
        "1:00:60",
        "1:5:00",
        "123:00",
        "128:00:00",
        "1:02:03:04",
        "1:2:3:4",
        "-1:00",
        "+1:00",
        "12.30",
        "12:30pm",
        "12:30 PM",
        "a:bc",
        "1 2:30",
        "１２:３０",  # full-width digits are not what people paste from YouTube
    ],
)
def test_parse_timestamp_rejects_bad_input(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"),
        (9, "0:09"),
        (60, "1:00"),
        (750, "12:30"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3723, "1:02:03"),
        (36000, "10:00:00"),
        (MAX_TIMESTAMP_SECONDS, "99:59:59"),
    ],
)
def test_format_timestamp(seconds: int, text: str) -> None:
    assert format_timestamp(seconds) == text
    assert parse_timestamp(text) == seconds


def test_format_then_parse_round_trips_over_the_whole_range() -> None:
    for seconds in [*range(0, 7300), *range(7300, MAX_TIMESTAMP_SECONDS + 1, 997), MAX_TIMESTAMP_SECONDS]:
        assert parse_timestamp(format_timestamp(seconds)) == seconds


@pytest.mark.parametrize("text", ["0:00", "0:07", "9:59", "12:30", "59:59", "1:00:00", "1:02:03", "23:59:59"])
def test_canonical_timestamps_survive_parse_then_format(text: str) -> None:
    assert format_timestamp(parse_timestamp(text)) == text


@pytest.mark.parametrize(("text", "canonical"), [("00:45", "0:45"), ("75:30", "1:15:30"), ("01:02:03", "1:02:03")])
def test_non_canonical_timestamps_format_canonically(text: str, canonical: str) -> None:
    assert format_timestamp(parse_timestamp(text)) == canonical


@pytest.mark.parametrize("seconds", [-1, MAX_TIMESTAMP_SECONDS + 1, 10**9])
def test_format_timestamp_rejects_out_of_range(seconds: int) -> None:
    with pytest.raises(ValueError):
        format_timestamp(seconds)


@pytest.mark.parametrize("seconds", [1.5, "12", None, True])
def test_format_timestamp_rejects_non_integers(seconds: object) -> None:
    with pytest.raises(TypeError):
        format_timestamp(seconds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("0:00 Most of the times I fail", ["0:00"]),
        ("see 1:02:03 and 12:30", ["1:02:03", "12:30"]),
        ("at 12:30 he says the opposite", ["12:30"]),
        ("(12:30)", ["12:30"]),
        ("[5:07] typo on the slide", ["5:07"]),
        ("around 12:30.", ["12:30"]),
        ("at 12:30, then 14:00!", ["12:30", "14:00"]),
        ("at 12:30: he says", ["12:30"]),
        ("12:30-13:10 is the best part", ["12:30", "13:10"]),
        ("from 0:45 to 1:15:00", ["0:45", "1:15:00"]),
        ("01:02:03 with a leading zero", ["01:02:03"]),
        ("watch at 1:15:30 h", ["1:15:30"]),
        ("the chapter at 75:30 is long", ["75:30"]),
        ("at 12:30 amazing things happen", ["12:30"]),  # "am" must be a word of its own to make a clock time
        ("0:00 AMA starts", ["0:00"]),
    ],
)
def test_timestamp_re_finds_times_in_free_text(text: str, found: list[str]) -> None:
    assert [match.group(0) for match in TIMESTAMP_RE.finditer(text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "a 3:2 aspect ratio",
        "16:9 screens",
        "won 2:1 in the final",
        "1:2:3:4",
        "12:30:45:10",
        "128:00:00 of footage",
        "1000:00",
        "the stream starts 10:30 PM",
        "at 10:30pm sharp",
        "7:15 a.m. train",
        "7:15 AM",
        "18:00 UTC",
        "2021-05-26T10:30:00Z",
        "v2.12:30",
        "12:30.5 seconds",
        "1:75:00",
        "12:61",
        "x12:30",
        "no times here",
    ],
)
def test_timestamp_re_skips_non_times(text: str) -> None:
    assert TIMESTAMP_RE.findall(text) == []


def test_every_timestamp_re_match_parses() -> None:
    text = " ".join(["0:00 1:02:03 12:30 75:30 99:59:59 3:2 16:10 1:2:3:4 10:30 PM 00:59 9:05:05 59:59"] * 3)
    matches = [match.group(0) for match in TIMESTAMP_RE.finditer(text)]
    assert matches == ["0:00", "1:02:03", "12:30", "75:30", "99:59:59", "16:10", "00:59", "9:05:05", "59:59"] * 3
    for match in matches:
        parse_timestamp(match)


# ---------------------------------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("42min", 2520),
        ("42 min", 2520),
        ("1min", 60),
        ("1h 5min", 3900),
        ("1h5min", 3900),
        ("2h", 7200),
        ("1 hr 5 mins", 3900),
        ("1 hour, 5 minutes", 3900),
        ("2 hours 3 minutes 4 seconds", 7384),
        ("30s", 30),
        ("45 sec", 45),
        ("1:02:03", 3723),
        ("42:10", 2530),
        ("PT42M10S", 2530),
        ("PT1H5M", 3900),
        ("PT45S", 45),
        ("PT1H", 3600),
        ("PT75M", 4500),
        ("P1DT2H", 93600),
        ("pt42m10s", 2530),
        ("PT1M30.5S", 90),
        ("  42min  ", 2520),
    ],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "   ", "P0D", "PT0S", "0min", "0:00", "P", "PT", "P1Y", "soon", "42", "min", "1:75:00", "5 min ago"]
)
def test_parse_duration_returns_none_for_non_lengths(text: str) -> None:
    assert parse_duration(text) is None


# ---------------------------------------------------------------------------------------------------------------------
# The seed feed
# ---------------------------------------------------------------------------------------------------------------------

# Per episode of the seed, in feed order: title start, line, date, length, chapter count, chapters spot-checked,
# papers (id, role), code links, other link labels, correction kinds, tags.
SEED_EPISODES = [
    (
        "Expire-Span:",
        23,
        datetime.date(2021, 5, 26),
        42 * 60,
        9,
        {
            "0:00": "Intro & Overview",
            "2:30": "Remembering the past in sequence models",
            "18:50": "Predicting expiration masks",
            "40:00": "Conclusion & Comments",
        },
        [("2105.06548", ROLE_EXPLAINED)],
        ["https://github.com/facebookresearch/t..."],
        [],
        [ADDENDUM],
        ("expirespan", "nlp", "facebookai"),
    ),
    (
        "FNet:",
        62,
        datetime.date(2021, 5, 24),
        34 * 60,
        7,
        {"0:45": "Giving up on Attention", "11:20": "The Importance of Mixing", "33:00": "Conclusions & Comments"},
        [("2105.03824", ROLE_EXPLAINED)],
        [],
        [],
        [ADDENDUM],
        ("fnet", "attention", "fourier"),
    ),
    (
        "AI made this music video",
        99,
        datetime.date(2021, 5, 21),
        14 * 60,
        6,
        {"1:00": 'AI-generated music video for "be my weasel"', "9:35": "AI-generated music video #2"},
        [],
        ["https://github.com/yk/clip_music_video"],
        [],
        [],
        ("artificialintelligence", "musicvideo", "clip"),
    ),
    (
        "DDPM - Diffusion Models Beat GANs",
        130,
        datetime.date(2021, 5, 15),
        55 * 60,
        9,
        {
            "4:10": "Denoising Diffusion Probabilistic Models",
            "27:55": "Learning the covariance",
            "52:50": "Experimental Results",
        },
        [("2105.05233", ROLE_EXPLAINED), ("2102.09672", ROLE_PREVIOUS)],
        ["https://github.com/openai/guided-diff..."],
        [],
        [],
        ("ddpm", "diffusionmodels", "openai"),
    ),
    (
        "Involution:",
        169,
        datetime.date(2021, 5, 10),
        31 * 60,
        7,
        {"10:50": "Towards spatial-specific computations", "30:30": "Comments & Conclusion"},
        [("2103.06255", ROLE_EXPLAINED)],
        ["https://github.com/d-li14/involution"],
        [],
        [],
        ("involution", "computervision", "attention"),
    ),
    (
        "MLP-Mixer:",
        205,
        datetime.date(2021, 5, 10),
        28 * 60,
        6,
        {"2:20": "MLP-Mixer Architecture", "27:25": "Comments & Conclusion"},
        [("2105.01601", ROLE_EXPLAINED)],
        [],
        [],
        [ERRATUM],
        ("mixer", "google", "imagenet"),
    ),
    (
        "Is Google Translate Sexist?",
        240,
        datetime.date(2021, 5, 3),
        12 * 60,
        10,
        {"0:00": "Intro", "2:30": "How does Machine Translation work?", "11:15": "Conclusion"},
        [],
        [],
        [],
        [],
        ("genderbias", "algorithmicfairness", "debiasing"),
    ),
    (
        "Perceiver:",
        278,
        datetime.date(2021, 5, 3),
        30 * 60,
        8,
        {"10:45": "The Perceiver Model Architecture & Learned Queries", "29:05": "Comments & Conclusion"},
        [("2103.03206", ROLE_EXPLAINED)],
        [],
        ["My Video on Transformers (Attention is All You Need)"],
        [],
        ("perceiver", "deepmind", "transformer"),
    ),
    (
        "Pretrained Transformers as Universal Computation Engines",
        314,
        datetime.date(2021, 5, 3),
        34 * 60,
        13,
        {
            "10:05": "The Importance of Training LayerNorm",
            "28:50": "Is Initialization All You Need?",
            "33:10": "Conclusions & Comments",
        },
        [("2103.05247", ROLE_EXPLAINED)],
        ["https://github.com/kzl/universal-comp..."],
        [],
        [],
        ("universalcomputation", "pretrainedtransformers", "finetuning"),
    ),
    (
        "Yann LeCun - Self-Supervised Learning",
        356,
        datetime.date(2021, 5, 3),
        59 * 60,
        9,
        {"1:15": "Supervised Learning, Self-Supervised Learning, and Common Sense", "55:00": "Summary & Conclusion"},
        [],
        [],
        ["Paper (Blog Post)", "My Video on BYOL"],
        [ERRATUM, ERRATUM, ERRATUM],
        ("selfsupervisedlearning", "yannlecun", "facebookai"),
    ),
]


def test_seed_has_ten_episodes_in_feed_order() -> None:
    _, episodes = seed()
    assert len(episodes) == 10
    assert [episode.title for episode in episodes] == [
        next(episode.title for episode in episodes if episode.title.startswith(expected[0]))
        for expected in SEED_EPISODES
    ]


def test_seed_channel_description_is_the_prose_only() -> None:
    channel_description, _ = seed()
    assert channel_description == (
        "I make videos about machine learning research papers, programming, and issues of the AI community, "
        "and the broader impact of AI in society."
    )


@pytest.mark.parametrize(
    (
        "title_start",
        "line",
        "published",
        "duration",
        "chapter_count",
        "spot_chapters",
        "papers",
        "code_urls",
        "other_labels",
        "correction_kinds",
        "tags",
    ),
    SEED_EPISODES,
    ids=[entry[0].rstrip(":?") for entry in SEED_EPISODES],
)
def test_seed_episode(
    title_start: str,
    line: int,
    published: datetime.date,
    duration: int,
    chapter_count: int,
    spot_chapters: dict[str, str],
    papers: list[tuple[str, str]],
    code_urls: list[str],
    other_labels: list[str],
    correction_kinds: list[str],
    tags: tuple[str, ...],
) -> None:
    episode = seed_episode(title_start)
    description = episode.description
    assert episode.line == line
    assert episode.published == published
    assert episode.duration == duration
    assert description.problems == ()
    assert len(description.chapters) == chapter_count
    assert description.chapters[0].start == 0
    starts = [chapter.start for chapter in description.chapters]
    assert starts == sorted(set(starts))
    assert starts[-1] < duration
    by_start = {chapter.start: chapter.title for chapter in description.chapters}
    for time, title in spot_chapters.items():
        assert by_start.get(parse_timestamp(time)) == title, f"chapter at {time}"
    assert [(paper.arxiv_id, paper.role) for paper in description.papers] == papers
    for paper in description.papers:
        assert paper.url == f"https://arxiv.org/abs/{paper.arxiv_id}"
        assert paper.version is None
    assert list(description.code_urls) == code_urls
    assert [link.label for link in description.other_links] == other_labels
    assert [correction.kind for correction in description.corrections] == correction_kinds
    assert description.tags == tags
    assert description.summary
    assert "OUTLINE" not in description.summary
    assert "#" not in description.summary
    if papers:
        assert description.abstract
        assert description.authors


def test_seed_line_numbers_point_at_the_episode_headers() -> None:
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    for episode in seed()[1]:
        header = lines[episode.line - 1]
        assert "•" in header
        assert header.startswith(episode.published.strftime("%B"))
        assert lines[episode.line].strip() == episode.title


BOILERPLATE_FRAGMENTS = [
    "patreon",
    "subscribestar",
    "bit.ly",
    "tabnine",
    "twitter",
    "discord",
    "bitchute",
    "minds.com",
    "parler",
    "linkedin",
    "bilibili",
    "youtube.com/c/",
    "bc1q49lsw3q325",
    "0x7ad3513e3b8f",
    "lqw2tryky",
    "4acl8agreo5h",
    "support me",
    "video approved by",
    "anno domini",
    "dyalla",
    "patrick patrikios",
    "songs:",
    "links:",
]


@pytest.mark.parametrize("fragment", BOILERPLATE_FRAGMENTS)
def test_no_boilerplate_anywhere_in_the_parsed_seed(fragment: str) -> None:
    channel_description, episodes = seed()
    texts = [channel_description, *all_strings(list(episodes))]
    offenders = [text for text in texts if fragment in text.casefold()]
    assert offenders == []


def test_expire_span_details() -> None:
    description = seed_episode("Expire-Span:").description
    assert description.summary.startswith("Facebook AI (FAIR) researchers present Expire-Span")
    assert description.summary.endswith("We discuss its architecture, advantages, and shortcomings.")
    assert "\n" not in description.summary
    assert description.chapters[6] == Chapter(start=18 * 60 + 50, title="Predicting expiration masks")
    assert description.abstract.startswith("Attention mechanisms have shown promising results")
    assert description.abstract.endswith("demonstrate that it trains faster and uses less memory.")
    assert description.authors == (
        "Sainbayar Sukhbaatar",
        "Da Ju",
        "Spencer Poff",
        "Stephen Roller",
        "Arthur Szlam",
        "Jason Weston",
        "Angela Fan",
    )
    (addendum,) = description.corrections
    assert addendum.kind == ADDENDUM
    assert addendum.body.startswith("I mention several times")
    assert addendum.body.endswith("The regularization loss acts also outside the R ramp.")
    assert addendum.at is None


def test_fnet_addendum_on_the_following_line() -> None:
    (addendum,) = seed_episode("FNet:").description.corrections
    assert addendum.kind == ADDENDUM
    assert addendum.body.startswith("Of course, I completely forgot")
    assert addendum.body.endswith("convolutions with very large kernels.")
    assert "Abstract" not in addendum.body


def test_ddpm_papers() -> None:
    description = seed_episode("DDPM").description
    assert description.papers == (
        PaperLink("2105.05233", None, ROLE_EXPLAINED, "https://arxiv.org/abs/2105.05233"),
        PaperLink("2102.09672", None, ROLE_PREVIOUS, "https://arxiv.org/abs/2102.09672"),
    )
    assert description.authors == ("Alex Nichol", "Prafulla Dhariwal")
    assert description.abstract.endswith("We release our code at this https URL")


def test_mlp_mixer_erratum_after_the_authors() -> None:
    description = seed_episode("MLP-Mixer:").description
    (erratum,) = description.corrections
    assert erratum.kind == ERRATUM
    assert erratum.body.startswith("Here is their definition of what the 5-shot classifier is:")
    assert len(description.authors) == 11
    assert description.authors[-1] == "Alexey Dosovitskiy"
    assert all("5-shot" not in author for author in description.authors)


def test_lecun_blog_post_errata_and_links() -> None:
    description = seed_episode("Yann LeCun").description
    assert description.papers == ()
    assert description.other_links == (
        Link("Paper (Blog Post)", "https://ai.facebook.com/blog/self-sup..."),
        Link("My Video on BYOL", "https://www.youtube.com/watch?v=YPfUi..."),
    )
    assert [correction.body for correction in description.corrections] == [
        "The difference between loss and energy: Energy is for inference, loss is for training.",
        "The R(z) term is a regularizer that restricts the capacity of the latent variable. "
        "I think I said both of those things, but never together.",
        "The way I explain why BERT is contrastive is wrong. I haven't figured out why just yet, though :)",
    ]
    assert all(correction.at is None for correction in description.corrections)
    assert description.authors == ("Yann LeCun", "Ishan Misra")


def test_google_translate_video_has_no_paper_and_drops_the_songs() -> None:
    description = seed_episode("Is Google Translate Sexist?").description
    assert description.papers == ()
    assert description.other_links == ()
    assert description.abstract == ""
    assert description.authors == ()
    assert len(description.chapters) == 10
    assert description.chapters[-1] == Chapter(start=11 * 60 + 15, title="Conclusion")
    assert not any("Beats" in text or "Dyalla" in text for text in all_strings(description))


def test_music_video_chapter_with_hash_is_not_a_tag() -> None:
    description = seed_episode("AI made this music video").description
    assert "2" not in description.tags
    assert description.chapters[4].title == "AI-generated music video #2"


# ---------------------------------------------------------------------------------------------------------------------
# Descriptions: chapters
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "0:00 - Intro",
        "0:00 Intro",
        "0:00: Intro",
        "0:00 – Intro",
        "0:00 — Intro",
        "0:00-Intro",
        "0:00 | Intro",
        "(0:00) Intro",
        "[0:00] Intro",
        "- 0:00 Intro",
        "• 0:00 - Intro",
        "00:00 - Intro",
        "0:00:00 - Intro",
        "  0:00 - Intro  ",
    ],
)
def test_chapter_line_separators(line: str) -> None:
    description = chapters_of(line, "1:02:03 - Late")
    assert description.chapters == (Chapter(0, "Intro"), Chapter(3723, "Late"))
    assert description.problems == ()


def test_chapter_title_keeps_its_own_dashes_and_colons() -> None:
    description = chapters_of("0:00 - Intro - part 1: setup", "2:00 - A: B - C")
    assert [chapter.title for chapter in description.chapters] == ["Intro - part 1: setup", "A: B - C"]


def test_non_increasing_chapters_are_dropped_and_reported() -> None:
    description = chapters_of("0:00 - A", "5:00 - B", "4:00 - C", "5:00 - D", "6:00 - E")
    assert description.chapters == (Chapter(0, "A"), Chapter(300, "B"), Chapter(360, "E"))
    assert len(description.problems) == 2
    assert description.problems[0].startswith("line 4:")
    assert "'C'" in description.problems[0]
    assert "4:00" in description.problems[0]
    assert description.problems[1].startswith("line 5:")
    assert "'D'" in description.problems[1]


@pytest.mark.parametrize(("line", "reason"), [("1:75:00 - X", "minutes"), ("12:60 - X", "seconds"), ("3:2 - X", "")])
def test_chapter_with_impossible_time_is_reported(line: str, reason: str) -> None:
    description = chapters_of("0:00 - Intro", line, "20:00 - End")
    assert [chapter.title for chapter in description.chapters] == ["Intro", "End"]
    assert len(description.problems) == 1
    assert description.problems[0].startswith("line 3:")
    assert reason in description.problems[0]


def test_chapter_without_title_is_reported() -> None:
    description = chapters_of("0:00 - Intro", "3:00 -", "4:00")
    assert description.chapters == (Chapter(0, "Intro"),)
    assert len(description.problems) == 2


def test_outline_without_header_is_read_when_it_has_three_chapters() -> None:
    description = parse_description(
        "#tag\nA summary.\n\n0:00 Intro\n1:30 Main part\n9:00 End\nPaper: https://arxiv.org/abs/2105.06548"
    )
    assert description.summary == "A summary."
    assert description.chapters == (Chapter(0, "Intro"), Chapter(90, "Main part"), Chapter(540, "End"))
    assert description.problems == ()


def test_timestamped_prose_not_at_zero_stays_in_the_summary() -> None:
    description = parse_description("At 12:30 the model finally converges.\nOUTLINE:\n0:00 - Intro")
    assert description.summary == "At 12:30 the model finally converges."
    assert description.chapters == (Chapter(0, "Intro"),)


def test_outline_ends_at_the_first_line_that_is_not_a_chapter() -> None:
    description = parse_description("OUTLINE:\n0:00 - Intro\n5:00 - End\nSome stray prose.\n6:00 - Late")
    assert description.chapters == (Chapter(0, "Intro"), Chapter(300, "End"))
    assert len(description.problems) == 2  # the stray prose, and the late chapter line outside any outline


def test_blank_line_straight_after_the_outline_header_is_allowed() -> None:
    description = parse_description("OUTLINE:\n\n0:00 - Intro\n1:00 - More")
    assert len(description.chapters) == 2
    assert description.problems == ()


def test_empty_outline_is_reported() -> None:
    description = parse_description("OUTLINE:\nPaper: https://arxiv.org/abs/2105.06548")
    assert description.chapters == ()
    assert description.problems == ("line 1: the outline has no chapter that could be read",)


# ---------------------------------------------------------------------------------------------------------------------
# Descriptions: papers, code and other links
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("Paper: https://arxiv.org/abs/2105.06548", ROLE_EXPLAINED),
        ("Paper (this): https://arxiv.org/abs/2105.06548", ROLE_EXPLAINED),
        ("paper: https://arxiv.org/abs/2105.06548", ROLE_EXPLAINED),
        ("Papers: https://arxiv.org/abs/2105.06548", ROLE_EXPLAINED),
        ("Paper 1: https://arxiv.org/abs/2105.06548", ROLE_EXPLAINED),
        ("Paper (previous): https://arxiv.org/abs/2105.06548", ROLE_PREVIOUS),
        ("Paper (prior work): https://arxiv.org/abs/2105.06548", ROLE_PREVIOUS),
        ("Paper (the earlier one): https://arxiv.org/abs/2105.06548", ROLE_PREVIOUS),
        ("My Video on Expire-Span: https://arxiv.org/abs/2105.06548", ROLE_MENTIONED),
        ("Related work: https://arxiv.org/abs/2105.06548", ROLE_MENTIONED),
        ("https://arxiv.org/abs/2105.06548", ROLE_MENTIONED),
    ],
)
def test_paper_roles(line: str, role: str) -> None:
    description = parse_description(f"#demo\nSummary.\nOUTLINE:\n0:00 - Intro\n{line}")
    assert description.papers == (PaperLink("2105.06548", None, role, "https://arxiv.org/abs/2105.06548"),)
    assert description.other_links == ()
    assert description.problems == ()


@pytest.mark.parametrize(
    ("url", "arxiv_id", "version"),
    [
        ("https://arxiv.org/abs/2105.06548v2", "2105.06548", 2),
        ("https://arxiv.org/pdf/2105.06548.pdf", "2105.06548", None),
        ("https://arxiv.org/pdf/2105.06548v3", "2105.06548", 3),
        ("http://www.arxiv.org/abs/1706.03762", "1706.03762", None),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001", None),
    ],
)
def test_paper_url_forms_keep_the_url_as_written(url: str, arxiv_id: str, version: int | None) -> None:
    (paper,) = parse_description(f"Paper: {url}").papers
    assert paper == PaperLink(arxiv_id, version, ROLE_EXPLAINED, url)


@pytest.mark.parametrize(
    ("value", "url"),
    [("arXiv:2105.06548", "https://arxiv.org/abs/2105.06548"), ("2105.06548v2", "https://arxiv.org/abs/2105.06548v2")],
)
def test_paper_given_as_a_bare_id_links_to_its_abs_page(value: str, url: str) -> None:
    (paper,) = parse_description(f"Paper: {value}").papers
    assert paper.arxiv_id == "2105.06548"
    assert paper.url == url


def test_paper_links_listed_below_their_label() -> None:
    description = parse_description(
        "Papers:\nhttps://arxiv.org/abs/2105.06548\nhttps://arxiv.org/abs/2105.03824\n\nCode:\n"
        "https://github.com/a/b\nhttps://github.com/c/d\nAbstract: Text."
    )
    assert [paper.arxiv_id for paper in description.papers] == ["2105.06548", "2105.03824"]
    assert {paper.role for paper in description.papers} == {ROLE_EXPLAINED}
    assert description.code_urls == ("https://github.com/a/b", "https://github.com/c/d")
    assert description.abstract == "Text."
    assert description.problems == ()


def test_sub_labels_in_a_paper_list_set_the_role() -> None:
    description = parse_description(
        "Papers:\nThis one: https://arxiv.org/abs/2105.05233\nPrevious: https://arxiv.org/abs/2102.09672"
    )
    assert [(paper.arxiv_id, paper.role) for paper in description.papers] == [
        ("2105.05233", ROLE_EXPLAINED),
        ("2102.09672", ROLE_PREVIOUS),
    ]


def test_paper_label_words_containing_previous_do_not_make_it_previous() -> None:
    (paper,) = parse_description("Paper (previously on arXiv): https://arxiv.org/abs/2105.05233").papers
    assert paper.role == ROLE_EXPLAINED


def test_labelled_link_can_contain_a_colon() -> None:
    description = parse_description("Follow-up: Part 2: https://example.org/part-2")
    assert description.other_links == (Link("Follow-up: Part 2", "https://example.org/part-2"),)


def test_mentions_in_summary_and_errata_become_mentioned_papers() -> None:
    description = parse_description(
        "#demo\n"
        "This builds on https://arxiv.org/abs/1706.03762, the Transformer.\n"
        "Paper: https://arxiv.org/abs/2105.06548\n"
        "ERRATA: at 3:10 I should have cited (https://arxiv.org/abs/2005.14165).\n"
    )
    assert [(paper.arxiv_id, paper.role) for paper in description.papers] == [
        ("2105.06548", ROLE_EXPLAINED),
        ("1706.03762", ROLE_MENTIONED),
        ("2005.14165", ROLE_MENTIONED),
    ]
    assert description.papers[2].url == "https://arxiv.org/abs/2005.14165"
    assert description.corrections[0].at == 190


def test_paper_mentioned_before_it_is_linked_keeps_its_linked_role() -> None:
    description = parse_description(
        "We look at https://arxiv.org/abs/2105.05233 today.\n"
        "Paper (previous): https://arxiv.org/abs/2102.09672\n"
        "Paper (this): https://arxiv.org/abs/2105.05233v2\n"
        "My video on it: https://arxiv.org/abs/2102.09672"
    )
    assert [(paper.arxiv_id, paper.role, paper.version) for paper in description.papers] == [
        ("2102.09672", ROLE_PREVIOUS, None),
        ("2105.05233", ROLE_EXPLAINED, 2),
    ]


def test_links_inside_the_abstract_are_not_the_videos() -> None:
    description = parse_description("Abstract:\nWe extend https://arxiv.org/abs/1706.03762 to images.")
    assert description.papers == ()
    assert "https://arxiv.org/abs/1706.03762" in description.abstract


@pytest.mark.parametrize(
    "url",
    ["https://arxiv.org/abs/2105.0...", "https://arxiv.org/list/cs.LG/recent", "https://arxiv.org/abs/2113.00001"],
)
def test_unreadable_arxiv_link_is_kept_as_written_and_reported(url: str) -> None:
    description = parse_description(f"Paper: {url}")
    assert description.papers == ()
    assert description.other_links == (Link("Paper", url),)
    assert len(description.problems) == 1
    assert description.problems[0].startswith("line 1:")


def test_truncated_arxiv_link_in_prose_is_reported() -> None:
    description = parse_description("Based on https://arxiv.org/abs/2105.0... which we skip.")
    assert description.papers == ()
    assert len(description.problems) == 1


@pytest.mark.parametrize("label", ["Code", "Code and references", "Code & models", "code (official)", "Code and data"])
def test_code_labels(label: str) -> None:
    description = parse_description(f"{label}: https://github.com/yk/clip_music_video")
    assert description.code_urls == ("https://github.com/yk/clip_music_video",)
    assert description.other_links == ()


def test_truncated_links_are_kept_as_written() -> None:
    description = parse_description(
        "Code: https://github.com/openai/guided-diff...\nPaper (Blog Post): https://ai.facebook.com/blog/self-sup..."
    )
    assert description.code_urls == ("https://github.com/openai/guided-diff...",)
    assert description.other_links == (Link("Paper (Blog Post)", "https://ai.facebook.com/blog/self-sup..."),)


def test_duplicate_links_are_listed_once() -> None:
    description = parse_description(
        "Code: https://github.com/a/b\nCode: https://github.com/a/b\n"
        "Blog: https://example.org/x\nAlso the blog: https://example.org/x"
    )
    assert description.code_urls == ("https://github.com/a/b",)
    assert description.other_links == (Link("Blog", "https://example.org/x"),)


def test_code_label_without_a_link_is_reported() -> None:
    description = parse_description("Code: coming soon")
    assert description.code_urls == ()
    assert len(description.problems) == 1


# ---------------------------------------------------------------------------------------------------------------------
# Descriptions: corrections
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("ERRATA", ERRATUM),
        ("ERRATUM", ERRATUM),
        ("Errata", ERRATUM),
        ("CORRECTION", ERRATUM),
        ("ADDENDUM", ADDENDUM),
        ("ADDENDA", ADDENDUM),
        ("Addendum", ADDENDUM),
    ],
)
@pytest.mark.parametrize("on_next_line", [False, True])
def test_correction_headers(header: str, kind: str, on_next_line: bool) -> None:
    separator = "\n" if on_next_line else " "
    description = parse_description(
        f"Paper: https://arxiv.org/abs/2105.06548\n{header}:{separator}The note.\nAbstract: A."
    )
    assert description.corrections == (Correction(kind, "The note.", None),)
    assert description.abstract == "A."


def test_each_bullet_is_its_own_correction_and_plain_lines_continue_it() -> None:
    description = parse_description(
        "ERRATA:\n- First note.\n- Second note\n  continued here.\n* Third note.\n1. Fourth note.\nAuthors: A B"
    )
    assert [correction.body for correction in description.corrections] == [
        "First note.",
        "Second note\ncontinued here.",
        "Third note.",
        "Fourth note.",
    ]
    assert description.authors == ("A B",)


@pytest.mark.parametrize(
    "ending",
    [
        "\n\nA later paragraph.",
        "\nAbstract: x",
        "\nAuthors: x",
        "\nPaper: https://arxiv.org/abs/2105.06548",
        "\nCode: https://github.com/a/b",
        "\nOUTLINE:\n0:00 - Intro",
        "\nADDENDUM: other",
        "\nLinks:\nanything",
        "\nVideo approved by Antonio.",
        "\nPatreon: https://www.patreon.com/someone",
    ],
)
def test_corrections_end_at_the_next_section(ending: str) -> None:
    description = parse_description(f"ERRATA: The note.{ending}")
    assert description.corrections[0] == Correction(ERRATUM, "The note.", None)


@pytest.mark.parametrize(
    ("note", "at"),
    [
        ("At 12:30 I say the opposite.", 750),
        ("The plot (1:02:03) is mislabelled.", 3723),
        ("From 4:10 to 5:00 the sign is flipped.", 250),
        ("The 3:2 ratio is wrong.", None),
        ("We stream at 10:30 PM.", None),
        ("No time here.", None),
    ],
)
def test_correction_time(note: str, at: int | None) -> None:
    (correction,) = parse_description(f"ERRATA: {note}").corrections
    assert correction.at == at


def test_a_new_correction_block_never_continues_the_previous_one() -> None:
    description = parse_description("ERRATA: A slip.\n\nADDENDUM:\nSomething to add.\nERRATUM:\nAnother slip.")
    assert description.corrections == (
        Correction(ERRATUM, "A slip."),
        Correction(ADDENDUM, "Something to add."),
        Correction(ERRATUM, "Another slip."),
    )


def test_same_line_note_then_bullets() -> None:
    description = parse_description("ADDENDUM: A first note.\n- A second one.")
    assert [correction.body for correction in description.corrections] == ["A first note.", "A second one."]
    assert {correction.kind for correction in description.corrections} == {ADDENDUM}


# ---------------------------------------------------------------------------------------------------------------------
# Descriptions: summary, tags, abstract, authors, boilerplate
# ---------------------------------------------------------------------------------------------------------------------


def test_tags_are_lowercased_unique_and_in_order() -> None:
    description = parse_description("#NLP #expireSpan #nlp #FacebookAI\nA summary.\n#extra #NLP")
    assert description.tags == ("nlp", "expirespan", "facebookai", "extra")
    assert description.summary == "A summary."


def test_hashtags_inside_prose_are_not_tags() -> None:
    description = parse_description("We ranked #1 on the #leaderboard today.")
    assert description.tags == ()
    assert description.summary == "We ranked #1 on the #leaderboard today."


def test_summary_paragraphs() -> None:
    description = parse_description("#a\n\nFirst line.\nSecond line.\n\n\nSecond paragraph.\nOUTLINE:\n0:00 - Intro")
    assert description.summary == "First line.\nSecond line.\n\nSecond paragraph."


def test_summary_ends_at_the_first_link_section() -> None:
    description = parse_description("#a\nThe summary.\nPaper: https://arxiv.org/abs/2105.06548\nLater prose.")
    assert description.summary == "The summary."
    assert description.problems == ("line 4: 'Later prose.' is not part of any section; left out",)


def test_abstract_spans_lines_until_a_blank_line() -> None:
    description = parse_description(
        "Abstract:\nLine one.\nLine two.\n\nAuthors: Ada Lovelace, Alan Turing and Grace Hopper"
    )
    assert description.abstract == "Line one.\nLine two."
    assert description.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")


def test_authors_on_the_following_line_and_deduplicated() -> None:
    description = parse_description("Authors:\nDa Ju; Angela Fan, Da Ju")
    assert description.authors == ("Da Ju", "Angela Fan")


@pytest.mark.parametrize(
    "line",
    [
        "TabNine Code Completion (Referral): http://bit.ly/tabnine-yannick",
        "YouTube: https://www.youtube.com/c/yannickilcher",
        "Twitter: https://twitter.com/ykilcher",
        "Discord: https://discord.gg/4H8xxDF",
        "BitChute: https://www.bitchute.com/channel/yann...",
        "Minds: https://www.minds.com/ykilcher",
        "Parler: https://parler.com/profile/YannicKilcher",
        "LinkedIn: https://www.linkedin.com/in/yannic-ki...",
        "BiliBili: https://space.bilibili.com/1824646584",
        "SubscribeStar (preferred to Patreon): https://www.subscribestar.com/yannickilcher",
        "SubscribeStar: https://www.subscribestar.com/yannick...",
        "Patreon: https://www.patreon.com/yannickilcher",
        "Bitcoin (BTC): bc1q49lsw3q325tr58ygf8sudx2dqfguclvngvy2cq",
        "Ethereum (ETH): 0x7ad3513E3B8f66799f507Aa7874b1B0eBC7F85e2",
        "Litecoin (LTC): LQW2TRyKYetVC8WjFkhpPhtpbDM4Vw7r9m",
        "Monero (XMR): 4ACL8AGrEo5hAir8A9CeVrW8pEauWvnp1WnSDZxW7tziCDLhZAGsgzhRQABDnFy8yuM9fWJDviJPHKRjV4FWt19CJZN9D4n",
        "If you want to support me, the best thing to do is to share out the content :)",
        "If you want to support me financially (completely optional and voluntary, but a lot of people have asked):",
        "Video approved by Antonio.",
        "Buy me a coffee: https://ko-fi.com/someone",
    ],
)
@pytest.mark.parametrize("where", ["summary", "after the links", "inside errata"])
def test_boilerplate_lines_leave_no_trace(line: str, where: str) -> None:
    parts = {
        "summary": ["#a", "Summary.", line, "OUTLINE:", "0:00 - Intro"],
        "after the links": ["#a", "Summary.", "Paper: https://arxiv.org/abs/2105.06548", line],
        "inside errata": ["#a", "Summary.", "ERRATA:", "- The note.", line, "Abstract: A."],
    }[where]
    description = parse_description("\n".join(parts))
    assert description.summary == "Summary."
    assert description.other_links == ()
    assert description.code_urls == ()
    assert description.problems == ()
    assert all(line not in text for text in all_strings(description))
    if where == "inside errata":
        assert description.corrections == (Correction(ERRATUM, "The note.", None),)
        assert description.abstract == "A."


def test_everything_after_links_is_dropped() -> None:
    description = parse_description(
        "Summary.\nPaper: https://arxiv.org/abs/2105.06548\nLinks:\nPaper: https://arxiv.org/abs/2105.03824\n"
        "ERRATA: not ours\nMy blog: https://example.org"
    )
    assert [paper.arxiv_id for paper in description.papers] == ["2105.06548"]
    assert description.corrections == ()
    assert description.other_links == ()


def test_songs_are_dropped_up_to_the_next_section() -> None:
    description = parse_description(
        "Summary.\nSongs:\nLike That - Anno Domini Beats\nArtist: Track\nPaper: https://arxiv.org/abs/2105.06548"
    )
    assert description.problems == ()
    assert not any("Anno" in text or "Track" in text for text in all_strings(description))
    assert len(description.papers) == 1


def test_labels_that_merely_start_like_social_sites_are_kept() -> None:
    description = parse_description(
        "Facebook AI blog: https://ai.facebook.com/blog/x\nYouTube playlist: https://youtu.be/x"
    )
    assert description.other_links == (
        Link("Facebook AI blog", "https://ai.facebook.com/blog/x"),
        Link("YouTube playlist", "https://youtu.be/x"),
    )


def test_empty_description() -> None:
    assert parse_description("") == VideoDescription()
    assert parse_description("\n\n  \n") == VideoDescription()


def test_windows_line_endings_and_byte_order_mark() -> None:
    description = parse_description("\ufeff#a\r\nSummary.\r\nOUTLINE:\r\n0:00 - Intro\r\n")
    assert description.tags == ("a",)
    assert description.summary == "Summary."
    assert description.chapters == (Chapter(0, "Intro"),)


def test_parse_description_points_feed_text_to_parse_feed_text() -> None:
    description = parse_description("May 26, 2021 • 42min\nSome title\n#a")
    assert description.problems
    assert "parse_feed_text" in description.problems[0]


# ---------------------------------------------------------------------------------------------------------------------
# Feed pages
# ---------------------------------------------------------------------------------------------------------------------


def test_feed_without_episodes() -> None:
    assert parse_feed_text("My Show\nMe\nA channel about papers.\n") == ("A channel about papers.", [])
    assert parse_feed_text("") == ("", [])


@pytest.mark.parametrize(
    ("header", "published", "duration"),
    [
        ("May 26, 2021 • 42min", datetime.date(2021, 5, 26), 2520),
        ("Sept 3, 2020 • 1h 5min", datetime.date(2020, 9, 3), 3900),
        ("Dec. 1, 2019 · 30min", datetime.date(2019, 12, 1), 1800),
        ("January 9 2022 • PT42M10S", datetime.date(2022, 1, 9), 2530),
        ("2021-05-26 • 1:02:03", datetime.date(2021, 5, 26), 3723),
        ("June 2020 • 40min", None, 2400),
    ],
)
def test_episode_header_forms(header: str, published: datetime.date | None, duration: int) -> None:
    _, (episode,) = parse_feed_text(f"{header}\nA title\n#tag\nA summary.")
    assert episode.published == published
    assert episode.duration == duration
    assert episode.title == "A title"
    assert episode.line == 1
    assert episode.description.problems == ()
    assert episode.description.summary == "A summary."


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("Feb 30, 2021 • 42min", "line 3: 'Feb 30, 2021 • 42min' does not name a real date"),
        ("May 26, 2021 • live", "line 3: 'live' is not a video length"),
    ],
)
def test_episode_header_problems_are_reported_with_feed_line_numbers(header: str, problem: str) -> None:
    _, (episode,) = parse_feed_text(f"Show\n\n{header}\nTitle\nOUTLINE:\n0:00 - A\n0:00 - B")
    assert episode.description.problems[0] == problem
    assert episode.description.problems[1].startswith("line 7:")  # description problems count from the feed's top


def test_lines_that_only_resemble_an_episode_header_do_not_start_one() -> None:
    _, episodes = parse_feed_text("Maybe 2021 • something\nMay 3, 2021 • 12min\nTitle\nText.\nTotal 2020 • 5min")
    assert len(episodes) == 1
    assert episodes[0].line == 2


def test_episode_without_title() -> None:
    _, (episode,) = parse_feed_text("May 3, 2021 • 12min\n\n")
    assert episode.title == ""
    assert episode.description.problems == ("line 1: the episode has no title line",)


# ---------------------------------------------------------------------------------------------------------------------
# Demo texts
# ---------------------------------------------------------------------------------------------------------------------

DEMO_FILES = [
    "01-expire-span.txt",
    "02-fnet.txt",
    "03-clip-music-video.txt",
    "04-ddpm-diffusion-beats-gans.txt",
    "05-involution.txt",
    "06-mlp-mixer.txt",
    "07-google-translate-gender-bias.txt",
    "08-perceiver.txt",
    "09-pretrained-transformers-universal-computation.txt",
    "10-self-supervised-learning-dark-matter.txt",
    "11-deep-differential-system-stability.txt",
]


def demo_episode(name: str) -> Episode:
    channel_description, episodes = parse_feed_text((DEMO_DIR / name).read_text(encoding="utf-8"))
    assert channel_description == ""
    assert len(episodes) == 1
    return episodes[0]


def word_runs(text: str, length: int = 6) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.casefold())
    return {tuple(words[index : index + length]) for index in range(len(words) - length + 1)}


def test_demo_directory_holds_exactly_the_expected_files() -> None:
    assert sorted(path.name for path in DEMO_DIR.glob("*.txt")) == DEMO_FILES


@pytest.mark.parametrize("name", DEMO_FILES)
def test_demo_file_parses_cleanly(name: str) -> None:
    episode = demo_episode(name)
    description = episode.description
    assert description.problems == ()
    assert episode.title
    assert episode.duration
    assert description.summary
    assert not any(fragment in text.casefold() for text in all_strings(episode) for fragment in BOILERPLATE_FRAGMENTS)


@pytest.mark.parametrize(("name", "seed_index"), [(name, index) for index, name in enumerate(DEMO_FILES[:10])])
def test_demo_file_matches_its_seed_episode(name: str, seed_index: int) -> None:
    demo = demo_episode(name)
    original = seed()[1][seed_index]
    assert demo.title == original.title
    assert demo.published == original.published
    assert demo.duration == original.duration
    assert demo.description.tags == original.description.tags
    assert demo.description.chapters == original.description.chapters
    assert demo.description.papers == original.description.papers
    assert demo.description.code_urls == original.description.code_urls
    assert demo.description.other_links == original.description.other_links
    assert [c.kind for c in demo.description.corrections] == [c.kind for c in original.description.corrections]
    assert demo.description.authors == original.description.authors
    if original.description.papers:
        # arXiv metadata (abstracts included) is public domain and carries over word for word.
        assert demo.description.abstract == original.description.abstract


@pytest.mark.parametrize(("name", "seed_index"), [(name, index) for index, name in enumerate(DEMO_FILES[:10])])
def test_demo_prose_is_written_afresh(name: str, seed_index: int) -> None:
    demo = demo_episode(name).description
    original = seed()[1][seed_index].description
    assert demo.summary != original.summary
    assert not word_runs(demo.summary) & word_runs(original.summary)
    for demo_note, original_note in zip(demo.corrections, original.corrections, strict=True):
        assert not word_runs(demo_note.body) & word_runs(original_note.body)


def test_demo_deep_differential_system_stability() -> None:
    episode = demo_episode("11-deep-differential-system-stability.txt")
    description = episode.description
    assert episode.title == (
        "Deep Differential System Stability - Learning advanced computations from examples (Paper Explained)"
    )
    assert episode.published is None  # only the month (June 2020) is known
    assert episode.duration == 40 * 60
    assert description.papers == (PaperLink("2006.06462", None, ROLE_EXPLAINED, "https://arxiv.org/abs/2006.06462"),)
    assert description.authors == ("François Charton", "Amaury Hayat", "Guillaume Lample")
    assert description.chapters == (
        Chapter(0, "Intro & Overview"),
        Chapter(3 * 60 + 15, "Differential System Tasks"),
        Chapter(11 * 60 + 30, "Datasets & Models"),
        Chapter(15 * 60 + 15, "Experiments"),
        Chapter(21 * 60, "Discussion & My Comments"),
    )
    assert description.abstract.startswith("Can advanced mathematical computations be learned from examples?")
