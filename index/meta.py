"""Find the issuing body and the meeting date of a minutes document."""

from __future__ import annotations

import re
from pathlib import Path

from index.cleaning import despace

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
DANISH_DATE = re.compile(rf"\b(\d{{1,2}})\.\s*({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.I)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
BODY_PATTERNS = (
    re.compile(r"\bKKR\s+[A-ZÆØÅ][a-zæøå]+(?:\s*-\s*[A-ZÆØÅ][a-zæøå]+)?"),
    re.compile(r"\b[A-ZÆØÅ][\wæøå-]+\s+(?:Byråd|Kommunalbestyrelse|Regionsråd)\b"),
    re.compile(r"\b(?:Byrådet|Kommunalbestyrelsen|Regionsrådet|Borgerrepræsentationen)(?:\s+i\s+[A-ZÆØÅ]\w+)?"),
    re.compile(r"\b[A-ZÆØÅ][\wæøå-]*(?:-\s+og\s+[A-ZÆØÅ]?[\wæøå-]*)?udvalget\b"),
)


def iso_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601, or None."""
    found: list[tuple[int, str]] = []
    for match in DANISH_DATE.finditer(text):
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
        found.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    for match in NUMERIC_DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    for match in ISO_DATE.finditer(text):
        found.append((match.start(), match.group(0)))
    return min(found)[1] if found else None


BODY_WORD = re.compile(r"(udvalg|byråd|kommunalbestyrelse|\bKKR\b|råd\b|rådet\b|bestyrelse|borgerrepræsentation)", re.I)


def find_body(header_lines: list[str], title_lines: list[str], text: str, path: Path) -> str:
    """The issuing body: from the running header when there is one, in the casing the text uses."""
    for raw in header_lines:
        candidate = re.sub(r"\s+", " ", despace(raw)).strip()
        if not candidate or iso_date(candidate) or re.search(r"\d", candidate):
            continue
        proper = re.search(re.escape(candidate), text, re.I)
        if proper:
            return proper.group(0)
        if len(candidate) <= 60:
            return candidate.title() if candidate.isupper() else candidate
    for line in title_lines[:3]:
        candidate = line.strip()
        if BODY_WORD.search(candidate) and len(candidate) <= 60 and not re.search(r"\d", candidate):
            return candidate
    for pattern in BODY_PATTERNS:
        match = pattern.search(text[:4000]) or pattern.search(text)
        if match:
            body = re.sub(r"\s+", " ", match.group(0))
            # "KKR Nordjyllands møde" is the genitive of the body's name
            if body.endswith("s") and re.search(rf"\b{re.escape(body[:-1])}\b(?!s)", text):
                return body[:-1]
            return body
    return path.stem


def find_date(header_lines: list[str], text: str, path: Path) -> str | None:
    return iso_date(" ".join(header_lines)) or iso_date(text[:3000]) or iso_date(path.stem) or iso_date(text)
