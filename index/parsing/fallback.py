"""When no agenda structure exists: parts by heading where the document has headings, else by page,
each of a size an answer can cite (page and heading)."""

from __future__ import annotations

from index.parsing.combine import RawItem, RawSection
from index.parsing.signals.headings import looks_like_heading
from index.parsing.signals.typography import body_size, heading_strength
from index.types import Line

MAX_WORDS = 350


def parts_without_agenda(lines: list[Line]) -> list[RawItem]:
    body = body_size(lines)
    parts: list[RawItem] = []
    words = 0
    for line in lines:
        heading = heading_strength(line, body) >= 0.5 and looks_like_heading(line.text)
        new_page = bool(parts) and parts[-1].heading_page != line.page and parts[-1].title.startswith("Side ")
        if not parts or heading or new_page or words >= MAX_WORDS:
            title = line.text.strip() if heading else f"Side {line.page}"
            parts.append(RawItem(number=f"s{len(parts) + 1}", title=title, heading_page=line.page,
                                 sections=[RawSection(title if heading else "Tekst", "Tekst", line.page)]))
            words = 0
            if heading:
                continue
        parts[-1].sections[0].lines.append(line)
        words += len(line.text.split())
    return [p for p in parts if p.sections[0].lines]
