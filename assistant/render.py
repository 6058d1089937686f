"""HTML for the conversation and its citation cards.

Everything from the minutes and from the user is escaped: text is shown as text, never run or rendered.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import quote as url_quote

from assistant.passages import sections_of
from assistant.types import Answer, Citation
from assistant.wording import danish_date
from index.catalog import MinutesIndex
from index.errors import StoreUnavailable
from index.types import PARTICIPANTS_ITEM


def text(value: object) -> str:
    """Escape for HTML, and also '$', '`' and braces so no template layer can evaluate minutes text."""
    escaped = html.escape(str(value), quote=True).replace("$", "&#36;").replace("`", "&#96;")
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def source_link(citation: Citation) -> str:
    return f"/kilde/{url_quote(citation.meeting_id)}#page={citation.page}"


def case_path(case: str) -> str:
    """Where a case's history opens (a slash in `12/27845` is kept inside the one path segment)."""
    return "/sag/" + url_quote(case.strip(), safe="")


def full_decision(index: MinutesIndex, citation: Citation) -> str | None:
    if citation.item == PARTICIPANTS_ITEM or not citation.meeting_id:
        return None
    try:
        sections = sections_of(index.item_chunks(citation.meeting_id, citation.item))
    except StoreUnavailable:
        return None  # an earlier answer stays readable while the index is away, without its full decision
    decisions = [s.text for s in sections if s.kind == "Beslutning" and s.text.strip()]
    return "\n".join(decisions) or None


def card(index: MinutesIndex, citation: Citation, number: int, anchor: str = "") -> str:
    label = "deltagerlisten" if citation.item == PARTICIPANTS_ITEM else f"punkt {citation.item} – {citation.title}"
    meta = " · ".join(text(p) for p in (citation.section, f"s. {citation.page}") if p)
    if citation.case:  # the case number opens the case's history across meetings
        meta = (f'<a class="sag-link" href="{text(case_path(citation.case))}" target="_blank" '
                f'rel="noopener noreferrer" title="Sagens historik">{text(citation.case)}</a> · {meta}')
    decision = full_decision(index, citation)
    decision_html = (
        f'<details class="beslutning"><summary>Vis hele beslutningen</summary>'
        f'<p class="beslutning-tekst">{text(decision)}</p></details>' if decision else ""
    )
    reference = citation.as_text()
    return (
        f'<article class="kilde" id="{text(anchor)}" tabindex="-1" aria-label="Kilde {number}" '
        f'data-punkt="{text(citation.item)}" data-sag="{text(citation.case or "")}">'
        f'<div class="kilde-nr" aria-hidden="true">[{number}]</div>'
        f'<div class="kilde-moede">{text(citation.meeting)} · {text(danish_date(citation.date))}</div>'
        f'<div class="kilde-punkt">{text(label)}</div>'
        f'<div class="kilde-meta">{meta}</div>'
        f'<blockquote class="kilde-citat">{text(citation.quote)}</blockquote>'
        + (f'<div class="kilde-bemaerk">Bemærk: {text(citation.notice)}</div>' if citation.notice else "")
        + f'<div class="kilde-handlinger">'
        f'<a class="kilde-link" href="{text(source_link(citation))}" target="_blank" rel="noopener noreferrer">'
        f'Åbn referatet på side {citation.page}<span class="sr-only"> (åbner i et nyt vindue)</span></a>'
        f'<button type="button" class="kopier" data-tekst="{text(reference)}">Kopiér kildehenvisning</button>'
        f"</div>"
        f'<code class="henvisning">{text(reference)}</code>'
        f"{decision_html}</article>"
    )


REFERENCE = re.compile(r"\[(\d{1,3})\]")


