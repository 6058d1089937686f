"""Each kind of bad input gives a domain error naming the file and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import MinutesError
from index.parsing import parse_file
from tests.conftest import SAMPLE_PDF
from tests.support.pdfmaker import write_image_only_pdf


def _encrypted(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(SAMPLE_PDF).pages[:2]:
        writer.add_page(page)
    writer.encrypt("hemmelig")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


BAD_INPUTS = {
    "tom.pdf": (lambda p: p.write_bytes(b""), "tom"),
    "afkortet.pdf": (lambda p: p.write_bytes(SAMPLE_PDF.read_bytes()[:4000]), "beskadiget"),
    "tilfældig.pdf": (lambda p: p.write_bytes(bytes(range(256)) * 40), "ikke en PDF"),
    "side.pdf": (lambda p: p.write_text("<html><body>Referat</body></html>", encoding="utf-8"), "HTML"),
    "krypteret.pdf": (_encrypted, "krypteret"),
    "skannet.pdf": (write_image_only_pdf, "intet tekstlag"),
    "latin1.txt": (lambda p: p.write_bytes("Beslutning: Godkendt på mødet".encode("latin-1")), "UTF-8"),
    "nul.txt": (lambda p: p.write_bytes(b"Punkt 1\x00\x00Godkendt"), "NUL"),
    "referat.docx": (lambda p: p.write_bytes(b"PK\x03\x04 word"), "Word-filen er beskadiget"),
    "referat.doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100), "gem filen som DOCX eller PDF"),
    "side.html": (lambda p: p.write_text("<html><body><nav>Menu</nav><script>x()</script></body></html>"),
                  "ingen tekst"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_names_file_and_reason(tmp_path: Path, name: str):
    make, reason = BAD_INPUTS[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(MinutesError) as info:
        parse_file(path)
    assert info.value.path.name == name
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{name}: ")


def test_a_folder_is_not_a_file(tmp_path: Path):
    with pytest.raises(MinutesError, match="mappe"):
        parse_file(tmp_path)
