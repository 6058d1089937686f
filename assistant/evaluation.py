"""`referat eval`: retrieval hit@1/hit@3/MRR, answer quality and latency on a question file."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from assistant.retrieval import Retrieval


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ranking(retrieval: Retrieval, mode: str) -> list[str]:
    if mode == "hybrid":
        return [i.item for i in retrieval.items]
    keys = retrieval.dense_items if mode == "dense" else retrieval.lexical_items
    return [item for _, item in keys]


def evaluate(assistant, path: Path, mode: str = "hybrid") -> dict:
    rows = []
    for question in load_questions(path):
        started = time.perf_counter()
        retrieval = assistant.retrieve(question["question"], k=10)
        answer = assistant.extractive.answer(question["question"], retrieval)
        elapsed = (time.perf_counter() - started) * 1000
        ranking = _ranking(retrieval, mode)
        gold = set(question.get("items", []))
        rank = next((i + 1 for i, item in enumerate(ranking) if item in gold), None)
        cited = {c.item for c in answer.citations}
        keywords = all(k.lower() in answer.answer.lower() for k in question.get("answer_contains", []))
        rows.append({
            "id": question.get("id"), "answerable": question.get("answerable", True), "rank": rank,
            "found": answer.found, "keywords": keywords, "cites_gold": bool(cited & gold), "ms": elapsed,
        })
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    latencies = sorted(r["ms"] for r in rows)

    def share(values: list[bool]) -> float:
        return round(sum(values) / len(values), 3) if values else 0.0

    return {
        "mode": mode,
        "questions": len(rows),
        "hit@1": share([r["rank"] == 1 for r in answerable]),
        "hit@3": share([r["rank"] is not None and r["rank"] <= 3 for r in answerable]),
        "mrr": round(statistics.fmean([1 / r["rank"] if r["rank"] else 0 for r in answerable]), 3) if answerable else 0,
        "answer_ok": share([r["found"] and r["keywords"] and r["cites_gold"] for r in answerable]),
        "abstained_ok": share([not r["found"] for r in unanswerable]),
        "p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else 0,
        "p95_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 1) if latencies else 0,
        "rows": rows,
    }


def format_report(report: dict) -> str:
    lines = [
        f"Tilstand: {report['mode']}, {report['questions']} spørgsmål",
        f"hit@1 {report['hit@1']:.2f}   hit@3 {report['hit@3']:.2f}   MRR {report['mrr']:.2f}",
        f"Korrekte svar (nøgleord + citat af rigtigt punkt): {report['answer_ok']:.2f}",
        f"Ærlige 'ikke fundet' på ubesvarlige: {report['abstained_ok']:.2f}",
        f"Svartid p50 {report['p50_ms']:.0f} ms, p95 {report['p95_ms']:.0f} ms",
    ]
    misses = [r for r in report["rows"] if (r["answerable"] and not (r["found"] and r["keywords"] and r["cites_gold"]))
              or (not r["answerable"] and r["found"])]
    if misses:
        lines.append("Afvigelser: " + ", ".join(f"{r['id']} (rang {r['rank']}, fundet {r['found']})" for r in misses))
    return "\n".join(lines)
