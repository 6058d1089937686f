"""Scanned minutes: the sample rendered to page images (200 dpi, turned 1°, blurred, no text layer), OCR'd at
ingest with Tesseract's Danish model, and asked the shared questions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index.errors import MinutesError
from index.parsing import Limits, parse_file
from index.parsing import ocr as ocr_module
from tests.conftest import EVAL_QUESTIONS, SAMPLE_PDF
from tests.support.scan import write_scan

pytestmark = pytest.mark.integration

needs_ocr = pytest.mark.skipif(ocr_module.missing() is not None,
                               reason=f"OCR er ikke installeret ({ocr_module.missing()}); kør make ocr")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def sample_pages() -> dict[int, set[str]]:
    """The words of each page of the text sample: where a quote truly stands."""
    from pypdf import PdfReader

    return {n: set(_words(page.extract_text() or "")) for n, page in enumerate(PdfReader(SAMPLE_PDF).pages, 1)}


@pytest.fixture(scope="module")
def sample_meeting():
    return parse_file(SAMPLE_PDF)


def _index(root: Path, embedder):
    from assistant.config import Settings
    from index.catalog import IndexConfig, MinutesIndex

    config = IndexConfig(data_dir=root / "data", model="multilingual-e5-small", model_cache=Settings().model_cache)
    return MinutesIndex(config, embedder=embedder)


def _ingest_scan(root: Path, embedder, scan: Path):
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.ingest import ingest_paths

    index = _index(root, embedder)
    progress: list[tuple[str, int, int]] = []
    results = ingest_paths(index, [scan], ocr_progress=lambda path, done, total: progress.append(
        (path.name, done, total)))
    return Assistant(Settings(data_dir=root / "data"), index=index), results, progress


@pytest.fixture(scope="session")
def scanned(tmp_path_factory, embedder):
    """The whole sample as a scan, ingested once per session (OCR of 20 pages takes a minute or two here)."""
    if ocr_module.missing():
        pytest.skip(f"OCR er ikke installeret ({ocr_module.missing()})")
    root = tmp_path_factory.mktemp("scan")
    scan = write_scan(SAMPLE_PDF, root / "skannet-referat.pdf")
    return _ingest_scan(root, embedder, scan)


def test_the_scan_has_no_text_layer(tmp_path):
    from pypdf import PdfReader

    scan = write_scan(SAMPLE_PDF, tmp_path / "s.pdf", pages=[4])
    assert not (PdfReader(scan).pages[0].extract_text() or "").strip()


@needs_ocr
def test_scan_is_read_by_ocr_with_the_same_items_and_cases(scanned, sample_meeting):
    assistant, results, progress = scanned
    assert [r.status for r in results] == ["ny"]
    assert "tekst fra OCR (sider 1-20)" in results[0].message
    record = assistant.index.meetings()[0]
    assert record.ocr_page_list == list(range(1, 21))
    assert any("tekst fra OCR (sider 1-20)" in w for w in record.warning_list)
    assert record.pages == 20
    # progress per page, up to the whole file
    assert progress[-1] == ("skannet-referat.pdf", 20, 20)
    assert len({done for _, done, _ in progress}) >= 10
    # the stored original is the OCR'd PDF: it has a text layer now, same pages, and parses the same
    stored = assistant.index.files_dir / record.stored_file
    meeting = parse_file(stored)
    assert meeting.ocr_pages == () and meeting.pages == 20
    assert [i.number for i in meeting.items] == [i.number for i in sample_meeting.items]
    assert len(meeting.items) == 11
    assert [i.cases for i in meeting.items] == [i.cases for i in sample_meeting.items]
    assert [i.pages[0] for i in meeting.items] == [i.pages[0] for i in sample_meeting.items]
    assert (meeting.body, meeting.date) == (sample_meeting.body, sample_meeting.date)
    # ingesting the same scan again is recognised by its content before any OCR
    from index.ingest import ingest_paths

    again: list = []
    scan = Path(results[0].path)
    rerun = ingest_paths(assistant.index, [scan], ocr_progress=lambda *args: again.append(args))
    assert [r.status for r in rerun] == ["uændret"] and rerun[0].items == 11 and again == []


def _on_page(quote: str, page: int, pages: dict[int, set[str]]) -> bool:
    """The quote's opening words stand on that page of the text sample (OCR may misread a word or two)."""
    words = [w for w in _words(quote) if len(w) > 2][:10]
    return bool(words) and sum(w in pages.get(page, set()) for w in words) >= 0.7 * len(words)


