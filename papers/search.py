"""Paper search: the one entry point that pages and the API share (videos.search finds videos the same way).

The backend is chosen here and nowhere else, by the connection's vendor:

- PostgreSQL: the stored weighted tsvector `papers_paper.search_vector` (migration papers/0002) matched with
  `to_tsquery('english', …)` built from the reader's words, ranked with `ts_rank`, snippets by `ts_headline` for
  the rows on the page only; when nothing matches, each word that no title or author name holds is looked up
  among the words that do (`papers_search_word`, pg_trgm, migration papers/0005) and the search runs again
  with the closest spellings.
- SQLite: the FTS5 table `papers_paper_fts` kept by triggers, ranked with `bm25` under the same weights,
  snippets by FTS5 `highlight`/`snippet`; when nothing matches, a prefix fallback re-ranked by string similarity.

Both rank a bounded candidate set (`CANDIDATE_CAP` matches) rather than every match: ranking costs grow with the
number of matching rows, and a word found in half the corpus would otherwise take seconds at a million papers.
The reader's text is parsed into a small query language here (words, "phrases", OR, -excluded) and rebuilt for
each backend from plain word characters only, so no FTS operator the reader types reaches the database as syntax;
every value is a bound parameter. A search costs one query; the typo fallback adds two.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape as html_escape

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from papers import arxiv
from papers.models import Authorship, Category, Paper
from papers.reading import ORDERINGS, SearchFilters, Sort, filters_q
from shared.paging import page_of

MAX_QUERY_LENGTH = 500  # longer input is cut, not refused: a pasted paragraph still searches
MAX_PER_PAGE = 100
MAX_WORDS = 16  # words beyond this add cost and almost never change what is found
CANDIDATE_CAP = 1000  # matches ranked per search; see the module docstring and docs/ARCHITECTURE.md "Search"
FUZZY_CAP = 300  # SQLite: candidates per misspelled word in the fallback
SPELLINGS_PER_WORD = 3  # PostgreSQL: closest spellings searched for a misspelled word
# pg_trgm similarity (shared trigrams / all trigrams) of a spelling to the word typed. Two swapped letters in a
# five-letter word leave 0.2 ("imgae" / "image"); pg_trgm's own default threshold, 0.3, would miss them.
MIN_SPELLING_SIMILARITY = 0.15

# Weights of title, authors and abstract: PostgreSQL's default ts_rank weights for A, B, C; bm25 gets the same.
WEIGHTS = (1.0, 0.4, 0.2)
RECENCY_BOOST = 0.15  # at most +15 % for a paper from this year, fading with age
DISCUSSION_BOOST = 0.10  # at most +10 % for a much-discussed paper

# Markers that the databases put around matches; the HTML is built from them after escaping the text.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"

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


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    rank: float | None
    title_html: SafeString  # the title, escaped, with matches in <mark>
    abstract_html: SafeString  # a short excerpt of the abstract, escaped, with matches in <mark>


@dataclass
class ResultPage:
    """One page of a search's hits and what is known of the rest (papers' and videos' searches alike)."""

    query: str
    hits: list = field(default_factory=list)
    page: int = 1
    per_page: int = 25
    has_next: bool = False
    total: int | None = None  # exact count below the cap
    total_is_lower_bound: bool = False  # "more than `total`": the matches reached the cap
    message: str = ""  # why there are no results, for the reader (e.g. a malformed arXiv id)

    # What includes/_pager.html asks of a page, as of shared.paging.Window.
    @property
    def number(self) -> int:
        return self.page

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1

    def count(self, matched: int, cap: int, offset: int) -> None:
        """Record how many matched, as far as the cap lets a search know, and whether a next page follows."""
        self.total = min(matched, cap)
        self.total_is_lower_bound = matched >= cap
        self.has_next = offset + self.per_page < self.total


