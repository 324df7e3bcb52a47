"""A comment's edit history: its texts in order, and what each edit changed, as a word diff drawn in HTML.

The diff is difflib's (the standard library's SequenceMatcher) over words with the white space between them, so a
changed word shows as <del>old</del><ins>new</ins> and line breaks stay where they were. Every piece of text is
escaped before it is wrapped: members' words never become markup here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from comments.models import Comment, CommentRevision

_WORDS_RE = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>, the rest as it was; escaped."""
    a, b = _WORDS_RE.findall(old), _WORDS_RE.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text went through escape


@dataclass(frozen=True)
class Edit:
    """One edit: who made it and when, the text it left, and what it changed."""

    number: int
    editor: str | None
    at: datetime
    body: str
    diff: SafeString


def edit_history(comment: Comment, revisions: list[CommentRevision]) -> list[Edit]:
    """Each edit of `comment`, oldest first. A revision holds the text an edit replaced, so edit k turned the text
    of revision k into that of revision k+1 (or, for the last, into the comment's text now)."""
    texts = [revision.body for revision in revisions] + [comment.body]
    edits = []
    for number, revision in enumerate(revisions, start=1):
        editor = revision.edited_by.get_username() if revision.edited_by_id else None
        before, after = texts[number - 1], texts[number]
        edits.append(Edit(number, editor, revision.edited_at, after, word_diff(before, after)))
    return edits
