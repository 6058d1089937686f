"""Hybrid retrieval over two real meetings: exact routes, date and meeting restriction."""

from __future__ import annotations

import pytest

from assistant.evaluation import evaluate
from tests.conftest import EVAL_QUESTIONS

pytestmark = pytest.mark.integration

APRIL, JUNE = "kkr-nordjylland-2023-04-28.pdf", "kkr-nordjylland-2023-06-23.pdf"


def test_case_number_route(two_meetings):
    retrieval = two_meetings.retrieve("Hvad handler SAG-2022-03423 om?")
    assert retrieval.route == "sag"
    assert (retrieval.items[0].item, retrieval.items[0].source) == ("2.3", APRIL)
    june = two_meetings.retrieve("Hvad blev besluttet i sag SAG-2023-02203?")
    assert (june.items[0].item, june.items[0].source) == ("2.2", JUNE)


def test_item_route(two_meetings):
    retrieval = two_meetings.retrieve("Hvad står der under punkt 2.4?")
    assert retrieval.route == "punkt"
    assert retrieval.items[0].item == "2.4"


def test_date_in_question_restricts_to_that_meeting(two_meetings):
    retrieval = two_meetings.retrieve("Hvem blev udpeget på mødet den 23. juni 2023?")
    assert retrieval.route == "dato"
    assert {i.source for i in retrieval.items} == {JUNE}
    assert retrieval.items[0].item == "2.2"
    april = two_meetings.retrieve("Hvem blev udpeget i april 2023?")
    assert {i.source for i in april.items} == {APRIL}


def test_a_date_that_is_no_meeting_does_not_restrict(two_meetings):
    retrieval = two_meetings.retrieve("Blev referatet fra mødet den 10. februar 2023 godkendt?")
    assert retrieval.route is None
    assert retrieval.items[0].item == "1.2"


def test_explicit_meeting_filter(two_meetings):
    retrieval = two_meetings.retrieve("Hvem blev udpeget?", meeting=JUNE)
    assert {i.source for i in retrieval.items} == {JUNE}
    by_name = two_meetings.retrieve("Hvem blev udpeget?", meeting="KKR Nordjylland 2023-04-28")
    assert {i.source for i in by_name.items} == {APRIL}
    unknown = two_meetings.retrieve("Hvem blev udpeget?", meeting="findes-ikke.pdf")
    assert unknown.items == [] and "findes ikke" in unknown.notes[0]


def test_retrieved_items_are_distinct_and_at_least_five(two_meetings):
    retrieval = two_meetings.retrieve("Hvad stiger taksten i Børnehus Nord til?", k=5)
    keys = [i.key for i in retrieval.items]
    assert len(keys) == 5 == len(set(keys))
    assert retrieval.items[0].item == "2.6"
    assert [i.score for i in retrieval.items] == sorted((i.score for i in retrieval.items), reverse=True)


def test_quality_on_shared_questions_with_a_second_meeting_indexed(two_meetings):
    report = evaluate(two_meetings, EVAL_QUESTIONS)
    assert report["hit@1"] >= 0.95 and report["hit@3"] == 1.0
    bm25 = evaluate(two_meetings, EVAL_QUESTIONS, mode="bm25")
    dense = evaluate(two_meetings, EVAL_QUESTIONS, mode="dense")
    assert report["mrr"] >= max(bm25["mrr"], dense["mrr"])
