"""HTML for citation cards. Everything from the minutes is escaped: third-party text is shown, never run."""

from __future__ import annotations

import html
from urllib.parse import quote as url_quote

from assistant.answering import danish_date
from assistant.passages import sections_of
from assistant.types import Answer, Citation
from index.catalog import MinutesIndex
from index.types import PARTICIPANTS_ITEM


def text(value: object) -> str:
    """Escape for HTML, and also '$' and '`' so no template layer can evaluate minutes text."""
    return html.escape(str(value), quote=True).replace("$", "&#36;").replace("`", "&#96;")


def source_link(citation: Citation) -> str:
    return f"/kilde/{url_quote(citation.meeting_id)}#page={citation.page}"


def full_decision(index: MinutesIndex, citation: Citation) -> str | None:
    if citation.item == PARTICIPANTS_ITEM or not citation.meeting_id:
        return None
    sections = sections_of(index.item_chunks(citation.meeting_id, citation.item))
    decisions = [s.text for s in sections if s.kind == "Beslutning" and s.text.strip()]
    return "\n".join(decisions) or None


def card(index: MinutesIndex, citation: Citation, number: int) -> str:
    label = "deltagerlisten" if citation.item == PARTICIPANTS_ITEM else f"punkt {citation.item} – {citation.title}"
    meta = " · ".join(p for p in (citation.case, citation.section, f"s. {citation.page}") if p)
    decision = full_decision(index, citation)
    decision_html = (
        f'<details class="beslutning"><summary>Vis hele beslutningen</summary>'
        f'<p class="beslutning-tekst">{text(decision)}</p></details>' if decision else ""
    )
    reference = citation.as_text()
    return (
        f'<article class="kilde" data-punkt="{text(citation.item)}" data-sag="{text(citation.case or "")}">'
        f'<div class="kilde-nr">[{number}]</div>'
        f'<div class="kilde-moede">{text(citation.meeting)} · {text(danish_date(citation.date))}</div>'
        f'<div class="kilde-punkt">{text(label)}</div>'
        f'<div class="kilde-meta">{text(meta)}</div>'
        f'<blockquote class="kilde-citat">{text(citation.quote)}</blockquote>'
        + (f'<div class="kilde-bemaerk">Bemærk: {text(citation.notice)}</div>' if citation.notice else "")
        + f'<div class="kilde-handlinger">'
        f'<a class="kilde-link" href="{text(source_link(citation))}" target="_blank" rel="noopener noreferrer">'
        f"Åbn referatet på side {citation.page}</a>"
        f'<button type="button" class="kopier" data-tekst="{text(reference)}" '
        f"onclick=\"navigator.clipboard && navigator.clipboard.writeText(this.dataset.tekst); "
        f"this.textContent='Kopieret';\">Kopiér kildehenvisning</button>"
        f"</div>"
        f'<code class="henvisning">{text(reference)}</code>'
        f"{decision_html}</article>"
    )


def answer_panel(index: MinutesIndex, answer: Answer | None) -> str:
    if answer is None:
        return '<div class="kilder tom">Kilderne til svaret vises her.</div>'
    parts = []
    if answer.notice:
        parts.append(f'<div class="bemaerkning">{text(answer.notice)}</div>')
    if not answer.found:
        maybe = "".join(
            f"<li>punkt {text(m.item)} – {text(m.title)} ({text(m.meeting)} {text(danish_date(m.date))})</li>"
            for m in answer.maybe_relevant
        )
        parts.append(
            '<div class="ikke-fundet"><strong>Ikke fundet i referaterne.</strong>'
            + (f"<p>Måske relevant:</p><ul>{maybe}</ul>" if maybe else "")
            + "</div>"
        )
    parts.extend(card(index, c, n) for n, c in enumerate(answer.citations, start=1))
    return '<div class="kilder">' + "".join(parts) + "</div>"


CSS = """
.kilder { display: flex; flex-direction: column; gap: 10px; }
.kilde { border: 1px solid #c9d3df; border-left: 4px solid #1f5fa8; border-radius: 6px; padding: 10px 12px;
         background: #fbfcfe; font-size: 14px; overflow-wrap: anywhere; }
.kilde-nr { float: right; color: #58677a; }
.kilde-moede { color: #58677a; font-size: 13px; }
.kilde-punkt { font-weight: 600; margin: 2px 0; }
.kilde-meta { color: #33475b; font-size: 13px; }
.kilde-citat { margin: 8px 0; padding-left: 10px; border-left: 3px solid #d5dde6; white-space: pre-line; }
.kilde-handlinger { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 4px 0; }
.kilde-link { font-weight: 600; }
.kopier { font-size: 13px; padding: 2px 8px; cursor: pointer; }
.henvisning { display: block; font-size: 12px; color: #58677a; margin-top: 4px; }
.beslutning summary { cursor: pointer; color: #1f5fa8; }
.beslutning-tekst { white-space: pre-line; }
.ikke-fundet { border: 1px solid #e0b4b4; background: #fff6f6; color: #7a2020; border-radius: 6px; padding: 10px; }
.bemaerkning { background: #fff8e1; border: 1px solid #f0d58a; border-radius: 6px; padding: 8px; }
.tom { color: #58677a; }
@media (max-width: 480px) { .kilde { font-size: 13px; padding: 8px; } }
"""
