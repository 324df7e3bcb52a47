"""Section "api" of `make bench`: the REST API under gunicorn on PostgreSQL, next to its floor.

For the papers list (20 and 100 a page), a paper's detail and a 1,000-comment thread, it measures requests/s and
p50/p99 latency of the API and of the floor (bench/floor.py: the same rows with values() and orjson, no framework)
under the same gunicorn, then gives API/floor. It also counts the API's queries at two page sizes.

Load comes from this machine: BENCH_API_CLIENTS processes (default 4), each sending requests one after another,
to BENCH_API_WORKERS gunicorn sync workers (default 2, one per core here), for BENCH_API_SECONDS (default 10) of
measured time per target, taken in BENCH_API_ROUNDS (default 5) slices that alternate API and floor. The client
processes share the cores with the server, the same for API and floor.
"""

from __future__ import annotations

import datetime
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.context import BenchContext

SECTION = "api"
THREAD_SIZE = 1000
SECONDS = float(os.environ.get("BENCH_API_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_API_CLIENTS", "4"))
WORKERS = int(os.environ.get("BENCH_API_WORKERS", "2"))
ROUNDS = int(os.environ.get("BENCH_API_ROUNDS", "5"))
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _client(args: tuple[int, str, float, float]) -> tuple[list[float], int]:
    """One client: requests one after another until `until`, latencies recorded after `measure_from`."""
    port, path, measure_from, until = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    errors = 0
    while True:
        started = time.perf_counter()
        if started >= until:
            break
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1", "Accept": "application/json"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            connection.close()
            ok = False
        if started >= measure_from:
            latencies.append(time.perf_counter() - started)
            errors += not ok
    connection.close()
    return latencies, errors


def _load(port: int, path: str, seconds: float, warm_up: float) -> list[float]:
    """Latencies of every request CLIENTS clients completed in `seconds`, after `warm_up` seconds unmeasured."""
    now = time.perf_counter()
    measure_from, until = now + warm_up, now + warm_up + seconds
    with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
        parts = pool.map(_client, [(port, path, measure_from, until)] * CLIENTS)
    latencies = [latency for part, _ in parts for latency in part]
    errors = sum(errors for _, errors in parts)
    if not latencies:
        raise RuntimeError(f"bench api: no request to {path} completed")
    if errors:
        raise RuntimeError(f"bench api: {errors} of {len(latencies)} requests to {path} did not answer 200")
    return latencies


def _summary(latencies: list[float], seconds: float) -> dict:
    latencies = sorted(latencies)
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def _compare(port: int, api_path: str, floor_path: str) -> tuple[dict, dict]:
    """API and floor in alternating slices (ROUNDS of each), so that the other load on a shared machine falls on
    both alike: the ratio is what the section is for."""
    api: list[float] = []
    floor: list[float] = []
    slice_seconds = SECONDS / ROUNDS
    for round_number in range(ROUNDS):
        order = [(api_path, api), (floor_path, floor)]
        for path, into in order if round_number % 2 == 0 else reversed(order):
            into.extend(_load(port, path, slice_seconds, warm_up=1.0 if round_number == 0 else 0.3))
    return _summary(api, SECONDS), _summary(floor, SECONDS)


