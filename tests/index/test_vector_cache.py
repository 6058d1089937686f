"""Passage vectors kept by text: the same vectors as the model gives, no model for known text, never a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embedding import Embedder
from index.vector_cache import VectorCache

TEXTS = ["Taksten stiger fra 13.767 kr. til 14.589 kr.", "KKR Nordjylland udpegede Per Bach Laursen.",
         "Punktet blev udsat til næste møde."]


def test_cache_returns_what_was_put_and_nothing_else(tmp_path: Path):
    cache = VectorCache(tmp_path / "v.sqlite")
    vectors = np.random.default_rng(1).normal(size=(2, 384)).astype(np.float32)
    cache.put(TEXTS[:2], vectors)
    found = VectorCache(tmp_path / "v.sqlite").get(TEXTS)  # another process would open it the same way
    assert sorted(found) == [0, 1]
    assert np.array_equal(found[0], vectors[0]) and np.array_equal(found[1], vectors[1])


def test_a_damaged_cache_file_is_set_aside_and_rebuilt(tmp_path: Path, caplog):
    path = tmp_path / "v.sqlite"
    path.write_bytes(b"dette er ikke en database" * 100)
    cache = VectorCache(path)
    assert cache.get(TEXTS) == {}
    assert "bygges op igen" in caplog.text and path.with_suffix(".damaged").is_file()
    cache.put(TEXTS[:1], np.ones((1, 4), dtype=np.float32))
    assert list(cache.get(TEXTS)) == [0]


class FailingModel:
    """A stand-in model whose second batch fails (a kill, a full disk): deterministic vectors before that."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.fail_on: int | None = 2

    def encode(self, texts, **_):
        self.batches.append(list(texts))
        if len(self.batches) == self.fail_on:
            raise OSError("afbrudt")
        return np.stack([np.full(4, len(t), dtype=np.float32) for t in texts])


def test_an_interrupted_embedding_keeps_its_finished_batches(tmp_path: Path, monkeypatch):
    embedder = Embedder("multilingual-e5-small", tmp_path, batch_size=2, vector_cache=tmp_path / "vectors")
    model = FailingModel()
    monkeypatch.setattr(embedder, "_loaded", lambda: model)
    embedder._passage_prompt = "passage"  # set by a real load
    texts = ["a", "bb", "ccc", "dddd", "eeeee"]
    with pytest.raises(OSError):
        embedder.embed_passages(texts)
    first = model.batches[0]  # the shortest texts go first
    assert first == ["a", "bb"]
    kept = embedder._vector_cache().get(texts)
    assert sorted(kept) == [0, 1] and kept[1].tolist() == [2.0] * 4
    # the re-run sends only what was not finished to the model
    model.batches, model.fail_on = [], None
    vectors = embedder.embed_passages(texts)
    assert model.batches == [["ccc", "dddd"], ["eeeee"]]
    assert vectors[:, 0].tolist() == [1, 2, 3, 4, 5]


@pytest.mark.integration
def test_known_texts_come_from_the_cache_with_the_models_own_vectors(tmp_path: Path, monkeypatch):
    from assistant.config import Settings

    model_cache = Settings().model_cache
    plain = Embedder("multilingual-e5-small", model_cache)
    cached = Embedder("multilingual-e5-small", model_cache, vector_cache=tmp_path / "vectors")
    expected = plain.embed_passages(TEXTS)
    assert np.allclose(cached.embed_passages(TEXTS[:2]), expected[:2], atol=1e-6)

    def no_model(texts, done=None):
        assert texts == [TEXTS[2]], "only the unknown text may reach the model"
        return plain.embed_passages(texts)

    monkeypatch.setattr(cached, "_encode_passages", no_model)
    assert np.allclose(cached.embed_passages(TEXTS), expected, atol=1e-6)


@pytest.mark.integration
def test_sentence_vectors_outlive_the_process_that_embedded_them(tmp_path: Path, monkeypatch):
    """An answer's candidate sentences, embedded once on the question side, come from disk in a new process
    (a restart, another `referat ask`): only sentences never seen reach the encoder."""
    from assistant.config import Settings

    model_cache = Settings().model_cache
    plain = Embedder("multilingual-e5-small", model_cache)
    first = Embedder("multilingual-e5-small", model_cache, vector_cache=tmp_path / "vectors")
    expected = plain.embed_queries(TEXTS)
    assert np.allclose(first.embed_queries(TEXTS[:2]), expected[:2], atol=1e-6)

    later = Embedder("multilingual-e5-small", model_cache, vector_cache=tmp_path / "vectors")
    seen: list[list[str]] = []

    def encoder(texts, done=None):
        seen.append(list(texts))
        return plain._encode_queries(texts, done)

    monkeypatch.setattr(later, "_encode_queries", encoder)
    assert np.allclose(later.embed_queries(TEXTS), expected, atol=1e-6)
    assert seen == [[TEXTS[2]]]
    assert np.allclose(later.embed_queries(TEXTS[:2]), expected[:2], atol=1e-6) and seen == [[TEXTS[2]]]


@pytest.mark.integration
def test_token_counts_without_pytorch_match_the_models_tokenizer():
    from assistant.config import Settings

    model_cache = Settings().model_cache
    torch_side = Embedder("multilingual-e5-small", model_cache, query_backend="torch")
    onnx_side = Embedder("multilingual-e5-small", model_cache)
    long = " ".join(["Byrådet godkendte anlægsbevillingen på 4,2 mio. kr. til Asnæs Svømmehal </s>."] * 60)
    for text in [*TEXTS, long, "", "Økonomiudvalget – pkt. 7: Lukket punkt"]:
        assert onnx_side.count_tokens(text) == torch_side.count_tokens(text), text
    assert onnx_side.max_tokens == torch_side.max_tokens


@pytest.mark.integration
def test_reindexing_known_minutes_never_loads_pytorch(tmp_path: Path):
    """A second index of the same minutes (a new instance, a rebuilt store) is built from the cache."""
    sample = Path(__file__).resolve().parents[2] / "sample" / "kkr-nordjylland-2023-04-28.pdf"
    env_base = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    code = ("import sys; from assistant.cli import main; rc = main(['ingest', sys.argv[1]]); "
            "print('torch' in sys.modules); sys.exit(rc)")
    for name in ("first", "second"):
        result = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True,
                                env={**env_base, "REFERAT_DATA_DIR": str(tmp_path / name)}, timeout=600)
        assert result.returncode == 0, result.stderr
        assert "1 ny" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "False"
