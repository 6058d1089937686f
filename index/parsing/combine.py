"""Combine the structure signals into agenda items with their titles, case numbers and sections.

Strongest first: the document's declared structure (PDF outline, contents page or agenda list, HTML and DOCX
heading levels), typography, the consistency of the numbering, and the Danish cue words. Nothing here knows a
particular municipality or publishing system.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from index.parsing.document import OutlineEntry
from index.parsing.signals.cases import find_cases, is_case_line
from index.parsing.signals.contents import find_contents
from index.parsing.signals.headings import heading_date, recurring_headings, section_heading
from index.parsing.signals.numbering import Candidate, best_chain, candidate
from index.parsing.signals.outline import normalise, outline_titles
from index.parsing.signals.typography import body_size, has_typography, heading_strength
from index.types import Line

LOOKAHEAD = 8
CLOSED = re.compile(r"^(?:lukket(?:\s+punkt)?|fortroligt?(?:\s+punkt|\s+sag)?)\b", re.I)
ACCESS_WORDS = r"(?P<access>åben|åbent|offentlig|lukket|fortroligt?)"
# the access a title states after it: 'Godkendelse af dagsorden (Åben)', 'Personalesag (Lukket)'
ACCESS_MARK = re.compile(rf"\s*\({ACCESS_WORDS}\)\s*$", re.I)
# ... or before it: '5 (Offentlig) Godkendelse af dagsorden', '9 (Lukket) Køb af areal'
LEADING_ACCESS = re.compile(rf"^\({ACCESS_WORDS}\)\s*", re.I)
CLOSED_TEXT = re.compile(r"\b(lukket punkt|for lukkede døre|lukket møde|behandlet lukket|åben/lukket:?\s+lukket)\b",
                         re.I)
# an item for staff, not the public: "Internt punkt", "Intern: Status på rekruttering", "Kun til intern brug"
INTERNAL = re.compile(r"^(?:intern(?:t)?\s+punkt\b|intern\s*:)", re.I)
INTERNAL_TEXT = re.compile(r"\b(internt punkt|kun til intern brug|ikke offentligt punkt)\b", re.I)
# lines that belong to the page furniture or the meeting, never to an item's title
NOT_TITLE = re.compile(r"(\bside\s+\d+\b|\bdato:|^mødested\b|^sted:|^tidspunkt\b|^kl\.\s*\d)", re.I)


@dataclass
class RawSection:
    name: str
    kind: str
    page: int
    lines: list[Line] = field(default_factory=list)
    heading: str = ""
    date: str | None = None


@dataclass
class RawItem:
    number: str
    title: str
    heading_page: int
    group: str | None = None
    heading: str = ""
    cases: list[str] = field(default_factory=list)
    case_line: str | None = None
    sections: list[RawSection] = field(default_factory=list)
    closed: bool = False
    internal: bool = False


@dataclass
class Structure:
    front: list[Line]
    items: list[RawItem]
    numbered: bool = True


class Signals:
    """Everything known about each line before items are chosen."""

    def __init__(self, lines: list[Line], outline: list[OutlineEntry], width: int = 0) -> None:
        self.lines = lines
        self.width = width
        self.texts = [ln.text.strip() for ln in lines]
        self.body = body_size(lines)
        self.typed = has_typography(lines)
        self.strength = [heading_strength(ln, self.body) if self.typed else 0.0 for ln in lines]
        self.outline = outline_titles(outline)
        self.candidates = [c for i, t in enumerate(self.texts)
                           if (c := candidate(i, t, self.strength[i] >= 0.5)) is not None]
        self._merge_number_only_lines()
        self.contents = find_contents(self.texts, self.candidates)
        self.case_lines = {i for i, t in enumerate(self.texts) if is_case_line(t)}
        self.section_lines = {i for i, t in enumerate(self.texts) if section_heading(t)}

    def _merge_number_only_lines(self) -> None:
        """'3.' or 'Punkt 3' alone on a line takes the next line as its title."""
        merged = []
        for cand in self.candidates:
            following = cand.index + 1
            if not cand.title and following < len(self.texts) and self.texts[following][:1].isupper():
                cand = Candidate(cand.index, cand.number, self.texts[following], cand.style, cand.value,
                                 cand.explicit)
            if cand.title or cand.explicit:
                merged.append(cand)
        self.candidates = merged

    def evidence(self, cand: Candidate) -> float:
        score = 0.5 if cand.explicit else 0.0
        window = range(cand.index + 1, min(cand.index + 1 + LOOKAHEAD, len(self.texts)))
        if any(i in self.case_lines for i in window[:6]):
            score += 2.0
        if any(i in self.section_lines for i in window):
            score += 1.5
        strength = self.strength[cand.index]
        if self.typed:
            score += 1.5 * strength if strength else -1.0
        title = normalise(cand.title)
        if title and any(title.startswith(t) or t.startswith(title) for t in self.outline):
            score += 2.0
        if cand.index in self.contents.lines:
            score -= 6.0
        elif self.contents.title_for(cand.number) and _same_title(cand.title, self.contents.title_for(cand.number)):
            score += 2.0
        elif title in self.contents.normalised:
            score += 1.5
        words = cand.title.split()
        if cand.title.endswith(".") and len(words) > 8:
            score -= 1.0
        if len(cand.title) > 110:
            score -= 1.0
        if NOT_TITLE.search(cand.title) and not cand.explicit:
            score -= 1.0
        return score

    def edge(self, first: Candidate, second: Candidate) -> float:
        between = second.index - first.index - 1
        if between <= 0:
            # a closed or empty item is its title alone ('120. Salg af grund (Lukket)' right before '121. …'); a
            # run of such lines is an agenda list, which the contents signal finds
            return 0.25 if _closed_title(first.title) else 0.0
        # one line of text is a short item (common in association minutes); none at all is a list
        return 0.25 if between == 1 else 0.5


def _closed_title(title: str) -> bool:
    mark = ACCESS_MARK.search(title) or LEADING_ACCESS.match(title)
    return bool(CLOSED.match(title)) or bool(mark and mark.group("access").lower().startswith(("luk", "fort")))


def _same_title(title: str, listed: str) -> bool:
    a, b = normalise(title), normalise(listed)
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def split_items(lines: list[Line], outline: list[OutlineEntry] | None = None, width: int = 0) -> Structure:
    """Split cleaned lines into front matter and agenda items with their sections.

    ``width`` is the typical line width of a wrapped format (PDF, text); 0 where a line is a paragraph.
    """
    signals = Signals(lines, outline or [], width)
    chain, score = best_chain(signals.candidates, signals.evidence, signals.edge)
    accepted = bool(chain) and score >= 1.5 and (len(chain) >= 2 or score >= 2.0)
    if accepted:
        heads = [(c.index, c.number, c.title) for c in chain]
        groups = _groups(signals, chain)
        numbered = True
    else:
        heads = _unnumbered_heads(signals)
        groups = {}
        numbered = False
        if not heads:
            return Structure(lines, [], numbered=False)
    items: list[RawItem] = []
    starts = [h[0] for h in heads]
    for position, (index, number, title) in enumerate(heads):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        # a group heading ('2. Regionalpolitiske sager') before the next item is not this item's text
        end = min([end, *(g for g in groups if index < g < end)])
        group = groups.get(_previous_group(groups, index)) if groups else None
        items.append(_read_item(signals, index, number, title, end, group))
    _apply_recurring_headings(items)
    front = [ln for i, ln in enumerate(lines[: starts[0]]) if i not in groups]
    return Structure(front, items, numbered=numbered)


def _previous_group(groups: dict[int, str], index: int) -> int | None:
    before = [g for g in groups if g < index]
    return max(before) if before else None


def _groups(signals: Signals, chain: list[Candidate]) -> dict[int, str]:
    """Depth-one lines that head a run of sub-numbered items ('1. Godkendelsessager' before '1.1.')."""
    if len(chain[0].value) < 2:
        return {}
    chosen = {c.index for c in chain}
    groups: dict[int, str] = {}
    for cand in signals.candidates:
        if len(cand.value) != 1 or cand.index in chosen or cand.index in signals.contents.lines:
            continue
        following = next((c for c in chain if c.index > cand.index), None)
        if following and following.value[0] == cand.value[0] and following.index - cand.index <= 2:
            groups[cand.index] = signals.texts[cand.index]
    return groups


def _capital_heads(signals: Signals) -> list[tuple[int, str, str]]:
    """Plain text without numbers: headings written in capitals, each followed by running text."""
    heads = []
    for index, text in enumerate(signals.texts[:-1]):
        letters = [c for c in text if c.isalpha()]
        if (len(letters) >= 6 and text.isupper() and len(text) <= 100 and not section_heading(text)
                and not signals.texts[index + 1].isupper()
                and not (_is_document_title(text) and (index < 5 or len(text.split()) <= 2))):
            heads.append((index, str(len(heads) + 1), text))
    return heads if len(heads) >= 2 else []


def _unnumbered_heads(signals: Signals) -> list[tuple[int, str, str]]:
    """Without numbers: the top level of headings the document declares or draws (position numbers them)."""
    if not signals.typed:
        return _capital_heads(signals)
    levels: dict[tuple, list[int]] = {}
    for index, line in enumerate(signals.lines):
        text = signals.texts[index]
        if signals.strength[index] < 0.5 or section_heading(text) or index in signals.case_lines:
            continue
        if len(text) > 120 or not text[:1].isupper() or NOT_TITLE.search(text) or (text.endswith((".", ",", ";")) \
                and len(text.split()) > 8):
            continue
        following = signals.texts[index + 1] if index + 1 < len(signals.texts) else ""
        if not following:
            continue
        key = (line.level or 9, round(line.size or signals.body, 0), line.bold)
        levels.setdefault(key, []).append(index)
    # the most prominent style that recurs: lowest declared level, then largest size
    ranked = sorted((k for k, v in levels.items() if len(v) >= 2), key=lambda k: (k[0], -k[1], not k[2]))
    for key in ranked:
        indices = levels[key]
        # a style whose lines are all directly followed by another such line is a list, not headings
        if sum(1 for a, b in itertools.pairwise(indices) if b - a > 1) < len(indices) // 2:
            continue
        # the first such heading may be the document's own title; skip it when nothing but meta follows
        heads = [(i, str(n), signals.texts[i]) for n, i in enumerate(indices, start=1)]
        if len(heads) >= 2 and heads[0][0] < 3 and _is_document_title(signals.texts[heads[0][0]]):
            heads = [(i, str(n), t) for n, (i, _, t) in enumerate(heads[1:], start=1)]
        if len(heads) >= 2:
            return heads
    return []


def _is_document_title(text: str) -> bool:
    return bool(re.search(r"\b(referat|dagsorden|protokol|møde)\b", text, re.I))


def _read_item(signals: Signals, start: int, number: str, title: str, end: int, group: str | None) -> RawItem:
    lines, texts = signals.lines, signals.texts
    item = RawItem(number=number, title=title, heading_page=lines[start].page, group=group, heading=texts[start])
    i = start + 1
    if not texts[start].removeprefix(number).strip(" .:)") and i < end and texts[i] == title:
        i += 1  # the number stood alone; its title was the next line
    listed = signals.contents.title_for(number)
    title_lines = 0
    while i < end:
        text = texts[i]
        if section_heading(text):
            break
        if i in signals.case_lines:
            item.cases.extend(c for c in find_cases(text) if c not in item.cases)
            item.case_line = text if item.case_line is None else f"{item.case_line}\n{text}"
            i += 1
            continue
        if listed and normalise(item.title) == normalise(listed):
            break
        joined = f"{item.title} {text}".strip()
        if listed and normalise(listed).startswith(normalise(joined)):
            item.title, title_lines, i = joined, title_lines + 1, i + 1
            continue
        if listed or item.cases or title_lines >= 2 or NOT_TITLE.search(text):
            break
        # a title wraps only where lines wrap, and only when its first line filled the width
        wraps = (signals.width > 0 and not item.title.endswith((".", ":", "!", "?")) and not text.endswith(".")
                 and len(text) < 90 and len(texts[start]) >= 0.55 * signals.width)
        if signals.typed and signals.strength[start] > 0 and signals.width > 0:
            same_style = signals.strength[i] > 0 and lines[i].size == lines[start].size and lines[i].bold == lines[
                start].bold
            wraps = same_style or (wraps and len(text) < 50)
        if not wraps:
            break
        item.title, title_lines, i = joined, title_lines + 1, i + 1
    if listed and normalise(item.title).startswith(normalise(listed)) and len(item.title) > len(listed):
        rest = item.title[len(listed):].strip(" .:")
        if section_heading(rest) or is_case_line(rest) or NOT_TITLE.search(rest):
            item.title = listed  # the heading line ran on into the next element; the contents page knows the title
    while i < end and i in signals.case_lines:  # a case line under a title that ended early
        item.cases.extend(c for c in find_cases(texts[i]) if c not in item.cases)
        item.case_line = texts[i] if item.case_line is None else f"{item.case_line}\n{texts[i]}"
        i += 1
    item.title = item.title.strip()
    if item.title.endswith(".") and not re.search(r"(?:^|[\s.])\w{1,3}\.$", item.title):
        item.title = item.title[:-1].rstrip()  # 'A: Valg af dirigent.' titles the item 'Valg af dirigent'
    stated = item.title
    for mark in (ACCESS_MARK, LEADING_ACCESS):
        if mark.search(item.title) and mark.sub("", item.title):
            item.title = mark.sub("", item.title)
    item.closed = _closed_title(stated) or _closed_title(item.title)
    for line in lines[i:end]:
        _append_text(item, line)
    if not item.closed and any(CLOSED_TEXT.search(ln.text) for ln in lines[start:min(end, i + 3)]):
        item.closed = True
    item.internal = bool(INTERNAL.match(item.title)) or any(
        INTERNAL_TEXT.search(ln.text) for ln in lines[start:min(end, i + 3)])
    return item


def _append_text(item: RawItem, line: Line) -> None:
    heading = section_heading(line.text)
    if heading:
        name, kind, rest = heading
        last = item.sections[-1] if item.sections else None
        if last is not None and not last.lines and last.kind == kind:
            # 'Beslutning' then 'Udvalgets beslutning den 4. marts 2024': one section, the fuller name
            last.name, last.heading, last.date = name, f"{last.heading}\n{line.text}", heading_date(name) or last.date
            if rest:
                last.lines.append(Line(rest, line.page))
            return
        item.sections.append(RawSection(name, kind, line.page, heading=line.text, date=heading_date(name)))
        if rest:
            item.sections[-1].lines.append(Line(rest, line.page))
        return
    if not item.sections:
        item.sections.append(RawSection("Tekst", "Tekst", line.page))
    item.sections[-1].lines.append(line)


def _apply_recurring_headings(items: list[RawItem]) -> None:
    """Short lines that head text in several items are section headings too, whatever their word."""
    bodies = [[ln for s in item.sections for ln in s.lines] for item in items]
    recurring = recurring_headings(bodies)
    if not recurring:
        return
    for item in items:
        rebuilt: list[RawSection] = []
        for section in item.sections:
            current = RawSection(section.name, section.kind, section.page, heading=section.heading, date=section.date)
            rebuilt.append(current)
            for line in section.lines:
                shape = line.text.strip().rstrip(":").casefold()
                if shape in recurring:
                    name = line.text.strip().rstrip(":")
                    current = RawSection(name, _kind_of(name), line.page, heading=line.text)
                    rebuilt.append(current)
                else:
                    current.lines.append(line)
        item.sections = [s for s in rebuilt if s.lines or s.heading]


def _kind_of(name: str) -> str:
    low = name.casefold()
    if "beslut" in low or "afgørelse" in low:
        return "Beslutning"
    if "indstill" in low:
        return "Indstilling"
    return name[:1].upper() + name[1:].lower() if name.isupper() else name
