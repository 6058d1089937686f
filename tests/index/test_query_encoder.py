"""Questions on onnxruntime: same token ids and (to cosine 0.9999) the same vectors as the PyTorch model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.query_encoder import MANIFEST, QueryEncoderError, check, ensure_exported, query_dir, sha256_of
from tests.conftest import EVAL_QUESTIONS, FIXTURES, SHARED

DANISH = [
    "Hvad stiger taksten i Børnehus Nord til?",
    "Æblerne, øerne og ålene i Ærø Kommune – SAG-2023-01519, sag 27.00.00-A00-1-23 og 306-2009-600",
    "Hvem\thavde\t\tafbud?  ",
    "Aabenraa\u200bKommune\u00a0og Ølgod ﬁskeri ① 14.589 kr.",
    "  flere   mellemrum\r\nog linjeskift ",
    "Hvad betyder <mask> og </s> her?",
    "emoji 🙂 og ukendte tegn ǅ 𝔘",
    "",
    "ÆØÅ æøå " * 400,  # longer than the model's 512 tokens: truncated as transformers truncates
]


@pytest.fixture(scope="module")
def model_dir() -> Path:
    from assistant.config import Settings
    from index.embedding import resolve_model

    return Path(resolve_model("multilingual-e5-small", Settings().model_cache))


@pytest.fixture(scope="module")
def encoder(model_dir):
    from index.query_encoder import QueryEncoder

    return QueryEncoder(model_dir)


def minutes_lines() -> list[str]:
    lines = []
    for path in [*sorted((SHARED / "minutes").glob("*.txt")), *sorted(FIXTURES.glob("*.txt"))]:
        lines.extend(path.read_text(encoding="utf-8").splitlines())
    return lines


@pytest.mark.integration
def test_token_ids_equal_the_transformers_tokenizer(model_dir, encoder):
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(str(model_dir))
    texts = [*DANISH, *(f"query: {t}" for t in DANISH), *minutes_lines()]
    assert len(texts) > 1000
    expected = [reference(t, truncation=True, max_length=512)["input_ids"] for t in texts]
    got = encoder.token_ids(texts)
    assert [t for t, a, b in zip(texts, expected, got, strict=True) if a != b] == []
    assert max(len(ids) for ids in got) == 512


@pytest.mark.integration
def test_query_vectors_match_pytorch_fp32(encoder):
    from assistant.config import Settings
    from index.embedding import Embedder

    torch_fp32 = Embedder("multilingual-e5-small", Settings().model_cache, query_backend="torch")
    questions = [json.loads(line)["question"] for line in EVAL_QUESTIONS.read_text(encoding="utf-8").splitlines()
                 if line.strip()] + DANISH
    expected = np.stack([torch_fp32.embed_query(q) for q in questions])
    got = np.stack([encoder.embed_query(q) for q in questions])
    assert got.dtype == np.float32
    assert float((expected * got).sum(axis=1).min()) >= 0.9999
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # in batches (an answer's candidate sentences), padded: the same vectors, on both paths, in input order
    sentences = minutes_lines()[:150]
    alone = np.stack([encoder.embed_query(t) for t in sentences])
    assert float((alone * encoder.embed_queries(sentences)).sum(axis=1).min()) >= 0.99999
    assert float((alone * torch_fp32.embed_queries(sentences)).sum(axis=1).min()) >= 0.9999


@pytest.mark.integration
def test_setup_export_is_checked_and_not_repeated(model_dir):
    target = ensure_exported(model_dir, full_check=True)
    assert target == query_dir(model_dir) and target.parent == model_dir.parent  # beside the converted model
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    assert ensure_exported(model_dir, full_check=True) == target
    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before
    assert json.loads((target / MANIFEST).read_text())["min_cosine_to_torch"] >= 0.9999


def fake_export(tmp_path: Path) -> tuple[Path, Path]:
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights")
    target = query_dir(model)
    target.mkdir()
    (target / "encoder-fp32.onnx").write_bytes(b"graph")
    (target / "tokenizer.model").write_bytes(b"pieces")
    manifest = {"format": 1}
    for key, path in (("weights", model / "model.safetensors"), ("onnx", target / "encoder-fp32.onnx"),
                      ("tokenizer", target / "tokenizer.model")):
        manifest[f"{key}_sha256"], manifest[f"{key}_bytes"] = sha256_of(path), path.stat().st_size
    (target / MANIFEST).write_text(json.dumps(manifest))
    return model, target


def test_check_refuses_a_changed_model_or_export(tmp_path):
    model, target = fake_export(tmp_path)
    check(model, target, full=True)
    (target / "encoder-fp32.onnx").write_bytes(b"grapH")  # same size: only the sha256 tells
    check(model, target, full=False)
    with pytest.raises(QueryEncoderError, match="sha256"):
        check(model, target, full=True)
    (model / "model.safetensors").write_bytes(b"other weights")  # a re-converted model
    with pytest.raises(QueryEncoderError, match="referat setup"):
        check(model, target, full=False)
    shutil.rmtree(target)
    with pytest.raises(QueryEncoderError, match="referat setup"):
        check(model, target, full=False)


def test_unsupported_models_keep_the_pytorch_query_path():
    from index.embedding import _packaged_minilm
    from index.query_encoder import model_layout

    with pytest.raises(QueryEncoderError, match="XLM-R"):
        model_layout(_packaged_minilm())
