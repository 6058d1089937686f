"""Plain text minutes: UTF-8, pages split on form feed."""

from __future__ import annotations

from pathlib import Path

from index.errors import MinutesError
from index.parsing.document import Document
from index.types import Line


def decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise MinutesError(path, "filen indeholder NUL-bytes og er ikke en tekstfil")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MinutesError(path, f"teksten er ikke UTF-8 (ugyldig byte ved position {exc.start})") from exc


def read_text(path: Path, data: bytes) -> Document:
    pages = [[Line(text, number) for text in page.splitlines()]
             for number, page in enumerate(decode(path, data).split("\f"), start=1)]
    return Document(path, "text", pages)
