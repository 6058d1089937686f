"""Agenda-portal JSON: one meeting as the portal serves it, already structured into items.

The shape (recognised by its keys, not by a name): ``Udvalg.Navn``; ``Moede`` with ``Dato``, ``Sted``,
``Afsluttet`` and ``Moededeltagere`` (``Absent``, ``ParticipationCancelled``); ``Dagsordenpunkter[]`` with
``Punktnummer``, ``Navn`` (closed items start "Lukket:"), ``SagsNummer``, ``IsOpen``, ``Bilag`` and
``Felter[].Html``. The HTML holds a decision block (``<h3>Beslutning</h3>``), then the presentation
(``<h3>Fremstilling</h3>`` with its own ``<h2>``–``<h4>`` sections) and earlier decisions of other bodies
(``<h3>Sagens forløb</h3>``). The portal has no pages: every section is on page 1.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from index.errors import MinutesError
from index.parsing.readers import Limits
from index.parsing.signals.headings import section_heading
from index.types import AgendaItem, Meeting, Participant, Section

NOT_PORTAL = "JSON-filen er ikke et mødereferat fra en dagsordensportal"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = {"p", "div", "section", "article", "table", "tr", "ul", "ol", "blockquote", "pre", "dl", "dt", "dd",
          "thead", "tbody"}
SKIP = {"script", "style", "head", "title", "noscript"}
CLOSED_TITLE = re.compile(r"^\s*lukket\s*:", re.I)
# "Afbud: Anne Hansen (V), Bo Berg (Stedfortræder: Carl Dam)" / "Fraværende: …" / "Afbud fra Anne Hansen (A)"
ABSENCE_LINE = re.compile(r"^(?:afbud|fraværende|fravær)(?:\s*:|\s+fra\b:?)\s*(?P<names>.+)$", re.I)
PARTY = re.compile(r"^(?P<name>.+?)\s*\((?P<party>[A-ZÆØÅ]{1,3})\)$")
SUBSTITUTE = re.compile(r"\(\s*stedfortræder\s*:?\s*(?P<name>[^)]+)\)", re.I)
# "1. Godkendt", "1.-3. Anbefales.", "2. anbefales" — the numbered outcomes of a decision
OUTCOME = re.compile(r"(?:^|(?<=\s))(?P<first>\d{1,2})\.(?:\s*[-–]\s*(?P<last>\d{1,2})\.?)?\s+(?P<text>.+?)"
                     r"(?=\s+\d{1,2}\.(?:\s*[-–]\s*\d{1,2}\.?)?\s|$)", re.S)
POINT = re.compile(r"^(?P<number>\d{1,2})\.\s+(?P<text>\S.*)$")
MARKERS = {"beslutning": "decision", "fremstilling": "presentation", "sagens forløb": "history"}


def looks_like_portal_meeting(data: object) -> bool:
    """True for one meeting of an agenda portal: a meeting object and a list of agenda items with titles."""
    if not isinstance(data, dict):
        return False
    items = data.get("Dagsordenpunkter")
    meeting = data.get("Moede")
    if not isinstance(items, list) or not isinstance(meeting, dict):
        return False
    if not ("Dato" in meeting or "MeetingBeginUtc" in meeting):
        return False
    return all(isinstance(item, dict) and ("Navn" in item or "Caption" in item) for item in items)


def read_portal_file(path: Path, limits: Limits) -> Meeting:
    """Read a ``.json`` file of an agenda portal; raises MinutesError naming the file and the reason."""
    if path.is_dir():
        raise MinutesError(path, "er en mappe, ikke en fil")
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise MinutesError(path, f"filen er for stor ({size / 1e6:.1f} MB; højst {limits.max_bytes / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise MinutesError(path, f"kan ikke læses ({exc.strerror or exc})") from exc
    if not data.strip():
        raise MinutesError(path, "filen er tom")
    return read_portal_meeting(path, data)


def read_portal_meeting(path: Path, data: bytes) -> Meeting:
    """The typed Meeting of one portal JSON document (``data`` are the file's bytes)."""
    path = Path(path)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MinutesError(path, f"JSON-filen kan ikke læses ({exc.__class__.__name__})") from exc
    if not looks_like_portal_meeting(document):
        raise MinutesError(path, NOT_PORTAL)
    meeting = document["Moede"]
    raw_items = document["Dagsordenpunkter"]
    flag_means_something = any(item.get("IsOpen") is True for item in raw_items)
    items: list[AgendaItem] = []
    absences: dict[str, list[str]] = {}
    words: dict[str, str] = {}
    substitutes: dict[str, str] = {}
    decided: list[str] = []
    for position, raw in enumerate(raw_items, start=1):
        item, absent = _item(raw, position, flag_means_something)
        items.append(item)
        if item.section("Beslutning") is not None or absent:
            decided.append(item.number)
        for name, word, substitute in absent:
            if item.number not in absences.setdefault(name, []):
                absences[name].append(item.number)
            words.setdefault(name, word)
            if substitute:
                substitutes.setdefault(substitute, name)
    participants = _participants(meeting.get("Moededeltagere") or [], absences, decided, words, substitutes)
    when = str(meeting.get("Dato") or meeting.get("MeetingBeginUtc") or "")
    date = when[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", when) else None
    time = when[11:16] if re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", when) and when[11:16] != "00:00" else None
    warnings = []
    if meeting.get("Afsluttet") is False:
        warnings.append("Mødet er ikke afsluttet i portalen; beslutningerne kan mangle.")
    return Meeting(
        source=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        body=_body(document),
        date=date,
        pages=1,
        participants=tuple(participants),
        items=tuple(items),
        participants_section=_participants_section(participants),
        warnings=tuple(warnings),
        place=_clean(str(meeting.get("Sted") or "")) or None,
        time=time,
    )


def _body(document: dict) -> str:
    committee = document.get("Udvalg") if isinstance(document.get("Udvalg"), dict) else {}
    body = _clean(str(committee.get("Navn") or "")).lstrip(".").strip()
    owner = ""
    for key in ("Kommune", "KommuneNavn", "Municipality", "MunicipalityName"):
        if isinstance(document.get(key), str) and document[key].strip():
            owner = _clean(document[key])
    if owner and body:
        return f"{owner}, {body}"
    return body or owner or "Ukendt udvalg"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u200b", "")).strip()


# --- HTML → lines ------------------------------------------------------------------------------------

def _lines(html: str) -> list[tuple[str, str, int]]:
    """The HTML as (kind, text, level): kind "h" for a heading, "t" for one block of text."""
    out: list[tuple[str, str, int]] = []
    current: list[str] = []

    def flush() -> None:
        text = _clean("".join(current))
        current.clear()
        if text:
            out.append(("t", text, 0))

    def walk(node: Tag, numbered: list[int] | None = None) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                current.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in SKIP:
                continue
            if child.name == "br":
                flush()
            elif child.name in HEADINGS:
                flush()
                text = _clean(child.get_text(" "))
                if text:
                    out.append(("h", text, int(child.name[1])))
            elif child.name == "li":
                flush()
                if numbered is not None:
                    numbered[0] += 1
                    current.append(f"{numbered[0]}. ")
                else:
                    current.append("– ")
                walk(child)
                flush()
            elif child.name in ("ol", "ul"):
                flush()
                start = child.get("start")
                counter = [int(start) - 1 if str(start or "").isdigit() else 0] if child.name == "ol" else None
                walk(child, counter)
                flush()
            elif child.name in BLOCKS or child.name in ("td", "th"):
                flush()
                walk(child)
                flush()
            else:
                walk(child, numbered)

    walk(BeautifulSoup(html, "html.parser"))
    flush()
    return out


def _section(name: str, kind: str, paragraphs: list[str]) -> Section:
    text = "\n".join(paragraphs)
    return Section(name=name, kind=kind, text=text, pages=(1, 1), page_marks=((0, 1),), heading=name)


def _kind(heading: str) -> tuple[str, str]:
    found = section_heading(heading)
    if found and not found[2]:
        return found[0], found[1]
    return heading, heading


def _sections(html: str, title: str) -> tuple[list[Section], list[tuple[str, str, str | None]]]:
    """Sections in order and the names on absence lines of the decision (moved out of its text)."""
    parts: list[tuple[str, str, list[str]]] = []  # (name, kind, paragraphs)
    absent: list[tuple[str, str, str | None]] = []
    mode = "preamble"
    for kind, text, _level in _lines(html):
        if kind == "h":
            marker = MARKERS.get(text.casefold().rstrip(":"))
            if marker == "decision" and mode != "presentation":
                mode = "decision"
                parts.append(("Beslutning", "Beslutning", []))
            elif marker == "presentation":
                mode = "presentation"
                parts.append(("Fremstilling", "Sagsfremstilling", []))
            elif marker == "history":
                mode = "history"
                parts.append(("Sagens forløb", "Sagsforløb", []))
            elif mode == "history":
                parts[-1][2].append(text)
            else:
                if mode == "preamble":
                    mode = "presentation"
                name, section_kind = _kind(text)
                parts.append((name, section_kind, []))
            continue
        if mode == "preamble" and not parts:
            if text.casefold() == title.casefold():
                continue
            parts.append(("Tekst", "Tekst", []))
        if mode == "decision":
            match = ABSENCE_LINE.match(text)
            if match:
                word = "fraværende" if text.lower().startswith("fravær") else "afbud"
                absent.extend(_names(match.group("names"), word))
                continue
        parts[-1][2].append(text)
    sections = [_section(name, kind, paragraphs) for name, kind, paragraphs in parts if paragraphs]
    # text before any heading: the decision when it is short and no decision block follows
    if sections and sections[0].kind == "Tekst":
        first = sections[0]
        short = len(first.text.split()) <= 60
        if short and not any(s.kind == "Beslutning" for s in sections[1:]):
            sections[0] = _section("Beslutning", "Beslutning", first.text.split("\n"))
        else:
            sections[0] = _section("Tekst", "Sagsfremstilling", first.text.split("\n"))
    return _paired(sections), absent


def _names(text: str, word: str) -> list[tuple[str, str, str | None]]:
    """'Anne Hansen (V), Bo Berg (Stedfortræder: Carl Dam) og Dan Eg.' → (name as written, word, substitute)."""
    names = []
    for part in re.split(r",\s*(?![^()]*\))|\s+og\s+(?![^()]*\))", text):
        substitute = SUBSTITUTE.search(part)
        part = SUBSTITUTE.sub("", part).strip().rstrip(".").strip()
        if part and len(part.split()) <= 6:
            names.append((part, word, _clean(substitute.group("name")) if substitute else None))
    return names


def _paired(sections: list[Section]) -> list[Section]:
    """A decision given as numbered outcomes gets one line per point of the recommendation it answers."""
    decision = next((s for s in sections if s.kind == "Beslutning"), None)
    recommendation = next((s for s in sections if s.kind == "Indstilling"), None)
    if decision is None or recommendation is None or not re.match(r"^\s*\d{1,2}\.", decision.text):
        return sections
    points = {}
    for paragraph in recommendation.text.split("\n"):
        match = POINT.match(paragraph.strip())
        if match:
            points.setdefault(int(match.group("number")), match.group("text").strip())
    if not points:
        return sections
    lines = []
    for match in OUTCOME.finditer(decision.text):
        first = int(match.group("first"))
        last = int(match.group("last") or first)
        outcome = _clean(match.group("text"))
        for number in range(first, min(last, first + 30) + 1):
            if number in points:
                lines.append(f"{number}. {points[number]} – {outcome}")
    if not lines:
        return sections
    paired = _section(decision.name, decision.kind, [decision.text, *lines])
    return [paired if s is decision else s for s in sections]


# --- items and people -------------------------------------------------------------------------------

def _item(raw: dict, position: int, flag_means_something: bool
          ) -> tuple[AgendaItem, list[tuple[str, str, str | None]]]:
    title = _clean(str(raw.get("Navn") or raw.get("Caption") or ""))
    number = _clean(str(raw.get("Punktnummer") or raw.get("Number") or position))
    case = _clean(str(raw.get("SagsNummer") or raw.get("CaseNumber") or ""))
    cases = (case,) if case else ()
    attachments = tuple(
        _clean(str(b.get("Navn") or "")) for b in (raw.get("Bilag") or []) if isinstance(b, dict) and b.get("Navn")
    )
    closed = bool(CLOSED_TITLE.match(title)) or (flag_means_something and raw.get("IsOpen") is False)
    if closed:
        return AgendaItem(number=number, title=title, cases=cases, pages=(1, 1), sections=(), heading=title,
                          access="lukket"), []
    html = "\n".join(str(f.get("Html") or "") for f in (raw.get("Felter") or []) if isinstance(f, dict))
    sections, absent = _sections(html, title)
    return AgendaItem(number=number, title=title, cases=cases, pages=(1, 1), sections=tuple(sections),
                      attachments=attachments, heading=title), absent


def _person(text: str, role: str, note: str | None = None) -> Participant:
    """'Anne Hansen (V)' → party V; 'Carl Dam (Stedfortræder for Bo Berg)' → the parenthesis as the note."""
    match = PARTY.match(text)
    name, party = (match.group("name"), match.group("party")) if match else (text, None)
    remark = re.match(r"^(?P<name>[^()]+?)\s*\((?P<remark>[^()]{4,})\)$", name)
    if remark:
        name = remark.group("name")
        written = _clean(remark.group("remark"))
        note = note or written[:1].lower() + written[1:]
    return Participant(name=_clean(name), party=party, municipality=None, role=role, note=note)


def _participants(members: list, absences: dict[str, list[str]], decided: list[str], words: dict[str, str],
                  substitutes: dict[str, str]) -> list[Participant]:
    """Members from the meeting, absent by its flags or by the decisions' absence lines (with the items
    when only some decisions name them), then people named only on those lines, then substitutes."""
    people: list[Participant] = []
    seen: dict[str, int] = {}

    def note_for(name: str) -> str | None:
        items = absences.get(name, [])
        if not items or len(items) >= len(decided):
            return None
        return f"{words.get(name, 'afbud')} under punkt " + ", ".join(items)

    def add(person: Participant) -> None:
        if person.name in seen:
            return
        seen[person.name] = len(people)
        people.append(person)

    absent_names = {_person(n, "afbud").name: n for n in absences}
    for member in members:
        if not isinstance(member, dict) or not str(member.get("Name") or "").strip():
            continue
        person = _person(_clean(str(member["Name"])), "deltager")
        away = bool(member.get("Absent") or member.get("ParticipationCancelled"))
        if person.name in absent_names:
            note = note_for(absent_names[person.name])
            person = Participant(person.name, person.party, None, "afbud", note)
        elif away:
            person = Participant(person.name, person.party, None, "afbud", None)
        if person.name in substitutes and person.role == "deltager":
            person = Participant(person.name, person.party, None, "deltager",
                                 f"stedfortræder for {substitutes[person.name]}")
        add(person)
    for name in absences:
        add(_person(name, "afbud", note_for(name)))
    for name, replaced in substitutes.items():
        add(_person(name, "deltager", f"stedfortræder for {replaced}"))
    return people


def _participants_section(people: list[Participant]) -> Section | None:
    if not people:
        return None
    lines: list[str] = []
    for heading, role in (("Deltagere", "deltager"), ("Afbud", "afbud")):
        chosen = [p for p in people if p.role == role]
        if not chosen:
            continue
        lines.append(heading)
        for p in chosen:
            line = p.name + (f" ({p.party})" if p.party else "")
            lines.append(line + (f" – {p.note}" if p.note else ""))
    return _section("Deltagere", "Deltagere", lines)
