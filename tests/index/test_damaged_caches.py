"""Derived caches found damaged or stale at start are rebuilt, with a log line; answers stay the same."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import FIXTURES

AARHUS = FIXTURES / "aarhus-boern-unge-2024-01-15.txt"
QUESTION = "Hvor mange høringssvar er der kommet om skolestrukturen i Gellerup?"


def truncate(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def test_damaged_or_stale_bm25_is_rebuilt_and_answers_stay(tmp_path: Path, make_index, caplog):
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.ingest import ingest_paths
    from index.lexical import LexicalIndex

    data = tmp_path / "data"
    index = make_index(data)
    assert [r.status for r in ingest_paths(index, [AARHUS])] == ["ny"]
    before = Assistant(Settings(data_dir=data), index=index).ask(QUESTION).to_json()
    assert "14" in before["answer"]
    lexical = index.lexical_dir
    fingerprint = json.loads((lexical / "state.json").read_text(encoding="utf-8"))["fingerprint"]

    damages = {
        "bm25-fil afkortet": lambda: truncate(lexical / "bm25" / "data.csc.index.npy"),
        "bm25-ordliste afkortet": lambda: truncate(lexical / "bm25" / "vocab.index.json"),
        "state.json afkortet": lambda: truncate(lexical / "state.json"),
        "fingeraftryk passer ikke": lambda: (lexical / "state.json").write_text(json.dumps(
            {**json.loads((lexical / "state.json").read_text(encoding="utf-8")), "fingerprint": "forkert"})),
    }
    for name, damage in damages.items():
        damage()
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="index"):
            reopened = make_index(data)  # what a restart does
        lines = [r.getMessage() for r in caplog.records]
        assert any("BM25-indekset" in line and "bygges igen" in line for line in lines), (name, lines)
        assert any("BM25-indekset er bygget fra Chroma" in line for line in lines), (name, lines)
        # rebuilt on disk too, so the next start loads it
        assert LexicalIndex.load(lexical, fingerprint) is not None, name
        after = Assistant(Settings(data_dir=data), index=reopened).ask(QUESTION).to_json()
        assert (after["answer"], after["citations"]) == (before["answer"], before["citations"]), name


def _model_dir(root: Path) -> Path:
    """A converted-model directory in miniature: the files and a real safetensors file."""
    from safetensors.numpy import save_file

    root.mkdir()
    for name in ("modules.json", "config.json", "referat-source.json"):
        (root / name).write_text("{}", encoding="utf-8")
    (root / "tokenizer.json").write_text(json.dumps({"model": {"vocab": [["a", 0.0]] * 50}}), encoding="utf-8")
    weights = {"embeddings.word_embeddings.weight": np.ones((64, 8), dtype=np.float32)}
    save_file(weights, str(root / "model.safetensors"))
    return root


@pytest.mark.parametrize("damage", ["weights cut short", "tokenizer cut short", "no completion marker"])
def test_half_written_model_directory_is_converted_again(tmp_path: Path, monkeypatch, caplog, damage: str):
    from index import e5_convert

    model = _model_dir(tmp_path / "multilingual-e5-small")
    converted: list[Path] = []
    # converting the real model takes PyTorch and half a minute; what matters here is that it is asked for
    monkeypatch.setattr(e5_convert, "convert", lambda target: converted.append(target) or target)
    assert e5_convert.ensure_converted(model) == model and converted == []  # a whole directory is used as is

    if damage == "weights cut short":
        truncate(model / "model.safetensors")
    elif damage == "tokenizer cut short":
        truncate(model / "tokenizer.json")
    else:
        (model / "referat-source.json").unlink()
    with caplog.at_level(logging.WARNING, logger="index.e5_convert"):
        e5_convert.ensure_converted(model)
    assert converted == [model]
    assert any("ufuldstændig" in r.getMessage() and "konverteres igen" in r.getMessage() for r in caplog.records)


def test_the_real_converted_model_counts_as_whole():
    from assistant.config import Settings
    from index.e5_convert import incomplete

    model = Settings().model_cache / "multilingual-e5-small"
    assert model.is_dir(), "kør 'referat setup' først"
    assert incomplete(model) is None
