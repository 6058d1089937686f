"""Meeting facts from the front page, running headers and first lines: issuing body, date, time, place."""

from __future__ import annotations

import re
from pathlib import Path

from index.dates import iso_date
from index.parsing.cleaning import despace

# words that make a line name an issuing body ('Kommune' or 'Region' alone names its owner, see OWNER)
BODY_WORD = re.compile(
    r"(udvalg|byråd|kommunalbestyrelse|\bKKR\b|regionsråd|\w*råd(et)?\b|bestyrelse|borgerrepræsentation|"
    r"forening|generalforsamling|repræsentantskab|\bKL\b)", re.I)
MEETING_OF = re.compile(r"^(?:(?:fra|af|for)\s+)?(?:(?:det|et)\s+)?(?:ordinært|ekstraordinært)?\s*(?:møde|mødet)\s+"
                        r"(?:i|for)\s+", re.I)
BODY_LABEL = re.compile(r"^(?:udvalg|organ|forum|mødeforum|møde i)\s*:\s*(.+)$", re.I)
PERSON_LINE = re.compile(r"[a-zæøå] \([A-ZÆØÅ]{1,2}\)")
# a label line that gives something else than the body ('Mødested: Byrådssalen')
LABEL = re.compile(r"^(mødested|sted|lokale|adresse|dato|tid|tidspunkt|mødetid|mødedato|start|slut|afholdt|"
                   r"deltagere|fraværende|afbud|til stede|referent|dirigent|medlemmer|indkaldt|emne|"
                   r"sagsnr|side)\b", re.I)
COUNCIL = re.compile(r"\b(byråd(et)?|kommunalbestyrelse(n)?|regionsråd(et)?|borgerrepræsentation(en)?)\b", re.I)
OWNER = re.compile(
    r"^([A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+)*\s+(Kommune|Skole|Amt)|Region\s+[A-ZÆØÅ][\wæøå-]+"
    # a company or cooperative owns its board: 'Lyngkær Forsyning A/S', 'Hjortebæk Vandværk a.m.b.a.'
    r"|[A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+)*\s+(?:A/S|I/S|ApS|P/S|[Aa]\.[Mm]\.[Bb]\.[Aa]\.?|[Aa]mba))$")
# 'Referat af bestyrelsesmøde', 'Forældrebestyrelsesmøde', 'lokalrådsmøde': the meeting names its body
MEETING_OF_BODY = re.compile(
    r"^(?:referat\s+)?(?:af|fra|for)?\s*(?:ordinært\s+|ekstraordinært\s+)?"
    r"(?P<body>[a-zæøå-]*?(?P<kind>bestyrelse|råd|udvalg|repræsentantskab))s?møde(?:t)?\b", re.I)
DEFINITE = {"bestyrelse": "n", "råd": "et", "udvalg": "et", "repræsentantskab": "et"}
DEFINITE_COUNCIL = {"byrådet": "Byråd", "kommunalbestyrelsen": "Kommunalbestyrelse"}
# a date that says when the file was made, not when the meeting was held
STAMP = re.compile(r"\b(?:udskrevet|printet|dannet|genereret|opdateret|offentliggjort|publiceret|udsendt)\b"
                   r"[^\n\d]{0,12}\d{1,4}[./-]\d{1,2}[./-]\d{2,4}", re.I)
