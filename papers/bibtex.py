"""A paper's BibTeX entry, in the shape arXiv's own export gives, for readers to copy into their library."""

from __future__ import annotations

import re
import unicodedata

from papers.models import Paper

_SPECIAL = str.maketrans({"{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_"})


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", folded).lower()


def citation_key(paper: Paper, authors: list) -> str:
    """ "vaswani2017attention": first author's last name, year, first long word of the title."""
    last_name = _ascii_word(authors[0].name.split()[-1]) if authors else "anon"
    words = [_ascii_word(w) for w in paper.title.split()]
    first_word = next((w for w in words if len(w) > 3), words[0] if words else "paper")
    return f"{last_name or 'anon'}{paper.published.year}{first_word}"


def _value(text: str) -> str:
    """Whitespace collapsed and BibTeX's special characters escaped; `_` is left alone inside math."""
    value = " ".join(text.split()).translate(_SPECIAL)
    return value.replace(r"\_", "_") if "$" in text else value


def paper_bibtex(paper: Paper) -> str:
    """An @misc entry with eprint fields; uses the prefetched authors of `Paper.objects.with_authors()`."""
    authors = paper.ordered_authors
    fields = [
        ("title", "{" + _value(paper.title) + "}"),
        ("author", " and ".join(_value(a.name) for a in authors) or "Unknown"),
        ("year", str(paper.published.year)),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
    ]
    if paper.primary_category_id:
        fields.append(("primaryClass", paper.primary_category_id))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.journal_ref:
        fields.append(("journal", _value(paper.journal_ref)))
    fields.append(("url", paper.abs_url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{citation_key(paper, authors)},\n{body}\n}}"
