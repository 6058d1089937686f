"""PDF minutes: pypdf page by page with each line's typography; pypdfium2 where pypdf fails on a page."""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from pathlib import Path

from index.errors import MinutesError
from index.parsing.document import Document, OutlineEntry
from index.types import Line

# a page with fewer characters than this and an image is taken as scanned
OCR_BELOW_CHARS = 25
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.I)
# what pypdf may raise on a damaged object; anything else is a bug and should surface
PDF_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError, IndexError, ZeroDivisionError,
    AssertionError,
)


def read_pdf(path: Path, data: bytes, limits, ocr_progress=None) -> Document:
    document, scanned = _read_pages(path, data, limits)
    if not scanned:
        return document
    # pages that are images without a text layer: OCR them, then read the searchable PDF like any other
    from index.parsing.ocr import NOT_INSTALLED, missing, page_list, run_ocr

    readable = any(line.text.strip() for number, page in enumerate(document.pages, 1) if number not in scanned
                   for line in page)
    if missing():
        if not readable:
            raise MinutesError(path, NOT_INSTALLED)
        document.warnings.append(f"{path.name}: {'side' if len(scanned) == 1 else 'siderne'} {page_list(scanned)} "
                                 f"er skannet og ikke læst ({missing()} er ikke installeret til OCR)")
        return document
    result = run_ocr(path, data, scanned, max_pages=limits.ocr_max_pages, timeout=limits.ocr_timeout,
                     progress=ocr_progress)
    document, _ = _read_pages(path, result.data, limits, ocr=False)
    document.ocr_pdf, document.ocr_pages = result.data, result.pages
    document.warnings.append(f"{path.name}: tekst fra OCR ({'side' if len(scanned) == 1 else 'sider'} "
                             f"{page_list(scanned)})")
    return document


def _read_pages(path: Path, data: bytes, limits, ocr: bool = True) -> tuple[Document, list[int]]:
    """The file's pages by pypdf (pdfium where pypdf fails), and the scanned pages OCR should read."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    head = data[:1024].lstrip()
    if not head.startswith(b"%PDF"):
        kind = "en HTML-side" if head[:200].lower().find(b"<html") >= 0 or head.startswith(b"<") else "ikke en PDF"
        raise MinutesError(path, f"filen hedder .pdf, men er {kind}")
    # pypdf logs every repaired xref at warning level; a broken file is reported once, by us
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    errors = (PdfReadError, *PDF_ERRORS)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise MinutesError(path, "PDF'en er krypteret med adgangskode")
        count = len(reader.pages)
    except MinutesError:
        raise
    except FileNotDecryptedError as exc:
        raise MinutesError(path, "PDF'en er krypteret med adgangskode") from exc
    except errors as exc:
        # pypdf cannot open it at all; another engine may still read every page
        return _fallback_document(path, data, limits, f"{type(exc).__name__}"), []
    if count > limits.max_pages:
        raise MinutesError(path, f"PDF'en har {count} sider; højst {limits.max_pages} læses")
    if count == 0:
        raise MinutesError(path, "PDF'en har ingen sider")
    pages: list[list[Line]] = []
    warnings: list[str] = []
    second = _SecondEngine(data)
    for number in range(1, count + 1):
        lines: list[Line] = []
        try:
            page = reader.pages[number - 1]
            damaged = _contents_missing(page)
            lines = _typeset_lines(page, number)
        except errors:
            damaged = True
        if damaged or _unreadable(lines):
            # pypdf raised, found a broken page object, or gave no or garbled text: ask the second engine
            rescued = second.page(number)
            if rescued is not None and not _unreadable(rescued):
                lines = rescued
            elif damaged:
                warnings.append(f"{path.name}: side {number} kunne ikke læses og er sprunget over")
                lines = []
        pages.append(lines)
    scanned = [n for n, lines in enumerate(pages, 1) if ocr and _sparse(lines) and _has_image(reader, n)]
    if not scanned and not any(line.text.strip() for page in pages for line in page):
        if len(warnings) == count:
            raise MinutesError(path, "PDF'en er beskadiget eller afkortet; ingen side kunne læses")
        raise MinutesError(path, "PDF'en har intet tekstlag og ingen sidebilleder at læse tekst fra")
    return Document(path, "pdf", pages, outline=_outline(reader), warnings=warnings), scanned


def _fallback_document(path: Path, data: bytes, limits, reason: str) -> Document:
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
    except Exception as exc:
        raise MinutesError(path, f"PDF'en er beskadiget eller afkortet ({reason})") from exc
    count = len(pdf)
    if count > limits.max_pages:
        raise MinutesError(path, f"PDF'en har {count} sider; højst {limits.max_pages} læses")
    pages: list[list[Line]] = []
    warnings = [f"{path.name}: læst med reservemotoren (pypdf: {reason})"]
    for number in range(1, count + 1):
        lines = _pdfium_page(data, number, pdf)
        if lines is None:
            warnings.append(f"{path.name}: side {number} kunne ikke læses og er sprunget over")
        pages.append(lines or [])
    if not any(line.text.strip() for page in pages for line in page):
        raise MinutesError(path, f"PDF'en er beskadiget eller afkortet ({reason})")
    return Document(path, "pdf", pages, warnings=warnings)


class _SecondEngine:
    """pypdfium2, opened once and only when a page needs it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf = None
        self.failed = False

    def page(self, number: int) -> list[Line] | None:
        if self.pdf is None and not self.failed:
            try:
                import pypdfium2 as pdfium

                self.pdf = pdfium.PdfDocument(self.data)
            except Exception:
                self.failed = True
        return None if self.pdf is None else _pdfium_page(self.data, number, self.pdf)


