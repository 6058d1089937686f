"""Passage vectors kept by text, so indexing text the model has already embedded needs no model at all.

Re-indexing an archive after a parser change, a second instance or a rebuilt store mostly meets chunk texts
that were embedded before; their vectors come from here and PyTorch is never loaded. One SQLite file per
model and precision, beside the converted model; it is derived data: a damaged or unwritable cache is
logged, set aside and rebuilt, and never fails an ingest.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, dim INTEGER NOT NULL, vector BLOB NOT NULL)"


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class VectorCache:
    """``get`` returns what is known; ``put`` adds; both are best effort across processes (SQLite locking)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._broken = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute(SCHEMA)
        return connection

    def _set_aside(self, exc: Exception) -> None:
        """A damaged file is renamed away (kept for inspection) and a new one started on the next call."""
        log.warning("vektor-cachen %s kunne ikke bruges (%s); den bygges op igen", self.path, exc)
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            try:
                self.path.replace(self.path.with_suffix(".damaged"))
            except OSError:
                self._broken = True
        else:
            self._broken = True  # locked for too long, read-only, disk full: embed as if the cache were empty

    def get(self, texts: list[str]) -> dict[int, np.ndarray]:
        if self._broken or not texts:
            return {}
        keys = [text_key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        try:
            with self._lock, self._connect() as connection:
                for start in range(0, len(keys), 500):
                    part = keys[start : start + 500]
                    marks = ",".join("?" * len(part))
                    for key, dim, blob in connection.execute(
                            f"SELECT key, dim, vector FROM vectors WHERE key IN ({marks})", part):
                        vector = np.frombuffer(blob, dtype="<f4")
                        if vector.shape == (dim,):
                            found[bytes(key)] = vector
        except (sqlite3.Error, OSError) as exc:
            self._set_aside(exc)
            return {}
        return {i: found[k] for i, k in enumerate(keys) if k in found}

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        if self._broken or not texts:
            return
        rows = [(text_key(t), int(v.shape[0]), np.asarray(v, dtype="<f4").tobytes())
                for t, v in zip(texts, vectors, strict=True)]
        try:
            with self._lock, self._connect() as connection:
                connection.executemany("INSERT OR REPLACE INTO vectors (key, dim, vector) VALUES (?, ?, ?)", rows)
        except (sqlite3.Error, OSError) as exc:
            self._set_aside(exc)
