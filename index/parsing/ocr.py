"""Scanned PDF pages: OCR with Tesseract's Danish model through ocrmypdf, in a subprocess at low priority.

The pages without a text layer get an invisible text layer over their image; every other page is left as it
was. The result is a searchable PDF, read again by the normal PDF reader and kept as the stored original.
ocrmypdf runs as its own process (it lowers its priority itself), so questions are answered meanwhile and a
time limit can stop it together with its Tesseract children.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.errors import MinutesError

LANGUAGE = "dan"
NOT_INSTALLED = ("PDF'en har intet tekstlag, og OCR er ikke installeret "
                 "(apt-get install tesseract-ocr tesseract-ocr-dan; pip install ocrmypdf)")
PLUGIN = Path(__file__).with_name("ocr_progress.py")
PROGRESS_MARK = "referat-ocr-side"

# called with (pages done, pages in the file) while OCR runs
OcrProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrResult:
    data: bytes
    pages: tuple[int, ...]
    seconds: float


@functools.lru_cache(maxsize=1)
def missing() -> str | None:
    """What is missing for OCR ("tesseract", "den danske Tesseract-model", "ocrmypdf"), or None."""
    if importlib.util.find_spec("ocrmypdf") is None:
        return "ocrmypdf"
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "tesseract"
    try:
        langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "tesseract"
    if LANGUAGE not in langs.split():
        return "den danske Tesseract-model"
    return None


def page_list(pages: tuple[int, ...] | list[int]) -> str:
    """1, 2, 3, 5 → '1-3, 5'."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def run_ocr(path: Path, data: bytes, pages: list[int], *, max_pages: int, timeout: float,
            progress: OcrProgress | None = None, jobs: int | None = None) -> OcrResult:
    """OCR ``pages`` (1-based) of the PDF ``data``; raises MinutesError naming the file and the reason."""
    import time

    if len(pages) > max_pages:
        raise MinutesError(path, f"PDF'en har {len(pages)} skannede sider; OCR læser højst {max_pages} sider "
                                 "pr. fil (REFERAT_OCR_MAX_PAGES)")
    jobs = jobs or max(1, min(2, os.cpu_count() or 1))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="referat-ocr-") as folder:
        source, target = Path(folder) / "skannet.pdf", Path(folder) / "ocr.pdf"
        source.write_bytes(data)
        command = [
            sys.executable, "-m", "ocrmypdf", "--plugin", str(PLUGIN), "-l", LANGUAGE,
            "--mode", "force", "--rasterizer", "pypdfium", "--pages", ",".join(str(p) for p in sorted(pages)),
            "--jobs", str(jobs), "--optimize", "0", "--output-type", "pdf", "--tesseract-oem", "1",
            "--tesseract-timeout", str(max(30, int(timeout))),
            str(source), str(target),
        ]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, errors="replace",
                                   cwd=folder, start_new_session=True)
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # ocrmypdf and its Tesseract children

        timer = threading.Timer(timeout, stop)
        timer.daemon = True
        timer.start()
        tail: list[str] = []
        try:
            assert process.stderr is not None
            for line in process.stderr:
                if line.startswith(PROGRESS_MARK):
                    done, total = (int(x) for x in line.split()[1:3])
                    if progress:
                        progress(done, total)
                elif line.strip():
                    tail = [*tail[-4:], line.strip()]
            code = process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:
                stop()
                process.wait()
        if expired.is_set():
            raise MinutesError(path, f"OCR af {len(pages)} skannede sider tog mere end {timeout:.0f} sekunder "
                                     "og er stoppet (REFERAT_OCR_TIMEOUT)")
        if code != 0 or not target.is_file():
            reason = tail[-1] if tail else f"afslutningskode {code}"
            raise MinutesError(path, f"OCR mislykkedes ({reason})")
        return OcrResult(target.read_bytes(), tuple(sorted(pages)), time.perf_counter() - started)
