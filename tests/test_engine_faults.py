"""When Chroma fails under traffic: killed (SIGKILL), stalled (SIGSTOP), restored from a backup.

One real `chroma run`, the real app (`referat serve`) against it, and a burst of concurrent clients at each
stage: every response is an answer or the Danish 503, never a 500 and never held past the timeout; after
the engine returns, everyone gets answers again within seconds, without restarting referat.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from index.catalog import IndexConfig, MinutesIndex
from index.errors import UNAVAILABLE, IngestAborted, StoreUnavailable
from index.ingest import ingest_paths
from tests.conftest import FIXTURES, ROOT
from tests.support.server import AppServer, ChromaServer, free_port

pytestmark = [pytest.mark.integration]

TIMEOUT = 3.0  # REFERAT_CHROMA_TIMEOUT for the app under test
CLIENTS = 8
AARHUS = FIXTURES / "aarhus-boern-unge-2024-01-15.txt"
ODSHERRED = FIXTURES / "odsherred-byraad-2023-03-28.txt"
ASK_AARHUS = "Hvor mange høringssvar er der kommet om skolestrukturen i Gellerup?"
ASK_ODSHERRED = "Hvor stor er anlægsbevillingen til Asnæs Svømmehal?"


def burst(app: AppServer, question: str) -> list[tuple[httpx.Response, float]]:
    def one(_: int) -> tuple[httpx.Response, float]:
        started = time.monotonic()
        response = httpx.post(f"{app.base}/api/ask", json={"question": question}, timeout=TIMEOUT + 30)
        return response, time.monotonic() - started

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(CLIENTS)))


def assert_answer_or_unavailable(results: list[tuple[httpx.Response, float]]) -> list[int]:
    for response, elapsed in results:
        assert response.status_code in (200, 503), response.text
        if response.status_code == 503:
            assert response.json() == {"fejl": UNAVAILABLE}
            assert int(response.headers["Retry-After"]) > 0
        # not held by a stalled engine: the bound plus the model's and the queue's own time on a busy machine
        assert elapsed < TIMEOUT + 10
    return [r.status_code for r, _ in results]


def comparable(answer: dict) -> tuple:
    return answer["answer"], [(c["source"], c["quote"], c["page"]) for c in answer["citations"]]


def answers_again(app: AppServer, question: str, within: float) -> tuple[float, list]:
    """Seconds from now until the first burst that starts is answered by every client, and its answers.

    Measured to the burst's start: how long a burst of 8 then takes is the machine's load, not recovery."""
    recovered = time.monotonic()
    seen = []
    while True:
        started = time.monotonic() - recovered
        results = burst(app, question)
        codes = assert_answer_or_unavailable(results)
        seen.append((round(started, 1), [round(t, 1) for _, t in results], codes))
        if codes == [200] * CLIENTS:
            assert started < within, seen
            return started, [r.json() for r, _ in results]
        assert started < within, f"svarer stadig ikke: {seen}"
        time.sleep(0.2)


def answered_as_before(app: AppServer, before: list, moment: str) -> None:
    """Every client answered, as before the fault, in a burst that started within 5 s of the engine's return."""
    took, answers = answers_again(app, ASK_AARHUS, within=5)
    print(f"\nefter {moment} fik alle {CLIENTS} klienter svar i en runde, der startede efter {took:.1f} s")
    assert all(comparable(a) == before for a in answers)


def readyz(app: AppServer) -> httpx.Response:
    return httpx.get(f"{app.base}/readyz", timeout=TIMEOUT + 30)


def ready_with(app: AppServer, meetings: int, seconds: float = 10) -> dict | None:
    """The ready report once it counts ``meetings``: an instance looks at Chroma's state every few seconds."""
    deadline = time.monotonic() + seconds
    while True:
        report = readyz(app)
        if report.status_code == 200 and report.json()["meetings"] == meetings:
            return report.json()
        if time.monotonic() > deadline:
            return None
        time.sleep(0.3)


