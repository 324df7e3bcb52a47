"""Whole numbers typed in URLs and feeds: ASCII digits only.

str.isdigit() also accepts '²' and other digits that int() refuses, which once made such input a 500.
"""

from __future__ import annotations


def whole_number(text: str) -> int | None:
    """The number `text` spells in ASCII digits (no sign, no spaces), or None."""
    return int(text) if text.isascii() and text.isdigit() else None
