"""Paper and video search: the one entry point that pages and the API share.

The backend is chosen here and nowhere else, by the connection's vendor:

- PostgreSQL: the stored weighted tsvector `papers_paper.search_vector` (migration papers/0002) matched with
  `websearch_to_tsquery('english', …)`, ranked with `ts_rank`, snippets by `ts_headline` for the rows on the page
  only; when nothing matches, a trigram fallback (`<%` on titles and author names, pg_trgm GIN indexes).
- SQLite: the FTS5 table `papers_paper_fts` kept by triggers, ranked with `bm25` under the same weights,
  snippets by FTS5 `highlight`/`snippet`; when nothing matches, a prefix fallback re-ranked by string similarity.

Both rank a bounded candidate set (`CANDIDATE_CAP` matches) rather than every match: ranking costs grow with the
number of matching rows, and a word found in half the corpus would otherwise take seconds at a million papers.
The reader's text is parsed into a small query language here (words, "phrases", OR, -excluded) and rebuilt for
each backend from plain word characters only, so no FTS operator the reader types reaches the database as syntax;
every value is a bound parameter. A search page costs two queries (three when the typo fallback runs).
"""

from __future__ import annotations

import datetime
import difflib
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from papers import arxiv
from papers.models import Authorship, Category, Paper

MAX_QUERY_LENGTH = 500  # longer input is cut, not refused: a pasted paragraph still searches
MAX_PER_PAGE = 100
MAX_WORDS = 16  # words beyond this add cost and almost never change what is found
CANDIDATE_CAP = 1000  # matches ranked per search; see the module docstring and docs/ARCHITECTURE.md "Search"
FUZZY_CAP = 300  # candidates per misspelled word in the fallback

# Weights of title, authors and abstract: PostgreSQL's default ts_rank weights for A, B, C; bm25 gets the same.
WEIGHTS = (1.0, 0.4, 0.2)
RECENCY_BOOST = 0.15  # at most +15 % for a paper from this year, fading with age
DISCUSSION_BOOST = 0.10  # at most +10 % for a much-discussed paper

# Markers that the databases put around matches; the HTML is built from them after escaping the text.
_OPEN, _CLOSE = "\ue000", "\ue001"

# PostgreSQL's English stop words (what `to_tsvector('english', …)` drops), so both backends ignore the same words.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "did",
        "do",
        "does",
        "doing",
        "don",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "s",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "t",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    DISCUSSED = "discussed"


@dataclass(frozen=True)
class SearchFilters:
    categories: tuple[str, ...] = ()  # any of these (prefix "cs." matches the archive)
    year_from: int | None = None
    year_to: int | None = None
    author: str = ""  # words of an author's name
    has_video: bool | None = None
    has_discussion: bool | None = None


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    rank: float | None
    title_html: SafeString  # the title, escaped, with matches in <mark>
    abstract_html: SafeString  # a short excerpt of the abstract, escaped, with matches in <mark>


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    page: int = 1
    per_page: int = 25
    has_next: bool = False
    total: int | None = None  # exact count when it is cheap to know
    total_is_lower_bound: bool = False  # "more than `total`"
    paper: Paper | None = None  # the query was an arXiv id or link of a paper the hub holds
    missing_arxiv_id: str = ""  # the query was a valid arXiv id the hub does not hold
    message: str = ""  # why there are no results, for the reader (e.g. a malformed arXiv id)
    fuzzy: bool = False  # results come from the typo-tolerant fallback


@dataclass(frozen=True)
class VideoSearchHit:
    video: object  # videos.models.Video (papers does not import videos: dependencies point the other way)
    rank: float | None
    title_html: SafeString
    summary_html: SafeString
    chapter_html: SafeString  # matching chapter titles, highlighted, or ""


@dataclass
class VideoSearchResults:
    query: str
    hits: list[VideoSearchHit] = field(default_factory=list)
    page: int = 1
    per_page: int = 10
    has_next: bool = False
    total: int | None = None
    total_is_lower_bound: bool = False
    message: str = ""


