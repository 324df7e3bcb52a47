"""Read the free-text description of a "Paper Explained" video, or a feed of them, into structured data."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from papers.arxiv import ArxivId, InvalidArxivId, parse_arxiv_id, scan_arxiv_references, split_author_string

__all__ = [
    "ADDENDUM",
    "CUT_SHORT_MARKS",
    "ERRATUM",
    "MAX_TIMESTAMP_SECONDS",
    "MIN_CHAPTERS",
    "ROLE_EXPLAINED",
    "ROLE_MENTIONED",
    "ROLE_PREVIOUS",
    "TIMESTAMP_RE",
    "Chapter",
    "Correction",
    "Episode",
    "Link",
    "PaperLink",
    "VideoDescription",
    "cut_short_prefix",
    "format_timestamp",
    "is_cut_short",
    "parse_description",
    "parse_duration",
    "parse_feed_text",
    "parse_timestamp",
]

# Values of Correction.kind and PaperLink.role; they match videos.models.Correction.Kind and VideoPaper.Role.
ERRATUM = "erratum"
ADDENDUM = "addendum"
ROLE_EXPLAINED = "explained"
ROLE_PREVIOUS = "previous"
ROLE_MENTIONED = "mentioned"


# ---------------------------------------------------------------------------------------------------------------------
# Timestamps and durations
# ---------------------------------------------------------------------------------------------------------------------

# The largest time a timestamp can spell: two hour digits. YouTube caps uploads at 12 hours, so this is ample, and it
# keeps format_timestamp and parse_timestamp exact inverses of each other.
MAX_TIMESTAMP_SECONDS = 99 * 3600 + 59 * 60 + 59

# Finds timestamps inside free text such as comments; parse_timestamp's docstring lists what it deliberately skips.
TIMESTAMP_RE = re.compile(
    r"""
    (?<![\w:])                      # not the tail of a word, a longer number or another time: "128:00:00", "x1:30"
    (?<![0-9][.,])                  # not after a decimal point or thousands separator: "3.12:30"
    [0-9]{1,2}(?::[0-5][0-9]){1,2}  # m:ss, mm:ss, h:mm:ss or hh:mm:ss
    (?![0-9]|[:.,][0-9])            # not followed by more digits or another field: "1:02:03:04", "12:30.5"
    (?!\s?[AaPp]\.?[Mm]\b)          # not a clock time: "10:30 PM", "10:30am", "7:15 p.m."
    (?!\s?(?:UTC|GMT)\b)            # nor a time of day in a time zone: "18:00 UTC"
    """,
    re.VERBOSE,
)

_TIMESTAMP_FULL_RE = re.compile(
    r"(?:(?P<hours>[0-9]{1,2}):(?P<minutes>[0-9]{2})|(?P<short_minutes>[0-9]{1,2})):(?P<seconds>[0-9]{2})"
)


def parse_timestamp(text: str) -> int:
    """Seconds from a video timestamp: "0:00" -> 0, "12:30" -> 750, "1:02:03" -> 3723.

    Accepted shapes are m:ss, mm:ss, h:mm:ss and hh:mm:ss (surrounding whitespace is ignored). Seconds must be two
    digits below 60, and so must the minutes of h:mm:ss; the leading minutes of m:ss may exceed 59 ("75:30" is
    4530), because people do write long times that way. Anything else raises ValueError.

    TIMESTAMP_RE finds the same shapes inside free text (comments, errata). Deliberately, it does not match:
    ratios with one-digit seconds ("3:2", "16:9"), clock times followed by am/pm or UTC/GMT ("10:30 PM"), or a time
    that is part of a longer run of numbers and colons ("1:2:3:4", "128:00:00", "12:30:45:10", "2021-05-26T10:30").
    Two-digit ratios ("16:10") and 24-hour clock times without a marker ("23:45") cannot be told apart from video
    times and are matched. Every match of TIMESTAMP_RE is accepted by parse_timestamp.
    """
    match = _TIMESTAMP_FULL_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a timestamp; expected m:ss or h:mm:ss such as 12:30 or 1:02:03")
    seconds = int(match["seconds"])
    if seconds >= 60:
        raise ValueError(f"{text!r} has {seconds} seconds; seconds run from 00 to 59")
    if match["hours"] is None:
        return int(match["short_minutes"]) * 60 + seconds
    minutes = int(match["minutes"])
    if minutes >= 60:
        raise ValueError(f"{text!r} has {minutes} minutes after the hours; minutes there run from 00 to 59")
    return int(match["hours"]) * 3600 + minutes * 60 + seconds


def format_timestamp(seconds: int) -> str:
    """The timestamp people write for a number of seconds: 750 -> "12:30", 3723 -> "1:02:03", 0 -> "0:00"."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise TypeError(f"a timestamp is a whole number of seconds, not {type(seconds).__name__}")
    if not 0 <= seconds <= MAX_TIMESTAMP_SECONDS:
        raise ValueError(f"{seconds} seconds is outside 0..{MAX_TIMESTAMP_SECONDS}, the range a timestamp can spell")
    hours, remainder = divmod(seconds, 3600)
    minutes, seconds_left = divmod(remainder, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds_left:02d}"
    return f"{minutes}:{seconds_left:02d}"


