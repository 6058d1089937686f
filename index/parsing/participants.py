"""Parse the participants block (Deltagere / Afbud / KL-udvalgsmedlem …) into records."""

from __future__ import annotations

import re

from index.types import Line, Participant

ROLE_HEADINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(deltagere|til stede|tilstede|mødedeltagere|fremmødte|medlemmer|fra \w+ deltog)$", re.I),
     "deltager"),
    (re.compile(r"^kl-udvalgsmedlem(mer)?$", re.I), "kl-udvalgsmedlem"),
    (re.compile(r"^(afbud|fraværende|fravær|afbud fra)$", re.I), "afbud"),
    (re.compile(r"^(desuden deltog|øvrige deltagere|fra administrationen|fra forvaltningen|sekretariat|gæster|"
                r"endvidere deltog|deltog desuden|desuden til stede)$", re.I), "øvrig"),
)
# a heading and its names on one line without a colon, as a saved web page's definition list reads:
# "Deltagere Inga Bonde (formand), Svend Aage Tolstrup", "Afbud Gudrun Ravn"
HEADING_THEN_NAMES = re.compile(
    r"^(deltagere|til stede|tilstede|medlemmer|afbud|fraværende|afbud fra|fra forvaltningen|fra administrationen|"
    r"desuden deltog|endvidere deltog|deltog desuden)\s+(?=[A-ZÆØÅ])(.*)$", re.I)
# a part of a name list that is the previous person's municipality or region, not a person
PLACE_ONLY = re.compile(r"^[A-ZÆØÅ][\w æøå-]*(?:Kommune|Region \w+|Regionen)$")
BLOCK_START = re.compile(
    r"^(deltagerfortegnelse|deltagere|til stede|tilstede|mødedeltagere|fremmødte|afbud|fraværende|medlemmer|"
    r"fra \w+ deltog\s*:)", re.I
)
NAME = r"[A-ZÆØÅ][\w'’.-]*(?:\s+(?:[A-ZÆØÅ][\w'’.-]*|von|van|de|la|af))*"
PERSON = re.compile(
    rf"^(?P<name>{NAME})\s*(?:\((?P<party>[A-ZÆØÅ]{{1,3}})\))?\s*,?\s*"
    r"(?P<muni>[A-ZÆØÅ][\w æøå-]*?(?:Kommune|Region \w+|Regionen))?\s*,?\s*"
    r"(?:\((?P<note>[^)]*)\))?\s*(?P<extra>.*)$"
)


def _role_for(heading: str) -> str | None:
    text = heading.strip().rstrip(":").strip()
    for pattern, role in ROLE_HEADINGS:
        if pattern.match(text):
            return role
    return None


def participants_block(front: list[Line]) -> list[Line]:
    """The lines of the participants block: from its first heading to the end of the front matter."""
    for index, line in enumerate(front):
        if BLOCK_START.match(line.text):
            return front[index:]
    return []


def _balanced(lines: list[Line]) -> list[Line]:
    # a note in parentheses may wrap onto the next line: "(suppleant for Lene" + "Schmidt Aalestrup)"
    # a list wrapped at a hard line break may split a name: "…, Kasper" + "Refsgaard (A), …", "Malene Stavnsbo"
    # + "(F), …"
    merged: list[Line] = []
    for line in lines:
        previous = merged[-1].text.rstrip() if merged else ""
        text = line.text.strip()
        # (only a line that filled the width wraps; a list of one person per line does not)
        split_name = (len(previous) >= 60 and "," in previous and re.search(r"[A-ZÆØÅ][\w'’-]*$", previous) is not None
                      and re.match(r"^(?:\(|[A-ZÆØÅ])", text) is not None and _role_for(text.partition(":")[0]) is None
                      and not BLOCK_START.match(text) and not HEADING_THEN_NAMES.match(text))
        if merged and (merged[-1].text.count("(") > merged[-1].text.count(")") or split_name):
            merged[-1] = Line(f"{merged[-1].text} {line.text}", merged[-1].page)
        else:
            merged.append(line)
    return merged


