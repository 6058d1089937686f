"""Turn a minutes file into a typed Meeting."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from index.cleaning import join_hyphenated, reflow, strip_running_lines, typical_width
from index.meta import find_body, find_date
from index.participants import parse_participants, participants_block
from index.readers import Limits, read_pages
from index.structure import SECTION_HEADING, RawItem, RawSection, split_items
from index.types import AgendaItem, Line, Meeting, Section

ATTACHMENT_MARK = re.compile(r"^\./\.\s*")


def build_section(name: str, kind: str, lines: list[Line], width: int, page: int = 0, heading: str = "") -> Section:
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
    return Section(name=name, kind=kind, text=text, pages=pages, page_marks=tuple(marks), heading=heading)


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
    sections = [build_section(s.name, s.kind, s.lines, width, s.page, s.heading) for s in raw.sections]
    last_page = max([raw.heading_page, *(s.pages[1] for s in sections if s.text)])
    return AgendaItem(
        number=raw.number, title=raw.title, cases=tuple(raw.cases), pages=(raw.heading_page, last_page),
        sections=tuple(sections), attachments=_attachments(sections), group=raw.group, case_line=raw.case_line,
        heading=raw.heading,
    )


def _page_parts(lines: list[Line]) -> list[RawItem]:
    items: list[RawItem] = []
    for line in lines:
        if not items or items[-1].heading_page != line.page:
            items.append(RawItem(number=f"s{line.page}", title=f"Side {line.page}", heading_page=line.page,
                                 sections=[RawSection("Tekst", "Tekst", line.page)]))
        items[-1].sections[0].lines.append(line)
    return items


def parse_file(path: Path, limits: Limits | None = None) -> Meeting:
    """Read ``path`` (PDF, .txt or .html) and return its Meeting; raises MinutesError."""
    path = Path(path)
    pages = read_pages(path, limits or Limits())
    cleaned = strip_running_lines(pages, protected=SECTION_HEADING)
    lines = join_hyphenated(cleaned.lines)
    is_html = path.suffix.lower() in (".html", ".htm")
    width = 0 if is_html else typical_width(lines)
    structure = split_items(lines)
    warnings: list[str] = []
    raw_items = structure.items
    front = structure.front
    if not raw_items:
        warnings.append("Ingen dagsordenspunkter fundet; teksten er delt op efter sider.")
        block = participants_block(front)
        raw_items = _page_parts(front[: len(front) - len(block)])
        front = block
    block = participants_block(front)
    participants = parse_participants(block)
    # the block is the tail of the front matter; compare by position, equal lines may recur
    rest = front[: len(front) - len(block)]
    full_text = "\n".join(ln.text for ln in lines)
    return Meeting(
        source=path.name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        body=find_body(cleaned.running, [ln.text for ln in structure.front], full_text, path),
        date=find_date(cleaned.running, full_text, path),
        pages=len(pages),
        participants=tuple(participants),
        items=tuple(_item(raw, width) for raw in raw_items),
        participants_section=build_section("Deltagere", "Deltagere", block, 0) if block else None,
        front_matter="\n".join(ln.text for ln in rest),
        warnings=tuple(warnings),
    )