def test_chroma_killed_stalled_and_restored_under_traffic(tmp_path: Path, embedder, caplog):
    # the command line against a Chroma that is not there, in the background while the rest runs
    nowhere = {**os.environ, "REFERAT_DATA_DIR": str(tmp_path / "cli"), "REFERAT_CHROMA_HOST": "127.0.0.1",
               "REFERAT_CHROMA_PORT": str(free_port()), "REFERAT_CHROMA_TIMEOUT": str(TIMEOUT)}
    cli = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ask", ASK_AARHUS], env=nowhere, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    chroma = ChromaServer(tmp_path / "chroma").start()
    app = AppServer(tmp_path / "app" / "data", ingest_sample=False, env={
        "REFERAT_CHROMA_HOST": "127.0.0.1", "REFERAT_CHROMA_PORT": str(chroma.port),
        "REFERAT_CHROMA_TIMEOUT": str(TIMEOUT)})
    try:
        # the files are written by an index in this process (the session's model), answered by the app
        index = MinutesIndex(IndexConfig(
            data_dir=tmp_path / "writer", model="multilingual-e5-small", model_cache=Settings().model_cache,
            chroma_host="127.0.0.1", chroma_port=chroma.port, chroma_timeout=30), embedder=embedder)
        assert [r.status for r in ingest_paths(index, [AARHUS])] == ["ny"]
        app.start()

        # healthy: everyone answered, and ready
        _, answers = answers_again(app, ASK_AARHUS, within=30)
        before = comparable(answers[0])
        assert "14" in before[0] and all(comparable(a) == before for a in answers)
        ready = readyz(app)
        assert ready.status_code == 200 and ready.json()["meetings"] == 1
        assert all(c["ok"] for c in ready.json()["components"].values())

        # Chroma is killed in the middle of an ingest, after the file was embedded and before its chunks are stored
        def kill_when_storing(record: logging.LogRecord) -> bool:
            if record.getMessage() == f"gemmer {ODSHERRED.name}":
                chroma.kill()
            return True

        caplog.set_level(logging.INFO, logger="index.ingest")
        logging.getLogger("index.ingest").addFilter(kill_when_storing)
        try:
            with pytest.raises(IngestAborted) as aborted:
                ingest_paths(index, [AARHUS, ODSHERRED])
        finally:
            logging.getLogger("index.ingest").removeFilter(kill_when_storing)
        assert isinstance(aborted.value.cause, StoreUnavailable)
        assert str(aborted.value).startswith(UNAVAILABLE) and ODSHERRED.name in str(aborted.value)
        assert "Kør den samme indeksering igen" in str(aborted.value)
        backup = tmp_path / "chroma-backup"
        shutil.copytree(chroma.path, backup)  # a stopped server's directory is a consistent backup

        # Chroma down: the Danish 503 for every client, the CLI says one line, /readyz flips to 503
        status = subprocess.Popen([sys.executable, "-m", "assistant.cli", "status", "--url", app.base],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with ThreadPoolExecutor(1) as side:
            probe = side.submit(readyz, app)
            assert set(assert_answer_or_unavailable(burst(app, ASK_AARHUS))) == {503}
            down = probe.result()
        assert down.status_code == 503 and down.json()["components"]["chroma"]["ok"] is False
        assert down.json()["components"]["model"]["ok"] is True
        assert httpx.get(f"{app.base}/healthz").json() == {"status": "ok"}
        out, _ = status.communicate(timeout=120)
        assert status.returncode == 1 and out.splitlines()[0] == "Klar: nej"
        assert any(line.startswith("Chroma: svarer ikke (server 127.0.0.1:") for line in out.splitlines())

        # back (same data): answers within 5 s, nothing of the interrupted file visible, a re-run completes it
        chroma.start()
        answered_as_before(app, before, "genstart")
        assert readyz(app).status_code == 200
        index.refresh()
        assert [r.source for r in index.meetings()] == [AARHUS.name]
        assert [r.status for r in ingest_paths(index, [AARHUS, ODSHERRED])] == ["uændret", "ny"]
        grown = ready_with(app, meetings=2)
        assert grown is not None and grown["components"]["lexical"]["ok"]

        # stalled (SIGSTOP): every client gets the 503 within the bound, /readyz too; SIGCONT: answers again
        chroma.pause()
        try:
            with ThreadPoolExecutor(1) as side:
                probe = side.submit(readyz, app)
                assert set(assert_answer_or_unavailable(burst(app, ASK_AARHUS))) == {503}
                stalled = probe.result()
            assert stalled.status_code == 503 and stalled.elapsed.total_seconds() < TIMEOUT + 10
        finally:
            chroma.resume()
        answered_as_before(app, before, "SIGCONT")
        assert readyz(app).status_code == 200

        # restored from the backup taken before the second file: the app notices the change and rebuilds BM25
        chroma.kill()
        shutil.rmtree(chroma.path)
        shutil.copytree(backup, chroma.path)
        chroma.start()
        answered_as_before(app, before, "gendannelse")
        assert ready_with(app, meetings=1) is not None
        gone = httpx.post(f"{app.base}/api/ask", json={"question": ASK_ODSHERRED}, timeout=30).json()
        assert all(c["source"] != ODSHERRED.name for c in gone["citations"])

        out, err = cli.communicate(timeout=120)
        assert cli.returncode == 3 and out == ""
        assert err.strip().splitlines() == [f"Fejl: {UNAVAILABLE}"]  # one Danish line, no traceback
    finally:
        app.stop()
        chroma.stop()
        if cli.poll() is None:
            cli.kill()