# ISO 8601 durations as YouTube's Data API returns them: "PT42M10S", "PT1H5M", "P1DT2H" and "P0D" for live streams.
_ISO_DURATION_RE = re.compile(
    r"P(?:(?P<days>[0-9]+)D)?(?:T(?=[0-9])(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?"
    r"(?:(?P<seconds>[0-9]+(?:\.[0-9]+)?)S)?)?",
    re.IGNORECASE,
)
# Durations as podcast pages write them: "42min", "1h 5min", "1 hr 5 mins", "2 hours, 3 minutes, 4 seconds".
_WORDY_DURATION_RE = re.compile(
    r"(?:(?P<hours>[0-9]+)\s*(?:hours?|hrs?|h)(?![A-Za-z])[\s,]*)?"
    r"(?:(?P<minutes>[0-9]+)\s*(?:minutes?|mins?|m)(?![A-Za-z])[\s,]*)?"
    r"(?:(?P<seconds>[0-9]+)\s*(?:seconds?|secs?|s)(?![A-Za-z]))?",
    re.IGNORECASE,
)


def parse_duration(text: str) -> int | None:
    """Seconds from a video length: "42min" -> 2520, "1h 5min" -> 3900, "1:02:03" -> 3723, "PT42M10S" -> 2530.

    Returns None for text that is not a length, and for a length of zero: feeds write zero ("P0D") when they do not
    know the length (live streams), and a stored duration must be positive. Fractional ISO seconds are dropped.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    iso = _ISO_DURATION_RE.fullmatch(cleaned)
    wordy = _WORDY_DURATION_RE.fullmatch(cleaned.rstrip(" ,"))
    if iso and cleaned.upper() not in {"P", "PT"}:
        days, hours, minutes = (int(iso[name] or 0) for name in ("days", "hours", "minutes"))
        total = ((days * 24 + hours) * 60 + minutes) * 60 + int(float(iso["seconds"] or 0))
    elif wordy and any(wordy.groups()):
        hours, minutes, seconds = (int(part or 0) for part in wordy.groups())
        total = (hours * 60 + minutes) * 60 + seconds
    else:
        try:
            total = parse_timestamp(cleaned)
        except ValueError:
            return None
    return total or None


# ---------------------------------------------------------------------------------------------------------------------
# Parsed structures
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    """A chapter of the video's outline: where it starts, in seconds, and its title."""

    start: int
    title: str


@dataclass(frozen=True)
class Correction:
    """An erratum or addendum the channel added to the description; `at` is a video time named in the note."""

    kind: str
    body: str
    at: int | None = None


@dataclass(frozen=True)
class PaperLink:
    """An arXiv paper linked from the description: explained in the video, its predecessor, or only mentioned.

    `url` is the link as written in the description (or the abs page when only an id was written).
    """

    arxiv_id: str
    version: int | None
    role: str
    url: str


# YouTube shows a long link in a description as its first characters and "..." (the demo's and the seed's texts were
# copied that way): "https://github.com/facebookresearch/t...". Such a text names a link but is not one.
CUT_SHORT_MARKS = ("...", "…")


def is_cut_short(url: str) -> bool:
    """Whether a link was cut short by the description's "..." or "…": text to show, never a link to follow."""
    return _HOST_RE.match(url) is not None and url.endswith(CUT_SHORT_MARKS)


def cut_short_prefix(url: str) -> str:
    """What is left of a link cut short: "https://github.com/a/t..." -> "https://github.com/a/t"."""
    for mark in CUT_SHORT_MARKS:
        url = url.removesuffix(mark)
    return url


@dataclass(frozen=True)
class Link:
    """A labelled link that is neither an arXiv paper nor code, e.g. a blog post or an earlier video."""

    label: str
    url: str

    @property
    def cut_short(self) -> bool:
        return is_cut_short(self.url)


