"""A channel's feed as episodes for the video importer: podcast RSS, YouTube's Atom feed, or a feed text page.

feedparser reads RSS and Atom (lenient with the feeds found in the wild); each entry's description, turned
from HTML into lines of text, goes through the same description parser as a pasted description. A text page
such as a podcast site's episode list (the seed 003 was copied from one) is read by parse_feed_text.
"""

from __future__ import annotations

import datetime
import email.utils
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import feedparser

from shared.numbers import whole_number
from shared.text import repair_mojibake
from videos.description import Episode, parse_description, parse_duration, parse_feed_text
from videos.importers import repair_mojibake_lines

_BLOCK_EDGE = "\x00"
_LINE_BREAK = "\x01"
_BLOCK_EDGES = re.compile(r"\x00(?:\s*\x00)*")
USER_AGENT = "PaperHub/1.0 (paper-discussion hub; channel feed import by a curator)"


@dataclass(frozen=True)
class FeedChannel:
    """What a feed says about its channel."""

    title: str
    description: str
    url: str


@dataclass(frozen=True)
class FeedEpisode:
    """An episode with its link (a feed entry's URL; empty for a text page) and its audio (a podcast's enclosure)."""

    episode: Episode
    url: str
    audio_url: str = ""


class InvalidChannelFeed(ValueError):
    """The data is neither an RSS/Atom feed nor a feed text page."""


def read_feed(data: bytes | str) -> tuple[FeedChannel, list[FeedEpisode]]:
    """The channel and episodes of a feed document (RSS, Atom) or feed text page; mojibake in its text repaired."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if not text.lstrip("\ufeff \t\r\n").startswith("<"):
        text = repair_mojibake_lines(text)
        description, episodes = parse_feed_text(text)
        if not episodes:
            raise InvalidChannelFeed("no episodes found: not an RSS or Atom feed, nor a page of dated episodes")
        first_line = text.lstrip("\ufeff").strip().splitlines()[0].strip()
        return FeedChannel(first_line, description, ""), [FeedEpisode(e, "") for e in episodes]
    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.get("bozo"):
        raise InvalidChannelFeed(f"not a readable feed: {parsed.get('bozo_exception')}")
    feed = parsed.feed
    channel = FeedChannel(
        title=repair_mojibake(feed.get("title", "").strip()),
        description=repair_mojibake_lines(html_to_text(feed.get("subtitle") or feed.get("description") or "")),
        url=feed.get("link", ""),
    )
    return channel, [_entry_episode(entry, position) for position, entry in enumerate(parsed.entries, start=1)]


def _entry_episode(entry: feedparser.FeedParserDict, position: int) -> FeedEpisode:
    body = ""
    if entry.get("content"):
        body = entry.content[0].get("value", "")
    body = body or entry.get("summary", "") or entry.get("media_description", "")
    duration = _duration(entry.get("itunes_duration", ""))
    episode = Episode(
        title=repair_mojibake(html.unescape(entry.get("title", "")).strip()),
        published=_entry_moment(entry),
        duration=duration,
        description=parse_description(repair_mojibake_lines(html_to_text(body)), duration=duration),
        line=position,
    )
    return FeedEpisode(episode, entry.get("link", ""), _audio_url(entry))


def _entry_moment(entry: feedparser.FeedParserDict) -> datetime.datetime | None:
    """When the entry was published, in the offset the feed wrote it in.

    feedparser's `published_parsed` is the moment in UTC with the offset thrown away, and its date is the next day
    for an episode published in the evening west of Greenwich: the feed's own text is read first, and the parsed
    moment (as UTC) only when that text is in a shape read_feed_date does not know.
    """
    for key in ("published", "updated"):
        text = entry.get(key)
        if text:
            moment = read_feed_date(text)
            if moment is not None:
                return moment
            parsed = entry.get(f"{key}_parsed")
            if parsed:
                year, month, day, hour, minute, second = parsed[:6]
                return datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.UTC)
    return None


def read_feed_date(text: str) -> datetime.datetime | None:
    """An aware datetime from a feed's date: RSS's RFC 822 ("Wed, 26 May 2021 18:00:00 -0700", "... GMT", "... PDT")
    or Atom's RFC 3339 ("2021-05-26T18:00:00-07:00", "...Z"). None for any other shape. A time without an offset
    ("-0000" included, which RFC 2822 says means "unknown") is read as UTC.
    """
    text = text.strip()
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


_AUDIO_SUFFIXES = (".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac")


def _audio_url(entry: feedparser.FeedParserDict) -> str:
    """The first audio enclosure of an entry (a podcast episode's file), or ""."""
    for enclosure in entry.get("enclosures", []):
        href = (enclosure.get("href") or "").strip()
        kind = (enclosure.get("type") or "").lower()
        if not href.startswith(("http://", "https://")):
            continue
        if kind.startswith("audio/") or (not kind and href.lower().split("?")[0].endswith(_AUDIO_SUFFIXES)):
            return href
    return ""


def _duration(text: str) -> int | None:
    text = (text or "").strip()
    seconds = whole_number(text)
    if seconds is not None:  # iTunes allows a plain number of seconds
        return seconds or None
    return parse_duration(text) if text else None


class _TextExtractor(HTMLParser):
    """Text of an HTML fragment with its line structure: blocks and <br> end lines; links keep their URL."""

    BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append(_LINE_BREAK)
        elif tag in self.BLOCKS:
            self.parts.append(_BLOCK_EDGE)
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append(_BLOCK_EDGE)
        if tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.parts[start:])
            # A link whose text is not its URL ("Paper here") keeps the URL, which is what the parser needs.
            if href.startswith(("http://", "https://")) and href not in shown:
                self.parts.append(f" {href}")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of a feed's HTML description (plain text passes through unchanged)."""
    if "<" not in fragment:
        return html.unescape(fragment)
    extractor = _TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    # Where blocks meet (</p><p>) is one line break; a <br> is a line break of its own, so <br><br> leaves
    # the blank line that ends a section of the description.
    text = _BLOCK_EDGES.sub("\n", "".join(extractor.parts)).replace(_LINE_BREAK, "\n").replace("\xa0", " ")
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1]):  # runs of blank lines collapse to one
            lines.append(line.rstrip())
    return "\n".join(lines).strip("\n")