def marked_answer(answer: str, count: int) -> list[tuple[str, int | None]]:
    """The answer as text pieces and markers: an LLM's own references [n] are renumbered in order of first use
    (the order of its citations); an extractive answer gets [1]…[count] after the quote each citation stands
    for, or at the end when a quote is not in the text (a participants line, for example)."""
    if REFERENCE.search(answer):
        order: dict[str, int] = {}
        pieces: list[tuple[str, int | None]] = []
        last = 0
        for match in REFERENCE.finditer(answer):
            pieces.append((answer[last : match.start()], None))
            number = order.setdefault(match.group(1), len(order) + 1)
            pieces.append(("", number) if number <= count else (match.group(0), None))
            last = match.end()
        pieces.append((answer[last:], None))
        return pieces
    return [(answer, None)] + [("", n) for n in range(1, count + 1)] if count else [(answer, None)]


def _placed(answer: str, quotes: list[str]) -> list[tuple[str, int | None]]:
    """Extractive answers: each marker after the end of its quote in the answer, the rest at the end."""
    positions: list[tuple[int, int]] = []
    unplaced: list[int] = []
    for number, quote in enumerate(quotes, start=1):
        end = _quote_end(answer, quote.strip())
        if end is None:
            unplaced.append(number)
        else:
            positions.append((end, number))
    pieces: list[tuple[str, int | None]] = []
    last = 0
    for end, number in sorted(positions):
        pieces.append((answer[last:end], None))
        pieces.append(("", number))
        last = end
    pieces.append((answer[last:], None))
    pieces.extend(("", n) for n in unplaced)
    return pieces


LIST_END = re.compile(r";|\n|\.(?:\s|$)")


def _quote_end(answer: str, quote: str) -> int | None:
    """Where the marker for a quote goes: after the quote, or, when the answer restates it (a participants line
    'Navn (C) Kommune' as 'Navn (C), Kommune'), after the list entry that starts with the quote's first words."""
    if not quote:
        return None
    at = answer.find(quote)
    if at >= 0:
        return at + len(quote)
    words = quote.split()
    for size in range(min(len(words), 6), 1, -1):
        prefix = " ".join(words[:size])
        at = answer.find(prefix)
        if at >= 0:
            stop = LIST_END.search(answer, at + len(prefix))
            return stop.start() if stop else len(answer)
    return None


def answer_pieces(answer: Answer) -> list[tuple[str, int | None]]:
    if REFERENCE.search(answer.answer):
        return marked_answer(answer.answer, len(answer.citations))
    return _placed(answer.answer, [c.quote for c in answer.citations])


def _answer_html(pieces: list[tuple[str, int | None]], turn: int) -> str:
    out = []
    for piece, number in pieces:
        if number is None:
            out.append(text(piece))
        else:
            out.append(f'<a class="markoer" href="#kilde-{turn}-{number}" aria-label="Kilde {number}">'
                       f"[{number}]</a>")
    return "".join(out)


def ask_about(item) -> str:
    """The question a 'Måske relevant' link asks: names the item and its meeting, so both routes find it."""
    return f"Hvad står der om punkt {item.item} ({item.title}) på mødet den {danish_date(item.date)}?"


def turn_html(index: MinutesIndex, number: int, question: str, answer: Answer | None, partial: str = "",
              sources_open: bool = True, error: str | None = None) -> str:
    parts = [
        f'<section class="tur" id="tur-{number}" aria-label="Spørgsmål {number}">',
        f'<p class="spoergsmaal-boble"><span class="sr-only">Du spurgte: </span>{text(question)}</p>',
    ]
    if answer is None and error:
        parts.append(f'<div class="svar fejl" role="alert"><span class="sr-only">Svar: </span>{text(error)}</div>')
        parts.append("</section>")
        return "".join(parts)
    if answer is None:
        body = text(partial) if partial else "Søger i referaterne …"
        parts.append(f'<div class="svar venter" role="status"><span class="sr-only">Svar: </span>{body}</div>')
        parts.append("</section>")
        return "".join(parts)
    if not answer.found and answer.maybe_relevant:
        # the nearby items follow as links that ask about them, not as a line of text
        answer = replace(answer, answer=answer.answer.split("\nMåske relevant:")[0])
    parts.append(f'<div class="svar"><span class="sr-only">Svar: </span>{_answer_html(answer_pieces(answer), number)}'
                 "</div>")
    if answer.notice:
        parts.append(f'<div class="bemaerkning">{text(answer.notice)}</div>')
    if not answer.found and answer.maybe_relevant:
        links = "".join(
            f'<li><button type="button" class="spoerg-om" data-spoerg="{text(ask_about(m))}">'
            f"punkt {text(m.item)} – {text(m.title)} ({text(m.meeting)} {text(danish_date(m.date))})</button></li>"
            for m in answer.maybe_relevant
        )
        parts.append('<div class="maaske"><p>Måske relevant – vælg et punkt for at spørge om det:</p>'
                     f"<ul>{links}</ul></div>")
    if answer.citations:
        cards = "".join(card(index, c, n, f"kilde-{number}-{n}") for n, c in enumerate(answer.citations, start=1))
        count = len(answer.citations)
        parts.append(
            f'<details class="kilder"{" open" if sources_open else ""}>'
            f'<summary>Kilder ({count})</summary><div class="kilde-liste">{cards}</div></details>'
        )
    parts.append("</section>")
    return "".join(parts)