@dataclass(frozen=True)
class VideoDescription:
    """Everything useful in a video description; channel boilerplate (support, social, referral links) is left out.

    `problems` lists, for a person to read, what could not be used as written (a chapter whose time does not
    increase, an arXiv link that is not a paper, a line that fits nowhere); the rest of the description still parses.
    """

    summary: str = ""
    tags: tuple[str, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    papers: tuple[PaperLink, ...] = ()
    code_urls: tuple[str, ...] = ()
    other_links: tuple[Link, ...] = ()
    corrections: tuple[Correction, ...] = ()
    abstract: str = ""
    authors: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def cut_short_urls(self) -> tuple[str, ...]:
        """The code and other links that the description cut short ("..."), kept as written: texts, not links."""
        return tuple(url for url in (*self.code_urls, *(link.url for link in self.other_links)) if is_cut_short(url))


@dataclass(frozen=True)
class Episode:
    """One video of a feed page: a date and length line, a title line, then the video's description."""

    title: str
    published: datetime.date | None
    duration: int | None
    description: VideoDescription
    line: int


# ---------------------------------------------------------------------------------------------------------------------
# Line shapes of a description
# ---------------------------------------------------------------------------------------------------------------------

_URL_RE = re.compile(r"https?://\S+", re.IGNORECASE)
_HOST_RE = re.compile(r"https?://(?P<host>[^/\s:?#]+)", re.IGNORECASE)
_ARXIV_HOST_RE = re.compile(r"https?://(?:[\w-]+\.)*arxiv\.org(?:[/:?#]|$)", re.IGNORECASE)

# Tags must contain a letter, so "#2" in a chapter title such as "music video #2" never becomes a tag.
_HASHTAG = r"#\w*[^\W\d_]\w*"
_HASHTAG_LINE_RE = re.compile(rf"{_HASHTAG}(?:\s+{_HASHTAG})*")
_HASHTAG_RE = re.compile(r"#(?P<tag>\w*[^\W\d_]\w*)")

_LINKS_SECTION_RE = re.compile(r"links\s*:", re.IGNORECASE)
# The headers channels put over a list of chapters; music channels' "Tracklist:" and "Setlist:" are the same lists.
_OUTLINE_RE = re.compile(
    r"(?:outline|chapters|time\s?stamps|time\s?codes|table\s+of\s+contents|track\s?list|set\s?list)"
    r"\s*:\s*(?P<rest>.*)",
    re.IGNORECASE,
)
_ABSTRACT_RE = re.compile(r"abstract\s*:\s*(?P<rest>.*)", re.IGNORECASE)
_AUTHORS_RE = re.compile(r"authors?\s*:\s*(?P<rest>.*)", re.IGNORECASE)
_CORRECTION_RE = re.compile(r"(?P<kind>errat(?:a|um)|corrections?|addend(?:um|a))\s*:\s*(?P<rest>.*)", re.IGNORECASE)
_SONGS_RE = re.compile(r"(?:songs?|music)\s*:.*", re.IGNORECASE)
# "Paper:", "Paper (this):", "Paper (Blog Post):", "Code:", "Code and references:"; the label stops at the first colon.
_PAPER_OR_CODE_RE = re.compile(r"(?P<label>(?P<word>papers?|code)\b[^:]*?)\s*:\s*(?P<value>.*)", re.IGNORECASE)
# "Paper (previous):", "Paper (prior work):", or "Previous: https://..." in a list under "Papers:".
_PREVIOUS_PAPER_RE = re.compile(r"\b(?:previous|prior|earlier)\b", re.IGNORECASE)
# "Some label: https://..."; the label may itself contain colons, so it ends at the colon right before the URL.
_LABELLED_LINK_RE = re.compile(r"(?P<label>\S.*?)\s*:\s*(?P<url>https?://\S+)(?:\s.*)?", re.IGNORECASE)
_BULLET_RE = re.compile(r"(?:[-*•–]|[0-9]{1,2}[.)])\s+")
# A chapter line's bullet: up to three marks that are no letter, digit or bracket ("-", "•", "▶️", "🔹"), then a space;
# or a list number ("1.", "01)").
_SYMBOL_BULLET_RE = re.compile(r"[^\w\s\[\]()]{1,3}\s+")
_NUMBER_BULLET_RE = re.compile(r"[0-9]{1,2}[.)]\s+")
# What channels put between a chapter's time and its title, before or after the time: hyphens and dashes (en, em,
# horizontal bar, minus, full-width), colons, bars, tildes, middle dots and arrows. Never part of the title. Other
# marks with spaces around them ("0:00 👉 Intro") separate too, as yt-dlp reads them; brackets and quotes never do.
_CHAPTER_SEPARATOR = r"[-‐‑‒–—―−－:：|｜~·•>»→=]+"
_SPACED_MARKS = r"[^\w\s\[\]()\"'“”‘’]{1,3}"
# Loose on purpose: anything shaped like a time opens a chapter line, and parse_timestamp then judges the time, so
# "1:75:00 - Foo" in an outline is reported instead of silently skipped.
_LOOSE_TIME = r"[0-9]{1,3}(?::[0-9]{1,3}){1,3}"
# "0:00 - Intro", "[0:00] Intro", "(0:00) Intro", "0:00 － Intro"; a list number before the time is a bullet.
_TIME_FIRST_RE = re.compile(
    rf"[\[(]?\s*(?P<time>{_LOOSE_TIME})\s*[\])]?(?:\s*{_CHAPTER_SEPARATOR}\s*|\s+{_SPACED_MARKS}\s+|\s+|$)"
    r"(?P<title>.*)"
)
# "Intro 0:00", "1. Intro 0:00", "Intro - 0:00", "Intro (0:00)", and a note after the time, "Intro 0:00 (live)",
# which joins the title as YouTube shows the line. The time must not continue a number: "Track 11:00" is "Track" at
# 11:00, never "Track 1" at 1:00.
_TIME_LAST_RE = re.compile(
    rf"(?P<title>.*?\S)(?:\s*{_CHAPTER_SEPARATOR}|\s+{_SPACED_MARKS}(?=\s))?\s*[\[(]?\s*(?<![\w:.,])"
    rf"(?P<time>{_LOOSE_TIME})\s*[\])]?"
    r"\s*(?P<note>\(.*\)|\[.*\])?"
)
# YouTube makes chapters of a list of at least three; fewer timestamped lines without an outline header are prose.
MIN_CHAPTERS = 3

# Channel boilerplate, recognised by the label before the first colon, with any "(...)" removed and case folded.
_BOILERPLATE_LABELS = frozenset(
    {
        "subscribestar",
        "patreon",
        "bitcoin",
        "ethereum",
        "litecoin",
        "monero",
        "youtube",
        "twitter",
        "discord",
        "bitchute",
        "minds",
        "parler",
        "linkedin",
        "bilibili",
        "instagram",
        "facebook",
        "tiktok",
        "twitch",
        "telegram",
        "mastodon",
        "paypal",
        "ko-fi",
        "merch",
    }
)
_LINE_LABEL_RE = re.compile(r"(?P<label>[^:]{1,80}):")
_PARENTHESISED_RE = re.compile(r"\s*\([^)]*\)")
_BOILERPLATE_PHRASE_RE = re.compile(r"(?:if you want to support me|video approved by)\b", re.IGNORECASE)
# Links to these hosts only ever ask for money, whatever their label says.
_SUPPORT_HOSTS = ("patreon.com", "subscribestar.com", "ko-fi.com", "buymeacoffee.com", "paypal.me", "paypal.com")

# The line that starts an episode of a feed page: "May 26, 2021 • 42min". A date known only to the month
# ("June 2020 • 40min") is accepted too; its episode has no published date rather than an invented day.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_EPISODE_HEADER_RE = re.compile(
    r"(?:(?P<month>[A-Za-z]{3,9})\.?\s+(?:(?P<day>[0-9]{1,2}),?\s+)?(?P<year>[0-9]{4})"
    r"|(?P<iso_date>[0-9]{4}-[0-9]{2}-[0-9]{2}))"
    r"\s*[•·]\s*(?P<duration>\S.*?)"
)
# Lines of a feed page's header that read as sentences; the show's title and author above them do not.
_SENTENCE_END_RE = re.compile(r"[.!?…][\"')\]]*$")