NOISE = re.compile(r"^(referat|dagsorden|beslutningsprotokol|protokol|mødereferat)\b[\s:–-]*", re.I)
# the document kind after the body's name, where OCR joined a header's two fields ('VEJBY BYRÅD REFERAT')
TRAILING_NOISE = re.compile(r"[\s:–-]+(referat|dagsorden|beslutningsprotokol|protokol|mødereferat)$", re.I)
MEETING_KIND = re.compile(r"\b((?:ordinær|ekstraordinær)e?\s+generalforsamling|generalforsamling)\b", re.I)
BODY_IN_LINE = (
    re.compile(r"\bKKR\s+[A-ZÆØÅ][a-zæøå]+(?:\s*-\s*[A-ZÆØÅ][a-zæøå]+)?"),
    re.compile(r"\b[A-ZÆØÅ][\wæøå-]+\s+(?:Byråd|Kommunalbestyrelse|Regionsråd)\b"),
    re.compile(r"\b(?:Byrådet|Kommunalbestyrelsen|Regionsrådet|Borgerrepræsentationen)(?:\s+i\s+[A-ZÆØÅ]\w+)?"),
    re.compile(r"\b[A-ZÆØÅ][\wæøå-]*(?:[,-]\s+[\wæøå-]+)*(?:\s+og\s+[A-ZÆØÅ]?[\wæøå-]*)?udvalget\b"
               r"(?:\s+for\s+[\wæøå ,-]+)?"),
    re.compile(r"\bUdvalget\s+for\s+[\wæøå ,-]+?(?:\s*\([A-ZÆØÅ]{2,8}\))?(?=\s*$|\s+den\b|\s+\d|\s+møde)"),
    re.compile(r"\b[A-ZÆØÅ][\wæøå]*(?:foreningen|selskabet)\s+[A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+)*"
               r"(?:,\s+afdeling\s+\d+(?:\s+[A-ZÆØÅ][\wæøå-]+)*)?"),
    re.compile(r"\b[A-ZÆØÅ][\wæøå-]+\s+(?:Skoles?|Skoles)\s+[Ss]kolebestyrelse|\b[Ss]kolebestyrelsen\s+(?:på|ved)\s+"
               r"[A-ZÆØÅ][\wæøå ]+"),
)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", despace(text)).strip(" ,.:;–-")


def _owner(line: str) -> str | None:
    cleaned = _clean(line)
    match = OWNER.match(cleaned.title() if cleaned.isupper() else cleaned)
    return match.group(0) if match else None


def _fields(lines: list[str]) -> list[str]:
    """Header and title lines hold several fields: 'Bjergsted Kommune    Teknik- og Miljøudvalget    10-04-2024',
    'Referat - Teknik- og Miljøudvalget - 09.04.2024 - Vejby Kommune'."""
    out: list[str] = []
    for line in lines:
        if not line or line.count("|") >= 2:
            continue  # a menu or breadcrumb
        # a comma after a hyphen enumerates within one name ("Klima-, Teknik- og Miljøudvalget")
        parts = [p for p in re.split(r"\s{3,}|\s+[-–·|]\s+|(?<!-),\s+(?=[A-ZÆØÅ])", despace(line)) if p.strip()]
        out.extend(parts if len(parts) > 1 else [line])
    return out


def _body_from_line(text: str) -> str | None:
    """The body a line names, cut free of 'Referat fra …', dates and places."""
    line = TRAILING_NOISE.sub("", NOISE.sub("", _clean(text)))
    line = MEETING_OF.sub("", line)
    if not line or LABEL.match(line) or not BODY_WORD.search(line) or PERSON_LINE.search(line):
        return None
    if re.search(r"\bdeltog\b", line, re.I):
        return None  # 'Fra bestyrelsen deltog: …' lists people
    for pattern in BODY_IN_LINE:
        match = pattern.search(line)
        if match:
            return match.group(0).strip(" ,.")
    definite = len(line.split()) == 1 and line.endswith(("et", "en"))  # 'Skolebestyrelsen', not a menu's 'Udvalg'
    if len(line) <= 70 and (len(line.split()) >= 2 or definite) and not re.search(r"\d", line) \
            and line[:1].isupper():
        return line
    return None


def _body_of_meeting(lines: list[str]) -> str | None:
    """'Referat af bestyrelsesmøde' → 'Bestyrelsen': the meeting's own name, where no line names the body."""
    for line in lines:
        match = MEETING_OF_BODY.match(_clean(line))
        if match:
            name = match.group("body").lower()
            return name[:1].upper() + name[1:] + DEFINITE[match.group("kind").lower()]
    return None