def _person(text: str, role: str) -> Participant | None:
    match = PERSON.match(text.strip().rstrip(",;."))
    if not match or (match.group("extra") and not match.group("party") and not match.group("muni")):
        return None
    if " " not in match.group("name").strip() and not match.group("party"):
        return None
    note = match.group("note")
    extra = match.group("extra").strip(" ,;")
    if extra:
        note = f"{note}; {extra}" if note else extra
    return Participant(
        name=match.group("name").strip(),
        party=match.group("party"),
        municipality=(match.group("muni") or "").strip() or None,
        role=role,
        note=note.strip() if note else None,
    )


def _list_parts(text: str) -> list[str]:
    """A name list cut at commas and "og" outside parentheses; a municipality stays with its person."""
    parts: list[str] = []
    depth, start = 0, 0
    # a sentence ends the list: "… og Torben Vestergaard. Jens Otto Riis havde meldt afbud."
    for match in re.finditer(r"[()]|,\s*|\s+og\s+|(?<=[a-zæøå]{2})\.\s+(?=[A-ZÆØÅ])", text):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    merged: list[str] = []
    for part in (p.strip(" .;") for p in parts):
        if not part:
            continue
        if merged and PLACE_ONLY.match(part):
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    return merged


def _people_in(text: str, role: str) -> list[Participant]:
    """The persons a line names: one ("Anne Vik (V), Vestby Kommune") or a list wrapped over lines
    ("Ole Dam (C), Helle Mark (V), Søren Gad (F),")."""
    listed = [p for p in (_person(part, role) for part in _list_parts(text)) if p]
    if len(listed) >= 2:
        return listed
    person = _person(text, role)
    return [person] if person else listed


def parse_participants(block: list[Line]) -> list[Participant]:
    """One record per person, in the order of the source, inconsistencies kept."""
    people: list[Participant] = []
    role = "deltager"
    for line in _balanced(block):
        text = line.text.strip()
        if BLOCK_START.match(text) and text.lower().startswith("deltagerfortegnelse"):
            continue
        heading, _, inline = text.partition(":")
        heading_role = _role_for(heading) if ":" in text or _role_for(text) else None
        if heading_role is None and _role_for(text):
            heading_role = _role_for(text)
            inline = ""
        if heading_role is None and (unmarked := HEADING_THEN_NAMES.match(text)):
            heading_role, inline = _role_for(unmarked.group(1)), unmarked.group(2)
        if heading_role:
            role = heading_role
            if inline.strip():
                people.extend(_people_in(inline.strip(), role))
            continue
        people.extend(_people_in(text, role))
    return people


ABSENT_SENTENCE = re.compile(
    r"\b(?:modtaget\s+|meldt\s+)?afbud\s+fra\s*:?\s*(?P<names>[^.;\n]+)"
    r"|\bfraværende\s*(?:var)?\s*:?\s*(?P<away>[^.;\n]+)", re.I)
ABSENT_AFTER = re.compile(
    r"(?:^|[.!?]\s+)(?P<name>[A-ZÆØÅ][\w'’-]+(?:\s+[A-ZÆØÅ][\w'’-]+){1,3})\s*(?:\((?P<party>[A-ZÆØÅ]{1,3})\))?"
    r"\s+(?:havde\s+)?(?:meldt\s+afbud|var\s+fraværende)\b")
ABSTAINED = re.compile(
    rf"(?P<name>{NAME})\s*(?:\((?P<party>[A-ZÆØÅ]{{1,3}})\))?\s+(?P<note>deltog ikke i (?:behandlingen|"
    r"drøftelsen)(?: af)?(?: dette)? (?:punkt(?:et)?(?: \d+(?:\.\d+)?)?|sagen)|erklærede sig inhabil|var inhabil)",
    re.I)


