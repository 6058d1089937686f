"""Item numbering: lines that start with a number of some style (1., 1.1., 01., A:, Punkt 4, Pkt. 4, Ad 4,
Ad pkt. 4, 4), 715.), and the sequence that runs through the document. A list inside an item restarts its
count, so it cannot continue the agenda's sequence; an agenda list at the top has no text between its lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

NUMBER_LINE = re.compile(
    r"^(?:(?P<prefix>[Aa]d\s+(?:[Pp]kt\.?|[Pp]unkt)|Punkt|Pkt\.?|Ad|Dagsordenspunkt|Dagsordenpunkt|Dagsordenspkt\.?|Sag\s+nr\.?)\s*)?"
    r"(?P<number>\d{1,4}(?:\.\d{1,3}){0,2}|[A-ZÆØ])"
    r"(?P<sep>\.(?=\s|$)|\.(?=[A-ZÆØÅ])|:|\)|\s+[-–]\s+|)\s*(?P<title>.*)$"
)
PREFIX_CLASS = {"punkt": "punkt", "pkt": "punkt", "pkt.": "punkt", "ad": "ad", "dagsordenspunkt": "punkt",
                "ad pkt": "ad", "ad pkt.": "ad", "ad punkt": "ad",
                "sag nr": "sag", "sag nr.": "sag",
                "dagsordenpunkt": "punkt", "dagsordenspkt": "punkt", "dagsordenspkt.": "punkt"}
TITLE_START = re.compile(r"^[A-ZÆØÅ0-9\"”»«(§]")
MAX_GAP = 3


@dataclass(frozen=True)
class Candidate:
    index: int
    number: str
    title: str
    style: tuple[str, str, int, str]
    value: tuple[int, ...]
    explicit: bool


def candidate(index: int, text: str, heading_like: bool) -> Candidate | None:
    """The line as a numbered heading, if its shape allows; ``heading_like`` is its typography."""
    match = NUMBER_LINE.match(text.strip())
    if not match:
        return None
    prefix = re.sub(r"\s+", " ", (match.group("prefix") or "").lower())
    number, sep, title = match.group("number"), match.group("sep").strip(), match.group("title").strip()
    letter = number.isalpha()
    if prefix:
        if title and not TITLE_START.match(title) and not title[:1].isalpha():
            return None
        if prefix.startswith("sag") and (letter or not title or sep == "/"):
            return None  # 'Sag nr. 98/123' is a case number, not an item
    else:
        if letter and (sep not in (".", ":", ")") or not title):
            return None
        if not title or not TITLE_START.match(title):
            return None
        if not sep and not (heading_like or "." in number):
            return None
    if not letter:
        parts = tuple(int(p) for p in number.split("."))
        if parts[0] == 0 and len(parts) == 1 and not number.startswith("0"):
            return None
        if not prefix and (parts[0] > 999 or (1900 <= parts[0] <= 2100)):
            return None
        value = parts
    else:
        value = (ord(number) - ord("A") + 1,) if number <= "Z" else (27,)
    sep_class = "" if prefix else (sep if sep in (".", ")", ":") else "-" if sep else "")
    style = (PREFIX_CLASS.get(prefix, prefix), "a" if letter else "d", len(value), sep_class)
    return Candidate(index, number, title, style, value, bool(prefix))


def follows(previous: tuple[int, ...], following: tuple[int, ...]) -> int | None:
    """How many numbers were skipped between two items of one sequence (0 = next), or None."""
    if len(previous) != len(following):
        return None
    if len(previous) == 1:
        step = following[0] - previous[0]
        return step - 1 if 1 <= step <= MAX_GAP else None
    if following[:-1] == previous[:-1]:
        step = following[-1] - previous[-1]
        return step - 1 if 1 <= step <= MAX_GAP else None
    if following[-1] == 1 and 1 <= following[-2] - previous[-2] <= 2 and following[:-2] == previous[:-2]:
        return following[-2] - previous[-2] - 1
    return None


def best_chain(candidates: list[Candidate], evidence: Callable[[Candidate], float],
               edge: Callable[[Candidate, Candidate], float]) -> tuple[list[Candidate], float]:
    """The highest-scoring sequence of one style: node evidence plus edges (text between, skipped numbers)."""
    best: tuple[list[Candidate], float] = ([], float("-inf"))
    styles: dict[tuple, list[Candidate]] = {}
    for cand in candidates:
        styles.setdefault(cand.style, []).append(cand)
    for group in styles.values():
        nodes = [evidence(c) for c in group]
        score = [0.0] * len(group)
        back: list[int | None] = [None] * len(group)
        for j, cand in enumerate(group):
            first = cand.value[-1] == 1 and all(v == 1 for v in cand.value[1:])
            score[j] = nodes[j] + (0.5 if first else 0.0)
            for i in range(max(0, j - 300), j):
                skipped = follows(group[i].value, cand.value)
                if skipped is None:
                    continue
                total = score[i] + nodes[j] + edge(group[i], cand) - 1.0 * skipped
                if total > score[j]:
                    score[j], back[j] = total, i
        if not group:
            continue
        end = max(range(len(group)), key=lambda k: (score[k], k))  # on a tie, the longer chain
        if score[end] > best[1]:
            chain: list[Candidate] = []
            k: int | None = end
            while k is not None:
                chain.append(group[k])
                k = back[k]
            best = (chain[::-1], score[end])
    return best