# ---------------------------------------------------------------------------------------------------------------------
# The reader's query
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    """Web-search syntax reduced to word characters: all `groups` must match (each group is alternatives joined by
    OR, each alternative a word or a phrase of words), and none of `excluded` may."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...]

    @property
    def terms(self) -> list[str]:
        """The words to highlight and to look for in the typo fallback."""
        return [w for group in self.groups for alt in group for w in alt if w not in STOP_WORDS]

    @property
    def is_exact(self) -> bool:
        """A quoted phrase or an excluded word: the reader asked for exactly this, typos are not guessed."""
        return bool(self.excluded) or any(len(alt) > 1 for group in self.groups for alt in group)

    def websearch(self) -> str:
        """The query for PostgreSQL's websearch_to_tsquery, rebuilt from words only."""
        parts = [" or ".join(_ws_alt(alt) for alt in group) for group in self.groups]
        parts += ["-" + _ws_alt(alt) for alt in self.excluded]
        return " ".join(parts)

    def fts5(self) -> str:
        """The same query in FTS5 syntax: every word a quoted string, so no reader text is an operator."""
        positive = " AND ".join(
            "(" + " OR ".join(_fts_alt(alt) for alt in group) + ")" if len(group) > 1 else _fts_alt(group[0])
            for group in self.groups
        )
        if self.excluded:
            positive = f"({positive}) NOT (" + " OR ".join(_fts_alt(alt) for alt in self.excluded) + ")"
        return positive


def _ws_alt(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'


def _fts_alt(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_WORD_RE = re.compile(r"[^\W_]+")


def parse_query(text: str) -> ParsedQuery:
    """Parse words, "quoted phrases", OR and -excluded words; anything else is dropped, never an error.

    An unbalanced quote is ignored. Stop words are dropped outside phrases (PostgreSQL drops them anyway), so a
    query of stop words alone parses to nothing.
    """
    if text.count('"') % 2:
        text = text.replace('"', " ")
    groups: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    pending_or = False
    words_used = 0
    for match in _TOKEN_RE.finditer(text.replace("\x00", " ")):
        negated = bool(match.group(1) or match.group(3))
        is_phrase = match.group(2) is not None
        raw = match.group(2) if is_phrase else match.group(4)
        if not is_phrase and not negated and raw.lower() == "or":
            pending_or = bool(groups)
            continue
        words = tuple(w.lower() for w in _WORD_RE.findall(raw))
        if not is_phrase:
            words = tuple(w for w in words if w not in STOP_WORDS)
        if not words or words_used >= MAX_WORDS:
            continue
        words = words[: MAX_WORDS - words_used]
        words_used += len(words)
        if negated:
            excluded.extend([words] if is_phrase else [(w,) for w in words])
            continue
        alternatives = [words] if is_phrase else [(w,) for w in words]
        if pending_or and groups:
            groups[-1].append(alternatives[0])
            groups.extend([alt] for alt in alternatives[1:])
        else:
            groups.extend([alt] for alt in alternatives)
        pending_or = False
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


# ---------------------------------------------------------------------------------------------------------------------
# Snippets
# ---------------------------------------------------------------------------------------------------------------------


def marked_html(text: str | None) -> SafeString:
    """Escape text in which the database put `_OPEN`/`_CLOSE` around matches, then turn those into <mark>.

    The tags are balanced whatever the text holds, since a stray marker only toggles the state.
    """
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{_OPEN}{_CLOSE}])", text or ""):
        if piece == _OPEN and not inside:
            out.append("<mark>")
            inside = True
        elif piece == _CLOSE and inside:
            out.append("</mark>")
            inside = False
        elif piece not in (_OPEN, _CLOSE):
            out.append(escape(piece))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # built from escaped text and our own tags only


def _stem(term: str) -> str:
    for suffix in ("ings", "ing", "ies", "ed", "es", "s"):
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            return term[: -len(suffix)]
    return term


