"""arXiv identifiers, author names and metadata records from the bulk snapshot, the export API and OAI-PMH."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import NamedTuple
from urllib.parse import parse_qsl
from xml.etree import ElementTree
from xml.parsers import expat

from shared.text import repair_mojibake

__all__ = [
    "OLD_STYLE_ARCHIVES",
    "ArxivId",
    "ArxivReference",
    "AtomPage",
    "BadRecord",
    "InvalidArxivId",
    "InvalidFeed",
    "OaiPage",
    "PaperRecord",
    "abs_url",
    "author_display_name",
    "author_key",
    "canonical_arxiv_id",
    "detect_format",
    "find_arxiv_ids",
    "latex_to_unicode",
    "looks_like_arxiv_reference",
    "normalize_text",
    "parse_arxiv_id",
    "parse_atom",
    "parse_oai",
    "parse_snapshot_lines",
    "scan_arxiv_references",
    "pdf_url",
    "split_author_string",
]


# ---------------------------------------------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------------------------------------------

# Archives that issued old-style identifiers (archive/YYMMNNN) before April 2007. Archives created later (stat, q-fin,
# eess, econ) only ever had new-style ids, so they are not here.
OLD_STYLE_ARCHIVES = frozenset(
    {
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "quant-ph",
        "solv-int",
        "supr-con",
    }
)

ARXIV_BASE_URL = "https://arxiv.org"
_ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
# Pages whose path ends in the paper's id; "html" is arXiv's HTML rendering of the paper.
_URL_PAGE_KINDS = frozenset({"abs", "pdf", "html"})
# Archives created after April 2007. They never issued old-style numbers, but a new-style id is sometimes written
# behind any archive ("stat/1601.07616"), which is read like idutils reads it (see parse_arxiv_id).
_NEW_STYLE_ONLY_ARCHIVES = frozenset({"stat", "q-fin", "eess", "econ"})

# First and last months of each numbering scheme, as YYMM numbers.
_NEW_STYLE_FIRST_YYMM = 704
_FOUR_DIGIT_LAST_YYMM = 1412
_OLD_STYLE_LAST_YYMM = 703

# What may follow an id and is not part of it: a path ("/extra", "/static/icon.png") or a fragment ("#refs").
_TRAILER = r"(?P<trailer>[#/].*)?"
_NEW_STYLE_SHAPE = re.compile(
    rf"(?P<yy>[0-9]{{2}})(?P<mm>[0-9]{{2}})\.(?P<number>[0-9]+)(?:[vV](?P<version>[0-9]+))?{_TRAILER}", re.DOTALL
)
_OLD_STYLE_NUMBER_SHAPE = re.compile(rf"(?P<number>[0-9]{{7}})(?:[vV](?P<version>[0-9]+))?{_TRAILER}", re.DOTALL)
_STARTS_NEW_STYLE = re.compile(r"[0-9]{4}\.")
_OLD_STYLE_ARCHIVE_SHAPE = re.compile(r"(?P<archive>[A-Za-z]+(?:-[A-Za-z]+)*)(?:\.(?P<subject>[^/]*))?")
# Subject classes are either two capitals (math.GT, cs.AI, nlin.SI, q-bio.PE) or lower-case words joined by hyphens
# (cond-mat.str-el, physics.optics); arXiv reads them in any case, so only the shape is checked. For the archives
# whose style is known, only that style is accepted.
_UPPER_CASE_SUBJECT = re.compile(r"[A-Z]{2}", re.IGNORECASE)
_LOWER_CASE_SUBJECT = re.compile(r"[a-z]+(?:-[a-z]+)*", re.IGNORECASE)
_SUBJECT_CLASS_SHAPES = {
    "math": (_UPPER_CASE_SUBJECT, "GT as in math.GT"),
    "cs": (_UPPER_CASE_SUBJECT, "AI as in cs.AI"),
    "nlin": (_UPPER_CASE_SUBJECT, "SI as in nlin.SI"),
    "q-bio": (_UPPER_CASE_SUBJECT, "PE as in q-bio.PE"),
    "cond-mat": (_LOWER_CASE_SUBJECT, "str-el as in cond-mat.str-el"),
    "physics": (_LOWER_CASE_SUBJECT, "optics as in physics.optics"),
}
_ANY_SUBJECT = (
    re.compile(f"{_UPPER_CASE_SUBJECT.pattern}|{_LOWER_CASE_SUBJECT.pattern}", re.IGNORECASE),
    "GT or str-el",
)
# An archive written without its hyphen ("hepth", "condmat", "astroph"): arXiv puts it back before these endings.
_UNHYPHENATED_ARCHIVE = re.compile(r"(?P<head>.*[^a-])(?P<tail>ph|ex|th|qc|mat|lat|sci)")
# File names arXiv serves an id under; it reads "2105.06548v2.pdf" as the id.
_FILE_EXTENSION = re.compile(r"\.(?:pdf|ps\.gz|ps|gz)$", re.IGNORECASE)
_URL_SHAPE = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>[^/?#]*)(?P<path>[^?#]*)(?:\?(?P<query>[^#]*))?(?:#.*)?",
    re.DOTALL,
)
# A link pasted without its scheme ("arxiv.org/abs/...", "example.org/pdf/..."): a dotted host, then a paper page.
_SCHEMELESS_URL = re.compile(
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?::[0-9]+)?/+(?:(?:abs|pdf|html|ftp)/|abs\?)", re.I
)
_ARXIV_PREFIXES = ("arxiv:", "oai:arxiv.org:")
# The bare /abs page reads an old-style id given as the one key of its query (/abs?hep-th/9901001); new-style ids
# given that way are not read (arxiv.org answers 404).
_ABS_QUERY_KEY_ID = re.compile(r"[a-z-]+(?:\.[A-Z]{2})?/[0-9]{7}")
# arXiv's file tree: /ftp/arxiv/papers/YYMM/YYMM.NNNNN.pdf, /ftp/<archive>/papers/YYMM/YYMMNNN.pdf.
_FTP_PATH = re.compile(
    r"ftp/(?P<archive>[^/]+)/papers/(?P<month>[0-9]{4})/"
    r"(?P<name>(?P<number>[0-9]{4}\.[0-9]{4,5}|[0-9]{7})(?:v[0-9]+)?)\.(?:pdf|ps|ps\.gz|gz|tar\.gz|abs)"
)

# Loose shapes for looks_like_arxiv_reference: what a person types when they mean an id, even a wrong one.
_LOOSE_REFERENCE_SHAPES = (
    re.compile(r"[0-9]{4}\.[0-9]{4,5}(?:v[0-9]+)?", re.I),
    re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z-]+)?/[0-9]{7}(?:v[0-9]+)?", re.I),
    re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)*arxiv\.org(?:[/?#].*)?", re.I | re.DOTALL),
    re.compile(r"arxiv:\S*", re.I),
)


class InvalidArxivId(ValueError):
    """Text that is not an arXiv identifier; the message tells a person what is wrong with it."""


@dataclass(frozen=True)
class ArxivId:
    """A parsed arXiv identifier: the canonical id without version, and the version if one was given."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse an arXiv id or arXiv URL in any form arXiv itself reads; raise InvalidArxivId with the reason.

    Accepted: new-style ``2105.06548`` / ``0704.0001``, old-style ``hep-th/9901001`` and ``math.GT/0309136``,
    each with an optional version ``v2``, an ``arXiv:`` (or OAI ``oai:arXiv.org:``) prefix, or as an abs, pdf, html
    or ftp link on arxiv.org, www.arxiv.org or export.arxiv.org (scheme, query, fragment, trailing slash optional).

    The canonical id of an old-style paper drops the subject class: arXiv files math.GT/0309136 as math/0309136
    (that is what its abs page, OAI records and the snapshot call it), so that is the id returned.

    Where this reads text as arXiv does, and why (the reference is arXiv's own code: arxiv-base's ``Identifier``,
    which arxiv.org runs on every abs and pdf request, and arxiv-browse's routes; tests/test_arxiv_id_vectors.py
    holds their test vectors):

    - Stray slashes, case, trailing paths (class 2). arXiv drops one leading slash, merges doubled slashes, lower-
      cases everything before the first slash and sets aside a path or fragment after the id, so
      ``/hep-th//9901001``, ``HEP-TH/9901001/extra`` and ``0704.0001#refs`` are that paper; so are the file names
      it serves (``2105.06548v2.pdf``, ``.ps``, ``.gz``), ``hep--th`` and an archive missing its hyphen
      (``hepth/9901001``), which arXiv repairs the same way. Subject classes are read in any case for that reason.
      We also drop further leading slashes, which arXiv's web server merges before its parser sees them. Only
      archives that issued old-style ids are accepted: arXiv's parser takes any word there and then finds no paper.
    - The number after the dot (class 3). arXiv reads it as a number and writes it in its period's width: four
      digits to December 2014, five from January 2015. So ``0801.01234`` is 0801.1234 and ``1805.0001`` is
      1805.00001 (arxiv.org answers both with a redirect), while ``0801.12345`` (too large for its period) and
      number zero are refused. Fewer than four or more than five digits are refused, as there.
    - Links (class 4). Whatever arxiv.org answers with the paper or a redirect to it: the id after /abs/, /pdf/ or
      /html/ in any of the forms above, ``arXiv:`` inside the path (/abs/arXiv:1310.2590, the link idutils
      writes), ``.pdf`` and any query on /pdf/, and the legacy abs queries (/abs?id=ID, /abs?archive=A&papernum=N,
      /abs?archive/NNNNNNN, /abs/archive?papernum=N, /abs/archive?NNNNNNN). /abs?YYMM.NNNNN is refused, as there.
    - ftp links (class 5): /ftp/arxiv/papers/YYMM/YYMM.NNNNN.pdf and /ftp/<archive>/papers/YYMM/YYMMNNN.pdf, the
      layout of arXiv's file tree (arxiv-browse's test data); the month directory must agree with the id.
    - Where idutils is followed instead: a new-style id behind a known archive (``hep-th/1601.07616``, as some
      bibliographies write it) is that id. arXiv's parser refuses it, but the text can only mean one paper.
    - Ids inside prose (class 1) are find_arxiv_ids' job; this function reads one id or link and nothing else.
    """
    if not isinstance(text, str):
        raise InvalidArxivId(f"an arXiv identifier must be text, not {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise InvalidArxivId("the arXiv identifier is empty")
    if any(character.isspace() for character in stripped):
        raise InvalidArxivId(f"{stripped!r} has other text around the identifier; give only the arXiv id or its URL")
    if "://" in stripped or _SCHEMELESS_URL.match(stripped):
        return _parse_identifier(_id_from_url(stripped), stripped)
    return _parse_identifier(stripped, stripped)


def canonical_arxiv_id(text: str) -> str:
    """The canonical id (no version, no subject class) of an arXiv id or URL; raises InvalidArxivId."""
    return parse_arxiv_id(text).id


def looks_like_arxiv_reference(text: str) -> bool:
    """Whether text, as a whole, is plausibly meant as an arXiv id or arXiv link. Never raises.

    Deliberately looser than parse_arxiv_id: "2113.00001" (no month 13) or "arXiv:foo" count, so that a caller
    can treat the query as an id and show parse_arxiv_id's reason instead of searching titles for it. Text with
    anything around the reference ("see 2105.06548") does not count.
    """
    if not isinstance(text, str):
        return False
    stripped = text.strip()
    if not stripped or any(character.isspace() for character in stripped):
        return False
    try:
        parse_arxiv_id(stripped)
    except InvalidArxivId:
        return any(shape.fullmatch(stripped) for shape in _LOOSE_REFERENCE_SHAPES)
    return True


def abs_url(arxiv_id: str, version: int | None = None) -> str:
    """The arXiv abstract page of an id (any accepted form), of one version when given."""
    return f"{ARXIV_BASE_URL}/abs/{_with_version(arxiv_id, version)}"


def pdf_url(arxiv_id: str, version: int | None = None) -> str:
    """The arXiv PDF of an id (any accepted form), of one version when given; arXiv serves it without ".pdf"."""
    return f"{ARXIV_BASE_URL}/pdf/{_with_version(arxiv_id, version)}"


def _with_version(arxiv_id: str, version: int | None) -> ArxivId:
    parsed = parse_arxiv_id(arxiv_id)
    if version is None:
        return parsed
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidArxivId(f"version {version!r} is not valid; versions are whole numbers from 1")
    if parsed.version is not None and parsed.version != version:
        raise InvalidArxivId(f"{arxiv_id!r} already names version {parsed.version}, which conflicts with {version}")
    return ArxivId(id=parsed.id, version=version)


def _parse_identifier(body: str, given: str) -> ArxivId:
    """An id as arXiv reads it: prefix, slashes, file extension and trailing path set aside (see parse_arxiv_id)."""
    body = _FILE_EXTENSION.sub("", body).lstrip("/")
    for prefix in _ARXIV_PREFIXES:
        if body.casefold().startswith(prefix):
            body = body[len(prefix) :]
            break
    body = re.sub(r"//+", "/", body)
    if not body:
        raise InvalidArxivId(f"{given!r} has no identifier after the prefix")
    if "/" in body and not _STARTS_NEW_STYLE.match(body):
        return _parse_old_style(body)
    return _parse_new_style(body)


def _version(digits: str | None, core: str) -> int | None:
    if digits is None:
        return None
    if digits.startswith("0"):
        raise InvalidArxivId(f"version v{digits} in {core!r} is not valid; versions start at v1")
    return int(digits)


def _parse_new_style(body: str) -> ArxivId:
    match = _NEW_STYLE_SHAPE.fullmatch(body)
    if match is None:
        raise InvalidArxivId(
            f"{body!r} is not an arXiv identifier; expected YYMM.NNNNN such as 2105.06548, "
            "or archive/YYMMNNN such as hep-th/9901001"
        )
    yymm_text, number = match["yy"] + match["mm"], match["number"]
    core = f"{yymm_text}.{number}"
    version = _version(match["version"], core)
    month = int(match["mm"])
    if not 1 <= month <= 12:
        raise InvalidArxivId(f"month {match['mm']} in {core!r} is not a month (01-12)")
    yymm = int(yymm_text)
    if yymm < _NEW_STYLE_FIRST_YYMM:
        raise InvalidArxivId(
            f"{core!r} is older than the YYMM.NNNN scheme, which starts in April 2007 (0704); "
            "older papers have ids like hep-th/9901001"
        )
    width = 4 if yymm <= _FOUR_DIGIT_LAST_YYMM else 5
    period = "April 2007 to December 2014" if width == 4 else "2015 on"
    # arXiv reads the number as a number: 0801.01234 is 0801.1234 and 1805.0001 is 1805.00001, but the number must
    # fit its period's width and be written in four or five digits.
    if len(number) not in (4, 5) or len(number.lstrip("0")) > width:
        raise InvalidArxivId(f"{core!r} has {len(number)} digits after the dot; ids from {period} have {width}")
    if int(number) == 0:
        raise InvalidArxivId(f"{core!r} has paper number {number}; numbering starts at 1")
    return ArxivId(id=f"{yymm_text}.{int(number):0{width}d}", version=version)


def _parse_old_style(body: str) -> ArxivId:
    archive_part, _, rest = body.partition("/")
    archive_part = re.sub(r"--+", "-", archive_part)
    match = _OLD_STYLE_ARCHIVE_SHAPE.fullmatch(archive_part)
    if match is None:
        raise InvalidArxivId(f"{body!r} is not an arXiv identifier; old-style ids look like hep-th/9901001")
    subject = match["subject"]
    archive = _archive_name(match["archive"].lower(), has_subject=subject is not None)
    if _STARTS_NEW_STYLE.match(rest):
        # A new-style id behind an archive (hep-th/1601.07616): that id, as idutils reads it.
        if archive not in OLD_STYLE_ARCHIVES | _NEW_STYLE_ONLY_ARCHIVES:
            raise InvalidArxivId(f"unknown arXiv archive {match['archive']!r} in {body!r}")
        return _parse_new_style(rest)
    core = f"{archive_part}/{rest[:7]}"
    if archive not in OLD_STYLE_ARCHIVES:
        raise InvalidArxivId(f"unknown arXiv archive {match['archive']!r} in {core!r}")
    if subject is not None:
        shape, example = _SUBJECT_CLASS_SHAPES.get(archive, _ANY_SUBJECT)
        if not shape.fullmatch(subject):
            raise InvalidArxivId(f"subject class {subject!r} in {core!r} is malformed; expected one like {example}")
    number_match = _OLD_STYLE_NUMBER_SHAPE.fullmatch(rest)
    if number_match is None:
        raise InvalidArxivId(f"{body!r} needs 7 digits (YYMMNNN) after the slash, like hep-th/9901001")
    number = number_match["number"]
    version = _version(number_match["version"], core)
    year, month = int(number[:2]), int(number[2:4])
    if not 1 <= month <= 12:
        raise InvalidArxivId(f"month {number[2:4]} in {core!r} is not a month (01-12)")
    if not (year >= 91 or int(number[:4]) <= _OLD_STYLE_LAST_YYMM):
        raise InvalidArxivId(
            f"{core!r} has year {number[:2]}; old-style ids run from 1991 to March 2007 (0703), "
            "newer papers have ids like 0704.0001"
        )
    if int(number[4:]) == 0:
        raise InvalidArxivId(f"{core!r} has paper number 000; numbering starts at 001")
    return ArxivId(id=f"{archive}/{number}", version=version)


def _archive_name(archive: str, *, has_subject: bool) -> str:
    """The archive as arXiv names it: "hepth" or "condmat" given its hyphen back, when that makes a known archive."""
    if archive not in OLD_STYLE_ARCHIVES and not has_subject:
        repaired = _UNHYPHENATED_ARCHIVE.fullmatch(archive)
        if repaired and f"{repaired['head']}-{repaired['tail']}" in OLD_STYLE_ARCHIVES:
            return f"{repaired['head']}-{repaired['tail']}"
    return archive


def _id_from_url(url: str) -> str:
    match = _URL_SHAPE.fullmatch(url)
    assert match is not None  # every part of the pattern is optional
    scheme = (match["scheme"] or "https").lower()
    if scheme not in {"http", "https"}:
        raise InvalidArxivId(f"{url!r} is not a web link; arXiv links start with https://")
    host = match["host"].lower()
    if host not in _ARXIV_HOSTS:
        raise InvalidArxivId(f"{url!r} is not an arXiv link: the host is {host or 'missing'!r}, not arxiv.org")
    # arxiv.org merges doubled slashes in paths before it routes them.
    path = re.sub(r"//+", "/", match["path"])
    query = parse_qsl(match["query"] or "", keep_blank_values=True)
    kind, _, identifier = path.strip("/").partition("/")
    if kind == "ftp":
        return _id_from_ftp_path(path.strip("/"), url)
    if kind == "abs" and query:
        identifier = _legacy_abs_query(identifier, dict(query), bare=path == "/abs") or identifier
    if kind not in _URL_PAGE_KINDS or not identifier:
        raise InvalidArxivId(f"{url!r} is not a link to a paper; expected https://arxiv.org/abs/<id> or /pdf/<id>")
    return identifier


def _legacy_abs_query(identifier: str, query: dict[str, str], *, bare: bool) -> str:
    """The id in an abs link's query, the way arxiv.org still reads links from before its ids were paths."""
    if bare:
        if "id" in query:
            return query["id"]
        if "archive" in query and "papernum" in query:
            return f"{query['archive']}/{query['papernum']}"
        return next((key for key, value in query.items() if not value and _ABS_QUERY_KEY_ID.fullmatch(key)), "")
    if identifier and "/" not in identifier:
        if "papernum" in query:
            return f"{identifier}/{query['papernum']}"
        number = next((key for key, value in query.items() if not value and re.fullmatch(r"[0-9]{7}", key)), None)
        if number is not None:
            return f"{identifier}/{number}"
    return ""


