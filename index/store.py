"""Chroma holds every chunk's text, vector and metadata, plus one record per committed meeting.

A meeting becomes visible only when its record is written, after all of its chunks: that single
upsert is the swap. Chunks without a record (an interrupted ingest) or of a replaced meeting are
ignored by every reader and removed by ``collect_garbage``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.chunking import Chunk
from index.errors import StoreUnavailable
from index.guard import Guard, bound_http_client, engine_failure

PAGE = 500
GRACE_SECONDS = 3600
MAX_STORED_FILE = 20 * 1024 * 1024
STATE_ID = "version"


@dataclass(frozen=True)
class MeetingRecord:
    meeting_id: str
    source: str
    sha256: str
    body: str
    date: str
    pages: int
    items: int
    chunks: int
    model: str
    generation: int
    stored_file: str = ""
    # JSON lists (Chroma metadata holds scalars only): the reader's warnings (skipped pages, a repaired
    # file) and the e-signatures ({"name", "date", "role"}) from the signature pages
    warnings: str = "[]"
    signatures: str = "[]"
    # JSON list of the pages whose text came from OCR (a scanned file)
    ocr_pages: str = "[]"
    # access levels (index.access): the strictest item (decides who may open the file), the most open item
    # (decides who sees the meeting at all) and the file's own level as set at ingest. A record written before
    # these existed is treated as holding closed items, so its file is served to members only.
    access: str = "lukket"
    access_open: str = "åben"
    access_floor: str = "åben"

    @property
    def warning_list(self) -> list[str]:
        return _json_list(self.warnings)

    @property
    def ocr_page_list(self) -> list[int]:
        return [p for p in _json_list(self.ocr_pages) if isinstance(p, int)]

    @property
    def signature_list(self) -> list[dict]:
        return _json_list(self.signatures)


def _json_list(text: str) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    metadata: dict
    score: float = 0.0


def collection_name(base: str, model: str) -> str:
    """One collection per embedding model: vectors of different models must never meet."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(model).name.lower()).strip("-")[:40] or "model"
    digest = hashlib.sha256(model.encode()).hexdigest()[:6]
    return f"{base}-{slug}-{digest}"[:63]


def open_client(data_dir: Path, host: str | None, port: int, guard: Guard):
    """A client whose every call is bounded by ``guard`` (connecting too: chromadb asks the server at once)."""

    # imported here, not in the bounded call: a cold import on a busy machine can take longer than the bound
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    def connect():
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if host:
            client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
            bound_http_client(client, guard.write_timeout)
            return client
        data_dir.mkdir(parents=True, exist_ok=True)
        path = str(data_dir / "chroma")
        try:
            return chromadb.PersistentClient(path=path, settings=chroma_settings)
        except Exception as exc:
            # chromadb keeps the half-started store for this path and fails on it (AttributeError) from then
            # on; forget it, so the store opens once it is readable again
            from chromadb.api.shared_system_client import SharedSystemClient

            getattr(SharedSystemClient, "_identifier_to_system", {}).pop(path, None)
            getattr(SharedSystemClient, "_identifier_to_refcount", {}).pop(path, None)
            raise engine_failure(exc) or StoreUnavailable(f"{type(exc).__name__}: {exc}") from exc

    return guard.wrap(guard.call(connect))


