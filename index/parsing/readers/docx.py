"""Word minutes (.docx): paragraphs with their heading styles, tables row by row (an agenda table as items),
page breaks kept.

A DOCX whose zip directory is missing (an interrupted download) is rebuilt from its local file entries
when ``word/document.xml`` itself is complete, as Word and LibreOffice do.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

from index.errors import MinutesError
from index.parsing.document import Document
from index.types import Line

HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.I)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ITEM_CELL = re.compile(r"^\s*(?:pkt\.?\s*|punkt\s*)?\d{1,3}(?:\.\d{1,2})?\.?\s*$", re.I)


def _agenda_table(rows: list[list[str]]) -> bool:
    """Rows of an item number, a subject and the minutes' text: at least three, numbered in order, with text."""
    numbered = [r for r in rows if len(r) >= 3 and ITEM_CELL.match(r[0]) and r[1] and len(r[1]) <= 150]
    if len(numbered) < 3:
        return False
    values = [int(re.sub(r"\D", "", r[0].split(".")[0]) or 0) for r in numbered]
    text = [len(" ".join(r[2:])) for r in numbered]
    # a list of attachments ('1. | Åben | Kort.pdf') repeats its second cell and holds no minutes' text
    return (values == sorted(values) and len(set(values)) == len(values) and len({r[1] for r in numbered}) > 1
            and sum(text) / len(text) >= 60)


def read_docx(path: Path, data: bytes) -> Document:
    warnings: list[str] = []
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise MinutesError(path, "det gamle Word-format (.doc) kan ikke læses; gem filen som DOCX eller PDF")
        raise MinutesError(path, "filen hedder .docx, men er ikke et Word-dokument")
    try:
        zipfile.ZipFile(io.BytesIO(data)).testzip()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        repaired = _repair(data)
        if repaired is None:
            raise MinutesError(path, "Word-filen er beskadiget og kan ikke repareres (document.xml mangler)") from None
        data = repaired
        warnings.append(f"{path.name}: Word-filen var beskadiget (zip-indholdsfortegnelsen manglede) og er repareret")
    try:
        from docx import Document as WordDocument

        word = WordDocument(io.BytesIO(data))
    except Exception as exc:
        raise MinutesError(path, f"Word-filen kan ikke læses ({type(exc).__name__})") from exc
    pages: list[list[Line]] = [[]]
    for block in word.element.body.iterchildren():
        if block.tag == f"{W}p":
            _paragraph(block, word, pages)
        elif block.tag == f"{W}tbl":
            rows = [[" ".join(_text(p) for p in cell.iter(f"{W}p")).strip() for cell in row.iter(f"{W}tc")]
                    for row in block.iter(f"{W}tr")]
            if _agenda_table(rows):
                # the agenda as one table, a row per item ('Punkt | Emne | Referat'): the number and subject
                # head the item, the other cells are its text
                for cells in rows:
                    if not ITEM_CELL.match(cells[0] if cells else ""):
                        continue
                    number = cells[0].strip().rstrip(".")
                    pages[-1].append(Line(f"{number}. {cells[1]}", len(pages), bold=True, level=2))
                    pages[-1].extend(Line(c, len(pages)) for c in cells[2:] if c)
                continue
            for cells in rows:
                text = "  ".join(c for c in cells if c)
                if text:
                    pages[-1].append(Line(text, len(pages)))
    title = (word.core_properties.title or "").strip()
    return Document(path, "docx", [p for p in pages if p] or [[]], title=title, warnings=warnings)


def _text(paragraph) -> str:
    return "".join((node.text or "") if node.tag == f"{W}t" else "\t" for node in paragraph.iter(f"{W}t", f"{W}tab"))


def _paragraph(element, word, pages: list[list[Line]]) -> None:
    breaks = sum(1 for br in element.iter(f"{W}br") if br.get(f"{W}type") == "page")
    breaks += sum(1 for _ in element.iter(f"{W}lastRenderedPageBreak"))
    if breaks and pages[-1]:
        pages.append([])
    # tabs stay: a contents line is 'title<TAB>page'
    text = re.sub(r"[^\S\t]+", " ", _text(element)).strip()
    if not text:
        return
    style_id = element.pPr.pStyle.val if element.pPr is not None and element.pPr.pStyle is not None else None
    name = ""
    if style_id:
        try:
            name = word.styles.get_by_id(style_id, 1).name or ""  # 1 = WD_STYLE_TYPE.PARAGRAPH
        except Exception:
            name = style_id
    heading = HEADING_STYLE.match(name.strip()) or HEADING_STYLE.match((style_id or "").strip())
    level = int(heading.group(1)) if heading else (1 if name.lower() in ("title", "titel") else 0)
    runs = [r for r in element.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    bold = bool(runs) and all(r.rPr is not None and r.rPr.b is not None and r.rPr.b.val is not False for r in runs)
    pages[-1].append(Line(text, len(pages), bold=bold or level > 0, level=level))


def _repair(data: bytes) -> bytes | None:
    """A new zip from the local file headers; None when word/document.xml cannot be recovered whole."""
    out = io.BytesIO()
    found = False
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        position = data.find(b"PK\x03\x04")
        while position >= 0 and position + 30 <= len(data):
            (_, _, flags, method, _, _, _, size, _, name_len, extra_len) = struct.unpack(
                "<IHHHHHIIIHH", data[position : position + 30])
            start = position + 30 + name_len + extra_len
            name = data[position + 30 : position + 30 + name_len].decode("utf-8", "replace")
            content = None
            end = start
            try:
                if method == 0 and not flags & 0x08 and start + size <= len(data):
                    content = data[start : start + size]
                    end = start + size
                elif method == 8:
                    inflater = zlib.decompressobj(-15)
                    content = inflater.decompress(data[start:])
                    if not inflater.eof:
                        content = None
                    else:
                        # the next entry begins after this one's compressed bytes, not inside them
                        end = len(data) - len(inflater.unused_data)
            except zlib.error:
                content = None
            if content is not None and name and not name.endswith("/"):
                rebuilt.writestr(name, content)
                found = found or name == "word/document.xml"
            position = data.find(b"PK\x03\x04", max(end, start))
    return out.getvalue() if found else None
