"""The real KKR Nordjylland minutes, as PDF and as the text it was made from."""

from __future__ import annotations

import re

import pytest

from index.parsing import parse_file
from tests.conftest import SAMPLE_PDF, SAMPLE_TXT

EXPECTED_TITLES = {
    "1.1": "Godkendelse af dagsorden",
    "1.2": "Godkendelse af referat",
    "2.1": "KKR Nordjyllands indspil til regionalt bidrag til national erhvervsfremmestrategi 2024-27",
    "2.2": "Opfølgning på Erhvervshus Nordjyllands Resultatkontrakt 2022",
    "2.3": "Temadrøftelse om sundhedsområdet og samarbejdet i sundhedsklyngerne",
    "2.4": "Henvendelse fra Samarbejdsudvalg for fysioterapi",
    "2.5": "National klimapartnerskabsaftale og governancestruktur i Nordjylland",
    "2.6": "Børnehus Nord – budget og takster for 2023",
    "3.1": "Siden sidst",
    "4.1": "Punkter til næste møde",
    "5.1": "Eventuelt",
}


@pytest.fixture(scope="module", params=[SAMPLE_PDF, SAMPLE_TXT], ids=["pdf", "txt"])
def meeting(request):
    return parse_file(request.param)


def test_meeting_metadata(meeting):
    assert meeting.body == "KKR Nordjylland"
    assert meeting.date == "2023-04-28"
    assert len(meeting.sha256) == 64


def test_pdf_page_count():
    assert parse_file(SAMPLE_PDF).pages == 20


def test_exactly_the_eleven_items_with_full_titles(meeting):
    assert {i.number: i.title for i in meeting.items} == EXPECTED_TITLES


def test_case_numbers(meeting):
    cases = {i.number: i.cases for i in meeting.items}
    assert cases["2.3"] == ("SAG-2022-03423",)
    assert all(c == ("SAG-2023-01519",) for n, c in cases.items() if n != "2.3")


def test_sections_in_order(meeting):
    kinds = [s.kind for s in meeting.item("2.5").sections]
    assert kinds == ["Baggrund", "Indstilling", "Sagsfremstilling", "Beslutning"]
    assert [s.kind for s in meeting.item("3.1").sections] == ["Indstilling", "Sagsfremstilling", "Beslutning"]


def test_participants(meeting):
    by_role: dict[str, list[str]] = {}
    for person in meeting.participants:
        by_role.setdefault(person.role, []).append(person.name)
    assert len(by_role["deltager"]) == 20
    assert by_role["kl-udvalgsmedlem"] == ["Daniel Nyboe Andersen"]
    assert by_role["afbud"] == ["Lene Schmidt Aalestrup", "Leif Skaarup", "Anna Aaen", "Mogens Jespersen"]
    # the source lists Anna Aaen both as present and absent; we keep what it says
    assert "Anna Aaen" in by_role["deltager"]
    substitute = next(p for p in meeting.participants if p.name == "John Lamp Henriksen")
    assert (substitute.party, substitute.municipality) == ("C", "Frederikshavn Kommune")
    assert substitute.note == "suppleant for Lene Schmidt Aalestrup"


def test_decision_of_2_5_names_the_representative(meeting):
    decision = meeting.item("2.5").section("Beslutning").text
    assert "Per Bach Laursen blev udpeget" in decision


def test_no_running_header_or_footer_inside_items():
    meeting = parse_file(SAMPLE_PDF)
    for item in meeting.items:
        text = item.text
        assert not re.search(r"Side \d+ af \d+", text)
        assert "REFERAT ·" not in text
        assert "K K R" not in text


def test_no_word_left_split_by_a_line_break_hyphen(meeting):
    for item in meeting.items:
        for section in item.sections:
            # "små- og mellemstore" is a real hyphen; "er- hvervsfremme" would be a split word
            assert not re.search(r"[a-zæøå]- (?!og\b|eller\b)[a-zæøå]", section.text), (item.number, section.name)
    assert "erhvervsfremmestrategi" in meeting.item("2.1").title
    assert "bemærkninger" in meeting.item("1.2").section("Sagsfremstilling").text
    assert "Klimaalliancen" in meeting.item("2.5").section("Baggrund").text
    assert "KKR-mødet" in meeting.item("2.1").text
    assert "små- og mellemstore" in meeting.item("2.1").text


def test_pages_of_items_and_sections():
    meeting = parse_file(SAMPLE_PDF)
    item = meeting.item("2.5")
    assert item.pages == (13, 15)
    assert item.section("Beslutning").pages == (15, 15)
    assert meeting.item("1.1").pages == (4, 4)
    sagsfremstilling = item.section("Sagsfremstilling")
    offset = sagsfremstilling.text.index("Udpegning til national politisk udviklingsgruppe")
    assert sagsfremstilling.page_at(offset) == 14


def test_attachments_are_recorded(meeting):
    assert meeting.item("2.2").attachments == ("Afrapporteringen er vedlagt.",)
    assert any("Budget for Børnehus Nord 2023" in a for a in meeting.item("2.6").attachments)


def test_list_lines_survive(meeting):
    text = meeting.item("1.1").section("Sagsfremstilling").text
    assert "\n– 8.00-8.30 Ankomst og morgenkaffe\n" in text


def test_participants_block_is_its_own_part(meeting):
    block = meeting.participants_section
    assert block is not None and "Afbud" in block.text and "Mogens Jespersen" in block.text
    assert all("Mogens Jespersen (V)" not in i.text for i in meeting.items)
