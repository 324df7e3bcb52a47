"""The `<arxiv:...>` path converter: a URL names a paper by its arXiv id in any form people write.

It matches what the URL holds (old-style ids keep their slash: hep-th/9901001) and gives the view the canonical
id; a text that is no arXiv id does not match, so the resolver answers 404. A view that wants one address per
paper compares the request's path with the canonical one (papers.views.paper_detail redirects).
"""

from __future__ import annotations

from papers import arxiv


class ArxivIdConverter:
    regex = r".+?"  # lazy: /papers/<id>/feed/ leaves "feed" to its own pattern

    def to_python(self, value: str) -> str:
        try:
            return arxiv.canonical_arxiv_id(value)
        except arxiv.InvalidArxivId as exc:
            raise ValueError(str(exc)) from exc  # the resolver reads ValueError as "no match"

    def to_url(self, value: str) -> str:
        return value
