"""The searchable index: Chroma (source of truth) plus a lexical index derived from it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from index.embedding import Embedder, native_bf16
from index.lexical import LexicalIndex
from index.store import ChromaStore, MeetingRecord, StoredChunk, collection_name, open_client


@dataclass(frozen=True)
class IndexConfig:
    data_dir: Path
    model: str
    model_cache: Path
    collection: str = "referat"
    chroma_host: str | None = None
    chroma_port: int = 8000
    batch_size: int = 16
    chunk_words: int = 130
    max_file_mb: int = 50
    backend: str = "auto"
    query_backend: str = "onnx"
    ocr_max_pages: int = 200
    ocr_timeout: float = 1800.0
    vector_cache: bool = True


REFRESH_SECONDS = 2.0
FULL_CHECK_SECONDS = 60.0
BACKENDS = ("auto", "torch", "torch-bf16", "onnx-int8")


def resolve_backend(backend: str) -> str:
    """'auto' is bf16 autocast where the CPU has bf16 in hardware, else plain fp32 PyTorch."""
    if backend not in BACKENDS:
        raise ValueError(f"ukendt REFERAT_EMBED_BACKEND '{backend}' (vælg {', '.join(BACKENDS)})")
    if backend == "auto":
        return "torch-bf16" if native_bf16() else "torch"
    return backend


def make_embedder(config: IndexConfig):
    """Passages through PyTorch (fp32 or bf16 autocast) or the int8 ONNX path; questions as configured.

    'auto' is left to the embedder: finding out whether the CPU has bf16 imports PyTorch, which a question
    must not need.
    """
    if config.backend not in BACKENDS:
        resolve_backend(config.backend)  # raises, naming the choices
    if config.backend == "onnx-int8":
        from index.onnx_embedding import OnnxEmbedder

        return OnnxEmbedder(config.model, config.model_cache, config.batch_size)
    precision = {"auto": "auto", "torch-bf16": "bf16"}.get(config.backend, "fp32")
    return Embedder(config.model, config.model_cache, config.batch_size, precision=precision,
                    query_backend=config.query_backend,
                    vector_cache=config.model_cache / "vectors" if config.vector_cache else None)


class MinutesIndex:
    """Opened once per process; ``refresh`` brings the lexical view in line with Chroma.

    Several instances may share one Chroma server: each checks the collection's fingerprint at most
    every ``REFRESH_SECONDS`` and rebuilds its lexical index from Chroma when another instance changed it.
    """

    def __init__(self, config: IndexConfig, embedder: Embedder | None = None) -> None:
        self.config = config
        self.embedder = embedder or make_embedder(config)
        client = open_client(config.data_dir, config.chroma_host, config.chroma_port)
        self.store = ChromaStore(client, collection_name(config.collection, self.embedder.model_id))
        self._lock = threading.RLock()
        self._fingerprint: str | None = None
        self._records: list[MeetingRecord] = []
        self._checked = 0.0
        self._version: str | None = None
        self._full_check = 0.0
        self.lexical = LexicalIndex([], [])
        self.lexical_seconds = 0.0  # loading or rebuilding the lexical index at the last change (start-up report)
        self.refresh()

    def maybe_refresh(self) -> None:
        """Cheap enough for every question: one record read from Chroma every couple of seconds.

        Reading every meeting record instead grew to ~50 ms at 1,000 meetings. The full fingerprint is still
        compared every minute, in case a writer died between committing and bumping the version.
        """
        now = time.monotonic()
        if now - self._checked < REFRESH_SECONDS:
            return
        if (self._version is not None and now - self._full_check < FULL_CHECK_SECONDS
                and self.store.version() == self._version):
            self._checked = now
            return
        self.refresh()

    @property
    def lexical_dir(self) -> Path:
        name = self.store.chunks.name
        return self.config.data_dir / "lexical" / name

    @property
    def files_dir(self) -> Path:
        return self.config.data_dir / "files"

    def refresh(self, force: bool = False) -> bool:
        """Reload meeting records and, when the collection changed, the lexical index. True if changed."""
        with self._lock:
            self._checked = self._full_check = time.monotonic()
            # read before the records: a change that lands in between bumps it again and is seen next time
            self._version = self.store.version()
            records = self.store.records()
            fingerprint = self.store.fingerprint(records)
            if fingerprint == self._fingerprint and not force:
                return False
            started = time.perf_counter()
            lexical = None if force else LexicalIndex.load(self.lexical_dir, fingerprint)
            if lexical is None:
                chunks = self.store.documents({r.meeting_id for r in records})
                lexical = LexicalIndex([c.id for c in chunks], [c.text for c in chunks])
                self.lexical_dir.parent.mkdir(parents=True, exist_ok=True)
                lexical.save(self.lexical_dir, fingerprint)
            self.lexical, self._records, self._fingerprint = lexical, records, fingerprint
            self.lexical_seconds = time.perf_counter() - started
            return True

    def meetings(self) -> list[MeetingRecord]:
        return list(self._records)

    def active_ids(self) -> set[str]:
        return {r.meeting_id for r in self._records}

    def dense(self, question: str, k: int, meeting_ids: set[str] | None) -> list[StoredChunk]:
        """Nearest chunks of committed meetings only, so chunks of an interrupted ingest never change a ranking.

        Chroma evaluates an ``$in`` filter over every listed meeting before searching, which grows with the
        index (≈180 ms at 1,000 meetings). When most meetings are allowed, an unfiltered search with room to
        spare, filtered afterwards, gives the same hits; the filtered search remains the fallback.
        """
        active = self.active_ids()
        allowed = active if meeting_ids is None else meeting_ids & active
        if not allowed:
            return []
        embedding = self.embedder.embed_query(question)
        if 2 * len(allowed) > len(active):
            fetch = max(2 * k, 20)
            raw = self.store.dense(embedding, fetch, None)
            hits = [h for h in raw if h.metadata.get("meeting_id") in allowed]
            if len(hits) >= k or len(raw) < fetch:  # enough, or every chunk there is was looked at
                return hits[:k]
        return self.store.dense(embedding, k, allowed)[:k]

    def lexical_search(self, question: str, k: int, chunk_ids: set[str] | None = None) -> list[tuple[str, float]]:
        return self.lexical.search(question, k, chunk_ids)

    def chunks(self, ids: list[str]) -> list[StoredChunk]:
        return self.store.get(ids)

    def chunk_ids_for(self, meeting_ids: set[str]) -> set[str]:
        return self.store.chunk_ids(meeting_ids)

    def source_file(self, record: MeetingRecord) -> Path | None:
        """The original file of a meeting: the local copy, or fetched once from Chroma into it."""
        if not record.stored_file:
            return None
        path = self.files_dir / Path(record.stored_file).name
        if not path.is_file():
            data = self.store.load_file(record.sha256)
            if data is None:
                return None
            self.files_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + f".{threading.get_ident()}.partial")
            partial.write_bytes(data)
            partial.replace(path)
        return path

    def item_chunks(self, meeting_id: str, item: str) -> list[StoredChunk]:
        got = self.store.chunks.get(where={"$and": [{"meeting_id": meeting_id}, {"item": item}]},
                                    include=["documents", "metadatas"])
        chunks = [StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"],
                                                            strict=True)]
        return sorted(chunks, key=lambda c: c.metadata.get("position", 0))
