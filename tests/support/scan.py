"""'Scanned' minutes for OCR tests: pages rendered to images at 200 dpi, turned about 1°, slightly blurred,
saved as a PDF of images only (no text layer)."""

from __future__ import annotations

import io
from pathlib import Path


def scan_image(pdf, number: int, dpi: int = 200, angle: float = 1.0, blur: float = 0.7):
    """Page ``number`` (1-based) of an open pypdfium2 document as a greyscale scan."""
    from PIL import ImageFilter

    image = pdf[number - 1].render(scale=dpi / 72).to_pil().convert("L")
    image = image.rotate(angle, resample=3, expand=False, fillcolor=255)
    return image.filter(ImageFilter.GaussianBlur(blur))


def write_scan(source: Path, target: Path, pages: list[int] | None = None, text_pages: list[int] | None = None,
               dpi: int = 200) -> Path:
    """``pages`` of ``source`` (all when None) as scanned images; ``text_pages`` keep their text layer (a mixed
    file). Page order follows the source."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    pdf = pdfium.PdfDocument(source)
    chosen = pages or list(range(1, len(pdf) + 1))
    keep = set(text_pages or [])
    reader = PdfReader(source)
    writer = PdfWriter()
    for number in chosen:
        if number in keep:
            writer.add_page(reader.pages[number - 1])
            continue
        buffer = io.BytesIO()
        scan_image(pdf, number, dpi).save(buffer, "PDF", resolution=dpi)
        writer.add_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        writer.write(handle)
    return target
