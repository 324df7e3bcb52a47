"""Markdown held to the CommonMark/GFM reference examples where the hub follows them (issue 13, item 9): LaTeX's
own math delimiters, bare links (GFM's extended autolinks), block quotes and tables."""

from __future__ import annotations

from django.test import SimpleTestCase

from shared.markdown import render_markdown, render_math_text
from tests.test_markdown_math import INLINE_X_SQUARED

REL = ' rel="nofollow ugc noopener"'


def plain(html: str) -> str:
    """The HTML as the GFM spec prints it: without the rel the sanitiser adds to every link."""
    return html.replace(REL, "")


class LatexDelimiterTests(SimpleTestCase):
    def test_parenthesis_delimiters_are_inline_math(self):
        assert render_markdown(r"Take \(x^2\) here.") == f"<p>Take {INLINE_X_SQUARED} here.</p>"

    def test_bracket_delimiters_are_display_math(self):
        html = render_markdown(r"\[\frac{a}{b}\]")
        assert html.startswith('<p><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">')
        assert '<annotation encoding="application/x-tex">\\frac{a}{b}</annotation>' in html

    def test_underscores_inside_latex_delimiters_are_not_emphasis(self):
        html = render_markdown(r"Both \(a_1 * b_1\) and \(c_2 * d_2\).")
        assert "<em>" not in html and html.count("<math") == 2

    def test_an_escaped_backslash_is_not_a_delimiter(self):
        # CommonMark example 308 (backslash escapes): "\\(" is a backslash and a parenthesis.
        assert render_markdown(r"\\(not math\\)") == r"<p>\(not math\)</p>"

    def test_delimiters_in_code_are_left_alone(self):
        assert render_markdown(r"`\(x\)`") == r"<p><code>\(x\)</code></p>"
        assert "<math" not in render_markdown("```\n\\[x\\]\n```")

    def test_math_does_not_run_across_a_blank_line(self):
        assert "<math" not in render_markdown("a \\( b\n\nc \\) d")

    def test_titles_and_abstracts_read_them_too(self):
        assert render_math_text(r"Squares \(x^2\) & more") == f"Squares {INLINE_X_SQUARED} &amp; more"

    def test_dollar_math_is_unchanged(self):
        assert render_markdown("Take $x^2$ here.") == f"<p>Take {INLINE_X_SQUARED} here.</p>"


# GFM 0.29, section 6.9 "Autolinks (extension)": the examples, with the spec's own expected HTML.
GFM_AUTOLINK_EXAMPLES = [
    (621, "www.commonmark.org", '<p><a href="http://www.commonmark.org">www.commonmark.org</a></p>'),
    (
        622,
        "Visit www.commonmark.org/help for more information.",
        '<p>Visit <a href="http://www.commonmark.org/help">www.commonmark.org/help</a> for more information.</p>',
    ),
    (
        623,
        "Visit www.commonmark.org.\n\nVisit www.commonmark.org/a.b.",
        '<p>Visit <a href="http://www.commonmark.org">www.commonmark.org</a>.</p>\n'
        '<p>Visit <a href="http://www.commonmark.org/a.b">www.commonmark.org/a.b</a>.</p>',
    ),
    (
        624,
        "www.google.com/search?q=Markup+(business)\n\nwww.google.com/search?q=Markup+(business)))\n\n"
        "(www.google.com/search?q=Markup+(business))\n\n(www.google.com/search?q=Markup+(business)",
        '<p><a href="http://www.google.com/search?q=Markup+(business)">www.google.com/search?q=Markup+(business)</a></p>\n'
        '<p><a href="http://www.google.com/search?q=Markup+(business)">www.google.com/search?q=Markup+(business)</a>))</p>\n'
        '<p>(<a href="http://www.google.com/search?q=Markup+(business)">www.google.com/search?q=Markup+(business)</a>)</p>\n'
        '<p>(<a href="http://www.google.com/search?q=Markup+(business)">www.google.com/search?q=Markup+(business)</a></p>',
    ),
    (
        625,
        "www.google.com/search?q=(business))+ok",
        '<p><a href="http://www.google.com/search?q=(business))+ok">www.google.com/search?q=(business))+ok</a></p>',
    ),
    (
        626,
        "www.google.com/search?q=commonmark&hl=en\n\nwww.google.com/search?q=commonmark&hl;",
        '<p><a href="http://www.google.com/search?q=commonmark&amp;hl=en">'
        "www.google.com/search?q=commonmark&amp;hl=en</a></p>\n"
        '<p><a href="http://www.google.com/search?q=commonmark">www.google.com/search?q=commonmark</a>&amp;hl;</p>',
    ),
    (627, "www.commonmark.org/he<lp", '<p><a href="http://www.commonmark.org/he">www.commonmark.org/he</a>&lt;lp</p>'),
    (
        628,
        "http://commonmark.org\n\n(Visit https://encrypted.google.com/search?q=Markup+(business))",
        '<p><a href="http://commonmark.org">http://commonmark.org</a></p>\n'
        '<p>(Visit <a href="https://encrypted.google.com/search?q=Markup+(business)">'
        "https://encrypted.google.com/search?q=Markup+(business)</a>)</p>",
    ),
]


