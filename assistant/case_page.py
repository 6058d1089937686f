"""The case view a person opens from a citation card: every treatment of the case, oldest first.

A plain HTML page served beside `/kilde` (no Gradio): each treatment with its date, body, item and verbatim
decision, and a link that opens the minutes at the decision's page. Everything from the minutes is escaped.
"""

from __future__ import annotations

from urllib.parse import quote

from assistant.render import text
from assistant.wording import danish_date
from index.cases import CaseHistory, Treatment


def _treatment(treatment: Treatment, may_open: set[str]) -> str:
    decision = treatment.decision
    page = decision.page if decision else None
    if treatment.meeting_id in may_open:
        target = f"/kilde/{quote(treatment.meeting_id)}" + (f"#page={page}" if page else "")
        label = f"Åbn referatet på side {page}" if page else "Åbn referatet"
        link = (f'<a class="kilde-link" href="{text(target)}" target="_blank" rel="noopener noreferrer">'
                f'{label}<span class="sr-only"> (åbner i et nyt vindue)</span></a>')
    else:
        link = '<span class="ingen-adgang">Referatet indeholder punkter, din rolle ikke har adgang til.</span>'
    said = (f'<div class="kilde-meta">{text(decision.section)} · s. {decision.page}</div>'
            f'<blockquote class="kilde-citat">{text(decision.text)}</blockquote>' if decision
            else '<p class="ingen-beslutning">Punktet har ingen beslutning i referatet.</p>')
    return (f'<li class="behandling"><h2><time datetime="{text(treatment.date)}">'
            f'{text(danish_date(treatment.date))}</time> · {text(treatment.body)}</h2>'
            f'<div class="kilde-punkt">Punkt {text(treatment.item)} – {text(treatment.title)}</div>'
            f'{said}<div class="kilde-handlinger">{link}</div></li>')


def case_page_html(history: CaseHistory, may_open: set[str]) -> str:
    count = len(history.treatments)
    last = next((t for t in reversed(history.treatments) if t.decision), None)
    summary = (f"{count} behandling{'er' if count != 1 else ''}, ældste først."
               + (f" Seneste beslutning: {danish_date(last.date)} ({last.body})." if last else ""))
    items = "".join(_treatment(t, may_open) for t in history.treatments)
    return f"""<!doctype html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sag {text(history.case)} – referat</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; color: #1f2937; }}
h1 {{ font-size: 1.5rem; margin-bottom: .25rem; }}
.resume {{ color: #4a5a6d; margin-top: 0; }}
ol {{ list-style: none; padding: 0; border-left: 3px solid #1f5fa8; }}
.behandling {{ margin: 0 0 1.25rem 0; padding: .25rem 0 .25rem 1rem; }}
.behandling h2 {{ font-size: 1.05rem; margin: 0 0 .25rem 0; }}
.kilde-punkt {{ font-weight: 600; }}
.kilde-meta, .ingen-beslutning, .ingen-adgang {{ color: #4a5a6d; font-size: .9rem; }}
.kilde-citat {{ margin: .4rem 0; padding-left: .6rem; border-left: 3px solid #c9d3df; white-space: pre-line; }}
.kilde-link {{ font-weight: 600; color: #1f5fa8; }}
.kilde-link:focus-visible {{ outline: 3px solid #1f5fa8; outline-offset: 2px; }}
.sr-only {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
</style></head>
<body><main>
<h1>Sag {text(history.case)}</h1>
<p class="resume">{text(summary)}</p>
<ol class="historik">{items}</ol>
</main></body></html>"""


def missing_case_html(case: str) -> str:
    return (f'<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Sagen findes ikke – referat</title>'
            f'</head><body style="font-family:system-ui,sans-serif;margin:2rem"><h1>Sagen findes ikke</h1>'
            f'<p>Sagen {text(case.strip())} findes ikke i de indekserede referater.</p></body></html>')
