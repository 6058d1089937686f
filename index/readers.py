"""Read a minutes file (PDF, text or saved web page) into pages of raw lines."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import MinutesError

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".html", ".htm")


@dataclass(frozen=True)
class Limits:
    """What one minutes file may be; beyond it the file is refused with a reason, never half-read."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 2000
    max_line_chars: int = 100_000
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
DROPPED_TAGS = ["script", "style", "noscript", "nav", "form", "template", "iframe", "svg", "button"]
MENU_HINT = re.compile(r"\b(menu|nav|navigation|breadcrumb|cookie|skip-link|topbar|sidebar)\b", re.I)


def read_pages(path: Path, limits: Limits = Limits()) -> list[list[str]]:
    """Return the file's pages, each a list of lines, page numbers starting at 1."""
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
        pages = _read_pdf(path, data, limits)
    elif suffix in (".html", ".htm"):
        pages = [_html_lines(_decode(path, data))]
    elif suffix == ".txt":
        pages = [page.splitlines() for page in _decode(path, data).split("\f")]
    else:
        raise MinutesError(path, f"filtypen '{suffix or '(ingen)'}' understøttes ikke (kun PDF, .txt og .html)")
    if not any(line.strip() for page in pages for line in page):
        raise MinutesError(path, "filen indeholder ingen tekst")
    longest = max((len(line) for page in pages for line in page), default=0)
    if longest > limits.max_line_chars:
        count = f"{longest:,}".replace(",", ".")
        raise MinutesError(path, f"filen har en linje på {count} tegn og ligner ikke et mødereferat")
    return pages


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise MinutesError(path, "filen indeholder NUL-bytes og er ikke en tekstfil")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MinutesError(path, f"teksten er ikke UTF-8 (ugyldig byte ved position {exc.start})") from exc


def _read_pdf(path: Path, data: bytes, limits: Limits) -> list[list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    head = data[:1024].lstrip()
    if not head.startswith(b"%PDF"):
        kind = "en HTML-side" if head[:200].lower().find(b"<html") >= 0 or head.startswith(b"<") else "ikke en PDF"
        raise MinutesError(path, f"filen hedder .pdf, men er {kind}")
    # pypdf logs every repaired xref at warning level; a broken file is reported once, by us
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise MinutesError(path, "PDF'en er krypteret med adgangskode")
        if len(reader.pages) > limits.max_pages:
            raise MinutesError(path, f"PDF'en har {len(reader.pages)} sider; højst {limits.max_pages} læses")
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    except MinutesError:
        raise
    except FileNotDecryptedError as exc:
        raise MinutesError(path, "PDF'en er krypteret med adgangskode") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise MinutesError(path, f"PDF'en er beskadiget eller afkortet ({type(exc).__name__})") from exc
    if not pages:
        raise MinutesError(path, "PDF'en har ingen sider")
    if not any(line.strip() for page in pages for line in page):
        raise MinutesError(path, "PDF'en har intet tekstlag (skannet billede?); kør OCR først")
    return pages


def _html_lines(markup: str) -> list[str]:
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        marker = " ".join([*tag.get("class", []), tag.get("id", ""), tag.get("role", "")])
        if tag.name in ("header", "footer", "aside") or (tag.name in ("div", "ul") and MENU_HINT.search(marker)):
            tag.decompose()
    root = soup.body or soup
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(current)).strip()
        if text:
            lines.append(text)
        current.clear()

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                    continue
                current.append(str(child))
            elif isinstance(child, Tag):
                if child.name in ("td", "th"):
                    current.append(" ")
                    walk(child)
                    current.append(" ")
                elif child.name in BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(root)
    flush()
    return lines
