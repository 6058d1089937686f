"""The embedding backends a user can choose: same vectors where promised, honest errors otherwise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.catalog import IndexConfig, make_embedder, resolve_backend
from index.chunking import chunk_meeting
from index.embedding import Embedder
from index.parsing import parse_file

SAMPLE = Path(__file__).resolve().parents[2] / "sample" / "kkr-nordjylland-2023-04-28.pdf"


@pytest.fixture(scope="module")
def sample_chunks() -> list[str]:
    return [c.text for c in chunk_meeting(parse_file(SAMPLE), "m", lambda t: True)][:24]


def test_unknown_backend_names_the_setting_and_the_choices(tmp_path):
    with pytest.raises(ValueError, match=r"REFERAT_EMBED_BACKEND 'gpu'.*torch-bf16"):
        make_embedder(IndexConfig(data_dir=tmp_path, model="multilingual-e5-small", model_cache=tmp_path,
                                  backend="gpu"))


def test_auto_uses_bf16_only_where_the_cpu_has_it(monkeypatch):
    monkeypatch.setattr("index.catalog.native_bf16", lambda: False)
    assert resolve_backend("auto") == "torch"
    monkeypatch.setattr("index.catalog.native_bf16", lambda: True)
    assert resolve_backend("auto") == "torch-bf16"
    assert resolve_backend("torch") == "torch"


@pytest.mark.integration
def test_bf16_vectors_match_fp32_closely_enough_to_share_a_collection(sample_chunks, tmp_path):
    from assistant.config import Settings

    cache = Settings().model_cache
    fp32 = Embedder("multilingual-e5-small", cache)
    bf16 = Embedder("multilingual-e5-small", cache, precision="bf16")
    assert fp32.model_id == bf16.model_id
    # six chunks: where the CPU lacks bf16 in hardware, emulated bf16 is slow, and the claim is per vector
    chunks = sample_chunks[:6]
    a, b = fp32.embed_passages(chunks), bf16.embed_passages(chunks)
    assert a.dtype == b.dtype == np.float32
    assert float((a * b).sum(axis=1).min()) >= 0.999
    query_a, query_b = fp32.embed_query("Hvad stiger taksten til?"), bf16.embed_query("Hvad stiger taksten til?")
    assert float(query_a @ query_b) >= 0.999
    # the nearest passage to a question is the same under both precisions
    assert int(np.argmax(a @ query_a)) == int(np.argmax(b @ query_b))


@pytest.mark.integration
def test_onnx_int8_is_close_to_fp32_and_kept_in_its_own_collection(sample_chunks):
    from assistant.config import Settings

    cache = Settings().model_cache
    fp32 = make_embedder(IndexConfig(data_dir=cache, model="multilingual-e5-small", model_cache=cache,
                                     backend="torch"))
    int8 = make_embedder(IndexConfig(data_dir=cache, model="multilingual-e5-small", model_cache=cache,
                                     backend="onnx-int8"))
    assert int8.model_id != fp32.model_id  # its vectors are further off, so they never mix with fp32's
    a, b = fp32.embed_passages(sample_chunks[:8]), int8.embed_passages(sample_chunks[:8])
    assert float((a * b).sum(axis=1).min()) >= 0.95
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-4)
    # the question side in batches (an answer's candidate sentences) agrees with one at a time, as far as int8
    # allows: its activation scale is taken per batch, so a batch moves each vector a little (≈ 0.997)
    batch = int8.embed_queries(sample_chunks[:5])
    alone = np.stack([int8.embed_query(t) for t in sample_chunks[:5]])
    assert float((batch * alone).sum(axis=1).min()) >= 0.99

