"""`manage.py import_video --channel NAME --url URL FILE`: create or update one video from its description.

FILE holds the description as the video site shows it. It may start with a feed episode's header ("May 26,
2021 • 42min" and the title on the next line), which gives the date, length and title; otherwise give --title
(and optionally --published, --duration). Linked papers are attached by arXiv id and created as stubs when
the hub does not hold them yet (`fetch_arxiv --stubs` fills them).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from videos.description import parse_duration
from videos.importers import channel_named, import_video, read_description_text


class Command(BaseCommand):
    help = "Create or update one video from a description text file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the description text ('-' is not accepted)")
        parser.add_argument("--channel", required=True, help="channel name; created when new")
        parser.add_argument("--url", default="", help="the video's URL (a YouTube link fills its id)")
        parser.add_argument("--title", help="the video's title (default: from the episode header in FILE)")
        parser.add_argument("--published", help="YYYY-MM-DD (default: from the episode header)")
        parser.add_argument("--duration", help="length such as 42:10 or 42min (default: from the episode header)")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        given_duration = None
        if options["duration"]:
            given_duration = parse_duration(options["duration"])
            if given_duration is None:
                raise CommandError(f"--duration {options['duration']!r} is not a video length")
        try:
            pasted = read_description_text(path.read_text(encoding="utf-8"), duration=given_duration)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        title, published, duration, description = (
            pasted.title,
            pasted.published,
            given_duration or pasted.duration,
            pasted.description,
        )
        title = options["title"] or title
        if not title:
            raise CommandError(f"{path}: no episode header with a title; give --title")
        if options["published"]:
            try:
                published = datetime.date.fromisoformat(options["published"])
            except ValueError as exc:
                raise CommandError(f"--published {options['published']!r} is not a date (YYYY-MM-DD)") from exc
        channel = channel_named(options["channel"])
        result = import_video(
            channel=channel,
            title=title,
            description=description,
            url=options["url"],
            published=published,
            duration=duration,
        )
        for problem in description.problems:
            self.stderr.write(f"{path}: {problem}")
        state = "created" if result.created else "updated" if result.changed else "unchanged"
        self.stdout.write(
            f"{result.video.title}: {state}; {len(description.chapters)} chapters, "
            f"{len(description.corrections)} corrections, {len(description.papers)} papers "
            f"({result.stubs_created} new stubs)"
        )
