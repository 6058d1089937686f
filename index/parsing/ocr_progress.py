"""An ocrmypdf plugin (loaded by file path in the OCR subprocess): one stderr line per finished OCR page.

ocrmypdf turns its own progress bar off when stderr is not a terminal; this one reports regardless, as
``referat-ocr-side DONE TOTAL``, for index.parsing.ocr to read.
"""

from __future__ import annotations

import sys

from ocrmypdf import hookimpl

MARK = "referat-ocr-side"


class PageProgress:
    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs) -> None:
        self.total = int(total or 0)
        self.ocr = desc == "OCR" and unit == "page"
        self.current = 0.0
        self.reported = 0

    def __enter__(self):
        return self

    def __exit__(self, *args) -> bool:
        return False

    def update(self, n: float = 1, *, completed: float | None = None) -> None:
        self.current = completed if completed is not None else self.current + n
        if self.ocr and int(self.current) > self.reported:
            self.reported = int(self.current)
            print(f"{MARK} {self.reported} {self.total}", file=sys.stderr, flush=True)


@hookimpl
def get_progressbar_class():
    return PageProgress
