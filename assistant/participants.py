"""Attendance questions answered from the structured participants list, complete, not a fragment."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from index.store import StoredChunk

ROLE_WORDS = {
    "afbud": re.compile(r"\b(afbud|fraværende|fravær|ikke til stede|ikke med|ikke mødt|ikke deltog|manglede|"
                        r"udeblev|deltog ikke|mødte ikke)\w*", re.I),
    "suppleant": re.compile(r"\bsuppleant\w*", re.I),
    "kl-udvalgsmedlem": re.compile(r"\bkl-udvalgsmedlem\w*", re.I),
    "deltager": re.compile(r"\b(deltog|deltagere|deltager|til stede|tilstede|mødt|fremmødt)\w*", re.I),
}
ROLE_LABELS = {
    "deltager": "deltog", "afbud": "havde meldt afbud", "kl-udvalgsmedlem": "deltog som KL-udvalgsmedlem",
    "suppleant": "deltog som suppleant",
}


COUNT_WORDS = ("Ingen", "Én", "To", "Tre", "Fire", "Fem", "Seks", "Syv", "Otte", "Ni", "Ti", "Elleve", "Tolv")


def count_word(number: int) -> str:
    """How a Danish sentence starts with a count: 'To', 'Tolv', '14'."""
    return COUNT_WORDS[number] if 0 <= number < len(COUNT_WORDS) else str(number)


@dataclass(frozen=True)
class Person:
    name: str
    party: str | None
    municipality: str | None
    role: str
    note: str | None

    def describe(self) -> str:
        text = self.name + (f" ({self.party})" if self.party else "")
        if self.municipality:
            text += f", {self.municipality}"
        if self.note:
            text += f" – {self.note}"
        return text


def people(chunk: StoredChunk) -> list[Person]:
    extra = json.loads(chunk.metadata.get("extra", "{}") or "{}")
    return [Person(**p) for p in extra.get("participants", [])]


def wanted_role(question: str) -> str:
    for role in ("suppleant", "afbud", "kl-udvalgsmedlem", "deltager"):
        if ROLE_WORDS[role].search(question):
            return role
    return "deltager"


def select(question: str, everyone: list[Person]) -> tuple[str, list[Person], str | None]:
    """The role asked for, the people who match it, and the place or party that narrowed it."""
    role = wanted_role(question)
    if role == "suppleant":
        chosen = [p for p in everyone if p.note and "suppleant" in p.note.lower()]
    elif role == "deltager":
        chosen = [p for p in everyone if p.role in ("deltager", "kl-udvalgsmedlem")]
    else:
        chosen = [p for p in everyone if p.role == role]
    narrowed = None
    places = {p.municipality for p in everyone if p.municipality}
    for place in sorted(places, key=len, reverse=True):
        short = place.replace(" Kommune", "")
        if re.search(rf"\b{re.escape(short)}", question, re.I):
            chosen = [p for p in chosen if p.municipality == place]
            narrowed = place
            break
    party = re.search(r"\(([A-ZÆØÅ])\)|\bparti(?:et)?\s+([A-ZÆØÅ])\b", question)
    if party:
        letter = party.group(1) or party.group(2)
        chosen = [p for p in chosen if p.party == letter]
        narrowed = f"parti {letter}"
    return role, chosen, narrowed


def quote_lines(text: str, chosen: list[Person], role: str) -> list[tuple[int, int]]:
    """Offsets of the source lines that list the chosen people, inside the role's own block."""
    return [(start, end) for start, end, _ in quote_blocks(text, chosen, role)]


BLOCK_HEADING = re.compile(r"^(afbud|fraværende|fravær|kl-udvalgsmedlem\w*|deltagere|til stede|tilstede|"
                           r"mødedeltagere)(?=\s*:|\s*$|\s+[A-ZÆØÅ])", re.I)


def quote_blocks(text: str, chosen: list[Person], role: str) -> list[tuple[int, int, str]]:
    """As quote_lines, with the heading of the block each line stands in ('Afbud', 'Fraværende', 'Deltagere')."""
    lines: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, offset + len(line), line))
        offset += len(line) + 1
    block_role = "deltager"
    block_name = "Deltagere"
    spans: list[tuple[int, int, str]] = []
    remaining = {p.name for p in chosen}
    for start, end, line in lines:
        # the heading may stand alone, before a colon, or before the names on its line ("Afbud Gudrun Ravn")
        opening = BLOCK_HEADING.match(line.strip())
        if opening:
            written, heading = opening.group(1), opening.group(1).lower()
            if heading in ("afbud", "fraværende", "fravær"):
                block_role, block_name = "afbud", written[:1].upper() + written[1:]
            elif heading.startswith("kl-udvalgsmedlem"):
                block_role, block_name = "kl-udvalgsmedlem", written[:1].upper() + written[1:]
            else:
                block_role, block_name = "deltager", written[:1].upper() + written[1:]
        for name in list(remaining):
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", line):
                role_matches = role == block_role or (role in ("deltager", "suppleant") and block_role != "afbud")
                if role_matches:
                    spans.append((start, end, block_name))
                    remaining.discard(name)
    return spans
