"""Dates, bodies and events in a question, over written minutes of two bodies: a day no meeting was held is
not answered from another meeting, a year in a body's name ("Byråd 2022-2025") is not a place to look for,
"KTMU-mødet" names the meeting, and "deltog i borgermødet" asks about the event, not the attendance list."""

from __future__ import annotations

import pytest

from tests.conftest import extractive_answer as ask
from tests.conftest import write_texts

COMMITTEE = """Klima-, Teknik- og Miljøudvalget
Referat fra mødet den 5. marts 2024

Deltagere: Anne Hansen, Bo Berg, Dorthe Holm
Afbud: Carl Dam

1. Borgermøde om vejbelysning i Nørreby
Sagsfremstilling
Udvalget holdt den 1. marts 2024 borgermøde om vejbelysning i Nørreby i Nørreby Forsamlingshus.
På borgermødet deltog ca. 40 borgere.
Beslutning
Udvalget tog orienteringen til efterretning.

2. Renovering af halgulve i Nørrebyhallen
Sagsfremstilling
Gulvet i Nørrebyhallen er slidt efter mange års brug og skal slibes og lakeres.
Indstilling
Administrationen indstiller, at der afsættes 0,4 mio.kr. i 2024 til renovering af halgulvet.
Beslutning
Anbefales.
"""

COUNCIL = """Byråd 2022-2025
Referat fra mødet den 10. april 2024

Deltagere: Anne Hansen, Erik Lund, Fie Møller
Afbud: Gustav Ravn

1. Salg af grunden ved Skovvej
Sagsfremstilling
Grunden ved Skovvej har været i udbud, og der er kommet tre bud.
Beslutning
Byrådet godkendte salget af grunden til højestbydende for 2,1 mio. kr.
"""


@pytest.fixture(scope="module")
def two_bodies(assistant_over, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dates")
    return assistant_over(write_texts(folder, {"ktmu-2024-03-05.txt": COMMITTEE, "byraad-2024-04-10.txt": COUNCIL}))


@pytest.mark.integration
def test_a_day_no_meeting_was_held_is_not_answered_from_another_meeting(two_bodies):
    held = ask(two_bodies, "Hvem havde afbud til byrådsmødet 10. april 2024?")
    assert held.found and "Gustav Ravn" in held.answer
    other = ask(two_bodies, "Hvem havde afbud til byrådsmødet 23. december 2024?")
    assert not other.found and "Gustav Ravn" not in other.answer


@pytest.mark.integration
def test_a_year_in_a_councils_name_does_not_hide_a_committees_answer(two_bodies):
    # "2024" is in no body name here, but the council's "2022-2025" made a year look like a place to look for
    answer = ask(two_bodies, "Hvem havde afbud til KTMU den 5. marts 2024?")
    assert answer.found and "Carl Dam" in answer.answer


@pytest.mark.integration
def test_the_meeting_named_with_its_acronym_and_date_is_no_topic(two_bodies):
    answer = ask(two_bodies, "Hvor meget blev der afsat til halgulve i Nørrebyhallen på KTMU-mødet 5. marts 2024?")
    assert answer.found and "0,4 mio.kr." in answer.answer
    assert answer.citations[0].item == "2"


@pytest.mark.integration
def test_taking_part_in_an_event_is_not_the_attendance_list(two_bodies):
    answer = ask(two_bodies, "Hvor mange deltog i borgermødet om vejbelysning?")
    assert answer.found and "ca. 40 borgere" in answer.answer
    assert answer.citations[0].item == "1"


@pytest.mark.integration
def test_the_bank_counts_the_participant_list_and_ignores_spacing(tmp_path, monkeypatch):
    """An absence printed under item 1 is filed in the participant list: citing that list is citing the gold;
    "0,4 mio. kr." is the fact "0,4 mio.kr." written with a space."""
    import json

    from assistant.evaluation import evaluate_files

    monkeypatch.setenv("REFERAT_BANK_DIR", str(tmp_path / "bank"))
    (source,) = write_texts(tmp_path / "m", {"ktmu-2024-03-05.txt": COMMITTEE})
    questions = [
        {"id": "d-1", "question": "Hvem havde afbud til KTMU den 5. marts 2024?", "source": str(source),
         "items": ["1"], "answer_contains": ["Carl Dam"], "answerable": True, "kind": "attendance"},
        {"id": "d-2", "question": "Hvor meget indstilles afsat til halgulvet i Nørrebyhallen?", "source": str(source),
         "items": ["2"], "answer_contains": ["0,4 mio. kr."], "answerable": True, "kind": "amount"},
        # the participant list is gold only for attendance questions
        {"id": "d-3", "question": "Hvem havde afbud til KTMU den 5. marts 2024?", "source": str(source),
         "items": ["1"], "answer_contains": ["Carl Dam"], "answerable": True, "kind": "who"},
    ]
    bank = tmp_path / "d.questions.jsonl"
    bank.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    rows = {r["id"]: r for r in evaluate_files([bank])["rows"]}
    assert rows["d-1"]["ok"] and rows["d-1"]["cites_gold"]
    assert rows["d-2"]["keywords"] and rows["d-2"]["ok"]
    assert rows["d-3"]["keywords"] and not rows["d-3"]["cites_gold"]
