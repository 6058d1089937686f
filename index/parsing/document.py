"""What a reader hands on: the file's pages of lines plus the structure the file declares itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from index.types import Line


@dataclass(frozen=True)
class OutlineEntry:
    """A PDF bookmark: its title, the page it points to and its depth (1 = top)."""

    title: str
    page: int
    level: int = 1


@dataclass
class Document:
    path: Path
    format: str
    pages: list[list[Line]]
    outline: list[OutlineEntry] = field(default_factory=list)
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    # a scanned PDF after OCR: the searchable PDF (what is kept as the original) and the pages OCR read
    ocr_pdf: bytes | None = field(default=None, repr=False)
    ocr_pages: tuple[int, ...] = ()