ROLE_SENTENCE = re.compile(
    rf"(?P<name>{NAME})\s+(?:blev\s+(?:valgt|genvalgt)\s+)?som\s+(?P<role>dirigent|referent|ordstyrer)\b")
ROLE_LINE = re.compile(rf"^(?P<role>dirigent|referent|ordstyrer|mødeleder|sekretær)\s*:\s*(?P<name>{NAME})\s*$", re.I)


def _names(text: str) -> list[tuple[str, str | None]]:
    people = []
    for part in re.split(r",\s*|\s+og\s+", text.strip()):
        match = re.match(rf"^\s*(?P<name>{NAME})\s*(?:\((?P<party>[A-ZÆØÅ]{{1,3}})\))?", part)
        if match and " " in match.group("name").strip():
            people.append((match.group("name").strip(), match.group("party")))
    return people


def participants_from_sentences(front: list[Line], items, known: set[str]) -> list[Participant]:
    """Attendance written as sentences: 'Der var modtaget afbud fra A og B', 'X deltog ikke i behandlingen …'.

    Absence is read from the front matter and the first item (where minutes record it); notes on one item
    from every item.
    """
    found: list[Participant] = []
    seen = set(known)
    first = [ln for s in items[0].sections for ln in s.lines] if items else []
    for line in [*front, *first]:
        # 'Jens Otto Riis havde meldt afbud.'
        for match in ABSENT_AFTER.finditer(line.text):
            name = match.group("name").strip()
            if name not in seen and " " in name:
                seen.add(name)
                found.append(Participant(name=name, party=match.group("party"), municipality=None, role="afbud"))
        for match in ABSENT_SENTENCE.finditer(line.text):
            for name, party in _names(match.group("names") or match.group("away") or ""):
                if name not in seen:
                    seen.add(name)
                    found.append(Participant(name=name, party=party, municipality=None, role="afbud"))
    for line in [*front, *(ln for item in items for s in item.sections for ln in s.lines)]:
        # 'Dirigent: Bent Overgaard' under an association's minutes, 'Referent: …' on a front page
        roles = [m for m in [ROLE_LINE.match(line.text.strip())] if m] + list(ROLE_SENTENCE.finditer(line.text))
        for role in roles:
            name = role.group("name").strip()
            if re.search(r"\w{2}\.$", name):
                name = name[:-1]  # the sentence's full stop, not an initial's ('Referent: Nanna Thyregod.')
            if name not in seen and " " in name:
                seen.add(name)
                found.append(Participant(name=name, party=None, municipality=None, role="øvrig",
                                         note=role.group("role").lower()))
    for item in items:
        for section in item.sections:
            for line in section.lines:
                for match in ABSTAINED.finditer(line.text):
                    name = match.group("name").strip()
                    note = f"{match.group('note')} (punkt {item.number})"
                    found.append(Participant(name=name, party=match.group("party"), municipality=None,
                                             role="øvrig", note=note))
    return found


def trailing_block(items) -> list[Line]:
    """A participants list printed after the last item ('Deltagerfortegnelse' on the last page): its lines,
    taken out of that item. Recognised by a block heading alone on its line and persons under it."""
    if not items:
        return []
    last = items[-1]
    lines = [(s, ln) for s in last.sections for ln in s.lines]
    for index, (_, line) in enumerate(lines):
        text = line.text.strip()
        if not BLOCK_START.match(text) or len(text) > 40:
            continue
        following = [ln.text for _, ln in lines[index + 1 : index + 6]]
        if sum(1 for t in following if _person(t, "deltager")) < 2:
            continue
        block = [ln for _, ln in lines[index:]]
        cut = {id(ln) for ln in block}
        for section in last.sections:
            section.lines = [ln for ln in section.lines if id(ln) not in cut]
        last.sections = [s for s in last.sections if s.lines or s.kind != "Tekst"]
        return block
    return []
