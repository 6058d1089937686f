"""Danish wording shared by every kind of answer: dates as people write them, a body's genitive."""

from __future__ import annotations

from index.dates import MONTHS


def danish_date(iso: str) -> str:
    if not iso:
        return "uden dato"
    year, month, day = (int(p) for p in iso.split("-"))
    name = next(n for n, m in MONTHS.items() if m == month)
    return f"{day}. {name} {year}"


def genitive(body: str) -> str:
    return body + ("'" if body.endswith(("s", "x", "z")) else "s")


def meeting_phrase(body: str, date: str) -> str:
    """'KKR Nordjyllands møde 28. april 2023'."""
    return f"{genitive(body)} møde {danish_date(date)}"
