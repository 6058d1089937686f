"""`?organ=` / `?periode=` (and the API's `organ` / `periode`): the meetings a question may draw on."""

from __future__ import annotations

import pytest

from assistant.scope import Scope, ScopeError, parse_period

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("text", "bounds"), [
    ("2023", ("2023-01-01", "2023-12-31")),
    ("2023-02", ("2023-02-01", "2023-02-28")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2023-04-28", ("2023-04-28", "2023-04-28")),
    ("2023-04-01..2023-06-30", ("2023-04-01", "2023-06-30")),
    ("2022..2023-05", ("2022-01-01", "2023-05-31")),
])
def test_periods(text, bounds):
    assert parse_period(text) == bounds


@pytest.mark.parametrize("text", ["april 2023", "2023-13", "2023-02-30", "2023-06..2023-04", "23", ""])
def test_bad_periods_are_refused_in_danish(text):
    with pytest.raises(ScopeError, match=r"(?i)periode|ugyldig"):
        parse_period(text)


def test_scope_restricts_every_route(two_meetings):
    june = Scope.of(None, "2023-06")
    answer = two_meetings.respond("Hvem havde meldt afbud?", within=june)
    assert "23. juni 2023" in answer.answer and "28. april 2023" not in answer.answer
    assert {c.date for c in answer.citations} == {"2023-06-23"}
    april = Scope.of("nordjylland", "2023-04-01..2023-04-30")
    fare = two_meetings.respond("Hvad stiger taksten i Børnehus Nord til?", within=april)
    assert fare.found and {c.date for c in fare.citations} == {"2023-04-28"}
    nobody = two_meetings.respond("Hvem havde meldt afbud?", within=Scope.of("Økonomiudvalget", None))
    assert not nobody.found and "Økonomiudvalget" in nobody.answer
    case = two_meetings.respond("Hvad handler SAG-2023-01519 om?", within=june)
    assert all(c.date == "2023-06-23" for c in case.citations)
    assert Scope.of(" ", "") is None
