"""The document's own table of bookmarks (PDF outline): titles that are agenda items, exactly."""

from __future__ import annotations

import re

from index.parsing.document import OutlineEntry


def normalise(title: str) -> str:
    return re.sub(r"[^\wæøå]+", " ", title.casefold()).strip()


def outline_titles(entries: list[OutlineEntry]) -> dict[str, int]:
    """Normalised bookmark titles and the page each points to."""
    return {normalise(e.title): e.page for e in entries if normalise(e.title)}
