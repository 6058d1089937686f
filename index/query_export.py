"""Set-up only (imports PyTorch): export the BERT transformer for index.query_encoder and prove it agrees.

The graph takes ``inputs_embeds`` (the word-embedding rows, looked up outside) and ``attention_mask``;
BERT adds position and token-type embeddings and its layer norm inside, exactly as with ``input_ids``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

from index.query_encoder import (
    CHECK_QUESTIONS,
    FORMAT,
    MANIFEST,
    MIN_COSINE,
    ONNX_FILE,
    TOKENIZER_FILE,
    WEIGHTS,
    QueryEncoder,
    QueryEncoderError,
    model_layout,
    sha256_of,
)


def _export_graph(model_dir: Path, path: Path) -> None:
    import torch
    from transformers import AutoModel

    # eager attention traces to plain ops; the fused SDPA kernel is a PyTorch-only speed-up
    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Transformer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, inputs_embeds, attention_mask):
            return self.bert(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state

    hidden = bert.config.hidden_size
    embeds = torch.zeros((2, 16, hidden), dtype=torch.float32)
    mask = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            Transformer().eval(), (embeds, mask), str(path), input_names=["inputs_embeds", "attention_mask"],
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "last_hidden_state": {0: "batch", 1: "tokens"}},
        )


def write_sentencepiece(tokenizer_json: Path, path: Path) -> dict[str, int]:
    """A SentencePiece Unigram model with tokenizer.json's pieces, scores and charsmap, ids unchanged.

    Returns the special tokens transformers matches in raw text. Only XLM-R style tokenizers (Unigram,
    precompiled charsmap, whitespace split + Metaspace) translate; anything else keeps the PyTorch path.
    """
    from sentencepiece import sentencepiece_model_pb2 as pb

    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model, normalizer = spec.get("model") or {}, spec.get("normalizer") or {}
    if model.get("type") != "Unigram" or normalizer.get("type") != "Precompiled" or model.get("byte_fallback"):
        raise QueryEncoderError(f"{tokenizer_json}: kun XLM-R-tokenizere (Unigram) kan køre uden PyTorch")
    special = {t["content"]: t["id"] for t in spec.get("added_tokens", []) if t.get("special")}
    ids = set(special.values())
    proto = pb.ModelProto()
    trainer = proto.trainer_spec
    trainer.model_type = pb.TrainerSpec.UNIGRAM
    trainer.vocab_size = len(model["vocab"])
    trainer.unk_id = model["unk_id"]
    trainer.bos_id, trainer.eos_id = special["<s>"], special["</s>"]
    trainer.pad_id = special.get("<pad>", -1)
    norm = proto.normalizer_spec
    norm.name = "nmt_nfkc"
    norm.precompiled_charsmap = base64.b64decode(normalizer["precompiled_charsmap"])
    # SentencePiece's own whitespace handling equals tokenizer.json's WhitespaceSplit + Metaspace("always")
    norm.add_dummy_prefix = norm.remove_extra_whitespaces = norm.escape_whitespaces = True
    kinds = pb.ModelProto.SentencePiece
    for number, (piece, score) in enumerate(model["vocab"]):
        entry = proto.pieces.add()
        entry.piece, entry.score = piece, score
        if number == model["unk_id"]:
            entry.type = kinds.UNKNOWN
        elif number in (trainer.bos_id, trainer.eos_id, trainer.pad_id):
            entry.type = kinds.CONTROL
        elif number in ids:
            entry.type = kinds.USER_DEFINED
        else:
            entry.type = kinds.NORMAL
    path.write_bytes(proto.SerializeToString())
    return special


def reference_vectors(model_dir: Path, questions: list[str]) -> tuple[np.ndarray, list[list[int]]]:
    """What the PyTorch path gives today: sentence-transformers in fp32, and its tokenizer's ids."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    prompt = (getattr(model, "prompts", {}) or {}).get("query")
    vectors = model.encode(questions, prompt_name="query" if prompt else None, normalize_embeddings=True,
                           convert_to_numpy=True, show_progress_bar=False, batch_size=1)
    prompted = [(prompt or "") + q for q in questions]
    ids = [model.tokenizer(t, truncation=True, max_length=model.max_seq_length)["input_ids"] for t in prompted]
    return vectors, ids


def export(model_dir: Path, target: Path) -> Path:
    """Write graph and manifest into ``target``; refuse if tokens or vectors differ from the PyTorch model."""
    layout = model_layout(model_dir)
    target.mkdir(parents=True, exist_ok=True)
    special = write_sentencepiece(model_dir / "tokenizer.json", target / TOKENIZER_FILE)
    _export_graph(model_dir, target / ONNX_FILE)
    manifest = {"format": FORMAT, "model": model_dir.name, "query_prompt": layout.query_prompt,
                "special_tokens": special}
    for key, path in (("weights", model_dir / WEIGHTS), ("onnx", target / ONNX_FILE),
                      ("tokenizer", target / TOKENIZER_FILE)):
        manifest[f"{key}_sha256"], manifest[f"{key}_bytes"] = sha256_of(path), path.stat().st_size
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    # the freshly written files are checked by the real query path, batch of one as a question is
    encoder = QueryEncoder(model_dir, export_dir=target)
    expected, expected_ids = reference_vectors(model_dir, CHECK_QUESTIONS)
    got = np.stack([encoder.embed_query(q) for q in CHECK_QUESTIONS])
    ids = encoder.token_ids([layout.query_prompt + q for q in CHECK_QUESTIONS])
    if ids != expected_ids:
        raise QueryEncoderError(f"{target}: tokenizer.json giver andre token-id'er end modellens tokenizer")
    cosine = float((expected * got).sum(axis=1).min())
    if cosine < MIN_COSINE:
        raise QueryEncoderError(f"{target}: ONNX-vektorer afviger fra PyTorch (cosinus {cosine:.6f} < {MIN_COSINE})")
    manifest["min_cosine_to_torch"] = round(cosine, 7)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return target

