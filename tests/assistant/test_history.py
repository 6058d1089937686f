"""Time and history questions over several meetings of one body: latest first, when decided, in a year,
settled or not, after the hearing; each treatment cited. Also the line naming meetings that answer equally."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_texts

BODY = "Teknik- og Miljøudvalget"
CYKELSTI = ("Cykelsti langs Møllevej", "Sagsnr.: 23-004711")
LOKALPLAN = ("Lokalplan 312 for boliger ved Åparken", "Sagsnr.: 24-000312")


def _minutes(body: str, date_text: str, n: int, items: list[tuple[str, str, str, str]]) -> str:
    """Minutes with the recurring 'Godkendelse af dagsorden' and 'Eventuelt' items first."""
    lines = [body, f"Referat fra mødet den {date_text}", ""]
    for number, (title, case, text, decision) in enumerate(_boilerplate(n) + items, start=1):
        lines += [f"{number}. {title}", case, "Sagsfremstilling", text, "Beslutning", decision, ""]
    return "\n".join(lines) + "\n"


def _boilerplate(n: int) -> list[tuple[str, str, str, str]]:
    return [("Godkendelse af dagsorden", f"Sagsnr.: 00-0000{n:02d}", "Udvalget skal godkende dagsordenen.",
             "Dagsordenen blev godkendt."),
            ("Eventuelt", f"Sagsnr.: 00-1000{n:02d}", "Der var ingen punkter under eventuelt.", "Intet.")]


def written(folder: Path) -> list[Path]:
    """One committee, three meetings (and a council meeting) treating the same cases with different decisions."""
    folder.mkdir(parents=True, exist_ok=True)
    meetings = {
        "tmu-2023-09-12.txt": _minutes(BODY, "12. september 2023", 1, [
            (*CYKELSTI, "Forvaltningen har udarbejdet et forslag til en dobbeltrettet cykelsti langs Møllevej "
                        "mellem skolen og stationen.",
             "Udvalget besluttede at sende forslaget om cykelstien i offentlig høring i otte uger."),
            ("Vejbelysning i Nørreby", "Sagsnr.: 23-005500", "Gadelamperne i Nørreby udskiftes til LED.",
             "Godkendt."),
        ]),
        "tmu-2024-02-06.txt": _minutes(BODY, "6. februar 2024", 2, [
            (*CYKELSTI, "Der er indkommet 41 høringssvar om cykelstien langs Møllevej, de fleste positive.",
             "Udvalget udsatte sagen om cykelstien, da økonomien skal belyses yderligere."),
            (*LOKALPLAN, "Forslaget til lokalplan 312 giver mulighed for 80 boliger ved Åparken.",
             "Udvalget besluttede at sende lokalplanforslaget i høring."),
        ]),
        "tmu-2024-03-05.txt": _minutes(BODY, "5. marts 2024", 3, [
            (*CYKELSTI, "Anlægsoverslaget for cykelstien langs Møllevej er nu 4,2 mio. kr.",
             "Udvalget godkendte cykelstien med en anlægsbevilling på 4,2 mio. kr."),
            (*LOKALPLAN, "Forvaltningen orienterer om høringssvarene til lokalplan 312 ved Åparken.",
             "Udvalget tog orienteringen om høringssvarene til efterretning."),
        ]),
        "byraad-2024-03-20.txt": _minutes("Vejby Byråd", "20. marts 2024", 4, [
            (*CYKELSTI, "Teknik- og Miljøudvalget anbefaler cykelstien langs Møllevej.",
             "Byrådet vedtog anlægsbevillingen på 4,2 mio. kr. til cykelstien."),
        ]),
    }
    return write_texts(folder, meetings)


@pytest.fixture(scope="module")
def history_assistant(assistant_over, tmp_path_factory):
    return assistant_over(written(tmp_path_factory.mktemp("history")))


def ask(assistant, question: str):
    answer = assistant.ask(question)
    assert answer.found, answer.answer
    return answer


def test_latest_comes_first_and_every_treatment_is_cited(history_assistant):
    answer = ask(history_assistant, "Hvad er det seneste om cykelstien langs Møllevej?")
    text = answer.answer
    assert text.startswith("Det seneste om sagen 23-004711")
    assert "Byrådet vedtog anlægsbevillingen" in text.splitlines()[0]
    # the earlier treatments follow, newest first
    order = [text.index(s) for s in ("godkendte cykelstien", "udsatte sagen", "offentlig høring")]
    assert order == sorted(order)
    assert [c.date for c in answer.citations] == ["2024-03-20", "2024-03-05", "2024-02-06", "2023-09-12"]
    assert all(c.section == "Beslutning" and c.quote for c in answer.citations)


def test_when_did_the_committee_decide(history_assistant):
    answer = ask(history_assistant, f"Hvornår besluttede {BODY} cykelstien langs Møllevej?")
    first = answer.answer.splitlines()[0]
    assert "5. marts 2024" in first and "godkendte cykelstien" in first
    assert answer.citations[0].date == "2024-03-05"
    council = ask(history_assistant, "Hvornår besluttede byrådet cykelstien langs Møllevej?")
    assert "20. marts 2024" in council.answer.splitlines()[0]


def test_decisions_in_a_year(history_assistant):
    answer = ask(history_assistant, "Hvad besluttede udvalget om cykelstien langs Møllevej i 2023?")
    assert answer.answer.startswith("I 2023 blev sagen 23-004711")
    assert [c.date for c in answer.citations] == ["2023-09-12"]
    in_2024 = ask(history_assistant, "Hvad besluttede TMU om cykelstien langs Møllevej i 2024?")
    assert [c.date for c in in_2024.citations] == ["2024-02-06", "2024-03-05"]


def test_settled_or_not(history_assistant):
    settled = ask(history_assistant, "Er sagen om cykelstien langs Møllevej afgjort?")
    assert settled.answer.startswith("Ja.") and settled.citations[0].date == "2024-03-20"
    pending = ask(history_assistant, "Er sagen om lokalplan 312 ved Åparken afgjort?")
    assert pending.answer.startswith("Referaterne viser ikke")
    assert pending.citations[0].date == "2024-03-05"


def test_after_the_hearing(history_assistant):
    answer = ask(history_assistant, "Hvad skete der med cykelstien langs Møllevej efter høringen?")
    assert "12. september 2023" in answer.answer.splitlines()[0]
    assert [c.date for c in answer.citations] == ["2024-02-06", "2024-03-05", "2024-03-20"]


def test_an_ordinary_question_is_not_a_history_answer(history_assistant):
    answer = ask(history_assistant, "Hvor mange høringssvar kom der om cykelstien langs Møllevej?")
    assert "41" in answer.answer and len(answer.citations) == 1


def test_boilerplate_does_not_crowd_out_the_answer(history_assistant):
    retrieval = history_assistant.retrieve("Hvad blev godkendt om vejbelysningen i Nørreby?")
    assert retrieval.items[0].title == "Vejbelysning i Nørreby"
    named = history_assistant.retrieve("Blev dagsordenen godkendt?")
    assert named.items[0].title == "Godkendelse af dagsorden"