def _id_from_ftp_path(path: str, url: str) -> str:
    match = _FTP_PATH.fullmatch(path)
    if match is None:
        raise InvalidArxivId(f"{url!r} is not a paper's file; expected /ftp/arxiv/papers/YYMM/YYMM.NNNNN.pdf")
    archive, number = match["archive"].lower(), match["number"]
    if (archive == "arxiv") != ("." in number):
        raise InvalidArxivId(f"{url!r} is not a paper's file: {number!r} does not belong under /ftp/{archive}/")
    if number[:4] != match["month"]:
        raise InvalidArxivId(f"{url!r} files paper {number} under month {match['month']}, not {number[:4]}")
    return match["name"] if archive == "arxiv" else f"{archive}/{match['name']}"


# Candidates for scan_arxiv_references, tried left to right. Links to other sites are matched only to be skipped, so
# that an id inside them ("github.com/someone/2105.06548") is not read as a mention.
_REFERENCE_IN_TEXT = re.compile(
    r"""
    (?P<link>(?<![\w@./-])(?:https?://(?:[\w-]+\.)*arxiv\.org(?=[/:?#])|(?:[\w-]+\.)*arxiv\.org(?=/))
        [^\s<>()\[\]{}"']*)
    | (?P<other_link>(?<![\w.+-])[a-z][a-z0-9+.-]*://[^\s<>"']*)
    | (?P<prefixed>(?<![\w.-])(?:oai:arxiv\.org:|arxiv:)[^\s<>()\[\]{}"',;]+)
    | (?P<bare>(?<![\w./=-])
        (?:[a-z]+(?:-[a-z]+)*(?:\.[a-z-]+)?/(?:[0-9]{7}|[0-9]{4}\.[0-9]{4,5})|[0-9]{4}\.[0-9]{4,5})
        (?:v[0-9]+)?(?![\w]|\.[0-9]))
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_PUNCTUATION = ".,;:!?"
_WRITTEN_NEW_STYLE_NUMBER = re.compile(r"[0-9]{4}\.([0-9]+)")


@dataclass(frozen=True)
class ArxivReference:
    """One place in free text that names an arXiv paper, or is plainly meant to (a link or an arXiv: prefix).

    `start`/`end` delimit the reference in the text; `arxiv_id` is what it names, or None with `problem` saying why
    it names nothing. `url` is the link as written (https:// added when it had no scheme), or the abs page of an id.
    """

    start: int
    end: int
    text: str
    arxiv_id: ArxivId | None
    problem: str = ""
    is_link: bool = False

    @property
    def url(self) -> str:
        if self.is_link:
            return self.text if "://" in self.text else f"https://{self.text}"
        return f"{ARXIV_BASE_URL}/abs/{self.arxiv_id}" if self.arxiv_id else ""


def scan_arxiv_references(text: str) -> list[ArxivReference]:
    """Every arXiv id and arXiv link in free text, in order, each judged by parse_arxiv_id.

    Found: arXiv links (abs, pdf, html, ftp; with or without https://), ids after ``arXiv:`` or ``oai:arXiv.org:``,
    and bare ids (``2105.06548v2``, ``hep-th/9901001``, ``math.GT/0309136``) standing on their own, not inside a
    longer number, word or another site's link. Links and prefixed ids that name no paper are returned with the
    reason in `problem` (a video description reports them); bare text that is no id is not returned at all, nor is
    a bare new-style number written outside its period's width ("2105.0654"), which in prose is more often a typo or
    a cut-off id than the padded id arXiv would read it as. A link cut short with "..." or "…" (as video sites
    shorten them) is reported as such rather than read as the shorter id it spells. Sentence punctuation after a
    reference is not part of it.
    """
    references: list[ArxivReference] = []
    if not isinstance(text, str):
        return references
    for match in _REFERENCE_IN_TEXT.finditer(text):
        kind = match.lastgroup
        if kind == "other_link":
            continue
        written, start = match.group(), match.start()
        cut_short = "\u2026" in written or written.endswith("...")
        written = written.split("\u2026", 1)[0].rstrip(_SENTENCE_PUNCTUATION)
        if not written:
            continue
        end = start + len(written)
        is_link = kind == "link"
        if cut_short and kind != "bare":
            problem = f"{written!r} is cut short (it ends in an ellipsis); give the whole link or id"
            references.append(ArxivReference(start, end, written, None, problem, is_link))
            continue
        try:
            arxiv_id = parse_arxiv_id(written)
        except InvalidArxivId as exc:
            if kind != "bare":
                references.append(ArxivReference(start, end, written, None, str(exc), is_link))
            continue
        if kind == "bare" and (cut_short or not _written_in_full(written, arxiv_id)):
            continue
        references.append(ArxivReference(start, end, written, arxiv_id, "", is_link))
    return references


def find_arxiv_ids(text: str) -> list[ArxivId]:
    """The arXiv papers a free text names (see scan_arxiv_references), in order of first mention, each once.

    A paper named twice (its abs link, then "arXiv:...v2") is listed once, with the version of its first mention.
    """
    found: dict[str, ArxivId] = {}
    for reference in scan_arxiv_references(text):
        if reference.arxiv_id is not None:
            found.setdefault(reference.arxiv_id.id, reference.arxiv_id)
    return list(found.values())


def _written_in_full(written: str, arxiv_id: ArxivId) -> bool:
    """Whether a bare new-style number was written in its period's width, as the id is."""
    if "." not in arxiv_id.id:
        return True
    number = _WRITTEN_NEW_STYLE_NUMBER.search(written)
    return number is not None and len(number[1]) == len(arxiv_id.id.partition(".")[2])


# ---------------------------------------------------------------------------------------------------------------------
# Author names
# ---------------------------------------------------------------------------------------------------------------------

# LaTeX accent commands and the Unicode combining mark each puts on the following letter.
_ACCENT_MARKS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
# LaTeX commands for letters that are not an accent on another letter.
_SPECIAL_LETTERS = {
    "ss": "ß",
    "SS": "SS",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "dj": "đ",
    "DJ": "Đ",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
}
# The letter an accent sits on: a plain letter, or a dotless i/j (\i, \j), which in print is just an accented i/j.
# As in LaTeX, spaces after a command word such as \i are swallowed: D\'\i az is Díaz.
_ACCENT_TARGET = r"(?:\\(?P<dotless{n}>[ij])(?![A-Za-z])\s*|(?P<letter{n}>[A-Za-z]))"
_SYMBOL_ACCENT = re.compile(
    r"(?P<open>\{\s*)?\\(?P<accent>['`^\"~=.])\s*(?:\{\s*"
    + _ACCENT_TARGET.format(n=1)
    + r"\s*\}|"
    + _ACCENT_TARGET.format(n=2)
    + r")(?(open)\s*\})"
)
# Letter-named accents (\v, \c, ...) need braces or a space before their letter, or they would be another command.
_LETTER_ACCENT = re.compile(
    r"(?P<open>\{\s*)?\\(?P<accent>[uvHckrdb])(?:\s*\{\s*"
    + _ACCENT_TARGET.format(n=1)
    + r"\s*\}|\s+"
    + _ACCENT_TARGET.format(n=2)
    + r")(?(open)\s*\})"
)
_SPECIAL_LETTER = re.compile(
    r"(?P<open>\{\s*)?\\(?P<command>"
    + "|".join(sorted(_SPECIAL_LETTERS, key=len, reverse=True))
    + r")(?![A-Za-z])(?:\{\}|\s*)(?(open)\s*\})"
)
_BRACE_GROUP = re.compile(r"\{([^{}\\]*)\}")
_CONTROL_WORD_BEFORE = re.compile(r"\\[A-Za-z]+\s*$")
_UNESCAPED_TIE = re.compile(r"(?<!\\)~")

# Name suffixes that arrive as their own comma-separated piece ("John Smith, Jr.") and belong to the previous name.
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_AUTHOR_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+")
# An initial glued to the next one ("V.N.", "Yu.N."); arXiv's own parser spaces them ("V. N."), so every source agrees.
# Initials are one or two letters: transliterated names often abbreviate to two (Yu., Ch., Zh.).
_GLUED_INITIALS = re.compile(r"\b([^\W\d_]{1,2})\.(?=[^\W\d_])")
# "et al." closes some author lists; it names nobody.
_ET_AL = re.compile(r"(?:^|\s+)et\.?\s+al\.?$", re.IGNORECASE)
# arXiv's parser turns "C.-P." into "C. -P."; rejoin hyphenated initials so both spellings display alike.
_SPACED_HYPHEN_INITIAL = re.compile(r"\.\s+-(?=[^\W\d_])")
_NON_ALPHANUMERIC_RUN = re.compile(r"[\W_]+")
# Letters that NFKD does not split into base letter plus accent, folded to what people type without them.
_KEY_LETTER_FOLDS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})


def latex_to_unicode(text: str) -> str:
    r"""Turn the LaTeX accents and special letters found in author names into Unicode letters.

    Handles \'a, \'{a}, {\'a}, {\"o}, \c{c}, \v{s}, \v s, \~n, \'\i, \ss, {\O}, ... and removes the braces that
    only group letters ({M\"u}ller, {\O}bro). Unknown commands and all other text are left as they are.
    """
    previous = None
    while previous != text:
        previous = text
        text = _SYMBOL_ACCENT.sub(_combine_accent, text)
        text = _LETTER_ACCENT.sub(_combine_accent, text)
        text = _SPECIAL_LETTER.sub(lambda match: _SPECIAL_LETTERS[match["command"]], text)
        text = _BRACE_GROUP.sub(_unwrap_brace_group, text)
    # A bare ~ is LaTeX's unbreakable space ("J.~Smith"); \~ accents were converted above.
    return _UNESCAPED_TIE.sub(" ", text)


def _combine_accent(match: re.Match[str]) -> str:
    base = match["dotless1"] or match["dotless2"] or match["letter1"] or match["letter2"]
    return unicodedata.normalize("NFC", base + _ACCENT_MARKS[match["accent"]])


def _unwrap_brace_group(match: re.Match[str]) -> str:
    # Braces after a control word are its argument (\emph{x}), not grouping: keep them.
    if _CONTROL_WORD_BEFORE.search(match.string, 0, match.start()):
        return match.group(0)
    return match.group(1)


# Plain ASCII names (most of arXiv) have no LaTeX to convert and are already NFC; skipping both is what makes a
# corpus-scale import affordable (names are the costliest part of a record).
_LATEX_NAME_CHARACTERS = re.compile(r"[\\{}~]")


def _tidy_name(name: str) -> str:
    """One spelling of a name whatever the source: Unicode letters, NFC, single spaces, initials spaced."""
    if not name.isascii() or _LATEX_NAME_CHARACTERS.search(name):
        name = unicodedata.normalize("NFC", latex_to_unicode(name))
    name = " ".join(name.split())
    name = _GLUED_INITIALS.sub(r"\1. ", name)
    name = _SPACED_HYPHEN_INITIAL.sub(".-", name)
    return name.strip(" ,;")


def author_display_name(last: str, first: str = "", suffix: str = "") -> str:
    """A name as shown on the site from arXiv's parts: ("Balázs", "C.") -> "C. Balázs"; suffix goes last."""
    return _tidy_name(" ".join(part for part in (first, last, suffix) if part and part.strip()))


def split_author_string(authors: str) -> list[str]:
    """Split arXiv's free-text author list into display names, in order.

    Separators are ",", ";", " and " and ", and"; affiliation parentheses such as "(1)" or
    "((1) Univ of X, (2) Y)" and a closing "et al." are dropped; a lone "Jr."/"II" piece is joined to the name
    before it; LaTeX accents become Unicode letters.
    """
    without_affiliations = " ".join(_drop_parenthesised(authors).split())
    names: list[str] = []
    for piece in _AUTHOR_SEPARATOR.split(without_affiliations):
        name = _tidy_name(_ET_AL.sub("", piece))
        if not name:
            continue
        if names and name.rstrip(".").casefold() in _NAME_SUFFIXES:
            names[-1] = f"{names[-1]} {name}"
        else:
            names.append(name)
    return names


def _drop_parenthesised(text: str) -> str:
    kept: list[str] = []
    depth = 0
    for character in text:
        if character == "(":
            depth += 1
        elif character == ")":
            # A stray closing parenthesis is dropped rather than trusted to end anything.
            depth = max(depth - 1, 0)
            kept.append(" ")
        elif depth == 0:
            kept.append(character)
    return "".join(kept)


def author_key(name: str) -> str:
    """A matching key for a person's name: the same spelling from any source gives the same key.

    LaTeX accents become letters, diacritics are stripped, case is folded and every run of other characters
    becomes one space: "C. Bal\\'azs" and "C. Balázs" give "c balazs"; "C. -P. Yuan" and "C.-P. Yuan" give
    "c p yuan". Letters with no decomposition are folded too (Ø -> o, Ł -> l), so a name typed without accents
    still matches.
    """
    if name.isascii() and not _LATEX_NAME_CHARACTERS.search(name):
        # Nothing to convert or decompose: only case and punctuation remain to fold.
        return _NON_ALPHANUMERIC_RUN.sub(" ", name.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", latex_to_unicode(name))
    without_marks = "".join(character for character in decomposed if not unicodedata.combining(character))
    folded = without_marks.casefold().translate(_KEY_LETTER_FOLDS)
    return _NON_ALPHANUMERIC_RUN.sub(" ", folded).strip()


# ---------------------------------------------------------------------------------------------------------------------
# Metadata records
# ---------------------------------------------------------------------------------------------------------------------

ATOM_NS = "http://www.w3.org/2005/Atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
ARXIV_ATOM_NS = "http://arxiv.org/schemas/atom"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_ARXIV_NS = "http://arxiv.org/OAI/arXiv/"
OAI_ARXIV_RAW_NS = "http://arxiv.org/OAI/arXivRaw/"

# The export API reports a bad query as a feed whose only entry has an id under this path.
_ATOM_ERROR_ID_MARKER = "/api/errors"
# The OAI-PMH error that only means "nothing to harvest"; every other error code makes the response unusable.
_OAI_NO_RECORDS = "noRecordsMatch"
# How the snapshot and arXivRaw label versions: "v1", "v2", ...
_VERSION_LABEL = re.compile(r"v[1-9][0-9]*")


class InvalidFeed(ValueError):
    """The whole document is unusable: not XML or JSON lines, not the expected root, or an OAI-PMH error."""


class RecordVersion(NamedTuple):
    """One version of a paper as a source gives it: v`number`, submitted at an aware UTC moment, its size as
    written ("424kb" in arXivRaw; "" where the source does not say), and the format that said so.

    A named tuple rather than a frozen dataclass: a corpus-scale import makes one or more per paper, and a tuple
    is made several times faster."""

    number: int
    submitted: datetime.datetime
    size: str = ""
    source: str = ""


# The formats that give versions, as RecordVersion.source names them.
SNAPSHOT, ARXIV_RAW, ATOM = "snapshot", "arxivraw", "atom"
# What the hub stores of a license URL and a version's size (papers.models: Paper.license, PaperVersion.size).
LICENSE_MAX_LENGTH = 200
SIZE_MAX_LENGTH = 20


@dataclass(frozen=True)
class PaperRecord:
    """One paper's metadata, the same whichever source it came from.

    `versions` are the versions the source knows, oldest first (the snapshot and arXivRaw list them all; the
    export API knows the first and the one it returned; OAI's arXiv format none). `license` is the license's
    URL, "" when the source says there is none, None when the format cannot say (the export API). `repaired`
    says that mojibake was undone in the title, an author's name or the abstract.
    """

    arxiv_id: str
    version: int | None
    title: str
    abstract: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    published: datetime.date
    updated: datetime.date
    doi: str = ""
    journal_ref: str = ""
    comments: str = ""
    versions: tuple[RecordVersion, ...] = ()
    license: str | None = None
    repaired: bool = False


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read, where it starts (1-based line, 0 if unknown) and why."""

    line: int
    message: str


@dataclass
class AtomPage:
    """One response of the arXiv export API, with its OpenSearch paging numbers when present."""

    items: list[PaperRecord | BadRecord] = field(default_factory=list)
    total_results: int | None = None
    start_index: int | None = None
    items_per_page: int | None = None


@dataclass
class OaiPage:
    """One OAI-PMH ListRecords (or GetRecord) response; resumption_token is None on the last page."""

    items: list[PaperRecord | BadRecord] = field(default_factory=list)
    resumption_token: str | None = None
    complete_list_size: int | None = None


class _RecordError(Exception):
    """Raised inside a record parser; becomes a BadRecord at the record's line."""


def normalize_text(text: str) -> str:
    """Collapse every run of whitespace and line breaks to one space and strip; LaTeX is kept as written."""
    return " ".join(text.split())


# In arXiv's abstracts a line break followed by indentation starts a paragraph; a plain line break is a hard wrap.
# (A blank line, which arXiv's own pages also read as a break, is taken as one too.)
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]+|[ \t]*\n\s*)(?=\S)")
_MAYBE_PARAGRAPH_BREAK = re.compile(r"\n[ \t\n]")
PARAGRAPH_SEPARATOR = "\n\n"