def highlight(text: str, terms: Sequence[str], *, limit: int | None = None) -> SafeString:
    """Escape `text` and mark words starting with a (crudely stemmed) term; cut to about `limit` characters."""
    stems = sorted({_stem(t.lower()) for t in terms if t}, key=len, reverse=True)
    pattern = re.compile(r"(?i)\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*") if stems else None
    if limit is not None and len(text) > limit:
        first = pattern.search(text) if pattern else None
        start = max(0, first.start() - limit // 4) if first else 0
        text = ("…" if start else "") + text[start : start + limit] + "…"
    if pattern is None:
        return mark_safe(escape(text))
    return marked_html(pattern.sub(lambda m: _OPEN + m.group(0) + _CLOSE, text.replace(_OPEN, "").replace(_CLOSE, "")))


# ---------------------------------------------------------------------------------------------------------------------
# SQL pieces shared by both backends
# ---------------------------------------------------------------------------------------------------------------------

_PAPER_FIELDS = list(Paper._meta.concrete_fields)
_PAPER_COLUMNS = ", ".join(f'p."{f.column}"' for f in _PAPER_FIELDS)
_SORT_KEYS = {
    # (order of the candidate set before the cap, order of the page); relevance leaves candidates unordered
    Sort.RELEVANCE: ("", "score DESC, id DESC"),
    Sort.NEWEST: ("ORDER BY p.published DESC, p.id DESC", "published DESC, id DESC"),
    Sort.DISCUSSED: (
        "ORDER BY p.comment_count DESC, p.published DESC, p.id DESC",
        "comment_count DESC, published DESC, id DESC",
    ),
}


def _filter_sql(filters: SearchFilters, *, like: str) -> tuple[str, list]:
    """AND-conditions on papers_paper aliased `p`, with their parameters."""
    clauses: list[str] = []
    params: list = []
    if filters.categories:
        links = Paper.categories.through._meta.db_table
        alternatives = []
        for code in filters.categories:
            if code.endswith("."):
                alternatives.append("substr(pc.category_id, 1, %s) = %s")
                params += [len(code), code]
            else:
                alternatives.append("pc.category_id = %s")
                params.append(code)
        clauses.append(f"EXISTS (SELECT 1 FROM {links} pc WHERE pc.paper_id = p.id AND ({' OR '.join(alternatives)}))")
    if filters.year_from is not None:
        clauses.append("p.published >= %s")
        params.append(datetime.date(max(1, filters.year_from), 1, 1))
    if filters.year_to is not None:
        clauses.append("p.published <= %s")
        params.append(datetime.date(min(9999, filters.year_to), 12, 31))
    for word in _WORD_RE.findall(filters.author.lower())[:MAX_WORDS]:
        clauses.append(f"p.author_names {like} %s")
        params.append(f"%{word}%")
    if filters.has_video is not None:
        explained = Paper.videos.through._meta.db_table
        clauses.append(
            ("" if filters.has_video else "NOT ") + f"EXISTS (SELECT 1 FROM {explained} vp WHERE vp.paper_id = p.id)"
        )
    if filters.has_discussion is not None:
        clauses.append("p.comment_count > 0" if filters.has_discussion else "p.comment_count = 0")
    return "".join(f" AND {c}" for c in clauses), params


def _hits(rows: list[tuple], highlighter) -> list[SearchHit]:
    """Hits from rows of (n, score, title, abstract, category name, *paper columns), skipping the count-only row
    of a page past the end. The authors of the whole page come in one more query."""
    category_field = Paper._meta.get_field("primary_category")
    attnames = [f.attname for f in _PAPER_FIELDS]
    hits: list[tuple] = []
    for _n, score, title, abstract, category_name, *columns in rows:
        if score is None:
            continue
        paper = Paper.from_db(connection.alias, attnames, columns)
        category = None
        if paper.primary_category_id is not None:
            category = Category.from_db(connection.alias, ["code", "name"], [paper.primary_category_id, category_name])
        category_field.set_cached_value(paper, category)
        hits.append((paper, score, title, abstract))
    prefetch_related_objects(
        [paper for paper, *_ in hits],
        Prefetch("authorships", queryset=Authorship.objects.select_related("author").order_by("position")),
    )
    return [
        SearchHit(paper, float(score), *highlighter(paper, title, abstract)) for paper, score, title, abstract in hits
    ]


def _boosted(rank: str, *, age_days: str) -> str:
    """`rank` raised a little for recent and for discussed papers (columns `published`, `comment_count`)."""
    return (
        f"({rank}) * (1 + {RECENCY_BOOST} / (1 + {age_days} / 365.25)"
        f" + {DISCUSSION_BOOST} * comment_count / (comment_count + 10.0))"
    )


_PG_AGE = "greatest(current_date - published, 0)"
_SQLITE_AGE = "max(julianday('now') - julianday(published), 0)"
_PG_RANK_WEIGHTS = "'{0.1, %s, %s, %s}'::float4[]" % tuple(reversed(WEIGHTS))  # noqa: UP031 - D, C, B, A
_PG_TITLE_OPTIONS = f'HighlightAll=true, StartSel="{_OPEN}", StopSel="{_CLOSE}"'
_PG_ABSTRACT_OPTIONS = (
    f'MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … ", StartSel="{_OPEN}", StopSel="{_CLOSE}"'
)
_CATEGORY_JOIN = f"LEFT JOIN {Category._meta.db_table} cat ON cat.code = p.primary_category_id"


def postgres_fulltext_sql(websearch: str, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """One statement: match, cap, rank, one page with headlines, and the capped count."""
    where, params = _filter_sql(filters, like="ILIKE")
    cand_order, page_order = _SORT_KEYS[sort]
    score = _boosted(f"ts_rank({_PG_RANK_WEIGHTS}, search_vector, q.query)", age_days=_PG_AGE)
    sql = f"""
        WITH q AS (SELECT websearch_to_tsquery('english'::regconfig, %s) AS query),
        cand AS MATERIALIZED (
            SELECT p.id, p.search_vector, p.published, p.comment_count
            FROM papers_paper p, q WHERE p.search_vector @@ q.query{where} {cand_order} LIMIT %s
        ),
        page AS (
            SELECT id, published, comment_count, {score} AS score
            FROM cand, q ORDER BY {page_order} LIMIT %s OFFSET %s
        )
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.score,
                   ts_headline('english'::regconfig, p.title, q.query, %s),
                   ts_headline('english'::regconfig, p.abstract, q.query, %s),
                   cat.name, {_PAPER_COLUMNS}
            FROM page JOIN papers_paper p ON p.id = page.id {_CATEGORY_JOIN}, q
        ) x ON true
        ORDER BY {_qualified(page_order, "x")}
    """
    return sql, [websearch, *params, CANDIDATE_CAP, limit, offset, _PG_TITLE_OPTIONS, _PG_ABSTRACT_OPTIONS]


def sqlite_fulltext_sql(match: str, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """The same statement for FTS5: bm25 under the same weights, highlight() and snippet() on the page only."""
    where, params = _filter_sql(filters, like="LIKE")
    cand_order, page_order = _SORT_KEYS[sort]
    weights = ", ".join(str(w) for w in WEIGHTS)
    score = _boosted("-bm", age_days=_SQLITE_AGE)
    sql = f"""
        WITH cand AS (
            SELECT papers_paper_fts.rowid AS id, bm25(papers_paper_fts, {weights}) AS bm,
                   p.published, p.comment_count
            FROM papers_paper_fts JOIN papers_paper p ON p.id = papers_paper_fts.rowid
            WHERE papers_paper_fts MATCH %s{where} {cand_order} LIMIT %s
        ),
        page AS (
            SELECT id, published, comment_count, {score} AS score FROM cand ORDER BY {page_order} LIMIT %s OFFSET %s
        )
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.score AS score,
                   highlight(papers_paper_fts, 0, %s, %s),
                   snippet(papers_paper_fts, 2, %s, %s, %s, 40),
                   cat.name, {_PAPER_COLUMNS}
            FROM page JOIN papers_paper_fts ON papers_paper_fts.rowid = page.id
            JOIN papers_paper p ON p.id = page.id {_CATEGORY_JOIN}
            WHERE papers_paper_fts MATCH %s
        ) x ON 1
        ORDER BY {_qualified(page_order, "x")}
    """
    return sql, [match, *params, CANDIDATE_CAP, limit, offset, _OPEN, _CLOSE, _OPEN, _CLOSE, " … ", match]


def _qualified(order: str, alias: str) -> str:
    return ", ".join(f"{alias}.{part.strip()}" for part in order.split(","))


def _postgres_fuzzy_sql(terms: list[str], filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """Papers whose title or author names hold a word like one of `terms` (pg_trgm `<%`, served by the trigram
    GIN indexes), each word bringing at most FUZZY_CAP candidates, ranked by summed word similarity."""
    where, filter_params = _filter_sql(filters, like="ILIKE")
    _, page_order = _SORT_KEYS[sort]
    branches, params = [], []
    for term in terms:
        branches.append(
            f"(SELECT p.id FROM papers_paper p WHERE (%s <%% p.title OR %s <%% p.author_names){where} LIMIT %s)"
        )
        params += [term, term, *filter_params, FUZZY_CAP]
    closest = "greatest(word_similarity(%s, p.title), word_similarity(%s, p.author_names))"
    similarity = " + ".join(closest for _ in terms)
    sql = f"""
        WITH cand AS MATERIALIZED ({" UNION ".join(branches)}),
        page AS (
            SELECT p.id, p.published, p.comment_count, {_boosted(similarity, age_days=_PG_AGE)} AS score
            FROM cand JOIN papers_paper p ON p.id = cand.id ORDER BY {page_order} LIMIT %s OFFSET %s
        )
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.score, p.title, p.abstract, cat.name, {_PAPER_COLUMNS}
            FROM page JOIN papers_paper p ON p.id = page.id {_CATEGORY_JOIN}
        ) x ON true
        ORDER BY {_qualified(page_order, "x")}
    """
    params += [t for term in terms for t in (term, term)]
    return sql, [*params, limit, offset]


def _sqlite_fuzzy(terms: list[str], filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """FTS5 has no similarity operator: gather papers holding a word that starts like a query word (three
    letters), keep the best by bm25, and re-rank them here by how closely title and author words match."""
    where, params = _filter_sql(filters, like="LIKE")
    prefixes = sorted({t[:3] for t in terms})
    match = " OR ".join(f'"{prefix}"*' for prefix in prefixes)
    weights = ", ".join(str(w) for w in WEIGHTS)
    sql = f"""
        SELECT NULL, 0.0, p.title, p.abstract, cat.name, {_PAPER_COLUMNS}
        FROM papers_paper_fts JOIN papers_paper p ON p.id = papers_paper_fts.rowid {_CATEGORY_JOIN}
        WHERE papers_paper_fts MATCH %s{where}
        ORDER BY bm25(papers_paper_fts, {weights}) LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *params, FUZZY_CAP * len(prefixes)])
        rows = cursor.fetchall()
    scored = []
    for row in rows:
        title, authors = row[2], row[5 + [f.attname for f in _PAPER_FIELDS].index("author_names")]
        words = set(_WORD_RE.findall(f"{title} {authors}".lower()))
        similarity = 0.0
        for term in terms:
            best = max((difflib.SequenceMatcher(None, term, w).ratio() for w in words), default=0.0)
            similarity += best if best >= 0.75 else 0.0
        if similarity:
            scored.append((similarity, row))
    key = {
        Sort.RELEVANCE: lambda item: (item[0], item[1][5]),
        Sort.NEWEST: lambda item: (item[1][5 + _ATTNAMES.index("published")], item[1][5]),
        Sort.DISCUSSED: lambda item: (
            item[1][5 + _ATTNAMES.index("comment_count")],
            item[1][5 + _ATTNAMES.index("published")],
            item[1][5],
        ),
    }[sort]
    scored.sort(key=key, reverse=True)
    page = [(len(scored), similarity, *row[2:]) for similarity, row in scored[offset : offset + limit]]
    return len(scored), page


_ATTNAMES = [f.attname for f in _PAPER_FIELDS]


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marked(paper: Paper, title: str, abstract: str) -> tuple[SafeString, SafeString]:
    return marked_html(title), marked_html(abstract)


def search_papers(
    query: str,
    *,
    filters: SearchFilters | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = 25,
) -> SearchResults:
    """Papers matching `query` and `filters`, one page of them, with highlighted title and abstract.

    A query that is an arXiv id or link (any form papers.arxiv accepts) answers with `paper` set, or with
    `missing_arxiv_id` when the hub does not hold it. With no words but some filters, it lists the filtered papers
    in `sort` order (newest for relevance). Never raises on user input. Costs two queries, three when the typo
    fallback runs (it runs when the full-text query finds nothing at all).
    """
    filters = filters or SearchFilters()
    query = (query or "")[:MAX_QUERY_LENGTH].replace("\x00", " ").strip()
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    results = SearchResults(query=query, page=page, per_page=per_page)

    if query and arxiv.looks_like_arxiv_reference(query):
        try:
            arxiv_id = arxiv.canonical_arxiv_id(query)
        except arxiv.InvalidArxivId as exc:
            results.message = f"That looks like an arXiv id, but {exc}."
            return results
        results.paper = Paper.objects.for_listing().filter(arxiv_id=arxiv_id).first()
        if results.paper is None:
            results.missing_arxiv_id = arxiv_id
        else:
            results.hits = [SearchHit(results.paper, None, highlight(results.paper.title, []), mark_safe(""))]
            results.total = 1
        return results

    parsed = parse_query(query)
    if not parsed.groups and not query and filters != SearchFilters():
        return _browse(results, filters, sort)
    if not parsed.groups:
        if query:
            results.message = (
                "Words like “the” and “of” are in every paper: add a word of a title, an author's name, or an arXiv id."
                if _WORD_RE.search(query)
                else "Type a word or two of a title, an author's name, or an arXiv id."
            )
        return results
    offset = (page - 1) * per_page
    postgres = connection.vendor == "postgresql"
    if postgres:
        rows = _fetch(*postgres_fulltext_sql(parsed.websearch(), filters, sort, per_page, offset))
    else:
        rows = _fetch(*sqlite_fulltext_sql(parsed.fts5(), filters, sort, per_page, offset))
    matched = rows[0][0] if rows else 0
    highlighter = _marked
    fuzzy_terms = [t for t in parsed.terms if len(t) >= 4 and not t.isdigit()][:MAX_WORDS]
    # Typos get a second chance, unless the reader was exact (phrases, exclusions): then the empty answer stands.
    if not matched and fuzzy_terms and not parsed.is_exact:
        terms = parsed.terms
        if postgres:
            rows = _fetch(*_postgres_fuzzy_sql(fuzzy_terms, filters, sort, per_page, offset))
            matched = rows[0][0] if rows else 0
        else:
            matched, rows = _sqlite_fuzzy(fuzzy_terms, filters, sort, per_page, offset)
        results.fuzzy = bool(matched)

        def highlighter(paper: Paper, title: str, abstract: str) -> tuple[SafeString, SafeString]:
            return highlight(title, terms), highlight(abstract, terms, limit=300)

    cap = FUZZY_CAP * len(fuzzy_terms) if results.fuzzy else CANDIDATE_CAP
    results.total = min(matched, cap)
    results.total_is_lower_bound = matched >= cap
    results.has_next = offset + per_page < results.total
    results.hits = _hits(rows, highlighter)
    return results


def _browse(results: SearchResults, filters: SearchFilters, sort: Sort) -> SearchResults:
    """No words, only filters: the filtered papers in `sort` order (newest first for relevance)."""
    papers = _filtered(Paper.objects.for_listing(), filters)
    discussed = sort == Sort.DISCUSSED
    papers = papers.order_by("-comment_count", "-published", "-arxiv_id") if discussed else papers.newest()
    offset = (results.page - 1) * results.per_page
    rows = list(papers[offset : offset + results.per_page + 1])
    results.has_next = len(rows) > results.per_page
    results.hits = [
        SearchHit(paper, None, highlight(paper.title, []), highlight(paper.abstract, [], limit=300))
        for paper in rows[: results.per_page]
    ]
    return results


def _filtered(papers: QuerySet, filters: SearchFilters) -> QuerySet:
    if filters.categories:
        condition = Q()
        for code in filters.categories:
            condition |= Q(category__code__startswith=code) if code.endswith(".") else Q(category_id=code)
        papers = papers.filter(Exists(Paper.categories.through.objects.filter(condition, paper_id=OuterRef("pk"))))
    if filters.year_from is not None:
        papers = papers.filter(published__gte=datetime.date(max(1, filters.year_from), 1, 1))
    if filters.year_to is not None:
        papers = papers.filter(published__lte=datetime.date(min(9999, filters.year_to), 12, 31))
    for word in _WORD_RE.findall(filters.author.lower())[:MAX_WORDS]:
        papers = papers.filter(author_names__icontains=word)
    if filters.has_video is not None:
        explained = Exists(Paper.videos.through.objects.filter(paper_id=OuterRef("pk")))
        papers = papers.filter(explained if filters.has_video else ~explained)
    if filters.has_discussion is not None:
        papers = papers.filter(comment_count__gt=0) if filters.has_discussion else papers.filter(comment_count=0)
    return papers


def search_videos(query: str, *, page: int = 1, per_page: int = 10) -> VideoSearchResults:
    """Explainer videos whose title, summary or chapter titles match `query` (same syntax as papers), best first.

    Costs two queries: the ranked page with its highlights, then the videos with their channels.
    """
    query = (query or "")[:MAX_QUERY_LENGTH].replace("\x00", " ").strip()
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    results = VideoSearchResults(query=query, page=page, per_page=per_page)
    parsed = parse_query(query)
    if not parsed.groups:
        if query:
            results.message = "Type a word or two of a video's title, summary or chapters."
        return results
    offset = (page - 1) * per_page
    if connection.vendor == "postgresql":
        sql, params = _postgres_video_sql(parsed.websearch(), per_page, offset)
    else:
        sql, params = _sqlite_video_sql(parsed.fts5(), per_page, offset)
    rows = _fetch(sql, params)
    matched = rows[0][0] if rows else 0
    video_model = Paper._meta.get_field("videos").related_model
    videos = video_model.objects.for_listing().in_bulk([row[1] for row in rows if row[1] is not None])
    results.hits = [
        VideoSearchHit(
            videos[video_id],
            float(score),
            marked_html(title),
            marked_html(summary),
            marked_html(chapters) if chapters and _OPEN in chapters else mark_safe(""),
        )
        for _n, video_id, score, title, summary, chapters in rows
        if video_id in videos
    ]
    results.total = min(matched, CANDIDATE_CAP)
    results.total_is_lower_bound = matched >= CANDIDATE_CAP
    results.has_next = offset + per_page < results.total
    return results


def _postgres_video_sql(websearch: str, limit: int, offset: int):
    # A video matches by its own vector or by one of its chapters'; a chapter counts half as much as the video.
    sql = f"""
        WITH q AS (SELECT websearch_to_tsquery('english'::regconfig, %s) AS query),
        matches AS (
            SELECT v.id, ts_rank({_PG_RANK_WEIGHTS}, v.search_vector, q.query) AS r
            FROM videos_video v, q WHERE v.search_vector @@ q.query
            UNION ALL
            SELECT c.video_id, 0.5 * ts_rank({_PG_RANK_WEIGHTS}, c.search_vector, q.query)
            FROM videos_chapter c, q WHERE c.search_vector @@ q.query
        ),
        cand AS MATERIALIZED (SELECT id, sum(r) AS score FROM (SELECT * FROM matches LIMIT %s) m GROUP BY id),
        page AS (SELECT id, score FROM cand ORDER BY score DESC, id DESC LIMIT %s OFFSET %s)
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.id, page.score,
                   ts_headline('english'::regconfig, v.title, q.query, %s),
                   ts_headline('english'::regconfig, v.summary, q.query, %s),
                   (SELECT string_agg(ts_headline('english'::regconfig, c.title, q.query, %s), ' · ' ORDER BY c.start)
                    FROM videos_chapter c WHERE c.video_id = v.id AND c.search_vector @@ q.query)
            FROM page JOIN videos_video v ON v.id = page.id, q
        ) x ON true
        ORDER BY x.score DESC, x.id DESC
    """
    return sql, [websearch, CANDIDATE_CAP, limit, offset, _PG_TITLE_OPTIONS, _PG_ABSTRACT_OPTIONS, _PG_TITLE_OPTIONS]


def _sqlite_video_sql(match: str, limit: int, offset: int):
    weights = f"{WEIGHTS[0]}, {WEIGHTS[2]}, {WEIGHTS[1]}"  # title, summary, chapters
    sql = f"""
        WITH cand AS (
            SELECT rowid AS id, bm25(videos_video_fts, {weights}) AS bm
            FROM videos_video_fts WHERE videos_video_fts MATCH %s LIMIT %s
        ),
        page AS (SELECT id, -bm AS score FROM cand ORDER BY score DESC, id DESC LIMIT %s OFFSET %s)
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.id AS id, page.score AS score,
                   highlight(videos_video_fts, 0, %s, %s),
                   snippet(videos_video_fts, 1, %s, %s, %s, 40),
                   snippet(videos_video_fts, 2, %s, %s, %s, 16)
            FROM page JOIN videos_video_fts ON videos_video_fts.rowid = page.id WHERE videos_video_fts MATCH %s
        ) x ON 1
        ORDER BY x.score DESC, x.id DESC
    """
    markers = [_OPEN, _CLOSE, " … "]
    return sql, [match, CANDIDATE_CAP, limit, offset, _OPEN, _CLOSE, *markers, *markers, match]