def conversation_html(index: MinutesIndex, turns: list[dict], compact: bool = False,
                      partial: str = "", examples: tuple[str, ...] = ()) -> str:
    """The whole conversation; each answer with its own sources. `turns`: {'question', 'answer'}.

    Before the first question it shows a hint and the example questions, each asked at a click."""
    if not turns:
        hint = "Stil et spørgsmål om mødereferaterne. Svaret citerer referatets egne ord med kilde."
        inner = f'<p class="tom">{hint}</p>'
        if examples:
            buttons = "".join(f'<li><button type="button" class="eksempel" data-spoerg="{text(e)}">{text(e)}'
                              "</button></li>" for e in examples)
            inner += f'<p class="tom">Prøv fx:</p><ul class="eksempler" aria-label="Eksempler">{buttons}</ul>'
    else:
        inner = "".join(
            turn_html(index, n, t["question"], t.get("answer"), partial if n == len(turns) else "",
                      sources_open=not compact, error=t.get("error"))
            for n, t in enumerate(turns, start=1)
        )
    return f'<div class="samtale-log" role="log" aria-label="Samtale" tabindex="0">{inner}</div>'


CONVERSATION_JS = """
element.addEventListener('click', (event) => {
  const ask = event.target.closest('[data-spoerg]');
  if (ask) { event.preventDefault(); trigger('click', {spoerg: ask.dataset.spoerg}); return; }
  const copy = event.target.closest('button.kopier');
  if (copy) {
    if (navigator.clipboard) navigator.clipboard.writeText(copy.dataset.tekst);
    copy.textContent = 'Kopieret';
    return;
  }
  const mark = event.target.closest('a.markoer');
  if (mark) {
    event.preventDefault();
    const target = element.querySelector(mark.getAttribute('href'));
    if (target) {
      const box = target.closest('details');
      if (box) box.open = true;
      target.focus({preventScroll: true});
      target.scrollIntoView({block: 'nearest'});
    }
  }
});
let shown = 0;
const showLatest = () => {
  const log = element.querySelector('.samtale-log');
  const turns = element.querySelectorAll('.tur');
  if (!log || turns.length === shown) return;
  shown = turns.length;
  const last = turns[turns.length - 1];
  if (last) log.scrollTop = last.offsetTop - 8;
};
watch('value', showLatest);
"""


