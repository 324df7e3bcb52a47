"""Paper and author pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from papers import arxiv
from papers.forms import SearchForm
from papers.models import Author, Paper
from papers.search import SearchFilters, search_papers, search_videos

PAGE_SIZE = 25
VIDEO_RESULTS = 5  # videos shown beside the first page of paper results


@require_GET
def paper_list(request: HttpRequest) -> HttpResponse:
    """The newest papers; with `q` or a filter, the search page (an arXiv id or link goes to its paper)."""
    form = SearchForm(request.GET)
    form.is_valid()  # fields with errors drop out of the search and show their message on the page
    query, filters = form.query, form.filters
    if not query and filters == SearchFilters() and not set(form.errors) - {"page", "sort"}:
        page = Paginator(Paper.objects.for_listing().newest(), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "papers/paper_list.html", {"page": page})
    results = search_papers(query, filters=filters, sort=form.sort_order, page=form.page_number, per_page=PAGE_SIZE)
    if results.paper is not None:
        return redirect(results.paper)
    video_results = search_videos(query, per_page=VIDEO_RESULTS) if query and results.page == 1 else None
    # The pagination links keep the reader's words and filters; only the page number changes.
    kept = request.GET.copy()
    kept.pop("page", None)
    page_query = kept.urlencode() + "&" if kept else ""
    context = {"results": results, "video_results": video_results, "form": form, "query": query}
    context["page_query"] = page_query
    return render(request, "papers/search.html", context)


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
