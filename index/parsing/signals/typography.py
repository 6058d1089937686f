"""Typography: a line drawn larger or bolder than the body text, or declared a heading by the format."""

from __future__ import annotations

from collections import Counter

from index.types import Line


def body_size(lines: list[Line]) -> float:
    """The font size most characters are drawn in (0 when the format has none)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        if line.size:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def heading_strength(line: Line, body: float) -> float:
    """0 for body text; up to 1 for a line that looks like a heading by its typography alone."""
    if line.level:
        return 1.0 if line.level <= 3 else 0.6
    strength = 0.0
    if body and line.size >= body + 1.5:
        strength += 0.7
    if line.bold:
        strength += 0.5
    return min(strength, 1.0)


def has_typography(lines: list[Line]) -> bool:
    """Does the document tell headings apart at all (bold, sizes or declared levels)?"""
    return any(ln.bold or ln.level for ln in lines) or len({ln.size for ln in lines if ln.size}) > 1
