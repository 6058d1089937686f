"""A faster CPU embedding path: the same BERT exported to ONNX and quantised to int8 for onnxruntime.

sentence-transformers' own ONNX backend needs `optimum`, which pins an older transformers; exporting the
BertModel ourselves avoids that. Mean pooling, normalisation and e5's prompts are done here exactly as the
sentence-transformers directory describes them.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np

ONNX_FILE = "model-int8.onnx"


class _Encoder:
    """forward(input_ids, attention_mask) → last hidden state; the shape torch.onnx.export wants."""

    def __init__(self, bert) -> None:
        import torch

        class Wrapper(torch.nn.Module):
            def __init__(self, inner) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        self.module = Wrapper(bert).eval()


def export_int8(model_dir: Path, target_dir: Path) -> Path:
    """Export the sentence-transformers directory's BertModel to ONNX, then quantise dynamically to int8."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    target_dir.mkdir(parents=True, exist_ok=True)
    final = target_dir / ONNX_FILE
    if final.is_file():
        return final
    bert = AutoModel.from_pretrained(str(model_dir)).eval()
    encoder = _Encoder(bert).module
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    fp32 = target_dir / f"model-fp32.{os.getpid()}.onnx"
    with torch.no_grad():
        torch.onnx.export(
            encoder, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "last_hidden_state": {0: "batch", 1: "tokens"}},
        )
    partial = target_dir / f"{ONNX_FILE}.{os.getpid()}.partial"
    quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8)
    fp32.unlink(missing_ok=True)
    partial.replace(final)
    return final


class OnnxEmbedder:
    """Same interface as index.embedding.Embedder, running the int8 ONNX model in onnxruntime."""

    def __init__(self, name: str, cache: Path, batch_size: int = 16) -> None:
        self.name = name
        self.cache = cache
        self.batch_size = batch_size
        self._session = None
        self._lock = threading.RLock()

    @property
    def model_id(self) -> str:
        # vectors differ slightly from the fp32 model's, so they live in their own collection
        return f"{self.name}+onnx-int8"

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def _load(self):
        with self._lock:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                from index.embedding import resolve_model

                model_dir = Path(resolve_model(self.name, self.cache))
                onnx_path = export_int8(model_dir, self.cache / f"{model_dir.name}-onnx")
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = os.cpu_count() or 1
                self._session = onnxruntime.InferenceSession(str(onnx_path), options,
                                                             providers=["CPUExecutionProvider"])
                self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
                config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
                prompts = config.get("prompts", {})
                self._query_prompt = prompts.get("query", "")
                self._passage_prompt = prompts.get("passage", "")
                self._max_tokens = 512
            return self._session

    @property
    def max_tokens(self) -> int:
        self._load()
        return self._max_tokens

    def count_tokens(self, text: str) -> int:
        self._load()
        return len(self._tokenizer.encode(text).ids)

    def _encode(self, texts: list[str]) -> np.ndarray:
        session = self._load()
        encodings = [self._tokenizer.encode(t) for t in texts]
        width = min(max(len(e.ids) for e in encodings), self._max_tokens)
        ids = np.ones((len(texts), width), dtype=np.int64)  # <pad> is 1 in XLM-R's vocabulary
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            tokens = encoding.ids[:width]
            if len(encoding.ids) > width:
                tokens = [*tokens[:-1], encoding.ids[-1]]  # keep </s> when truncating, as transformers does
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def _batched(self, texts: list[str], side: str) -> np.ndarray:
        self._load()
        prompt = self._query_prompt if side == "query" else self._passage_prompt
        # similar lengths in one batch: padding is wasted work
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            chosen = order[start : start + self.batch_size]
            with self._lock:
                out[chosen] = self._encode([prompt + texts[i] for i in chosen])
        return out

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._batched(texts, "passage")

    def embed_query(self, text: str) -> np.ndarray:
        self._load()
        with self._lock:
            return self._encode([self._query_prompt + text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._batched(texts, "query")
