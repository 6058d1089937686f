"""Case history: the items of different meetings about the same matter, oldest treatment first.

Items are linked by their case number, compared in a normalised form (labels such as ``Sagsnr.:`` dropped,
upper case, no stray whitespace; different numbering systems are never merged), and where an item has no
case number by a plan or project number in its title (``Lokalplan 1221``). Every chunk carries its keys in the
metadata list ``case_keys``, so a history is one Chroma filter; chunks written before that key existed are
found through the case number in their text (the heading line every chunk begins with).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.access import may_see
from index.dates import all_dates

if TYPE_CHECKING:  # index.store imports index.chunking, which imports this module
    from index.store import MeetingRecord, StoredChunk

# 'Sagsnr.:', 'Sagsnr./Dok.nr.:', 'J.nr.', 'Sag:' in front of the number a user pasted
LABEL = re.compile(
    r"^\s*(?:Sagsnr|Sags\s?nr|Sagsnummer|Sag\s?nr|Sags-?id|J\.\s?nr|Journalnr|Journalnummer|Acadre-?sagsnr|"
    r"Emnenr|ESDH-?nr|Sag)\.?(?:\s*/\s*Dok\.?\s*nr\.?)?\s*[:.]?\s+(?=\S*\d)",
    re.I,
)
# a plan or project that a title names: 'Lokalplan 1221', 'Forslag til lokalplan nr. 1221', 'Kommuneplantillæg 14'
PLAN = re.compile(
    r"\b(lokalplan|lokalplanforslag|kommuneplantillæg|kommuneplanstillæg|projekt|helhedsplan|"
    r"delområdeplan|byplanvedtægt|spildevandsplan)\s+(?:nr\.?\s*)?(\d+(?:[.-]\d+)*[a-zæøå]?)\b",
    re.I,
)
PLAN_WORDS = {"lokalplanforslag": "LOKALPLAN", "kommuneplanstillæg": "KOMMUNEPLANTILLÆG"}
DECISION = "Beslutning"
CLOSED = "lukket"


def _plan_key(text: str) -> str | None:
    match = PLAN.search(text)
    if not match:
        return None
    word = match.group(1).upper()
    return f"{PLAN_WORDS.get(word.lower(), word)} {match.group(2).upper()}"


def normalise_case(text: str) -> str:
    """The form case numbers are compared in: label dropped, upper case, whitespace gone around separators.

    ``'Sagsnr.: 12/27845'`` → ``'12/27845'``, ``'sag-2023-01519'`` → ``'SAG-2023-01519'``,
    ``'Lokalplan nr. 1221'`` → ``'LOKALPLAN 1221'``. ``24-009396`` and ``24/009396`` stay different.
    """
    stripped = " ".join(text.split())
    plan = _plan_key(stripped)
    if plan:
        return plan
    stripped = LABEL.sub("", stripped)
    stripped = re.sub(r"\s*([-/.])\s*", r"\1", stripped).strip(" .,:;")
    return stripped.upper()


def case_keys(title: str, cases: Iterable[str]) -> list[str]:
    """The keys an item is linked by: its case numbers first, then a plan or project number in its title.

    An item without a case number is linked by the plan number alone; ``case_history`` follows it from a
    case number to such items (never to items that carry another case number).
    """
    keys: list[str] = []
    for case in cases:
        key = normalise_case(case) if case and case.strip() else ""
        if key and key not in keys:
            keys.append(key)
    plan = _plan_key(title or "")
    if plan and plan not in keys:
        keys.append(plan)
    return keys


@dataclass(frozen=True)
class Decision:
    text: str
    section: str
    page: int

    def to_json(self) -> dict:
        return {"text": self.text, "section": self.section, "page": self.page}


@dataclass(frozen=True)
class Treatment:
    """One treatment of the case: an item of a meeting, or one dated decision of an item that has several."""

    meeting: str
    date: str
    item: str
    title: str
    decision: Decision | None
    source: str
    meeting_id: str
    body: str
    access: str = "åben"

    def to_json(self) -> dict:
        return {"meeting": self.meeting, "date": self.date, "item": self.item, "title": self.title,
                "decision": self.decision.to_json() if self.decision else None, "source": self.source,
                "meeting_id": self.meeting_id, "body": self.body}


@dataclass(frozen=True)
class CaseHistory:
    case: str
    treatments: tuple[Treatment, ...]

    def to_json(self) -> dict:
        return {"case": self.case, "meetings": [t.to_json() for t in self.treatments]}


def open_to_all(metadata: dict) -> bool:
    """Whether an item's text may be shown. The hook for roles: today closed items show their title only."""
    return metadata.get("access", "åben") != CLOSED


def _chunk_keys(metadata: dict) -> list[str]:
    keys = metadata.get("case_keys")
    if isinstance(keys, list):
        return keys
    cases = [c for c in str(metadata.get("cases", "")).split("|") if c]
    return case_keys(str(metadata.get("title", "")), cases)