class BareLinkTests(SimpleTestCase):
    def test_the_gfm_autolink_examples(self):
        for number, markdown, expected in GFM_AUTOLINK_EXAMPLES:
            with self.subTest(example=number):
                assert plain(render_markdown(markdown)) == expected

    def test_every_bare_link_is_nofollow_ugc(self):
        html = render_markdown("See https://arxiv.org/abs/2105.06548 and www.example.org")
        assert html.count(REL) == 2

    def test_only_web_addresses_become_links(self):
        html = render_markdown("javascript:alert(1) and data:text/html,x and ftp.example.org")
        assert "<a" not in html

    def test_a_quote_in_an_address_stays_inside_the_attribute(self):
        html = render_markdown('https://example.org/"onmouseover=alert(1)')
        assert 'href="https://example.org/&quot;onmouseover=alert(1)"' in html
        assert " onmouseover" not in html

    def test_no_link_inside_a_link_or_code(self):
        assert plain(render_markdown("[https://a.example](https://b.example)")) == (
            '<p><a href="https://b.example">https://a.example</a></p>'
        )
        assert render_markdown("`https://a.example`") == "<p><code>https://a.example</code></p>"
        assert render_markdown("<https://a.example>").count("<a ") == 1

    def test_underscores_in_an_address_are_not_emphasis(self):
        html = plain(render_markdown("https://example.org/a_b_c_d and *stress*"))
        assert '<a href="https://example.org/a_b_c_d">https://example.org/a_b_c_d</a>' in html
        assert "<em>stress</em>" in html

    def test_an_address_needs_a_valid_domain(self):
        # cmark-gfm's check_domain: no underscore in the last two segments; `www.` needs a period after it.
        assert "<a" not in render_markdown("www.exam_ple.com and www.local")


class QuoteAndTableTests(SimpleTestCase):
    def test_a_block_quote_as_in_commonmark(self):
        # CommonMark 0.31 example 229 (without the soft break, which the hub reads as a line break).
        assert render_markdown("> # Foo\n> bar") == "<blockquote>\n<h1>Foo</h1>\n<p>bar</p>\n</blockquote>"

    def test_a_table_as_in_gfm(self):
        # GFM 0.29 example 198.
        assert render_markdown("| foo | bar |\n| --- | --- |\n| baz | bim |") == (
            "<table>\n<thead>\n<tr>\n<th>foo</th>\n<th>bar</th>\n</tr>\n</thead>\n"
            "<tbody>\n<tr>\n<td>baz</td>\n<td>bim</td>\n</tr>\n</tbody>\n</table>"
        )

    def test_column_alignment_survives_the_sanitiser(self):
        # GFM 0.29 example 199.
        assert render_markdown("| abc | defghi |\n:-: | -----------:\nbar | baz") == (
            '<table>\n<thead>\n<tr>\n<th align="center">abc</th>\n<th align="right">defghi</th>\n</tr>\n</thead>\n'
            '<tbody>\n<tr>\n<td align="center">bar</td>\n<td align="right">baz</td>\n</tr>\n</tbody>\n</table>'
        )