@needs_ocr
def test_shared_questions_are_answered_from_the_scan_with_citations_on_the_right_pages(scanned, sample_pages):
    assistant, _, _ = scanned
    questions = [json.loads(line) for line in EVAL_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    answerable = [q for q in questions if q.get("answerable", True)]
    passed, misses = 0, []
    for question in answerable:
        answer = assistant.ask(question["question"])
        gold = [c for c in answer.citations if c.item in question["items"]]
        facts = all(k.lower() in answer.answer.lower() for k in question["answer_contains"])
        pages_right = bool(gold) and all(_on_page(c.quote, c.page, sample_pages) for c in gold)
        if answer.found and facts and pages_right:
            passed += 1
        else:
            misses.append((question["id"], answer.answer[:120], [(c.item, c.page) for c in answer.citations]))
        # every citation of a scanned page says so
        assert all(c.notice and "tekst fra OCR" in c.notice for c in answer.citations)
    assert passed / len(answerable) >= 0.8, misses


@needs_ocr
def test_mixed_file_is_read_page_by_page_while_questions_are_answered(tmp_path, embedder, sample_meeting, scanned):
    """Pages 1-10 keep their text layer, pages 11-20 are scans: only those are OCR'd. Meanwhile another index
    answers questions: OCR runs in its own process, off the question path."""
    import threading
    import time

    scan = write_scan(SAMPLE_PDF, tmp_path / "blandet.pdf", text_pages=list(range(1, 11)))
    outcome: list = []
    worker = threading.Thread(target=lambda: outcome.append(_ingest_scan(tmp_path, embedder, scan)))
    worker.start()
    other, _, _ = scanned
    answered_during_ocr = 0
    while worker.is_alive() and answered_during_ocr < 3:
        started = time.perf_counter()
        answer = other.ask("Hvem blev udpeget som KKR Nordjyllands repræsentant i den nationale politiske "
                           "udviklingsgruppe for Klimaalliancen?")
        assert "Per Bach Laursen" in answer.answer and time.perf_counter() - started < 30
        answered_during_ocr += worker.is_alive()
    worker.join()
    assert answered_during_ocr >= 1
    assistant, results, progress = outcome[0]
    assert [r.status for r in results] == ["ny"]
    record = assistant.index.meetings()[0]
    assert record.ocr_page_list == list(range(11, 21))
    assert any("tekst fra OCR (sider 11-20)" in w for w in record.warning_list)
    assert progress and progress[-1][1] == progress[-1][2] == 20
    meeting = parse_file(assistant.index.files_dir / record.stored_file)
    assert [(i.number, i.cases) for i in meeting.items] == [(i.number, i.cases) for i in sample_meeting.items]
    # a page read from the scan carries the OCR notice; a page with its own text layer does not
    scanned_answer = assistant.ask("Hvad stiger taksten i Børnehus Nord til i 2023?")
    assert "14.589" in scanned_answer.answer
    assert scanned_answer.citations[0].page >= 11 and "tekst fra OCR" in (scanned_answer.citations[0].notice or "")
    text_answer = assistant.ask("Hvor mange mål indeholder Erhvervshus Nordjyllands resultatkontrakt for 2022?")
    assert text_answer.citations[0].page <= 10 and not text_answer.citations[0].notice


# --- limits and missing OCR: fast, one small page -------------------------------------------------------------

@pytest.fixture()
def one_page_scan(tmp_path) -> Path:
    return write_scan(SAMPLE_PDF, tmp_path / "en-side.pdf", pages=[4])


def test_missing_tesseract_names_what_to_install(one_page_scan, monkeypatch):
    monkeypatch.setattr(ocr_module, "missing", lambda: "tesseract")
    with pytest.raises(MinutesError) as caught:
        parse_file(one_page_scan)
    message = str(caught.value)
    assert "en-side.pdf" in message and "intet tekstlag" in message
    assert "apt-get install tesseract-ocr tesseract-ocr-dan" in message and "pip install ocrmypdf" in message


def test_mixed_file_without_tesseract_reads_the_text_pages_and_says_which_were_not(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr_module, "missing", lambda: "tesseract")
    mixed = write_scan(SAMPLE_PDF, tmp_path / "blandet.pdf", pages=[4, 5, 15], text_pages=[4, 5])
    meeting = parse_file(mixed)
    assert meeting.ocr_pages == ()
    assert any("side 3 er skannet og ikke læst" in w for w in meeting.warnings)


def test_page_limit_gives_a_danish_message(tmp_path):
    scan = write_scan(SAMPLE_PDF, tmp_path / "to-sider.pdf", pages=[4, 5])
    with pytest.raises(MinutesError, match=r"to-sider\.pdf: .*2 skannede sider; OCR læser højst 1 sider"):
        parse_file(scan, Limits(ocr_max_pages=1))


@needs_ocr
def test_time_limit_stops_ocr_with_a_danish_message(one_page_scan):
    with pytest.raises(MinutesError, match=r"en-side\.pdf: OCR af 1 skannede sider tog mere end 0 sekunder"):
        parse_file(one_page_scan, Limits(ocr_timeout=0.3))


def test_drawn_pages_without_images_are_not_sent_to_ocr(tmp_path):
    from tests.support.pdfmaker import write_image_only_pdf

    with pytest.raises(MinutesError, match="intet tekstlag"):
        parse_file(write_image_only_pdf(tmp_path / "tegnet.pdf", 2))


def test_page_list_and_citation_notice():
    from assistant.answering import file_notice
    from index.store import MeetingRecord

    assert ocr_module.page_list([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    record = MeetingRecord("m", "a.pdf", "s", "U", "", 4, 1, 1, "e5", 1, ocr_pages="[3, 4]",
                           warnings='["a.pdf: tekst fra OCR (sider 3-4)"]')
    assert file_notice(record, 3) == "tekst fra OCR"
    assert file_notice(record, 2) is None
    assert MeetingRecord("m", "a.pdf", "s", "U", "", 1, 1, 1, "e5", 1).ocr_page_list == []


def test_a_header_joined_by_ocr_still_names_the_body():
    from index.parsing.meta import _body_from_line

    assert _body_from_line("VEJBY BYRÅD REFERAT") == "VEJBY BYRÅD"
    assert _body_from_line("Teknik- og Miljøudvalget - Dagsorden") == "Teknik- og Miljøudvalget"
