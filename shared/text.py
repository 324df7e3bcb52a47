"""Text that arrives from importers: mojibake repaired, once, by ftfy.

Mojibake is UTF-8 that was decoded as Latin-1 or Windows-1252 somewhere upstream ("WÃ¼bben" for "Wübben").
ftfy recognises it by the byte patterns that encoding mistake leaves and undoes exactly that mistake; text without
those patterns (plain ASCII, correct accents, Greek letters, maths symbols) comes back unchanged. Only the encoding
fix is applied: ftfy's other repairs (straightening quotes, unescaping HTML, folding ligatures) would change text
that was right.
"""

from __future__ import annotations

import ftfy


def repair_mojibake(text: str) -> str:
    """`text` with doubly decoded UTF-8 undone; unchanged when there is none."""
    if text.isascii():
        return text
    return ftfy.fix_encoding(text)


def has_mojibake(text: str) -> bool:
    """Whether repair_mojibake would change `text` (for importers that report what they repaired)."""
    return repair_mojibake(text) != text
