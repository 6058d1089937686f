"""Write small but real PDFs (Helvetica text, one content stream per page) for tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Font:
    name: str
    size: float


@dataclass(frozen=True)
class StyledLine:
    text: str
    font: Font
    outline: bool = False
    bottom: bool = False


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def write_pdf(path: Path, pages: list[list[str]], font_size: int = 10) -> Path:
    """Each page is a list of lines, drawn top-down; returns ``path``."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids: list[int] = []
    leading = font_size + 4
    for lines in pages:
        ops = [f"BT /F1 {font_size} Tf {leading} TL 56 800 Td".encode()]
        for line in lines:
            ops.append(b"(" + _escape(line) + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page = add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (pages_obj, font, content)
        )
        kids.append(page)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    path.write_bytes(_assemble(objects, catalog))
    return path


def write_styled_pdf(path: Path, pages: list[list[StyledLine]], outline: bool = False) -> Path:
    """Lines in their own fonts (Helvetica, Helvetica-Bold …), top-down; ``outline`` adds bookmarks for
    the lines marked ``outline`` (as an ESDH export does for its agenda items)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_obj = add(b"")
    names = sorted({line.font.name for page in pages for line in page})
    fonts = {name: add(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % name.encode())
             for name in names}
    resources = b" ".join(b"/F%d %d 0 R" % (i, fonts[n]) for i, n in enumerate(names))
    marks: list[tuple[str, int, float]] = []
    kids: list[int] = []
    for lines in pages:
        y = 800.0
        ops = []
        page_marks = []
        bottom_y = 40.0
        for line in lines:
            size = line.font.size
            if line.bottom:
                y_line, bottom_y = bottom_y, bottom_y - size - 4
            else:
                y -= size + 4
                y_line = y
            ops.append(b"BT /F%d %s Tf 56 %.1f Td (" % (names.index(line.font.name), str(size).encode(), y_line)
                       + _escape(line.text) + b") Tj ET")
            if line.outline and line.text.strip():
                page_marks.append((line.text.strip(), y_line + size))
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page = add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << %s >> >> "
            b"/Contents %d 0 R >>" % (pages_obj, resources, content)
        )
        kids.append(page)
        marks.extend((title, page, top) for title, top in page_marks)
    root = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    if outline and marks:
        outlines = add(b"")
        first = len(objects) + 1
        entries = list(range(first, first + len(marks)))
        for index, (title, page, top) in enumerate(marks):
            links = b""
            if index > 0:
                links += b" /Prev %d 0 R" % entries[index - 1]
            if index + 1 < len(marks):
                links += b" /Next %d 0 R" % entries[index + 1]
            add(b"<< /Title (" + _escape(title) + b") /Parent %d 0 R /Dest [%d 0 R /XYZ 0 %.1f 0]%s >>"
                % (outlines, page, top, links))
        objects[outlines - 1] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
            entries[0], entries[-1], len(entries))
        root = b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode /UseOutlines >>" % (pages_obj, outlines)
    objects[catalog - 1] = root
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_assemble(objects, catalog))
    return path


def _assemble(objects: list[bytes], root: int) -> bytes:
    """Numbered objects, the cross-reference table and the trailer: a complete PDF file."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def write_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A 'scanned' PDF: pages with drawn shapes and no text layer."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for _ in range(pages):
        stream = b"0.5 g 50 50 495 742 re f"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    path.write_bytes(_assemble(objects, 1))
    return path
