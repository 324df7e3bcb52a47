"""A polite client of the arXiv export API: ids batched into id_list requests, one request every 3 seconds.

arXiv asks API users to wait three seconds between calls and to name themselves; the client does both. The
HTTP call is a plain function (url -> response bytes) that tests replace with recorded responses, so no test
touches the network.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from papers import arxiv
from papers.importers import ImportReport, upsert_papers

API_URL = "https://export.arxiv.org/api/query"
USER_AGENT = "PaperHub/1.0 (paper-discussion hub; metadata import by a curator; python-urllib)"
REQUEST_INTERVAL = 3.0
# arXiv answers id_list queries of a few hundred ids; 100 keeps each response small and quick.
IDS_PER_REQUEST = 100
TIMEOUT = 30


def http_get(url: str) -> bytes:
    """GET `url` with the hub's User-Agent; raises urllib.error.URLError on failure."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - a fixed https URL
        return response.read()


def query_url(arxiv_ids: list[str]) -> str:
    query = {"id_list": ",".join(arxiv_ids), "start": 0, "max_results": len(arxiv_ids)}
    return f"{API_URL}?{urllib.parse.urlencode(query, safe=',/')}"


@dataclass(frozen=True)
class Response:
    """One API call: the ids asked for, the URL, and the parsed page."""

    arxiv_ids: list[str]
    url: str
    page: arxiv.AtomPage


class ExportApiClient:
    """Fetch metadata for arXiv ids, at most one request per `interval` seconds."""

    def __init__(
        self,
        *,
        get: Callable[[str], bytes] | None = None,
        interval: float = REQUEST_INTERVAL,
        batch_size: int = IDS_PER_REQUEST,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.get = get or http_get
        self.interval = interval
        self.batch_size = batch_size
        self.sleep = sleep
        self.clock = clock
        self._last_request: float | None = None

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            remaining = self.interval - (self.clock() - self._last_request)
            if remaining > 0:
                self.sleep(remaining)
        self._last_request = self.clock()

    def fetch(self, arxiv_ids: Iterable[str]) -> Iterator[Response]:
        """One Response per batch of ids (canonical ids, without versions: the latest version is fetched)."""
        ids = list(dict.fromkeys(arxiv_ids))
        for start in range(0, len(ids), self.batch_size):
            batch = ids[start : start + self.batch_size]
            url = query_url(batch)
            self._wait_turn()
            yield Response(batch, url, arxiv.parse_atom(self.get(url)))


def fetch_papers(
    references: Iterable[str],
    *,
    client: ExportApiClient | None = None,
    report: ImportReport | None = None,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Fetch papers by id or URL (any form papers.arxiv accepts) and upsert them like any import.

    A reference that is not an arXiv id is reported and never requested; arXiv's error feed (for an id it
    rejects) is reported as an error and stores nothing; an id arXiv does not know is reported as not found.
    """
    client = client or ExportApiClient()
    report = report or ImportReport()
    wanted = []
    for reference in references:
        try:
            wanted.append(arxiv.parse_arxiv_id(reference).id)
        except arxiv.InvalidArxivId as exc:
            report.read += 1
            report.add_error(reference, 0, f"not an arXiv id: {exc}")
    try:
        for response in client.fetch(wanted):
            upsert_papers(response.page.items, source=response.url, report=report, on_batch=on_batch)
            found = {item.arxiv_id for item in response.page.items if isinstance(item, arxiv.PaperRecord)}
            rejected = any(isinstance(item, arxiv.BadRecord) for item in response.page.items)
            for arxiv_id in response.arxiv_ids:
                if arxiv_id not in found and not rejected:
                    report.add_error(response.url, 0, f"{arxiv_id} not found on arXiv")
    except (urllib.error.URLError, TimeoutError, arxiv.InvalidFeed) as exc:
        report.add_error(API_URL, 0, f"the export API could not be read: {exc}")
    return report
