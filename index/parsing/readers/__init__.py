"""One reader per format; each turns a file into a Document (pages of lines, declared structure)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.errors import MinutesError
from index.parsing.document import Document

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".html", ".htm", ".docx", ".doc", ".json")


@dataclass(frozen=True)
class Limits:
    """What one minutes file may be; beyond it the file is refused with a reason, never half-read."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 2000
    max_line_chars: int = 100_000
    # scanned pages read by OCR per file, and the seconds OCR of one file may take
    ocr_max_pages: int = 200
    ocr_timeout: float = 1800.0


def read_document(path: Path, limits: Limits = Limits(), ocr_progress=None) -> Document:
    """Read ``path`` by its type; raises MinutesError naming the file and the reason. ``ocr_progress(done,
    total)`` is called per page while scanned pages of a PDF are OCR'd."""
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
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from index.parsing.readers.pdf import read_pdf

        document = read_pdf(path, data, limits, ocr_progress)
    elif suffix in (".html", ".htm"):
        from index.parsing.readers.html import read_html

        document = read_html(path, data)
    elif suffix == ".txt":
        from index.parsing.readers.text import read_text

        document = read_text(path, data)
    elif suffix == ".docx":
        from index.parsing.readers.docx import read_docx

        document = read_docx(path, data)
    elif suffix == ".doc":
        raise MinutesError(path, "det gamle Word-format (.doc) kan ikke læses; gem filen som DOCX eller PDF")
    else:
        raise MinutesError(path, f"filtypen '{suffix or '(ingen)'}' understøttes ikke (kun PDF, DOCX, .txt og .html)")
    if not any(line.text.strip() for page in document.pages for line in page):
        raise MinutesError(path, "filen indeholder ingen tekst")
    longest = max((len(line.text) for page in document.pages for line in page), default=0)
    if longest > limits.max_line_chars:
        count = f"{longest:,}".replace(",", ".")
        raise MinutesError(path, f"filen har en linje på {count} tegn og ligner ikke et mødereferat")
    return document