def _lookup(collection, key: str, typed: str) -> list[StoredChunk]:
    """Chunks linked to ``key``: a metadata filter, plus a text search for chunks stored before ``case_keys``."""
    from index.store import StoredChunk

    found: dict[str, StoredChunk] = {}

    def take(got) -> None:
        for chunk_id, text, metadata in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            found.setdefault(chunk_id, StoredChunk(chunk_id, text, metadata))

    take(collection.get(where={"case_keys": {"$contains": key}}, include=["documents", "metadatas"]))
    forms = {key, typed}
    if " " in key:  # a plan key as titles write it: 'Lokalplan 1221', 'lokalplan 1221'
        forms |= {key.capitalize(), key.lower()}
    for form in sorted(f for f in forms if f):
        take(collection.get(where_document={"$contains": form}, include=["documents", "metadatas"]))
    return [c for c in found.values() if key in _chunk_keys(c.metadata)]


def _sections(chunks: list[StoredChunk]) -> list[tuple[str, str, str, int]]:
    """(name, kind, text, page) of an item's sections in order, joined again across chunk boundaries."""
    sections: list[list] = []
    for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("position", 0))):
        for span in json.loads(chunk.metadata.get("spans", "[]")):
            body = chunk.text[span["start"] : span["end"]]
            marks = span.get("page_marks") or [[span["start"], int(chunk.metadata.get("page_start", 0))]]
            if sections and sections[-1][0] == span["name"] and sections[-1][1] == span["kind"]:
                joiner = "" if sections[-1][2].endswith("\n") else "\n"
                sections[-1][2] += joiner + body
            else:
                sections.append([span["name"], span["kind"], body, int(marks[0][1])])
    return [tuple(s) for s in sections]


def _treatments(record: MeetingRecord, chunks: list[StoredChunk], can_see: Callable[[dict], bool]) -> list[Treatment]:
    meta = chunks[0].metadata

    def treatment(date: str, decision: Decision | None) -> Treatment:
        return Treatment(meeting=f"{record.body} {record.date}".strip(), date=date, item=str(meta.get("item", "")),
                         title=str(meta.get("title", "")), decision=decision, source=record.source,
                         meeting_id=record.meeting_id, body=record.body, access=str(meta.get("access", "åben")))

    if not can_see(meta):
        return [treatment(record.date, None)]
    by_date: dict[str, Decision] = {}
    for name, kind, text, page in _sections(chunks):
        if kind != DECISION or not text.strip():
            continue
        # a dated decision ('Beslutning i Udvalget … den 10-04-2013') is the treatment of that date
        dates = all_dates(name)
        date = dates[-1] if dates else record.date
        by_date.setdefault(date, Decision(text.strip(), name, page))
    if not by_date:
        return [treatment(record.date, None)]
    return [treatment(date, decision) for date, decision in by_date.items()]


def _same_treatment(a: Treatment, b: Treatment) -> bool:
    """One decision seen twice: in its own meeting's minutes and again as a dated decision in a later one."""
    return (a.date == b.date and a.decision is not None and b.decision is not None
            and " ".join(a.decision.text.split()) == " ".join(b.decision.text.split()))


def case_history(index, case: str, can_see: Callable[[dict], bool] = open_to_all,
                 clearance: str | None = None) -> CaseHistory:
    """Every treatment of ``case`` in the committed meetings, oldest first (empty when the case is unknown).

    With a reader's ``clearance`` (index.access) an item above it is left out entirely — not even its title —
    and the items it may see show their decisions; a case with nothing visible is as unknown as any other."""
    if clearance is not None:
        can_see = lambda metadata: may_see(clearance, metadata.get("access"))  # noqa: E731
    key = normalise_case(case)
    if not key:
        return CaseHistory(case.strip(), ())
    records = {r.meeting_id: r for r in index.meetings()}
    typed = " ".join(case.split())
    typed = LABEL.sub("", typed).strip(" .,:;")
    found = _lookup(index.store.chunks, key, typed)
    if not _plan_key(key):
        # items without a case number about the same plan ('Lokalplan 1221') belong to the case too
        plans = {_plan_key(str(c.metadata.get("title", ""))) for c in found} - {None}
        seen = {c.id for c in found}
        for plan in sorted(plans):
            found += [c for c in _lookup(index.store.chunks, plan, plan)
                      if c.id not in seen and not str(c.metadata.get("cases", "")).strip("|")]
    groups: dict[tuple[str, str], list[StoredChunk]] = {}
    for chunk in found:
        meeting_id = chunk.metadata.get("meeting_id")
        if clearance is not None and not may_see(clearance, chunk.metadata.get("access")):
            continue
        if meeting_id in records:  # chunks of an interrupted or replaced ingest are not part of the index
            groups.setdefault((meeting_id, str(chunk.metadata.get("item", ""))), []).append(chunk)
    treatments: list[Treatment] = []
    for (meeting_id, _), chunks in groups.items():
        treatments.extend(_treatments(records[meeting_id], chunks, can_see))
    treatments.sort(key=lambda t: (t.date or "9999", t.meeting_id != _own_meeting(t, records), _item_order(t.item)))
    kept: list[Treatment] = []
    for candidate in treatments:
        if not any(_same_treatment(candidate, earlier) for earlier in kept):
            kept.append(candidate)
    return CaseHistory(key, tuple(kept))


def _own_meeting(treatment: Treatment, records: dict[str, MeetingRecord]) -> str:
    """The treatment's meeting id when its date is its meeting's own date (preferred over a later mention)."""
    return treatment.meeting_id if records[treatment.meeting_id].date == treatment.date else ""


def _item_order(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.\s]+", number) if p)
