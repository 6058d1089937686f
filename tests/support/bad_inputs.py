"""A generated corpus of bad minutes files, each with what a user should be told."""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.support.pdfmaker import write_image_only_pdf, write_pdf


@dataclass(frozen=True)
class BadInput:
    path: Path
    status: str          # "fejlet", "dublet" or "ny" (accepted, maybe with a warning)
    reason: str          # words the message must contain ("" when accepted silently)


def _encrypted(path: Path, source: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(source).pages[0])
    writer.encrypt("hemmelig")
    with path.open("wb") as handle:
        writer.write(handle)


def make_bad_corpus(folder: Path, good: Path, max_mb: int) -> list[BadInput]:
    """At least 15 kinds of bad input; `good` is an already indexed file, `max_mb` the size limit."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    out: list[BadInput] = []

    def add(name: str, status: str, reason: str, write) -> None:
        path = folder / name
        write(path)
        out.append(BadInput(path, status, reason))

    sample = good.read_bytes()
    add("tom.pdf", "fejlet", "tom", lambda p: p.write_bytes(b""))
    add("afkortet.pdf", "fejlet", "beskadiget", lambda p: write_pdf(p, [["Punkt 1 Budget", "Beslutning", "Ok."]] * 3)
        and p.write_bytes(p.read_bytes()[: p.stat().st_size // 3]))
    add("tilfældige-bytes.pdf", "fejlet", "ikke en PDF", lambda p: p.write_bytes(rng.randbytes(20_000)))
    add("webside.pdf", "fejlet", "HTML", lambda p: p.write_text("<!DOCTYPE html><html><body>x</body></html>"))
    add("adgangskode.pdf", "fejlet", "krypteret", lambda p: _encrypted(p, write_pdf(folder / "_kilde.pdf",
                                                                                      [["Punkt 1 Budget"]])))
    (folder / "_kilde.pdf").unlink(missing_ok=True)
    add("skannet.pdf", "fejlet", "intet tekstlag", lambda p: write_image_only_pdf(p, 3))
    add("mange-sider.pdf", "fejlet", "sider", lambda p: write_pdf(p, [[f"Side med tekst {i}"] for i in range(2100)]))
    big_pages = [[f"Linje {i} " + "tekst " * 12 for i in range(60)] for _ in range(max_mb * 250)]
    add("for-stor.pdf", "fejlet", "for stor", lambda p: write_pdf(p, big_pages))
    add("latin1.txt", "fejlet", "UTF-8", lambda p: p.write_bytes("Beslutning: Godkendt på mødet".encode("latin-1")))
    add("nul-bytes.txt", "fejlet", "NUL", lambda p: p.write_bytes(b"Punkt 1 Budget\x00\x00Beslutning"))
    add("kun-mellemrum.txt", "fejlet", "tom", lambda p: p.write_text("   \n\n\t  \n"))
    add("en-linje.txt", "fejlet", "linje", lambda p: p.write_text("ord " * 250_000))
    add("tom-side.html", "fejlet", "ingen tekst", lambda p: p.write_text("<html><script>var a=1;</script></html>"))
    add("notat-uden-punkter.txt", "ny", "Ingen dagsordenspunkter",
        lambda p: p.write_text("Notat om vejbelysning\nLamperne skiftes i 2024 og udskiftningen koster 2 mio. kr.\n"))
    add(f"kopi af referatet{good.suffix}", "dublet", "samme indhold", lambda p: p.write_bytes(sample))
    add("møde $(rm -rf ~) ; æøå `id` & x.txt", "ny", "",
        lambda p: p.write_text("Vejudvalget\nReferat 3. maj 2024\n1. Cykelsti langs Åvej\nSagsnr.: 05.01.00-P20-1-24\n"
                               "Beslutning\nCykelstien blev godkendt.\n", encoding="utf-8"))
    add("referat.docx", "fejlet", "Word-filen er beskadiget", lambda p: p.write_bytes(b"PK\x03\x04word/document.xml"))
    add("referat.doc", "fejlet", "gem filen som DOCX eller PDF",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600))
    add("regneark.xlsx", "fejlet", "understøttes ikke", lambda p: p.write_bytes(b"PK\x03\x04xl/workbook.xml"))
    loop = folder / "mappe-med-løkke"
    loop.mkdir(exist_ok=True)
    if not (loop / "løkke").exists():
        os.symlink(loop, loop / "løkke", target_is_directory=True)
    shutil.copyfile(good, loop / f"samme{good.suffix}")
    out.append(BadInput(loop, "dublet", "samme indhold"))
    return out
