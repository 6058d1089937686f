"""Ingest with the real model and real Chroma: idempotent, replacing, all-or-nothing per file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.ingest import ingest_paths, remove_meeting
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration


def test_ingest_twice_is_a_noop(tmp_path: Path, make_index):
    index = make_index(tmp_path / "data")
    files = [FIXTURES / "odsherred-byraad-2023-03-28.txt", FIXTURES / "aarhus-boern-unge-2024-01-15.txt"]
    first = ingest_paths(index, files)
    assert [r.status for r in first] == ["ny", "ny"]
    count = index.store.chunks.count()
    second = ingest_paths(index, files)
    assert [r.status for r in second] == ["uændret", "uændret"]
    assert index.store.chunks.count() == count
    sources = [m.source for m in index.meetings()]
    assert sources == ["odsherred-byraad-2023-03-28.txt", "aarhus-boern-unge-2024-01-15.txt"]


def test_changed_file_replaces_its_old_chunks(tmp_path: Path, make_index):
    index = make_index(tmp_path / "data")
    path = tmp_path / "odsherred.txt"
    shutil.copyfile(FIXTURES / "odsherred-byraad-2023-03-28.txt", path)
    ingest_paths(index, [path])
    old = index.meetings()[0]
    path.write_text(path.read_text(encoding="utf-8").replace("23 stemmer for og 2 imod", "20 stemmer for og 5 imod"),
                    encoding="utf-8")
    results = ingest_paths(index, [path])
    assert results[0].status == "erstattet"
    new = index.meetings()[0]
    assert new.meeting_id != old.meeting_id and len(index.meetings()) == 1
    assert index.store.chunks.get(where={"meeting_id": old.meeting_id})["ids"] == []
    texts = " ".join(index.store.chunks.get(where={"meeting_id": new.meeting_id})["documents"])
    assert "20 stemmer for og 5 imod" in texts and "23 stemmer" not in texts
    assert all("23 stemmer" not in index.chunks([cid])[0].text for cid in index.lexical.ids)
    # the superseded original is no longer kept or served
    assert index.store.load_file(old.sha256) is None
    assert not (index.files_dir / old.stored_file).exists()
    assert b"20 stemmer for og 5 imod" in index.source_file(new).read_bytes()


def test_removed_meeting_takes_its_original_with_it(tmp_path: Path, make_index):
    index = make_index(tmp_path / "data")
    ingest_paths(index, [FIXTURES / "odsherred-byraad-2023-03-28.txt", FIXTURES / "aarhus-boern-unge-2024-01-15.txt"])
    removed = remove_meeting(index, "aarhus-boern-unge-2024-01-15.txt")
    assert removed is not None
    assert index.store.load_file(removed.sha256) is None
    assert not (index.files_dir / removed.stored_file).exists()
    assert index.source_file(removed) is None
    kept = index.meetings()[0]
    assert index.source_file(kept).read_bytes() == (FIXTURES / "odsherred-byraad-2023-03-28.txt").read_bytes()


def test_same_content_under_another_name_is_a_duplicate(tmp_path: Path, make_index):
    index = make_index(tmp_path / "data")
    copy = tmp_path / "kopi af referat.txt"
    shutil.copyfile(FIXTURES / "odsherred-byraad-2023-03-28.txt", copy)
    results = ingest_paths(index, [FIXTURES / "odsherred-byraad-2023-03-28.txt", copy])
    assert [r.status for r in results] == ["ny", "dublet"]
    assert "samme indhold som odsherred-byraad-2023-03-28.txt" in results[1].message
    assert len(index.meetings()) == 1


def test_bad_file_fails_alone_and_changes_nothing(tmp_path: Path, make_index):
    index = make_index(tmp_path / "data")
    ingest_paths(index, [FIXTURES / "odsherred-byraad-2023-03-28.txt"])
    before = (index.store.fingerprint(), index.store.chunks.count())
    bad = tmp_path / "beskadiget.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj <<")
    results = ingest_paths(index, [bad, FIXTURES / "aarhus-boern-unge-2024-01-15.txt"])
    assert [r.status for r in results] == ["fejlet", "ny"]
    assert results[0].message.startswith("beskadiget.pdf: ")
    assert index.store.chunks.count() > before[1]
    remove_meeting(index, "aarhus-boern-unge-2024-01-15.txt")
    assert (index.store.fingerprint(), index.store.chunks.count()) == before


def test_folder_ingest_is_recursive_and_skips_other_files(tmp_path: Path, make_index):
    folder = tmp_path / "referater" / "2023"
    folder.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "vejle-teknik-2022-11-02.html", folder / "vejle.html")
    (folder / "noter.odt").write_bytes(b"PK")
    (tmp_path / "referater" / "loop").symlink_to(tmp_path / "referater", target_is_directory=True)
    index = make_index(tmp_path / "data")
    results = ingest_paths(index, [tmp_path / "referater"])
    assert [(Path(r.path).name, r.status) for r in results] == [("vejle.html", "ny")]


def test_reopened_index_answers_without_reembedding(tmp_path: Path, make_index):
    index = make_index(tmp_path / "data")
    ingest_paths(index, [FIXTURES / "odsherred-byraad-2023-03-28.txt"])
    reopened = make_index(tmp_path / "data")
    assert [m.source for m in reopened.meetings()] == ["odsherred-byraad-2023-03-28.txt"]
    assert reopened.lexical.search("svømmehal", 3)
    assert reopened.dense("renovering af svømmehallen", 3, None)[0].metadata["item"] == "2"
