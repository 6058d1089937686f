"""A disk that fills up during an ingest: a clear Danish message, the previous index intact, a re-run completes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

AARHUS = FIXTURES / "aarhus-boern-unge-2024-01-15.txt"
ODSHERRED = FIXTURES / "odsherred-byraad-2023-03-28.txt"
QUESTION = "Hvor mange høringssvar er der kommet om skolestrukturen i Gellerup?"


@pytest.fixture()
def small_disk(tmp_path: Path):
    """A real 16 MB file system (tmpfs), so writes fail with ENOSPC as on a full disk."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"kan ikke montere en lille tmpfs her (kræver root): {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory: Path) -> Path:
    filler = directory / "fyld"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_full_disk_during_ingest_keeps_the_previous_index(small_disk: Path, make_index):
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.errors import DiskFull, IngestAborted
    from index.ingest import ingest_paths

    data = small_disk / "data"
    index = make_index(data)
    assert [r.status for r in ingest_paths(index, [AARHUS])] == ["ny"]
    before = Assistant(Settings(data_dir=data), index=index).ask(QUESTION).to_json()
    assert "14" in before["answer"]

    filler = fill(small_disk)
    with pytest.raises(IngestAborted) as aborted:
        ingest_paths(index, [AARHUS, ODSHERRED])
    assert isinstance(aborted.value.cause, DiskFull)
    message = str(aborted.value)
    assert message.startswith("Disken under indekset er fuld") and ODSHERRED.name in message
    assert "det tidligere indeks er uændret" in message

    # the same process and a restarted one see exactly the previous index and answer as before
    for reader in (index, make_index(data)):
        reader.refresh()
        assert [r.source for r in reader.meetings()] == [AARHUS.name]
        after = Assistant(Settings(data_dir=data), index=reader).ask(QUESTION).to_json()
        assert (after["answer"], after["citations"]) == (before["answer"], before["citations"])
    assert not list((data / "files").glob("*.partial"))

    filler.unlink()  # space again: the same ingest completes
    assert [r.status for r in ingest_paths(index, [AARHUS, ODSHERRED])] == ["uændret", "ny"]
