"""shared.text.repair_mojibake: undo UTF-8 read as Latin-1/Windows-1252 upstream, and touch nothing else."""

from __future__ import annotations

import pytest

from shared.text import has_mojibake, repair_mojibake


@pytest.mark.parametrize(
    ("arrived", "meant"),
    [
        ("WÃ¼bben", "Wübben"),  # the author name the issue found stored as is
        ("naÃ¯ve Bayes", "naïve Bayes"),
        ("ErdÅ‘s", "Erdős"),
        ("Schrödinger’s â€œcatâ€\x9d", "Schrödinger’s “cat”"),
        ("Ã\xa0 la carte", "à la carte"),
    ],
)
def test_mojibake_is_undone(arrived: str, meant: str) -> None:
    assert repair_mojibake(arrived) == meant
    assert has_mojibake(arrived)


@pytest.mark.parametrize(
    "text",
    [
        "Attention Is All You Need",
        "Müller, Čech, Erdős, Ångström",
        "“Curly quotes” – en dash — em dash … ellipsis",
        "α-divergence, ∑ and ∫ over ℝⁿ",
        "São Paulo in capitals is SÃO PAULO",
        "$\\alpha$ and \\'e stay as LaTeX",
        "",
    ],
)
def test_text_without_mojibake_is_unchanged(text: str) -> None:
    assert repair_mojibake(text) == text
    assert not has_mojibake(text)
