"""Ingest minutes files: parse, chunk, embed, store; all-or-nothing per file."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from index.catalog import MinutesIndex
from index.chunking import chunk_meeting
from index.errors import MinutesError
from index.parsing import SUPPORTED_SUFFIXES, Limits, parse_file
from index.store import MeetingRecord, new_generation

log = logging.getLogger(__name__)

NEW, UNCHANGED, REPLACED, DUPLICATE, FAILED = "ny", "uændret", "erstattet", "dublet", "fejlet"


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: str
    meeting: str | None = None
    items: int = 0
    chunks: int = 0
    message: str | None = None


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files under the given paths (folders recursively, symlinks not followed), and paths that failed."""
    files: list[Path] = []
    problems: list[IngestResult] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(names):
                    candidate = Path(root) / name
                    if candidate.suffix.lower() in SUPPORTED_SUFFIXES and not candidate.is_symlink():
                        files.append(candidate)
        elif path.exists():
            files.append(path)
        else:
            problems.append(IngestResult(str(path), FAILED, message=f"{path.name}: findes ikke"))
    return files, problems


# called with (file, pages done, pages in the file) while a scanned file is OCR'd
OcrProgress = Callable[[Path, int, int], None]


def ingest_file(index: MinutesIndex, path: Path, ocr_progress: OcrProgress | None = None) -> IngestResult:
    """Index one file; the previous state stays visible until the new meeting is committed."""
    config = index.config
    limits = Limits(max_bytes=config.max_file_mb * 1024 * 1024, ocr_max_pages=config.ocr_max_pages,
                    ocr_timeout=config.ocr_timeout)
    known = _already_indexed(index, path, limits)
    if known is not None:
        return known  # before parsing: a scan is not OCR'd again on every run over an archive
    try:
        meeting = parse_file(path, limits, (lambda done, total: ocr_progress(path, done, total))
                             if ocr_progress else None)
    except MinutesError as exc:
        return IngestResult(str(path), FAILED, message=str(exc))
    records = index.store.records_for(meeting.sha256, meeting.source)
    same_content = next((r for r in records if r.sha256 == meeting.sha256), None)
    if same_content is not None:
        if same_content.source == meeting.source:
            return IngestResult(str(path), UNCHANGED, meeting=f"{meeting.body} {meeting.date}",
                                items=len(meeting.items), chunks=same_content.chunks)
        return IngestResult(str(path), DUPLICATE, meeting=f"{meeting.body} {meeting.date}",
                            message=f"{path.name}: samme indhold som {same_content.source}, allerede indekseret")
    previous = next((r for r in records if r.source == meeting.source), None)
    log.info("læst %s: %d punkter", path.name, len(meeting.items))
    embedder = index.embedder
    chunks = chunk_meeting(
        meeting, embedder.model_id, lambda text: embedder.count_tokens(text) <= embedder.max_tokens,
        index.config.chunk_words,
    )
    log.info("indlejrer %s: %d tekststykker", path.name, len(chunks))
    vectors = embedder.embed_passages([c.text for c in chunks])
    log.info("gemmer %s", path.name)
    index.store.add(chunks, vectors)
    # a scan is kept as its OCR'd PDF: searchable in the browser's viewer, same pages
    original = meeting.ocr_pdf if meeting.ocr_pdf is not None else path.read_bytes()
    stored = _keep_file(index, path, meeting.sha256, original)
    index.store.save_file(meeting.sha256, original)
    index.store.commit(MeetingRecord(
        meeting_id=meeting.id, source=meeting.source, sha256=meeting.sha256, body=meeting.body,
        date=meeting.date or "", pages=meeting.pages, items=len(meeting.items), chunks=len(chunks),
        model=embedder.model_id, generation=new_generation(), stored_file=stored,
        warnings=json.dumps(list(meeting.warnings), ensure_ascii=False),
        signatures=json.dumps([asdict(s) for s in meeting.signatures], ensure_ascii=False),
        ocr_pages=json.dumps(list(meeting.ocr_pages)),
    ))
    log.info("færdig %s", path.name)
    if previous is not None:
        index.store.forget([previous.meeting_id])
        index.store.delete_meeting_chunks(previous.meeting_id)
        _drop_original(index, previous)
    # reader warnings already name the file
    notes = [w.removeprefix(f"{path.name}: ") for w in meeting.warnings]
    warning = f"{path.name}: {' '.join(notes)}" if notes else None
    return IngestResult(str(path), REPLACED if previous else NEW, meeting=f"{meeting.body} {meeting.date}",
                        items=len(meeting.items), chunks=len(chunks), message=warning)


def _already_indexed(index: MinutesIndex, path: Path, limits: Limits) -> IngestResult | None:
    """The file's exact content is indexed already (under this name or another): nothing to read."""
    try:
        if not path.is_file() or path.stat().st_size > limits.max_bytes:
            return None
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader names the problem
    same = next((r for r in index.store.records_for(sha256, path.name) if r.sha256 == sha256), None)
    if same is None:
        return None
    if same.source == path.name:
        return IngestResult(str(path), UNCHANGED, meeting=f"{same.body} {same.date}", items=same.items,
                            chunks=same.chunks)
    return IngestResult(str(path), DUPLICATE, meeting=f"{same.body} {same.date}",
                        message=f"{path.name}: samme indhold som {same.source}, allerede indekseret")


def _keep_file(index: MinutesIndex, path: Path, sha256: str, data: bytes) -> str:
    """A copy of the source file (``data``), named by content, so citations can open the original page."""
    index.files_dir.mkdir(parents=True, exist_ok=True)
    name = f"{sha256}{path.suffix.lower()}"
    target = index.files_dir / name
    if not target.exists():
        partial = target.with_name(name + ".partial")
        partial.write_bytes(data)
        partial.rename(target)
    return name


def ingest_paths(index: MinutesIndex, paths: Iterable[Path],
                 progress: Callable[[IngestResult], None] | None = None,
                 ocr_progress: OcrProgress | None = None) -> list[IngestResult]:
    """Ingest every file; one bad file never stops the others. ``ocr_progress(file, done, total)`` follows
    the pages of a scan while it is OCR'd."""
    files, results = expand_paths(paths)
    for result in results:
        if progress:
            progress(result)
    index.store.collect_garbage()
    for path in files:
        result = ingest_file(index, path, ocr_progress)
        results.append(result)
        if progress:
            progress(result)
    index.refresh()
    return results


def remove_meeting(index: MinutesIndex, source: str) -> MeetingRecord | None:
    """Remove a meeting by file name (or sha256); returns what was removed."""
    record = next((r for r in index.store.records() if source in (r.source, r.sha256, r.meeting_id)), None)
    if record is None:
        return None
    index.store.forget([record.meeting_id])
    index.store.delete_meeting_chunks(record.meeting_id)
    _drop_original(index, record)
    index.refresh()
    return record


def _drop_original(index: MinutesIndex, record: MeetingRecord) -> None:
    """A removed or replaced meeting's original goes too, unless a remaining meeting has the same content:
    a municipality that withdraws minutes must not keep serving them from /kilde."""
    if any(r.sha256 == record.sha256 for r in index.store.records_for(record.sha256, record.source)):
        return
    index.store.delete_file(record.sha256)
    if record.stored_file:
        (index.files_dir / Path(record.stored_file).name).unlink(missing_ok=True)