@dataclass
class SearchResults(ResultPage):
    hits: list[SearchHit] = field(default_factory=list)
    paper: Paper | None = None  # the query was an arXiv id or link of a paper the hub holds
    missing_arxiv_id: str = ""  # the query was a valid arXiv id the hub does not hold
    fuzzy: bool = False  # results come from the typo-tolerant fallback
    spellings: dict[str, list[str]] = field(default_factory=dict)  # PostgreSQL: misspelt word -> words searched


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

    def tsquery(self) -> str:
        """The query for PostgreSQL's `to_tsquery('english', …)`, rebuilt from word characters only.

        Built here rather than by websearch_to_tsquery, whose OR binds looser than the AND between words
        ("gan or diffusion models" would be gan | (diffusion & models)); here each group is parenthesised."""
        parts = ["(" + " | ".join(_ts_alt(alt) for alt in group) + ")" for group in self.groups]
        parts += ["!" + _ts_alt(alt) for alt in self.excluded]
        return " & ".join(parts)

    def with_spellings(self, spellings: dict[str, Sequence[str]]) -> ParsedQuery:
        """This query with each word in `spellings` widened to "the word OR any of its spellings"."""
        groups = []
        for group in self.groups:
            alternatives = list(group)
            for alt in group:
                if len(alt) == 1:
                    alternatives += [(word,) for word in spellings.get(alt[0], ()) if (word,) not in alternatives]
            groups.append(tuple(alternatives))
        return ParsedQuery(tuple(groups), self.excluded)

    def fts5(self) -> str:
        """The same query in FTS5 syntax: every word a quoted string, so no reader text is an operator."""
        positive = " AND ".join(
            "(" + " OR ".join(_fts_alt(alt) for alt in group) + ")" if len(group) > 1 else _fts_alt(group[0])
            for group in self.groups
        )
        if self.excluded:
            positive = f"({positive}) NOT (" + " OR ".join(_fts_alt(alt) for alt in self.excluded) + ")"
        return positive


