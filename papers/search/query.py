"""The reader's side of a search: the query language, its limits and stop words, and the highlighting.

Words, "quoted phrases", OR and -excluded are parsed here into plain runs of letters and digits, and each engine's
query (PostgreSQL's tsquery, SQLite's FTS5 MATCH) is rebuilt from them, so nothing a reader types reaches a
database as syntax. The engines mark matches with private-use characters (MARK_OPEN, MARK_CLOSE), which become
<mark> only after the text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as html_escape

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 500  # longer input is cut, not refused: a pasted paragraph still searches
MAX_PER_PAGE = 100
MAX_WORDS = 16  # words beyond this add cost and almost never change what is found

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

    def group_tsqueries(self, label: str = "") -> list[str]:
        """Each group alone as a tsquery, its lexemes restricted to the weights in `label` ("A": the title,
        "AB": the title or the authors; "": anywhere). Ranking counts the groups a paper's title holds."""
        return ["(" + " | ".join(_ts_alt(alt, label) for alt in group) + ")" for group in self.groups]

    def positive_tsquery(self) -> str:
        """The groups without the excluded words: what a title must hold to hold the whole query."""
        return " & ".join(self.group_tsqueries())

    def fts5_groups(self) -> list[str]:
        """Each group alone in FTS5 syntax (for `{column} : (…)` filters)."""
        return [" OR ".join(_fts_alt(alt) for alt in group) for group in self.groups]

    def fts5_excluded(self) -> str:
        """The excluded words and phrases joined by OR ("" when none), for `… NOT (…)`."""
        return " OR ".join(_fts_alt(alt) for alt in self.excluded)

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

    def with_corrections(self, corrections: dict[str, str]) -> ParsedQuery:
        """This query with each word in `corrections` replaced by its correction (what "Did you mean" offers)."""

        def fix(alt: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(corrections.get(word, word) for word in alt)

        return ParsedQuery(tuple(tuple(fix(alt) for alt in group) for group in self.groups), self.excluded)

    def text(self) -> str:
        """The query written back in the reader's syntax, as a search box would hold it."""

        def written(alt: tuple[str, ...]) -> str:
            return alt[0] if len(alt) == 1 else '"' + " ".join(alt) + '"'

        parts = [" OR ".join(written(alt) for alt in group) for group in self.groups]
        return " ".join(parts + ["-" + written(alt) for alt in self.excluded])

    def fts5(self) -> str:
        """The same query in FTS5 syntax: every word a quoted string, so no reader text is an operator."""
        positive = " AND ".join(
            "(" + " OR ".join(_fts_alt(alt) for alt in group) + ")" if len(group) > 1 else _fts_alt(group[0])
            for group in self.groups
        )
        if self.excluded:
            positive = f"({positive}) NOT (" + " OR ".join(_fts_alt(alt) for alt in self.excluded) + ")"
        return positive


def _ts_alt(words: tuple[str, ...], label: str = "") -> str:
    suffix = f":{label}" if label else ""
    return words[0] + suffix if len(words) == 1 else "(" + " <-> ".join(w + suffix for w in words) + ")"


def _fts_alt(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
WORD_RE = re.compile(r"[^\W_]+")


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
        words = tuple(w.lower() for w in WORD_RE.findall(raw))
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
