"""Shared fixtures: every data path points at a temporary directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_PDF = ROOT / "sample" / "kkr-nordjylland-2023-04-28.pdf"
SAMPLE_TXT = SHARED / "minutes" / "kkr-nordjylland-2023-04-28.txt"
EVAL_QUESTIONS = SHARED / "eval" / "kkr-nordjylland-2023-04-28.questions.jsonl"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from assistant.config import get_settings

    data = tmp_path / "data"
    monkeypatch.setenv("REFERAT_DATA_DIR", str(data))
    for name in ("REFERAT_CHROMA_HOST", "REFERAT_LLM_BASE_URL", "REFERAT_API_TOKEN", "REFERAT_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()
