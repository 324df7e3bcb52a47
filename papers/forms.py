"""The search form: the reader's words plus filters and a sort, all optional, all forgiving."""

from __future__ import annotations

import re

from django import forms

from papers.reading import SearchFilters, Sort
from shared.paging import MAX_PAGE

# A category (cs.LG, math.OC, astro-ph.CO, hep-th) or an archive (cs, cs.), in any letter case.
CATEGORY_RE = re.compile(r"^[a-z][a-z-]*(\.[a-z-]+)?\.?$", re.IGNORECASE)
MAX_CATEGORIES = 20


class QueryField(forms.CharField):
    """Free text where a NUL byte (which no database accepts in text) becomes a space instead of an error."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", " ")
        return super().to_python(value)


class YesNoField(forms.ChoiceField):
    """Yes, no, or either: "yes"/"no" from the page's select, "true"/"false" (or 1/0) from API clients."""

    SPELLINGS = {"yes": "yes", "true": "yes", "1": "yes", "no": "no", "false": "no", "0": "no"}

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, choices=[("", "Any"), ("yes", "Yes"), ("no", "No")], **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip().lower()
        return self.SPELLINGS.get(value, value)

    def clean(self, value) -> bool | None:
        return {"yes": True, "no": False}.get(super().clean(value))


class SearchForm(forms.Form):
    """The parameters of every list of papers: the search page's and the papers API's (where `sort` is called
    `ordering`). One form, so that the two cannot drift apart; papers.reading says what each filter means."""

    q = QueryField(
        required=False,
        label="Search",
        strip=True,
        help_text="Words of a title, an author or an abstract, or an arXiv id or link (which finds that paper).",
    )
    category = forms.CharField(
        required=False,
        max_length=300,
        help_text="arXiv categories, comma-separated (any of them), in any letter case: cs.LG,stat.ML; "
        "an archive alone for all of it: cs (or cs.).",
    )
    year_from = forms.IntegerField(required=False, min_value=1991, max_value=2100, label="From year")
    year_to = forms.IntegerField(required=False, min_value=1991, max_value=2100, label="To year")
    author = QueryField(required=False, max_length=200, help_text="Words of an author's name (every word must match).")
    has_video = YesNoField(label="Explainer video", help_text="Only papers explained in a video, or without one.")
    has_discussion = YesNoField(
        label="Discussion", help_text="Only papers with comments (their explainer videos' count), or without."
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            (Sort.RELEVANCE, "Best match"),
            (Sort.NEWEST, "Newest"),
            (Sort.OLDEST, "Oldest"),
            (Sort.DISCUSSED, "Most discussed"),
        ],
        help_text="relevance (with words: the default), newest (without words: the default), oldest, discussed.",
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_category(self) -> tuple[str, ...]:
        codes = [code.strip() for code in self.cleaned_data["category"].split(",") if code.strip()]
        if len(codes) > MAX_CATEGORIES or not all(CATEGORY_RE.match(code) for code in codes):
            raise forms.ValidationError(
                "Give arXiv categories such as cs.LG, comma-separated, or an archive such as cs."
            )
        # An archive alone (no subject class) is the whole archive, written with its dot: "cs" and "cs." alike.
        return tuple(code if "." in code else f"{code}." for code in dict.fromkeys(codes))

    def clean(self) -> dict:
        data = super().clean() or {}
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
        return SearchFilters(
            categories=self._value("category") or (),
            year_from=self._value("year_from"),
            year_to=self._value("year_to"),
            author=self._value("author") or "",
            has_video=self._value("has_video"),
            has_discussion=self._value("has_discussion"),
        )
