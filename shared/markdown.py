"""Markdown to safe HTML: the one place whose output templates may mark |safe.

Math written as `$...$` (inline) or `$$...$$` (display) becomes MathML on the server through latex2mathml,
with the LaTeX source kept as written in an `<annotation>`; a formula that fails to convert stays as the text
the member typed. Abstracts and titles get the same treatment through `render_math_text` (plain text in,
escaped HTML with MathML out).
"""

from __future__ import annotations

import functools
import html
import re

import markdown as md
import nh3
from latex2mathml.converter import convert as latex_to_mathml_string

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
_MATH_OR_CODE_RE = re.compile(
    r"(?P<code>```.*?```|~~~.*?~~~|`[^`\n]+`)"
    r"|(?<!\\)\$\$(?P<display>.+?)\$\$"
    r"|(?<![\\$\w])\$(?P<inline>[^\s$`](?:[^$`\n]*?[^\s$`\\])?)\$(?![\d$])",
    re.DOTALL,
)
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
    display = match.group("display") is not None
    source = match.group("display") if display else match.group("inline")
    mathml = formula_to_mathml(source.strip(), display=display)
    return mathml if mathml is not None else html.escape(match.group(0), quote=False)


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

    held = _MATH_OR_CODE_RE.sub(hold, text) if "$" in text else text
    converter = md.Markdown(extensions=["fenced_code", "tables", "sane_lists", "nl2br"], output_format="html")
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
    if "$" not in text:
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
