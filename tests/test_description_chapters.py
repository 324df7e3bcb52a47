"""Chapters as channels write them (issue 12): every form, YouTube's list rules, and real descriptions.

The reference for which lines make chapters is yt-dlp's `_extract_chapters_from_description` (a run of lines with
a time first or a time last; the list need not start at 0:00; a time past the video's length is not a chapter),
checked on the real descriptions of tests/fixtures/descriptions (their README says where each comes from).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from tests.factories import make_personas
from videos.description import MIN_CHAPTERS, Chapter, parse_description, parse_feed_text
from videos.models import Video

DESCRIPTIONS = Path(__file__).resolve().parent / "fixtures" / "descriptions"


@cache
def real_descriptions() -> dict[str, dict]:
    return json.loads((DESCRIPTIONS / "chapters.json").read_text(encoding="utf-8"))


def real_description(name: str) -> str:
    return (DESCRIPTIONS / f"{name}.txt").read_text(encoding="utf-8")


def chapters(text: str, *, duration: int | None = None) -> list[tuple[int, str]]:
    return [(chapter.start, chapter.title) for chapter in parse_description(text, duration=duration).chapters]


# ---------------------------------------------------------------------------------------------------------------------
# Real descriptions
# ---------------------------------------------------------------------------------------------------------------------


def test_every_fixture_text_is_recorded_and_every_record_has_its_text() -> None:
    assert {path.stem for path in DESCRIPTIONS.glob("*.txt")} == set(real_descriptions())
    assert len(real_descriptions()) == 16


@pytest.mark.parametrize("name", sorted(real_descriptions()))
def test_real_description_gives_its_chapters(name: str) -> None:
    record = real_descriptions()[name]
    expected = [(start, title) for start, title in record["chapters"]]
    assert chapters(real_description(name), duration=record["duration"]) == expected


@pytest.mark.parametrize("name", sorted(real_descriptions()))
def test_real_description_agrees_with_yt_dlp_or_says_why_not(name: str) -> None:
    record = real_descriptions()[name]
    if "differs_from_yt_dlp" in record:
        assert record["chapters"] != record["yt_dlp"]
        # Where both read a list, they start the same chapters at the same times; only titles may differ.
        if record["yt_dlp"]:
            starts = [start for start, _ in record["yt_dlp"]]
            assert set(starts) <= {start for start, _ in record["chapters"]}
    else:
        assert record["chapters"] == record["yt_dlp"]


def test_most_real_descriptions_give_what_yt_dlp_gives() -> None:
    same = [name for name, record in real_descriptions().items() if record["chapters"] == record["yt_dlp"]]
    assert len(same) == 9


def test_a_setlist_that_starts_late_and_has_notes_after_its_times() -> None:
    # https://www.youtube.com/watch?v=o3r1sn-t3is: "Setlist:" then "Title 0:00 (note)" lines from 0:45 on.
    found = chapters(real_description("o3r1sn-t3is"), duration=5640)
    assert found[:3] == [
        (45, "I-E-A-I-A-I-O"),
        (266, "Suite-Pee (Incomplete)"),
        (331, "Attack (First live performance since 2011)"),
    ]
    assert (4420, "Vicinity of Obscenity (First live performance since 2012)") in found
    assert len(found) == 28


def test_cut_short_link_before_a_real_outline_is_no_chapter() -> None:
    # https://www.youtube.com/watch?v=WjL4pSzog9w starts with a link YouTube cut short.
    description = parse_description(real_description("WjL4pSzog9w"), duration=2705)
    assert description.chapters[0] == Chapter(0, "Christening Unborn Deformities")


# ---------------------------------------------------------------------------------------------------------------------
# Forms of a chapter line
# ---------------------------------------------------------------------------------------------------------------------

OUTLINE_END = ["5:00 - Experiments", "9:30 - Conclusion"]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        # The time first, with every separator channels use; the separator never stays in the title.
        ("0:00 - Intro", "Intro"),
        ("0:00 – Intro", "Intro"),
        ("0:00 — Intro", "Intro"),
        ("0:00 ― Intro", "Intro"),
        ("0:00 − Intro", "Intro"),
        ("0:00 － Intro", "Intro"),
        ("0:00 -- Intro", "Intro"),
        ("0:00 -> Intro", "Intro"),
        ("0:00 → Intro", "Intro"),
        ("0:00 ~ Intro", "Intro"),
        ("0:00 · Intro", "Intro"),
        ("0:00 | Intro", "Intro"),
        ("0:00 ｜ Intro", "Intro"),
        ("0:00: Intro", "Intro"),
        ("0:00 Intro", "Intro"),
        ("[0:00] Intro", "Intro"),
        ("( 0:00 ) Intro", "Intro"),
        ("1. 0:00 Intro", "Intro"),
        ("01. 00:00 － Intro", "Intro"),
        ("• 0:00 - Intro", "Intro"),
        ("0:00 ▶ Intro", "Intro"),
        ("0:00 👉 Intro", "Intro"),
        ("🔹 0:00 Intro", "Intro"),
        ("▶️ 00:00 - Intro", "Intro"),
        ("0:00 (Intro)", "(Intro)"),
        ("0:00 “Intro”", "“Intro”"),
        # The time last: the title is the text before it, list number included, the separator left out.
        ("Intro 0:00", "Intro"),
        ("Intro - 0:00", "Intro"),
        ("Intro – 0:00", "Intro"),
        ("Intro — 0:00", "Intro"),
        ("Intro: 0:00", "Intro"),
        ("Intro | 0:00", "Intro"),
        ("Intro (0:00)", "Intro"),
        ("Intro (00:00 )", "Intro"),
        ("Intro [0:00]", "Intro"),
        ("Intro 00:00", "Intro"),
        ("Intro 0:00:00", "Intro"),
        ("- Intro 0:00", "Intro"),
        ("🔹 Intro 0:00", "Intro"),
        ("Intro 👉 0:00", "Intro"),
        ("(Why?) 0:00", "(Why?)"),
        ("Intro! 0:00", "Intro!"),
        ("1. Intro 0:00", "1. Intro"),
        ("01. Intro & Overview 00:00", "01. Intro & Overview"),
        ("Intro - part 1: setup 0:00", "Intro - part 1: setup"),
        # A note after the time joins the title.
        ("Intro 0:00 (no slides)", "Intro (no slides)"),
        ("Intro 00:00  (no slides)", "Intro (no slides)"),
        ("Intro 0:00(no slides)", "Intro (no slides)"),
        ("Intro 0:00 [re-recorded]", "Intro [re-recorded]"),
    ],
)
def test_chapter_forms(line: str, title: str) -> None:
    # The rest of the outline in the same form as the line under test.
    time_first = re.match(r"(?:\W{1,3}\s+|[0-9]{1,2}\.\s+)?[\[(]?\s*[0-9]{1,2}:", line) is not None
    rest = OUTLINE_END if time_first else ["Experiments 5:00", "Conclusion 9:30"]
    expected = [(0, title), (300, "Experiments"), (570, "Conclusion")]
    assert chapters("\n".join(["OUTLINE:", line, *rest])) == expected
    # Without a header too: three lines are a list.
    assert chapters("\n".join([line, *rest])) == expected


def test_time_last_never_takes_digits_of_the_title() -> None:
    assert chapters("Track 11:00\nTrack 2 12:30\nPart 3: 14:00") == [(660, "Track"), (750, "Track 2"), (840, "Part 3")]


def test_a_title_keeps_its_own_dashes_and_colons_in_both_forms() -> None:
    assert chapters("OUTLINE:\nA - B: C 0:00\nD – E 1:00") == [(0, "A - B: C"), (60, "D – E")]
    assert chapters("OUTLINE:\n0:00 - A - B: C\n1:00 – D – E") == [(0, "A - B: C"), (60, "D – E")]


@pytest.mark.parametrize(
    "header", ["Chapters:", "Timestamps:", "Time stamps:", "Tracklist:", "Setlist:", "Table of contents:"]
)
def test_outline_headers(header: str) -> None:
    assert chapters(f"{header}\n0:00 Intro\n1:00 More") == [(0, "Intro"), (60, "More")]


def test_an_outline_keeps_to_the_form_of_its_first_chapter() -> None:
    description = parse_description("OUTLINE:\n0:00 - Intro\n5:00 - Method\nWe fixed the bug at 7:00")
    assert description.chapters == (Chapter(0, "Intro"), Chapter(300, "Method"))
    assert description.problems == ("line 4: 'We fixed the bug at 7:00' is not part of any section; left out",)


# ---------------------------------------------------------------------------------------------------------------------
# What makes a list
# ---------------------------------------------------------------------------------------------------------------------


def test_a_list_without_header_need_not_start_at_zero() -> None:
    # yt-dlp's rule (YouTube's own chapter bar wants 0:00 first): a concert from 0:36 still has its songs.
    text = "The whole set, remastered.\n\n00:36 - Opening\n02:42 - Second song\n06:53 - Finale"
    description = parse_description(text)
    assert description.summary == "The whole set, remastered."
    assert description.chapters == (Chapter(36, "Opening"), Chapter(162, "Second song"), Chapter(413, "Finale"))


def test_fewer_than_three_timestamped_lines_without_header_are_not_a_list() -> None:
    assert MIN_CHAPTERS == 3
    text = "A summary.\n0:00 is where the recap starts\n12:30 is where the model converges"
    description = parse_description(text)
    assert description.chapters == ()
    assert description.summary == text


def test_a_run_out_of_order_is_not_a_list_without_header() -> None:
    description = parse_description("Highlights:\n\n5:00 Best part\n1:00 Funny part\n9:00 Last part")
    assert description.chapters == ()


def test_a_time_past_the_video_ends_the_list() -> None:
    text = "OUTLINE:\n0:00 - Intro\n5:00 - Method\n12:00 - Results\n13:00 - Outro\n\nPaper: https://arxiv.org/abs/2105.06548"
    description = parse_description(text, duration=600)
    assert description.chapters == (Chapter(0, "Intro"), Chapter(300, "Method"))
    assert description.problems == (
        "line 4: chapter 'Results' at 12:00 starts after the video ends (10:00); the outline ends there",
    )
    assert [paper.arxiv_id for paper in description.papers] == ["2105.06548"]
    # A time exactly at the end is still inside (yt-dlp's rule); without a length nothing is cut.
    assert len(parse_description(text, duration=720).chapters) == 3
    assert len(parse_description(text).chapters) == 4


def test_without_header_only_the_times_inside_the_video_count_towards_a_list() -> None:
    text = "Recap.\n\n0:00 Intro\n5:00 Method\n12:00 Results"
    assert chapters(text, duration=600) == []
    assert chapters(text, duration=720) == [(0, "Intro"), (300, "Method"), (720, "Results")]


def test_feed_episode_lengths_end_their_outlines_to_the_minute() -> None:
    feed = (
        "May 26, 2021 • 10min\nFirst video\nOUTLINE:\n0:00 - Intro\n10:30 - Last words\n\n"
        "May 24, 2021 • 10min\nSecond video\nOUTLINE:\n0:00 - Intro\n11:00 - Past the end\n"
    )
    _, episodes = parse_feed_text(feed)
    # "10min" may be 10:59: a chapter at 10:30 is inside, one at 11:00 is not.
    assert [(c.start, c.title) for c in episodes[0].description.chapters] == [(0, "Intro"), (630, "Last words")]
    assert [(c.start, c.title) for c in episodes[1].description.chapters] == [(0, "Intro")]
    assert episodes[1].description.problems == (
        "line 11: chapter 'Past the end' at 11:00 starts after the video ends (10:59); the outline ends there",
    )


def test_feed_show_notes_read_every_form_without_a_header() -> None:
    feed = (
        "Paper Hub Podcast\nShow notes of our paper explainers.\n\n"
        "June 2, 2021 • 30min\nFNet, read aloud\nWe read FNet.\n\n"
        "Intro (00:00)\nFourier mixing (04:10)\nResults (21:45)\n"
    )
    channel_description, episodes = parse_feed_text(feed)
    assert channel_description == "Show notes of our paper explainers."
    description = episodes[0].description
    assert description.summary == "We read FNet."
    assert [(c.start, c.title) for c in description.chapters] == [
        (0, "Intro"),
        (250, "Fourier mixing"),
        (1305, "Results"),
    ]
    assert description.problems == ()


class GivenLengthTests(TestCase):
    """A length given with a pasted description (command or admin page) ends its outline as a feed's length does."""

    TEXT = "A summary.\nOUTLINE:\n0:00 - Intro\n5:00 - Method\n12:00 - Results\n"

    def test_the_import_command_reads_the_outline_with_its_duration(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "video.txt"
            path.write_text(self.TEXT, encoding="utf-8")
            out, err = io.StringIO(), io.StringIO()
            call_command(
                "import_video",
                "--channel",
                "Hub",
                "--title",
                "T",
                "--duration",
                "10:00",
                str(path),
                stdout=out,
                stderr=err,
            )
        assert list(Video.objects.get().chapters.values_list("start", flat=True)) == [0, 300]
        assert "starts after the video ends (10:00)" in err.getvalue()

    def test_the_admin_import_reads_the_outline_with_its_length(self):
        self.client.force_login(make_personas().carol)
        self.client.post(
            reverse("admin:videos_video_import"),
            {"new_channel": "Hub", "title": "T", "duration": "10:00", "description": self.TEXT},
        )
        assert list(Video.objects.get().chapters.values_list("start", flat=True)) == [0, 300]
