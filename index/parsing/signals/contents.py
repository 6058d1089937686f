"""A contents page or agenda list: item titles given up front ('Indholdsfortegnelse', 'Dagsorden: 1. … 2. …').

Its lines are not the items themselves; its titles tell which later lines are, and give the titles exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.parsing.signals.numbering import Candidate
from index.parsing.signals.outline import normalise

# 'Godkendelse af dagsorden ........ 3', 'Godkendelse af dagsorden … 3', 'Godkendelse af dagsorden\t3'
CONTENTS_HEADING = re.compile(r"^(indholdsfortegnelse|indhold|dagsorden|punkt\s*nr\.?\s+side)\b", re.I)
LEADER_PAGE = re.compile(r"^(?P<title>.*?\S)\s*(?:\.{3,}|…+|_{3,}|\t+| {3,})\s*(?P<page>\d{1,4})$")


@dataclass
class Contents:
    lines: set[int] = field(default_factory=set)
    titles: dict[str, str] = field(default_factory=dict)
    normalised: set[str] = field(default_factory=set)

    def title_for(self, number: str) -> str | None:
        return self.titles.get(number)


def find_contents(texts: list[str], candidates: list[Candidate]) -> Contents:
    contents = Contents()
    by_index = {c.index: c for c in candidates}
    # lines with leaders and a page number, in runs of three or more
    run: list[int] = []
    for index, text in enumerate([*texts, ""]):
        if LEADER_PAGE.match(text.strip()):
            run.append(index)
            continue
        announced = bool(run) and any(CONTENTS_HEADING.match(t.strip()) for t in texts[max(0, run[0] - 3) : run[0]])
        if len(run) >= 3 or announced:
            for line in run:
                match = LEADER_PAGE.match(texts[line].strip())
                title = match.group("title")
                cand = by_index.get(line)
                if cand:
                    title = LEADER_PAGE.match(cand.title).group("title") if LEADER_PAGE.match(cand.title) else title
                    contents.titles.setdefault(cand.number, title.strip())
                contents.lines.add(line)
                contents.normalised.add(normalise(title))
        run = []
    # numbered lines of one style that follow each other with no text between: an agenda list
    ordered = sorted(candidates, key=lambda c: c.index)
    streak: list[Candidate] = []
    for cand in [*ordered, None]:
        if (cand is not None and streak and cand.style == streak[-1].style and cand.value > streak[-1].value
                and (cand.index - streak[-1].index == 1
                     or (cand.index - streak[-1].index == 2 and _wrapped_title(texts[cand.index - 1])))):
            streak.append(cand)
            continue
        # a list opens the numbering; consecutive title-only items after numbered items with text (closed
        # items at the end of the agenda) continue it
        opens = not any(c.style == streak[0].style and c.index < streak[0].index and c.value < streak[0].value
                        for c in ordered) if streak else False
        if len(streak) >= 3 and opens:
            for member in streak:
                contents.lines.add(member.index)
                title = member.title
                leader = LEADER_PAGE.match(title)
                if leader:
                    title = leader.group("title")
                contents.titles.setdefault(member.number, title.strip())
                contents.normalised.add(normalise(title))
        streak = [cand] if cand is not None else []
    return contents


def _wrapped_title(text: str) -> bool:
    """The one line between two listed titles continues the first: short and no sentence. A sentence there is
    the text of a one-line item ('Ad 8. Valg af revisor' / 'Revisor X blev genvalgt.'), not a list."""
    stripped = text.strip()
    return not stripped or (len(stripped) <= 60 and not stripped.endswith((".", "!", "?")))
