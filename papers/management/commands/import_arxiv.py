"""`manage.py import_arxiv PATH...`: bring arXiv metadata files into the hub, safely re-runnable.

Each PATH is a bulk snapshot (JSON lines), a saved export API response (Atom) or an OAI-PMH ListRecords
response, plain or gzip-compressed; the format is told from the first bytes. The snapshot is streamed, so
a multi-gigabyte file never sits in memory. Papers are upserted by arXiv id in batches, each batch one
transaction: a newer version updates a paper, an older or identical one changes nothing.

Output: a progress bar on stderr (when it is a terminal and --quiet is not given), every bad record as
FILE:LINE: message on stderr, and one summary line on stdout. Exit status 1 when any record was bad or a
file could not be read (the good records are imported all the same), so a scheduled import gets noticed.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from papers import arxiv
from papers.importers import DEFAULT_BATCH_SIZE, ImportReport, RecordFilter, import_file


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Import arXiv metadata files (snapshot JSON lines, export API Atom, OAI-PMH; gzip or plain)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="metadata files, plain or .gz")
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            dest="categories",
            help="keep papers with a category matching this (repeatable); 'cs.' or 'cs' takes the whole archive",
        )
        parser.add_argument("--since", type=str, help="keep papers dated on or after YYYY-MM-DD")
        parser.add_argument("--until", type=str, help="keep papers dated on or before YYYY-MM-DD")
        parser.add_argument(
            "--date-field",
            choices=["updated", "published"],
            default="updated",
            help="which date --since/--until look at: the latest version's (default) or the first version's",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="papers per transaction")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        record_filter = RecordFilter(
            categories=tuple(options["categories"]),
            since=_date(options["since"]) if options["since"] else None,
            until=_date(options["until"]) if options["until"] else None,
            date_field=options["date_field"],
        )
        missing = [path for path in options["paths"] if not Path(path).is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")

        report = ImportReport()
        show_progress = not options["quiet"] and sys.stderr.isatty()
        printed = 0
        with tqdm(unit=" papers", disable=not show_progress, file=sys.stderr, smoothing=0.1) as bar:

            def progress(current: ImportReport) -> None:
                nonlocal printed
                for error in current.errors[printed:]:
                    bar.write(error, file=sys.stderr) if show_progress else self.stderr.write(error)
                printed = len(current.errors)
                bar.update(current.read - bar.n)
                bar.set_postfix(
                    created=current.created, updated=current.updated, unchanged=current.unchanged, bad=current.skipped
                )

            for path in options["paths"]:
                try:
                    import_file(
                        path,
                        record_filter=record_filter,
                        batch_size=options["batch_size"],
                        report=report,
                        on_batch=progress,
                    )
                except (arxiv.InvalidFeed, OSError, EOFError) as exc:
                    # The whole file is unreadable (not metadata, truncated gzip): say so and go on to the next.
                    report.errors.append(f"{path}: {exc}")
                progress(report)
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) reported above; the good records were imported")
