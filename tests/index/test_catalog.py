"""The dense search sees committed meetings only, however many stray chunks an interrupted ingest left."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from index.chunking import chunk_meeting
from index.ingest import ingest_paths, remove_meeting
from index.parsing import parse_file
from tests.conftest import FIXTURES, SAMPLE_PDF

pytestmark = pytest.mark.integration

QUESTION = "Hvem blev udpeget til udviklingsgruppen?"


def _leave_uncommitted_chunks(index, count: int, vector: np.ndarray) -> None:
    """What a killed ingest leaves: chunks in Chroma, no meeting record. Each is the nearest possible hit."""
    meeting = parse_file(FIXTURES / "aarhus-boern-unge-2024-01-15.txt")
    template = chunk_meeting(meeting, index.embedder.model_id, lambda text: True)[0]
    strays = [dataclasses.replace(template, id=f"{template.id}-stray-{n}") for n in range(count)]
    index.store.add(strays, np.stack([vector] * count))


@pytest.mark.parametrize("strays", [5, 80])
def test_uncommitted_chunks_never_reach_the_dense_ranking(tmp_path: Path, make_index, strays: int):
    index = make_index(tmp_path / "data")
    ingest_paths(index, [SAMPLE_PDF])
    committed = {m.meeting_id for m in index.meetings()}
    before = [c.id for c in index.dense(QUESTION, 10, None)]
    assert len(before) == 10

    # a few strays are skipped after an unfiltered search; many push the search onto Chroma's filter
    _leave_uncommitted_chunks(index, strays, index.embedder.embed_query(QUESTION))
    after = index.dense(QUESTION, 10, None)
    assert [c.id for c in after] == before
    assert {c.metadata["meeting_id"] for c in after} <= committed


def test_search_restricted_to_one_meeting_stays_inside_it(tmp_path: Path, make_index):
    index = make_index(tmp_path / "data")
    ingest_paths(index, [FIXTURES / "odsherred-byraad-2023-03-28.txt", FIXTURES / "aarhus-boern-unge-2024-01-15.txt",
                         FIXTURES / "kkr-nordjylland-2023-06-23.txt"])
    aarhus = next(m for m in index.meetings() if m.source.startswith("aarhus"))
    hits = index.dense(QUESTION, 10, {aarhus.meeting_id})
    assert hits and {c.metadata["meeting_id"] for c in hits} == {aarhus.meeting_id}
    assert index.dense(QUESTION, 10, {"findes-ikke"}) == []


def test_another_instance_notices_a_commit_by_polling_one_record(tmp_path: Path, make_index, monkeypatch):
    monkeypatch.setattr("index.catalog.REFRESH_SECONDS", 0.0)
    writer, reader = make_index(tmp_path / "data"), make_index(tmp_path / "data")
    ingest_paths(writer, [FIXTURES / "odsherred-byraad-2023-03-28.txt"])
    reader.maybe_refresh()
    assert [m.source for m in reader.meetings()] == ["odsherred-byraad-2023-03-28.txt"]

    full_reads = []
    records = reader.store.records
    monkeypatch.setattr(reader.store, "records", lambda: full_reads.append(1) or records())
    for _ in range(3):
        reader.maybe_refresh()
    assert full_reads == []  # nothing changed: no reading of every meeting record per question

    ingest_paths(writer, [FIXTURES / "aarhus-boern-unge-2024-01-15.txt"])
    reader.maybe_refresh()
    assert full_reads and len(reader.meetings()) == 2
    aarhus = next(m for m in reader.meetings() if m.source.startswith("aarhus"))
    found = reader.chunks([chunk_id for chunk_id, _ in reader.lexical_search("skolebestyrelserne", 5)])
    assert aarhus.meeting_id in {c.metadata["meeting_id"] for c in found}  # its words are searchable there too

    remove_meeting(writer, "aarhus-boern-unge-2024-01-15.txt")
    reader.maybe_refresh()
    assert [m.source for m in reader.meetings()] == ["odsherred-byraad-2023-03-28.txt"]
