"""Other Danish municipal layouts: 'Punkt 3', '1.', '3)', Sagsnr./Sag lines, qualified decisions, HTML."""

from __future__ import annotations

from pathlib import Path

from index.parsing import parse_file
from tests.conftest import FIXTURES
from tests.support.pdfmaker import write_pdf


def test_punkt_layout_with_byraad_decisions():
    meeting = parse_file(FIXTURES / "odsherred-byraad-2023-03-28.txt")
    assert (meeting.body, meeting.date) == ("Odsherred Byråd", "2023-03-28")
    assert [i.number for i in meeting.items] == ["1", "2", "3"]
    item = meeting.item("2")
    assert item.title == "Anlægsbevilling til renovering af Asnæs Svømmehal"
    assert item.cases == ("27.00.00-A00-1-23",)
    assert meeting.item("1").cases == ("306-2009-600",)
    assert [s.name for s in item.sections] == [
        "Resume", "Sagsforløb", "Indstilling", "Beslutning i Økonomiudvalget den 21. marts 2023",
        "Beslutning i Byrådet den 28. marts 2023", "Bilag",
    ]
    assert [s.kind for s in item.sections].count("Beslutning") == 2
    assert item.attachments == ("Tilstandsrapport for Asnæs Svømmehal", "Budgetoverslag fra Teknik og Miljø")
    absent = [(p.name, p.party, p.role) for p in meeting.participants]
    assert absent == [("Karin Mortensen", "V", "afbud"), ("Thomas Adelskov", "A", "afbud")]


def test_numbered_layout_with_sagsnr_and_til_stede():
    meeting = parse_file(FIXTURES / "aarhus-boern-unge-2024-01-15.txt")
    assert (meeting.body, meeting.date) == ("Børn og Unge-udvalget", "2024-01-15")
    assert [(i.number, i.title, i.cases) for i in meeting.items] == [
        ("1", "Skolestruktur i Gellerup", ("17.01.00-P20-3-23",)),
        ("2", "Budgetopfølgning for dagtilbud", ("00.30.14-S00-1-24",)),
    ]
    assert [s.kind for s in meeting.item("2").sections] == ["Sagsfremstilling", "Økonomi", "Beslutning"]
    roles = [(p.name, p.role) for p in meeting.participants]
    assert roles[-1] == ("Ango Winther", "afbud") and len(roles) == 4


def test_saved_web_page_drops_scripts_and_menus():
    meeting = parse_file(FIXTURES / "vejle-teknik-2022-11-02.html")
    assert (meeting.body, meeting.date) == ("Teknisk Udvalg", "2022-11-02")
    assert [(i.number, i.title, i.cases) for i in meeting.items] == [
        ("3", "Trafiksikkerhedsplan 2023-2026", ("05.01.00-P15-2-22",)),
        ("4", "Vintertjeneste", ("05.01.12-G01-1-22",)),
    ]
    everything = meeting.front_matter + "".join(i.text for i in meeting.items)
    for dropped in ("dataLayer", "Forside", "Skolegade", "font-family"):
        assert dropped not in everything
    assert meeting.item("3").section("Beslutning").text == "Godkendt. Planen sendes i høring fra 14. november 2022."
    assert [p.municipality for p in meeting.participants] == ["Vejle Kommune", "Vejle Kommune"]


def test_numbered_body_lists_are_not_items(tmp_path: Path):
    text = (FIXTURES / "aarhus-boern-unge-2024-01-15.txt").read_text(encoding="utf-8")
    spor = "Der er tre spor:\n1. Sammenlægning\n2. Nybyggeri\n"
    text = text.replace("Forslaget har været i høring", spor + "Forslaget har været i høring")
    path = tmp_path / "aarhus.txt"
    path.write_text(text, encoding="utf-8")
    meeting = parse_file(path)
    assert [i.number for i in meeting.items] == ["1", "2"]
    assert "1. Sammenlægning" in meeting.item("1").text


def test_no_agenda_structure_falls_back_to_pages(tmp_path: Path):
    path = write_pdf(tmp_path / "notat.pdf", [["Notat om vejbelysning", "Lamperne skiftes i 2024."],
                                              ["Udskiftningen koster 2 mio. kr."]])
    meeting = parse_file(path)
    assert meeting.warnings and "Ingen dagsordenspunkter" in meeting.warnings[0]
    assert [(i.number, i.title) for i in meeting.items] == [("s1", "Side 1"), ("s2", "Side 2")]
    assert "Udskiftningen koster 2 mio. kr." in meeting.item("s2").text


def test_pdf_with_several_pages_keeps_page_numbers(tmp_path: Path):
    header = ["Økonomiudvalget", "Referat 12. juni 2024"]
    pages = [
        [*header, "1. Regnskab 2023", "Sagsnr.: 00.01.00-S00-1-24", "Beslutning", "Godkendt.", "Side 1 af 3"],
        [*header, "2. Salg af grund på Havnevej", "Sagsnr.: 02.34.02-P19-1-24", "Sagsfremstilling",
         "Grunden sælges til højeste bud.", "Side 2 af 3"],
        [*header, "Beslutning", "Salget blev godkendt med 7 stemmer.", "Side 3 af 3"],
    ]
    meeting = parse_file(write_pdf(tmp_path / "oeu.pdf", pages))
    assert (meeting.body, meeting.date, meeting.pages) == ("Økonomiudvalget", "2024-06-12", 3)
    item = meeting.item("2")
    assert item.pages == (2, 3)
    assert item.section("Beslutning").pages == (3, 3)
    assert "Side" not in item.text and "Referat" not in item.text
