"""Questions about time and history, answered from a case's treatments across meetings.

"Hvad er det seneste om X?", "Hvornår besluttede byrådet Y?", "Hvad besluttede udvalget om Z i 2024?",
"Er sagen om X afgjort?", "Hvad skete der med X efter høringen?": the best item's case (index/cases.py) gives
every treatment with its decision; the answer lists them in date order (latest first when the latest is asked
for) and cites each treatment's decision. A question about one treatment only, or an item without a case that
was treated more than once, is left to the ordinary answer (``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.prompts import PromptBook
from assistant.questions import topic_terms
from assistant.retrieval import ItemHit, Retrieval, retrieved_items
from assistant.types import Answer, Citation
from assistant.wording import meeting_phrase
from index.cases import Treatment, case_history, case_keys
from index.lexical import stems

LATEST = re.compile(r"\b(seneste|senest|til sidst|nyeste|sidste nyt|status (?:på|for))\b", re.I)
SETTLED = re.compile(r"\b(afgjort|afsluttet|færdigbehandlet|endeligt? (?:besluttet|vedtaget|afgjort|godkendt))\b",
                     re.I)
AFTER_HEARING = re.compile(r"\befter\s+(?:den\s+offentlige\s+)?høring(?:en|sperioden)?\b", re.I)
WHEN_DECIDED = re.compile(r"\bhvornår\b.*\b(besluttede|besluttet|vedtog|vedtaget|godkendte|godkendt|afgjort)\b",
                          re.I)
DECIDED = re.compile(r"\b(besluttede|besluttet|vedtog|vedtaget|godkendte|godkendt|beslutning)\b", re.I)
# a decision that settles the matter, and one that sends it on or puts it off
FINAL = re.compile(r"\b(godkend\w*|vedtag\w*|vedtog|bevilg\w*|tiltråd\w*|afvis\w*|afviste|afslog|besluttede)\b",
                   re.I)
PENDING = re.compile(r"\b(udsat|udsatte|udsættes|høring|genoptag\w*|oversend\w*|anbefal\w*|til efterretning|"
                     r"drøftet|drøftede|afventer)\b", re.I)
HEARING = re.compile(r"\bhøring", re.I)
ASKS_WHAT = re.compile(r"\s*(hvad|hvem|hvilke\w*|hvor\s+(?:meget|mange|stor\w*))\b", re.I)
# words that frame a history question, not its topic
FRAMING = set(stems("seneste senest sidst nyeste nyt status afgjort afsluttet færdigbehandlet endelig endeligt "
                    "efter høringen høring skete sket sagen sag"))
QUOTE_CHARS = 400


@dataclass(frozen=True)
class HistoryQuestion:
    latest: bool
    settled: bool
    after_hearing: bool
    when_decided: bool
    years: frozenset[str]

    @property
    def asked(self) -> bool:
        return self.latest or self.settled or self.after_hearing or self.when_decided or bool(self.years)


def classify_history(question: str, years: list[str]) -> HistoryQuestion:
    # a year only makes it a history question together with a decision ("Hvad besluttede … i 2024?")
    dated = frozenset(years) if DECIDED.search(question) else frozenset()
    # "er sagen afgjort?" asks whether; "hvad blev gebyret fastsat til, da sagen var færdigbehandlet?" asks for
    # a detail of the item that settled it, which the item itself answers
    settled = bool(SETTLED.search(question)) and not ASKS_WHAT.match(question)
    return HistoryQuestion(
        latest=bool(LATEST.search(question)), settled=settled,
        after_hearing=bool(AFTER_HEARING.search(question)), when_decided=bool(WHEN_DECIDED.search(question)),
        years=dated,
    )


def _meeting(t: Treatment) -> str:
    return meeting_phrase(t.body, t.date)


def _quote(t: Treatment) -> str:
    """The decision verbatim, cut after a whole sentence when it is long."""
    text = t.decision.text.strip() if t.decision else ""
    if len(text) <= QUOTE_CHARS:
        return text
    cut = max(text.rfind(". ", 0, QUOTE_CHARS), text.rfind("\n", 0, QUOTE_CHARS))
    return text[: cut + 1].strip() if cut > 0 else text[:QUOTE_CHARS].strip()


def final(t: Treatment) -> bool:
    text = t.decision.text if t.decision else ""
    return bool(FINAL.search(text)) and not PENDING.search(text)


def _words(text: str) -> set[str]:
    return {w for w in stems(re.sub(r"\d+", " ", text)) if len(w) >= 4}


def _covers(question: str, item: ItemHit, index, body_words: set[str]) -> bool:
    """The item is about the question's topic: each topical word is in its title or text."""
    from assistant.answering import present  # answering imports this module

    terms = [t for t in topic_terms(question)
             if t not in FRAMING and t not in body_words and len(t) >= 4 and not t.isdigit()]
    if not terms:
        return False
    splitter = index.lexical.splitter
    words = set(splitter.expand(stems(item.title)))
    for chunk in item.chunks:
        words.update(splitter.expand(stems(chunk.chunk.text)))
    return all(present(t, words, splitter) for t in terms)


