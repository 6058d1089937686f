"""Find agenda items, case numbers and section headings in cleaned lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.types import Line

ITEM_HEADING = re.compile(
    r"^(?:(?:Punkt|Pkt\.)\s+(?P<n1>\d{1,3}(?:\.\d{1,3})*)\s*[.:)\-–]?\s*(?P<t1>.*)"
    r"|(?P<n2>\d{1,3}(?:\.\d{1,3})*)(?P<sep>\.|\))\s+(?P<t2>[A-ZÆØÅ0-9\"”»«(].*))$"
)
CASE_PATTERNS = (
    re.compile(r"\b(SAG-\d{4}-\d{3,7})\b"),
    re.compile(
        r"(?:Sagsnr|Sags nr|Sagsnummer|Sag nr|J\.\s?nr|Journalnr|Acadre-?sagsnr|Sag)\.?\s*:\s*"
        r"(?P<c>[\w./-]*\d[\w./-]*)",
        re.I,
    ),
)
SECTION_KINDS: dict[str, str] = {
    "baggrund": "Baggrund", "sagens baggrund": "Baggrund",
    "indstilling": "Indstilling", "forvaltningens indstilling": "Indstilling",
    "direktionens indstilling": "Indstilling", "administrationens indstilling": "Indstilling",
    "sekretariatets indstilling": "Indstilling",
    "sagsfremstilling": "Sagsfremstilling", "sagsbeskrivelse": "Sagsfremstilling",
    "sagens indhold": "Sagsfremstilling", "supplerende sagsfremstilling": "Sagsfremstilling",
    "beslutning": "Beslutning", "udvalgets beslutning": "Beslutning", "afgørelse": "Beslutning",
    "resume": "Resume", "resumé": "Resume", "sagsforløb": "Sagsforløb", "bilag": "Bilag",
    "økonomi": "Økonomi", "økonomiske konsekvenser": "Økonomi", "lovgrundlag": "Lovgrundlag",
    "høring": "Høring", "tidsplan": "Tidsplan", "kommunikation": "Kommunikation",
    "vurdering": "Vurdering", "forvaltningens vurdering": "Vurdering",
    "retsgrundlag": "Lovgrundlag", "bemærkninger": "Bemærkninger", "protokol": "Beslutning",
}
_NAMES = "|".join(sorted((re.escape(k) for k in SECTION_KINDS), key=len, reverse=True))
SECTION_HEADING = re.compile(
    rf"^(?P<name>(?:{_NAMES})(?:\s+(?:i|fra|den|på)\s+[^:]{{2,80}})?)\s*(?::\s*(?P<rest>.*))?$", re.I
)
HEADER_ZONE = 6


@dataclass
class RawSection:
    name: str
    kind: str
    page: int
    lines: list[Line] = field(default_factory=list)
    heading: str = ""


@dataclass
class RawItem:
    number: str
    title: str
    heading_page: int
    group: str | None = None
    heading: str = ""
    cases: list[str] = field(default_factory=list)
    case_line: str | None = None
    sections: list[RawSection] = field(default_factory=list)


@dataclass
class Structure:
    front: list[Line]
    items: list[RawItem]


def section_heading(text: str) -> tuple[str, str, str] | None:
    """Return (name, kind, inline rest) when the line is a section heading."""
    match = SECTION_HEADING.match(text.strip())
    if not match:
        return None
    name = match.group("name").strip()
    rest = (match.group("rest") or "").strip()
    if not rest and len(text) > 90:
        return None
    if name[0].islower():
        return None
    base = name.lower()
    qualified = re.match(rf"^({_NAMES})\b", base)
    if base in SECTION_KINDS:
        kind = SECTION_KINDS[base]
    elif qualified:
        kind = SECTION_KINDS[qualified.group(1)]
    else:
        return None
    return name, kind, rest


def find_cases(text: str) -> list[str]:
    found: list[str] = []
    for pattern in CASE_PATTERNS:
        for match in pattern.finditer(text):
            value = match.group("c") if "c" in pattern.groupindex else match.group(1)
            value = value.rstrip(".,")
            if value not in found:
                found.append(value)
    return found


def _is_case_line(text: str) -> bool:
    return bool(find_cases(text)) and len(text) <= 90


def _number(text: str) -> tuple[str, str, bool] | None:
    match = ITEM_HEADING.match(text)
    if not match:
        return None
    explicit = match.group("n1") is not None
    number = match.group("n1") or match.group("n2")
    title = (match.group("t1") if explicit else match.group("t2")) or ""
    return number, title.strip(), explicit


def _key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


def _confirmed(lines: list[Line], start: int) -> bool:
    for line in lines[start + 1 : start + 1 + HEADER_ZONE]:
        if _is_case_line(line.text) or section_heading(line.text):
            return True
        if _number(line.text):
            return False
    return False


def split_items(lines: list[Line]) -> Structure:
    """Split lines into front matter and agenda items with their sections."""
    candidates = [(_number(ln.text), i) for i, ln in enumerate(lines)]
    multilevel = any(c and "." in c[0] and _confirmed(lines, i) for c, i in candidates)
    items: list[RawItem] = []
    front: list[Line] = []
    group: str | None = None
    last_key: tuple[int, ...] = ()
    i = 0
    while i < len(lines):
        line = lines[i]
        parsed = _number(line.text)
        if parsed:
            number, title, explicit = parsed
            key = _key(number)
            next_parsed = _number(lines[i + 1].text) if i + 1 < len(lines) else None
            is_group = (
                multilevel and "." not in number and next_parsed is not None
                and next_parsed[0].startswith(number + ".") and key > last_key[:1]
            )
            if is_group:
                group = line.text
                i += 1
                continue
            wanted_level = ("." in number) if multilevel else True
            if wanted_level and key > last_key and (explicit or _confirmed(lines, i)):
                item, i = _read_heading(lines, i, number, title, group)
                items.append(item)
                last_key = key
                continue
        if items:
            _append_text(items[-1], line)
        else:
            front.append(line)
        i += 1
    return Structure(front, items)


def _read_heading(lines: list[Line], i: int, number: str, title: str, group: str | None) -> tuple[RawItem, int]:
    item = RawItem(number=number, title=title, heading_page=lines[i].page, group=group, heading=lines[i].text)
    i += 1
    title_lines = 0
    while i < len(lines):
        text = lines[i].text
        if section_heading(text) or _number(text):
            break
        if _is_case_line(text):
            item.cases.extend(c for c in find_cases(text) if c not in item.cases)
            item.case_line = text if item.case_line is None else f"{item.case_line}\n{text}"
            i += 1
            continue
        wraps = not item.title.endswith((".", ":", "!", "?")) and not text.endswith(".")
        if item.cases or title_lines >= 2 or not wraps:
            break
        item.title = f"{item.title} {text}".strip()
        title_lines += 1
        i += 1
    return item, i


def _append_text(item: RawItem, line: Line) -> None:
    heading = section_heading(line.text)
    if heading:
        name, kind, rest = heading
        item.sections.append(RawSection(name, kind, line.page, heading=line.text))
        if rest:
            item.sections[-1].lines.append(Line(rest, line.page))
        return
    if not item.sections:
        item.sections.append(RawSection("Tekst", "Tekst", line.page))
    item.sections[-1].lines.append(line)
