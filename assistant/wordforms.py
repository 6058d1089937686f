"""The asker's word forms against the minutes': a letter typed wrong, a compound and its head."""

from __future__ import annotations


def misspelt_present(term: str, words: set[str]) -> bool:
    """A longer term typed with one letter wrong, missing, extra or two swapped ("legeplasen", "ledelinier"):
    one edit from a word of the item, two for terms of nine letters or more."""
    if len(term) < 6 or not term.isalpha():
        return False
    allowed = 2 if len(term) >= 9 else 1
    return any(abs(len(w) - len(term)) <= allowed and w[:2] == term[:2] and edits(term, w, allowed) <= allowed
               for w in words if len(w) >= 6)


def edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), cut off above ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def compound_of(whole: str, head: str) -> bool:
    """``whole`` is a compound ending in ``head``: "rykkergebyr" of "gebyr" (the head at least five letters and
    the modifier three: "lufthavn" is no "havn", "psykiatriplan" no "plan")."""
    return len(head) >= 5 and len(whole) - len(head) >= 3 and whole.endswith(head)
