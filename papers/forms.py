"""The search form: the reader's words plus filters and a sort, all optional, all forgiving."""

from __future__ import annotations

import re

from django import forms

from papers.search import SearchFilters, Sort

CATEGORY_RE = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z-]+)?\.?$")
YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class QueryField(forms.CharField):
    """Free text where a NUL byte (which no database accepts in text) becomes a space instead of an error."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", " ")
        return super().to_python(value)


class SearchForm(forms.Form):
    q = QueryField(required=False, label="Search", strip=True)
    category = forms.CharField(
        required=False,
        max_length=32,
        help_text="An arXiv category such as cs.LG, or an archive with a dot: cs.",
    )
    year_from = forms.IntegerField(required=False, min_value=1991, max_value=2100, label="From year")
    year_to = forms.IntegerField(required=False, min_value=1991, max_value=2100, label="To year")
    author = QueryField(required=False, max_length=200)
    has_video = forms.ChoiceField(required=False, choices=YES_NO, label="Explainer video")
    has_discussion = forms.ChoiceField(required=False, choices=YES_NO, label="Discussion")
    sort = forms.ChoiceField(
        required=False,
        choices=[(Sort.RELEVANCE, "Best match"), (Sort.NEWEST, "Newest"), (Sort.DISCUSSED, "Most discussed")],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def clean_category(self) -> str:
        code = self.cleaned_data["category"].strip()
        if code and not CATEGORY_RE.match(code):
            raise forms.ValidationError("Give an arXiv category such as cs.LG, or an archive such as cs.")
        return code

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error("year_to", "The last year comes after the first.")
        return data

    def _value(self, name: str, default=None):
        # Fields with errors are left out, so the rest of the search still runs while the form shows the error.
        return self.cleaned_data.get(name, default) if hasattr(self, "cleaned_data") else default

    @property
    def query(self) -> str:
        return self._value("q", "") or ""

    @property
    def page_number(self) -> int:
        return self._value("page") or 1

    @property
    def sort_order(self) -> Sort:
        return Sort(self._value("sort") or Sort.RELEVANCE)

    @property
    def filters(self) -> SearchFilters:
        def yes_no(name: str) -> bool | None:
            return {"yes": True, "no": False}.get(self._value(name) or "")

        category = self._value("category") or ""
        return SearchFilters(
            categories=(category,) if category else (),
            year_from=self._value("year_from"),
            year_to=self._value("year_to"),
            author=self._value("author") or "",
            has_video=yes_no("has_video"),
            has_discussion=yes_no("has_discussion"),
        )
