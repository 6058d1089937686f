"""Rebuild an item's sections from its stored chunks and cut them into quotable sentences."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass

from index.store import StoredChunk

# A sentence ends at . ! ? followed by space and a capital, digit or dash, except after
# common Danish abbreviations and inside dates ("28. april"), amounts ("1.000") and "kl. 8".
ABBREVIATIONS = {
    "bl.a", "f.eks", "fx", "jf", "ca", "kr", "mio", "mia", "nr", "pkt", "stk", "d", "dvs", "ift", "ifm", "mht",
    "vedr", "evt", "pr", "inkl", "ekskl", "kl", "m.v", "mv", "m.fl", "tlf", "hhv", "iht", "osv", "pga", "sml", "st",
}
MONTH_ABBREVIATIONS = {"jan", "feb", "febr", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec"}
UNIT_ABBREVIATIONS = {"kr", "mio", "mia", "stk", "m.v", "mv", "osv", "m.fl", "mfl"}
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9–\-\"»“(])|\n")


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str
    kind: str
    page: int
    chunk_id: str
    start: int
    end: int
    position: int


@dataclass(frozen=True)
class SectionText:
    name: str
    kind: str
    text: str
    page: int
    sentences: tuple[Sentence, ...]


def _abbreviation_before(text: str, index: int) -> bool:
    head = text[:index].rstrip()
    if not head.endswith("."):
        return False
    word = re.search(r"([\w.]+)\.$", head)
    if not word:
        return False
    token = word.group(1).lower()
    if token in UNIT_ABBREVIATIONS:
        # "… 64.901 kr. I bilag …": after a unit a capital starts a new sentence; "kr. til" does not
        return not re.match(r"\s*[A-ZÆØÅ]", text[index:])
    if token in ABBREVIATIONS:
        return True
    if token in MONTH_ABBREVIATIONS and re.match(r"\s*\d", text[index:]):
        # "Okt. 2012: aktiviteter defineres", "d. 3. sept. 2024": a shortened month before its year or day
        return True
    if re.fullmatch(r"[A-ZÆØÅ]", word.group(1)) and _initial_after_name(head[: -len(word.group(0))]):
        # "John T. Olsen": a middle initial between names, not the end of a sentence
        return True
    # "den 28. april", "d. 20. april": a day number before a month is not a sentence end
    return bool(re.fullmatch(r"\d{1,2}", token)) and bool(
        re.match(r"\s*(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)",
                 text[index:], re.I))


# a letter naming a part, not a person's initial: "bilag B. Udvalget …", "etape A. Den …"
LETTERED = {"bilag", "punkt", "afsnit", "side", "kapitel", "fase", "etape", "model", "scenarie", "variant", "type",
            "område", "delområde", "kategori", "niveau", "spor", "lokalplan", "pulje", "gruppe", "skema", "pkt"}


def _initial_after_name(head: str) -> bool:
    previous = re.search(r"([A-ZÆØÅ][\wæøå-]+)\s*$", head)
    return bool(previous) and previous.group(1).lower() not in LETTERED


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences in ``text``; list lines are sentences of their own."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        if match.group(0) != "\n" and _abbreviation_before(text, match.start()):
            continue
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if e > s]


def _page_at(marks: list[list[int]], offset: int) -> int:
    starts = [m[0] for m in marks]
    index = max(bisect.bisect_right(starts, offset) - 1, 0)
    return marks[index][1]


def sentences_of(chunk: StoredChunk) -> list[Sentence]:
    """Every sentence of every section span of a stored chunk, with its own page."""
    spans = json.loads(chunk.metadata.get("spans", "[]"))
    position = int(chunk.metadata.get("position", 0))
    out: list[Sentence] = []
    for span in spans:
        body = chunk.text[span["start"] : span["end"]]
        marks = span["page_marks"] or [[span["start"], int(chunk.metadata.get("page_start", 0))]]
        for start, end in split_sentences(body):
            absolute = span["start"] + start
            out.append(Sentence(
                text=body[start:end].strip(), section=span["name"], kind=span["kind"],
                page=_page_at(marks, absolute), chunk_id=chunk.id, start=absolute, end=span["start"] + end,
                position=position,
            ))
    return out


def sections_of(chunks: list[StoredChunk]) -> list[SectionText]:
    """The item's sections in order, joined again across chunk boundaries."""
    sections: list[SectionText] = []
    for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("position", 0))):
        sentences = sentences_of(chunk)
        for span in json.loads(chunk.metadata.get("spans", "[]")):
            body = chunk.text[span["start"] : span["end"]]
            own = tuple(s for s in sentences if span["start"] <= s.start < span["end"])
            page = own[0].page if own else int(chunk.metadata.get("page_start", 0))
            if sections and sections[-1].name == span["name"] and sections[-1].kind == span["kind"]:
                last = sections[-1]
                joiner = "\n" if not last.text.endswith("\n") else ""
                sections[-1] = SectionText(last.name, last.kind, last.text + joiner + body, last.page,
                                           last.sentences + own)
            else:
                sections.append(SectionText(span["name"], span["kind"], body, page, own))
    return sections