def treatments_for(index, item: ItemHit, clearance: str | None = None) -> list[Treatment]:
    """The treatments of the item's case that are about the same matter (a title word in common), of those the
    reader's clearance may see."""
    keys = case_keys(item.title, item.cases)
    if not keys:
        return []
    history = case_history(index, keys[0], clearance=clearance)
    own = _words(item.title)
    return [t for t in history.treatments if not own or own & _words(t.title)]


def answer_history(index, prompts: PromptBook, question: str, retrieval: Retrieval) -> Answer | None:
    """The history answer, or None when the question is not about history or no case history applies."""
    kind = classify_history(question, retrieval.years)
    if not kind.asked or not retrieval.items:
        return None
    item = retrieval.items[0]
    body_words = {t for r in index.meetings(retrieval.clearance) for t in stems(r.body)}
    if not _covers(question, item, index, body_words):
        return None
    # only the meetings in scope: "Hvornår besluttede byrådet …" keeps the council's treatments, a filter its own
    treatments = treatments_for(index, item, retrieval.clearance)
    if len({(t.date, t.meeting_id, t.item) for t in treatments}) < 2:
        return None
    in_scope = {r.meeting_id for r in retrieval.meetings}
    treatments = [t for t in treatments if t.meeting_id in in_scope]
    if not treatments:
        return None
    case = item.cases[0] if item.cases else case_keys(item.title, item.cases)[0]
    sag = f"sagen {case} ({item.title})"
    lines: list[str] = []
    shown: list[Treatment] = []
    if kind.years:
        in_years = [t for t in treatments if t.date[:4] in kind.years]
        if not in_years:
            return None
        lines.append(prompts.text("historik_aar", aar=" og ".join(sorted(kind.years)), sag=sag,
                                  antal=str(len(in_years))))
        shown = in_years
    elif kind.settled:
        latest = treatments[-1]
        decisive = [t for t in treatments if final(t)]
        if decisive and decisive[-1] is latest:
            lines.append(prompts.text("historik_afgjort", sag=sag, moede=_meeting(latest), punkt=latest.item,
                                      beslutning=_quote(latest)))
        else:
            lines.append(prompts.text("historik_ikke_afgjort", sag=sag, moede=_meeting(latest), punkt=latest.item,
                                      beslutning=_quote(latest) or "uden beslutningstekst"))
        shown = [latest]
        earlier = list(reversed(treatments[:-1]))
        if earlier:
            lines.append(prompts.text("historik_tidligere"))
            shown += earlier
            lines += [_line(prompts, t) for t in earlier]
        return _answer(question, "\n".join(lines), shown, retrieval)
    elif kind.after_hearing:
        heard = [i for i, t in enumerate(treatments) if HEARING.search(t.decision.text if t.decision else "")]
        after = treatments[heard[0] + 1 :] if heard else []
        if not after:
            return None
        lines.append(prompts.text("historik_efter_hoering", sag=sag, moede=_meeting(treatments[heard[0]])))
        shown = after
    elif kind.when_decided:
        decisive = [t for t in treatments if final(t)]
        chosen = decisive[-1] if decisive else treatments[-1]
        lines.append(prompts.text("historik_besluttet", sag=sag, moede=_meeting(chosen), punkt=chosen.item,
                                  beslutning=_quote(chosen)))
        others = [t for t in treatments if t is not chosen]
        if others:
            lines.append(prompts.text("historik_forloeb"))
            lines += [_line(prompts, t) for t in others]
        return _answer(question, "\n".join(lines), [chosen, *others], retrieval)
    else:  # the latest
        latest = treatments[-1]
        lines.append(prompts.text("historik_seneste", sag=sag, moede=_meeting(latest), punkt=latest.item,
                                  beslutning=_quote(latest) or "uden beslutningstekst"))
        earlier = list(reversed(treatments[:-1]))
        if earlier:
            lines.append(prompts.text("historik_tidligere"))
            lines += [_line(prompts, t) for t in earlier]
        return _answer(question, "\n".join(lines), [latest, *earlier], retrieval)
    lines += [_line(prompts, t) for t in shown]
    return _answer(question, "\n".join(lines), shown, retrieval)


def _line(prompts: PromptBook, t: Treatment) -> str:
    return prompts.text("historik_linje", moede=_meeting(t), punkt=t.item,
                        beslutning=_quote(t) or "uden beslutningstekst")


def _answer(question: str, text: str, shown: list[Treatment], retrieval: Retrieval) -> Answer:
    top = retrieval.items[0]
    citations = tuple(
        Citation(case=top.cases[0] if top.cases else None, item=t.item, title=t.title, section=t.decision.section,
                 page=t.decision.page, meeting=t.body, date=t.date, source=t.source, quote=_quote(t), score=1.0,
                 meeting_id=t.meeting_id)
        for t in shown if t.decision is not None
    )
    return Answer(question, text, bool(citations), citations, retrieved_items(retrieval))

