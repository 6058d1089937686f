"""The question bank: the dev/test split, and the figures reached on its test half (a regression floor)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation import bank_split, evaluate_files, figures, load_questions

BANK = sorted((Path(__file__).resolve().parents[1] / "bank").glob("*.questions.jsonl"))
# the figures below are measured without the Greve file (it is worked on separately)
FIGURES_BANK = [p for p in BANK if not p.name.startswith("greve.")]


def test_split_is_a_function_of_the_id_alone():
    assert bank_split("kkr-01") == bank_split("kkr-01")
    assert {bank_split(f"q-{n}") for n in range(50)} == {"dev", "test"}


def test_split_halves_the_bank():
    ids = [q["id"] for path in BANK for q in load_questions(path)]
    assert len(ids) == len(set(ids))
    dev = sum(bank_split(i) == "dev" for i in ids)
    assert 0.35 < dev / len(ids) < 0.65


@pytest.mark.integration
def test_bank_test_half_holds_its_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("REFERAT_BANK_DIR", str(tmp_path))
    report = evaluate_files(FIGURES_BANK, split="test")
    test = figures([r for r in report["rows"] if bank_split(r["id"]) == "test"])
    # reached on the test half when this was written (answer_ok 0.604, gold cited 0.764, refused-unanswerable
    # 0.552, refused-answerable 0.170), minus a small margin: a drop fails
    assert test["answer_ok"] >= 0.58
    assert test["gold_cited"] >= 0.74
    assert test["abstained_ok"] >= 0.52
    assert test["answerable_refused"] <= 0.20
    assert test["median_words"] <= 60
