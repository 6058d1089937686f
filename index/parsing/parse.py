"""Turn a minutes file into a typed Meeting: read, clean, find structure, then meeting facts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from index.parsing.cleaning import join_hyphenated, reflow, strip_running_lines, typical_width
from index.parsing.combine import RawItem, RawSection, split_items
from index.parsing.fallback import parts_without_agenda
from index.parsing.meta import find_body, find_date, find_place, find_time
from index.parsing.participants import (
    parse_participants,
    participants_block,
    participants_from_sentences,
    trailing_block,
)
from index.parsing.readers import Limits, read_document
from index.parsing.signals.cases import is_case_line, join_case_labels
from index.parsing.signals.headings import section_heading
from index.parsing.signals.signatures import split_signature_pages
from index.types import AgendaItem, Line, Meeting, Section

ATTACHMENT_MARK = re.compile(r"^\./\.\s*")


def build_section(name: str, kind: str, lines: list[Line], width: int, page: int = 0, heading: str = "",
                  date: str | None = None) -> Section:
    """Join a section's lines into paragraphs, remembering where each page begins."""
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0
    for paragraph in reflow(lines, width):
        for index, line in enumerate(paragraph):
            if not marks or marks[-1][1] != line.page:
                marks.append((offset, line.page))
            piece = line.text if index == 0 else " " + line.text
            parts.append(piece)
            offset += len(piece)
        parts.append("\n")
        offset += 1
    text = "".join(parts).rstrip("\n")
    pages = (lines[0].page, lines[-1].page) if lines else (page, page)
    return Section(name=name, kind=kind, text=text, pages=pages, page_marks=tuple(marks), heading=heading, date=date)


def _attachments(sections: list[Section]) -> tuple[str, ...]:
    found: list[str] = []
    for section in sections:
        for paragraph in section.text.split("\n"):
            if ATTACHMENT_MARK.match(paragraph):
                found.append(ATTACHMENT_MARK.sub("", paragraph).strip())
            elif section.kind == "Bilag" and paragraph.strip():
                found.append(paragraph.strip())
    return tuple(found)


def _item(raw: RawItem, width: int) -> AgendaItem:
    sections = [build_section(s.name, s.kind, s.lines, width, s.page, s.heading, s.date) for s in raw.sections]
    last_page = max([raw.heading_page, *(s.pages[1] for s in sections if s.text)])
    return AgendaItem(
        number=raw.number, title=raw.title, cases=tuple(raw.cases), pages=(raw.heading_page, last_page),
        sections=tuple(sections), attachments=_attachments(sections), group=raw.group, case_line=raw.case_line,
        heading=raw.heading, access="lukket" if raw.closed else "intern" if raw.internal else "åben",
    )


def parse_file(path: Path, limits: Limits | None = None, ocr_progress=None) -> Meeting:
    """Read ``path`` (PDF, DOCX, .txt, .html or agenda-portal .json) and return its Meeting; raises MinutesError.
    ``ocr_progress(done, total)`` is called per page while scanned pages are OCR'd."""
    path = Path(path)
    if path.suffix.lower() == ".json":  # an agenda portal's meeting JSON is already structured
        from index.parsing.readers.portal_json import read_portal_file

        return read_portal_file(path, limits or Limits())
    document = read_document(path, limits or Limits(), ocr_progress)
    # e-signature and certificate pages appended by a signing service are not minutes: only their signers stay
    minutes_pages, signatures, _ = split_signature_pages(document.pages)
    # item parts often start at a page's top: their case lines and headings recur there but are not furniture
    cleaned = strip_running_lines(minutes_pages, protected=lambda text: section_heading(text) or is_case_line(text))
    lines = join_case_labels(join_hyphenated(cleaned.lines))
    width = 0 if document.format in ("html", "docx") else typical_width(lines)
    structure = split_items(lines, document.outline, width)
    warnings = list(document.warnings)
    raw_items = structure.items
    front = structure.front
    if not raw_items:
        warnings.append("Ingen dagsordenspunkter fundet; teksten er delt op efter overskrifter og sider.")
        block = participants_block(front)
        raw_items = parts_without_agenda(front[: len(front) - len(block)])
        front = block
    front_block = participants_block(front)
    block = front_block + trailing_block(raw_items)
    participants = parse_participants(block)
    participants += participants_from_sentences(front, raw_items, known={p.name for p in participants})
    # the block is the tail of the front matter; compare by position, equal lines may recur
    rest = front[: len(front) - len(front_block)]
    full_text = "\n".join(ln.text for ln in lines)
    front_texts = [ln.text for ln in structure.front]
    return Meeting(
        source=path.name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        body=find_body(cleaned.running, front_texts, full_text, path, document.title),
        date=find_date(cleaned.running, front_texts, full_text, path),
        pages=len(document.pages),
        participants=tuple(participants),
        items=tuple(_item(raw, width) for raw in raw_items),
        participants_section=build_section("Deltagere", "Deltagere", block, 0) if block else None,
        front_matter="\n".join(ln.text for ln in rest),
        warnings=tuple(warnings),
        place=find_place(front_texts),
        time=find_time(front_texts),
        signatures=signatures,
        ocr_pdf=document.ocr_pdf,
        ocr_pages=document.ocr_pages,
    )


__all__ = ["RawSection", "parse_file"]