def normalize_abstract(text: str) -> str:
    """An abstract with each paragraph's whitespace collapsed (as normalize_text does) and its paragraphs
    joined by a blank line ("\n\n"); the indentation of the first line is not a break."""
    text = text.strip()
    if _MAYBE_PARAGRAPH_BREAK.search(text) is None:
        # Hard wraps alone, as in most abstracts: no paragraph to keep (one scan, the cheapest way to tell).
        return " ".join(text.split())
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(text))
    return PARAGRAPH_SEPARATOR.join(paragraph for paragraph in paragraphs if paragraph)


def detect_format(head: bytes) -> str:
    """Name the format of a file from its first bytes (after gzip decompression): snapshot, atom or oai."""
    if isinstance(head, str):
        head = head.encode("utf-8")
    if head[:2] == b"\x1f\x8b":
        raise InvalidFeed("the data is gzip-compressed; decompress it before detecting its format")
    # The head may end inside a multi-byte character, which must not stop detection.
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "snapshot"
    if text.startswith("<"):
        root_name = _xml_root_name(text)
        if root_name == "feed":
            return "atom"
        if root_name == "OAI-PMH":
            return "oai"
        if root_name is None:
            raise InvalidFeed("no XML root element in the first bytes of the file")
        raise InvalidFeed(f"unexpected XML root element <{root_name}>; expected an Atom <feed> or <OAI-PMH>")
    raise InvalidFeed(f"not arXiv metadata: starts with {text[:40]!r}, expected JSON lines, Atom or OAI-PMH")


