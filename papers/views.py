"""Paper and author pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from papers import arxiv
from papers.models import Author, Paper
from papers.search import search_papers

PAGE_SIZE = 25


@require_GET
def paper_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    if not query.strip():
        page = Paginator(Paper.objects.for_listing().newest(), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "papers/paper_list.html", {"page": page})
    page_number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    results = search_papers(query, page=page_number, per_page=PAGE_SIZE)
    if results.paper is not None:
        return redirect(results.paper)
    return render(request, "papers/search.html", {"results": results, "query": query})


@require_GET
def paper_detail(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    try:
        parsed = arxiv.parse_arxiv_id(arxiv_id)
    except arxiv.InvalidArxivId as exc:
        raise Http404(str(exc)) from exc
    if parsed.id != arxiv_id:
        # Any accepted spelling (with version, arXiv: prefix, subject class) has one address.
        return redirect("papers:detail", parsed.id, permanent=True)
    paper = get_object_or_404(Paper.objects.for_listing(), arxiv_id=parsed.id)
    return render(request, "papers/paper_detail.html", {"paper": paper})


@require_GET
def author_detail(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    papers = Paper.objects.for_listing().filter(authorships__author=author).newest()
    page = Paginator(papers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "papers/author_detail.html", {"author": author, "page": page})
