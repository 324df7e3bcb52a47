"""Curator admin for papers, authors and categories."""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path

from papers import admin_import, arxiv
from papers.models import Author, Authorship, Category, Paper, PaperVersion
from shared.numbers import whole_number


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 1
    ordering = ["position"]
    autocomplete_fields = ["author"]


class PaperVersionInline(admin.TabularInline):
    """The versions as imports found them: facts from arXiv, shown and never edited here."""

    model = PaperVersion
    fields = ["number", "submitted", "size", "source"]
    readonly_fields = fields
    ordering = ["number"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class YearFilter(admin.SimpleListFilter):
    title = "year published"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).dates("published", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        year = whole_number(self.value() or "")
        if year is not None:
            return queryset.filter(published__year=year)
        return queryset


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    # Import page: a curator pastes what they have, the same import as the command runs.
    change_list_template = "admin/papers/paper/change_list.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(partial(admin_import.import_view, self))
        return [path("import/", view, name="papers_paper_import"), *super().get_urls()]

    list_display = ["arxiv_id", "title", "published", "primary_category", "is_stub", "comment_count"]
    list_filter = [("primary_category", admin.RelatedOnlyFieldListFilter), YearFilter, "is_stub"]
    search_fields = ["arxiv_id", "title", "author_names"]
    date_hierarchy = "published"
    inlines = [AuthorshipInline, PaperVersionInline]
    autocomplete_fields = ["primary_category", "categories"]
    readonly_fields = ["comment_count", "created_at", "modified_at"]
    list_select_related = ["primary_category"]
    fieldsets = [
        (None, {"fields": ["arxiv_id", "version", "title", "abstract", "is_stub"]}),
        ("Dates", {"fields": ["published", "updated"]}),
        ("Classification", {"fields": ["primary_category", "categories"]}),
        ("Publication", {"fields": ["doi", "journal_ref", "arxiv_comments", "license", "code_url"]}),
        ("Activity", {"fields": ["comment_count", "created_at", "modified_at"]}),
    ]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.refresh_author_names()

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        # A curator may paste an arXiv id in any form (URL, arXiv: prefix, with version): find that paper.
        term = search_term.strip()
        if term and arxiv.looks_like_arxiv_reference(term):
            try:
                return queryset.named(term), False
            except arxiv.InvalidArxivId:
                pass
        return super().get_search_results(request, queryset, search_term)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "key"]
    search_fields = ["name", "key"]
    readonly_fields = ["key"]

    def save_model(self, request: HttpRequest, obj: Author, form, change: bool) -> None:
        # The key follows the spelling; a renamed author is matched by the new spelling on the next import.
        obj.key = arxiv.author_key(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