def _is_arxiv_url(url: str) -> bool:
    return _ARXIV_HOST_RE.match(url) is not None


def _is_boilerplate(line: str) -> bool:
    """Whether a line is the channel's standing support, social or referral text rather than about this video."""
    if _BOILERPLATE_PHRASE_RE.match(line):
        return True
    labelled = _LINE_LABEL_RE.match(line)
    if labelled:
        label = labelled["label"].strip()
        core = _PARENTHESISED_RE.sub("", label).strip().casefold()
        if core in _BOILERPLATE_LABELS or core.startswith("tabnine") or "referral" in label.casefold():
            return True
    for host_match in _HOST_RE.finditer(line):
        host = host_match["host"].lower()
        if any(host == support or host.endswith("." + support) for support in _SUPPORT_HOSTS):
            return True
    return False


def _strip_bullet(line: str) -> str:
    bullet = _BULLET_RE.match(line)
    return line[bullet.end() :] if bullet else line


_TIME_FIRST = "time first"
_TIME_LAST = "time last"


@dataclass(frozen=True)
class _ChapterLine:
    """A line shaped like a chapter: its form ("0:00 Intro" or "Intro 0:00"), its time as written, its title."""

    form: str
    time: str
    title: str


def _chapter_line(line: str) -> _ChapterLine | None:
    """The chapter a line is shaped like, or None. The time is as written; parse_timestamp judges it later.

    Time first: a bullet or list number before the time is dropped ("1. 0:00 Xtal" is "Xtal"). Time last: the text
    before the time is the title as written, list number included ("1. Emily 0:00" is "1. Emily"), since nothing
    tells a track number from a title that starts with one; only a symbol bullet ("- ", "• ") is dropped.
    """
    symbol = _SYMBOL_BULLET_RE.match(line)
    text = line[symbol.end() :] if symbol else line
    number = _NUMBER_BULLET_RE.match(text)
    if match := _TIME_FIRST_RE.fullmatch(text[number.end() :] if number else text):
        return _ChapterLine(_TIME_FIRST, match["time"], match["title"].strip())
    if match := _TIME_LAST_RE.fullmatch(text):
        title = match["title"].strip()
        return _ChapterLine(_TIME_LAST, match["time"], f"{title} {match['note']}" if match["note"] else title)
    return None


def _excerpt(line: str, limit: int = 80) -> str:
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


# ---------------------------------------------------------------------------------------------------------------------
# Description parser
# ---------------------------------------------------------------------------------------------------------------------

# The kinds of block a header line opens; content lines after it belong to it until a blank line or another header.
_OUTLINE = "outline"
_CORRECTIONS = "corrections"
_ABSTRACT = "abstract"
_AUTHORS = "authors"
_SONGS = "songs"
_PAPER_LIST = "paper list"
_CODE_LIST = "code list"


