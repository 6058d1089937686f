"""The CLI end to end in subprocesses: ingest, list, ask --json, eval, remove, and a killed ingest."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EVAL_QUESTIONS, FIXTURES, SAMPLE_PDF, first_questions, june_minutes_pdf

pytestmark = pytest.mark.integration

CONTRACT_QUESTION = "Hvem blev udpeget til den nationale politiske udviklingsgruppe?"


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFERAT_DATA_DIR": str(data), "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, check=False, timeout=600)


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "data"
    result = cli(data, "ingest", str(SAMPLE_PDF))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("Filer: 1 ny, 0 uændret, 0 erstattet, 0 dublet, 0 fejlet; 11 punkter")
    return data


def test_ask_json_contract(sample_data: Path):
    result = cli(sample_data, "ask", CONTRACT_QUESTION, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"question", "answer", "found", "citations", "retrieved", "timings_ms"}
    assert data["found"] is True and "Per Bach Laursen" in data["answer"]
    citation = data["citations"][0]
    assert set(citation) == {"case", "item", "title", "section", "page", "meeting", "date", "source", "quote", "score"}
    assert (citation["case"], citation["item"], citation["meeting"], citation["date"]) == (
        "SAG-2023-01519", "2.5", "KKR Nordjylland", "2023-04-28")
    assert citation["source"] == "kkr-nordjylland-2023-04-28.pdf"
    assert len(data["retrieved"]) >= 5 and len({r["item"] for r in data["retrieved"]}) == len(data["retrieved"])
    assert set(data["retrieved"][0]) >= {"item", "case", "meeting", "date", "source", "score"}
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}


def test_ask_reads_questions_from_stdin_in_order(sample_data: Path):
    questions = ["Hvad stiger taksten i Børnehus Nord til i 2023?", "Hvornår afholdes næste møde i KKR Nordjylland?"]
    result = cli(sample_data, "ask", "--json", stdin="\n".join(questions) + "\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == questions
    assert "14.589" in answers[0]["answer"] and "23. juni 2023" in answers[1]["answer"]


def test_list_and_eval(sample_data: Path, tmp_path: Path):
    listing = cli(sample_data, "list")
    assert "2023-04-28  KKR Nordjylland  (kkr-nordjylland-2023-04-28.pdf, 11 punkter" in listing.stdout
    report = cli(sample_data, "eval", str(EVAL_QUESTIONS), "--json")
    data = json.loads(report.stdout)
    assert data["hit@1"] >= 0.95 and data["hit@3"] == 1.0
    assert data["answer_ok"] >= 0.9 and data["abstained_ok"] == 1.0
    # the report as a person reads it (three questions are enough for its form)
    few = first_questions(tmp_path)
    text = cli(sample_data, "eval", str(few)).stdout
    assert "3 spørgsmål" in text and "hit@1" in text and "p95" in text


def test_remove_and_unknown_meeting(tmp_path: Path):
    data = tmp_path / "data"
    cli(data, "ingest", str(FIXTURES / "odsherred-byraad-2023-03-28.txt"))
    assert cli(data, "remove", "findes-ikke.pdf").returncode == 1
    removed = cli(data, "remove", "odsherred-byraad-2023-03-28.txt")
    assert removed.returncode == 0 and "Fjernet: Odsherred Byråd 2023-03-28" in removed.stdout
    assert "Ingen referater" in cli(data, "list").stdout


def test_ingest_exit_code_and_message_for_bad_file(tmp_path: Path):
    bad = tmp_path / "tom.txt"
    bad.write_text("")
    result = cli(tmp_path / "data", "ingest", str(bad), str(FIXTURES / "aarhus-boern-unge-2024-01-15.txt"))
    assert result.returncode == 1
    assert "Fejl: tom.txt: filen er tom" in result.stderr
    assert "1 ny" in result.stdout and "1 fejlet" in result.stdout


JUNE_PDF = "kkr-nordjylland-2023-06-23.pdf"


def test_killed_ingest_leaves_the_previous_index_answering(tmp_path: Path):
    """Killed while the June file is embedded, then killed again while its chunks are written: each time the
    previous index answers as before and nothing of the June file shows; a third run completes it."""
    data = tmp_path / "data"
    assert cli(data, "ingest", str(FIXTURES / "odsherred-byraad-2023-03-28.txt")).returncode == 0
    question = "Hvor stor var anlægsbevillingen til Asnæs Svømmehal?"
    before = json.loads(cli(data, "ask", question, "--json").stdout)
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copyfile(FIXTURES / "vejle-teknik-2022-11-02.html", batch / "2022-vejle-teknik.html")
    june_minutes_pdf(batch)
    env = {**os.environ, "REFERAT_DATA_DIR": str(data), "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    # files go in name order: vejle.html is committed before the June PDF is reached. For the first kill the
    # vector cache is off, so the June file is really being embedded when it lands; the second lands after
    # the vectors, cached or not, when the chunks are written
    for kill_at, cache in ((f"indlejrer {JUNE_PDF}", "false"), (f"gemmer {JUNE_PDF}", "true")):
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", "--verbose", str(batch)],
                                   stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                   env={**env, "REFERAT_VECTOR_CACHE": cache})
        seen = []
        for line in process.stderr:
            seen.append(line.strip())
            if line.startswith(kill_at):
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=120)
        assert process.returncode == -signal.SIGKILL, seen
        listing = cli(data, "list").stdout
        assert "2022-vejle-teknik.html" in listing and "2023-06-23" not in listing, kill_at
        after = json.loads(cli(data, "ask", question, "--json").stdout)
        assert after["answer"] == before["answer"]
        assert [c["quote"] for c in after["citations"]] == [c["quote"] for c in before["citations"]]
        assert "4,2 mio. kr." in after["answer"]
    rerun = cli(data, "ingest", str(batch))
    assert rerun.returncode == 0, rerun.stderr
    assert "1 ny, 1 uændret" in rerun.stdout
    june = json.loads(cli(data, "ask", "Hvem blev udpeget til Vækstforum for Nordjyske Havne?", "--json").stdout)
    assert "Mikael Klitgaard" in june["answer"]


def test_interactive_chat_with_a_follow_up(sample_data: Path):
    dialogue = "Hvad handler punktet om Børnehus Nord om?\nHvad stiger taksten til?\n\n"
    result = cli(sample_data, "ask", "--chat", stdin=dialogue)
    assert result.returncode == 0, result.stderr
    assert "Stil et spørgsmål" in result.stdout
    assert "14.589 kr." in result.stdout and "punkt 2.6" in result.stdout
