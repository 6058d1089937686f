"""Remove running headers and footers, join hyphenated words, reflow wrapped lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from index.types import Line

PAGE_COUNTER = re.compile(
    r"^(?:(?:side|page|s\.)\s*\d+(?:\s*(?:af|/|of|ud af)\s*\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+|\d{1,3})$", re.I
)
EXPLICIT_COUNTER = re.compile(r"^(?:side|page)\s*(?P<page>\d+)\s*(?:af|/|of)\s*\d+$", re.I)
EDGE_ZONE = 3
LIST_MARKER = re.compile(r"^(?:[–—•·*▪◦-]\s|\./\.|\(?[a-zæøå]\)\s|[A-ZÆØÅ]\w* \d+[:.]\s)")
LOWER = "a-zæøåéüöäè"
SPLIT_WORD = re.compile(rf"(?<=[{LOWER}A-ZÆØÅ0-9])-$")
CONTINUATION = re.compile(rf"^([{LOWER}][\w{LOWER}]*\S*)(.*)$")
# after "social-" the next line's "og" means a real hyphenated enumeration, not a split word
KEEP_HYPHEN_BEFORE = {"og", "eller", "samt", "til", "som", "and", "or"}


@dataclass(frozen=True)
class CleanedPages:
    lines: list[Line]
    running: list[str]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip())).casefold()


def despace(line: str) -> str:
    """'K K R  N O R D J Y L L A N D' → 'KKR NORDJYLLAND' (letter-spaced typography)."""
    stripped = line.strip()
    if re.fullmatch(r"(?:\S ){2,}\S(?:  (?:\S ?)+)*", stripped):
        return " ".join(word.replace(" ", "") for word in re.split(r" {2,}", stripped))
    return stripped


def strip_running_lines(pages: list[list[Line]] | list[list[str]],
                        protected: Callable[[str], object] | None = None) -> CleanedPages:
    """Drop lines repeated in the top or bottom zone of most pages, and page counters.

    Nothing about one document is hard-coded: a line is "running" when its shape (digits
    folded) recurs at a page edge on at least half of the pages, and on at least three.
    """
    pages = [[ln if isinstance(ln, Line) else Line(ln, number) for ln in page]
             for number, page in enumerate(pages, start=1)]
    edge_counts: Counter[str] = Counter()
    for page in pages:
        content = [ln.text for ln in page if ln.text.strip()]
        edges = {_shape(ln) for ln in content[:EDGE_ZONE] + content[-EDGE_ZONE:]}
        edge_counts.update(edges)
    threshold = max(3, (len(pages) + 1) // 2)
    repeating = {shape for shape, n in edge_counts.items() if n >= threshold}
    lines: list[Line] = []
    running: list[str] = []
    for number, page in enumerate(pages, start=1):
        content = [ln for ln in page if ln.text.strip()]
        zone = set(range(EDGE_ZONE)) | set(range(len(content) - EDGE_ZONE, len(content)))
        for index, line in enumerate(content):
            raw = line.text
            text = raw.strip()
            is_protected = bool(protected and protected(text))
            in_zone = index in zone
            counter = EXPLICIT_COUNTER.match(text) if len(pages) == 1 else (in_zone and PAGE_COUNTER.match(text))
            if not is_protected and counter:
                continue
            if not is_protected and in_zone and _shape(text) in repeating:
                if number == 1 or not running or (text not in running and len(running) < 6):
                    running.append(text)
                continue
            cleaned = re.sub(r"[ \t\u00a0]+$", "", raw).replace("\u00a0", " ").strip()
            lines.append(replace(line, text=cleaned, page=number))
    return CleanedPages(lines, running)


def join_hyphenated(lines: list[Line]) -> list[Line]:
    """Join words split at a line break: 'er-' + 'hvervsfremme' → 'erhvervsfremme'.

    After a capital or digit the hyphen is part of the word ('KKR-' + 'mødet' → 'KKR-mødet').
    """
    out = list(lines)
    for i in range(len(out) - 1):
        current, following = out[i], out[i + 1]
        if not SPLIT_WORD.search(current.text):
            continue
        match = CONTINUATION.match(following.text)
        if not match or match.group(1).lower() in KEEP_HYPHEN_BEFORE:
            continue
        before = current.text[-2]
        head = current.text[:-1] if before.islower() else current.text
        out[i] = replace(current, text=head + match.group(1))
        out[i + 1] = replace(following, text=match.group(2).lstrip())
    return [ln for ln in out if ln.text]


def typical_width(lines: list[Line]) -> int:
    lengths = sorted(len(ln.text) for ln in lines if ln.text)
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0]


def reflow(lines: list[Line], width: int) -> list[list[Line]]:
    """Group soft-wrapped lines into paragraphs; list items and short lines keep their break."""
    paragraphs: list[list[Line]] = []
    for line in lines:
        if paragraphs and width > 0 and _continues(paragraphs[-1][-1].text, line.text, width):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


NUMBERED_LINE = re.compile(r"^[A-ZÆØÅ]\w* \d+[:.]\s")


def _continues(previous: str, line: str, width: int) -> bool:
    if LIST_MARKER.match(line) or previous.endswith(":"):
        return False
    if NUMBERED_LINE.match(previous) and line[:1].isupper():
        return False
    if CONTINUATION.match(line):
        return True
    if previous.endswith((".", "!", "?")) and len(line) < 0.6 * width:
        return False
    return len(previous) >= 0.6 * width
