"""Section "pages": the server time of the hub's busiest pages next to the framework's floor.

Each page is requested through Django's WSGI handler in this process (a WSGI call with a hand-built environ,
over HTTPS, with the project's settings and full middleware stack, DEBUG off, the bench PostgreSQL database),
so the time is the hub's own: URL routing, middleware, queries and template rendering, without a socket or an
HTTP server in between. The floor is a bare view returning a constant page under the same settings and
middleware. Figures: the median time of each page in ms and the matching requests per second, and the
ratio of its requests per second to the floor's (goal: 0.25 or more for home and the lists).

Before measuring, the section adds what the corpus lacks: members, a channel with videos (chapters,
corrections, papers explained) and two papers whose discussions have 1,000 and 10,000 comments in threads of
realistic shape (goals: 1,000 comments under 60 ms; 10,000 no more than 11x the 1,000-comment time).
"""

from __future__ import annotations

import datetime
import io
import random
import statistics
import sys
import time

from bench.context import BenchContext
from bench.thread_template import compare as compare_thread_drawing

SECTION = "pages"
WARMUP = 3
MIN_RUNS = 7
MAX_RUNS = 60
BUDGET_SECONDS = 6.0  # per page, after warm-up
SEARCH_QUERY = "attention transformer"
MEMBERS = 60
BEST = "?sort=best"  # the discussion sorted by the Wilson lower bound of its votes
THREADS = {1_000: "thread-1k", 10_000: "thread-10k"}  # comments -> tag in the figure names
FLOOR_PAGE = b"<!doctype html><html lang=en><title>Floor</title><p>A constant page.</p></html>"


def floor_view(request):
    from django.http import HttpResponse

    return HttpResponse(FLOOR_PAGE)


def _urlconf():
    """The hub's URLs plus the floor view, as a module object Django can use as ROOT_URLCONF."""
    import types

    from django.urls import path

    from hub import urls as hub_urls

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [path("bench/floor/", floor_view), *hub_urls.urlpatterns]
    return module