class _DescriptionParser:
    """Walks the lines of one description once, keeping track of the block (OUTLINE:, ERRATA:, ...) it is in."""

    def __init__(self, first_line_number: int, duration: int | None) -> None:
        self.first_line_number = first_line_number
        self.duration = duration
        self.lines: list[str] = []
        self.summary_paragraphs: list[list[str]] = [[]]
        # The summary is the prose between the hashtags and the first section; any header or link line ends it.
        self.in_summary = True
        self.tags: list[str] = []
        self.chapters: list[Chapter] = []
        self.outline_header_line: int | None = None
        # The form of the outline's chapters ("0:00 Intro" or "Intro 0:00"), fixed by its first chapter line, and
        # whether a chapter past the video's end has ended it.
        self.outline_form: str | None = None
        self.outline_past_end = False
        self.linked_papers: list[PaperLink] = []
        self.mentioned_papers: list[PaperLink] = []
        self.code_urls: list[str] = []
        self.other_links: list[Link] = []
        self.corrections: list[tuple[str, list[str]]] = []
        self.abstract_lines: list[str] = []
        self.author_lines: list[str] = []
        self.problems: list[str] = []
        self.block: str | None = None
        self.block_has_content = False
        self.block_label = ""
        self.correction_kind = ERRATUM

    # --- driving ---

    def parse(self, lines: list[str]) -> VideoDescription:
        self.lines = lines
        for offset, raw_line in enumerate(lines):
            number = self.first_line_number + offset
            line = raw_line.strip()
            if not line:
                self._blank_line()
            elif _LINKS_SECTION_RE.fullmatch(line):
                # Everything from the channel's "Links:" block on is the same boilerplate under every video.
                break
            elif _is_boilerplate(line):
                self._close_block()
            elif _episode_header(line):
                self._close_block()
                self.problems.append(
                    f"line {number}: {_excerpt(line)} looks like the start of a feed episode; "
                    "read feed pages with parse_feed_text"
                )
            elif _HASHTAG_LINE_RE.fullmatch(line) and self.block != _SONGS:
                self._close_block()
                self._add_tags(line)
            elif not self._header_line(line, number):
                self._content_line(line, number, offset)
        return self._result()

    def _blank_line(self) -> None:
        if self.block is not None:
            # A blank line straight after a header ("OUTLINE:" then an empty line) does not end the block.
            if self.block_has_content:
                self._close_block()
        elif self.in_summary and self.summary_paragraphs[-1]:
            self.summary_paragraphs.append([])

    def _open_block(self, block: str, label: str = "") -> None:
        self._close_block()
        self.in_summary = False
        self.block = block
        self.block_has_content = False
        self.block_label = label
        self.outline_form = None
        self.outline_past_end = False

    def _close_block(self) -> None:
        self.block = None
        self.block_has_content = False
        self.block_label = ""

    # --- headers ---

    def _header_line(self, line: str, number: int) -> bool:
        """Handle a line that starts a section; False when the line is not a header."""
        if match := _OUTLINE_RE.fullmatch(line):
            self._open_block(_OUTLINE)
            self.outline_header_line = self.outline_header_line or number
            if match["rest"] and not self._outline_line(match["rest"], number):
                self._scan_for_mentions(match["rest"], number)
        elif match := _ABSTRACT_RE.fullmatch(line):
            self._open_block(_ABSTRACT)
            if self.abstract_lines:
                self.abstract_lines.append("")  # a second Abstract: section becomes a new paragraph
            self._block_text(self.abstract_lines, match["rest"])
        elif match := _AUTHORS_RE.fullmatch(line):
            self._open_block(_AUTHORS)
            self._block_text(self.author_lines, match["rest"])
        elif match := _CORRECTION_RE.fullmatch(line):
            self._open_block(_CORRECTIONS)
            self.correction_kind = ADDENDUM if match["kind"].casefold().startswith("addend") else ERRATUM
            if match["rest"]:
                self._correction_line(match["rest"], number, starts_note=True)
        elif _SONGS_RE.fullmatch(line):
            # Music credits are standing boilerplate too; the block swallows the song lines below it.
            self._open_block(_SONGS)
        elif match := _PAPER_OR_CODE_RE.fullmatch(line):
            is_paper = match["word"].casefold().startswith("paper")
            label, value = match["label"].strip(), match["value"].strip()
            # "Paper:" alone on its line opens a list of links on the lines below; with a link it is complete.
            self._open_block(_PAPER_LIST if is_paper else _CODE_LIST, label)
            if value:
                self._list_value(value, number)
                self._close_block()
        else:
            return False
        return True

    def _block_text(self, lines: list[str], text: str) -> None:
        if text:
            lines.append(text)
            self.block_has_content = True

    # --- content ---

    def _content_line(self, line: str, number: int, offset: int) -> None:
        if self.block == _OUTLINE:
            if self._outline_line(line, number):
                return
            self._close_block()  # the outline ends at the first line that is not a chapter
        elif self.block == _CORRECTIONS:
            self._correction_line(line, number, starts_note=_BULLET_RE.match(line) is not None)
            return
        elif self.block == _ABSTRACT:
            self._block_text(self.abstract_lines, line)
            return
        elif self.block == _AUTHORS:
            self._block_text(self.author_lines, line)
            return
        elif self.block == _SONGS:
            self.block_has_content = True
            return
        elif self.block in (_PAPER_LIST, _CODE_LIST):
            if _URL_RE.match(line) or _LABELLED_LINK_RE.fullmatch(line):
                self._list_value(line, number)
                self.block_has_content = True
                return
            self._close_block()
        self._loose_line(line, number, offset)

    def _loose_line(self, line: str, number: int, offset: int) -> None:
        """A line outside any block: an outline without a header, a link, summary prose, or something unknown."""
        if self._chapter_run_length(offset) >= MIN_CHAPTERS:
            # As YouTube and yt-dlp do, a run of chapter lines is an outline without any header. Unlike YouTube's own
            # chapter bar (but like yt-dlp) the run need not start at 0:00: a setlist from 0:36 is still one.
            self._open_block(_OUTLINE)
            self._outline_line(line, number)
            return
        if labelled := _LABELLED_LINK_RE.fullmatch(line):
            self.in_summary = False
            self._generic_link(labelled["label"], labelled["url"], number)
            # The label and any words after the link are the channel's prose too: "My Video on it (arXiv:...): ..."
            self._scan_for_mentions(line, number, skip=labelled.span("url"))
            return
        if self.in_summary:
            self.summary_paragraphs[-1].append(line)
            self._scan_for_mentions(line, number)
            return
        if (url := _URL_RE.fullmatch(line)) is not None:
            self._generic_link("", url.group(0), number)
            return
        # Prose between or after the sections ("as shown in arXiv:2105.06548") still names papers; only a line that
        # names none is left out.
        if not self._scan_for_mentions(line, number):
            self.problems.append(f"line {number}: {_excerpt(line)} is not part of any section; left out")

    def _chapter_run_length(self, offset: int) -> int:
        """How many chapters the lines from `offset` on list, one per line, in one form, in order, within the video."""
        count, previous, form = 0, -1, None
        for raw_line in self.lines[offset:]:
            chapter_line = _chapter_line(raw_line.strip())
            if chapter_line is None or not chapter_line.title or form not in (None, chapter_line.form):
                break
            start = _timestamp_or_none(chapter_line.time)
            if start is None or start <= previous or (self.duration is not None and start > self.duration):
                break
            count, previous, form = count + 1, start, chapter_line.form
        return count

    def _outline_line(self, line: str, number: int) -> bool:
        """Add the chapter a line of the outline names; False when the line is not shaped like a chapter."""
        chapter_line = _chapter_line(line)
        if chapter_line is None or self.outline_form not in (None, chapter_line.form):
            return False  # an outline is written in one form; a line in the other is prose with a time in it
        self.outline_form = chapter_line.form
        self.block_has_content = True
        self._scan_for_mentions(line, number)  # "13:45 - Comparison to Transformer XL (arXiv:1901.02860)"
        if self.outline_past_end:
            return True  # the rest of a list that ran past the video's end
        time_text, title = chapter_line.time, chapter_line.title
        try:
            start = parse_timestamp(time_text)
        except ValueError as exc:
            self.problems.append(f"line {number}: chapter left out: {exc}")
            return True
        if self.duration is not None and start > self.duration:
            # YouTube's rule: a time past the video's length ends the list of chapters.
            self.outline_past_end = True
            self.problems.append(
                f"line {number}: chapter {title!r} at {time_text} starts after the video ends "
                f"({format_timestamp(self.duration)}); the outline ends there"
            )
            return True
        if not title:
            self.problems.append(f"line {number}: chapter at {time_text} has no title; left out")
        elif self.chapters and start <= self.chapters[-1].start:
            previous = self.chapters[-1]
            self.problems.append(
                f"line {number}: chapter {title!r} at {time_text} does not come after {previous.title!r} at "
                f"{format_timestamp(previous.start)}; left out"
            )
        else:
            self.chapters.append(Chapter(start=start, title=title))
        return True

    def _correction_line(self, line: str, number: int, *, starts_note: bool) -> None:
        # Each bullet is its own note; a line without a bullet continues the note before it in the same block.
        text = _strip_bullet(line)
        if starts_note or not self.block_has_content:
            self.corrections.append((self.correction_kind, [text]))
        else:
            self.corrections[-1][1].append(text)
        self.block_has_content = True
        self._scan_for_mentions(line, number)

    def _list_value(self, value: str, number: int) -> None:
        """A link under a "Paper..." or "Code..." label, given on the label's line or on a line below it."""
        label = self.block_label
        labelled = _LABELLED_LINK_RE.fullmatch(value)
        if labelled and not _URL_RE.match(value):
            label, value = labelled["label"], labelled["url"]
        url_match = _URL_RE.match(value)
        if self.block == _CODE_LIST:
            if url_match:
                self._add_code_url(url_match.group(0))
            else:
                self.problems.append(f"line {number}: {label!r} has no link: {_excerpt(value)}; left out")
            return
        role = ROLE_PREVIOUS if _PREVIOUS_PAPER_RE.search(f"{self.block_label} {label}") else ROLE_EXPLAINED
        if url_match is None:
            # "Paper: arXiv:2105.06548", a bare id, or ids among a few words ("arXiv:2105.06548 (ICML 2021)"): accept
            # them and link to their abs pages.
            try:
                found = [parse_arxiv_id(value)]
            except InvalidArxivId:
                found = [reference.arxiv_id for reference in scan_arxiv_references(value) if reference.arxiv_id]
            if not found:
                self.problems.append(f"line {number}: {label!r} is neither a link nor an arXiv id; left out")
            for arxiv_id in found:
                self.linked_papers.append(PaperLink(arxiv_id.id, arxiv_id.version, role, _abs_url(arxiv_id)))
            return
        url = url_match.group(0)
        if not _is_arxiv_url(url):
            self._add_other_link(label, url)
            return
        if is_cut_short(url):
            self._cut_short_arxiv_link(label, url, number)
            return
        try:
            arxiv_id = parse_arxiv_id(url)
        except InvalidArxivId as exc:
            self.problems.append(f"line {number}: kept as a plain link: {exc}")
            self._add_other_link(label, url)
            return
        self.linked_papers.append(PaperLink(arxiv_id.id, arxiv_id.version, role, url))

    def _generic_link(self, label: str, url: str, number: int) -> None:
        if not _is_arxiv_url(url):
            self._add_other_link(label.strip(), url)
            return
        if is_cut_short(url):
            self._cut_short_arxiv_link(label.strip(), url, number)
            return
        try:
            arxiv_id = parse_arxiv_id(url)
        except InvalidArxivId as exc:
            self.problems.append(f"line {number}: kept as a plain link: {exc}")
            self._add_other_link(label.strip(), url)
            return
        self.mentioned_papers.append(PaperLink(arxiv_id.id, arxiv_id.version, ROLE_MENTIONED, url))

    def _scan_for_mentions(self, text: str, number: int, *, skip: tuple[int, int] | None = None) -> bool:
        """Add the papers that `text` mentions; whether it mentioned any. `skip` is a span of `text` already read.

        arXiv links (abs, pdf, ftp, ...) and ids in the prose ("as shown in arXiv:2105.06548"): papers.arxiv finds
        them; what is plainly meant as arXiv but names no paper is reported. A paper also linked under a "Paper"
        label is counted once, with that label's role (see _result).
        """
        mentioned = False
        for reference in scan_arxiv_references(text):
            if skip is not None and reference.start < skip[1] and skip[0] < reference.end:
                continue
            if (arxiv_id := reference.arxiv_id) is None:
                what = "link" if reference.is_link else "id"
                self.problems.append(f"line {number}: arXiv {what} not used: {reference.problem}")
                continue
            self.mentioned_papers.append(PaperLink(arxiv_id.id, arxiv_id.version, ROLE_MENTIONED, reference.url))
            mentioned = True
        return mentioned

    def _cut_short_arxiv_link(self, label: str, url: str, number: int) -> None:
        # Even when the id before the "..." reads as one, it may be a shorter id or lack its version: never a paper.
        self.problems.append(f"line {number}: arXiv link cut short by the description, kept as text: {_excerpt(url)}")
        self._add_other_link(label, url)

    def _add_code_url(self, url: str) -> None:
        if url not in self.code_urls:
            self.code_urls.append(url)

    def _add_other_link(self, label: str, url: str) -> None:
        if all(link.url != url for link in self.other_links):
            self.other_links.append(Link(label=label, url=url))

    def _add_tags(self, line: str) -> None:
        for match in _HASHTAG_RE.finditer(line):
            tag = match["tag"].lower()
            if tag not in self.tags:
                self.tags.append(tag)

    # --- result ---

    def _result(self) -> VideoDescription:
        papers: list[PaperLink] = []
        seen_ids: set[str] = set()
        # Papers under a "Paper" label keep their role even when the same paper was mentioned earlier in the text.
        for paper in [*self.linked_papers, *self.mentioned_papers]:
            if paper.arxiv_id not in seen_ids:
                seen_ids.add(paper.arxiv_id)
                papers.append(paper)
        if self.outline_header_line is not None and not self.chapters:
            self.problems.append(f"line {self.outline_header_line}: the outline has no chapter that could be read")
        return VideoDescription(
            summary="\n\n".join("\n".join(paragraph) for paragraph in self.summary_paragraphs if paragraph),
            tags=tuple(self.tags),
            chapters=tuple(self.chapters),
            papers=tuple(papers),
            code_urls=tuple(self.code_urls),
            other_links=tuple(self.other_links),
            corrections=tuple(_correction(kind, lines) for kind, lines in self.corrections if "".join(lines).strip()),
            abstract="\n".join(self.abstract_lines).strip(),
            authors=tuple(dict.fromkeys(split_author_string("; ".join(self.author_lines)))),
            problems=tuple(self.problems),
        )