def _ts_alt(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"


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
    """Escape text in which the database put `MARK_OPEN`/`MARK_CLOSE` around matches, then turn those into <mark>.

    The tags are balanced whatever the text holds: a stray marker from the paper's own text only toggles the state.
    """
    html = html_escape(text or "")  # the stdlib escape: Django's output, without the lazy-string wrapper
    markers = _NOT_MARKER_RE.sub("", html)
    if markers == (MARK_OPEN + MARK_CLOSE) * (len(markers) // 2):  # the usual case: pairs in order, or none
        return SafeString(html.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", html):
        if piece == MARK_OPEN and not inside:
            out.append("<mark>")
            inside = True
        elif piece == MARK_CLOSE and inside:
            out.append("</mark>")
            inside = False
        elif piece not in (MARK_OPEN, MARK_CLOSE):
            out.append(piece)
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # built from escaped text and our own tags only


_NOT_MARKER_RE = re.compile(f"[^{MARK_OPEN}{MARK_CLOSE}]+")


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
    unmarked = text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    return marked_html(pattern.sub(lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE, unmarked))


# ---------------------------------------------------------------------------------------------------------------------
# SQL pieces shared by both backends
# ---------------------------------------------------------------------------------------------------------------------

_PAPER_FIELDS = list(Paper._meta.concrete_fields)
_PAPER_COLUMNS = ", ".join(f'p."{f.column}"' for f in _PAPER_FIELDS)
_SORT_KEYS = {
    # (order of the candidate set before the cap, order of the page); relevance leaves candidates unordered
    Sort.RELEVANCE: ("", "score DESC, id DESC"),
    # The two sorts follow the indexes paper_newest_idx and paper_discussed_idx column for column, so that the
    # candidates of a common word are read in order from the index and the reading stops at the cap.
    Sort.NEWEST: ("ORDER BY papers_paper.published DESC, papers_paper.arxiv_id DESC", "published DESC, arxiv_id DESC"),
    Sort.OLDEST: ("ORDER BY papers_paper.published, papers_paper.arxiv_id", "published, arxiv_id"),
    Sort.DISCUSSED: (
        "ORDER BY papers_paper.discussion_count DESC, papers_paper.published DESC, papers_paper.arxiv_id DESC",
        "discussion_count DESC, published DESC, arxiv_id DESC",
    ),
}


def _filter_sql(filters: SearchFilters) -> tuple[str, list]:
    """The filters as AND-conditions on the (unaliased) papers_paper of a full-text statement: papers.reading's
    one definition, compiled by the ORM, so that a search filters exactly as a list does."""
    condition = filters_q(filters)
    if not condition:
        return "", []
    query = Paper.objects.filter(condition).query
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    return f" AND {sql}", list(params)


def _hits(rows: list[tuple], highlighter, *, with_authors: bool) -> list[SearchHit]:
    """Hits from rows of (n, score, title, abstract, category name, *paper columns), skipping the count-only row
    of a page past the end. With `with_authors`, the Author rows of the whole page come in one more query."""
    category_field = Paper._meta.get_field("primary_category")
    attnames = _ATTNAMES
    alias = connection.alias  # a lookup through the connection proxy each time costs more than the row
    hits: list[tuple] = []
    categories: dict[str, Category] = {}  # a page holds few categories: one instance each, as select_related does not
    for _n, score, title, abstract, category_name, *columns in rows:
        if score is None:
            continue
        paper = Paper.from_db(alias, attnames, columns)
        code = paper.primary_category_id
        if code is not None and code not in categories:
            categories[code] = Category.from_db(alias, ["code", "name"], [code, category_name])
        category_field.set_cached_value(paper, categories.get(code) if code is not None else None)
        hits.append((paper, score, title, abstract))
    if with_authors:
        prefetch_related_objects(
            [paper for paper, *_ in hits],
            Prefetch("authorships", queryset=Authorship.objects.select_related("author").order_by("position")),
        )
    return [
        SearchHit(paper, float(score), *highlighter(paper, title, abstract)) for paper, score, title, abstract in hits
    ]


def _boosted(rank: str, *, age_days: str) -> str:
    """`rank` raised a little for recent and for discussed papers (columns `published`, `discussion_count`)."""
    return (
        f"({rank}) * (1 + {RECENCY_BOOST} / (1 + {age_days} / 365.25)"
        f" + {DISCUSSION_BOOST} * discussion_count / (discussion_count + 10.0))"
    )


_PG_AGE = "greatest(current_date - papers_paper.published, 0)"
PG_QUERY = "to_tsquery('english'::regconfig, %s)"
_SQLITE_AGE = "max(julianday('now') - julianday(published), 0)"
PG_RANK_WEIGHTS = "'{0.1, %s, %s, %s}'::float4[]" % tuple(reversed(WEIGHTS))  # noqa: UP031 - D, C, B, A
PG_TITLE_OPTIONS = f'HighlightAll=true, StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
PG_ABSTRACT_OPTIONS = (
    f'MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … ", StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
)
_CATEGORY_JOIN = f"LEFT JOIN {Category._meta.db_table} cat ON cat.code = p.primary_category_id"


def postgres_fulltext_sql(tsquery: str, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """One statement: match, cap, rank, one page with headlines, and the capped count.

    The query is written into each clause as `to_tsquery('english', %s)` (a constant the planner folds) rather
    than read from a CTE, so that the planner sees how common the words are: for a word in most papers it reads
    the table (or the newest-first index, for that sort) until it has the cap, for a rare one it asks the GIN
    index. The candidates of a relevance search are the first CANDIDATE_CAP matches in storage order, which both
    plans give alike (the hub's connections turn synchronised scans and parallel workers off, see settings).
    """
    where, params = _filter_sql(filters)
    cand_order, page_order = _SORT_KEYS[sort]
    if sort is Sort.RELEVANCE and (filters.year_from is not None or filters.year_to is not None):
        # Storage order follows the order papers came in, which follows their dates: read in that order, a range
        # of recent years would be found only after every older paper. Newest first, the reading starts in it.
        cand_order = _SORT_KEYS[Sort.NEWEST][0]
    score = _boosted(f"ts_rank({PG_RANK_WEIGHTS}, papers_paper.search_vector, {PG_QUERY})", age_days=_PG_AGE)
    match, match_params = f"papers_paper.search_vector @@ {PG_QUERY}", [tsquery]
    if "<->" in tsquery:
        # The planner estimates a phrase as common as its words together, where it is usually a small share of
        # them; it would then read a sort's index end to end looking for the cap. Said twice, the condition's
        # estimate is squared, which is nearer the truth, and the plan asks the GIN index instead.
        match, match_params = f"{match} AND {match}", [tsquery, tsquery]
    sql = f"""
        WITH cand AS MATERIALIZED (
            SELECT id, published, discussion_count, arxiv_id, {score} AS score
            FROM papers_paper WHERE {match}{where} {cand_order} LIMIT %s
        ),
        page AS (SELECT * FROM cand ORDER BY {page_order} LIMIT %s OFFSET %s)
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.score,
                   ts_headline('english'::regconfig, p.title, {PG_QUERY}, %s),
                   ts_headline('english'::regconfig, p.abstract, {PG_QUERY}, %s),
                   cat.name, {_PAPER_COLUMNS}
            FROM page JOIN papers_paper p ON p.id = page.id {_CATEGORY_JOIN}
        ) x ON true
        ORDER BY {_qualified(page_order, "x")}
    """
    return sql, [
        tsquery, *match_params, *params, CANDIDATE_CAP, limit, offset,
        tsquery, PG_TITLE_OPTIONS, tsquery, PG_ABSTRACT_OPTIONS,
    ]  # fmt: skip


def sqlite_fulltext_sql(match: str, filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """The same statement for FTS5: bm25 under the same weights, highlight() and snippet() on the page only.

    CROSS JOIN fixes the page as the outer loop (SQLite keeps the order as written): otherwise the planner may
    walk every match of a common word through the FTS table and look each up in the page, where it should
    fetch the page's 25 rows by rowid (7 ms instead of 4 ms for one common word at 100k papers)."""
    where, params = _filter_sql(filters)
    cand_order, page_order = _SORT_KEYS[sort]
    weights = ", ".join(str(w) for w in WEIGHTS)
    score = _boosted("-bm", age_days=_SQLITE_AGE)
    sql = f"""
        WITH cand AS (
            SELECT papers_paper_fts.rowid AS id, bm25(papers_paper_fts, {weights}) AS bm,
                   papers_paper.published, papers_paper.discussion_count, papers_paper.arxiv_id
            FROM papers_paper_fts JOIN papers_paper ON papers_paper.id = papers_paper_fts.rowid
            WHERE papers_paper_fts MATCH %s{where} {cand_order} LIMIT %s
        ),
        page AS (
            SELECT id, published, discussion_count, arxiv_id, {score} AS score
            FROM cand ORDER BY {page_order} LIMIT %s OFFSET %s
        )
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.score AS score,
                   highlight(papers_paper_fts, 0, %s, %s),
                   snippet(papers_paper_fts, 2, %s, %s, %s, 40),
                   cat.name, {_PAPER_COLUMNS}
            FROM page CROSS JOIN papers_paper_fts ON papers_paper_fts.rowid = page.id
            JOIN papers_paper p ON p.id = page.id {_CATEGORY_JOIN}
            WHERE papers_paper_fts MATCH %s
        ) x ON 1
        ORDER BY {_qualified(page_order, "x")}
    """
    marks = [MARK_OPEN, MARK_CLOSE]
    return sql, [match, *params, CANDIDATE_CAP, limit, offset, *marks, *marks, " … ", match]


def _qualified(order: str, alias: str) -> str:
    return ", ".join(f"{alias}.{part.strip()}" for part in order.split(","))


def _postgres_spellings(terms: list[str]) -> dict[str, list[str]]:
    """For each term that no title or author name holds, the words of titles and author names spelt most like it
    (pg_trgm over papers_search_word, migration papers/0005), closest first. One statement: the GiST index
    walks the words nearest each term (`<->`) and stops at SPELLINGS_PER_WORD, then the distant ones are dropped."""
    rows = fetch_rows(
        """
        SELECT t.term, w.word FROM unnest(%s::text[]) AS t(term)
        CROSS JOIN LATERAL (
            SELECT word, word <-> t.term AS distance FROM papers_search_word ORDER BY word <-> t.term LIMIT %s
        ) w
        WHERE w.distance <= %s
        """,
        [terms, SPELLINGS_PER_WORD, 1 - MIN_SPELLING_SIMILARITY],
    )
    found: dict[str, list[str]] = {}
    for term, word in rows:
        if _WORD_RE.fullmatch(word):  # the table holds word characters only; the query text is built from them
            found.setdefault(term, []).append(word)
    # A term that is itself a word of a title or a name is spelt right: it stays as the reader typed it.
    return {term: words for term, words in found.items() if term not in words}


def _sqlite_fuzzy(terms: list[str], filters: SearchFilters, sort: Sort, limit: int, offset: int):
    """FTS5 has no similarity operator: gather papers whose title or authors hold a word that starts like a query
    word (three letters), keep the best by bm25, re-rank them here by how closely those words match, then read the
    page's rows. Two statements."""
    where, params = _filter_sql(filters)
    prefixes = sorted({t[:3] for t in terms})
    match = "{title author_names} : (" + " OR ".join(f'"{prefix}"*' for prefix in prefixes) + ")"
    weights = ", ".join(str(w) for w in WEIGHTS)
    candidates = fetch_rows(
        f"""
        SELECT papers_paper.id, papers_paper.title, papers_paper.author_names, papers_paper.published,
               papers_paper.discussion_count
        FROM papers_paper_fts JOIN papers_paper ON papers_paper.id = papers_paper_fts.rowid
        WHERE papers_paper_fts MATCH %s{where}
        ORDER BY bm25(papers_paper_fts, {weights}) LIMIT %s
        """,
        [match, *params, FUZZY_CAP * len(prefixes)],
    )
    scored = []
    for paper_id, title, authors, published, comment_count in candidates:
        words = set(_WORD_RE.findall(f"{title} {authors}".lower()))
        similarity = 0.0
        for term in terms:
            # Only words sharing the term's first letters can be what was meant (that is how they were found).
            matcher = difflib.SequenceMatcher(None, b=term)
            best = 0.0
            for word in words:
                if word[:3] == term[:3]:
                    matcher.set_seq1(word)
                    if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                        best = max(best, matcher.ratio())
            similarity += best if best >= 0.75 else 0.0
        if similarity:
            scored.append((similarity, paper_id, str(published), comment_count))
    key = {
        Sort.RELEVANCE: lambda item: (item[0], item[1]),
        Sort.NEWEST: lambda item: (item[2], item[1]),
        Sort.OLDEST: lambda item: (item[2], item[1]),
        Sort.DISCUSSED: lambda item: (item[3], item[2], item[1]),
    }[sort]
    scored.sort(key=key, reverse=sort is not Sort.OLDEST)
    page = scored[offset : offset + limit]
    if not page:
        return len(scored), []
    placeholders = ", ".join(["%s"] * len(page))
    rows = {
        row[4]: row
        for row in fetch_rows(
            f"""SELECT p.title, p.abstract, cat.name, NULL, {_PAPER_COLUMNS}
            FROM papers_paper p {_CATEGORY_JOIN} WHERE p.id IN ({placeholders})""",
            [item[1] for item in page],
        )
    }
    # Rows as the full-text statement gives them: (n, score, title, abstract, category name, *paper columns).
    return len(scored), [
        (len(scored), similarity, *rows[paper_id][:3], *rows[paper_id][4:]) for similarity, paper_id, *_ in page
    ]


_ATTNAMES = [f.attname for f in _PAPER_FIELDS]


def fetch_rows(sql: str, params: list) -> list[tuple]:
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
    with_authors: bool = False,
) -> SearchResults:
    """Papers matching `query` and `filters`, one page of them, with highlighted title and abstract.

    A query that is an arXiv id or link (any form papers.arxiv accepts) answers with `paper` set, or with
    `missing_arxiv_id` when the hub does not hold it. With no words but some filters, it lists the filtered papers
    in `sort` order (newest for relevance). Never raises on user input.

    Costs one query; the typo fallback (run when the full-text query finds nothing at all) adds two.
    Each hit's paper carries its primary category and `author_names`; `with_authors=True` also prefetches the
    ordered Author rows (`paper.ordered_authors`) in one more query, for callers that link to authors.
    """
    filters = filters or SearchFilters()
    query = (query or "")[:MAX_QUERY_LENGTH].replace("\x00", " ").strip()
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    results = SearchResults(query=query, page=page, per_page=per_page)

    if query and arxiv.looks_like_arxiv_reference(query):
        return _by_arxiv_id(results)

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
    if connection.vendor == "postgresql":
        rows = fetch_rows(*postgres_fulltext_sql(parsed.tsquery(), filters, sort, per_page, offset))
    else:
        rows = fetch_rows(*sqlite_fulltext_sql(parsed.fts5(), filters, sort, per_page, offset))
    matched = rows[0][0] if rows else 0
    highlighter, cap = _marked, CANDIDATE_CAP
    fuzzy_terms = [t for t in parsed.terms if len(t) >= 4 and not t.isdigit()][:MAX_WORDS]
    # Typos get a second chance, unless the reader was exact (phrases, exclusions): then the empty answer stands.
    if not matched and fuzzy_terms and not parsed.is_exact:
        matched, rows, highlighter, cap = _second_chance(results, parsed, fuzzy_terms, filters, sort, offset)
        results.fuzzy = bool(matched)
    results.count(matched, cap, offset)
    results.hits = _hits(rows, highlighter, with_authors=with_authors)
    return results


def _by_arxiv_id(results: SearchResults) -> SearchResults:
    """The query is an arXiv id or link: that paper, or why not."""
    try:
        results.paper = Paper.objects.for_listing().named(results.query).first()
    except arxiv.InvalidArxivId as exc:
        results.message = f"That looks like an arXiv id, but {exc}."
        return results
    if results.paper is None:
        results.missing_arxiv_id = arxiv.canonical_arxiv_id(results.query)
    else:
        results.hits = [SearchHit(results.paper, None, highlight(results.paper.title, []), mark_safe(""))]
        results.total = 1
    return results


def _second_chance(results, parsed, fuzzy_terms, filters, sort, offset):
    """Nothing matched every word: search again with the misspelt words spelt as titles and names spell them
    (PostgreSQL), or by words that start alike (SQLite). Returns (matched, rows, highlighter, cap)."""
    per_page = results.per_page
    if connection.vendor == "postgresql":
        # The misspelt words looked up among the words of titles and names, then the search again with them.
        spellings = _postgres_spellings(fuzzy_terms)
        if not spellings:
            return 0, [], _marked, CANDIDATE_CAP
        rows = fetch_rows(
            *postgres_fulltext_sql(parsed.with_spellings(spellings).tsquery(), filters, sort, per_page, offset)
        )
        matched = rows[0][0] if rows else 0
        results.spellings = spellings if matched else {}
        return matched, rows, _marked, CANDIDATE_CAP
    terms = parsed.terms
    matched, rows = _sqlite_fuzzy(fuzzy_terms, filters, sort, per_page, offset)

    def highlighter(paper: Paper, title: str, abstract: str) -> tuple[SafeString, SafeString]:
        return highlight(title, terms), highlight(abstract, terms, limit=300)

    return matched, rows, highlighter, FUZZY_CAP * len(fuzzy_terms)


def _browse(results: SearchResults, filters: SearchFilters, sort: Sort) -> SearchResults:
    """No words, only filters: the filtered papers in `sort` order (newest first for relevance)."""
    papers = Paper.objects.for_listing().filter(filters_q(filters)).order_by(*ORDERINGS[sort])
    window = page_of(papers, results.page, results.per_page)
    results.has_next = window.has_next
    results.hits = [
        SearchHit(paper, None, highlight(paper.title, []), highlight(paper.abstract, [], limit=300)) for paper in window
    ]
    return results
