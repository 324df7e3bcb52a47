"""Math in comments, notes, abstracts and titles: MathML on the server, the source kept, bad math left as text."""

from __future__ import annotations

from django.template import Context, Template
from django.test import SimpleTestCase, TestCase

from shared.markdown import render_markdown, render_math_text
from tests.factories import CommentFactory, NoteFactory, PaperFactory

INLINE_X_SQUARED = (
    '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><semantics><mrow><mrow>'
    "<msup><mi>x</mi><mn>2</mn></msup></mrow></mrow>"
    '<annotation encoding="application/x-tex">x^2</annotation></semantics></math>'
)


class MarkdownMathTests(SimpleTestCase):
    def test_inline_math_becomes_mathml_with_its_source(self):
        assert render_markdown("Take $x^2$ here.") == f"<p>Take {INLINE_X_SQUARED} here.</p>"

    def test_display_math_is_a_block(self):
        html = render_markdown("$$\\frac{a}{b}$$")
        assert html.startswith('<p><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">')
        assert "<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>" in html
        assert '<annotation encoding="application/x-tex">\\frac{a}{b}</annotation>' in html

    def test_underscores_and_stars_in_math_are_not_emphasis(self):
        html = render_markdown("Both $a_1 * b_1$ and $c_2 * d_2$ are sums.")
        assert "<em>" not in html
        assert '<annotation encoding="application/x-tex">a_1 * b_1</annotation>' in html

    def test_markdown_around_math_still_works(self):
        html = render_markdown("**Bold** and $y$\n\n- item $z$")
        assert html.startswith("<p><strong>Bold</strong> and <math")
        assert "<li>item <math" in html

    def test_a_formula_that_fails_to_convert_stays_as_written(self):
        assert render_markdown("Broken $\\frac{a}{$ formula") == "<p>Broken $\\frac{a}{$ formula</p>"

    def test_dollar_amounts_are_not_math(self):
        assert render_markdown("It costs $5 or $10 a month.") == "<p>It costs $5 or $10 a month.</p>"

    def test_an_escaped_dollar_is_a_dollar(self):
        assert "<math" not in render_markdown(r"Prices in \$US and \$CA")

    def test_math_in_code_is_left_alone(self):
        assert render_markdown("`$x^2$`") == "<p><code>$x^2$</code></p>"
        assert "<math" not in render_markdown("```\n$$a$$\n```")

    def test_links_inside_math_are_dropped(self):
        html = render_markdown("$\\href{javascript:alert(1)}{x}$")
        mathml, source = html.split("<annotation", 1)
        assert "href=" not in html and "javascript" not in mathml
        assert "\\href{javascript:alert(1)}{x}</annotation>" in source

    def test_raw_html_next_to_math_is_shown_as_text(self):
        html = render_markdown("<script>alert(1)</script> $x^2$ <img src=x onerror=alert(1)>")
        assert "<script" not in html and "<img" not in html
        assert html.startswith("<p>&lt;script&gt;alert(1)&lt;/script&gt; <math")
        assert html.endswith("</math> &lt;img src=x onerror=alert(1)&gt;</p>")
        assert INLINE_X_SQUARED in html

    def test_annotation_escapes_the_source(self):
        html = render_markdown("$a < b$")
        assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in html


class MathTextTests(SimpleTestCase):
    def test_plain_text_is_escaped(self):
        assert render_math_text("a < b & <b>c</b>") == "a &lt; b &amp; &lt;b&gt;c&lt;/b&gt;"

    def test_formulas_in_plain_text_become_mathml(self):
        assert render_math_text("Squares $x^2$ & more") == f"Squares {INLINE_X_SQUARED} &amp; more"

    def test_the_template_filter_marks_the_result_safe(self):
        html = Template("{% load display %}{{ text|math }}").render(Context({"text": "<i>$x^2$</i>"}))
        assert html == f"&lt;i&gt;{INLINE_X_SQUARED}&lt;/i&gt;"


class MathOnSaveTests(TestCase):
    def test_comments_and_notes_render_math_once_on_save(self):
        comment = CommentFactory(body="Loss is $x^2$.", paper=PaperFactory())
        note = NoteFactory(body="Recall $$x^2$$")
        assert INLINE_X_SQUARED in comment.body_html
        assert 'display="block"' in note.body_html and "<msup><mi>x</mi><mn>2</mn></msup>" in note.body_html
