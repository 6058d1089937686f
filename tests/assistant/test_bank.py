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
    # reached on the test half at the end of the sixth round (answer_ok 0.71, gold cited 0.85, refused-unanswerable
    # 0.62, refused-answerable 0.11), minus a small margin: a drop fails
    assert test["answer_ok"] >= 0.68
    assert test["gold_cited"] >= 0.82
    assert test["abstained_ok"] >= 0.58
    assert test["answerable_refused"] <= 0.14
    assert test["median_words"] <= 60


@pytest.mark.integration
def test_archive_scope_counts_only_the_item_of_the_questions_own_meeting(assistant_over, tmp_path):
    """Searched as one archive, item "1" exists in every meeting: gold is item 1 of the question's meeting."""
    import json

    from tests.conftest import write_texts

    def minutes(body: str, date: str, topic: str, decision: str) -> str:
        return (f"{body}\nReferat fra mødet den {date}\n\n1. {topic}\nSagsfremstilling\n"
                f"Forvaltningen har beskrevet {topic.lower()}.\nBeslutning\n{decision}\n")

    first, second = write_texts(tmp_path / "arkiv", {
        "a-tmu.txt": minutes("Teknik- og Miljøudvalget", "5. marts 2024", "Vejbelysning på Strandvej",
                             "Udvalget godkendte 12 nye lygtepæle."),
        "b-kfu.txt": minutes("Kultur- og Fritidsudvalget", "9. april 2024", "Tilskud til spejderhytten",
                             "Udvalget bevilgede 40.000 kr. til spejderhytten."),
    })
    assistant = assistant_over([first, second])
    bank = tmp_path / "arkiv.questions.jsonl"
    questions = [
        {"id": "arkiv-1", "question": "Hvor meget fik spejderhytten i tilskud?", "source": str(second),
         "items": ["1"], "answer_contains": ["40.000 kr."], "answerable": True, "kind": "amount"},
        # the right item number, but of the other meeting: not gold
        {"id": "arkiv-2", "question": "Hvor mange lygtepæle blev godkendt på Strandvej?", "source": str(second),
         "items": ["1"], "answer_contains": ["12"], "answerable": True, "kind": "count"},
    ]
    bank.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    rows = {r["id"]: r for r in evaluate_files([bank], scope="archive", assistant=assistant)["rows"]}
    assert rows["arkiv-1"]["rank"] == 1 and rows["arkiv-1"]["ok"]
    # item-number alone would count the first hit (the other meeting's item 1) as gold
    assert rows["arkiv-2"]["rank"] == 2 and not rows["arkiv-2"]["cites_gold"] and not rows["arkiv-2"]["ok"]


SEVENTH_ROUND = sorted((Path(__file__).resolve().parents[1] / "bank" / "fresh2").glob("*.questions.jsonl")) + sorted(
    (Path(__file__).resolve().parents[1] / "bank" / "fresh3").glob("*.questions.jsonl"))


@pytest.mark.integration
def test_the_seventh_rounds_hold_out_layouts_hold_their_figures(tmp_path, monkeypatch):
    """14 layouts of other systems, written blind to the code; their questions' test half."""
    monkeypatch.setenv("REFERAT_BANK_DIR", str(tmp_path))
    report = evaluate_files(SEVENTH_ROUND, split="test")
    # at the end of the seventh round: answer_ok 0.75, gold cited 0.90, refused-unanswerable 0.56,
    # refused-answerable 0.10 (121 questions); at its start, before any change: 0.54, 0.72, 0.49, 0.20
    assert report["questions"] >= 110
    assert report["answer_ok"] >= 0.70
    assert report["gold_cited"] >= 0.86
    assert report["abstained_ok"] >= 0.50
    assert report["answerable_refused"] <= 0.14
