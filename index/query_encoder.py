"""The e5 encoder in fp32 on onnxruntime, so a question is embedded without importing PyTorch.

`referat setup` exports the BertModel's transformer (everything after the word-embedding lookup) to ONNX
beside the converted model. The word-embedding table (250,037 × 384, 384 MB of the 470 MB model) is not
copied: it is memory-mapped straight from the model's own safetensors file and looked up in numpy, so a
server only keeps the rows its questions touch in memory. The lookup is exact, and the graph computes the
same fp32 arithmetic as PyTorch, so query vectors match the PyTorch model's at cosine ≥ 0.9999 and the
existing collections stay valid.

Tokens come from SentencePiece, with a model file written at set-up from the same pieces, scores and
normaliser (nmt_nfkc charsmap) as tokenizer.json; set-up checks the ids against transformers' tokenizer.
The `tokenizers` library gives the same ids too, but holds ~300 MB for this 250,000-piece vocabulary
where SentencePiece holds ~60 MB. Special tokens written in a question (``</s>``) are matched the way
transformers matches them. Pooling and normalisation follow the sentence-transformers directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FORMAT = 1
ONNX_FILE = "encoder-fp32.onnx"
TOKENIZER_FILE = "tokenizer.model"
MANIFEST = "manifest.json"
WEIGHTS = "model.safetensors"
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
MIN_COSINE = 0.9999
# Danish questions the export is checked on: æøå, case numbers, tabs, zero-width space, a long one
CHECK_QUESTIONS = [
    "Hvem blev udpeget til den nationale politiske udviklingsgruppe?",
    "Hvad stiger taksten i Børnehus Nord til i 2023?",
    "Hvad besluttede udvalget om SAG-2023-01519 og sag 27.00.00-A00-1-23?",
    "Hvem havde meldt afbud\ttil mødet i Økonomiudvalget?",
    "Blev ældreplejen\u200bi Aabenraa godkendt? Æble, øre, ål.",
    "  Hvad   betyder <mask> og </s> i punkt 2.5 ?  ",
    "Hvornår afholdes næste møde, og hvad koster 14.589 kr. pr. plads om året i Thisted Kommune? " * 8,
]


class QueryEncoderError(RuntimeError):
    """The exported encoder is missing, stale or does not match the model it was exported from."""


def query_dir(model_dir: Path) -> Path:
    """Beside the converted model: `<cache>/multilingual-e5-small-query-onnx`."""
    return model_dir.with_name(model_dir.name + "-query-onnx")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safetensors_entry(path: Path, name: str) -> tuple[int, tuple[int, ...]]:
    """Byte offset and shape of one fp32 tensor inside a safetensors file (8-byte header length, JSON header)."""
    with path.open("rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
    entry = header.get(name)
    if entry is None or entry["dtype"] != "F32":
        raise QueryEncoderError(f"{path}: ingen fp32-tensor '{name}'")
    return 8 + length + entry["data_offsets"][0], tuple(entry["shape"])


@dataclass(frozen=True)
class ModelLayout:
    """What the numpy side must do around the graph, read from the sentence-transformers directory."""

    query_prompt: str
    max_tokens: int
    normalize: bool


def model_layout(model_dir: Path) -> ModelLayout:
    """Only BERT encoders with mean pooling and an XLM-R (SentencePiece Unigram) tokenizer are exported, as
    e5 is; others (all-MiniLM-L6-v2's WordPiece, say) keep the PyTorch query path."""
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
    pooling = next((m for m in modules if m["type"].endswith("Pooling")), None)
    pooling_config = json.loads((model_dir / pooling["path"] / "config.json").read_text()) if pooling else {}
    mean = pooling_config.get("pooling_mode") == "mean" or pooling_config.get("pooling_mode_mean_tokens") is True
    tokenizer_path = model_dir / "tokenizer_config.json"
    tokenizer = json.loads(tokenizer_path.read_text(encoding="utf-8")) if tokenizer_path.is_file() else {}
    if (config.get("model_type") != "bert" or not mean or not (model_dir / WEIGHTS).is_file()
            or not pooling_config.get("include_prompt", True)
            or not str(tokenizer.get("tokenizer_class", "")).startswith("XLMRobertaTokenizer")):
        raise QueryEncoderError(
            f"{model_dir}: kun BERT-modeller med middelværdi-pooling og XLM-R-tokenizer kan køre på onnxruntime")
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    bert_config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return ModelLayout(
        query_prompt=(st_config.get("prompts") or {}).get("query", ""),
        max_tokens=int(bert_config.get("max_seq_length") or config.get("max_position_embeddings", 512)),
        normalize=any(m["type"].endswith("Normalize") for m in modules),
    )


def _manifest(target: Path) -> dict | None:
    try:
        return json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def check(model_dir: Path, target: Path, full: bool) -> dict:
    """The manifest if the export belongs to this model; ``full`` also re-hashes both files (set-up does)."""
    manifest = _manifest(target)
    if manifest is None or manifest.get("format") != FORMAT:
        raise QueryEncoderError(f"{target}: ingen eksporteret forespørgselsmodel; kør 'referat setup'")
    weights, onnx_file = model_dir / WEIGHTS, target / ONNX_FILE
    for path, key in ((weights, "weights"), (onnx_file, "onnx"), (target / TOKENIZER_FILE, "tokenizer")):
        if not path.is_file() or path.stat().st_size != manifest[f"{key}_bytes"]:
            raise QueryEncoderError(f"{path}: passer ikke til {target / MANIFEST}; kør 'referat setup'")
        if full and sha256_of(path) != manifest[f"{key}_sha256"]:
            raise QueryEncoderError(f"{path}: sha256 passer ikke til {target / MANIFEST}; kør 'referat setup'")
    return manifest


def ensure_exported(model_dir: Path, full_check: bool = True) -> Path:
    """Export once (imports PyTorch); afterwards only the check runs. Safe against concurrent set-ups."""
    target = query_dir(model_dir)
    try:
        check(model_dir, target, full=full_check)
        return target
    except QueryEncoderError:
        pass
    from index.query_export import export

    staging = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    export(model_dir, staging)
    # the finished directory replaces a stale one in two renames; a reader sees old, nothing, or new
    if target.exists():
        old = target.with_name(f"{target.name}.{os.getpid()}.old")
        target.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    try:
        staging.rename(target)
    except OSError:  # another set-up finished first; its export is as good as ours
        shutil.rmtree(staging, ignore_errors=True)
    check(model_dir, target, full=False)
    return target


class Tokenizer:
    """``<s> … </s>`` around SentencePiece ids, truncated as transformers truncates (``</s>`` kept)."""

    def __init__(self, path: Path, max_tokens: int, special: dict[str, int]) -> None:
        import sentencepiece

        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
        self.max_tokens = max_tokens
        self.bos, self.eos = self.processor.bos_id(), self.processor.eos_id()
        # transformers matches its special tokens (`</s>`, `<mask>`) in the raw text before normalising
        self.special = special
        self.split = re.compile("(" + "|".join(re.escape(t) for t in sorted(special, key=len, reverse=True)) + ")")

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        for part in self.split.split(text) if self.special else [text]:
            if part in self.special:
                ids.append(self.special[part])
            elif part:
                ids.extend(self.processor.encode(part))
        return [self.bos, *ids[: self.max_tokens - 2], self.eos]

    def count(self, text: str) -> int:
        """Tokens of the whole text with ``<s>``/``</s>``, untruncated (to decide whether a chunk fits)."""
        ids = 0
        for part in self.split.split(text) if self.special else [text]:
            if part in self.special:
                ids += 1
            elif part:
                ids += len(self.processor.encode(part))
        return ids + 2


class QueryEncoder:
    """Tokenise, look up word embeddings, run the graph, mean-pool and normalise; thread-safe."""

    def __init__(self, model_dir: Path, export_dir: Path | None = None, threads: int | None = None) -> None:
        import onnxruntime

        self.layout = model_layout(model_dir)
        target = export_dir or ensure_exported(model_dir, full_check=False)
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        offset, shape = safetensors_entry(model_dir / WEIGHTS, WORD_EMBEDDINGS)
        self.words = np.memmap(model_dir / WEIGHTS, dtype="<f4", mode="r", offset=offset, shape=shape)
        self.tokenizer = Tokenizer(target / TOKENIZER_FILE, self.layout.max_tokens, manifest["special_tokens"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        # a question's activations are tiny; the arena would keep the largest batch's memory for good
        options.enable_cpu_mem_arena = False
        self.session = onnxruntime.InferenceSession(str(target / ONNX_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        return [self.tokenizer.encode(t) for t in texts]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of already-prompted texts, padded to the longest in the batch."""
        rows = self.token_ids(texts)
        width = max(len(r) for r in rows)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        embeds = np.zeros((len(rows), width, self.words.shape[1]), dtype=np.float32)
        for i, ids in enumerate(rows):
            mask[i, : len(ids)] = 1
            embeds[i, : len(ids)] = self.words[ids]
        with self._lock:  # one run at a time: each already uses every core
            hidden = self.session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})[0]
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        if self.layout.normalize:
            pooled = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.encode([self.layout.query_prompt + text])[0]

    def embed_queries(self, texts: list[str], batch: int = 16) -> np.ndarray:
        """Many texts on the question side (the sentences an answer is chosen from): batches of similar
        length, since one run per sentence costs its overhead each time and padding is wasted work."""
        prompted = [self.layout.query_prompt + t for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(prompted[i]))
        out = np.zeros((len(texts), self.words.shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            out[chosen] = self.encode([prompted[i] for i in chosen])
        return out
