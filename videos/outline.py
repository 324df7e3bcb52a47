"""A video's chapters as an outline, with each erratum or addendum placed at the chapter it falls in."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from videos.models import Chapter, Correction


@dataclass
class OutlineEntry:
    chapter: Chapter
    corrections: list[Correction] = field(default_factory=list)


@dataclass
class Outline:
    entries: list[OutlineEntry]
    # Corrections without a time, or before the first chapter: shown with the video as a whole.
    general: list[Correction]


def build_outline(chapters: list[Chapter], corrections: list[Correction]) -> Outline:
    """Chapters in order of start; a correction at t goes to the last chapter starting at or before t."""
    chapters = sorted(chapters, key=lambda c: c.start)
    entries = [OutlineEntry(chapter) for chapter in chapters]
    starts = [c.start for c in chapters]
    general = []
    for correction in corrections:
        index = bisect.bisect_right(starts, correction.at) - 1 if correction.at is not None else -1
        if index < 0:
            general.append(correction)
        else:
            entries[index].corrections.append(correction)
    return Outline(entries=entries, general=general)
