"""Section headings: the Danish cue words (Beslutning, Indstilling …), their qualified and dated forms
('Beslutning i Økonomiudvalget den 3. maj', 'Børne- og Skoleudvalgets beslutning den 12.03.2019'), and any
short line that recurs as a heading in several items of the same document, whatever its word."""

from __future__ import annotations

import re
from collections import Counter

from index.dates import all_dates
from index.types import Line

SECTION_KINDS: dict[str, str] = {
    "baggrund": "Baggrund", "sagens baggrund": "Baggrund", "baggrund og formål": "Baggrund",
    "indstilling": "Indstilling", "forvaltningens indstilling": "Indstilling",
    "direktionens indstilling": "Indstilling", "administrationens indstilling": "Indstilling",
    "sekretariatets indstilling": "Indstilling", "indstilling og beslutning": "Indstilling",
    "forslag til beslutning": "Indstilling", "anbefaling": "Indstilling", "administrationen indstiller": "Indstilling",
    "sagsfremstilling": "Sagsfremstilling", "sagsbeskrivelse": "Sagsfremstilling", "sagens indhold": "Sagsfremstilling",
    "supplerende sagsfremstilling": "Sagsfremstilling", "problemstilling": "Sagsfremstilling",
    "fremstilling": "Sagsfremstilling", "redegørelse": "Sagsfremstilling", "sagen": "Sagsfremstilling",
    "beslutning": "Beslutning", "beslutninger": "Beslutning", "udvalgets beslutning": "Beslutning",
    "afgørelse": "Beslutning", "protokol": "Beslutning", "protokollat": "Beslutning", "referat": "Referat",
    "beslutning/referat": "Beslutning", "konklusion": "Beslutning",
    "aftalt": "Beslutning", "besluttet": "Beslutning", "vedtaget": "Beslutning",
    "resume": "Resume", "resumé": "Resume", "sammenfatning": "Resume", "formål": "Resume",
    "sagsforløb": "Sagsforløb", "bilag": "Bilag", "bilagsliste": "Bilag",
    "økonomi": "Økonomi", "økonomiske konsekvenser": "Økonomi", "økonomi og finansiering": "Økonomi",
    "økonomi og organisatoriske konsekvenser": "Økonomi", "økonomiske forhold": "Økonomi",
    "lovgrundlag": "Lovgrundlag", "retsgrundlag": "Lovgrundlag", "lovgivning": "Lovgrundlag",
    "høring": "Høring", "høringssvar": "Høring", "tidsplan": "Tidsplan", "videre proces": "Tidsplan",
    "videre procedure": "Tidsplan", "kommunikation": "Kommunikation", "vurdering": "Vurdering",
    "forvaltningens vurdering": "Vurdering", "administrationens vurdering": "Vurdering",
    "løsning": "Vurdering", "bemærkninger": "Bemærkninger", "sagen afgøres i": "Kompetence",
    "kompetence": "Kompetence", "beslutningskompetence": "Kompetence",
}
_NAMES = "|".join(sorted((re.escape(k) for k in SECTION_KINDS), key=len, reverse=True))
# 'Beslutning i Byrådet den 28. marts 2023', 'Indstilling fra direktionen', 'Beslutning: Godkendt.'
QUALIFIED = re.compile(
    rf"^(?P<name>(?:{_NAMES})(?:\s+(?:i|fra|den|på|af)\s+[^:]{{2,80}})?)\s*(?::\s*(?P<rest>.*))?$", re.I
)
# 'Børne- og Skoleudvalgets beslutning den 12.03.2019', 'Regionsrådets beslutning', 'Udvalgets indstilling'
GENITIVE = re.compile(
    r"^(?P<name>[A-ZÆØÅ][\wæøå.,()/ -]{1,80}?s\s+(?P<word>beslutning|afgørelse|indstilling|bemærkninger|behandling)"
    r"(?:\s+(?:den|på mødet|af)\s+[^:]{2,40})?)\s*(?::\s*(?P<rest>.*))?$"
)
GENITIVE_KINDS = {"beslutning": "Beslutning", "afgørelse": "Beslutning", "behandling": "Beslutning",
                  "indstilling": "Indstilling", "bemærkninger": "Bemærkninger"}
# 'Beslutning Byrådet 10-06-2025', 'Beslutning Teknik- og Miljøudvalget den 02-09-2025': the body follows the word
# directly; it must name a body or a date, so that 'Beslutning Godkendt' stays a decision with its text
BODY_AFTER = re.compile(
    r"^(?P<name>(?P<word>beslutning|indstilling|afgørelse)\s+(?P<who>[A-ZÆØÅ][^:]{2,80}?))\s*(?::\s*(?P<rest>.*))?$",
    re.I)
BODY_OR_DATE = re.compile(r"(udvalg|råd(et)?\b|bestyrelse|kommunalbestyrelse|\bKKR\b|forum|"
                          r"\d{1,2}[.-]\d{1,2}[.-]\d{2,4}|\d{1,2}\.\s*[a-zæøå]+\s+\d{4})", re.I)
DECISION_WORDS = re.compile(r"^(godkend|anbefal|vedta|tiltr|taget til|udsat|afvist|ikke godkend|oversend|tilbage)",
                            re.I)


def section_heading(text: str) -> tuple[str, str, str] | None:
    """(name, kind, inline rest) when the line is a section heading by its words."""
    stripped = text.strip()
    match = QUALIFIED.match(stripped)
    if match:
        name = match.group("name").strip()
        rest = (match.group("rest") or "").strip()
        if (not rest and len(stripped) > 90) or name[0].islower():
            return None
        base = name.lower()
        key = base if base in SECTION_KINDS else re.match(rf"^({_NAMES})\b", base).group(1)
        return name, SECTION_KINDS[key], rest
    match = BODY_AFTER.match(stripped)
    if match and len(stripped) <= 110 and BODY_OR_DATE.search(match.group("who")) and not match.group("rest"):
        return match.group("name").strip(), SECTION_KINDS[match.group("word").lower()], ""
    match = GENITIVE.match(stripped)
    if match and len(stripped) <= 110:
        rest = (match.group("rest") or "").strip()
        return match.group("name").strip(), GENITIVE_KINDS[match.group("word").lower()], rest
    return None


def heading_date(name: str) -> str | None:
    """The date a dated heading names ('… den 10-04-2013' → '2013-04-10')."""
    dates = all_dates(name)
    return dates[-1] if dates else None


def looks_like_heading(text: str) -> bool:
    """Short, capitalised, no sentence end, not a list or number line: the shape of a heading."""
    stripped = text.strip().rstrip(":")
    words = stripped.split()
    return (
        ":" not in stripped  # 'Sagsbehandler: Helle Wissing' is a field and its value
        and 1 <= len(words) <= 5 and len(stripped) <= 45 and stripped[:1].isupper()
        and not stripped.endswith((".", ","))
        and not re.match(r"^[\d(•–-]", stripped) and not DECISION_WORDS.match(stripped)
        and not re.search(r"\d", stripped)
    )


def recurring_headings(items_lines: list[list[Line]]) -> set[str]:
    """Lines that stand as a heading-shaped line in several items: section headings of this document."""
    if len(items_lines) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in items_lines:
        shapes = set()
        for index, line in enumerate(lines[:-1]):
            if looks_like_heading(line.text) and lines[index + 1].text.strip():
                shapes.add(line.text.strip().rstrip(":").casefold())
        seen.update(shapes)
    needed = max(2, int(0.4 * len(items_lines) + 0.999))
    return {shape for shape, count in seen.items() if count >= needed}
