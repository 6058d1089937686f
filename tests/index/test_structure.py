"""The structure set: labelled minutes of 15 publishing systems' layouts plus the real Acadre file (PDF and DOCX).

What a user checks: every agenda item found with its exact title, the issuing body and date, case numbers,
decision sections and participants; the same figures ``referat eval --structure`` prints.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.parsing import parse_file
from index.parsing.evaluation import evaluate_structure
from tests.conftest import ROOT, SHARED
from tests.support.layouts import BUILT, HOLDOUT, HOLDOUT2, HOLDOUT3, LAYOUTS, build_pdf

LABELS = sorted(LAYOUTS.glob("*.expected.json")) + sorted(HOLDOUT.glob("*.expected.json"))
# the seventh round's layouts, written blind to the parser (table agendas, 'Ad pkt.', '(Lukket)' after titles,
# page counters in text exports, accordions, definition-list metadata, plain-text PDFs)
SECOND_HOLDOUT = sorted(HOLDOUT2.glob("*.expected.json")) + sorted(HOLDOUT3.glob("*.expected.json"))


@pytest.fixture(scope="module")
def report() -> dict:
    return evaluate_structure(LABELS)


def test_the_set_covers_fourteen_layouts_and_the_real_file(report):
    layouts = {r["layout"] for r in report["rows"]}
    assert len(layouts) >= 14 and {"acadre-pdf", "acadre-docx"} <= layouts
    assert report["failed"] == 0 and report["items"] >= 100


def test_items_and_titles_overall(report):
    assert report["item_f1"] >= 0.95
    assert report["titles"] >= 0.9
    assert report["body"] >= 0.9 and report["date"] >= 0.95
    assert report["cases"] >= 0.9 and report["decisions"] >= 0.9


@pytest.fixture(scope="module")
def second_report() -> dict:
    return evaluate_structure(SECOND_HOLDOUT)


def test_the_second_hold_out_set_overall(second_report):
    assert len({r["layout"] for r in second_report["rows"]}) >= 14 and second_report["failed"] == 0
    assert second_report["item_f1"] >= 0.95 and second_report["titles"] >= 0.95
    # (two of its labels count each "Bestyrelsen godkendte …" sentence as a decision; the parser counts sections)
    assert second_report["closed"] >= 0.95 and second_report["decisions"] >= 0.8


@pytest.mark.parametrize("label", LABELS + SECOND_HOLDOUT,
                         ids=[p.name.removesuffix(".expected.json") for p in LABELS + SECOND_HOLDOUT])
def test_each_layout_recovers_its_agenda(report, second_report, label):
    rows = report["rows"] + second_report["rows"]
    row = next(r for r in rows if r["file"] == json.loads(label.read_text())["file"]
               and r["layout"] == json.loads(label.read_text())["layout"])
    assert row["item_f1"] >= 0.9, (row["missing"], row["extra"])
    assert row["titles"] >= 0.85, row["wrong_titles"]
    assert row["date"], row["parsed_date"]


def test_built_fixtures_match_their_sources(tmp_path: Path):
    """The committed PDFs are what the sources build (someone editing a source must rebuild)."""
    for source in [*sorted(LAYOUTS.glob("*.pdf.txt")), *sorted(HOLDOUT.glob("*.pdf.txt")),
                   *sorted(HOLDOUT2.glob("*.pdf.txt")), *sorted(HOLDOUT3.glob("*.pdf.txt"))]:
        rebuilt = parse_file(build_pdf(source, tmp_path / source.name.removesuffix(".txt")))
        committed = parse_file(source.parent / "built" / source.name.removesuffix(".txt"))
        assert [(i.number, i.title, i.cases) for i in rebuilt.items] == [
            (i.number, i.title, i.cases) for i in committed.items]


def test_dated_decisions_of_the_real_acadre_file_stay_separate_and_in_order():
    for suffix in ("pdf", "docx"):
        meeting = parse_file(SHARED / "minutes" / "real" / f"syddjurs-puk-2013-06-20-referat.{suffix}")
        item = meeting.item("715")
        decisions = [s for s in item.sections if s.kind == "Beslutning"]
        assert [s.date for s in decisions] == ["2013-04-10", "2013-04-24", "2013-06-20"]
        assert item.cases == ("12/27845",)
        data = meeting.to_json()["items"][0]["sections"]
        assert [s.get("date") for s in data if s["kind"] == "Beslutning"] == ["2013-04-10", "2013-04-24", "2013-06-20"]


def test_numbered_list_inside_an_item_and_a_title_only_item():
    meeting = parse_file(BUILT / "firstagenda-byraad.pdf")
    assert [i.number for i in meeting.items] == [str(n) for n in range(1, 9)]
    assert "1. Økonomi" in meeting.item("4").text
    assert meeting.item("2").title == "Meddelelser fra borgmesteren"
    assert meeting.item("7").access == "lukket"
    assert meeting.body == "Skovlund Byråd"  # not the place ('Mødested: Byrådssalen')


def test_agenda_list_at_the_top_is_not_the_items():
    meeting = parse_file(LAYOUTS / "kk-udvalg.txt")
    assert [i.number for i in meeting.items] == [f"{n:02d}" for n in range(1, 11)]
    assert all(i.text for i in meeting.items)
    assert meeting.item("06").title.endswith("for nyankomne flygtninge og indvandrere")


def test_attendance_from_sentences_and_item_notes():
    meeting = parse_file(BUILT / "skolebestyrelse.docx")
    absent = {p.name for p in meeting.participants if p.role == "afbud"}
    assert absent == {"Mette Lund", "Ole Berg"}
    sbsys = parse_file(BUILT / "sbsys-teknik.pdf")
    notes = [p.note for p in sbsys.participants if p.note and "behandlingen" in p.note]
    assert notes and all("punkt" in n for n in notes)


def test_eval_structure_command_prints_the_figures():
    run = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--structure", str(LAYOUTS)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "punkt-F1" in run.stdout and "kk-text" in run.stdout and "acadre-docx" in run.stdout
