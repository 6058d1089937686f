"""Build the PDF and DOCX layout fixtures from their text sources (see tests/fixtures/layouts/README.md).

Run ``python -m tests.support.layouts`` after changing a source; the built files are committed so that the
product's own commands (``referat parse``, ``referat eval --structure``) read them like any user's file.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.pdfmaker import Font, StyledLine, write_styled_pdf

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"
BUILT = LAYOUTS / "built"
BODY = Font("Helvetica", 10)
STYLES = {"# ": Font("Helvetica-Bold", 14), "## ": Font("Helvetica-Bold", 11)}


def _pdf_source(text: str) -> tuple[dict[str, list[str]], list[list[StyledLine]]]:
    directives: dict[str, list[str]] = {}
    pages: list[list[StyledLine]] = [[]]
    started = False
    for raw in text.splitlines():
        directive = re.match(r"^@(header|footer|outline):\s*(.*)$", raw)
        if directive and not started:
            directives.setdefault(directive.group(1), []).append(directive.group(2))
            continue
        if raw.strip() == "---page---":
            pages.append([])
            started = True
            continue
        if not raw.strip() and not started:
            continue
        started = True
        for prefix in ("## ", "# "):
            if raw.startswith(prefix):
                pages[-1].append(StyledLine(raw[len(prefix):], STYLES[prefix], outline=prefix == "# "))
                break
        else:
            pages[-1].append(StyledLine(raw, BODY))
    return directives, [p for p in pages if p]


def build_pdf(source: Path, target: Path) -> Path:
    directives, written = _pdf_source(source.read_text(encoding="utf-8"))
    room = 800 - 70 - 12 * len(directives.get("header", []))
    pages: list[list[StyledLine]] = []
    for page in written:
        # a source page longer than an A4 page flows on, as a word processor would
        pages.append([])
        used = 0.0
        for line in page:
            if used + line.font.size + 4 > room and pages[-1]:
                pages.append([])
                used = 0.0
            pages[-1].append(line)
            used += line.font.size + 4
    total = len(pages)

    def fill(template: str, number: int, bottom: bool = False) -> StyledLine:
        text = template.replace("{page}", str(number)).replace("{pages}", str(total))
        return StyledLine(text, Font("Helvetica", 8), bottom=bottom)

    laid: list[list[StyledLine]] = []
    for number, page in enumerate(pages, start=1):
        head = [fill(t, number) for t in directives.get("header", [])]
        foot = [fill(t, number, bottom=True) for t in directives.get("footer", [])]
        laid.append([*head, *page, *foot])
    outline = directives.get("outline", ["no"])[0].strip().lower() in ("yes", "ja", "true")
    return write_styled_pdf(target, laid, outline=outline)


def build_docx(source: Path, target: Path) -> Path:
    from docx import Document

    document = Document()
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        table = document.add_table(rows=len(table_rows), cols=max(len(r) for r in table_rows))
        for r, row in enumerate(table_rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
        table_rows.clear()

    for raw in source.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        if line.startswith("|"):
            table_rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush_table()
        if not line.strip():
            continue
        heading = re.match(r"^(#{1,3}) (.*)$", line)
        if heading:
            document.add_paragraph(heading.group(2), style=f"Heading {len(heading.group(1))}")
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    flush_table()
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)
    return target


HOLDOUT = LAYOUTS / "holdout"
HOLDOUT2 = LAYOUTS / "holdout2"
HOLDOUT3 = LAYOUTS / "holdout3"


def build_all(folder: Path = LAYOUTS) -> list[Path]:
    """Build every source in ``folder`` into ``folder/built``."""
    out_dir = folder / "built"
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for source in sorted(folder.glob("*.pdf.txt")):
        built.append(build_pdf(source, out_dir / source.name.removesuffix(".txt")))
    for source in sorted(folder.glob("*.docx.txt")):
        built.append(build_docx(source, out_dir / source.name.removesuffix(".txt")))
    return built


if __name__ == "__main__":
    for folder in (LAYOUTS, HOLDOUT, HOLDOUT2, HOLDOUT3):
        for path in build_all(folder):
            print(path.relative_to(LAYOUTS))