def _correction(kind: str, lines: list[str]) -> Correction:
    body = "\n".join(lines).strip()
    time_match = TIMESTAMP_RE.search(body)
    return Correction(kind=kind, body=body, at=parse_timestamp(time_match.group(0)) if time_match else None)


def _timestamp_or_none(text: str) -> int | None:
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


def _abs_url(arxiv_id: ArxivId) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def parse_description(text: str, *, duration: int | None = None) -> VideoDescription:
    """Parse one video description (hashtags, summary, OUTLINE:, Paper/Code links, ERRATA/ADDENDUM, Abstract:,
    Authors:) into a VideoDescription. Never raises on odd text: what cannot be used is listed in `problems`.

    Corrections: ERRATA:/ERRATUM:/CORRECTION: give errata, ADDENDUM:/ADDENDA: addenda; the note is the rest of the
    header line and the lines below it, each "- " bullet a note of its own, up to a blank line or the next section.
    Papers: "Paper:" and "Paper (this):" are explained, "Paper (previous):" is previous, any other arXiv link or id in
    the channel's text (summary, chapter titles, errata, "My Video on ...: " lines, prose between or after the
    sections) is mentioned unless already linked; a prose line outside any section is reported as left out only when
    it mentions no paper. The abstract and author list are the paper's own text, so links inside them are not
    treated as the video's; nor is boilerplate (support and social lines, everything from "Links:" on).

    Chapters: the lines under OUTLINE: (or Chapters:, Timestamps:, Tracklist:, Setlist:, ...), or a run of at least
    MIN_CHAPTERS chapter lines without a header, in either form: "0:00 - Intro" (any dash, colon or bar, the time
    maybe in brackets, after a bullet or list number) or "Intro 0:00" (maybe "1. Intro - 0:00", "Intro (0:00)", or a
    note after the time, "Intro 0:00 (live)"). With the video's `duration` (seconds), a chapter past it ends the list.
    """
    return _parse_description_lines(text.lstrip("\ufeff").splitlines(), first_line_number=1, duration=duration)


