"""The floor the API is measured against: hand-written views that return the same rows as the API, read with
values() and written with orjson, with no framework between the database and the bytes.

Mounted only for the bench (bench/wsgi.py), beside the hub's own URLs, under /bench-floor/.
"""

from __future__ import annotations

from collections import defaultdict

import orjson
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from comments.models import VISIBLE, Comment
from comments.serializers import COMMENT_COLUMNS
from hub.urls import urlpatterns as hub_urlpatterns
from papers.models import Authorship, Paper
from videos.models import VideoPaper

ARXIV = "https://arxiv.org"
LIST = ("id", "arxiv_id", "version", "title", "abstract", "published", "updated", "primary_category_id")
LIST += ("comment_count", "discussion_count")


def _json(data) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), content_type="application/json")


def _authors_categories(ids: list[int]):
    authors = defaultdict(list)
    for paper_id, author_id, name in (
        Authorship.objects.filter(paper_id__in=ids)
        .order_by("paper_id", "position")
        .values_list("paper_id", "author_id", "author__name")
    ):
        authors[paper_id].append({"id": author_id, "name": name})
    categories = defaultdict(list)
    for paper_id, code in (
        Paper.categories.through.objects.filter(paper_id__in=ids)
        .order_by("paper_id", "category_id")
        .values_list("paper_id", "category_id")
    ):
        categories[paper_id].append(code)
    return authors, categories


def _paper(row: dict, authors, categories) -> dict:
    pid, aid = row["id"], row["arxiv_id"]
    return {
        "arxiv_id": aid,
        "version": row["version"],
        "title": row["title"],
        "abstract": row["abstract"],
        "authors": authors[pid],
        "published": row["published"],
        "updated": row["updated"],
        "primary_category": row["primary_category_id"],
        "categories": categories[pid],
        "comment_count": row["comment_count"],
        "discussion_count": row["discussion_count"],
        "url": f"/api/v1/papers/{aid}/",
        "html_url": f"/papers/{aid}/",
        "abs_url": f"{ARXIV}/abs/{aid}",
        "pdf_url": f"{ARXIV}/pdf/{aid}",
    }


def papers(request: HttpRequest) -> HttpResponse:
    size = min(int(request.GET.get("page_size", 20)), 100)
    queryset = Paper.objects.order_by("-published", "-arxiv_id")
    count = queryset.count()
    rows = list(queryset.values(*LIST)[:size])
    authors, categories = _authors_categories([row["id"] for row in rows])
    results = [{**_paper(row, authors, categories), "highlight": None} for row in rows]
    return _json({"count": count, "next": None, "previous": None, "results": results})


def paper(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    columns = (*LIST, "doi", "journal_ref", "arxiv_comments", "code_url", "is_stub", "modified_at")
    rows = list(Paper.objects.filter(arxiv_id=arxiv_id).order_by().values(*columns)[:1])
    if not rows:
        raise Http404
    row = rows[0]
    authors, categories = _authors_categories([row["id"]])
    data = _paper(row, authors, categories)
    data.update({k: row[k] for k in ("doi", "journal_ref", "arxiv_comments", "code_url", "is_stub", "modified_at")})
    data["videos"] = [
        {"slug": s, "title": t, "channel": c, "role": r, "url": f"/api/v1/videos/{s}/"}
        for s, t, c, r in VideoPaper.objects.filter(paper_id=row["id"]).values_list(
            "video__slug", "video__title", "video__channel__slug", "role"
        )
    ]
    data["comments_url"] = f"/api/v1/comments/?paper={arxiv_id}"
    return _json(data)


def thread(request: HttpRequest) -> HttpResponse:
    paper_id = Paper.objects.filter(arxiv_id=request.GET["paper"]).order_by().values_list("pk", flat=True)[0]
    accepted = Comment.objects.filter(VISIBLE, parent=OuterRef("pk"), accepted=True)
    rows = Comment.objects.annotate(answered=Exists(accepted)).filter(paper_id=paper_id).order_by("created_at", "id")
    results = []
    # The same columns as the API's thread, so both read the same rows.
    for row in rows[:1000].values(*COMMENT_COLUMNS):
        visible = row["deleted_at"] is None and row["removed_at"] is None
        results.append(
            {
                "id": row["id"],
                "paper": row["paper__arxiv_id"],
                "video": row["video__slug"],
                "parent": row["parent_id"],
                "depth": row["depth"],
                "author": row["author__username"] if visible else None,
                "body": row["body"] if visible else "",
                "body_html": row["body_html"] if visible else "",
                "state": "visible" if visible else "deleted",
                "created_at": row["created_at"],
                "edited_at": row["edited_at"],
                "score": row["score"],
                "kind": row["kind"],
                "accepted": row["accepted"],
                "answered": row["answered"] and row["kind"] == "question",
                "at": row["at"],
                "paper_version": row["paper_version"],
                "outdated": row["paper_version"] is not None and row["paper_version"] < row["paper__version"],
                "my_vote": None,
                "url": f"/api/v1/comments/{row['id']}/",
            }
        )
    return _json({"next": None, "previous": None, "results": results})


urlpatterns = [
    path("bench-floor/papers/", papers),
    path("bench-floor/papers/<path:arxiv_id>/", paper),
    path("bench-floor/comments/", thread),
    *hub_urlpatterns,
]
