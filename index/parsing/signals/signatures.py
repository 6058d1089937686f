"""E-signature and certificate pages: not part of the minutes, but who signed them and when is.

Signing services append pages to the signed PDF: an audit trail ("Underskrevet af … den …"), each signer's
certificate (serial number, issuer, PAdES/NemID/MitID validation) and a document key. Such pages are
recognised by that generic vocabulary, only at the end of the file (where the services put them), and never
all pages: a file of only such pages is read as it is.
"""

from __future__ import annotations

import re

from index.dates import DANISH_DATE, ISO_DATE, NUMERIC_DATE, iso_date
from index.types import Line, Signature

# generic e-signature vocabulary; one hit is an ordinary sentence, several on one page are an audit trail
VOCABULARY = {
    "underskrevet": re.compile(r"\bunderskre(?:vet|v)\b|\bunderskrift(?:er)?\b|\bsigned\b", re.I),
    "signeret": re.compile(r"\bsigner(?:et|ing)\b|\bsignatur(?:en|er)?\b|\bsignature\b|\be-?signatur", re.I),
    "nøgle": re.compile(r"\bdokument-?n[øo]gle\b|\bdocument key\b|\bdokument-?id\b", re.I),
    "certifikat": re.compile(r"\bcertifi(?:kat|cate)", re.I),
    "serienummer": re.compile(r"\bseri(?:e)?nummer\b|\bserial number\b", re.I),
    "pades": re.compile(r"\bPAdES\b|\bX\.509\b|\bLTV\b|\bCAdES\b", re.I),
    "eid": re.compile(r"\bNem-?ID\b|\bMit-?ID\b|\bBankID\b|\beID\b", re.I),
    "revision": re.compile(r"\baudit(?:\s*trail)?\b|\brevisionsspor\b|\bhændelseslog\b|\btidsstempel\b"
                           r"|\btimestamp\b|\bIP(?:-adresse)?:", re.I),
    "validering": re.compile(r"\bvalider(?:ing|et)\b|\bvalidation\b|\bverific(?:ation|ér|er)\b|\bhash\b", re.I),
}
MIN_KINDS = 3
# words of the signing machinery itself; minutes that discuss signatures or MitID use the others
TECHNICAL = ("nøgle", "certifikat", "serienummer", "pades", "revision", "validering")
MIN_TECHNICAL = 2
DATE = re.compile(rf"{ISO_DATE.pattern}|{NUMERIC_DATE.pattern}|{DANISH_DATE.pattern}", re.I)
NAME = r"[A-ZÆØÅ][\w'’.-]+(?:\s+[A-ZÆØÅ][\w'’.-]+){1,4}"
SIGNED_BY = re.compile(
    rf"(?:underskrevet|signeret|signed)\s+(?:digitalt\s+)?(?:af|by)\s*:?\s+(?P<name>{NAME})"
    r"(?:\s*[,(]\s*(?P<role>[^,()\d]{3,40}?)\s*\)?(?=,|\s+den\b|\s+d\.|\s+on\b|$))?", re.I)
NAME_FIELD = re.compile(rf"^\s*(?:navn|name|underskriver|signer)\s*:\s*(?P<name>{NAME})\s*$", re.I)
ROLE_FIELD = re.compile(r"^\s*(?:rolle|role|titel|title|som)\s*:\s*(?P<role>.{2,60}?)\s*$", re.I)


def is_signature_page(lines: list[Line]) -> bool:
    text = "\n".join(line.text for line in lines)
    kinds = {kind for kind, pattern in VOCABULARY.items() if pattern.search(text)}
    return len(kinds) >= MIN_KINDS and len(kinds.intersection(TECHNICAL)) >= MIN_TECHNICAL


def split_signature_pages(pages: list[list[Line]]) -> tuple[list[list[Line]], tuple[Signature, ...], list[int]]:
    """The pages with trailing signature/certificate pages emptied (page numbers keep their places), the
    signatures read from those pages, and the emptied page numbers."""
    trailing: list[int] = []
    for index in range(len(pages) - 1, -1, -1):
        if not any(line.text.strip() for line in pages[index]):
            continue  # a blank page between the minutes and the audit trail
        if not is_signature_page(pages[index]):
            break
        trailing.append(index)
    content = [i for i, page in enumerate(pages) if any(line.text.strip() for line in page)]
    if not trailing or len(trailing) >= len(content):
        return pages, (), []
    trailing.sort()
    signatures: list[Signature] = []
    for index in trailing:
        for signature in read_signatures(pages[index]):
            if all(s.name != signature.name for s in signatures):
                signatures.append(signature)
            elif signature.date or signature.role:  # a later page may add a date or role
                signatures = [_merge(s, signature) if s.name == signature.name else s for s in signatures]
    kept = [[] if i in trailing else page for i, page in enumerate(pages)]
    return kept, tuple(signatures), [i + 1 for i in trailing]


def _merge(old: Signature, new: Signature) -> Signature:
    return Signature(old.name, old.date or new.date, old.role or new.role)


def read_signatures(lines: list[Line]) -> list[Signature]:
    """'Underskrevet af Name (Role) den date' sentences, and Navn:/Rolle:/date field blocks."""
    found: list[Signature] = []
    texts = [line.text.strip() for line in lines]
    for number, text in enumerate(texts):
        match = SIGNED_BY.search(text)
        if match:
            name = _clean_name(match.group("name"))
            role = (match.group("role") or "").strip() or None
            found.append(Signature(name, _date_near(texts, number, text[match.end():]), role))
            continue
        field = NAME_FIELD.match(text)
        if field:
            role = None
            for following in texts[number + 1 : number + 5]:
                if NAME_FIELD.match(following):
                    break
                role_match = ROLE_FIELD.match(following)
                if role_match:
                    role = role_match.group("role")
            found.append(Signature(_clean_name(field.group("name")), _date_near(texts, number, ""), role))
    return found


def _clean_name(name: str) -> str:
    words = name.split()
    while words and words[-1].lower() in ("den", "d.", "on", "som", "the"):
        words.pop()
    return " ".join(words).rstrip(".,")


def _date_near(texts: list[str], number: int, rest: str) -> str | None:
    """The signing date: on the same line after the name, else within the next few lines of this signer."""
    for text in [rest, *texts[number + 1 : number + 6]]:
        if text is not rest and (NAME_FIELD.match(text) or SIGNED_BY.search(text)):
            break
        match = DATE.search(text)
        if match:
            return iso_date(match.group(0))
    return None
