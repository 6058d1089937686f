"""Answers on other municipalities' minutes (other layouts, bodies and questions than the sample)."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def municipal(assistant_over):
    names = ["odsherred-byraad-2023-03-28.txt", "aarhus-boern-unge-2024-01-15.txt", "vejle-teknik-2022-11-02.html",
             "kkr-nordjylland-2023-06-23.txt"]
    return assistant_over([FIXTURES / n for n in names])


@pytest.mark.parametrize(("question", "source", "expected"), [
    ("Hvor meget koster renoveringen af Asnæs Svømmehal?", "odsherred", "4,2 mio. kr."),
    ("Hvordan stemte byrådet om svømmehallen?", "odsherred", "23 stemmer for og 2 imod"),
    ("Hvem var fraværende ved byrådsmødet i Odsherred?", "odsherred", "Karin Mortensen"),
    ("Hvor mange tilsynsbesøg gennemførte Socialtilsyn Nord i 2022?", "kkr", "412 tilsynsbesøg"),
    ("Hvor mange høringssvar kom der om skolestrukturen i Gellerup?", "aarhus", "14 høringssvar"),
    ("Hvad er merforbruget på dagtilbud?", "aarhus", "3,1 mio. kr."),
    ("Hvornår sendes trafiksikkerhedsplanen i høring?", "vejle", "14. november 2022"),
    ("Hvad blev besluttet om vintertjenesten?", "vejle", "Godkendt."),
    ("Hvor mange projekter er der i trafiksikkerhedsplanen?", "vejle", "27 konkrete projekter"),
    ("Hvem blev udpeget til Vækstforum for Nordjyske Havne?", "kkr", "Mikael Klitgaard"),
])
def test_answers_from_other_minutes(municipal, question, source, expected):
    answer = municipal.ask(question)
    assert answer.found and expected in answer.answer
    assert answer.citations and source in answer.citations[0].source


@pytest.mark.parametrize("question", [
    "Hvad koster en ny rundkørsel i Bredsten?",
    "Hvem er borgmester i Vejle?",
    "Hvornår åbner den nye skole i Vig?",
    "Hvad besluttede byrådet om vindmøller ved Nykøbing?",
])
def test_questions_the_minutes_do_not_answer(municipal, question):
    answer = municipal.ask(question)
    assert not answer.found and answer.citations == ()
