"""A question without PyTorch: the CLI and the server answer exactly as the PyTorch query path did.

`before-onnx` answers were recorded with the PyTorch query path (`REFERAT_QUERY_BACKEND=torch`,
`REFERAT_EMBED_BACKEND=auto` on a CPU without bf16 in hardware, so fp32) from the sample ingested the same way;
first before the ONNX path existed, recorded again when the answer rules of issue 13 changed the answers,
when a year named in the question began to raise the items of that year (retrieval scores only), and when the
fifth round's sentence scores changed (title words weigh less: citation scores, and one answer lost an
unrelated closing sentence), and when the sixth round let the answering sentence lead and a short second
sentence follow it ("Taksten stiger fra … til …" now leads the takst answer).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import EVAL_QUESTIONS, FIXTURES, ROOT, SAMPLE_PDF, first_questions
from tests.support.server import AppServer

pytestmark = pytest.mark.integration

HEAVY = ("torch", "sentence_transformers", "transformers", "gradio", "llama_index")
BEFORE = FIXTURES / "shared-answers.before-onnx.jsonl"


def without_timings(answer: dict) -> dict:
    """The answer without timings, and without the link fields only the web API adds to citations."""
    answer = {k: v for k, v in answer.items() if k != "timings_ms"}
    answer["citations"] = [{k: v for k, v in c.items() if k not in ("url", "meeting_id")}
                           for c in answer.get("citations", [])]
    return answer


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory, embedder) -> Path:
    from assistant.config import Settings
    from index.catalog import IndexConfig, MinutesIndex
    from index.ingest import ingest_paths

    data = tmp_path_factory.mktemp("fast-start") / "data"
    index = MinutesIndex(IndexConfig(data_dir=data, model="multilingual-e5-small",
                                     model_cache=Settings().model_cache), embedder=embedder)
    assert [r.status for r in ingest_paths(index, [SAMPLE_PDF])] == ["ny"]
    return data


@pytest.fixture(scope="module")
def questions() -> list[str]:
    return [json.loads(line)["question"] for line in EVAL_QUESTIONS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.fixture(scope="module")
def torch_answers(sample_data, questions) -> list[dict]:
    """What the PyTorch query path answers over the same index (the default precision, as before)."""
    from assistant.config import Settings
    from assistant.service import Assistant, index_config
    from index.catalog import MinutesIndex, make_embedder

    settings = Settings(data_dir=sample_data, query_backend="torch")
    index = MinutesIndex(index_config(settings), embedder=make_embedder(index_config(settings)))
    assistant = Assistant(settings, index=index)
    return [without_timings(assistant.ask(q).to_json()) for q in questions]


def cli(args: list[str], data: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "REFERAT_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "assistant.cli", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=True)


def imported(stderr: str) -> set[str]:
    """Every module the process imported, from `python -X importtime`'s report."""
    return {m.group(1).strip() for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", stderr, re.M)}


def heavy_modules(stderr: str) -> set[str]:
    modules = imported(stderr)
    assert "chromadb" in modules and "json" in modules  # the report is real and complete
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_ask_json_imports_neither_torch_nor_the_web_stack_and_answers_as_before(sample_data, questions,
                                                                                torch_answers):
    done = cli(["ask", "--json"], sample_data, stdin="\n".join(questions) + "\n")
    assert heavy_modules(done.stderr) == set()
    assert {"onnxruntime", "sentencepiece"} <= imported(done.stderr)
    answers = [without_timings(json.loads(line)) for line in done.stdout.splitlines()]
    assert answers == torch_answers


@pytest.mark.parametrize("command", ["list", "eval"])
def test_list_and_eval_stay_light(sample_data, command, tmp_path):
    # eval imports the same modules for three questions as for all of them
    few = first_questions(tmp_path)
    args = ["list"] if command == "list" else ["eval", str(few), "--json"]
    done = cli(args, sample_data)
    assert heavy_modules(done.stderr) == set()
    if command == "eval":
        assert json.loads(done.stdout)["questions"] == 3


def test_server_answers_the_shared_questions_as_the_torch_path_did(sample_data, questions, torch_answers):
    server = AppServer(sample_data, ingest_sample=False, api_only=True).start()
    try:
        served = [without_timings(httpx.post(f"{server.base}/api/ask", json={"question": q}, timeout=60).json())
                  for q in questions]
        assert httpx.get(server.base + "/").status_code == 404
    finally:
        server.stop()
    assert served == torch_answers
    log = next(sample_data.parent.glob(f"server-{server.port}.log")).read_text(encoding="utf-8")
    assert re.search(r"Indeks åbnet på [\d,]+ s \(heraf BM25 [\d,]+ s\), model varmet op på [\d,]+ s", log)
    # `serve --kun-api`: the JSON API alone, no chat pages
    assert "kun med JSON-API'et" in log and "Chat-siderne" not in log


def test_answers_equal_those_recorded_before_the_onnx_path(torch_answers):
    from index.embedding import native_bf16

    if native_bf16():
        pytest.skip("recorded where REFERAT_EMBED_BACKEND=auto gave fp32; here passages are embedded in bf16")
    recorded = [without_timings(json.loads(line)) for line in BEFORE.read_text(encoding="utf-8").splitlines()]
    assert torch_answers == recorded