class ChromaStore:
    """Chunks written through llama-index's ChromaVectorStore; meeting records in a sibling collection.

    Questions read Chroma directly, decoding the nodes llama-index wrote the way it does: importing
    llama-index costs ~2 s, which a question from the command line should not pay.
    """

    def __init__(self, client, name: str) -> None:
        self.client = client
        # embedding_function=None: Chroma must never attach (and download) its default model
        self.chunks = client.get_or_create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self.meetings = client.get_or_create_collection(f"{name}-meetings", embedding_function=None)
        # the original files live in Chroma too, so instances sharing a server share nothing else
        self.files = client.get_or_create_collection(f"{name}-files", embedding_function=None)
        # one record whose value changes with every commit or removal: readers poll it instead of every record
        self.state = client.get_or_create_collection(f"{name}-state", embedding_function=None)
        self._vectors = None

    @property
    def vectors(self):
        if self._vectors is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._vectors = ChromaVectorStore(chroma_collection=self.chunks)
            # the chunk metadata holds one list, ``case_keys`` (see index.cases), which Chroma itself accepts
            self._vectors.flat_metadata = False
        return self._vectors

    # --- meetings -------------------------------------------------------------------------
    def records(self) -> list[MeetingRecord]:
        """Committed meetings; when a source was committed twice, the newest generation wins."""
        return self._newest_per_source(self.meetings.get(include=["metadatas"])["metadatas"])

    def records_for(self, sha256: str, source: str) -> list[MeetingRecord]:
        """Committed meetings with this content or this file name, without reading every record: an ingest
        compares each file against these only, which at 1,000 meetings saves a full read per file."""
        got = self.meetings.get(where={"$or": [{"sha256": sha256}, {"source": source}]}, include=["metadatas"])
        sources = sorted({m["source"] for m in got["metadatas"] or []})
        if not sources:
            return []
        # a source's newest generation decides, even when only an older one matched
        return self._newest_per_source(
            self.meetings.get(where={"source": {"$in": sources}}, include=["metadatas"])["metadatas"])

    @staticmethod
    def _newest_per_source(metadatas) -> list[MeetingRecord]:
        latest: dict[str, MeetingRecord] = {}
        for metadata in metadatas or []:
            record = MeetingRecord(**{k: metadata[k] for k in MeetingRecord.__dataclass_fields__ if k in metadata})
            current = latest.get(record.source)
            if current is None or record.generation > current.generation:
                latest[record.source] = record
        return sorted(latest.values(), key=lambda r: (r.date, r.body, r.source))

    def fingerprint(self, records: list[MeetingRecord] | None = None) -> str:
        state = sorted((r.meeting_id, r.generation) for r in (records if records is not None else self.records()))
        return hashlib.sha256(json.dumps(state).encode()).hexdigest()

    def version(self) -> str | None:
        """Changes whenever the set of committed meetings may have changed; None in a store from before it."""
        got = self.state.get(ids=[STATE_ID], include=["metadatas"])
        return str(got["metadatas"][0]["version"]) if got["ids"] else None

    def _bump_version(self) -> None:
        self.state.upsert(ids=[STATE_ID], metadatas=[{"version": uuid.uuid4().hex}], embeddings=[[1.0]])

    def commit(self, record: MeetingRecord) -> None:
        self.meetings.upsert(ids=[record.meeting_id], metadatas=[asdict(record)], embeddings=[[1.0]],
                             documents=[record.source])
        self._bump_version()

    def save_file(self, sha256: str, data: bytes) -> None:
        if len(data) <= MAX_STORED_FILE and not self.files.get(ids=[sha256], include=[])["ids"]:
            self.files.upsert(ids=[sha256], documents=[base64.b64encode(data).decode("ascii")], embeddings=[[1.0]])

    def load_file(self, sha256: str) -> bytes | None:
        got = self.files.get(ids=[sha256], include=["documents"])
        return base64.b64decode(got["documents"][0]) if got["ids"] else None

    def delete_file(self, sha256: str) -> None:
        self.files.delete(ids=[sha256])

    def forget(self, meeting_ids: list[str]) -> None:
        if meeting_ids:
            self.meetings.delete(ids=meeting_ids)
            self._bump_version()

    # --- chunks ---------------------------------------------------------------------------
    def add(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        nodes = []
        written_at = time.time()
        for chunk, vector in zip(chunks, embeddings, strict=True):
            metadata = {**chunk.metadata(), "written_at": written_at}
            node = TextNode(id_=chunk.id, text=chunk.text, metadata=metadata, embedding=vector.tolist())
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=chunk.meeting_id)
            # llama-index copies metadata into the embed/LLM text unless told not to; we embed ourselves
            node.excluded_embed_metadata_keys = list(node.metadata)
            node.excluded_llm_metadata_keys = list(node.metadata)
            nodes.append(node)
        for start in range(0, len(nodes), PAGE):
            self.vectors.add(nodes[start : start + PAGE])

    def delete_meeting_chunks(self, meeting_id: str) -> None:
        self.chunks.delete(where={"meeting_id": meeting_id})

    def chunk_meeting_ids(self, written_before: float | None = None) -> set[str]:
        return {m["meeting_id"] for m in paged_metadatas(self.chunks, 5000)
                if written_before is None or m.get("written_at", 0) < written_before}

    def collect_garbage(self, grace_seconds: float = GRACE_SECONDS) -> int:
        """Remove chunks of meetings that were never committed (interrupted ingests) or were replaced.

        Only chunks older than the grace period go: another instance may be writing a meeting right now.
        """
        active = {r.meeting_id for r in self.records()}
        stale_records = [m["meeting_id"] for m in self.meetings.get(include=["metadatas"])["metadatas"] or []
                         if m["meeting_id"] not in active]
        self.forget(stale_records)
        orphans = self.chunk_meeting_ids(written_before=time.time() - grace_seconds) - active
        for meeting_id in orphans:
            self.delete_meeting_chunks(meeting_id)
        return len(orphans)

    def documents(self, meeting_ids: set[str]) -> list[StoredChunk]:
        """Every chunk of the given meetings, in a stable order (for the lexical index)."""
        out: list[StoredChunk] = []
        for meeting_id in sorted(meeting_ids):
            got = self.chunks.get(where={"meeting_id": meeting_id}, include=["documents", "metadatas"])
            out.extend(StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"],
                                                                 strict=True))
        return sorted(out, key=lambda c: c.id)

    def chunk_ids(self, meeting_ids: set[str], levels: tuple[str, ...] | None = None) -> set[str]:
        """Ids only: a restricted question needs to know which chunks it may use, not their text."""
        if not meeting_ids:
            return set()
        return set(self.chunks.get(where=chunk_filter(meeting_ids, levels), include=[])["ids"])

    def get(self, ids: list[str]) -> list[StoredChunk]:
        if not ids:
            return []
        got = self.chunks.get(ids=ids, include=["documents", "metadatas"])
        by_id = {i: StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"],
                                                                strict=True)}
        return [by_id[i] for i in ids if i in by_id]

    def dense(self, embedding: np.ndarray, k: int, meeting_ids: set[str] | None,
              levels: tuple[str, ...] | None = None) -> list[StoredChunk]:
        """Nearest chunks, as llama-index's ChromaVectorStore.query returns them: text, the node's own
        metadata (from ``_node_content``) and similarity ``exp(-distance)``.

        ``levels`` limits the search to chunks of those access levels inside Chroma, so a chunk the reader
        may not see is never a candidate (filtering afterwards would still let it push others out)."""
        if meeting_ids is not None and not meeting_ids:
            return []
        where = chunk_filter(meeting_ids, levels)
        count = self.chunks.count()
        if count == 0:
            return []
        got = self.chunks.query(query_embeddings=[embedding.tolist()], n_results=min(k, count), where=where,
                                include=["documents", "metadatas", "distances"])
        return [
            StoredChunk(i, d, node_metadata(m), math.exp(-distance))
            for i, d, m, distance in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                         got["distances"][0], strict=True)
        ]


def paged_metadatas(collection, page: int):
    """Every record's metadata, a page per call: one call over a whole archive (35,000 chunks, each with its
    node copy) outlasts the bound a store call has."""
    offset = 0
    while True:
        metadatas = collection.get(include=["metadatas"], limit=page, offset=offset)["metadatas"] or []
        yield from metadatas
        if len(metadatas) < page:
            return
        offset += page


def chunk_filter(meeting_ids: set[str] | None, levels: tuple[str, ...] | None) -> dict | None:
    """Chroma ``where`` for chunks of these meetings and access levels (None: no restriction)."""
    clauses = []
    if meeting_ids is not None:
        clauses.append({"meeting_id": {"$in": sorted(meeting_ids)}})
    if levels is not None:
        clauses.append({"access": {"$in": list(levels)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def node_metadata(stored: dict) -> dict:
    """The metadata a llama-index node was written with (Chroma's copy also holds llama-index's own keys)."""
    node = stored.get("_node_content")
    if node is None:
        return dict(stored)
    return dict(json.loads(node).get("metadata") or {})

def new_generation() -> int:
    return time.time_ns()
