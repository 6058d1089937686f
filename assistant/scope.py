"""A standing restriction of the meetings searched: one body (`?organ=`) and/or one period (`?periode=`).

Used by the widget on an intranet page of one committee and by the API. The restriction is a set of
meeting ids handed to retrieval, so every route (dense, BM25, exact case/item, attendance) honours it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from index.store import MeetingRecord

PERIOD = re.compile(
    r"^(?P<start>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s*\.\.\s*(?P<end>\d{4}(?:-\d{2}(?:-\d{2})?)?))?$"
)


class ScopeError(ValueError):
    """A period that cannot be read; the message is Danish and names the accepted forms."""


def _bounds(text: str) -> tuple[str, str]:
    """'2023' → 2023-01-01..2023-12-31, '2023-04' → the month, '2023-04-28' → the day."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = parts[1]
    if not 1 <= month <= 12:
        raise ScopeError(f"Ugyldig måned i perioden: {text}")
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    day = parts[2]
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ScopeError(f"Ugyldig dato i perioden: {text}")
    return text, text


def parse_period(text: str) -> tuple[str, str]:
    """An ISO period: 'ÅÅÅÅ', 'ÅÅÅÅ-MM', 'ÅÅÅÅ-MM-DD' or 'fra..til' with either form on both sides."""
    match = PERIOD.match(text.strip())
    if not match:
        raise ScopeError(f"Ugyldig periode '{text}': brug ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD.")
    start = _bounds(match.group("start"))[0]
    end = _bounds(match.group("end") or match.group("start"))[1]
    if end < start:
        raise ScopeError(f"Perioden '{text}' slutter før den begynder.")
    return start, end


@dataclass(frozen=True)
class Scope:
    organ: str | None = None
    periode: str | None = None

    @classmethod
    def of(cls, organ: str | None, periode: str | None) -> Scope | None:
        organ = (organ or "").strip() or None
        periode = (periode or "").strip() or None
        if periode:
            parse_period(periode)  # fail early, with the Danish message
        return cls(organ, periode) if organ or periode else None

    def admits(self, record: MeetingRecord) -> bool:
        if self.organ and self.organ.casefold() not in record.body.casefold():
            return False
        if self.periode:
            start, end = parse_period(self.periode)
            if not record.date or not start <= record.date <= end:
                return False
        return True

    def meeting_ids(self, records: list[MeetingRecord]) -> set[str]:
        return {r.meeting_id for r in records if self.admits(r)}

    def describe(self) -> str:
        """'Økonomiudvalget, 2024' for the widget's heading line."""
        parts = []
        if self.organ:
            parts.append(self.organ)
        if self.periode:
            parts.append(self.periode.replace("..", "–"))
        return ", ".join(parts)

    def empty_note(self) -> str:
        return f"Ingen indekserede møder passer til afgrænsningen ({self.describe()})."
