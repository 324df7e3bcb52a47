"""`manage.py fetch_arxiv ID_OR_URL...`: fetch papers from the live arXiv export API and import them.

Ids and links in any form the hub understands (2105.06548, arXiv:2105.06548v2, hep-th/9901001, abs or pdf
URLs) are batched into id_list requests, one request every 3 seconds as arXiv asks. Stubs created from video
descriptions are filled this way: `--stubs` fetches every paper still marked as a stub. Exit status 1 when any
reference was bad, rejected by arXiv or not found (the others are imported all the same).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from papers.fetch import IDS_PER_REQUEST, ExportApiClient, fetch_papers
from papers.models import Paper


class Command(BaseCommand):
    help = "Fetch papers from the arXiv export API by id or URL (one request every 3 s, ids batched)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("references", nargs="*", metavar="ID_OR_URL")
        parser.add_argument("--stubs", action="store_true", help="also fetch every paper still marked as a stub")
        parser.add_argument("--batch-size", type=int, default=IDS_PER_REQUEST, help="ids per API request")

    def handle(self, *args, references: list[str], stubs: bool, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if stubs:
            references = [*references, *Paper.objects.filter(is_stub=True).values_list("arxiv_id", flat=True)]
        if not references:
            raise CommandError("give at least one arXiv id or URL (or --stubs)")
        report = fetch_papers(references, client=ExportApiClient(batch_size=batch_size))
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) reported above; the other papers were imported")