def _sparse(lines: list[Line]) -> bool:
    """Too few characters for a page of minutes: no text layer, or only a stamp or page number on an image."""
    return sum(len("".join(line.text.split())) for line in lines) < OCR_BELOW_CHARS


def _has_image(reader, number: int) -> bool:
    """The page draws an image (directly or in a form): something OCR can read."""
    def images(resources, depth: int) -> bool:
        try:
            xobjects = resources.get("/XObject") if resources else None
            for ref in (xobjects or {}).values():
                obj = ref.get_object()
                if obj.get("/Subtype") == "/Image":
                    return True
                if obj.get("/Subtype") == "/Form" and depth < 3 and images(obj.get("/Resources"), depth + 1):
                    return True
        except PDF_ERRORS:
            return False
        return False

    try:
        return images(reader.pages[number - 1].get("/Resources"), 0)
    except PDF_ERRORS:
        return False


def _contents_missing(page) -> bool:
    """The page names a content stream that is not there (a damaged or truncated object)."""
    if "/Contents" not in page:
        return False
    try:
        return page.get_contents() is None
    except Exception:
        return True


def _unreadable(lines: list[Line]) -> bool:
    """No text, or mostly characters a font could not map (U+FFFD, control characters)."""
    text = "".join("".join(line.text.split()) for line in lines)
    if not text:
        return True
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32))
    return bad > 0.1 * len(text)


def _pdfium_page(data: bytes, number: int, pdf=None) -> list[Line] | None:
    """The page's lines by pypdfium2; [] for a page without text, None when pdfium fails on it."""
    try:
        import pypdfium2 as pdfium

        pdf = pdf or pdfium.PdfDocument(data)
        text = pdf[number - 1].get_textpage().get_text_range()
    except Exception:
        return None
    if not text.strip():
        return []
    return [Line(t, number) for t in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _multiply(m: list[float], n: list[float]) -> tuple[float, float, float, float]:
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3])


def _typeset_lines(page, number: int) -> list[Line]:
    """pypdf's lines, each with the font size and weight most of its characters are drawn in."""
    chars: list[str] = []
    styles: list[tuple[float, bool]] = []

    def visit(text, cm, tm, font, size) -> None:
        if not text or not text.strip():
            return
        _, _, c, d = _multiply(list(tm), list(cm))
        effective = round((size or 0) * (math.hypot(c, d) or 1.0), 1)
        name = str(font.get("/BaseFont", "")) if font else ""
        style = (effective, bool(BOLD_FONT.search(name)))
        for ch in text:
            if not ch.isspace():
                chars.append(ch)
                styles.append(style)

    text = page.extract_text(visitor_text=visit) or ""
    stream = "".join(chars)
    lines: list[Line] = []
    position = 0
    for raw in text.splitlines():
        key = "".join(raw.split())
        found = stream.find(key, position, position + len(key) + 400) if key else -1
        if found < 0:
            lines.append(Line(raw, number))
            continue
        tags = styles[found : found + len(key)]
        position = found + len(key)
        size = Counter(s for s, _ in tags).most_common(1)[0][0]
        bold = sum(b for _, b in tags) >= 0.6 * len(tags)
        lines.append(Line(raw, number, size=size, bold=bold))
    return lines


def _outline(reader) -> list[OutlineEntry]:
    entries: list[OutlineEntry] = []

    def walk(nodes, level: int) -> None:
        for node in nodes:
            if isinstance(node, list):
                walk(node, level + 1)
                continue
            try:
                entries.append(OutlineEntry(str(node.title).strip(), reader.get_destination_page_number(node) + 1,
                                            level))
            except Exception:
                continue

    try:
        walk(reader.outline, 1)
    except Exception:
        return []
    return [e for e in entries if e.title]
