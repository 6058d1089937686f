"""Turn a Meeting into chunks: one per agenda item when it fits, else along sections and paragraphs."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from index.cases import case_keys
from index.types import PARTICIPANTS_ITEM, AgendaItem, Meeting, Section

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9–\"»])")


@dataclass(frozen=True)
class SectionSpan:
    """Where one section's text stands inside a chunk, with the pages inside it."""

    name: str
    kind: str
    start: int
    end: int
    page_marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Chunk:
    id: str
    meeting_id: str
    text: str
    item: str
    title: str
    cases: tuple[str, ...]
    pages: tuple[int, int]
    spans: tuple[SectionSpan, ...]
    body: str
    date: str | None
    source: str
    sha256: str
    model: str
    extra: dict = field(default_factory=dict)
    position: int = 0
    access: str = "åben"

    @property
    def section(self) -> str:
        kinds = {s.kind for s in self.spans}
        return kinds.pop() if len(kinds) == 1 else ""

    def metadata(self) -> dict:
        """Metadata for Chroma: every field a later stage needs, nothing it must re-derive.

        ``case_keys`` (the normalised case numbers, or a plan number of the title) is the only list: a case
        history is then one ``$contains`` filter. Chroma takes no empty list, so an item without keys has none.
        """
        keys = case_keys(self.title, self.cases) if self.item != PARTICIPANTS_ITEM else []
        return {
            "meeting_id": self.meeting_id, "item": self.item, "title": self.title,
            "cases": "|".join(self.cases), "section": self.section,
            "page_start": self.pages[0], "page_end": self.pages[1],
            "spans": json.dumps([asdict(s) for s in self.spans], ensure_ascii=False),
            "body": self.body, "date": self.date or "", "source": self.source, "sha256": self.sha256,
            "model": self.model, "extra": json.dumps(self.extra, ensure_ascii=False), "position": self.position,
            "access": self.access, **({"case_keys": keys} if keys else {}),
        }


def heading_line(number: str, title: str, cases: tuple[str, ...]) -> str:
    label = "Deltagere" if number == PARTICIPANTS_ITEM else f"Punkt {number}: {title}"
    return f"{label} ({', '.join(cases)})" if cases else label


def _words(text: str) -> int:
    return len(text.split())


def _pieces(section: Section, max_words: int) -> list[tuple[int, int]]:
    """Split a section's text into (start, end) spans of at most ~max_words, on paragraph then sentence bounds."""
    units: list[tuple[int, int]] = []
    offset = 0
    for paragraph in section.text.split("\n"):
        if _words(paragraph) <= max_words:
            units.append((offset, offset + len(paragraph)))
        else:
            start = offset
            for match in SENTENCE_END.finditer(paragraph):
                units.append((start, offset + match.start()))
                start = offset + match.end()
            units.append((start, offset + len(paragraph)))
        offset += len(paragraph) + 1
    pieces: list[tuple[int, int]] = []
    for start, end in units:
        if pieces and _words(section.text[pieces[-1][0] : end]) <= max_words:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    return [p for p in pieces if section.text[p[0] : p[1]].strip()]


def _marks_within(section: Section, start: int, end: int, shift: int) -> tuple[tuple[int, int], ...]:
    marks = [(shift, section.page_at(start))]
    for offset, page in section.page_marks:
        if start < offset < end and page != marks[-1][1]:
            marks.append((shift + offset - start, page))
    return tuple(marks)


def _build(meeting: Meeting, item: AgendaItem, parts: list[tuple[Section, int, int]], model: str,
           index: int, extra: dict | None = None) -> Chunk:
    text = heading_line(item.number, item.title, item.cases)
    spans: list[SectionSpan] = []
    for section, start, end in parts:
        body = section.text[start:end]
        text += f"\n{section.name}\n"
        spans.append(SectionSpan(section.name, section.kind, len(text), len(text) + len(body),
                                 _marks_within(section, start, end, len(text))))
        text += body
    pages = [p for s in spans for _, p in s.page_marks] or [item.pages[0]]
    digest = hashlib.sha256(f"{model}\x00{meeting.sha256}\x00{item.number}\x00{index}\x00{text}".encode()).hexdigest()
    return Chunk(
        id=digest[:32], meeting_id=meeting.id, text=text, item=item.number, title=item.title, cases=item.cases,
        pages=(min(pages), max(pages)), spans=tuple(spans), body=meeting.body, date=meeting.date,
        source=meeting.source, sha256=meeting.sha256, model=model, extra=extra or {}, access=item.access,
    )


def _participants_item(meeting: Meeting) -> AgendaItem | None:
    if meeting.participants_section is None or not meeting.participants_section.text.strip():
        return None
    section = meeting.participants_section
    # who attended is as open as the file itself: a file ingested as 'intern' keeps its attendance internal too
    return AgendaItem(number=PARTICIPANTS_ITEM, title="Deltagere og afbud", cases=(), pages=section.pages,
                      sections=(section,), access=meeting.access)


def chunk_meeting(meeting: Meeting, model: str, fits: Callable[[str], bool], max_words: int = 130) -> list[Chunk]:
    """Chunks for every agenda item and for the participants block.

    ``fits`` tells whether a text fits the embedding model's window; an item that fits and is not far
    above ``max_words`` stays whole, so its sections are seen together.
    """
    chunks: list[Chunk] = []
    participants = _participants_item(meeting)
    items = ([participants] if participants else []) + list(meeting.items)
    for item in items:
        extra = {}
        if item.number == PARTICIPANTS_ITEM:
            extra = {"participants": [asdict(p) for p in meeting.participants]}
        whole = [(s, 0, len(s.text)) for s in item.sections]
        candidate = _build(meeting, item, whole, model, 0, extra)
        if item.number == PARTICIPANTS_ITEM or (
            _words(item.text) <= max_words * 1.5 and fits(candidate.text)
        ):
            chunks.append(candidate)
            continue
        # small neighbouring sections ("Beslutning: Godkendt.") share a chunk instead of standing alone
        packs: list[list[tuple[Section, int, int]]] = []
        for section in item.sections:
            for start, end in _pieces(section, max_words):
                size = _words(section.text[start:end])
                if packs and sum(_words(s.text[a:b]) for s, a, b in packs[-1]) + size <= max_words:
                    packs[-1].append((section, start, end))
                else:
                    packs.append([(section, start, end)])
        chunks.extend(_build(meeting, item, pack, model, index, extra) for index, pack in enumerate(packs))
    return [replace(chunk, position=position) for position, chunk in enumerate(chunks)]
