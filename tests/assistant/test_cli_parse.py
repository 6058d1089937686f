"""`referat parse` prints the JSON contract or a Danish summary; bad files fail alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_PDF


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, check=False)


def test_parse_json_contract():
    result = run("parse", str(SAMPLE_PDF), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("source", "body", "date", "pages")} == {
        "source": "kkr-nordjylland-2023-04-28.pdf", "body": "KKR Nordjylland", "date": "2023-04-28", "pages": 20,
    }
    assert data["participants"][0] == {
        "name": "Mogens Christen Gade", "party": "V", "municipality": "Jammerbugt Kommune", "role": "deltager",
        "note": None,
    }
    item = next(i for i in data["items"] if i["number"] == "2.5")
    assert item["cases"] == ["SAG-2023-01519"] and item["pages"] == [13, 15]
    assert item["sections"][-1]["name"] == "Beslutning" and item["sections"][-1]["pages"] == [15, 15]
    assert "Per Bach Laursen" in item["sections"][-1]["text"]


def test_parse_summary_in_danish():
    result = run("parse", str(SAMPLE_PDF))
    assert result.returncode == 0
    assert "KKR Nordjylland, møde 2023-04-28" in result.stdout
    assert "11 dagsordenspunkter" in result.stdout
    assert "2.3  Temadrøftelse om sundhedsområdet og samarbejdet i sundhedsklyngerne  [SAG-2022-03423" in result.stdout


def test_bad_file_fails_alone(tmp_path: Path):
    empty = tmp_path / "tom.pdf"
    empty.write_bytes(b"")
    result = run("parse", str(empty), str(SAMPLE_PDF))
    assert result.returncode == 1
    assert result.stderr.strip() == "Fejl: tom.pdf: filen er tom"
    assert "KKR Nordjylland" in result.stdout
