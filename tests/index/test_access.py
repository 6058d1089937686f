"""Access levels at ingest: detected from the minutes, raised per file, stored in Chroma, searched by level."""

from __future__ import annotations

import shutil

import pytest

from index.access import parse_level, stricter, visible_levels
from index.chunking import chunk_meeting
from index.ingest import ingest_paths, with_access
from index.lexical import LexicalIndex
from index.parsing import parse_file
from tests.conftest import FIXTURES

MINUTES = FIXTURES / "access-byraad-2024-05-14.txt"


def test_levels_are_read_from_the_minutes_and_raised_by_the_file():
    meeting = parse_file(MINUTES)
    assert [(i.number, i.access) for i in meeting.items] == [("1", "åben"), ("2", "intern"), ("3", "lukket")]
    internal = with_access(meeting, "intern")
    assert [i.access for i in internal.items] == ["intern", "intern", "lukket"]  # never more open than marked
    chunks = chunk_meeting(internal, "m", lambda text: True)
    assert {c.item: c.metadata()["access"] for c in chunks} == {
        "deltagere": "intern", "1": "intern", "2": "intern", "3": "lukket"}


def test_level_words_and_order():
    assert parse_level("Aaben") == "åben" and parse_level(" lukket ") == "lukket"
    with pytest.raises(ValueError, match="åben, intern eller lukket"):
        parse_level("hemmelig")
    assert stricter("åben", "intern") == "intern" and stricter(None, "åben") == "lukket"
    assert visible_levels("åben") == ("åben",) and visible_levels("lukket") is None


def test_lexical_search_sees_only_the_levels_asked_for():
    lexical = LexicalIndex(["a", "b"], ["Legepladsen ved stranden", "Ejendommen på Pindsvinevej og stranden"],
                           ["åben", "lukket"])
    assert [cid for cid, _ in lexical.search("Pindsvinevej", 5)] == ["b"]
    assert lexical.search("Pindsvinevej", 5, levels=("åben",)) == []
    assert [cid for cid, _ in lexical.search("stranden", 5, levels=("åben", "intern"))] == ["a"]


def test_a_file_ingested_as_closed_is_hidden_and_can_be_opened_up_again(make_index, tmp_path):
    index = make_index(tmp_path / "data")
    copy = tmp_path / MINUTES.name
    shutil.copy(MINUTES, copy)
    assert [r.status for r in ingest_paths(index, [copy], access="lukket")] == ["ny"]
    record = index.meetings()[0]
    assert (record.access, record.access_open, record.access_floor) == ("lukket", "lukket", "lukket")
    assert index.meetings("intern") == []  # nothing in it for staff or the public: not even listed
    from assistant.retrieval import NOTHING_VISIBLE, Retriever

    hidden = Retriever(index).retrieve("Hvor samles vejafdelingen?", clearance="intern")
    assert (hidden.meetings, hidden.notes) == ([], [NOTHING_VISIBLE])  # not "no minutes are indexed"
    assert index.dense("legepladsen ved Havsted Strand", 5, None, ("åben", "intern")) == []
    assert index.lexical_search("legepladsen", 5, None, ("åben", "intern")) == []
    # the same file again without a level keeps it; with one, it is written again with that level
    assert [r.status for r in ingest_paths(index, [copy])] == ["uændret"]
    assert [r.status for r in ingest_paths(index, [copy], access="åben")] == ["erstattet"]
    record = index.meetings()[0]
    assert (record.access, record.access_open) == ("lukket", "åben")  # item 3 is closed by its own marking
    found = index.dense("legepladsen ved Havsted Strand", 5, None, ("åben",))
    assert found and {c.metadata["access"] for c in found} == {"åben"}
    assert [c.metadata["item"] for c in index.store.get([cid for cid, _ in index.lexical_search(
        "Pindsvinevej", 5, None, ("åben", "intern"))])] == []
    assert len(index.store.chunks.get(include=[])["ids"]) == record.chunks  # no stale copies of the chunks
