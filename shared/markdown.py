"""Markdown to safe HTML: the one place whose output templates may mark |safe.

Math written as `$...$` or `\\(...\\)` (inline) and `$$...$$` or `\\[...\\]` (display) becomes MathML on the
server through latex2mathml, with the LaTeX source kept as written in an `<annotation>`; a formula that fails to
convert stays as the text the member typed. Abstracts and titles get the same treatment through `render_math_text`
(plain text in, escaped HTML with MathML out).

Bare addresses (`https://…`, `http://…`, `www.…`) become links by GFM's extended autolink rule, as cmark-gfm
reads it (`_BareLinkProcessor`); the sanitiser gives every link `rel="nofollow ugc noopener"`.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree

import markdown as md
import nh3
from latex2mathml.converter import convert as latex_to_mathml_string
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

# What a comment or note may contain after rendering: prose, lists, links, code, quotes, tables.
ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "ol": {"start"},
}
LINK_REL = "nofollow ugc noopener"

# --- math -------------------------------------------------------------------------------------------------
# The MathML elements latex2mathml emits, plus <semantics>/<annotation> that carry the source.
MATH_TAGS = {
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
}
# Presentation attributes only: no href (latex2mathml turns \href into one), no colours.
MATH_ATTRIBUTE_NAMES = {
    "xmlns",
    "display",
    "encoding",
    "mathvariant",
    "mathsize",
    "stretchy",
    "fence",
    "separator",
    "accent",
    "accentunder",
    "largeop",
    "movablelimits",
    "symmetric",
    "lspace",
    "rspace",
    "minsize",
    "maxsize",
    "linethickness",
    "columnalign",
    "columnlines",
    "columnspacing",
    "rowalign",
    "rowlines",
    "rowspacing",
    "displaystyle",
    "scriptlevel",
    "width",
    "height",
    "depth",
    "voffset",
    "notation",
    "linebreak",
}
MATH_ATTRIBUTES = dict.fromkeys(MATH_TAGS, MATH_ATTRIBUTE_NAMES)

# Code (fenced or inline) is matched first so that a `$` inside it is left alone. Inline math must not start or
# end with a space and must not be followed by a digit, so "costs $5 or $10" stays prose; `\$` is a dollar.
# LaTeX's own delimiters `\(...\)` and `\[...\]` (what MathJax reads by default) are math too; they do not run
# across a blank line, and `\\(` (an escaped backslash) is not one.
_MATH_OR_CODE_RE = re.compile(
    r"(?P<code>```.*?```|~~~.*?~~~|`[^`\n]+`)"
    r"|(?<!\\)\$\$(?P<display>.+?)\$\$"
    r"|(?<![\\$\w])\$(?P<inline>[^\s$`](?:[^$`\n]*?[^\s$`\\])?)\$(?![\d$])"
    r"|(?<!\\)\\\[(?P<latex_display>(?:(?!\n[ \t]*\n).)+?)\\\]"
    r"|(?<!\\)\\\((?P<latex_inline>(?:(?!\n[ \t]*\n).)+?)\\\)",
    re.DOTALL,
)
_MATH_MARKS = ("$", "\\(", "\\[")
_DISPLAY_GROUPS = {"display", "latex_display"}
_PLACEHOLDER = "mathplaceholder{}x"
_PLACEHOLDER_RE = re.compile(r"mathplaceholder(\d+)x")


@functools.lru_cache(maxsize=4096)
def formula_to_mathml(source: str, *, display: bool = False) -> str | None:
    """One LaTeX formula as a MathML element with its source annotated; None when it does not convert."""
    try:
        converted = latex_to_mathml_string(source, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - latex2mathml raises many kinds on bad input; bad math stays text
        return None
    start, end = converted.find(">") + 1, converted.rfind("</math>")
    if start <= 0 or end < start:
        return None
    mode = "block" if display else "inline"
    return (
        f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="{mode}"><semantics>'
        f"<mrow>{converted[start:end]}</mrow>"
        f'<annotation encoding="application/x-tex">{html.escape(source, quote=False)}</annotation>'
        "</semantics></math>"
    )


def _math_html(match: re.Match) -> str:
    """MathML for a matched formula, or its source escaped as written when it does not convert."""
    kind = match.lastgroup or "inline"
    display, source = kind in _DISPLAY_GROUPS, match.group(kind)
    mathml = formula_to_mathml(source.strip(), display=display)
    return mathml if mathml is not None else html.escape(match.group(0), quote=False)


def _has_math_mark(text: str) -> bool:
    return any(mark in text for mark in _MATH_MARKS)


# --- bare links ------------------------------------------------------------------------------------------------
# GFM's extended autolinks: `www.` or `http(s)://` at the start of a text, after a space or after one of `*_~(`,
# up to the next space or `<`; then cmark-gfm's autolink_delim() trims the end (`_trim_link_end`).
_BARE_LINK_RE = r"(?:(?<=^)|(?<=[\s*_~(]))(?:https?://|www\.)[^\s<]*"
_DOMAIN_RE = re.compile(r"[\w-]+(?:\.[\w-]+)*", re.ASCII)
_TRAILING_PUNCTUATION = "?!.,:*_~'\""
_ENTITY_TAIL_RE = re.compile(r"&[A-Za-z0-9]+;$")


def _trim_link_end(link: str) -> str:
    """The link without what GFM leaves outside it: trailing punctuation, an unbalanced `)`, an entity-like `&x;`."""
    while link:
        last = link[-1]
        if last in _TRAILING_PUNCTUATION:
            link = link[:-1]
        elif last == ";":
            entity = _ENTITY_TAIL_RE.search(link)
            link = link[: entity.start()] if entity else link[:-1]
        elif last == ")" and link.count(")") > link.count("("):
            link = link[:-1]
        else:
            break
    return link


def _valid_domain(domain: str, *, www: bool) -> bool:
    """cmark-gfm's check_domain(): segments of letters, digits, `-` and `_`, no `_` in the last two, and (for
    `www.`) at least one period after it."""
    segments = domain.split(".")
    if any("_" in segment for segment in segments[-2:]) or not all(segments):
        return False
    return len(segments) >= 3 if www else True


class _BareLinkProcessor(InlineProcessor):
    """A bare `https://…`, `http://…` or `www.…` in prose as a link (never inside a link's own text)."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m: re.Match, data: str):  # type: ignore[override]
        link = _trim_link_end(m.group(0))
        www = link.startswith("www.")
        rest = link if www else link.split("://", 1)[1]
        domain = _DOMAIN_RE.match(rest)
        if domain is None or not _valid_domain(domain.group(0), www=www):
            return None, None, None
        element = etree.Element("a")
        element.set("href", f"http://{link}" if www else link)
        element.text = AtomicString(link)
        return element, m.start(0), m.start(0) + len(link)


def _clean(html_text: str, tags: set[str], attributes: dict[str, set[str]]) -> str:
    return nh3.clean(
        html_text,
        tags=tags | MATH_TAGS,
        attributes={**attributes, **MATH_ATTRIBUTES},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )


def render_markdown(text: str) -> str:
    """Render member-written markdown and sanitise it; raw HTML in the input is shown as text, never trusted."""
    if not text:
        return ""
    formulas: list[str] = []

    def hold(match: re.Match) -> str:
        # Formulas leave the text before markdown sees it (so `_` and `*` in LaTeX are not emphasis) and
        # come back as MathML afterwards.
        if match.group("code") is not None:
            return match.group(0)
        formulas.append(_math_html(match))
        return _PLACEHOLDER.format(len(formulas) - 1)

    held = _MATH_OR_CODE_RE.sub(hold, text) if _has_math_mark(text) else text
    converter = md.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "nl2br"],
        # GFM's `align` on table cells (a `style` would not survive the sanitiser): `:-:` centres a column.
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    converter.inlinePatterns.register(_BareLinkProcessor(_BARE_LINK_RE, converter), "bare_link", 95)
    # Raw HTML is text here: "List<T>" or "<br>" typed in a comment shows as typed (escaped) instead of
    # passing to the sanitiser, which would delete it. Markdown's own markup is all a member needs.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html_text = converter.convert(held)
    if formulas:
        html_text = _PLACEHOLDER_RE.sub(lambda m: formulas[int(m.group(1))], html_text)
    return _clean(html_text, ALLOWED_TAGS, ALLOWED_ATTRIBUTES)


def render_math_text(text: str) -> str:
    """Plain text (an abstract, a title) as escaped HTML in which its formulas are MathML."""
    if not text:
        return ""
    if not _has_math_mark(text):
        return html.escape(text, quote=False)
    parts: list[str] = []
    position = 0
    for match in _MATH_OR_CODE_RE.finditer(text):
        if match.group("code") is not None:
            continue
        parts.append(html.escape(text[position : match.start()], quote=False))
        parts.append(_math_html(match))
        position = match.end()
    parts.append(html.escape(text[position:], quote=False))
    return _clean("".join(parts), set(), {})
