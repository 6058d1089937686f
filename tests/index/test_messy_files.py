"""Messy real files still get read: a damaged page among good ones, appended e-signature pages, a DOCX cut off
before its zip directory, an owner-password PDF. Each file is built here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import MinutesError
from index.parsing import parse_file
from index.parsing.signals.signatures import split_signature_pages
from index.types import Line
from tests.support.pdfmaker import write_pdf

PAGES = [
    ["Teknik- og Miljøudvalget", "Referat 12. marts 2024", "1. Cykelsti langs Åvej", "Sagsnr.: 05.01.00-P20-1-24",
     "Beslutning", "Udvalget godkendte cykelstien langs Åvej med en ramme på 3,2 mio. kr."],
    ["2. Vejbelysning i Nørreby", "Sagsnr.: 05.04.00-P20-2-24", "Beslutning",
     "Udvalget besluttede at udskifte lamperne i Nørreby med LED i 2025."],
    ["3. Affaldssortering på genbrugspladsen", "Sagsnr.: 07.00.00-P20-3-24", "Beslutning",
     "Udvalget vedtog ny sortering af haveaffald på genbrugspladsen fra 1. maj."],
]
CERTIFICATE_PAGES = [
    ["Underskrifter", "Dokumentnøgle: 7QX2K-99ABC-LM3P4", "Underskrevet af Karen Holm (Formand) den 14.03.2024",
     "Underskrevet af Peter Lund den 15.03.2024", "Signeret med MitID", "Alle underskrifter er valideret"],
    ["Certifikat", "Navn: Karen Holm", "Rolle: Formand", "Serienummer: 48213377", "Tidspunkt: 2024-03-14 10:12:55",
     "Udsteder: MitID Erhverv", "PAdES-signatur med tidsstempel", "Hash: 9f8e7d6c5b4a"],
]
# the page content object of page 2 (objects: catalog, pages, font, then content and page per page)
PAGE_2 = b"/Resources << /Font << /F1 3 0 R >> >> /Contents 6 0 R"


def _damaged(path: Path, replacement: bytes) -> Path:
    write_pdf(path, PAGES)
    data = path.read_bytes()
    assert data.count(PAGE_2) == 1
    path.write_bytes(data.replace(PAGE_2, replacement))
    return path


def _titles(path: Path) -> list[str]:
    return [item.title for item in parse_file(path).items]


def test_a_page_whose_content_object_is_gone_is_skipped_with_file_and_page_named(tmp_path: Path):
    path = _damaged(tmp_path / "beskadiget-side.pdf", b"/Resources << /Font << /F1 3 0 R >> >> /Contents 99 0 R")
    meeting = parse_file(path)
    assert [i.number for i in meeting.items] == ["1", "3"]
    assert "beskadiget-side.pdf: side 2 kunne ikke læses og er sprunget over" in meeting.warnings
    assert meeting.pages == 3
    assert meeting.item("3").pages == (3, 3)


def test_a_page_pypdf_cannot_draw_is_read_by_the_second_engine(tmp_path: Path):
    path = _damaged(tmp_path / "mangler-ressourcer.pdf", b"/Resources 99 0 R /Contents 6 0 R")
    meeting = parse_file(path)
    assert [i.number for i in meeting.items] == ["1", "2", "3"]
    assert "LED" in meeting.item("2").text
    assert not any("side 2" in w for w in meeting.warnings)


def test_a_page_where_pypdf_raises_falls_back_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from index.parsing.readers import pdf

    original = pdf._typeset_lines

    def failing(page, number):
        if number == 2:
            raise KeyError("/Font")
        return original(page, number)

    monkeypatch.setattr(pdf, "_typeset_lines", failing)
    path = write_pdf(tmp_path / "pypdf-fejl.pdf", PAGES)
    assert _titles(path) == ["Cykelsti langs Åvej", "Vejbelysning i Nørreby", "Affaldssortering på genbrugspladsen"]
    monkeypatch.setattr(pdf, "_pdfium_page", lambda *args, **kwargs: None)
    meeting = parse_file(path)
    assert [i.number for i in meeting.items] == ["1", "3"]
    assert "pypdf-fejl.pdf: side 2 kunne ikke læses og er sprunget over" in meeting.warnings


def test_no_readable_page_refuses_the_file(tmp_path: Path):
    path = write_pdf(tmp_path / "alt-væk.pdf", PAGES)
    data = path.read_bytes()
    for content in (4, 6, 8):
        data = data.replace(b"/Contents %d 0 R" % content, b"/Contents 99 0 R")
    path.write_bytes(data)
    with pytest.raises(MinutesError, match="beskadiget"):
        parse_file(path)


def test_owner_password_pdf_is_read_and_user_password_is_refused(tmp_path: Path):
    from pypdf import PdfReader, PdfWriter

    source = write_pdf(tmp_path / "kilde.pdf", PAGES)
    for name, user in (("ejer.pdf", ""), ("bruger.pdf", "hemmelig")):
        writer = PdfWriter()
        for page in PdfReader(source).pages:
            writer.add_page(page)
        writer.encrypt(user_password=user, owner_password="x")
        with (tmp_path / name).open("wb") as handle:
            writer.write(handle)
    assert _titles(tmp_path / "ejer.pdf")[0] == "Cykelsti langs Åvej"
    with pytest.raises(MinutesError, match="krypteret med adgangskode"):
        parse_file(tmp_path / "bruger.pdf")


def signed_pdf(directory: Path) -> Path:
    return write_pdf(directory / "signeret-referat.pdf", [*PAGES, *CERTIFICATE_PAGES])


def test_signature_pages_are_left_out_and_their_signers_kept(tmp_path: Path):
    meeting = parse_file(signed_pdf(tmp_path))
    assert [i.number for i in meeting.items] == ["1", "2", "3"]
    everything = json.dumps(meeting.to_json(), ensure_ascii=False)
    items = json.dumps(meeting.to_json()["items"], ensure_ascii=False) + meeting.front_matter
    for word in ("Dokumentnøgle", "Serienummer", "48213377", "PAdES", "MitID"):
        assert word not in items
    assert meeting.item("3").pages == (3, 3)
    signers = {s.name: s for s in meeting.signatures}
    assert set(signers) == {"Karen Holm", "Peter Lund"}
    assert signers["Karen Holm"].date == "2024-03-14" and signers["Karen Holm"].role == "Formand"
    assert signers["Peter Lund"].date == "2024-03-15"
    assert '"signatures"' in everything


def test_a_page_merely_mentioning_a_signature_is_minutes():
    pages = [[Line("1. Budget", 1), Line("Beslutning", 1)],
             [Line("2. Digital signatur", 2), Line("Udvalget drøftede underskrift med MitID.", 2)]]
    kept, signatures, dropped = split_signature_pages(pages)
    assert kept == pages and signatures == () and dropped == []


def test_only_signature_pages_are_not_emptied():
    pages = [[Line(text, 1) for text in CERTIFICATE_PAGES[0]]]
    assert split_signature_pages(pages)[0] == pages


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Teknik- og Miljøudvalget")
    document.add_paragraph("Referat 12. marts 2024")
    for lines in PAGES:
        for text in lines[2:] if lines is PAGES[0] else lines:
            document.add_paragraph(text)
    document.save(path)
    return path


def test_docx_cut_before_its_zip_directory_is_repaired(tmp_path: Path):
    whole = _docx(tmp_path / "hel.docx")
    data = whole.read_bytes()
    cut = tmp_path / "afbrudt-download.docx"
    cut.write_bytes(data[: data.find(b"PK\x01\x02")])
    meeting = parse_file(cut)
    assert [i.title for i in meeting.items] == [i.title for i in parse_file(whole).items]
    assert len(meeting.items) == 3
    assert any(w.startswith("afbrudt-download.docx: ") and "repareret" in w for w in meeting.warnings)


def test_docx_with_document_xml_cut_gives_a_clear_error(tmp_path: Path):
    data = _docx(tmp_path / "hel.docx").read_bytes()
    start = data.find(b"word/document.xml")
    cut = tmp_path / "halv.docx"
    cut.write_bytes(data[: start + 200])
    with pytest.raises(MinutesError, match="Word-filen er beskadiget og kan ikke repareres"):
        parse_file(cut)


@pytest.mark.integration
def test_messy_files_through_the_real_pipeline(tmp_path: Path, make_index):
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.ingest import ingest_paths

    damaged = _damaged(tmp_path / "beskadiget-side.pdf", b"/Resources << /Font << /F1 3 0 R >> >> /Contents 99 0 R")
    signed_dir = tmp_path / "signeret"
    signed_dir.mkdir()
    signed = write_pdf(signed_dir / "signeret-referat.pdf",
                       [[line.replace("Teknik- og Miljøudvalget", "Kultur- og Fritidsudvalget") for line in page]
                        for page in [*PAGES, *CERTIFICATE_PAGES]])
    signed.write_bytes(signed.read_bytes().replace(b"12. marts 2024", b"19. marts 2024"))
    index = make_index(tmp_path / "data")
    results = ingest_paths(index, [damaged, signed])
    assert [r.status for r in results] == ["ny", "ny"], results
    assert "side 2 kunne ikke læses" in (results[0].message or "")
    records = {r.source: r for r in index.meetings()}
    assert any("side 2" in w for w in records["beskadiget-side.pdf"].warning_list)
    assert {s["name"] for s in records["signeret-referat.pdf"].signature_list} == {"Karen Holm", "Peter Lund"}
    assistant = Assistant(Settings(data_dir=tmp_path / "data"), index=index)

    answer = assistant.ask("Hvad besluttede udvalget om affaldssortering på genbrugspladsen?",
                           meeting="beskadiget-side.pdf")
    assert answer.found and "haveaffald" in answer.answer
    assert answer.citations[0].notice == "side 2 kunne ikke læses"
    assert answer.citations[0].to_json()["notice"] == "side 2 kunne ikke læses"

    answer = assistant.ask("Hvad besluttede udvalget om cykelstien langs Åvej?", meeting="signeret-referat.pdf")
    assert answer.found and "3,2 mio" in answer.answer
    assert answer.citations[0].notice is None
    for word in ("Dokumentnøgle", "Serienummer", "PAdES", "Karen Holm", "48213377"):
        assert word not in answer.answer and all(word not in c.quote for c in answer.citations)
    answer = assistant.ask("Hvad er dokumentnøglen og serienummeret på certifikatet?", meeting="signeret-referat.pdf")
    assert "7QX2K" not in answer.answer and "48213377" not in answer.answer


def test_citation_card_shows_the_notice_escaped():
    from assistant.render import card
    from assistant.types import Citation

    citation = Citation("05.01.00-P20-1-24", "1", "Cykelsti", "Beslutning", 1, "Teknik", "2024-03-12", "a.pdf",
                        "Godkendt.", 1.0, notice="side 2 kunne ikke læses <b>")
    html = card(None, citation, 1)
    assert 'Bemærk: side 2 kunne ikke læses &lt;b&gt;' in html and "kilde-handlinger" in html
    assert "kilde-bemaerk" not in card(None, Citation(**{**citation.__dict__, "notice": None}), 1)
    assert "notice" not in Citation(**{**citation.__dict__, "notice": None}).to_json()


def test_a_pdf_pypdf_refuses_whole_is_read_by_the_second_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import pypdf
    from pypdf.errors import PdfReadError

    def refuse(*args, **kwargs):
        raise PdfReadError("Invalid Elementary Object")

    monkeypatch.setattr(pypdf, "PdfReader", refuse)
    meeting = parse_file(signed_pdf(tmp_path))
    assert [i.number for i in meeting.items] == ["1", "2", "3"]
    assert {s.name for s in meeting.signatures} == {"Karen Holm", "Peter Lund"}
    assert any("reservemotoren" in w and "PdfReadError" in w for w in meeting.warnings)


def test_file_notice_from_the_record():
    from assistant.answering import file_notice
    from index.store import MeetingRecord

    def record(warnings: list[str]) -> MeetingRecord:
        return MeetingRecord("m", "a.pdf", "s", "Udvalg", "2024-03-12", 3, 2, 4, "e5", 1,
                             warnings=json.dumps(warnings))

    assert file_notice(record([])) is None
    assert file_notice(record(["Ingen dagsordenspunkter fundet; teksten er delt op."])) is None
    skipped = [f"a.pdf: side {n} kunne ikke læses og er sprunget over" for n in (2, 5)]
    assert file_notice(record(skipped)) == "siderne 2, 5 kunne ikke læses"
    assert file_notice(record(["a.docx: Word-filen var beskadiget (zip-indholdsfortegnelsen manglede) og er "
                               "repareret"])) == "filen var beskadiget og er repareret"
    assert MeetingRecord("m", "a.pdf", "s", "U", "", 1, 1, 1, "e5", 1).warning_list == []


def test_meeting_list_shows_signers_and_warnings(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    from types import SimpleNamespace

    from assistant import cli
    from index.store import MeetingRecord

    record = MeetingRecord("m", "a.pdf", "s", "Udvalget", "2024-03-12", 5, 3, 6, "e5", 1,
                           warnings=json.dumps(["a.pdf: side 2 kunne ikke læses og er sprunget over"]),
                           signatures=json.dumps([{"name": "Karen Holm", "date": "2024-03-14", "role": "Formand"}]))
    monkeypatch.setattr(cli, "_index", lambda: SimpleNamespace(meetings=lambda: [record], maybe_refresh=lambda: None))
    assert cli.cmd_list(SimpleNamespace()) == 0
    out = capsys.readouterr().out
    assert "underskrevet af Karen Holm (Formand) den 2024-03-14" in out
    assert "Bemærk: a.pdf: side 2 kunne ikke læses" in out
