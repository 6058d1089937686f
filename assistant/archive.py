"""Retrieval at archive size: recurring boilerplate items damped, a named year preferred, and the meetings that
answer about equally when the question names none.

Title frequencies are computed once per index state (keyed by the index fingerprint), never per question.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.wording import danish_date
from index.lexical import stems
from index.store import paged_metadatas
from index.types import PARTICIPANTS_ITEM

if TYPE_CHECKING:
    from assistant.retrieval import ItemHit
    from index.store import MeetingRecord

# an item whose title recurs in this share of a body's meetings (or of all meetings) is boilerplate
RECURRING_SHARE = 0.2
RECURRING_MIN = 3
BOILERPLATE_WEIGHT = 0.6
# a word in at most this share of chunks (and at least this many) is rare
RARE_SHARE = 0.005
RARE_MIN = 10
YEAR_WEIGHT = 1.25
# fused item scores within this ratio of the best come from ranks a place or two apart in both lists
NEAR_EQUAL = 0.97


def title_key(title: str) -> str:
    """A title compared across meetings: stems only, numbers and punctuation gone."""
    return " ".join(s for s in stems(re.sub(r"\d+", " ", title)) if len(s) >= 2)


def title_words(title: str) -> set[str]:
    return {s for s in stems(re.sub(r"\d+", " ", title)) if len(s) >= 4}


class BoilerplateTitles:
    """Normalised titles that recur in many meetings of a body ('Godkendelse af dagsorden', 'Eventuelt')."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fingerprint: str | None = None
        self._recurring: set[tuple[str, str]] = set()  # (body, title key); body "" for all meetings

    def recurring(self, index) -> set[tuple[str, str]]:
        fingerprint = getattr(index, "_fingerprint", None)
        with self._lock:
            if fingerprint != self._fingerprint or fingerprint is None:
                self._recurring = self._compute(index)
                self._fingerprint = fingerprint
            return self._recurring

    @staticmethod
    def _compute(index) -> set[tuple[str, str]]:
        records = {r.meeting_id: r for r in index.meetings()}
        if len(records) < RECURRING_MIN:
            return set()
        seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        for meta in paged_metadatas(index.store.chunks, 2000):
            record = records.get(meta.get("meeting_id"))
            if record is None or meta.get("item") == PARTICIPANTS_ITEM:
                continue
            key = title_key(str(meta.get("title", "")))
            if key:
                seen[(record.body, key)].add(record.meeting_id)
                seen[("", key)].add(record.meeting_id)
        per_body: dict[str, int] = defaultdict(int)
        for record in records.values():
            per_body[record.body] += 1
            per_body[""] += 1
        return {key for key, meetings in seen.items()
                if len(meetings) >= RECURRING_MIN and len(meetings) >= RECURRING_SHARE * per_body[key[0]]}

    def damp(self, index, items: list[ItemHit], question: str) -> list[ItemHit]:
        """Boilerplate items weigh less unless they speak to the question ('Hvornår blev dagsordenen udsendt?').

        Copies of one recurring item ('Godkendelse af dagsorden' in every meeting) look alike to the embedding,
        so which copy ranks highest in either list says little; the copy that holds the question's own words
        takes the best score any copy earned. Without that, an archive of near-identical copies pushes the
        one that answers out of the dense candidates, and the copies found by both lists outrank it.
        """
        recurring = self.recurring(index)
        if not recurring or not items:
            return items
        from assistant.questions import topic_terms

        rare = rare_terms(index, question)
        topic = [t for t in topic_terms(question) if len(t) >= 4 and not t.isdigit()]
        keys = {item.key: title_key(item.title) for item in items}

        def is_recurring(item: ItemHit) -> bool:
            key = keys[item.key]
            return (item.item != PARTICIPANTS_ITEM and not item.exact
                    and ((item.body, key) in recurring or ("", key) in recurring))

        best: dict[str, float] = {}
        for item in items:
            if is_recurring(item):
                best[keys[item.key]] = max(best.get(keys[item.key], 0.0), item.score)
        out = []
        for item in items:
            if is_recurring(item):
                if self._speaks_to(item, topic, rare):
                    item = replace(item, score=max(item.score, best[keys[item.key]]))
                else:
                    item = replace(item, score=round(item.score * BOILERPLATE_WEIGHT, 4))
            out.append(item)
        return _sorted(out)

    @staticmethod
    def _speaks_to(item: ItemHit, topic: list[str], rare: set[str]) -> bool:
        """A recurring item keeps its weight when it holds a rare word of the question, or when the question
        names it and it holds the rest of the question ('Hvornår blev dagsordenen udsendt?': the agenda item
        that says when it was sent, not every approval of an agenda)."""
        text = {w for c in item.chunks for w in stems(c.chunk.text)}
        if rare & text:
            return True
        titled = title_words(item.title)
        named = [t for t in topic if any(t.startswith(w) or w.startswith(t) for w in titled)]
        if not named:
            return False
        rest = [t for t in topic if t not in named]
        return all(any(w.startswith(t) for w in text) for t in rest)


def rare_terms(index, question: str) -> set[str]:
    """Question words few chunks use ('konsortiet', 'Erhvervsfremmebestyrelse'): a recurring item that holds one
    says something of its own this time ('Siden sidst' with real news), and is not damped."""
    lexical = index.lexical
    limit = max(RARE_MIN, RARE_SHARE * len(lexical.ids))
    return {t for t in stems(question) if len(t) >= 5 and not t.isdigit()
            and 0 < lexical.document_frequency(t) <= limit}


def prefer_years(items: list[ItemHit], years: frozenset[str]) -> list[ItemHit]:
    """A year the question names ('i 2024') favours that year's meetings without excluding the others."""
    if not years or not any(i.date[:4] in years for i in items):
        return items
    return _sorted([replace(i, score=round(i.score * YEAR_WEIGHT, 4)) if i.date[:4] in years and not i.exact
                    else i for i in items])


