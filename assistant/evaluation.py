"""`referat eval`: retrieval hit@1/hit@3/MRR, answer quality and latency on question files.

Two kinds of question file:
- the shared files (no ``source``): every question is asked of the current index;
- bank files (``tests/bank/*.questions.jsonl``, each question names its ``source`` document): the sources are
  ingested into an index of their own (kept between runs, keyed by the files' content) and each question is
  asked of its own document only (``scope="own"``) or of all of them (``scope="all"``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from assistant.retrieval import Retrieval
from index.types import PARTICIPANTS_ITEM

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPLITS = ("dev", "test", "all")


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def bank_split(question_id: str) -> str:
    """The bank's dev/test half of a question, from its id alone: first byte of sha1(id) even → dev, odd → test."""
    return "dev" if hashlib.sha1(question_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def select(questions: list[dict], split: str) -> list[dict]:
    if split == "all":
        return questions
    return [q for q in questions if bank_split(q["id"]) == split]


def source_path(question: dict, root: Path = PROJECT_ROOT) -> Path:
    return (root / question["source"]).resolve()


def _ranking(retrieval: Retrieval, mode: str) -> list[tuple[str, str]]:
    """(meeting id, item number) in ranked order."""
    if mode == "hybrid":
        return [i.key for i in retrieval.items]
    return list(retrieval.dense_items if mode == "dense" else retrieval.lexical_items)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parser_digest() -> str:
    import index.parsing

    root = Path(index.parsing.__file__).parent
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def bank_assistant(paths: list[Path], data_dir: Path | None = None):
    """An assistant over exactly ``paths``: an index of its own, reused while the files are unchanged."""
    from assistant.config import get_settings
    from assistant.service import Assistant, index_config
    from index.catalog import MinutesIndex
    from index.ingest import ingest_paths

    digests = {str(p): _sha256(p) for p in paths}
    if data_dir is None:
        # the parser's own code is part of the key: a reader or signal changed, the documents are read anew
        key = hashlib.sha1("\n".join([*sorted(digests.values()), _parser_digest()]).encode()).hexdigest()[:16]
        data_dir = Path(os.environ.get("REFERAT_BANK_DIR", tempfile.gettempdir())) / f"referat-bank-{key}"
    settings = get_settings().model_copy(update={"data_dir": data_dir, "chroma_host": None})
    index = MinutesIndex(index_config(settings))
    present = {r.sha256 for r in index.meetings()}
    missing = [p for p in paths if digests[str(p)] not in present]
    if missing:
        ingest_paths(index, missing)
    return Assistant(settings, index), digests


def _row(assistant, question: dict, mode: str, meeting: str | None, gold_meeting: str | None = None) -> dict:
    """One question's figures. ``meeting`` restricts the search to one meeting; ``gold_meeting`` (an archive
    of many meetings, searched whole) says whose items are gold: item numbers alone repeat in every meeting."""
    started = time.perf_counter()
    retrieval = assistant.retrieve(question["question"], k=10, meeting=meeting)
    answer = assistant.extractive.answer(question["question"], retrieval)
    elapsed = (time.perf_counter() - started) * 1000
    gold = set(question.get("items", []))
    if question.get("kind") == "attendance":
        # who came and who sent apologies is filed in the meeting's participant list, wherever the source
        # printed it (an "Afbud: …" line under item 1): citing that list is citing the gold
        gold.add(PARTICIPANTS_ITEM)

    def is_gold(meeting_id: str, item: str) -> bool:
        return item in gold and (gold_meeting is None or meeting_id == gold_meeting)

    rank = next((i + 1 for i, key in enumerate(_ranking(retrieval, mode)) if is_gold(*key)), None)
    # "0,4 mio.kr." and "0,4 mio. kr." are the same fact: spacing is not compared
    said = _unspaced(answer.answer)
    keywords = all(_unspaced(k) in said for k in question.get("answer_contains", []))
    cites_gold = any(is_gold(c.meeting_id, c.item) for c in answer.citations)
    return {
        "id": question.get("id"), "kind": question.get("kind", ""), "layout": question.get("layout", ""),
        "answerable": question.get("answerable", True), "rank": rank, "found": answer.found,
        "keywords": keywords, "cites_gold": cites_gold, "ok": answer.found and keywords and cites_gold,
        "words": len(answer.answer.split()), "ms": elapsed,
        "participants": gold == {PARTICIPANTS_ITEM},
    }


def _unspaced(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())


def _share(values: list[bool]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def figures(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    found_words = [r["words"] for r in rows if r["found"]]
    return {
        "questions": len(rows),
        "hit@1": _share([r["rank"] == 1 for r in answerable]),
        "hit@3": _share([r["rank"] is not None and r["rank"] <= 3 for r in answerable]),
        "mrr": round(statistics.fmean([1 / r["rank"] if r["rank"] else 0 for r in answerable]), 3)
        if answerable else 0,
        "answer_ok": _share([r["ok"] for r in answerable]),
        "gold_cited": _share([r["cites_gold"] for r in answerable]),
        "abstained_ok": _share([not r["found"] for r in unanswerable]),
        "answerable_refused": _share([not r["found"] for r in answerable]),
        "median_words": statistics.median(found_words) if found_words else 0,
        "answerable": len(answerable), "unanswerable": len(unanswerable),
    }


def evaluate(assistant, path: Path, mode: str = "hybrid") -> dict:
    """A shared question file (no ``source``) over the current index."""
    rows = [_row(assistant, q, mode, None) for q in load_questions(path)]
    return _report(rows, mode, split="all", scope="index")


def evaluate_files(paths: list[Path], split: str = "all", mode: str = "hybrid", scope: str = "own",
                   assistant=None) -> dict:
    """Bank files: questions with ``source`` go to an index of their sources; the others to ``assistant``."""
    questions = [q for path in paths for q in load_questions(path)]
    questions = select(questions, split) if any("id" in q for q in questions) else questions
    banked = [q for q in questions if q.get("source")]
    plain = [q for q in questions if not q.get("source")]
    rows: list[dict] = []
    if plain:
        if assistant is None:
            from assistant.service import get_assistant

            assistant = get_assistant()
        rows.extend(_row(assistant, q, mode, None) for q in plain)
    if banked and scope == "archive":
        rows.extend(_archive_rows(banked, mode, assistant))
    elif banked:
        sources = sorted({source_path(q) for q in banked})
        bank, digests = bank_assistant(sources)
        for question in banked:
            meeting = digests[str(source_path(question))] if scope == "own" else None
            rows.append(_row(bank, question, mode, meeting))
    return _report(rows, mode, split=split, scope=scope if banked else "index")


def _archive_rows(banked: list[dict], mode: str, assistant=None) -> list[dict]:
    """Bank questions asked of the configured index (an archive holding their sources among many other
    meetings), the whole index searched; gold is the item of the question's own meeting."""
    if assistant is None:
        from assistant.service import get_assistant

        assistant = get_assistant()
    by_digest = {r.sha256: r.meeting_id for r in assistant.index.meetings()}
    rows = []
    for question in banked:
        source = source_path(question)
        meeting_id = by_digest.get(_sha256(source))
        if meeting_id is None:
            raise ValueError(f"{source.name} er ikke i indekset ({question.get('id')}); indekser arkivet først")
        rows.append(_row(assistant, question, mode, None, gold_meeting=meeting_id))
    return rows


def _report(rows: list[dict], mode: str, split: str, scope: str) -> dict:
    latencies = sorted(r["ms"] for r in rows)
    report = {"mode": mode, "split": split, "scope": scope, **figures(rows)}
    report["p50_ms"] = round(latencies[len(latencies) // 2], 1) if latencies else 0
    report["p95_ms"] = round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 1) if latencies else 0
    for field in ("kind", "layout"):
        groups: dict[str, list[dict]] = {}
        for row in rows:
            groups.setdefault(row[field] or "-", []).append(row)
        if len(groups) > 1:
            report[f"by_{field}"] = {name: figures(group) for name, group in sorted(groups.items())}
    report["rows"] = rows
    return report


def _line(name: str, f: dict) -> str:
    return (f"{name:<24} {f['questions']:>4} {f['hit@1']:>6.2f} {f['answer_ok']:>6.2f} {f['gold_cited']:>6.2f} "
            f"{f['abstained_ok']:>6.2f} {f['answerable_refused']:>6.2f} {f['median_words']:>6.0f}")


def format_report(report: dict, show_misses: bool = True) -> str:
    lines = [
        f"Tilstand: {report['mode']}, {report['questions']} spørgsmål (del: {report['split']}, "
        f"omfang: {report['scope']})",
        f"hit@1 {report['hit@1']:.2f}   hit@3 {report['hit@3']:.2f}   MRR {report['mrr']:.2f}",
        f"Korrekte svar (nøgleord + citat af rigtigt punkt): {report['answer_ok']:.2f}",
        f"Rigtigt punkt citeret: {report['gold_cited']:.2f}",
        f"Ærlige 'ikke fundet' på ubesvarlige: {report['abstained_ok']:.2f}",
        f"Afviste besvarlige: {report['answerable_refused']:.2f}",
        f"Median svarlængde: {report['median_words']:.0f} ord",
        f"Svartid p50 {report['p50_ms']:.0f} ms, p95 {report['p95_ms']:.0f} ms",
    ]
    header = f"{'':<24} {'antal':>4} {'hit@1':>6} {'svar':>6} {'citat':>6} {'afvist':>6} {'fejlaf':>6} {'ord':>6}"
    for field, title in (("by_kind", "Pr. spørgsmålstype"), ("by_layout", "Pr. layout")):
        if field in report:
            lines += ["", title + ":", header]
            lines += [_line(name, f) for name, f in report[field].items()]
    misses = [r for r in report["rows"] if (r["answerable"] and not r["ok"]) or (not r["answerable"] and r["found"])]
    if misses and show_misses:
        lines.append("Afvigelser: " + ", ".join(f"{r['id']} (rang {r['rank']}, fundet {r['found']})" for r in misses))
    return "\n".join(lines)
