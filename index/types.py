"""Typed records that flow one way: file → Meeting → Chunk."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field

PARTICIPANTS_ITEM = "deltagere"


@dataclass(frozen=True)
class Line:
    """One cleaned line of the source and the page it stands on.

    ``size`` and ``bold`` are the line's typography where the format has it (PDF), ``level`` a heading level
    the document declares itself (HTML h1–h6, DOCX heading styles); 0 means unknown or body text.
    """

    text: str
    page: int
    size: float = 0.0
    bold: bool = False
    level: int = 0


@dataclass(frozen=True)
class Section:
    """A headed part of an agenda item, e.g. Baggrund or Beslutning.

    ``name`` is the heading as written ("Beslutning i Økonomiudvalget den 3. maj"),
    ``kind`` its canonical form ("Beslutning"), ``page_marks`` the character offsets in
    ``text`` where a new page begins, so a quote can be placed on its own page.
    """

    name: str
    kind: str
    text: str
    pages: tuple[int, int]
    page_marks: tuple[tuple[int, int], ...] = ()
    heading: str = ""
    date: str | None = None

    def page_at(self, offset: int) -> int:
        if not self.page_marks:
            return self.pages[0]
        starts = [start for start, _ in self.page_marks]
        index = bisect.bisect_right(starts, offset) - 1
        return self.page_marks[max(index, 0)][1]


@dataclass(frozen=True)
class Participant:
    name: str
    party: str | None
    municipality: str | None
    role: str
    note: str | None = None


@dataclass(frozen=True)
class Signature:
    """Who signed the minutes (an e-signature page), when (ISO date) and as what, where the page says."""

    name: str
    date: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class AgendaItem:
    number: str
    title: str
    cases: tuple[str, ...]
    pages: tuple[int, int]
    sections: tuple[Section, ...]
    attachments: tuple[str, ...] = ()
    group: str | None = None
    case_line: str | None = None
    heading: str = ""
    access: str = "åben"

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sections)


@dataclass(frozen=True)
class Meeting:
    source: str
    sha256: str
    body: str
    date: str | None
    pages: int
    participants: tuple[Participant, ...]
    items: tuple[AgendaItem, ...]
    participants_section: Section | None = None
    front_matter: str = ""
    warnings: tuple[str, ...] = field(default=())
    place: str | None = None
    time: str | None = None
    signatures: tuple[Signature, ...] = ()
    # a scanned file after OCR: the searchable PDF kept as the original, and the pages whose text OCR read
    ocr_pdf: bytes | None = field(default=None, repr=False, compare=False)
    ocr_pages: tuple[int, ...] = ()

    @property
    def id(self) -> str:
        return self.sha256[:16]

    def item(self, number: str) -> AgendaItem | None:
        return next((i for i in self.items if i.number == number), None)

    def to_json(self) -> dict:
        """The ``referat parse --json`` contract."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "body": self.body,
            "date": self.date,
            "time": self.time,
            "place": self.place,
            "pages": self.pages,
            "participants": [asdict(p) for p in self.participants],
            "items": [
                {
                    "number": i.number,
                    "title": i.title,
                    "group": i.group,
                    "cases": list(i.cases),
                    "pages": list(i.pages),
                    "attachments": list(i.attachments),
                    "access": i.access,
                    "sections": [
                        {"name": s.name, "kind": s.kind, "text": s.text, "pages": list(s.pages),
                         **({"date": s.date} if s.date else {})}
                        for s in i.sections
                    ],
                }
                for i in self.items
            ],
            "warnings": list(self.warnings),
            "signatures": [asdict(s) for s in self.signatures],
        }
