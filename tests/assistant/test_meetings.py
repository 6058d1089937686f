"""Meeting resolution: bodies by name, acronym and short form; dates, months and years; the body+period filter."""

from __future__ import annotations

import pytest

from assistant.meetings import bodies_named, body_names, resolve, years_named
from assistant.retrieval import find_meeting
from index.store import MeetingRecord

BODIES = ["KKR Nordjylland", "KKR Midtjylland", "Aalborg Byråd", "Hjørring Byråd", "Økonomiudvalget",
          "Teknik- og Miljøudvalget", "Børne- og Skoleudvalget", "Beskæftigelsesudvalget", "Regionsrådet, Region Vest"]


def record(body: str, date: str) -> MeetingRecord:
    return MeetingRecord(meeting_id=f"{body}-{date}", source=f"{body}.txt", sha256=f"{body}{date}", body=body,
                         date=date, pages=1, items=1, chunks=1, model="m", generation=1)


RECORDS = [record(b, d) for b in BODIES for d in ("2023-03-14", "2024-03-12", "2024-06-18")]


@pytest.mark.parametrize(("body", "acronym"), [
    ("Teknik- og Miljøudvalget", "TMU"), ("Børne- og Skoleudvalget", "BSU"), ("Økonomiudvalget", "ØU"),
    ("Vejby Kommune, Teknik- og Miljøudvalget", "TMU"), ("KKR Nordjylland", "KKR"),
])
def test_acronyms_come_from_the_name(body, acronym):
    assert acronym in body_names(body).acronyms


@pytest.mark.parametrize(("question", "expected"), [
    ("Hvad besluttede TMU om vejbelysning?", ["Teknik- og Miljøudvalget"]),
    ("Hvad har BSU besluttet om skolestruktur?", ["Børne- og Skoleudvalget"]),
    ("Hvad besluttede ØU om budgettet?", ["Økonomiudvalget"]),
    ("Hvad besluttede økonomiudvalget om budgettet?", ["Økonomiudvalget"]),
    ("Hvad mente udvalget for teknik om cykelstier?", ["Teknik- og Miljøudvalget"]),
    ("Hvad mente teknikudvalget om cykelstier?", ["Teknik- og Miljøudvalget"]),
    ("Hvad besluttede byrådet om havnen?", ["Aalborg Byråd", "Hjørring Byråd"]),
    ("Hvad besluttede byrådet i Aalborg om havnen?", ["Aalborg Byråd"]),
    ("Hvad besluttede regionsrådet?", ["Regionsrådet, Region Vest"]),
    ("Hvad besluttede KKR Nordjylland om klima?", ["KKR Nordjylland"]),
    ("Hvad besluttede KKR om busdriften i Hjørring?", ["KKR Midtjylland", "KKR Nordjylland"]),
    ("Hvad skete der i Hjørring?", ["Hjørring Byråd"]),  # a distinctive word alone, nothing else names a body
    ("Hvad besluttede udvalget om vejbelysning?", []),
])
def test_bodies_named(question, expected):
    assert bodies_named(question, BODIES) == expected


def test_years_are_not_read_from_dates_or_months():
    assert years_named("Hvad besluttede udvalget om X i 2024?") == {"2024"}
    assert years_named("Hvad skete der den 12. marts 2024?") == set()
    assert years_named("Hvad skete der i marts 2024?") == set()


def test_resolution_restricts_by_body_then_date():
    chosen = resolve("Hvad besluttede TMU den 12. marts 2024?", RECORDS)
    assert chosen.route == "dato" and [r.body for r in chosen.meetings] == ["Teknik- og Miljøudvalget"]
    assert chosen.strip_dates
    by_month = resolve("Hvad besluttede ØU i juni 2024?", RECORDS)
    assert [(r.body, r.date) for r in by_month.meetings] == [("Økonomiudvalget", "2024-06-18")]
    by_year = resolve("Hvad besluttede BSU om skolestruktur i 2024?", RECORDS)
    assert by_year.route == "organ" and len(by_year.meetings) == 3 and by_year.years == {"2024"}


def test_a_date_no_meeting_has_does_not_restrict():
    chosen = resolve("Blev referatet fra mødet den 10. februar 2023 godkendt?", RECORDS)
    assert chosen.route is None and len(chosen.meetings) == len(RECORDS)


def test_filter_takes_body_and_period():
    assert len(find_meeting(RECORDS, "Økonomiudvalget")) == 3
    assert [r.date for r in find_meeting(RECORDS, "Økonomiudvalget 2024")] == ["2024-03-12", "2024-06-18"]
    assert [r.date for r in find_meeting(RECORDS, "økonomiudvalget 2024-06")] == ["2024-06-18"]
    assert len(find_meeting(RECORDS, "2023")) == len(BODIES)
    assert find_meeting(RECORDS, "Økonomiudvalget 2019") == []
