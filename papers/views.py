"""Paper and author pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from hub.paging import window
from papers import arxiv
from papers.bibtex import paper_bibtex
from papers.listing import SORTS, PaperFilters, video_links_of_paper
from papers.models import Author, Category, Paper
from papers.search import search_papers

PAGE_SIZE = 25


@require_GET
def paper_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    if not query.strip():
        filters = PaperFilters.from_query(request.GET)
        papers = filters.apply(Paper.objects.for_listing().annotate(has_video=video_links_of_paper()))
        context = {
            "page": window(papers, request, PAGE_SIZE),
            "filters": filters,
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "categories": Category.objects.only("code", "name"),
        }
        return render(request, "papers/paper_list.html", context)
    page_number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    results = search_papers(query, page=page_number, per_page=PAGE_SIZE)
    if results.paper is not None:
        return redirect(results.paper)
    return render(request, "papers/search.html", {"results": results, "query": query})


def _videos_explaining() -> Prefetch:
    """The videos linked to a paper, each with its channel and chapters: three queries for any number."""
    link_model = Paper._meta.get_field("video_links").related_model  # papers does not import videos
    return Prefetch(
        "video_links",
        queryset=link_model.objects.select_related("video__channel")
        .prefetch_related("video__chapters")
        .order_by("role", "-video__published", "video_id"),
    )


@require_GET
def paper_detail(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    try:
        parsed = arxiv.parse_arxiv_id(arxiv_id)
    except arxiv.InvalidArxivId as exc:
        raise Http404(str(exc)) from exc
    if parsed.id != arxiv_id:
        # Any accepted spelling (with version, arXiv: prefix, subject class) has one address.
        return redirect("papers:detail", parsed.id, permanent=True)
    paper = get_object_or_404(
        Paper.objects.for_listing().prefetch_related("categories", _videos_explaining()), arxiv_id=parsed.id
    )
    context = {"paper": paper, "bibtex": paper_bibtex(paper), "video_links": list(paper.video_links.all())}
    return render(request, "papers/paper_detail.html", context)


@require_GET
def author_detail(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    papers = Paper.objects.for_listing().annotate(has_video=video_links_of_paper())
    papers = papers.filter(authorships__author=author).newest()
    context = {"author": author, "page": window(papers, request, PAGE_SIZE), "paper_count": author.authorships.count()}
    return render(request, "papers/author_detail.html", context)