CSS = """
:root, .dark { --focus-ring: #1f5fa8; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
           clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible, textarea:focus-visible,
[tabindex]:focus-visible, [role="tab"]:focus-visible { outline: 3px solid var(--focus-ring) !important;
  outline-offset: 2px; }
.sidehoved h1 { font-size: 1.4rem; margin: 0; }
.sidehoved p { margin: 0; color: #3b4a5c; }
.afgraensning { font-size: 14px; color: #33475b; margin: 0; }
.samtale-log { position: relative; height: calc(100vh - 292px); min-height: 300px; overflow-y: auto;
               border: 1px solid #c9d3df; border-radius: 8px; padding: 8px 12px; background: #fff; }
#samtale .html-container { padding: 0 !important; }
.tur { margin: 0 0 18px; }
.spoergsmaal-boble { margin: 6px 0 8px auto; max-width: 85%; width: fit-content; background: #e8f0fb;
                     border-radius: 12px; padding: 8px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.svar { white-space: pre-line; overflow-wrap: anywhere; line-height: 1.5; }
.svar.venter { color: #3b4a5c; font-style: italic; }
.svar.fejl { color: #8a1c12; background: #fdecea; border: 1px solid #f3b8b1; border-radius: 6px; padding: 8px; }
.markoer { font-size: 0.85em; font-weight: 600; text-decoration: none; margin-left: 2px; color: #1f5fa8; }
.markoer:hover { text-decoration: underline; }
details.kilder { margin-top: 8px; }
details.kilder > summary { cursor: pointer; color: #1f5fa8; font-weight: 600; padding: 2px 0; }
.kilde-liste { display: flex; flex-direction: column; gap: 8px; margin-top: 6px; }
.kilde { border: 1px solid #c9d3df; border-left: 4px solid #1f5fa8; border-radius: 6px; padding: 8px 12px;
         background: #fbfcfe; font-size: 14px; overflow-wrap: anywhere; }
.kilde-nr { float: right; color: #4a5a6d; }
.kilde-moede { color: #4a5a6d; font-size: 13px; }
.kilde-punkt { font-weight: 600; margin: 2px 0; }
.kilde-meta { color: #33475b; font-size: 13px; }
.sag-link { color: #1f5fa8; font-weight: 600; }
.kilde-citat { margin: 6px 0; padding-left: 10px; border-left: 3px solid #c9d3df; white-space: pre-line; }
.kilde-handlinger { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 4px 0; }
.kilde-link { font-weight: 600; color: #1f5fa8; }
.kopier { font-size: 13px; padding: 2px 8px; cursor: pointer; border: 1px solid #7d8ea3; border-radius: 4px;
          background: #fff; color: #1f2937; }
.henvisning { display: block; font-size: 12px; color: #4a5a6d; margin-top: 4px; }
.beslutning summary { cursor: pointer; color: #1f5fa8; }
.beslutning-tekst { white-space: pre-line; }
.maaske { border: 1px solid #e0b4b4; background: #fff6f6; border-radius: 6px; padding: 8px 10px; margin-top: 6px; }
.maaske p { margin: 0 0 4px; color: #7a2020; }
.maaske ul { margin: 0; padding-left: 18px; }
.spoerg-om { background: none; border: none; padding: 2px 0; color: #1f5fa8; text-decoration: underline;
             cursor: pointer; text-align: left; font: inherit; }
.bemaerkning { background: #fff8e1; border: 1px solid #f0d58a; border-radius: 6px; padding: 8px; margin-top: 6px; }
.tom { color: #3b4a5c; margin: 4px 0; }
.eksempler { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-direction: column; gap: 6px;
             align-items: flex-start; }
.eksempel { border: 1px solid #7d8ea3; border-radius: 14px; background: #f4f7fb; color: #1f2937; padding: 4px 12px;
            cursor: pointer; font: inherit; text-align: left; }
.eksempel:hover { background: #e8f0fb; }
.fuld-visning { font-size: 13px; color: #1f5fa8; }
.kompakt-top { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
@media (max-width: 480px) { .kilde { font-size: 13px; padding: 6px 8px; } .spoergsmaal-boble { max-width: 95%; } }
"""

# the widget in a 360–400 px iframe: no page margins, small gaps, the conversation fills the frame
WIDGET_CSS = """
.gradio-container .main.app { padding: 4px 6px !important; }
.gradio-container .column, .gradio-container .row { gap: 6px !important; }
.samtale-log { height: calc(100vh - 104px); min-height: 200px; padding: 4px 8px; }
.kompakt-top { font-size: 14px; }
"""
