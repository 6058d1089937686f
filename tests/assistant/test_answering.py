"""Grounded extractive answers on real minutes: per question type, citations, honest 'not found'."""

from __future__ import annotations

import re

import pytest

from index.parsing import parse_file
from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.integration

APRIL = "kkr-nordjylland-2023-04-28.pdf"

CASES = [
    # (question, item, section of first citation, words the answer must contain)
    ("Hvad besluttede KKR om governancestrukturen for Klimaalliancen i Nordjylland?", "2.5", "Beslutning",
     ["godkendte det reviderede oplæg"]),
    ("Blev referatet fra mødet den 10. februar 2023 godkendt?", "1.2", "Beslutning", ["Referatet blev godkendt."]),
    ("Hvad stiger taksten i Børnehus Nord til i 2023?", "2.6", "Sagsfremstilling", ["14.589 kr."]),
    ("Hvor meget har konsortiet bag CO2-visionen søgt om til næste fase?", "3.1", "Beslutning", ["80 mio. kr."]),
    ("Hvornår afholdes næste møde i KKR Nordjylland?", "4.1", "Sagsfremstilling", ["23. juni 2023"]),
    ("Hvem blev udpeget til den nationale politiske udviklingsgruppe?", "2.5", "Beslutning", ["Per Bach Laursen"]),
    ("Hvilke temaer blev drøftet på den nordjyske strategiworkshop?", "2.1", "Sagsfremstilling",
     ["Robusthed og resiliens", "Digitalisering i industrien", "Kompetenceforsyning"]),
]


@pytest.mark.parametrize(("question", "item", "section", "words"), CASES, ids=[c[1] + c[2] for c in CASES])
def test_question_types_get_the_right_part(two_meetings, question, item, section, words):
    answer = two_meetings.ask(question)
    assert answer.found
    first = answer.citations[0]
    assert (first.item, first.source, first.section) == (item, APRIL, section)
    for word in words:
        assert word in answer.answer
    assert answer.answer.startswith(f"Ifølge referatet fra KKR Nordjyllands møde 28. april 2023, punkt {item}")


def test_decision_is_quoted_verbatim_and_whole(two_meetings):
    answer = two_meetings.ask("Hvad besluttede KKR Nordjylland om Børnehus Nord?", meeting=APRIL)
    decision = parse_file(SAMPLE_PDF).item("2.6").section("Beslutning").text
    assert [c.quote for c in answer.citations] == [decision]
    assert answer.answer.endswith(decision)


def test_attendance_lists_are_complete(two_meetings):
    answer = two_meetings.ask("Hvem havde afbud til mødet den 28. april 2023?")
    assert answer.found
    for name in ("Lene Schmidt Aalestrup", "Leif Skaarup", "Anna Aaen", "Mogens Jespersen"):
        assert name in answer.answer
    assert answer.answer.startswith("Fire havde meldt afbud ifølge deltagerlisten")
    assert "personer" not in answer.answer
    assert all(c.section == "Afbud" and c.item == "deltagere" for c in answer.citations)
    thisted = two_meetings.ask("Hvem deltog fra Thisted Kommune på mødet den 28. april 2023?")
    assert all(n in thisted.answer for n in ("Ulla Vestergaard", "Niels Jørgen Pedersen", "Jens Kristian Yde"))
    assert "Per Bach Laursen" not in thisted.answer
    substitute = two_meetings.ask("Hvem var suppleant på mødet i april 2023?")
    assert "John Lamp Henriksen" in substitute.answer and "suppleant for Lene Schmidt Aalestrup" in substitute.answer


def test_attendance_over_several_meetings_answers_each(two_meetings):
    answer = two_meetings.ask("Hvem havde meldt afbud?")
    assert "28. april 2023" in answer.answer and "23. juni 2023" in answer.answer
    assert "Thomas Kastrup-Larsen" in answer.answer and "Leif Skaarup" in answer.answer


def test_case_number_question_answers_from_metadata(two_meetings):
    answer = two_meetings.ask("Hvad er sagsnummeret på temadrøftelsen om sundhedsområdet?")
    assert answer.found and "SAG-2022-03423" in answer.answer
    assert answer.citations[0].case == "SAG-2022-03423" and answer.citations[0].item == "2.3"


@pytest.mark.parametrize("question", [
    "Hvad besluttede KKR om busdriften i Hjørring?",
    "Hvem vandt kommunalvalget i Aalborg?",
    "Hvem blev valgt som ny borgmester i Frederikshavn?",
    "Hvad koster en ny svømmehal i Brønderslev?",
    "Hvornår åbner den nye letbane?",
])
def test_unanswerable_questions_get_an_honest_not_found(two_meetings, question):
    answer = two_meetings.ask(question)
    assert not answer.found
    assert answer.citations == ()
    assert answer.answer.startswith("Jeg kan ikke finde svar på det i referaterne")
    assert "KKR Nordjylland 28. april 2023" in answer.answer and "KKR Nordjylland 23. juni 2023" in answer.answer


def test_every_citation_quote_is_verbatim_and_on_its_page(two_meetings):
    """Ask about every paragraph of the sample; each quote must stand in the parsed item, on the cited page."""
    meeting = parse_file(SAMPLE_PDF)
    questions = []
    for item in meeting.items:
        questions.append(f"Hvad handler punkt {item.number} om?")
        for section in item.sections:
            for paragraph in section.text.split("\n"):
                words = re.findall(r"\w+", paragraph)
                if len(words) >= 8:
                    questions.append(" ".join(words[2:9]) + "?")
    checked = 0
    for question in questions:
        for citation in two_meetings.ask(question, meeting=APRIL).citations:
            if citation.item == "deltagere":
                assert citation.quote in meeting.participants_section.text
                continue
            item = meeting.item(citation.item)
            section = next(s for s in item.sections if s.name == citation.section)
            offset = section.text.find(citation.quote)
            assert offset >= 0, (question, citation.quote)
            assert section.page_at(offset) == citation.page, (question, citation.quote)
            assert citation.case == item.cases[0] and citation.title == item.title
            checked += 1
    assert checked >= 100
