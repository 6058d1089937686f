"""Access levels of agenda items: who may read an item's text is decided here and nowhere else.

``åben`` is public, ``intern`` is for the municipality's staff, ``lukket`` (a closed item, "for lukkede døre")
for the council's members. A reader's *clearance* is the strictest level it may see; every level below it is
visible too. An unknown or missing level counts as ``lukket``: a chunk whose level cannot be read stays hidden.
"""

from __future__ import annotations

OPEN, INTERNAL, CLOSED = "åben", "intern", "lukket"
LEVELS = (OPEN, INTERNAL, CLOSED)
# what a user may type for a level (`--adgang aaben` on a keyboard without æøå)
SPELLINGS = {"åben": OPEN, "aaben": OPEN, "aben": OPEN, "intern": INTERNAL, "lukket": CLOSED}


def rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS) - 1


def stricter(a: str | None, b: str | None) -> str:
    return LEVELS[max(rank(a), rank(b))]


def visible_levels(clearance: str | None) -> tuple[str, ...] | None:
    """The levels a reader with ``clearance`` may see; None means all (no filter is needed)."""
    if clearance is None or rank(clearance) == len(LEVELS) - 1:
        return None
    return LEVELS[: rank(clearance) + 1]


def may_see(clearance: str | None, level: str | None) -> bool:
    return clearance is None or rank(level) <= rank(clearance)


def parse_level(text: str) -> str:
    level = SPELLINGS.get((text or "").strip().casefold())
    if level is None:
        raise ValueError(f"Ukendt adgang '{text}': brug åben, intern eller lukket.")
    return level