def _parse_description_lines(lines: list[str], first_line_number: int, duration: int | None = None) -> VideoDescription:
    return _DescriptionParser(first_line_number, duration).parse(lines)


# ---------------------------------------------------------------------------------------------------------------------
# Feed pages
# ---------------------------------------------------------------------------------------------------------------------


def _episode_header(line: str) -> re.Match[str] | None:
    """The match of a feed episode's first line ("May 26, 2021 • 42min"), or None for any other line."""
    header = _EPISODE_HEADER_RE.fullmatch(line.strip())
    if header is None or (header["month"] is not None and header["month"].casefold() not in _MONTHS):
        return None
    return header


def _episode_date(header: re.Match[str]) -> datetime.date | None:
    """The published date of an episode header; None when only the month is known. ValueError for "Feb 30, 2021"."""
    if header["iso_date"]:
        return datetime.date.fromisoformat(header["iso_date"])
    if header["day"] is None:
        return None
    return datetime.date(int(header["year"]), _MONTHS[header["month"].casefold()], int(header["day"]))


def parse_feed_text(text: str) -> tuple[str, list[Episode]]:
    """Split a feed page like an audio podcast's episode list into the channel's description and its episodes.

    An episode starts at a line "May 26, 2021 • 42min"; the next non-blank line is its title, and the lines up to
    the next episode are its description. The channel description is the prose of the page's header (lines that
    read as sentences), without the show's title and author lines, page chrome ("Episodes") and boilerplate.
    Problems with an episode's own header (a date or length that cannot be read, a missing title) are added to the
    front of its description's `problems`. Line numbers in problems count from the top of the whole text.
    """
    lines = text.lstrip("\ufeff").splitlines()
    starts = [index for index, line in enumerate(lines) if _episode_header(line)]
    header_end = starts[0] if starts else len(lines)
    channel_lines: list[str] = []
    for line in (line.strip() for line in lines[:header_end]):
        if line and _SENTENCE_END_RE.search(line) and not _is_boilerplate(line) and line not in channel_lines:
            channel_lines.append(line)

    episodes = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        episodes.append(_episode(lines, start, end))
    return "\n".join(channel_lines), episodes


def _episode(lines: list[str], start: int, end: int) -> Episode:
    header_line = lines[start].strip()
    header = _episode_header(header_line)
    assert header is not None  # parse_feed_text only starts episodes at header lines
    problems: list[str] = []
    try:
        published = _episode_date(header)
    except ValueError:
        published = None
        problems.append(f"line {start + 1}: {header_line!r} does not name a real date")
    duration = parse_duration(header["duration"])
    if duration is None:
        problems.append(f"line {start + 1}: {header['duration']!r} is not a video length")

    title_index = next((index for index in range(start + 1, end) if lines[index].strip()), None)
    title = lines[title_index].strip() if title_index is not None else ""
    if not title:
        problems.append(f"line {start + 1}: the episode has no title line")
    body_start = title_index + 1 if title_index is not None else end
    # Feed pages give lengths to the minute ("42min"); a chapter in the minute after that is still inside the video.
    limit = duration + 59 if duration is not None and duration % 60 == 0 else duration
    description = _parse_description_lines(lines[body_start:end], first_line_number=body_start + 1, duration=limit)
    if problems:
        description = replace(description, problems=(*problems, *description.problems))
    return Episode(title=title, published=published, duration=duration, description=description, line=start + 1)