def _sorted(items: list[ItemHit]) -> list[ItemHit]:
    exact = [i for i in items if i.exact]
    rest = [i for i in items if not i.exact]
    return exact + sorted(rest, key=lambda i: (-i.score, -i.chunks[0].score if i.chunks else 0.0))


def ambiguous_meetings(items: list[ItemHit], records: list[MeetingRecord], limit: int = 5) -> list[MeetingRecord]:
    """Meetings whose items answer about equally well (near-equal scores, same matter), most recent first.

    Empty when the best item stands out or only one meeting is among the near-equal ones.
    """
    if len(items) < 2:
        return []
    top = items[0]
    words = title_words(top.title)
    cases = set(top.cases)
    near = [top]
    for other in items[1:limit]:
        if other.score < NEAR_EQUAL * top.score or other.item == PARTICIPANTS_ITEM:
            continue
        other_words = title_words(other.title)
        overlap = len(words & other_words) / max(1, len(words | other_words))
        if (cases & set(other.cases)) or overlap >= 0.5:
            near.append(other)
    by_id = {r.meeting_id: r for r in records}
    meetings = list(dict.fromkeys(i.meeting_id for i in near if i.meeting_id in by_id))
    if len(meetings) < 2:
        return []
    return sorted((by_id[m] for m in meetings), key=lambda r: r.date, reverse=True)


def note_ambiguity(answer, retrieval, prompts):
    """An answer found while several meetings answer about equally ends with a line naming them, newest first."""
    meetings = getattr(retrieval, "ambiguous", None)
    if not answer.found or not meetings:
        return answer
    cited = {c.meeting_id for c in answer.citations}
    if len(cited) > 1:  # the answer already goes through the meetings (a case history)
        return answer
    names = "; ".join(f"{r.body} {danish_date(r.date)}" for r in meetings)
    return replace(answer, answer=answer.answer + "\n" + prompts.text("flere_moeder_svar", moeder=names))


def unnamed_place(index, question: str, retrieval, answer) -> bool:
    """The question names a place that is another body's distinctive word ('busdriften i Hjørring' asked of
    KKR), the body named won the scope, and the cited items never mention the place: the answer is about
    something else. (Answering treats every body word as framing; here one that did not choose the scope is
    a topic word again.)"""
    if not answer.found or not answer.citations:
        return False
    from assistant.meetings import body_names

    in_scope = {r.body for r in retrieval.meetings}
    asked = set(stems(question))
    places = {w for r in index.meetings() if r.body not in in_scope for w in body_names(r.body).distinctive} & asked
    places -= {w for body in in_scope for w in body_names(body).distinctive}
    if not places:
        return False
    words: set[str] = set()
    for key in {(c.meeting_id, c.item) for c in answer.citations}:
        for chunk in index.item_chunks(*key):
            words.update(stems(chunk.text))
    return not places <= words


def unmet_date(index, question: str, retrieval, answer) -> bool:
    """The question names a day no meeting in scope was held on ("byrådsmødet 23. december 2024"), and the cited
    items never mention that day: the answer would be about another meeting than the one asked about. The same
    for a year no meeting in scope is of ("nytårskoncerten i 2027") that the cited items never mention."""
    if not answer.found or not answer.citations:
        return False
    from assistant.meetings import dates_named, years_named
    from index.dates import all_dates

    asked = dates_named(question)
    # a year asked about ("billetprisen i 2027") that is no meeting's year in scope must be in the evidence too
    years = years_named(question)
    if asked & {r.date for r in retrieval.meetings} or years & {r.date[:4] for r in retrieval.meetings}:
        return False
    if not asked and not years:
        return False
    mentioned: set[str] = set()
    for key in {(c.meeting_id, c.item) for c in answer.citations}:
        for chunk in index.item_chunks(*key):
            mentioned.update(all_dates(chunk.text))
            mentioned.update(re.findall(r"\b(?:19|20)\d\d\b", chunk.text))
    return not (asked & mentioned) if asked else not (years & mentioned)


def other_subject(index, question: str, retrieval, answer) -> bool:
    """A topical word of the question is missing from the cited items but is the subject (title) of another
    retrieved item: the answer is about something else, and that other item lacks the rest of the question
    ("nye cykelstier i Rebild" answered from an item about Rebild, while the cycle-path items are elsewhere)."""
    if not answer.found or not answer.citations or len(retrieval.items) < 2:
        return False
    from assistant.answering import present  # answering imports this module
    from assistant.meetings import body_words, names_a_meeting
    from assistant.questions import topic_terms, verb_terms

    bodies = body_words(frozenset(r.body for r in index.meetings()))
    verbs = verb_terms(question)  # "delt op i": how it is asked, not what about
    # a year or a period ("2024-27") dates the subject; it names no other one
    terms = [t for t in topic_terms(question) if len(t) >= 4 and not re.fullmatch(r"[\d./-]+", t)
             and not names_a_meeting(t, bodies)
             and t not in verbs]
    splitter = index.lexical.splitter
    cited = {(c.meeting_id, c.item) for c in answer.citations}
    words: set[str] = set()
    for key in cited:
        for chunk in index.item_chunks(*key):
            words.update(splitter.expand(stems(chunk.text)))
    missing = [t for t in terms if not present(t, words, splitter)]
    if not missing:
        return False
    for item in retrieval.items:
        if item.key in cited or item.item == PARTICIPANTS_ITEM:  # "Deltagere" is no subject
            continue
        titled = set(splitter.expand(stems(item.title)))
        if any(present(t, titled, splitter) for t in missing):
            return True
    return False