def _ensure_thread() -> str:
    """A paper with a discussion of THREAD_SIZE comments (a quarter top-level, the rest replies), made once."""
    from django.contrib.auth import get_user_model

    from comments.models import Comment
    from papers.models import Paper
    from shared.markdown import render_markdown

    paper = Paper.objects.order_by("-published", "-arxiv_id")[1000:1001].get()
    if Comment.objects.filter(paper=paper).count() == THREAD_SIZE:
        return paper.arxiv_id
    Comment.objects.filter(paper=paper).delete()
    User = get_user_model()
    members = [User.objects.get_or_create(username=f"bench-reader-{n}")[0] for n in range(50)]
    body = "I think the **ablation** in section 4 is what makes this convincing; see [the code](https://example.org)."
    html = render_markdown(body)
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    roots = Comment.objects.bulk_create(
        Comment(
            author=members[n % 50],
            paper=paper,
            depth=0,
            body=body,
            body_html=html,
            created_at=start + datetime.timedelta(minutes=4 * n),
        )
        for n in range(THREAD_SIZE // 4)
    )
    Comment.objects.bulk_create(
        Comment(
            author=members[(n * 7) % 50],
            paper=paper,
            parent=roots[n // 3],
            depth=1,
            body=body,
            body_html=html,
            created_at=start + datetime.timedelta(minutes=4 * (n // 3) + 1 + n % 3),
        )
        for n in range(THREAD_SIZE - len(roots))
    )
    Paper.objects.filter(pk=paper.pk).update(comment_count=THREAD_SIZE)
    return paper.arxiv_id


def _count_queries(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(ALLOWED_HOSTS=["127.0.0.1"]), CaptureQueriesContext(connection) as captured:
        response = Client().get(path, secure=True, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def _start_gunicorn(ctx: BenchContext, port: int) -> subprocess.Popen:
    env = {
        **ctx.env(),
        "SECURE_SSL_REDIRECT": "off",
        "API_THROTTLE_ANON": "1000000000/second",
        "API_THROTTLE_MEMBER": "1000000000/second",
        "API_THROTTLE_WRITE": "1000000000/second",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("bench api: gunicorn did not answer within 60 s")


def _same_rows(port: int, api_path: str, floor_path: str) -> int:
    """The floor must return what the API returns, or the comparison means nothing."""
    import orjson

    def get(path: str):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        return orjson.loads(connection.getresponse().read())

    api, floor = get(api_path), get(floor_path)
    api_rows, floor_rows = api.get("results", [api]), floor.get("results", [floor])
    if api_rows != floor_rows:
        raise RuntimeError(f"bench api: {floor_path} does not return the rows of {api_path}")
    return len(api_rows)


def _count_cost(runs: int = 7) -> float:
    """Median ms of the COUNT(*) behind the papers list's `count` (both the API and the floor run it)."""
    from papers.models import Paper

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        Paper.objects.count()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(ctx: BenchContext) -> None:
    ctx.ensure_loaded()
    from papers.models import Paper

    thread_paper = _ensure_thread()
    # A paper from the middle of the catalogue, as a client following links would ask for, with its authors.
    with_authors = Paper.objects.filter(author_names__gt="").order_by("arxiv_id")
    detail_paper = with_authors[with_authors.count() // 2]
    cases = [
        ("papers list, 20 a page", "/api/v1/papers/?page_size=20", "/bench-floor/papers/?page_size=20", 0.8),
        ("papers list, 100 a page", "/api/v1/papers/?page_size=100", "/bench-floor/papers/?page_size=100", 0.8),
        (
            "paper detail",
            f"/api/v1/papers/{detail_paper.arxiv_id}/",
            f"/bench-floor/papers/{detail_paper.arxiv_id}/",
            0.5,
        ),
        (
            f"thread of {THREAD_SIZE} comments",
            f"/api/v1/comments/?paper={thread_paper}&page_size={THREAD_SIZE}",
            f"/bench-floor/comments/?paper={thread_paper}",
            0.5,
        ),
    ]

    small, large = _count_queries("/api/v1/papers/?page_size=5"), _count_queries("/api/v1/papers/?page_size=100")
    ctx.add(SECTION, "papers list queries, 5 / 100 a page", "queries", small, "", note=f"100 a page: {large}")
    if small != large:
        raise RuntimeError(f"bench api: the papers list ran {small} queries at 5 a page and {large} at 100")
    thread_queries = _count_queries(cases[3][1])
    ctx.add(SECTION, f"thread of {THREAD_SIZE} comments queries", "queries", thread_queries, "")
    ctx.add(SECTION, "papers list: COUNT(*) of every paper", "median", _count_cost(), "ms",
            note="paid by the API's and the floor's list alike, for `count`")  # fmt: skip

    port = _free_port()
    server = _start_gunicorn(ctx, port)
    try:
        expected_rows = [20, 100, 1, THREAD_SIZE]
        for (name, api_path, floor_path, goal), expected in zip(cases, expected_rows, strict=True):
            rows = _same_rows(port, api_path, floor_path)
            if rows != expected:
                raise RuntimeError(f"bench api: {api_path} answered {rows} rows, not {expected}")
            api, floor = _compare(port, api_path, floor_path)
            note = f"gunicorn {WORKERS} sync workers, {CLIENTS} clients, {SECONDS:g} s in {ROUNDS} slices"
            ctx.add(SECTION, f"{name}: API", "requests/s", api["rps"], "req/s", note=note)
            ctx.add(SECTION, f"{name}: API", "p50", api["p50"], "ms")
            ctx.add(SECTION, f"{name}: API", "p99", api["p99"], "ms")
            ctx.add(SECTION, f"{name}: floor", "requests/s", floor["rps"], "req/s", note="values() + orjson")
            ctx.add(SECTION, f"{name}: floor", "p50", floor["p50"], "ms")
            ctx.add(SECTION, f"{name}: floor", "p99", floor["p99"], "ms")
            ctx.add(SECTION, f"{name}: API vs floor", "ratio", api["rps"] / floor["rps"], "x", note=f"goal >= {goal}x")
    finally:
        server.terminate()
        server.wait(timeout=30)
