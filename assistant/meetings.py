"""Meeting resolution: which of the indexed meetings a question names by body, date, month or year.

Everything is derived from the indexed bodies' own names: acronyms ("Teknik- og Miljøudvalget" → TMU,
"Økonomiudvalget" → ØU), upper-case words already in a name ("KKR"), council words ("byrådet",
"kommunalbestyrelsen", "regionsrådet" → the councils), "udvalget for teknik" / "teknikudvalget" (a committee
whose name has those stems), and a body's distinctive words ("Odsherred"). Nothing is listed per municipality.

A body named only by a distinctive word that may just as well be a place ("busdriften i Hjørring") counts
only when nothing else in the question names a body.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from index.dates import DANISH_DATE, MONTHS, NUMERIC_DATE, iso_date
from index.lexical import stems
from index.store import MeetingRecord

COUNCIL_STEMS = ("byråd", "kommunalbestyr", "regionsråd", "kommunalråd")
COMMITTEE = "udvalg"
CONNECTORS = {"og", "for", "i", "af", "&", "samt", "med"}
GENERIC = set(stems("udvalg udvalget byråd byrådet kommunalbestyrelse kommunalbestyrelsen referat møde mødet "
                    "regionsråd regionsrådet råd rådet kommune region"))
MONTH_YEAR = re.compile(rf"\b({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.I)
YEAR = re.compile(r"\b(?:i|fra|år|året|under|gennem|løbet af)\s+((?:19|20)\d{2})\b", re.I)
FOR_COMMITTEE = re.compile(r"\budvalg\w*\s+for\s+([a-zæøå]+)(?:[\s-]+og\s+([a-zæøå]+))?", re.I)
WORD = re.compile(r"[A-Za-zÆØÅæøåÉé]+")


@dataclass(frozen=True)
class BodyNames:
    """The ways a question may name one body."""

    body: str
    acronyms: frozenset[str]
    distinctive: frozenset[str]
    name_words: tuple[str, ...]
    council: str | None  # which council word the name uses ("byråd", "regionsråd", …)
    committee: bool


@functools.lru_cache(maxsize=4096)
def body_names(body: str) -> BodyNames:
    # "Vejby Kommune, Teknik- og Miljøudvalget": the committee is the last part, the owner the first; a comma
    # after a hyphen enumerates ("Klima-, Teknik- og Miljøudvalget" is one name, KTMU)
    own = re.split(r"(?<!-),", body)[-1]
    words = [w for w in re.split(r"[\s\-/,]+", own) if w]
    acronyms = {w for w in WORD.findall(body) if len(w) >= 2 and w.isupper()}
    content = [w for w in words if w.lower() not in CONNECTORS]
    lowered = [w.lower() for w in content]
    committee = any(COMMITTEE in w for w in lowered)
    if committee and content:
        letters = ""
        for word in content:
            low = word.lower()
            letters += word[0].upper()
            if low.startswith(COMMITTEE):
                continue
            if COMMITTEE in low:  # "Miljøudvalget": the compound's head is a letter of its own
                letters += "U"
        if len(letters) >= 2:
            acronyms.add(letters)
    name_stems = stems(body.replace("-", " "))
    return BodyNames(
        body=body, acronyms=frozenset(acronyms),
        # an election period in the name ("Byråd 2022-2025") is no word to know the body by: a question's year
        # names a date, not that body
        distinctive=frozenset(w for w in name_stems if w not in GENERIC and len(w) >= 4 and not w.isdigit()
                              and not any(w.startswith(c) for c in COUNCIL_STEMS)),
        name_words=tuple(dict.fromkeys(name_stems)),
        council=next((c for s in name_stems for c in COUNCIL_STEMS if s.startswith(c)), None),
        committee=committee,
    )


@functools.lru_cache(maxsize=64)
def body_words(bodies: frozenset[str]) -> frozenset[str]:
    """Stems of the bodies' names and their acronyms ("økonomiudvalg", "ktmu"): words that say which meeting is
    meant, not what about; their absence from an item says nothing."""
    words = {t for name in bodies for t in stems(name)}
    return frozenset(words | {a.lower() for name in bodies for a in body_names(name).acronyms})


# "KTMU-mødet", "ØU-møde": a body and the word for a meeting, one hyphenated word
MEETING_PART = ("mød", "møde", "mødet")


def names_a_meeting(term: str, words: frozenset[str]) -> bool:
    """A question's stemmed word that only names a meeting: a body word, or body and "møde" hyphenated."""
    if term in words:
        return True
    parts = [p for p in term.split("-") if p]
    if len(parts) > 1:
        return parts[-1] in MEETING_PART and all(p in words for p in parts[:-1])
    # "byrådsmødet": closed up, with or without the linking s
    head = next((term[: -len(m)] for m in MEETING_PART if term.endswith(m) and len(term) > len(m) + 2), None)
    return head is not None and (head in words or (head.endswith("s") and head[:-1] in words))


def _has(asked: set[str], word: str) -> bool:
    return any(a.startswith(word) for a in asked)


