"""The sample among many generated meetings: do the shared questions still hold at archive size?

    python -m bench.archive --generated 300 [--same-body 30] [--items 10 30] [--data DIR]

Builds (or reuses) an index of the sample, the June KKR minutes, the layout fixtures and generated meetings with
boilerplate items (a share of them from the sample's own body, the hardest distractors), then evaluates the
shared question file over the whole index and prints hit@1, refusals and query latency.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample" / "kkr-nordjylland-2023-04-28.pdf"
QUESTIONS = ROOT.parent / "shared" / "eval" / "kkr-nordjylland-2023-04-28.questions.jsonl"
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"


def sample_body(path: Path = SAMPLE) -> str:
    from index.parsing.parse import parse_file

    return parse_file(path).body


def layout_files() -> list[Path]:
    """The layout fixtures as users would upload them: web pages, plain text, and the built PDFs/DOCX."""
    plain = [p for p in sorted(LAYOUTS.glob("*.txt")) if not re.search(r"\.(pdf|docx)\.txt$", p.name)]
    return plain + sorted(LAYOUTS.glob("*.html")) + sorted((LAYOUTS / "built").glob("*.*"))


def archive_files(folder: Path, generated: int, same_body: int, body: str, extra: list[Path],
                  items: tuple[int, int] = (10, 30)) -> list[Path]:
    from bench.generate import generate

    files = [m.path for m in generate(folder / "generated", generated - same_body, seed=2024, boilerplate=True,
                                      items=items)]
    files += [m.path for m in generate(folder / "same-body", same_body, seed=4202, bodies=[body], boilerplate=True,
                                       prefix="kkr-", items=items)]
    return [SAMPLE, *extra, *files]


def build(data: Path, files: list[Path], embedder=None):
    from assistant.config import Settings
    from assistant.service import Assistant, index_config
    from index.catalog import MinutesIndex
    from index.ingest import ingest_paths

    settings = Settings(data_dir=data)
    index = MinutesIndex(index_config(settings), embedder=embedder)
    known = {r.source for r in index.meetings()}
    missing = [f for f in files if f.name not in known]
    if missing:
        ingest_paths(index, missing)
    return Assistant(settings, index=index)


def measure(assistant, path: Path = QUESTIONS) -> dict:
    from assistant.evaluation import evaluate

    evaluate(assistant, path)  # warm-up: model, lexical index, title frequencies
    started = time.perf_counter()
    report = evaluate(assistant, path)
    report["wall_s"] = round(time.perf_counter() - started, 1)
    report["meetings"] = len(assistant.index.meetings())
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=300)
    parser.add_argument("--same-body", type=int, default=30)
    parser.add_argument("--data", type=Path, default=Path("/tmp/referat-archive"))
    parser.add_argument("--no-fixtures", action="store_true")
    parser.add_argument("--items", type=int, nargs=2, default=(10, 30), metavar=("MIN", "MAX"),
                        help="topical items per generated meeting (fewer: a quicker archive of the same kind)")
    args = parser.parse_args(argv)
    from tests.conftest import june_minutes_pdf

    args.data.mkdir(parents=True, exist_ok=True)
    extra = [] if args.no_fixtures else [june_minutes_pdf(args.data), *layout_files()]
    items = tuple(args.items)
    files = archive_files(args.data / f"minutes-{items[0]}-{items[1]}", args.generated, args.same_body,
                          sample_body(), extra, items)
    started = time.perf_counter()
    assistant = build(args.data / f"data-{args.generated}-{items[0]}-{items[1]}", files)
    print(f"index: {len(assistant.index.meetings())} møder ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    report = measure(assistant)
    misses = [r["id"] for r in report["rows"] if (r["answerable"] and r["rank"] != 1)
              or (not r["answerable"] and r["found"])]
    print(json.dumps({k: report[k] for k in ("meetings", "questions", "hit@1", "hit@3", "answer_ok", "abstained_ok",
                                             "answerable_refused", "p50_ms", "p95_ms", "wall_s")} | {"misses": misses},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
