"""The curator's import page in the admin: paste arXiv ids or links, get the same import as `fetch_arxiv`."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from papers import arxiv
from papers.fetch import fetch_papers
from papers.models import Paper

MAX_REFERENCES = 500


class ArxivIdsForm(forms.Form):
    references = forms.CharField(
        label="arXiv ids or links",
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text="One or more, separated by spaces, commas or new lines: 2105.06548, arXiv:2105.06548v2, "
        "hep-th/9901001, https://arxiv.org/abs/... or .../pdf/... links.",
    )

    def clean_references(self) -> list[str]:
        pieces = [piece for piece in re.split(r"[\s,;]+", self.cleaned_data["references"]) if piece]
        if not pieces:
            raise forms.ValidationError("Give at least one arXiv id or link.")
        if len(pieces) > MAX_REFERENCES:
            raise forms.ValidationError(f"At most {MAX_REFERENCES} at a time; run fetch_arxiv for more.")
        wrong = []
        for piece in pieces:
            try:
                arxiv.parse_arxiv_id(piece)
            except arxiv.InvalidArxivId as exc:
                wrong.append(f"{piece}: {exc}")
        if wrong:
            raise forms.ValidationError(["These are not arXiv ids or links:", *wrong])
        return pieces


def import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: fetch the papers from arXiv (one request every 3 s) and import them."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ArxivIdsForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        report = fetch_papers(form.cleaned_data["references"])
        if not report.errors:
            messages.success(request, f"Imported from arXiv: {report.summary()}.")
            return HttpResponseRedirect(reverse("admin:papers_paper_changelist"))
        messages.warning(request, f"Imported from arXiv with problems: {report.summary()}.")
        errors = report.errors
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Paper._meta,
        "title": "Import papers from arXiv",
        "form": form,
        "import_errors": errors,
    }
    return TemplateResponse(request, "admin/import_form.html", context)
