"""Several app instances on one Chroma server see one and the same index; server mode answers like embedded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import EVAL_QUESTIONS, FIXTURES, SAMPLE_PDF, june_minutes_pdf
from tests.support.server import AppServer, ChromaServer

pytestmark = [pytest.mark.integration]

TOKEN = "klynge-token"
QUESTION = "Hvem blev udpeget til den nationale politiske udviklingsgruppe?"


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    yield server.port
    server.stop()


def instance(root: Path, name: str, chroma_port: int) -> AppServer:
    return AppServer(root / name / "data", ingest_sample=False, api_only=True, env={
        "REFERAT_CHROMA_HOST": "127.0.0.1", "REFERAT_CHROMA_PORT": str(chroma_port), "REFERAT_API_TOKEN": TOKEN})


def upload(server: AppServer, *paths: Path) -> list[dict]:
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = httpx.post(f"{server.base}/api/meetings", headers=server.headers, files=files, timeout=600)
    assert response.status_code == 200, response.text
    return response.json()


def ask(server: AppServer, question: str) -> dict:
    return httpx.post(f"{server.base}/api/ask", json={"question": question}, headers=server.headers,
                      timeout=120).json()


def eventually(check, seconds: float = 15.0):
    deadline = time.time() + seconds
    while True:
        result = check()
        if result or time.time() > deadline:
            return result
        time.sleep(0.5)


def test_instances_share_one_index(tmp_path: Path, chroma_server: int):
    first, second = instance(tmp_path, "a", chroma_server), instance(tmp_path, "b", chroma_server)
    starters = [threading.Thread(target=s.start) for s in (first, second)]
    for thread in starters:
        thread.start()
    for thread in starters:
        thread.join()
    try:
        assert [r["status"] for r in upload(first, SAMPLE_PDF)] == ["ny"]
        assert eventually(lambda: "Per Bach Laursen" in ask(second, QUESTION)["answer"])
        card = ask(second, QUESTION)["citations"][0]
        meeting = next(m for m in httpx.get(f"{second.base}/api/meetings", headers=second.headers).json())
        pdf = httpx.get(f"{second.base}/kilde/{meeting['id']}")  # the file itself comes from Chroma
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and card["source"] == SAMPLE_PDF.name

        # different files at the same time through both instances, then the same file twice at once
        june = june_minutes_pdf(tmp_path)
        results: dict[str, list] = {}
        jobs = [threading.Thread(target=lambda: results.__setitem__("a", upload(first, june))),
                threading.Thread(target=lambda: results.__setitem__("b", upload(second, FIXTURES /
                                                                                  "odsherred-byraad-2023-03-28.txt")))]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()
        assert results["a"][0]["status"] == "ny" and results["b"][0]["status"] == "ny"
        same = FIXTURES / "aarhus-boern-unge-2024-01-15.txt"
        jobs = [threading.Thread(target=upload, args=(server, same)) for server in (first, second)]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()
        sources = eventually(lambda: sorted(m["source"] for m in httpx.get(
            f"{first.base}/api/meetings", headers=first.headers).json()))
        assert sources == sorted([SAMPLE_PDF.name, june.name, "odsherred-byraad-2023-03-28.txt", same.name])

        # removal through the second instance: the first stops citing it
        removed = httpx.delete(f"{second.base}/api/meetings/{meeting['id']}", headers=second.headers)
        assert removed.status_code == 200
        assert eventually(lambda: not any(c["source"] == SAMPLE_PDF.name for c in ask(first, QUESTION)["citations"]))

        # a third instance against the populated server answers at once, without re-embedding anything
        upload(first, SAMPLE_PDF)
        third = instance(tmp_path, "c", chroma_server)
        started = time.time()
        third.start()
        assert "Per Bach Laursen" in ask(third, QUESTION)["answer"]
        print(f"\ntredje instans klar og svarede efter {time.time() - started:.1f} s")
        third.stop()
    finally:
        first.stop()
        second.stop()


def test_chroma_server_answers_like_the_embedded_store(tmp_path: Path, chroma_server: int):
    def run(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        full = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1", **env}
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args], input=stdin, capture_output=True,
                              text=True, env=full, check=True, timeout=600)

    questions = "\n".join(json.loads(line)["question"] for line in EVAL_QUESTIONS.read_text().splitlines())
    embedded = {"REFERAT_DATA_DIR": str(tmp_path / "embedded")}
    server = {"REFERAT_DATA_DIR": str(tmp_path / "server"), "REFERAT_CHROMA_HOST": "127.0.0.1",
              "REFERAT_CHROMA_PORT": str(chroma_server), "REFERAT_COLLECTION": "sammenligning"}
    answers = {}
    for name, env in (("embedded", embedded), ("server", server)):
        run(env, "ingest", str(SAMPLE_PDF))
        lines = run(env, "ask", "--json", stdin=questions).stdout.splitlines()
        answers[name] = [(a["answer"], a["found"], [c["quote"] for c in a["citations"]], [r["item"] for r in
                          a["retrieved"]]) for a in map(json.loads, lines)]
    # the same answers, citations and rankings: the embedded store's quality (test_cli_index) holds in server mode
    assert answers["server"] == answers["embedded"]
    assert sum(found for _, found, _, _ in answers["server"]) >= 18