def _environ(url: str, cookie: str = "") -> dict:
    path, _, query = url.partition("?")
    return {
        "HTTP_COOKIE": cookie,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "HTTP_HOST": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",  # production settings redirect plain HTTP
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _request(application, url: str, cookie: str = "") -> tuple[str, int]:
    status = []
    response = application(_environ(url, cookie), lambda s, headers, exc_info=None: status.append(s))
    try:
        size = sum(len(chunk) for chunk in response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return status[0], size


def _measure(application, url: str, *, cookie: str = "") -> tuple[float, int, int]:
    """(median ms, runs, bytes) of GET `url` (with `cookie`, as that session); fails loudly unless every answer
    is a 200."""
    for _ in range(WARMUP):
        status, size = _request(application, url, cookie)
        if not status.startswith("200"):
            raise RuntimeError(f"bench pages: {url} answered {status}")
    times = []
    started = time.perf_counter()
    while len(times) < MAX_RUNS and (len(times) < MIN_RUNS or time.perf_counter() - started < BUDGET_SECONDS):
        begin = time.perf_counter()
        _request(application, url, cookie)
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times), len(times), size


# --- content the corpus lacks -------------------------------------------------------------------------------


def _members():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    users = [user_model(username=f"bench_member_{i}", password="!") for i in range(MEMBERS)]
    user_model.objects.bulk_create(users, ignore_conflicts=True)
    return list(user_model.objects.filter(username__startswith="bench_member_"))


def _videos(papers) -> str:
    """A channel with 25 videos; the first has 40 chapters, 6 corrections and 3 papers. Returns its URL."""
    from videos.models import Channel, Chapter, Correction, Video, VideoPaper

    channel, _ = Channel.objects.get_or_create(slug="bench-channel", defaults={"name": "Bench Explained"})
    videos = []
    for i in range(25):
        video, _ = Video.objects.get_or_create(
            slug=f"bench-video-{i}",
            defaults={
                "channel": channel,
                "title": f"{papers[i].title[:200]} (Paper Explained)",
                "url": f"https://www.youtube.com/watch?v=bench{i:06d}",
                "published": datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
                "duration": 2400,
                "summary": papers[i].abstract[:400],
            },
        )
        videos.append(video)
        VideoPaper.objects.get_or_create(video=video, paper=papers[i])
    main = videos[0]
    if not main.chapters.exists():
        Chapter.objects.bulk_create(
            Chapter(video=main, start=i * 60, title=f"Part {i}: a closer look") for i in range(40)
        )
        for i in range(6):
            Correction(video=main, kind="erratum" if i % 2 else "addendum", body=f"At this point, *note* {i}.",
                       at=i * 400 + 30, position=i).save()  # fmt: skip
        for position, paper in enumerate(papers[25:27], start=1):
            VideoPaper.objects.get_or_create(
                video=main, paper=paper, defaults={"role": "previous", "position": position}
            )
    return main.get_absolute_url()


def _thread(paper, members, total: int, rng: random.Random) -> None:
    """`total` comments on `paper` in generations: a fifth top-level, the rest replies to the one before."""
    from comments.models import Comment
    from papers.models import Paper
    from shared.markdown import render_markdown

    if paper.comments.exists():
        return
    bodies = [
        "I think the *ablation* in section 4 is the interesting part.",
        "Does this hold for $O(n \\log n)$ attention too?",
        "Agreed. The appendix has the numbers:\n\n- 81.2 top-1\n- 3x fewer FLOPs",
        "Could you say more about the **training budget**? It is not obvious from the paper.",
        "The code is linked above; the config for the big model is missing though.",
    ]
    rendered = [(body, render_markdown(body)) for body in bodies]
    shares = [0.2, 0.3, 0.22, 0.13, 0.08, 0.04, 0.02, 0.01]
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=60)
    previous: list[Comment] = []
    made = 0
    for depth, share in enumerate(shares):
        count = total - made if depth == len(shares) - 1 else round(total * share)
        batch = []
        for i in range(count):
            body, html = rendered[(made + i) % len(rendered)]
            parent = rng.choice(previous) if depth else None
            batch.append(
                Comment(
                    author=rng.choice(members),
                    paper=paper,
                    parent=parent,
                    depth=depth,
                    body=body,
                    body_html=html,
                    created_at=start + datetime.timedelta(seconds=(made + i) * 300),
                    score=rng.randint(-2, 25),
                )
            )
        previous = Comment.objects.bulk_create(batch, batch_size=2000)
        made += count
    Paper.objects.filter(pk=paper.pk).update(comment_count=total, discussion_count=total)


def _vote_counts(paper) -> None:
    """Up- and down-votes on the thread's comments whose score has none behind it (made by bulk rows, or before the
    counts existed): a few of each beside the score, so the "best" sort has something to rank."""
    from django.db.models import F
    from django.db.models.functions import Greatest

    from comments.models import Comment

    spread = F("id") % 3
    Comment.objects.filter(paper=paper, up_votes=0, down_votes=0).update(
        up_votes=Greatest(F("score"), 0) + spread, down_votes=Greatest(-F("score"), 0) + spread
    )


