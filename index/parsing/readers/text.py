"""Plain text minutes: UTF-8, pages split on form feed, or after the page counters a PDF's text export kept
('Side 3 af 11') where it has no form feeds."""

from __future__ import annotations

from pathlib import Path

from index.errors import MinutesError
from index.parsing.cleaning import EXPLICIT_COUNTER
from index.parsing.document import Document
from index.types import Line


def decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise MinutesError(path, "filen indeholder NUL-bytes og er ikke en tekstfil")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MinutesError(path, f"teksten er ikke UTF-8 (ugyldig byte ved position {exc.start})") from exc


def read_text(path: Path, data: bytes) -> Document:
    text = decode(path, data)
    parts = text.split("\f") if "\f" in text else _counted_pages(text)
    pages = [[Line(line, number) for line in page.splitlines()] for number, page in enumerate(parts, start=1)]
    return Document(path, "text", pages)


def _counted_pages(text: str) -> list[str]:
    """Pages ending in 'Side 1 af 9', 'Side 2 af 9' …: a counter that runs 1, 2, 3 closes each page."""
    lines = text.splitlines()
    counters = [(i, int(m.group("page"))) for i, line in enumerate(lines)
                if (m := EXPLICIT_COUNTER.match(line.strip()))]
    if len(counters) < 2 or [n for _, n in counters] != list(range(1, len(counters) + 1)):
        return [text]
    pages, start = [], 0
    for index, _ in counters:
        pages.append("\n".join(lines[start:index + 1]))
        start = index + 1
    rest = "\n".join(lines[start:])
    if rest.strip():
        pages.append(rest)
    return pages
