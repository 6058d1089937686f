"""Case history: normalised case numbers, every treatment of a recurring case in date order with its decision."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index.cases import case_history, case_keys, normalise_case
from tests.conftest import SHARED, write_texts

ACADRE_PDF = SHARED / "minutes" / "real" / "syddjurs-puk-2013-06-20-referat.pdf"
GENERATED_SEED, GENERATED_MEETINGS, GENERATED_CASE = 2208, 3, "SAG-2019-00127"


@pytest.mark.parametrize(("typed", "key"), [
    ("SAG-2023-01519", "SAG-2023-01519"),
    ("sag-2023-01519", "SAG-2023-01519"),
    ("Sagsnr.: 12/27845", "12/27845"),
    ("Sagsnr./Dok.nr.: 12/27845", "12/27845"),
    (" 12 / 27845 ", "12/27845"),
    ("EMN-2024-001234", "EMN-2024-001234"),
    ("Emnenr.: emn-2024-001234", "EMN-2024-001234"),
    ("27.00.00-A00-1-23", "27.00.00-A00-1-23"),
    ("J.nr. 27.00.00-a00-1-23", "27.00.00-A00-1-23"),
    ("24-009396", "24-009396"),
    ("Sag: 24-009396", "24-009396"),
    ("24/009396", "24/009396"),  # another format is another case: never merged
    ("Lokalplan 1221", "LOKALPLAN 1221"),
    ("lokalplan nr. 1221", "LOKALPLAN 1221"),
])
def test_normalise_case(typed: str, key: str) -> None:
    assert normalise_case(typed) == key


def test_case_keys_put_case_numbers_first_then_a_plan_number_of_the_title() -> None:
    assert case_keys("Budgetopfølgning", ["SAG-2023-01519"]) == ["SAG-2023-01519"]
    assert case_keys("Forslag til lokalplan 1221 for Åvej", []) == ["LOKALPLAN 1221"]
    assert case_keys("Lokalplan 1221, endelig vedtagelse", ["24-009396"]) == ["24-009396", "LOKALPLAN 1221"]
    assert case_keys("Orientering", []) == []


def _minutes(body: str, date_text: str, items: list[tuple[str, str | None, str | None]]) -> str:
    lines = [body, f"Referat fra mødet den {date_text}", ""]
    for number, (title, case, decision) in enumerate(items, start=1):
        lines.append(f"{number}. {title}")
        if case:
            lines.append(case)
        lines += ["Sagsfremstilling", f"Forvaltningen har udarbejdet et notat om {title.lower()} til udvalget.",
                  "Indstilling", "Forvaltningen indstiller, at udvalget tager stilling til sagen."]
        if decision:
            lines += ["Beslutning", decision]
        lines.append("")
    return "\n".join(lines) + "\n"


def _written_meetings(folder: Path) -> list[Path]:
    """The same case in three meetings, written in three forms, files named out of date order."""
    folder.mkdir(parents=True, exist_ok=True)
    meetings = {
        "a-tmu-juni.txt": _minutes("Teknik- og Miljøudvalget", "12. juni 2024", [
            ("Budgetopfølgning", "Sagsnr.: 24-001122", "Taget til efterretning."),
            ("Lokalplan 1221 for boliger ved Åvej, endelig vedtagelse", "Sagsnr.: 24-009396",
             "Udvalget anbefalede lokalplanen endeligt vedtaget."),
        ]),
        "b-tmu-marts.txt": _minutes("Teknik- og Miljøudvalget", "5. marts 2024", [
            ("Forslag til lokalplan 1221 for boliger ved Åvej", "Sag: 24-009396",
             "Udvalget sendte forslaget i høring i otte uger."),
        ]),
        "c-byraad-juni.txt": _minutes("Byrådet", "26. juni 2024", [
            ("Lokalplan 1221 for boliger ved Åvej", "24-009396", "Byrådet vedtog lokalplanen endeligt."),
            ("Vejbelysning", "Sagsnr.: 24-004455", None),
        ]),
        "d-plan-uden-sag.txt": _minutes("Klima- og Planudvalget", "20. august 2024", [
            ("Lokalplan 1221, orientering om klager", None, "Orienteringen blev taget til efterretning."),
        ]),
    }
    return write_texts(folder, meetings)


@pytest.fixture(scope="module")
def cases_assistant(assistant_over, tmp_path_factory):
    from bench.generate import generate

    folder = tmp_path_factory.mktemp("cases")
    generated = generate(folder / "generated", GENERATED_MEETINGS, seed=GENERATED_SEED, pdf_share=0.0)
    files = [m.path for m in generated] + _written_meetings(folder / "written") + [ACADRE_PDF]
    assistant = assistant_over(files)
    assistant.generated = generated
    return assistant


def test_generated_recurring_case_lists_every_treatment_oldest_first(cases_assistant) -> None:
    expected = []  # (date, item, decision) read off the generated files
    for meeting in cases_assistant.generated:
        lines = meeting.path.read_text(encoding="utf-8").splitlines()
        for at, line in enumerate(lines):
            if line == GENERATED_CASE:
                item = re.match(r"(\d+)\. ", lines[at - 1]).group(1)
                decision = lines[lines.index("Beslutning", at) + 1]
                expected.append((meeting.date, item, decision))
    assert len({date for date, _, _ in expected}) == GENERATED_MEETINGS  # recurs across all three meetings

    history = case_history(cases_assistant.index, GENERATED_CASE.lower())
    assert history.case == GENERATED_CASE
    got = [(t.date, t.item, t.decision.text) for t in history.treatments]
    assert sorted(got) == sorted(expected)
    assert [t.date for t in history.treatments] == sorted(t.date for t in history.treatments)
    assert all(t.decision.section == "Beslutning" and t.decision.page == 1 for t in history.treatments)


def test_case_in_three_forms_and_plan_number_without_case(cases_assistant) -> None:
    history = case_history(cases_assistant.index, "Sagsnr.: 24-009396")
    rows = [(t.date, t.body, t.decision.text if t.decision else None) for t in history.treatments]
    assert rows == [
        ("2024-03-05", "Teknik- og Miljøudvalget", "Udvalget sendte forslaget i høring i otte uger."),
        ("2024-06-12", "Teknik- og Miljøudvalget", "Udvalget anbefalede lokalplanen endeligt vedtaget."),
        ("2024-06-26", "Byrådet", "Byrådet vedtog lokalplanen endeligt."),
        # no case number, linked by the plan number in its title
        ("2024-08-20", "Klima- og Planudvalget", "Orienteringen blev taget til efterretning."),
    ]
    by_plan = case_history(cases_assistant.index, "Lokalplan 1221")
    assert by_plan.case == "LOKALPLAN 1221" and len(by_plan.treatments) == 4
    without_decision = case_history(cases_assistant.index, "24-004455").treatments
    assert [(t.title, t.decision) for t in without_decision] == [("Vejbelysning", None)]
    assert case_history(cases_assistant.index, "24/009396").treatments == ()
    assert case_history(cases_assistant.index, "SAG-1999-99999").treatments == ()


def test_closed_items_show_their_title_only(cases_assistant) -> None:
    # the hook roles will use: an item the reader may not see keeps its title, never its decision
    history = case_history(cases_assistant.index, "24-009396", can_see=lambda metadata: False)
    assert len(history.treatments) == 4
    assert all(t.decision is None and t.title for t in history.treatments)


def test_acadre_dated_decisions_are_treatments_of_their_own(cases_assistant) -> None:
    history = case_history(cases_assistant.index, "12/27845")
    assert [t.date for t in history.treatments] == ["2013-04-10", "2013-04-24", "2013-06-20"]
    assert {t.item for t in history.treatments} == {"715"}
    sections = [t.decision.section for t in history.treatments]
    assert all(s.startswith("Beslutning i Udvalget for plan, udvikling og kultur (PUK) den ") for s in sections)
    assert history.treatments[0].decision.text.startswith("Der indkaldes til et ekstraordinært møde d. 24. april")
    assert history.treatments[1].decision.text.startswith("Punktet genoptages.")
    assert history.treatments[2].decision.text.startswith("Punktet blev drøftet.")
    assert [t.decision.page for t in history.treatments] == [3, 4, 4]
    # verbatim: every decision stands in the chunk text as it was stored
    stored = " ".join(c.text for c in cases_assistant.index.item_chunks(history.treatments[0].meeting_id, "715"))
    assert all(t.decision.text in stored for t in history.treatments)


def test_cli_sag_json_contract_and_unknown_case(cases_assistant, monkeypatch, capsys) -> None:
    from assistant import cli

    monkeypatch.setattr(cli, "_index", lambda: cases_assistant.index)
    assert cli.main(["sag", "12/27845", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["case"] == "12/27845"
    first = data["meetings"][0]
    assert set(first) >= {"meeting", "date", "item", "title", "decision", "source", "meeting_id"}
    assert first["date"] == "2013-04-10" and first["item"] == "715"
    assert first["source"] == ACADRE_PDF.name and len(first["meeting_id"]) == 16
    assert set(first["decision"]) == {"text", "section", "page"} and first["decision"]["page"] == 3
    assert cli.main(["sag", "24-004455", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["meetings"][0]["decision"] is None

    assert cli.main(["sag", "Sagsnr.: 24-009396"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "Sag 24-009396: 4 behandlinger"
    assert "2024-03-05  Teknik- og Miljøudvalget, punkt 1: Forslag til lokalplan 1221" in text

    assert cli.main(["sag", "SAG-1999-99999"]) == 1
    assert "findes ikke" in capsys.readouterr().err


def test_api_case_history(cases_assistant, monkeypatch) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from assistant.api import api_router, install_error_handlers
    from assistant.config import Settings

    def client(settings: Settings) -> TestClient:
        app = FastAPI()
        install_error_handlers(app)
        app.include_router(api_router(lambda: cases_assistant, settings))
        return TestClient(app)

    open_api = client(Settings())
    for path in ("/api/sager/12/27845", "/api/sager/12%2F27845", "/api/sager/Sagsnr.%3A%2012%2F27845"):
        response = open_api.get(path)
        assert response.status_code == 200, path
        assert [m["date"] for m in response.json()["meetings"]] == ["2013-04-10", "2013-04-24", "2013-06-20"]
    generated = open_api.get(f"/api/sager/{GENERATED_CASE}").json()["meetings"]
    assert [m["date"] for m in generated] == sorted(m["date"] for m in generated)
    missing = open_api.get("/api/sager/SAG-1999-99999")
    assert missing.status_code == 404 and "findes ikke" in missing.json()["fejl"]

    guarded = client(Settings(api_token="hemmelig"))
    assert guarded.get("/api/sager/24-009396").status_code == 401
    answer = guarded.get("/api/sager/24-009396", headers={"Authorization": "Bearer hemmelig"})
    assert answer.status_code == 200 and len(answer.json()["meetings"]) == 4


def test_store_without_case_keys_gives_the_same_history(cases_assistant) -> None:
    """Chunks written before ``case_keys`` existed are found through the case number in their text.

    Runs last in this module: it strips the key from every stored chunk of the shared index.
    """
    index = cases_assistant.index
    cases = ("12/27845", "24-009396", GENERATED_CASE, "Lokalplan 1221")
    before = {case: case_history(index, case).to_json() for case in cases}
    got = index.store.chunks.get(where={"case_keys": {"$contains": "24-009396"}}, include=["metadatas"])
    assert got["ids"] and all(m["case_keys"][0] == "24-009396" for m in got["metadatas"])
    everything = index.store.chunks.get(include=[])["ids"]
    index.store.chunks.update(ids=everything, metadatas=[{"case_keys": None}] * len(everything))
    assert not index.store.chunks.get(where={"case_keys": {"$contains": "24-009396"}}, include=[])["ids"]
    assert {case: case_history(index, case).to_json() for case in cases} == before
