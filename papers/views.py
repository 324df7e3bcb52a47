"""Paper and author pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from papers.bibtex import paper_bibtex
from papers.forms import SearchForm
from papers.listing import paper_page
from papers.models import Author, Paper
from papers.reading import explained
from papers.search import SearchFilters, search_papers
from shared.pagecache import cache_for_visitors
from shared.paging import page_number, window

PAGE_SIZE = 25


@require_GET
@cache_for_visitors
def paper_list(request: HttpRequest) -> HttpResponse:
    """The newest papers; with `q` or a filter, the search page (an arXiv id or link goes to its paper)."""
    form = SearchForm(request.GET)
    form.is_valid()  # fields with errors drop out of the search and show their message on the page
    query, filters = form.query, form.filters
    if not query and filters == SearchFilters() and not set(form.errors) - {"page", "sort"}:
        # The whole catalogue in the chosen order; the filter form (the search's own) sends filters to search.
        context = {"page": paper_page(form.sort_order, page_number(request), PAGE_SIZE), "form": form}
        return render(request, "papers/paper_list.html", context)
    results = search_papers(query, filters=filters, sort=form.sort_order, page=form.page_number, per_page=PAGE_SIZE)
    if results.paper is not None:
        return redirect(results.paper)
    context = {"results": results, "form": form, "query": query}  # the template adds videos (videos.templatetags)
    if results.corrected_query:
        # "Did you mean": the same search (filters and sort kept, from page 1) with the corrected words.
        corrected = request.GET.copy()
        corrected["q"] = results.corrected_query
        corrected.pop("page", None)
        context["corrected_url"] = f"{request.path}?{corrected.urlencode()}"
    return render(request, "papers/search.html", context)


def _videos_explaining() -> Prefetch:
    """The videos linked to a paper, each with its channel and chapters: three queries for any number."""
    return Prefetch(
        "video_links",
        queryset=Paper.videos.through.objects.select_related("video__channel")
        .prefetch_related("video__chapters")
        .order_by("role", "-video__published", "video_id"),
    )


@require_GET
def paper_detail(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    address = reverse("papers:detail", args=[arxiv_id])  # arxiv_id is canonical: the <arxiv:...> converter
    if request.path != address:
        # Any accepted spelling (with version, arXiv: prefix, subject class) has one address.
        return redirect(address, permanent=True)
    paper = get_object_or_404(
        Paper.objects.for_listing().prefetch_related("categories", "versions", _videos_explaining()),
        arxiv_id=arxiv_id,
    )
    context = {"paper": paper, "bibtex": paper_bibtex(paper), "video_links": list(paper.video_links.all())}
    return render(request, "papers/paper_detail.html", context)


@require_GET
@cache_for_visitors
def author_detail(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    papers = Paper.objects.for_listing().annotate(has_video=explained())
    papers = papers.filter(authorships__author=author).newest()
    context = {"author": author, "page": window(papers, request, PAGE_SIZE), "paper_count": author.authorships.count()}
    return render(request, "papers/author_detail.html", context)
