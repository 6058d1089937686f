"""The benchmark's synthetic minutes are real input for the parser: deterministic, varied, parseable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.generate import generate
from index.parsing import parse_file


def test_same_seed_same_files_and_every_meeting_parses_into_its_items(tmp_path: Path):
    first = generate(tmp_path / "a", 30)
    second = generate(tmp_path / "b", 30)
    assert [f.path.read_bytes() for f in first] == [f.path.read_bytes() for f in second]
    assert {f.path.suffix for f in first} == {".pdf", ".txt"}
    assert len({f.body for f in first}) >= 10

    cases: Counter[str] = Counter()
    for made in first:
        meeting = parse_file(made.path)
        assert 10 <= len(meeting.items) <= 30
        assert len(meeting.items) == made.items, made.path.name
        assert meeting.date == made.date
        assert any(p.role == "afbud" for p in meeting.participants)
        kinds = {s.kind for item in meeting.items for s in item.sections}
        assert "Beslutning" in kinds and len(kinds) >= 4
        cases.update(c for item in meeting.items for c in item.cases)
    assert max(cases.values()) >= 3  # case numbers recur across meetings, as in real minutes


def test_a_larger_run_starts_with_the_smaller_one(tmp_path: Path):
    small, large = generate(tmp_path / "s", 5), generate(tmp_path / "l", 8)
    assert [f.path.read_bytes() for f in small] == [f.path.read_bytes() for f in large[:5]]
