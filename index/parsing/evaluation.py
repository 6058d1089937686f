"""`referat eval --structure`: how well the parser recovers labelled structure, per layout."""

from __future__ import annotations

import json
import re
from pathlib import Path

from index.errors import MinutesError
from index.parsing.parse import parse_file

FUNCTION_WORDS = {"i", "ved", "af", "for"}


# a municipality's council has two names: "Ravnsø Byråd" is "Byrådet i Ravnsø Kommune"
COUNCIL_FORMS = {"byrådet": "byråd", "kommunalbestyrelsen": "kommunalbestyrelse"}


def _words(text: str) -> list[str]:
    found = [COUNCIL_FORMS.get(w, w) for w in re.findall(r"[\wæøå]+", text.casefold()) if w not in FUNCTION_WORDS]
    if any(w in COUNCIL_FORMS.values() for w in found):
        found = [w for w in found if w != "kommune"]
    return found


def _norm(text: str) -> str:
    return " ".join(_words(text))


def score_document(label: dict, label_path: Path) -> dict:
    """Compare one parsed file with its labels; items are matched by number."""
    path = (label_path.parent / label["file"]).resolve()
    try:
        meeting = parse_file(path)
    except MinutesError as exc:
        return {"file": label["file"], "layout": label["layout"], "error": str(exc)}
    expected = {i["number"]: i for i in label["items"]}
    found = {i.number: i for i in meeting.items}
    matched = [n for n in expected if n in found]
    precision = len(matched) / len(found) if found else 0.0
    recall = len(matched) / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    titles = [n for n in matched if _norm(found[n].title) == _norm(expected[n]["title"])]
    case_hits = sum(1 for n in matched for c in expected[n].get("cases", []) if c in found[n].cases)
    case_total = sum(len(i.get("cases", [])) for i in label["items"])
    decisions = [n for n in matched
                 if sum(s.kind == "Beslutning" for s in found[n].sections) == expected[n].get("decisions", 0)]
    closed = [n for n in matched if (found[n].access == "lukket") == bool(expected[n].get("closed"))]
    people = {p.name for p in meeting.participants}
    wanted = [p["name"] for p in label.get("participants", [])]
    return {
        "file": label["file"], "layout": label["layout"],
        "items_expected": len(expected), "items_found": len(found), "item_f1": round(f1, 3),
        "titles": round(len(titles) / len(expected), 3) if expected else 1.0,
        "body": sorted(_words(meeting.body)) == sorted(_words(label["body"])),
        "date": meeting.date == label["date"],
        "cases": round(case_hits / case_total, 3) if case_total else 1.0,
        "decisions": round(len(decisions) / len(expected), 3) if expected else 1.0,
        "closed": round(len(closed) / len(expected), 3) if expected else 1.0,
        "participants": round(sum(n in people for n in wanted) / len(wanted), 3) if wanted else 1.0,
        "parsed_body": meeting.body, "parsed_date": meeting.date,
        "missing": [n for n in expected if n not in found], "extra": [n for n in found if n not in expected],
        "wrong_titles": {n: found[n].title for n in matched if n not in titles},
    }


def evaluate_structure(label_paths: list[Path]) -> dict:
    rows = []
    for path in label_paths:
        label = json.loads(path.read_text(encoding="utf-8"))
        rows.append(score_document(label, path))
    good = [r for r in rows if "error" not in r]

    def mean(key: str) -> float:
        values = [float(r[key]) for r in good]
        return round(sum(values) / len(values), 3) if values else 0.0

    expected = sum(r["items_expected"] for r in good)
    weighted = {k: round(sum(r[k] * r["items_expected"] for r in good) / expected, 3) if expected else 0.0
                for k in ("item_f1", "titles", "decisions", "closed")}
    return {"documents": len(rows), "failed": len(rows) - len(good), "items": expected, **weighted,
            "body": mean("body"), "date": mean("date"), "cases": mean("cases"), "participants": mean("participants"),
            "rows": rows}


def format_structure_report(report: dict) -> str:
    lines = [f"{'layout':<22} {'fil':<38} {'punkter':>8} {'F1':>5} {'titler':>6} {'organ':>5} {'dato':>4} "
             f"{'sager':>5} {'beslutn.':>8} {'deltag.':>7}"]
    for r in report["rows"]:
        if "error" in r:
            lines.append(f"{r['layout']:<22} {r['file']:<38} FEJL: {r['error']}")
            continue
        lines.append(
            f"{r['layout']:<22} {r['file']:<38} {r['items_found']:>3}/{r['items_expected']:<4} {r['item_f1']:>5.2f} "
            f"{r['titles']:>6.2f} {'ja' if r['body'] else 'nej':>5} {'ja' if r['date'] else 'nej':>4} "
            f"{r['cases']:>5.2f} {r['decisions']:>8.2f} {r['participants']:>7.2f}")
    lines.append(
        f"I alt {report['documents']} dokumenter, {report['items']} punkter: punkt-F1 {report['item_f1']:.2f}, "
        f"titler {report['titles']:.2f}, organ {report['body']:.2f}, dato {report['date']:.2f}, "
        f"sagsnumre {report['cases']:.2f}, beslutninger {report['decisions']:.2f}, "
        f"deltagere {report['participants']:.2f}")
    return "\n".join(lines)