def find_body(header_lines: list[str], front_lines: list[str], text: str, path: Path, title: str = "") -> str:
    """The issuing body, with its municipality or organisation where the document gives it."""
    lines = _fields([*header_lines, *front_lines[:15], title])
    found = [(i, b) for i, line in enumerate(lines) if line and not LABEL.match(_clean(line))
             and (b := _body_from_line(line)) and not _owner(b)]
    labelled = {b for line in [*header_lines, *front_lines[:30]] if (m := BODY_LABEL.match(line.strip()))
                and (b := _body_from_line(m.group(1)))}
    declared = set(_fields([title, *header_lines]))

    def weight(entry: tuple[int, str]) -> tuple[float, int]:
        index, name = entry
        score = 2.0 * (name in labelled) + 2.0 * any(name in d for d in declared)
        # a run of body names one under the other is a menu of committees, not this meeting's body
        neighbours = sum(1 for j, other in found if abs(j - index) == 1 and other != name)
        return (score - 1.5 * (neighbours > 0), -index)

    body = max(found, key=weight)[1] if found else None
    owner = next((o for line in lines if line and (o := _owner(line))), None)
    if body is None:
        body = _body_of_meeting(lines)
    if body is None:
        for pattern in BODY_IN_LINE:
            match = pattern.search(text[:4000]) or pattern.search(text)
            if match:
                body = re.sub(r"\s+", " ", match.group(0)).strip(" ,.")
                break
    if body is None:
        body = owner or _readable(path)
        owner = None
    if body.isupper():
        # a letter-spaced or capitalised header: the casing the running text uses for the same name
        written = [m.group(0) for m in re.finditer(re.escape(body), text, re.I) if not m.group(0).isupper()]
        body = written[0] if written else body.title()
    # "KKR Nordjyllands møde" is the genitive of the body's name
    if body.endswith("s") and re.search(rf"\b{re.escape(body[:-1])}\b(?!s)", text):
        body = body[:-1]
    body = _with_owner(body, owner)
    kind = next((m.group(1) for line in front_lines[:8] if (m := MEETING_KIND.search(line))), None)
    if kind and "generalforsamling" not in body.lower():
        body = f"{body}, {kind.lower()}"
    return body


def _with_owner(body: str, owner: str | None) -> str:
    """'Teknik- og Miljøudvalget' of 'Vejby Kommune' → 'Vejby Kommune, Teknik- og Miljøudvalget';
    'Byrådet' → 'Vejby Byråd'."""
    if not owner:
        return body
    words = owner.split()
    generic, name = (words[0], " ".join(words[1:])) if words[0] == "Region" else (words[-1], " ".join(words[:-1]))
    if name.lower() in body.lower():
        return body
    kind = generic
    if owner.startswith("Region"):
        return f"{body}, {owner}"
    if kind == "Kommune" and body.lower() in DEFINITE_COUNCIL:
        return f"{name} {DEFINITE_COUNCIL[body.lower()]}"
    if kind == "Skole":
        return f"{body} ved {owner}"
    return f"{owner}, {body}"


def _readable(path: Path) -> str:
    """The file name as a last resort, without dates and separators."""
    stem = re.sub(r"\d{4}-\d{2}-\d{2}|\d{1,2}[.-]\d{1,2}[.-]\d{2,4}|\d+", " ", path.stem)
    words = [w for w in re.split(r"[\s_.-]+", stem) if w and w.lower() not in ("referat", "dagsorden")]
    return " ".join(words).capitalize() if words else path.stem


def find_date(header_lines: list[str], front_lines: list[str], text: str, path: Path) -> str | None:
    def dated(chunk: str) -> str | None:
        return iso_date(STAMP.sub(" ", chunk))

    return (dated(" ".join(header_lines)) or dated("\n".join(front_lines[:25])) or dated(text[:3000])
            or iso_date(path.stem) or dated(text))


PLACE = re.compile(r"^(?:mødested|sted|lokale|mødelokale)\s*:?\s+(?P<place>.+)$", re.I)
TIME = re.compile(r"\b(?:kl\.?|klokken|tidspunkt:?|mødetid:?|tid:)\s*(?P<time>\d{1,2}(?:[.:]\d{2})?)"
                  r"(?:\s*[-–]\s*(?P<end>\d{1,2}(?:[.:]\d{2})?))?", re.I)


def find_place(front_lines: list[str]) -> str | None:
    for line in front_lines[:30]:
        match = PLACE.match(line.strip())
        if match:
            return match.group("place").strip()
    return None


def find_time(front_lines: list[str]) -> str | None:
    for line in front_lines[:30]:
        match = TIME.search(line)
        if match:
            start = match.group("time").replace(":", ".")
            return f"{start}–{match.group('end').replace(':', '.')}" if match.group("end") else start
    return None