_XML_PROLOGUE_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.DOTALL)
_XML_ELEMENT_NAME = re.compile(r"\s*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def _xml_root_name(text: str) -> str | None:
    position = 0
    while match := _XML_PROLOGUE_ITEM.match(text, position):
        position = match.end()
    root = _XML_ELEMENT_NAME.match(text, position)
    return root[1] if root else None


# --- the bulk snapshot (JSON lines) ---


def parse_snapshot_lines(lines: Iterable[str | bytes], *, first_line: int = 1) -> Iterator[PaperRecord | BadRecord]:
    """Read the arXiv metadata snapshot one JSON object per line, yielding a record or a BadRecord per line.

    Streaming: lines are read one at a time, so a file object of the multi-gigabyte snapshot can be passed as is.
    Blank lines are skipped but still counted, so line numbers match the file; `first_line` is the number of the
    first line given, for a caller that hands over a file in chunks.
    """
    for line_number, raw_line in enumerate(lines, start=first_line):
        if isinstance(raw_line, bytes):
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield BadRecord(line_number, f"line {line_number} is not UTF-8 text: {exc.reason} at byte {exc.start}")
                continue
        else:
            line = raw_line
        if line_number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadRecord(line_number, f"line {line_number} is not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            yield BadRecord(line_number, f"line {line_number} is a JSON {type(data).__name__}, not an object")
            continue
        try:
            yield _snapshot_record(data)
        except _RecordError as exc:
            yield BadRecord(line_number, f"line {line_number}: {exc}")


def _snapshot_record(data: dict) -> PaperRecord:
    raw_id = data.get("id")
    parsed_id = _record_id(raw_id)
    where = f"record {parsed_id.id}"
    versions = data.get("versions")
    if not isinstance(versions, list) or not versions:
        raise _RecordError(f"{where} has no versions list")
    dated_versions = []
    for entry in versions:
        if not isinstance(entry, dict):
            raise _RecordError(f"{where} has a malformed versions entry {entry!r}")
        number = _version_number(entry.get("version"), where)
        moment = _email_moment(entry.get("created"), f"{where} version v{number}")
        dated_versions.append(RecordVersion(number, moment, source=SNAPSHOT))
    return _build_record(
        arxiv_id=parsed_id.id,
        versions=dated_versions,
        title=_snapshot_text(data, "title", where),
        abstract=_snapshot_text(data, "abstract", where),
        authors=_snapshot_authors(data, where),
        categories=_snapshot_text(data, "categories", where).split(),
        doi=_snapshot_text(data, "doi", where),
        journal_ref=_snapshot_text(data, "journal-ref", where),
        comments=_snapshot_text(data, "comments", where),
        license=_snapshot_text(data, "license", where),
    )


def _snapshot_text(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        # A number here means the line was produced by a tool that guessed types; do not guess back.
        raise _RecordError(f"{where} has {key!r} as a JSON {type(value).__name__}, not text: {value!r}")
    return value


def _snapshot_authors(data: dict, where: str) -> list[str]:
    parsed = data.get("authors_parsed")
    if parsed:
        if not isinstance(parsed, list):
            raise _RecordError(f"{where} has a malformed authors_parsed: {parsed!r}")
        names = []
        for parts in parsed:
            # Each entry is [last, first, suffix], sometimes followed by affiliations, which are not names.
            if not (isinstance(parts, list) and parts and all(isinstance(part, str) for part in parts)):
                raise _RecordError(f"{where} has a malformed authors_parsed entry: {parts!r}")
            last, first, suffix = (parts + ["", ""])[:3]
            if name := author_display_name(last, first, suffix):
                names.append(name)
        return names
    return split_author_string(_snapshot_text(data, "authors", where))


def _version_number(label: object, where: str) -> int:
    if isinstance(label, str) and _VERSION_LABEL.fullmatch(label.strip()):
        return int(label.strip()[1:])
    raise _RecordError(f"{where} has a malformed version label {label!r}")


# --- the export API (Atom) ---


def parse_atom(xml: str | bytes) -> AtomPage:
    """Read an arXiv export API response. arXiv's error feed becomes one BadRecord carrying arXiv's message."""
    root, line_of = _parse_xml(xml)
    if root.tag != f"{{{ATOM_NS}}}feed":
        raise InvalidFeed(f"expected an Atom <feed>, found {_describe_tag(root.tag)}")
    page = AtomPage(
        total_results=_int_or_none(_child_text(root, OPENSEARCH_NS, "totalResults")),
        start_index=_int_or_none(_child_text(root, OPENSEARCH_NS, "startIndex")),
        items_per_page=_int_or_none(_child_text(root, OPENSEARCH_NS, "itemsPerPage")),
    )
    for entry in root.iterfind(f"{{{ATOM_NS}}}entry"):
        line = line_of(entry)
        try:
            page.items.append(_atom_record(entry))
        except _RecordError as exc:
            page.items.append(BadRecord(line, str(exc)))
    return page


def _atom_record(entry: ElementTree.Element) -> PaperRecord:
    raw_id = _child_text(entry, ATOM_NS, "id")
    if _ATOM_ERROR_ID_MARKER in raw_id:
        explanation = normalize_text(_child_text(entry, ATOM_NS, "summary")) or raw_id
        raise _RecordError(f"arXiv API error: {explanation}")
    parsed_id = _record_id(raw_id)
    where = f"entry {parsed_id}"
    primary = entry.find(f"{{{ARXIV_ATOM_NS}}}primary_category")
    categories = [primary.get("term", "")] if primary is not None else []
    categories += [category.get("term", "") for category in entry.iterfind(f"{{{ATOM_NS}}}category")]
    # <published> is when version 1 was submitted, <updated> when the version the id names was.
    published = _iso_moment(_child_text(entry, ATOM_NS, "published"), f"{where} published")
    updated = _iso_moment(_child_text(entry, ATOM_NS, "updated"), f"{where} updated")
    versions = []
    if parsed_id.version is not None:
        versions.append(RecordVersion(1, published, source=ATOM))
        if parsed_id.version > 1:
            versions.append(RecordVersion(parsed_id.version, updated, source=ATOM))
    return _build_record(
        arxiv_id=parsed_id.id,
        version=parsed_id.version,
        versions=versions,
        title=_child_text(entry, ATOM_NS, "title"),
        abstract=_child_text(entry, ATOM_NS, "summary"),
        authors=[_tidy_name(_child_text(author, ATOM_NS, "name")) for author in entry.iterfind(f"{{{ATOM_NS}}}author")],
        categories=categories,
        published=_utc_date(published),
        updated=_utc_date(updated),
        doi=_child_text(entry, ARXIV_ATOM_NS, "doi"),
        journal_ref=_child_text(entry, ARXIV_ATOM_NS, "journal_ref"),
        comments=_child_text(entry, ARXIV_ATOM_NS, "comment"),
        # The export API does not say which license a paper carries.
        license=None,
    )


# --- OAI-PMH ---


def parse_oai(xml: str | bytes) -> OaiPage:
    """Read an OAI-PMH ListRecords or GetRecord response in arXiv's "arXiv" or "arXivRaw" metadata format.

    Deleted records are skipped. The "noRecordsMatch" error is an empty page (a harvest with nothing new);
    any other OAI-PMH error raises InvalidFeed with arXiv's code and message.
    """
    root, line_of = _parse_xml(xml)
    if root.tag != f"{{{OAI_NS}}}OAI-PMH":
        raise InvalidFeed(f"expected an <OAI-PMH> response, found {_describe_tag(root.tag)}")
    errors = root.findall(f"{{{OAI_NS}}}error")
    if errors:
        if all(error.get("code") == _OAI_NO_RECORDS for error in errors):
            return OaiPage(items=[], resumption_token=None, complete_list_size=0)
        descriptions = [
            f"{error.get('code', 'unknown')}: {normalize_text(''.join(error.itertext()))}" for error in errors
        ]
        raise InvalidFeed(f"OAI-PMH error {'; '.join(descriptions)}")
    container = root.find(f"{{{OAI_NS}}}ListRecords")
    if container is None:
        container = root.find(f"{{{OAI_NS}}}GetRecord")
    if container is None:
        raise InvalidFeed("the OAI-PMH response has no ListRecords or GetRecord element")

    page = OaiPage()
    for record in container.iterfind(f"{{{OAI_NS}}}record"):
        header = record.find(f"{{{OAI_NS}}}header")
        if header is not None and header.get("status") == "deleted":
            continue
        try:
            page.items.append(_oai_record(record))
        except _RecordError as exc:
            page.items.append(BadRecord(line_of(record), str(exc)))
    token = container.find(f"{{{OAI_NS}}}resumptionToken")
    if token is not None:
        # On the last page arXiv sends an empty token element that still carries the list size.
        page.resumption_token = (token.text or "").strip() or None
        page.complete_list_size = _int_or_none(token.get("completeListSize"))
    return page


def _oai_record(record: ElementTree.Element) -> PaperRecord:
    identifier = _child_text(record, OAI_NS, "header", OAI_NS, "identifier") or "without identifier"
    metadata = record.find(f"{{{OAI_NS}}}metadata")
    for payload in metadata if metadata is not None else ():
        if payload.tag == f"{{{OAI_ARXIV_NS}}}arXiv":
            return _oai_arxiv_record(payload)
        if payload.tag == f"{{{OAI_ARXIV_RAW_NS}}}arXivRaw":
            return _oai_arxiv_raw_record(payload)
    raise _RecordError(f"record {identifier} has no metadata in the arXiv or arXivRaw format")


def _oai_arxiv_record(metadata: ElementTree.Element) -> PaperRecord:
    parsed_id = _record_id(_child_text(metadata, OAI_ARXIV_NS, "id"))
    where = f"record {parsed_id}"
    published = _iso_date(_child_text(metadata, OAI_ARXIV_NS, "created"), f"{where} created")
    updated_text = _child_text(metadata, OAI_ARXIV_NS, "updated")
    authors = [
        author_display_name(
            _child_text(author, OAI_ARXIV_NS, "keyname"),
            _child_text(author, OAI_ARXIV_NS, "forenames"),
            _child_text(author, OAI_ARXIV_NS, "suffix"),
        )
        for author in metadata.iterfind(f"{{{OAI_ARXIV_NS}}}authors/{{{OAI_ARXIV_NS}}}author")
    ]
    return _build_record(
        arxiv_id=parsed_id.id,
        # This format has the first and last dates but not how many versions lie between: None, not a guess.
        version=parsed_id.version,
        title=_child_text(metadata, OAI_ARXIV_NS, "title"),
        abstract=_child_text(metadata, OAI_ARXIV_NS, "abstract"),
        authors=authors,
        categories=_child_text(metadata, OAI_ARXIV_NS, "categories").split(),
        published=published,
        updated=_iso_date(updated_text, f"{where} updated") if updated_text.strip() else published,
        doi=_child_text(metadata, OAI_ARXIV_NS, "doi"),
        journal_ref=_child_text(metadata, OAI_ARXIV_NS, "journal-ref"),
        comments=_child_text(metadata, OAI_ARXIV_NS, "comments"),
        license=_child_text(metadata, OAI_ARXIV_NS, "license"),
    )


def _oai_arxiv_raw_record(metadata: ElementTree.Element) -> PaperRecord:
    parsed_id = _record_id(_child_text(metadata, OAI_ARXIV_RAW_NS, "id"))
    where = f"record {parsed_id}"
    dated_versions = []
    for version in metadata.iterfind(f"{{{OAI_ARXIV_RAW_NS}}}version"):
        number = _version_number(version.get("version"), where)
        moment = _email_moment(_child_text(version, OAI_ARXIV_RAW_NS, "date"), f"{where} version v{number}")
        size = normalize_text(_child_text(version, OAI_ARXIV_RAW_NS, "size"))
        # arXiv writes sizes such as "424kb"; anything much longer is not one, and the size stays unknown.
        size = size if len(size) <= SIZE_MAX_LENGTH else ""
        dated_versions.append(RecordVersion(number, moment, size, ARXIV_RAW))
    if not dated_versions:
        raise _RecordError(f"{where} has no version elements")
    return _build_record(
        arxiv_id=parsed_id.id,
        versions=dated_versions,
        title=_child_text(metadata, OAI_ARXIV_RAW_NS, "title"),
        abstract=_child_text(metadata, OAI_ARXIV_RAW_NS, "abstract"),
        authors=split_author_string(_child_text(metadata, OAI_ARXIV_RAW_NS, "authors")),
        categories=_child_text(metadata, OAI_ARXIV_RAW_NS, "categories").split(),
        doi=_child_text(metadata, OAI_ARXIV_RAW_NS, "doi"),
        journal_ref=_child_text(metadata, OAI_ARXIV_RAW_NS, "journal-ref"),
        comments=_child_text(metadata, OAI_ARXIV_RAW_NS, "comments"),
        license=_child_text(metadata, OAI_ARXIV_RAW_NS, "license"),
    )


# --- shared pieces ---


def _record_id(raw_id: object) -> ArxivId:
    if raw_id is None or raw_id == "":
        raise _RecordError("record has no arXiv id")
    if not isinstance(raw_id, str):
        raise _RecordError(f"record id {raw_id!r} is a {type(raw_id).__name__}, not text")
    try:
        parsed = parse_arxiv_id(raw_id)
    except InvalidArxivId as exc:
        raise _RecordError(f"record id {raw_id.strip()!r} is not a valid arXiv id: {exc}") from None
    if not _written_in_full(raw_id, parsed):
        # arXiv's own records always write the number in its period's width; padding a short one (2105.6548 as
        # 2105.06548), as arxiv.org does for a typed link, could file a damaged record under another paper.
        raise _RecordError(
            f"record id {raw_id.strip()!r} is not a valid arXiv id: arXiv writes it as {parsed.id}, "
            "and a record from arXiv would too"
        )
    return parsed


def _build_record(
    *,
    arxiv_id: str,
    title: str,
    abstract: str,
    authors: Iterable[str],
    categories: Iterable[str],
    doi: str,
    journal_ref: str,
    comments: str,
    license: str | None,
    versions: Iterable[RecordVersion] = (),
    version: int | None = None,
    published: datetime.date | None = None,
    updated: datetime.date | None = None,
) -> PaperRecord:
    """The record, tidied: whitespace collapsed (an abstract keeps its paragraphs), mojibake in the title, names
    and abstract undone, versions one per number and oldest first. Without `version`, `published` and `updated`,
    they are those of the first and the latest version."""
    # The same version listed twice keeps its first listing, as the first of a repeated author keeps its place.
    versions = tuple(sorted({v.number: v for v in reversed(list(versions))}.values(), key=lambda v: v.number))
    if versions:
        version = versions[-1].number if version is None else version
        published = _utc_date(versions[0].submitted) if published is None else published
        updated = _utc_date(versions[-1].submitted) if updated is None else updated
    if published is None or updated is None:
        raise _RecordError(f"record {arxiv_id} has neither versions nor dates")
    title = normalize_text(title)
    if not title:
        raise _RecordError(f"record {arxiv_id} has no title")
    if updated < published:
        raise _RecordError(f"record {arxiv_id} was updated ({updated}) before it was published ({published})")
    license = None if license is None else license.strip()
    if license is not None and len(license) > LICENSE_MAX_LENGTH:
        raise _RecordError(
            f"record {arxiv_id} has a license of {len(license)} characters, more than the "
            f"{LICENSE_MAX_LENGTH} of a URL: {license[:60]!r}..."
        )
    abstract = normalize_abstract(abstract)
    names = [name for name in authors if name]
    repaired_title, repaired_abstract = repair_mojibake(title), repair_mojibake(abstract)
    repaired_names = [repair_mojibake(name) for name in names]
    return PaperRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=repaired_title,
        abstract=repaired_abstract,
        authors=tuple(repaired_names),
        # dict keeps the first occurrence, so the primary category stays first.
        categories=tuple(dict.fromkeys(category for category in categories if category)),
        published=published,
        updated=updated,
        doi=normalize_text(doi),
        journal_ref=normalize_text(journal_ref),
        comments=normalize_text(comments),
        versions=versions,
        license=license,
        repaired=(repaired_title, repaired_abstract, repaired_names) != (title, abstract, names),
    )


def _email_moment(value: object, what: str) -> datetime.datetime:
    """The aware UTC moment of an RFC 2822 timestamp such as "Mon, 2 Apr 2007 19:18:42 GMT"."""
    if not isinstance(value, str) or not value.strip():
        raise _RecordError(f"{what} has no date")
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        raise _RecordError(f"{what} has a malformed date {value!r}") from None
    # "-0000" means UTC without saying where the writer was; parsedate_to_datetime gives it naive.
    return moment.replace(tzinfo=datetime.UTC) if moment.tzinfo is None else moment.astimezone(datetime.UTC)


def _iso_moment(value: str, what: str) -> datetime.datetime:
    """The aware UTC moment of an ISO 8601 timestamp such as "2011-11-08T18:48:36Z" (a bare date is midnight UTC)."""
    text = value.strip()
    if not text:
        raise _RecordError(f"{what} date is missing")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise _RecordError(f"{what} date {text!r} is malformed") from None
    return moment.replace(tzinfo=datetime.UTC) if moment.tzinfo is None else moment.astimezone(datetime.UTC)


def _iso_date(value: str, what: str) -> datetime.date:
    """The UTC date of an ISO 8601 date or timestamp such as "2011-11-08T18:48:36Z" or "2017-06-16"."""
    return _utc_date(_iso_moment(value, what))


def _utc_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(datetime.UTC).date()


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text.strip()) if text is not None and text.strip() else None
    except ValueError:
        return None


def _child_text(element: ElementTree.Element, *path: str) -> str:
    """The text of the child reached by (namespace, name) pairs, or "" when it is absent."""
    steps = "/".join(f"{{{namespace}}}{name}" for namespace, name in zip(path[::2], path[1::2], strict=True))
    child = element.find(steps)
    return "".join(child.itertext()) if child is not None else ""


def _describe_tag(tag: str) -> str:
    namespace, _, local_name = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    return f"<{local_name}> in namespace {namespace!r}" if namespace else f"<{local_name}> without a namespace"


def _parse_xml(xml: str | bytes) -> tuple[ElementTree.Element, Callable[[ElementTree.Element], int]]:
    """Parse a document into an ElementTree, remembering the line each element starts on.

    ElementTree's own parser does not report line numbers, so expat drives an ElementTree.TreeBuilder here.
    Entity declarations are refused: arXiv never sends them, and expanding them is how XML bombs work.
    """
    if not isinstance(xml, (str, bytes)):
        raise InvalidFeed(f"expected the XML document as text or bytes, not {type(xml).__name__}")
    builder = ElementTree.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    lines: dict[ElementTree.Element, int] = {}

    def qualified(name: str) -> str:
        # expat reports "uri}local" for namespaced names; ElementTree spells them "{uri}local".
        return "{" + name if "}" in name else name

    def start(name: str, attributes: dict[str, str]) -> None:
        element = builder.start(qualified(name), {qualified(key): value for key, value in attributes.items()})
        lines[element] = parser.CurrentLineNumber

    def refuse_entities(entity_name: str, *_details: object) -> None:
        raise InvalidFeed(f"the document declares the entity {entity_name!r}; entity declarations are not accepted")

    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(qualified(name))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entities
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise InvalidFeed(f"not well-formed XML: {exc}") from None
    root = builder.close()
    return root, lambda element: lines.get(element, 0)
