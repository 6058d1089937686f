"""Danish dates in text: '28. april 2023', '12.03.2019', '10-04-2013', '2023-04-28'."""

from __future__ import annotations

import re

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
DANISH_DATE = re.compile(rf"\b(\d{{1,2}})\.\s*({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.I)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def iso_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601, or None."""
    found = all_dates(text)
    return found[0] if found else None


def all_dates(text: str) -> list[str]:
    """Every date in ``text`` as ISO 8601, in order of appearance."""
    found: list[tuple[int, str]] = []
    for match in DANISH_DATE.finditer(text):
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
        if 1 <= day <= 31:
            found.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    for match in NUMERIC_DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    for match in ISO_DATE.finditer(text):
        found.append((match.start(), match.group(0)))
    return [iso for _, iso in sorted(found)]
