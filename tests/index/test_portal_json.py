"""Agenda-portal JSON (Greve Kommune's published meetings in ../shared): items, decisions, case numbers,
attendance and closed items of 22 meetings across all committees and four years, checked against figures
read by hand from the JSON files; then a few of them through a real index, the assistant and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.chunking import chunk_meeting
from index.errors import MinutesError
from index.parsing import parse_file
from tests.conftest import SHARED

GREVE = SHARED / "minutes" / "real" / "greve"
pytestmark = pytest.mark.skipif(not GREVE.is_dir(), reason="the Greve archive in ../shared is missing")

# file: (body, date, place, items, items with a decision, items with a case number, closed item numbers,
#        absent people, (number, title, case) of one item)
EXPECTED = {
    "2022-01-10_oekonomiudvalget_e049b9bf.json": (
        "Økonomiudvalget", "2022-01-10", "Biblioteket", 4, 3, 4, ["3"], {"Mehmet Zeki Dogru"},
        ("2", "Huskeliste/ orientering fra administrationen", "21-013713")),
    "2022-04-27_skole-boerne-og-ungeudvalget_fda1d021.json": (
        "Skole-, Børne- og Ungeudvalget", "2022-04-27", "Portalen", 3, 2, 3, [], set(),
        ("2", "Motorik for børn i Greve", "21-005074")),
    "2022-05-30_beskaeftigelses-og-erhvervsudvalget_bba4c5c1.json": (
        "Beskæftigelses- og Erhvervsudvalget", "2022-05-30", "Mødelokale 5", 15, 14, 15, [], set(),
        ("15", "Underskriftsark", "21-012521")),
    "2022-06-02_klima-teknik-og-miljoeudvalget_1332a734.json": (
        "Klima-, Teknik- og Miljøudvalget", "2022-06-02", "Mødelokale 6+7", 38, 36, 38, ["34"], set(),
        ("20", "Mere selvforvaltning til idrætshallerne i Tune og Karlslunde", "22-005816")),
    "2022-06-13_oekonomiudvalget_3e57a83f.json": (
        "Økonomiudvalget", "2022-06-13", "Biblioteket", 34, 31, 34, ["2", "3"], {"Mehmet Zeki Dogru"},
        ("34", "Underskriftsark", "21-014501")),
    "2023-01-01_spoergsmaal-svar-til-byraadet-2022-2025_ed202165.json": (
        "Spørgsmål / Svar til Byrådet 2022-2025", "2023-01-01", "Virtuelt møde", 1, 0, 1, [], set(),
        ("1", "Spørgsmål/Svar Byrådet 2023", "21-015217")),
    "2023-05-22_social-og-handicapudvalget_cf06b334.json": (
        "Social- og Handicapudvalget", "2023-05-22", "Mødelokale 1", 12, 11, 12, [], set(),
        ("7", "Orientering om årsregnskab 2022 og revisionsberetning", "22-010546")),
    "2023-05-22_sundheds-og-omsorgsudvalget_b33146d6.json": (
        "Sundheds- og Omsorgsudvalget", "2023-05-22", "Langagergård Plejecenter", 13, 11, 13, [],
        {"Tina Rottbøll"}, ("1", "Godkendelse af dagsorden", "21-014445")),
    "2023-05-24_kultur-og-fritidsudvalget_5b2abc1a.json": (
        "Kultur- og Fritidsudvalget", "2023-05-24", "Mødelokale 1", 14, 13, 14, [], set(),
        ("14", "Underskriftsark", "21-014481")),
    "2023-08-15_plan-og-tryghedsudvalget_030dfd63.json": (
        "Plan- og Tryghedsudvalget", "2023-08-15", "Mødelokale 1", 15, 13, 15, ["11"], set(),
        ("1", "Godkendelse af dagsorden", "22-003654")),
    # "Afbud: Tina Rottbøll" stands only in Sagens forløb (another body's meeting): nobody is absent here
    "2023-09-04_byraad-2022-2025_0fb02bb4.json": (
        "Byråd 2022-2025", "2023-09-04", "Byrådssalen", 35, 28, 35, ["3", "4", "5", "6", "7", "8"], set(),
        ("35", "Underskriftsark", "21-013699")),
    "2024-04-10_oekonomiudvalget_eb5cb1f3.json": (
        "Økonomiudvalget", "2024-04-10", "Biblioteket", 27, 22, 27, ["3", "4", "5", "6"], {"Marc Genning"},
        ("1", "Godkendelse af dagsorden", "21-014439")),
    # "Afbud: Torben Hoffmann" only in Sagens forløb
    "2024-04-25_klima-teknik-og-miljoeudvalget_fb52b7e8.json": (
        "Klima-, Teknik- og Miljøudvalget", "2024-04-25", "Trappetårn 5 sal", 25, 23, 25, ["21"],
        set(), ("25", "Underskriftsark", "21-014460")),
    "2024-06-03_beskaeftigelses-og-erhvervsudvalget_41a010ac.json": (
        "Beskæftigelses- og Erhvervsudvalget", "2024-06-03", "Mødelokale 1", 11, 9, 11, ["7"], set(),
        ("1", "Godkendelse af dagsorden", "21-014448")),
    "2024-06-04_skole-boerne-og-ungeudvalget_e5f0eeaa.json": (
        "Skole-, Børne- og Ungeudvalget", "2024-06-04", "Biblioteket, rådhuset", 12, 11, 12, [],
        {"Marc Genning"}, ("12", "Underskriftsark", "21-014468")),
    "2024-06-12_oekonomiudvalget_ccaaefcb.json": (
        "Økonomiudvalget", "2024-06-12", "Biblioteket", 38, 33, 38, ["2", "3", "4", "5"], {"Mehmet Zeki Dogru"},
        ("20", "Cykelsti og fortov, Greve Centervej fra Greve Landevej til Skovbo Alle - anlægsforslag",
         "24-004433")),
    "2025-03-19_byraad-2022-2025_303ab05d.json": (
        "Byråd 2022-2025", "2025-03-19", "Byrådssalen", 35, 31, 29, ["1", "5", "6"],
        {"Torben Hoffmann", "Tina Rottbøll"}, ("35", "Underskriftsark", None)),
    "2025-06-02_social-og-handicapudvalget_f5f0ca78.json": (
        "Social- og Handicapudvalget", "2025-06-02", "Mødelokale 6+7", 8, 6, 2, ["4"], set(),
        ("2", "Flytning af møder i september, november og december 2025", "24-005210")),
    "2025-06-02_sundheds-og-omsorgsudvalget_80923122.json": (
        "Sundheds- og Omsorgsudvalget", "2025-06-02", "Mødelokale 1", 15, 13, 9, ["11"], {"Lone Mortensen"},
        ("1", "Godkendelse af dagsorden", None)),
    "2025-06-03_plan-og-tryghedsudvalget_c8398ba5.json": (
        "Plan- og Tryghedsudvalget", "2025-06-03", "Mødelokale 1", 19, 17, 13, ["15"], set(),
        ("19", "Underskriftsark", None)),
    "2025-06-04_kultur-og-fritidsudvalget_4a19c04a.json": (
        "Kultur- og Fritidsudvalget", "2025-06-04", "Karlslunde Hallerne, Kongens Enge 42, 2690 Karlslunde", 17, 16,
        11, [], set(), ("1", "Godkendelse af dagsorden", None)),
    "2025-06-25_byraad-2022-2025_c49ed3af.json": (
        "Byråd 2022-2025", "2025-06-25", "Byrådssalen", 46, 41, 40, ["2", "3", "4", "5"],
        {"Linda Heegaard", "Liselott Blixt"}, ("24", "Flytning af møder i september, november og december 2025",
                                               "24-005210")),
}


def test_the_sample_spans_committees_and_years():
    assert len(EXPECTED) >= 20
    assert len({name.split("_")[1] for name in EXPECTED}) == 10
    assert {name[:4] for name in EXPECTED} == {"2022", "2023", "2024", "2025"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meeting_as_read_by_hand(name: str):
    body, date, place, items, decisions, cases, closed, absent, (number, title, case) = EXPECTED[name]
    meeting = parse_file(GREVE / name)
    assert (meeting.body, meeting.date, meeting.place, meeting.pages) == (body, date, place, 1)
    assert len(meeting.items) == items
    assert sum(item.section("Beslutning") is not None for item in meeting.items) == decisions
    assert sum(bool(item.cases) for item in meeting.items) == cases
    assert [item.number for item in meeting.items if item.access == "lukket"] == closed
    assert {p.name for p in meeting.participants if p.role == "afbud"} == absent
    item = meeting.item(number)
    assert item.title == title and item.cases == ((case,) if case else ())
    for item in meeting.items:
        if item.access == "lukket":
            assert item.title.startswith("Lukket:") and item.sections == ()
        decision = item.section("Beslutning")
        # absence lines are attendance, not decision text
        assert decision is None or not any(
            line.startswith(("Afbud", "Fraværende")) for line in decision.text.split("\n"))
    if meeting.participants:
        assert meeting.participants_section is not None
        assert all(p.name in meeting.participants_section.text for p in meeting.participants)


def test_sections_follow_the_presentation_headings():
    meeting = parse_file(GREVE / "2022-06-02_klima-teknik-og-miljoeudvalget_1332a734.json")
    item = meeting.item("6")
    assert item.title == "Fortovsrenovering i Tune" and item.cases == ("22-005986",)
    kinds = [s.kind for s in item.sections]
    assert kinds[0] == "Beslutning" and {"Indstilling", "Sagsfremstilling", "Sagsprocedure", "Resume"} <= set(kinds)
    assert all(s.pages == (1, 1) for s in item.sections)


def test_numbered_outcomes_are_read_against_the_recommendation():
    item = parse_file(GREVE / "2022-06-02_klima-teknik-og-miljoeudvalget_1332a734.json").item("6")
    lines = item.section("Beslutning").text.split("\n")
    assert lines[0] == "1.-2. Godkendt."  # the decision as written comes first
    assert lines[1:] == ["1. at de udpegede fortovsstrækninger godkendes – Godkendt.",
                         "2. at den i sagen foreslåede prioritering anvendes – Godkendt."]
    item = parse_file(GREVE / "2023-09-11_social-og-handicapudvalget_92d2315c.json").item("2")
    assert item.section("Beslutning").text.split("\n")[2] == (
        "1. at den foreslåede mødekalender for Social- og Handicapudvalget godkendes – Godkendt.")


def test_absence_for_some_items_and_substitutes():
    meeting = parse_file(GREVE / "2024-04-10_oekonomiudvalget_eb5cb1f3.json")
    marc = next(p for p in meeting.participants if p.name == "Marc Genning")
    assert (marc.role, marc.note) == ("afbud", "fraværende under punkt 20")
    meeting = parse_file(GREVE / "2025-03-19_byraad-2022-2025_303ab05d.json")
    conni = next(p for p in meeting.participants if p.name == "Conni Bergendorff")
    assert (conni.role, conni.note) == ("deltager", "stedfortræder for Torben Hoffmann")
    assert len([p for p in meeting.participants if p.name == "Conni Bergendorff"]) == 1


def test_closed_items_give_title_chunks_marked_closed():
    meeting = parse_file(GREVE / "2022-01-10_oekonomiudvalget_e049b9bf.json")
    chunks = chunk_meeting(meeting, "test-model", lambda text: True)
    closed = [c for c in chunks if c.item == "3"]
    assert len(closed) == 1 and closed[0].metadata()["access"] == "lukket"
    assert closed[0].text.startswith("Punkt 3: Lukket: ") and closed[0].spans == ()
    assert {c.metadata()["access"] for c in chunks if c.item != "3"} == {"åben"}
    assert chunks[0].item == "deltagere" and "Afbud\nMehmet Zeki Dogru" in chunks[0].text


def test_recognised_by_structure_not_by_name(tmp_path: Path):
    meeting = {"Udvalg": {"Navn": "Teknisk Udvalg"}, "Moede": {"Dato": "2021-03-04T16:00:00", "Sted": "Rådhuset"},
               "Dagsordenpunkter": [{"Punktnummer": "1", "Navn": "Vejbelysning", "SagsNummer": "20-000001",
                                     "Felter": [{"Html": "<h3>Beslutning</h3><span>Godkendt.<br>Afbud: Bo Berg (V)"
                                                         "</span><h3>Fremstilling</h3><h4>Sagsbeskrivelse</h4>"
                                                         "<p>Lamperne skiftes.</p><ul><li>Vej A</li></ul>"}]},
                                    {"Punktnummer": "2", "Navn": "Lukket: Køb af grund"}]}
    path = tmp_path / "noget.json"
    path.write_text(json.dumps(meeting), encoding="utf-8")
    parsed = parse_file(path)
    assert (parsed.body, parsed.date, parsed.time, parsed.place) == ("Teknisk Udvalg", "2021-03-04", "16:00",
                                                                      "Rådhuset")
    first, second = parsed.items
    assert first.section("Beslutning").text == "Godkendt."
    assert first.section("Sagsfremstilling").text == "Lamperne skiftes.\n– Vej A"
    assert [(p.name, p.party, p.role) for p in parsed.participants] == [("Bo Berg", "V", "afbud")]
    assert (second.access, second.title, second.sections) == ("lukket", "Lukket: Køb af grund", ())


@pytest.mark.parametrize("content", [b'{"navn": "ikke et referat"}', b"[1, 2]"])
def test_other_json_is_refused_in_danish(tmp_path: Path, content: bytes):
    path = tmp_path / "data.json"
    path.write_bytes(content)
    with pytest.raises(MinutesError, match="JSON-filen er ikke et mødereferat fra en dagsordensportal"):
        parse_file(path)
    path.write_bytes(b"{ikke json")
    with pytest.raises(MinutesError, match="JSON-filen kan ikke læses"):
        parse_file(path)


INDEXED = [
    "2022-01-10_oekonomiudvalget_e049b9bf.json",
    "2022-04-27_skole-boerne-og-ungeudvalget_fda1d021.json",
    "2023-09-11_social-og-handicapudvalget_92d2315c.json",
    "2024-06-26_oekonomiudvalget_f108e961.json",
    "2025-05-05_byraad-2022-2025_a991a168.json",
]


@pytest.mark.integration
def test_questions_over_indexed_portal_meetings(tmp_path: Path, make_index):
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.ingest import ingest_paths

    index = make_index(tmp_path / "data")
    results = ingest_paths(index, [GREVE / name for name in INDEXED])
    assert [r.status for r in results] == ["ny"] * 5
    closed = index.store.chunks.get(where={"access": "lukket"}, include=["metadatas"])
    assert {m["item"] for m in closed["metadatas"]} == {"3"}
    assistant = Assistant(Settings(data_dir=tmp_path / "data"), index=index)
    answer = assistant.ask("Hvad blev besluttet om mødekalenderen for 2024 for Social- og Handicapudvalget?")
    assert answer.found and "Godkendt" in answer.answer
    assert "mødekalender for Social- og Handicapudvalget godkendes" in answer.answer
    assert answer.citations[0].case == "23-005195"
    answer = assistant.ask("Hvem havde meldt afbud til Økonomiudvalgets møde den 26. juni 2024?")
    assert answer.found and "Pernille Beckmann" in answer.answer
    assert "Mehmet Zeki Dogru" not in answer.answer


@pytest.mark.integration
def test_cli_ingest_of_a_portal_folder_is_a_no_op_the_second_time(tmp_path: Path):
    from tests.assistant.test_cli_index import cli

    folder = tmp_path / "greve"
    folder.mkdir()
    for name in INDEXED[:3]:
        shutil.copy(GREVE / name, folder / name)
    first = cli(tmp_path / "data", "ingest", str(folder))
    assert first.returncode == 0, first.stderr
    assert "3 ny, 0 uændret" in first.stdout
    again = cli(tmp_path / "data", "ingest", str(folder))
    assert again.returncode == 0, again.stderr
    assert "0 ny, 3 uændret" in again.stdout
