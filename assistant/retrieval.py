"""Hybrid retrieval: exact routes first, then dense + BM25 fused, aggregated to agenda items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.archive import BoilerplateTitles, ambiguous_meetings, prefer_years
from assistant.meetings import resolve
from assistant.questions import ATTENDANCE
from assistant.scope import Scope
from assistant.types import RetrievedItem
from index.access import may_see, visible_levels
from index.catalog import MinutesIndex
from index.dates import DANISH_DATE, MONTHS, NUMERIC_DATE
from index.store import MeetingRecord, StoredChunk
from index.types import PARTICIPANTS_ITEM

NOTHING_VISIBLE = "Jeg kan ikke finde svar på det i de referater, du har adgang til."
RRF_K = 60
DELEGATION = re.compile(r"\bdeltagelse i\b", re.I)  # "KKR's deltagelse i …" is a topic, not attendance
CANDIDATES = 40
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
CASE_IN_QUESTION = re.compile(
    r"\b(SAG-\d{4}-\d{3,7}|\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}|\d{2,4}-\d{4}-\d{2,6})\b", re.I
)
ITEM_IN_QUESTION = re.compile(r"\b(?:punkt|pkt\.?|dagsordenspunkt)\s+(\d{1,3}(?:\.\d{1,3})*)\b", re.I)
MONTH_IN_QUESTION = re.compile(rf"\b({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.I)


@dataclass(frozen=True)
class ChunkHit:
    chunk: StoredChunk
    score: float
    dense_rank: int | None
    lexical_rank: int | None


@dataclass(frozen=True)
class ItemHit:
    meeting_id: str
    item: str
    title: str
    cases: tuple[str, ...]
    body: str
    date: str
    source: str
    score: float
    chunks: tuple[ChunkHit, ...]
    exact: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.meeting_id, self.item)


@dataclass(frozen=True)
class Retrieval:
    question: str
    items: list[ItemHit]
    meetings: list[MeetingRecord]
    route: str | None = None
    notes: list[str] = field(default_factory=list)
    dense_items: list[tuple[str, str]] = field(default_factory=list)
    lexical_items: list[tuple[str, str]] = field(default_factory=list)
    lexical_terms: list[str] = field(default_factory=list)
    # the reader's clearance (index.access): what the answer may draw on beyond these items
    clearance: str | None = None
    # meetings that answer about equally when the question names none, most recent first
    ambiguous: list[MeetingRecord] = field(default_factory=list)
    years: list[str] = field(default_factory=list)


def find_meeting(records: list[MeetingRecord], selector: str) -> list[MeetingRecord]:
    """A meeting chosen by id, file name, sha256, 'Body YYYY-MM-DD' or date (a body or period: `Scope`)."""
    wanted = selector.strip().lower()
    return [r for r in records if wanted in (
        r.meeting_id, r.source.lower(), r.sha256, f"{r.body} {r.date}".lower(), r.date, r.body.lower()
    )]


def strip_dates(question: str) -> str:
    text = DANISH_DATE.sub(" ", question)
    text = NUMERIC_DATE.sub(" ", text)
    text = MONTH_IN_QUESTION.sub(" ", text)
    return re.sub(r"\b(på |i )?(mødet|møde) den\s*", " ", text).strip()


class Retriever:
    def __init__(self, index: MinutesIndex) -> None:
        self.index = index
        self.boilerplate = BoilerplateTitles()

    def retrieve(self, question: str, k: int = 5, meeting: str | None = None,
                 within: Scope | None = None, clearance: str | None = None) -> Retrieval:
        """`meeting` picks one meeting; `within` (organ and/or period) restricts the meetings searched.

        `clearance` (index.access) is the strictest level the reader may see: every route below — meetings in
        scope, dense search (a Chroma `where`), BM25, case and item numbers — only ever sees those chunks.
        None sees everything (a single user on a laptop)."""
        self.index.maybe_refresh()
        levels = visible_levels(clearance)
        records = self.index.meetings(clearance)
        notes: list[str] = []
        if not records and levels is not None:
            # not "no minutes indexed": that tells a reader with a restricted role nothing true about the index
            return Retrieval(question, [], [], notes=[NOTHING_VISIBLE], clearance=clearance)
        if within is not None:
            allowed = within.meeting_ids(records)
            records = [r for r in records if r.meeting_id in allowed]
            if not records:
                return Retrieval(question, [], [], notes=[within.empty_note()], clearance=clearance)
        everything = len(self.index.meetings())
        scope = records
        if meeting:
            scope = find_meeting(records, meeting)
            if not scope:
                return Retrieval(question, [], [], notes=[f"Mødet '{meeting}' findes ikke i indekset."],
                                 clearance=clearance)
        resolution = resolve(question, scope)
        scope, route = resolution.meetings, resolution.route
        search_text = question
        if resolution.strip_dates:
            # the date chose the meeting; left in, it would pull every chunk that mentions a date
            search_text = strip_dates(question)
        meeting_ids = {r.meeting_id for r in scope}
        restricted = meeting_ids if len(scope) < everything else None

        cases = [c.upper() if c.upper().startswith("SAG-") else c for c in CASE_IN_QUESTION.findall(question)]
        items_named = ITEM_IN_QUESTION.findall(question)
        dense = self.index.dense(search_text, CANDIDATES, restricted, levels)
        allowed_chunks = self.index.chunk_ids_for(meeting_ids, levels) if restricted is not None else None
        lexical = self.index.lexical_search(search_text, CANDIDATES, allowed_chunks, levels)
        fused = self._fuse(dense, lexical)
        items = self._aggregate(fused, {r.meeting_id: r for r in scope})
        items = prefer_years(self.boilerplate.damp(self.index, items, question), resolution.years)
        if ATTENDANCE.search(question) and not DELEGATION.search(question):
            # who came and who sent apologies stands in the participants lists, whatever else mentions "mødet"
            items = [i for i in items if i.item == PARTICIPANTS_ITEM] + [i for i in items
                                                                      if i.item != PARTICIPANTS_ITEM]
        if cases or items_named:
            exact = self._exact(scope, cases, items_named, fused, clearance)
            if exact:
                route = "sag" if cases else "punkt"
                items = self._promote(items, exact)
        # a question that names its meeting (a date, or the filter) is not ambiguous
        ambiguous = [] if meeting or route == "dato" else ambiguous_meetings(items, scope)
        return Retrieval(
            question=question, items=items[: max(k, 1)], meetings=scope, route=route, notes=notes,
            ambiguous=ambiguous, years=sorted(resolution.years),
            dense_items=_item_order(dense), lexical_items=_item_order([c for c, _ in lexical_chunks(self, lexical)]),
            lexical_terms=self.index.lexical.query_terms(search_text), clearance=clearance,
        )

    def _fuse(self, dense: list[StoredChunk], lexical: list[tuple[str, float]]) -> list[ChunkHit]:
        scores: dict[str, float] = {}
        ranks: dict[str, list[int | None]] = {}
        chunks: dict[str, StoredChunk] = {c.id: c for c in dense}
        for rank, chunk in enumerate(dense):
            scores[chunk.id] = scores.get(chunk.id, 0.0) + DENSE_WEIGHT / (RRF_K + rank + 1)
            ranks.setdefault(chunk.id, [None, None])[0] = rank
        for rank, (chunk_id, _) in enumerate(lexical):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + LEXICAL_WEIGHT / (RRF_K + rank + 1)
            ranks.setdefault(chunk_id, [None, None])[1] = rank
        missing = [cid for cid in scores if cid not in chunks]
        for chunk in self.index.chunks(missing):
            chunks[chunk.id] = chunk
        best = (DENSE_WEIGHT + LEXICAL_WEIGHT) / (RRF_K + 1)
        hits = [ChunkHit(chunks[cid], s / best, *ranks[cid]) for cid, s in scores.items() if cid in chunks]
        return sorted(hits, key=lambda h: -h.score)

    def _aggregate(self, hits: list[ChunkHit], scope: dict[str, MeetingRecord]) -> list[ItemHit]:
        """Fuse at item level: each list ranks items by their best chunk, then reciprocal-rank fusion.

        Fusing chunks first would favour long items, whose many middling chunks add up.
        """
        grouped: dict[tuple[str, str], list[ChunkHit]] = {}
        for hit in hits:
            meta = hit.chunk.metadata
            if meta.get("meeting_id") in scope:
                grouped.setdefault((meta["meeting_id"], meta["item"]), []).append(hit)

        def item_ranks(rank_of) -> dict[tuple[str, str], int]:
            best = {key: min((r for r in map(rank_of, group) if r is not None), default=None)
                    for key, group in grouped.items()}
            ordered = sorted((r, key) for key, r in best.items() if r is not None)
            return {key: position for position, (_, key) in enumerate(ordered)}

        dense_rank = item_ranks(lambda h: h.dense_rank)
        lexical_rank = item_ranks(lambda h: h.lexical_rank)
        best_possible = (DENSE_WEIGHT + LEXICAL_WEIGHT) / (RRF_K + 1)
        items = []
        for key, group in grouped.items():
            group.sort(key=lambda h: -h.score)
            fused = 0.0
            if key in dense_rank:
                fused += DENSE_WEIGHT / (RRF_K + dense_rank[key] + 1)
            if key in lexical_rank:
                fused += LEXICAL_WEIGHT / (RRF_K + lexical_rank[key] + 1)
            items.append(_item_hit(key[0], key[1], group, fused / best_possible))
        return sorted(items, key=lambda i: (-i.score, -i.chunks[0].score))

    def _exact(self, scope: list[MeetingRecord], cases: list[str], numbers: list[str],
               fused: list[ChunkHit], clearance: str | None) -> list[ItemHit]:
        """Items whose case number or item number the question names, in fused order."""
        in_scope = {r.meeting_id for r in scope}
        wanted_cases = {c.upper() for c in cases}
        matches: list[tuple[str, dict]] = []
        collection = self.index.store.chunks
        for case in cases:
            got = collection.get(where_document={"$contains": case}, include=["metadatas"])
            matches.extend(zip(got["ids"], got["metadatas"], strict=True))
        if numbers:
            got = collection.get(where={"item": {"$in": numbers}}, include=["metadatas"])
            matches.extend(zip(got["ids"], got["metadatas"], strict=True))
        keys: list[tuple[str, str]] = []
        for _, meta in matches:
            item_cases = {c.upper() for c in meta.get("cases", "").split("|") if c}
            named = (item_cases & wanted_cases) or (meta.get("item") in numbers and not cases)
            key = (meta["meeting_id"], meta["item"])
            if named and meta["meeting_id"] in in_scope and may_see(clearance, meta.get("access")) and key not in keys:
                keys.append(key)
        order = {h.chunk.id: i for i, h in enumerate(fused)}
        found = []
        for key in keys:
            chunks = [h for h in fused if (h.chunk.metadata["meeting_id"], h.chunk.metadata["item"]) == key]
            if not chunks:
                chunks = [ChunkHit(c, 0.0, None, None) for c in self.index.item_chunks(*key)]
            found.append(_item_hit(key[0], key[1], chunks, 1.0, exact=True))
        found.sort(key=lambda h: min((order.get(c.chunk.id, 10**6) for c in h.chunks), default=10**6))
        return found

    @staticmethod
    def _promote(items: list[ItemHit], exact: list[ItemHit]) -> list[ItemHit]:
        keys = {h.key for h in exact}
        return exact + [i for i in items if i.key not in keys]


def lexical_chunks(retriever: Retriever, lexical: list[tuple[str, float]]) -> list[tuple[StoredChunk, float]]:
    chunks = {c.id: c for c in retriever.index.chunks([cid for cid, _ in lexical])}
    return [(chunks[cid], score) for cid, score in lexical if cid in chunks]


def _item_order(chunks: list[StoredChunk]) -> list[tuple[str, str]]:
    order: list[tuple[str, str]] = []
    for chunk in chunks:
        key = (chunk.metadata["meeting_id"], chunk.metadata["item"])
        if key not in order:
            order.append(key)
    return order


def _item_hit(meeting_id: str, item: str, group: list[ChunkHit], score: float, exact: bool = False) -> ItemHit:
    meta = group[0].chunk.metadata
    return ItemHit(
        meeting_id=meeting_id, item=item, title=meta.get("title", ""),
        cases=tuple(c for c in meta.get("cases", "").split("|") if c), body=meta.get("body", ""),
        date=meta.get("date", ""), source=meta.get("source", ""), score=round(score, 4), chunks=tuple(group),
        exact=exact,
    )


def retrieved_items(retrieval: Retrieval) -> tuple[RetrievedItem, ...]:
    """The items retrieval ranked, as an answer lists them under 'retrieved'."""
    return tuple(
        RetrievedItem(item=i.item, case=i.cases[0] if i.cases else None, meeting=i.body, date=i.date,
                      source=i.source, score=i.score, title=i.title, meeting_id=i.meeting_id)
        for i in retrieval.items
    )
