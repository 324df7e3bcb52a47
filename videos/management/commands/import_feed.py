"""`manage.py import_feed PATH_OR_URL`: import every episode of a channel's feed as a video.

Reads a podcast RSS feed, a YouTube channel's Atom feed (https://www.youtube.com/feeds/videos.xml?channel_id=...)
or a saved page of dated episodes; each episode's description goes through the description parser (chapters,
errata and addenda, paper links, whose papers are created as stubs when missing). Re-running updates the videos
in place and never duplicates them. Exit status 1 when an episode was skipped.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from videos.importers import channel_named, import_episodes
from videos.incoming import USER_AGENT, InvalidChannelFeed, read_feed


def read_source(path_or_url: str) -> bytes:
    if path_or_url.startswith(("http://", "https://")):
        import urllib.request

        request = urllib.request.Request(path_or_url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the curator's feed URL
            return response.read()
    path = Path(path_or_url)
    if not path.is_file():
        raise CommandError(f"no such file: {path_or_url}")
    return path.read_bytes()


class Command(BaseCommand):
    help = "Import a channel's videos from its RSS/Atom feed (podcast or YouTube) or a saved episode page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="PATH_OR_URL")
        parser.add_argument("--channel", help="channel name (default: the feed's title); created when new")

    def handle(self, *args, source: str, channel: str | None, **options) -> None:
        try:
            data = read_source(source)
            feed_channel, episodes = read_feed(data)
        except (OSError, InvalidChannelFeed) as exc:
            raise CommandError(f"{source}: {exc}") from exc
        name = channel or feed_channel.title
        if not name:
            raise CommandError(f"{source}: the feed has no title; name the channel with --channel")
        target = channel_named(name, description=feed_channel.description, url=feed_channel.url)
        report = import_episodes(
            channel=target, episodes=((item.episode, item.url, item.audio_url) for item in episodes), source=source
        )
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(f"{target.name}: {report.summary()}")
        if report.skipped:
            raise CommandError(f"{report.skipped} episode(s) skipped; see above")
