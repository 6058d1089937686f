"""What an answer is: the text a member reads and the citations a staff member checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    case: str | None
    item: str
    title: str
    section: str
    page: int
    meeting: str
    date: str
    source: str
    quote: str
    score: float
    meeting_id: str = ""
    # what the reader could not do with the file: "side 3 kunne ikke læses", "filen var beskadiget og er repareret"
    notice: str | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("meeting_id")
        if not self.notice:
            data.pop("notice")
        return data

    def as_text(self) -> str:
        """'KKR Nordjylland, 28.04.2023, punkt 2.5, SAG-2023-01519, Beslutning, s. 15'"""
        date = ".".join(reversed(self.date.split("-"))) if self.date else "uden dato"
        parts = [self.meeting, date, f"punkt {self.item}" if self.item != "deltagere" else "deltagerliste"]
        if self.case:
            parts.append(self.case)
        parts.extend([self.section, f"s. {self.page}"])
        return ", ".join(parts)


@dataclass(frozen=True)
class RetrievedItem:
    item: str
    case: str | None
    meeting: str
    date: str
    source: str
    score: float
    title: str = ""
    meeting_id: str = ""

    def to_json(self) -> dict:
        return {"item": self.item, "case": self.case, "meeting": self.meeting, "date": self.date,
                "source": self.source, "score": self.score, "title": self.title}


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    found: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[RetrievedItem, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str | None = None
    maybe_relevant: tuple[RetrievedItem, ...] = ()

    def to_json(self) -> dict:
        data = {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [r.to_json() for r in self.retrieved],
            "timings_ms": self.timings_ms,
        }
        if self.notice:
            data["notice"] = self.notice
        if self.maybe_relevant:
            data["maybe_relevant"] = [r.to_json() for r in self.maybe_relevant]
        return data
