"""Meeting resolution: bodies by name, acronym and short form; dates, months and years; the body+period filter."""

from __future__ import annotations

import pytest

from assistant.meetings import bodies_named, body_names, resolve, years_named
from assistant.scope import Scope
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
    # a comma after a hyphen enumerates within one name
    ("Klima-, Teknik- og Miljøudvalget", "KTMU"), ("Sundheds-, Ældre- og Omsorgsudvalget", "SÆOU"),
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


def test_an_election_period_in_a_name_is_not_a_word_to_know_the_body_by():
    assert body_names("Byråd 2022-2025").distinctive == frozenset()
    assert body_names("Byråd 2022-2025").council == "byråd"


@pytest.mark.parametrize(("term", "meeting"), [
    ("ktmu", True), ("ktmu-mød", True), ("byrådsmød", True), ("økonomiudvalgsmød", True),
    # a citizens' meeting is a topic, not the meeting asked about
    ("borgermød", False), ("halgulv", False), ("ktmu-halgulv", False),
])
def test_words_that_only_name_a_meeting(term, meeting):
    from assistant.meetings import body_words, names_a_meeting

    words = body_words(frozenset({"Klima-, Teknik- og Miljøudvalget", "Byråd 2022-2025", "Økonomiudvalget"}))
    assert names_a_meeting(term, words) is meeting


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
    def chosen(organ, periode):
        scope = Scope.of(organ, periode)
        return sorted(r.date for r in RECORDS if scope.admits(r))

    assert len(chosen("Økonomiudvalget", None)) == 3
    assert chosen("Økonomiudvalget", "2024") == ["2024-03-12", "2024-06-18"]
    assert chosen("økonomiudvalget", "2024-06") == ["2024-06-18"]
    assert len(chosen(None, "2023")) == len(BODIES)
    assert chosen("Økonomiudvalget", "2019") == []


def _hit(meeting: MeetingRecord, item: str, title: str, score: float, cases=("SAG-2024-00100",)):
    from assistant.retrieval import ItemHit

    return ItemHit(meeting_id=meeting.meeting_id, item=item, title=title, cases=tuple(cases), body=meeting.body,
                   date=meeting.date, source=meeting.source, score=score, chunks=())


def test_near_equal_meetings_are_listed_newest_first():
    from assistant.archive import ambiguous_meetings

    old, new, other = RECORDS[12], RECORDS[14], RECORDS[13]  # Økonomiudvalget 2023-03, 2024-06, 2024-03
    items = [_hit(old, "4", "Budgetopfølgning", 1.0), _hit(new, "5", "Budgetopfølgning 2. kvartal", 0.985),
             _hit(other, "7", "Vejbelysning", 0.99, cases=("SAG-2024-00999",))]
    assert [r.date for r in ambiguous_meetings(items, RECORDS)] == ["2024-06-18", "2023-03-14"]
    # the best item stands out, or the near one is another matter: nothing to list
    assert ambiguous_meetings([items[0], _hit(new, "5", "Budgetopfølgning", 0.8)], RECORDS) == []
    assert ambiguous_meetings([items[0], items[2]], RECORDS) == []


def test_a_named_year_is_preferred_not_required():
    from assistant.archive import prefer_years

    a, b = RECORDS[12], RECORDS[13]
    items = [_hit(a, "4", "Budget", 1.0), _hit(b, "4", "Budget", 0.9)]
    assert [i.date for i in prefer_years(items, frozenset({"2024"}))] == ["2024-03-12", "2023-03-14"]
    assert [i.date for i in prefer_years(items, frozenset({"2019"}))] == ["2023-03-14", "2024-03-12"]


def test_a_meeting_named_by_day_and_month_alone():
    chosen = resolve("hvem var fraværende på økonomiudvalgsmødet 18. juni", RECORDS)
    assert [(r.body, r.date) for r in chosen.meetings] == [("Økonomiudvalget", "2024-06-18")]
    every_year = resolve("Hvem havde afbud til mødet den 12. marts?", RECORDS)
    assert {r.date for r in every_year.meetings} == {"2024-03-12"} and every_year.route == "dato"
    # a day that is no meeting's, or one not tied to a meeting, restricts nothing
    assert resolve("Hvad sker der fra 1. august?", RECORDS).route is None
    assert resolve("Hvad besluttede ØU på mødet den 2. maj?", RECORDS).route == "organ"


def test_the_day_decides_between_bodies_of_one_name():
    records = [*RECORDS, record("Højmark Kommune, Økonomiudvalget", "2024-03-05")]
    chosen = resolve("hvem var fraværende på økonomiudvalgsmødet 5. marts", records)
    assert [(r.body, r.date) for r in chosen.meetings] == [("Højmark Kommune, Økonomiudvalget", "2024-03-05")]
