"""Case numbers in the formats Danish ESDH systems print: labelled or of the letters-year-number shape."""

from __future__ import annotations

import re
from dataclasses import replace

from index.types import Line

# SAG-2023-01519, EMN-2024-001234: an ESDH prefix, the year and a serial
PREFIXED_CASE = re.compile(r"\b([A-ZÆØÅ]{2,5}-(?:19|20)\d{2}-\d{3,8})\b")
# the labels a case number stands after
LABEL_WORDS = r"Sagsnr|Sags\s?nr|Sagsnummer|Sag\s?nr|Sags-?id|J\.\s?nr|Journalnr|Journalnummer"
CASE_LABEL = re.compile(
    rf"(?:{LABEL_WORDS}|Acadre-?sagsnr|Emnenr|ESDH-?nr|\bSag)\.?(?:\s*/\s*Dok\.?\s*nr\.?)?\s*[:.]\s*(?P<values>.+)$",
    re.I,
)
CASE_VALUE = re.compile(r"[\w./-]*\d[\w./-]*")


def find_cases(text: str) -> list[str]:
    """Every case number in ``text``; after a 'Sagsnr./Dok.nr.' label only the first value is the case."""
    found: list[str] = []
    for match in PREFIXED_CASE.finditer(text):
        found.append(match.group(1))
    label = CASE_LABEL.search(text)
    if label:
        values = label.group("values")
        first = CASE_VALUE.search(values)
        if first:
            found.append(first.group(0).rstrip(".,"))
    unique: list[str] = []
    for value in found:
        if value not in unique and len(value) >= 4 and not re.fullmatch(r"\d{1,2}[./]\d{1,2}", value):
            unique.append(value)
    return unique


def is_case_line(text: str) -> bool:
    """A short line that is there to give the case number."""
    if len(text) > 110:
        return False
    label = CASE_LABEL.search(text.strip())
    if label and (label.start() == 0 or len(text) <= 90):
        return bool(find_cases(text))
    match = PREFIXED_CASE.search(text)
    return bool(match) and len(text.replace(match.group(1), "").strip(" :.,-–()")) <= 25


LABEL_ONLY = re.compile(rf"^(?:{LABEL_WORDS})\.?\s*:?$", re.I)


def join_case_labels(lines: list[Line]) -> list[Line]:
    """A label on its own line and the number on the next, as a web page's heading and paragraph give them
    ('Sagsnr.' / '25/00112'): one case line."""
    out: list[Line] = []
    position = 0
    while position < len(lines):
        current = lines[position]
        value = lines[position + 1].text.strip() if position + 1 < len(lines) else ""
        if LABEL_ONLY.match(current.text.strip()) and value and len(value) <= 40 and CASE_VALUE.fullmatch(
                value.split()[0].rstrip(".,")):
            out.append(replace(current, text=f"{current.text.strip().rstrip(':')}: {value}", bold=False, level=0))
            position += 2
            continue
        out.append(current)
        position += 1
    return out
