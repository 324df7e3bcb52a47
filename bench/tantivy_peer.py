"""The peer for the search section: tantivy (a Rust search engine, Python package `tantivy`) over the same corpus,
with the same query mix and the same field weights (title 1.0, authors 0.4, abstract 0.2).

tantivy ranks every match by BM25 (block-max WAND), stems English, answers phrases from its positions, and here
also makes the abstract's snippet and, when nothing matches, retries with every word fuzzy (one edit, a swap
counting once). It is what "as fast as a search engine" is measured against; nothing of it is part of the hub.
"""

from __future__ import annotations

import datetime
import shutil
import statistics
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import orjson

FIELDS = ("title", "authors", "abstract")
BOOSTS = {"title": 1.0, "authors": 0.4, "abstract": 0.2}
PER_PAGE = 25


def build(corpus: Path, directory: Path):
    """The index of the corpus in `directory` (made afresh): (index, seconds to build it)."""
    import tantivy

    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("arxiv_id", stored=True, tokenizer_name="raw")
    for name in FIELDS:
        builder.add_text_field(name, stored=name != "authors", tokenizer_name="en_stem")
    builder.add_text_field("categories", tokenizer_name="raw")
    builder.add_integer_field("published", fast=True, indexed=True)
    schema = builder.build()
    index = tantivy.Index(schema, path=str(directory))
    started = time.perf_counter()
    writer = index.writer(heap_size=400_000_000, num_threads=2)
    epoch = datetime.date(1970, 1, 1)
    with corpus.open("rb") as lines:
        for line in lines:
            record = orjson.loads(line)
            published = parsedate_to_datetime(record["versions"][0]["created"]).date()
            writer.add_document(
                tantivy.Document(
                    arxiv_id=record["id"],
                    title=record["title"],
                    authors=record["authors"],
                    abstract=record["abstract"],
                    categories=record["categories"].split(),
                    published=(published - epoch).days,
                )
            )
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, time.perf_counter() - started


def query_text(query: str) -> str:
    """The hub's query language in tantivy's: every group required, alternatives by OR, phrases quoted."""
    from papers.search import parse_query

    parsed = parse_query(query)

    def written(alt: tuple[str, ...]) -> str:
        return alt[0] if len(alt) == 1 else '"' + " ".join(alt) + '"'

    parts = ["+(" + " OR ".join(written(alt) for alt in group) + ")" for group in parsed.groups]
    return " ".join(parts + ["-" + written(alt) for alt in parsed.excluded])


def search(index, query: str, options: dict) -> list[str]:
    """The first page of arXiv ids, with the abstract's snippet made for each, as the hub's page shows them."""
    import tantivy

    from papers.search import Sort

    text = query_text(query)
    if not text:
        return []
    filters = options.get("filters")
    if filters is not None and filters.categories:
        text += f" +categories:{filters.categories[0]}"
    if filters is not None and filters.year_from:
        days = (datetime.date(filters.year_from, 1, 1) - datetime.date(1970, 1, 1)).days
        text += f" +published:[{days} TO *]"
    searcher = index.searcher()
    parsed = index.parse_query(text, list(FIELDS), field_boosts=BOOSTS)
    sort = options.get("sort")
    order = (
        {"order_by_field": "published", "order": tantivy.Order.Desc} if sort in (Sort.NEWEST, Sort.DISCUSSED) else {}
    )
    hits = searcher.search(parsed, PER_PAGE, **order).hits
    if not hits:
        fuzzy = dict.fromkeys(("title", "authors"), (False, 1, True))
        parsed = index.parse_query(text, list(FIELDS), field_boosts=BOOSTS, fuzzy_fields=fuzzy)
        hits = searcher.search(parsed, PER_PAGE, **order).hits
    snippets = tantivy.SnippetGenerator.create(searcher, parsed, index.schema, "abstract")
    found = []
    for _score, address in hits:
        document = searcher.doc(address)
        snippets.snippet_from_doc(document).to_html()
        found.append(document["arxiv_id"][0])
    return found


def measure(corpus: Path, directory: Path, mix: list[tuple[str, str, dict]], rounds: int) -> dict:
    """{"build": seconds, "times": {class: [ms]}, "overall": [ms]} for the mix, each query's median of `rounds`."""
    index, seconds = build(corpus, directory)
    times: dict[str, list[float]] = {}
    for _label, query, options in mix:  # warm-up
        search(index, query, options)
    for label, query, options in mix:
        runs = []
        for _ in range(rounds):
            started = time.perf_counter()
            search(index, query, options)
            runs.append((time.perf_counter() - started) * 1000)
        times.setdefault(label, []).append(statistics.median(runs))
    overall = [t for values in times.values() for t in values]
    shutil.rmtree(directory, ignore_errors=True)
    return {"build": seconds, "times": times, "overall": overall}