def _member_session(member, papers) -> str:
    """The Cookie header of a signed-in member who has voted on one comment in ten of each long thread (up and
    down), as the pages are measured for members too: their votes, their own edit links, the vote buttons."""
    from django.conf import settings
    from django.test import Client

    from comments.models import Comment, Vote

    votes = []
    for paper in papers:
        ids = Comment.objects.filter(paper=paper).exclude(author=member).values_list("pk", flat=True)
        votes += [Vote(user=member, comment_id=pk, value=1 if i % 3 else -1) for i, pk in enumerate(ids[::10])]
    Vote.objects.bulk_create(votes, ignore_conflicts=True)
    client = Client()
    client.force_login(member)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _prepare(ctx: BenchContext) -> list[tuple[str, str, bool, str]]:
    """Add what the corpus lacks (members, videos, two long threads); the pages to measure, as
    (name, url, served from the page cache to visitors without a session, the Cookie header to send)."""
    from django.db import connection

    from papers.models import Paper

    # Production serves hashed static files from a manifest, as the pages do here (DEBUG is off).
    ctx.manage("collectstatic", "--noinput")
    rng = random.Random(5)
    newest = list(Paper.objects.newest()[:40])
    if len(newest) < 40:
        raise RuntimeError("bench pages: the corpus needs at least 40 papers")
    members = _members()
    video_url = _videos(newest)
    thread_papers = {}
    for offset, total in enumerate(THREADS):
        paper = newest[30 + offset]
        _thread(paper, members, total, rng)
        _vote_counts(paper)
        thread_papers[total] = paper
    member = _member_session(members[0], thread_papers.values())
    compare_thread_drawing(ctx, thread_papers, members[0])
    # A live database has planner statistics; a freshly loaded one gets them now, not whenever autovacuum wakes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [
        ("floor: bare Django view", "/bench/floor/", False, ""),
        ("home", "/", True, ""),
        ("papers list", "/papers/", True, ""),
        ("papers list, most discussed", "/papers/?sort=discussed", True, ""),
        ("videos list", "/videos/", True, ""),
        (f"search results ({SEARCH_QUERY!r})", "/papers/?q=" + SEARCH_QUERY.replace(" ", "+"), True, ""),
        ("video page (40 chapters)", video_url, False, ""),
        ("paper page, 1,000 comments", thread_papers[1_000].get_absolute_url(), False, ""),
        ("paper page, 10,000 comments", thread_papers[10_000].get_absolute_url(), False, ""),
        ("paper page, 1,000 comments, as a member", thread_papers[1_000].get_absolute_url(), False, member),
        ("paper page, 1,000 comments, best, member", thread_papers[1_000].get_absolute_url() + BEST, False, member),
        ("paper page, 10,000 comments, as a member", thread_papers[10_000].get_absolute_url(), False, member),
    ]


def run(ctx: BenchContext) -> None:
    ctx.ensure_loaded()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    pages = _prepare(ctx)
    member_cookie = next(cookie for *_, cookie in pages if cookie)
    with override_settings(ROOT_URLCONF=_urlconf(), ALLOWED_HOSTS=["localhost"], DEBUG=False):
        application = WSGIHandler()
        medians, as_member = {}, {}
        for name, url, cached, cookie in pages:
            median, runs, size = _measure(application, url, cookie=cookie)
            medians[name] = median
            served = f"cache hit ({settings.PAGE_CACHE_SECONDS} s page cache), " if cached else ""
            note = f"{served}{runs} runs, {size // 1024} KiB, WSGI call in-process"
            ctx.add(SECTION, name, "median", median, "ms", note=note)
            ctx.add(SECTION, name, "requests/s", 1000 / median, "req/s")
            if cached:
                # Members are never served from the page cache: the same page with a member's session cookie.
                miss, runs, _ = _measure(application, url, cookie=member_cookie)
                as_member[name] = miss
                note = f"a signed-in member's session (no page cache); {runs} runs"
                ctx.add(SECTION, name, "median, as a member", miss, "ms", note=note)
                ctx.add(SECTION, name, "requests/s, as a member", 1000 / miss, "req/s")
        floor = medians["floor: bare Django view"]
        for name, miss in as_member.items():
            goal = "goal >= 0.25 (home, lists)"
            ctx.add(SECTION, name, "vs floor req/s", floor / medians[name], "x", note=f"{goal}; visitors")
            ctx.add(SECTION, name, "vs floor req/s, as a member", floor / miss, "x", note="members' sessions")
        one_k, ten_k = medians["paper page, 1,000 comments"], medians["paper page, 10,000 comments"]
        ctx.add(SECTION, "paper page, 10,000 vs 1,000 comments", "time ratio", ten_k / one_k, "x", note="goal <= 11")