def _strength(question: str, asked: set[str], tokens: set[str], names: BodyNames, councils: set[str]) -> int:
    """2: named as a body (acronym, full name, council word, 'udvalget for …'); 1: by a distinctive word only."""
    if names.acronyms & tokens:
        return 2
    distinctive_named = bool(names.distinctive) and all(_has(asked, w) for w in names.distinctive)
    if names.council and names.council in councils:
        return 2
    if names.committee:
        if distinctive_named:
            return 2
        for match in FOR_COMMITTEE.finditer(question):
            wanted = [stems(g)[0] for g in match.groups() if g and stems(g)]
            if wanted and all(any(n.startswith(w) for n in names.name_words) for w in wanted):
                return 2
        for word in asked:  # "teknikudvalget" → a committee whose name begins with "teknik"
            head = word.split(COMMITTEE)[0] if COMMITTEE in word else ""
            if len(head) >= 4 and any(n.startswith(head) for n in names.name_words):
                return 2
    if distinctive_named:
        return 1
    return 0


def bodies_named(question: str, bodies: list[str]) -> list[str]:
    """The bodies the question names; several when it names a family ("byrådet" with three councils)."""
    asked = set(stems(question.replace("-", " ")))
    tokens = {w for w in WORD.findall(question) if w.isupper()}
    # "byrådet" names the councils called so; where none is, any council ("byrådet" for a kommunalbestyrelse)
    councils = {c for a in asked for c in COUNCIL_STEMS if a.startswith(c)}
    indexed = {body_names(b).council for b in set(bodies)}
    if councils and not councils & indexed:
        councils = indexed - {None}
    strength = {b: _strength(question, asked, tokens, body_names(b), councils) for b in set(bodies)}
    strong = [b for b, s in strength.items() if s == 2]
    if strong:
        # "KKR Nordjylland": the acronym names both KKRs, the distinctive word chooses one
        narrowed = [b for b in strong if body_names(b).distinctive
                    and all(_has(asked, w) for w in body_names(b).distinctive)]
        return sorted(narrowed or strong)
    return sorted(b for b, s in strength.items() if s == 1)


# a question's date, its day's dot often left out: "byrådsmødet 26 juni 2024"
ASKED_DATE = re.compile(rf"\b(\d{{1,2}})\.?\s*({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.I)


# a meeting named by its day without a year: "økonomiudvalgsmødet 5. marts", "på mødet den 9. april"
MEETING_DAY = re.compile(
    rf"møde\w*\s+(?:den\s+|d\.\s*)?(\d{{1,2}})\.?\s*({'|'.join(MONTHS)})\b(?!\.?\s*\d{{4}})", re.I)


def meeting_days_named(question: str) -> set[str]:
    """'MM-DD' of a meeting the question names by day and month alone."""
    return {f"{MONTHS[m.lower()]:02d}-{int(d):02d}" for d, m in MEETING_DAY.findall(question) if 1 <= int(d) <= 31}


def dates_named(question: str) -> set[str]:
    found = {iso_date(m.group(0)) for m in NUMERIC_DATE.finditer(question)}
    found |= {f"{int(y):04d}-{MONTHS[m.lower()]:02d}-{int(d):02d}" for d, m, y in ASKED_DATE.findall(question)
              if 1 <= int(d) <= 31}
    found.discard(None)
    return found


def months_named(question: str) -> set[str]:
    return {f"{int(y):04d}-{MONTHS[m.lower()]:02d}" for m, y in MONTH_YEAR.findall(question)}


def years_named(question: str) -> set[str]:
    """'i 2024', 'i løbet af 2023' — not a year inside a date, a month or a name ('budget 2025')."""
    text = DANISH_DATE.sub(" ", question)
    text = NUMERIC_DATE.sub(" ", text)
    text = MONTH_YEAR.sub(" ", text)
    return set(YEAR.findall(text))


@dataclass(frozen=True)
class Resolution:
    """What the question restricts: meetings in scope, the route that chose them, the years it names."""

    meetings: list[MeetingRecord]
    route: str | None
    years: frozenset[str]
    strip_dates: bool

    @property
    def named(self) -> bool:
        return self.route is not None


def resolve(question: str, records: list[MeetingRecord]) -> Resolution:
    """Restrict ``records`` by the body, date or month the question names; years are returned, not applied.

    A date or month restricts only when some meeting in scope has it ("referatet fra mødet den 10. februar"
    names content, not a meeting, when no meeting was held that day). A year is a weaker signal ("taksten i
    2023" is about the year, not the meeting), so retrieval prefers, and history filters, by it.
    """
    scope, route = records, None
    named = bodies_named(question, [r.body for r in records])
    if named:
        by_body = [r for r in records if r.body in named]
        if by_body and len(by_body) < len(scope):
            scope, route = by_body, "organ"
    dates = dates_named(question)
    chosen = [r for r in scope if r.date in dates]
    stripped = False
    if not chosen and not dates:
        # "udvalgsmødet 4. marts": the meetings of that day in any year (each is answered when several are)
        days = meeting_days_named(question)
        chosen = [r for r in scope if r.date and r.date[5:] in days] if days else []
        if days and not chosen and named:
            # "økonomiudvalgsmødet 5. marts" held by "Højmark Kommune, Økonomiudvalget" while a plain
            # "Økonomiudvalget" was the closer name: the day decides between bodies of that name
            tails = {n.split(",")[-1].strip().lower() for n in named}
            chosen = [r for r in records if r.date and r.date[5:] in days
                      and any(tail in r.body.lower() for tail in tails)]
    if not chosen and not dates:
        months = months_named(question)
        chosen = [r for r in scope if r.date[:7] in months] if months else []
    if chosen and len(chosen) < len(scope):
        scope, route, stripped = chosen, "dato", True
    return Resolution(scope, route, frozenset(years_named(question)), stripped)
