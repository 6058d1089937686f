"""The web app: the Gradio chat at /, the compact widget at /widget, the JSON API at /api, docs at /docs."""

from __future__ import annotations

import hmac
import os
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
from fastapi import FastAPI

from assistant.api import (
    api_router,
    install_body_limit,
    install_error_handlers,
    install_security_headers,
    source_router,
)
from assistant.config import Settings, get_settings
from assistant.render import CSS, answer_panel
from assistant.service import Assistant

ALL_MEETINGS = "Alle møder"
EXAMPLES = [
    "Hvem blev udpeget til den nationale politiske udviklingsgruppe?",
    "Hvad stiger taksten i Børnehus Nord til?",
    "Hvem havde meldt afbud til mødet?",
    "Hvornår afholdes næste møde?",
]
THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])  # no web fonts: offline


def meeting_choices(assistant: Assistant) -> list[str]:
    assistant.index.refresh()
    return [ALL_MEETINGS] + [f"{r.body} {r.date}" for r in reversed(assistant.index.meetings())]


def chat_blocks(assistant: Assistant, settings: Settings, compact: bool) -> gr.Blocks:
    """The chat; `compact` drops the staff area and examples and fits a 360 px iframe."""
    with gr.Blocks(title="referat – spørg mødereferaterne", analytics_enabled=False) as blocks:
        if not compact:
            gr.Markdown("## referat\nStil spørgsmål om mødereferaterne. Svarene citerer referatets egne ord "
                        "med sag, punkt, afsnit og side.")
        with gr.Tab("Spørg"):
            meeting = gr.Dropdown(choices=meeting_choices(assistant), value=ALL_MEETINGS, label="Møde",
                                  visible=not compact, elem_id="moedefilter")
            chatbot = gr.Chatbot(label="Samtale", height=260 if compact else 420, render_markdown=False,
                                 sanitize_html=True, buttons=[], elem_id="samtale", feedback_options=None)
            with gr.Row():
                question = gr.Textbox(placeholder="Skriv dit spørgsmål …", show_label=False, scale=5,
                                      elem_id="spoergsmaal", max_length=settings.max_question_chars)
                send = gr.Button("Spørg", variant="primary", scale=1, min_width=70, elem_id="spoerg")
            sources = gr.HTML(answer_panel(assistant.index, None), elem_id="kilder")
            if not compact:
                gr.Examples(EXAMPLES, inputs=question, label="Eksempler")

            def respond(text: str, history: list[dict], chosen: str):
                text = (text or "").strip()
                if not text:
                    raise gr.Error("Skriv et spørgsmål først.")
                previous = [{"role": t["role"], "content": _plain(t["content"])} for t in history or []]
                conversation = [*previous, {"role": "user", "content": text}, {"role": "assistant", "content": ""}]
                yield conversation, "", answer_panel(assistant.index, None)
                scope = None if chosen in (None, ALL_MEETINGS) else chosen
                for event in assistant.stream(text, history=previous, meeting=scope):
                    if isinstance(event, str):
                        conversation[-1]["content"] += event
                        yield conversation, "", gr.skip()
                    else:
                        conversation[-1]["content"] = event.answer
                        yield conversation, "", answer_panel(assistant.index, event)

            # the JSON API is the machine interface; Gradio's own endpoints serve only this page
            send.click(respond, [question, chatbot, meeting], [chatbot, question, sources], api_visibility="private")
            question.submit(respond, [question, chatbot, meeting], [chatbot, question, sources],
                            api_visibility="private")
        if not compact and settings.admin_password:
            staff_area(assistant, settings, meeting)
        blocks.load(lambda: gr.update(choices=meeting_choices(assistant)), None, meeting, api_visibility="private")
    return blocks


def _plain(content) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def staff_area(assistant: Assistant, settings: Settings, meeting_filter: gr.Dropdown) -> None:
    """Upload, list and remove minutes; every handler checks the login itself."""
    from index.ingest import ingest_paths, remove_meeting

    with gr.Tab("Administration", elem_id="administration"):
        logged_in = gr.State(False)
        with gr.Row():
            password = gr.Textbox(type="password", label="Adgangskode", elem_id="adgangskode")
            login = gr.Button("Log ind", elem_id="logind")
        status = gr.Markdown("")
        with gr.Column(visible=False) as tools:
            upload = gr.File(file_count="multiple", file_types=[".pdf", ".txt", ".html", ".htm"],
                             label="Upload referater (PDF, tekst, HTML)", elem_id="upload")
            ingest = gr.Button("Indekser", variant="primary", elem_id="indekser")
            results = gr.Dataframe(headers=["Fil", "Resultat", "Møde", "Punkter", "Besked"], interactive=False,
                                   elem_id="resultater")
            meetings = gr.Dataframe(headers=["Dato", "Organ", "Fil", "Punkter"], interactive=False,
                                    label="Indekserede møder", elem_id="moeder")
            remove_choice = gr.Dropdown(label="Fjern møde", choices=[], elem_id="fjern-valg")
            remove = gr.Button("Fjern", variant="stop", elem_id="fjern")

        def listing():
            assistant.index.refresh()
            rows = [[r.date, r.body, r.source, r.items] for r in reversed(assistant.index.meetings())]
            return rows, gr.update(choices=[r.source for r in assistant.index.meetings()], value=None)

        def do_login(secret: str):
            ok = hmac.compare_digest((secret or "").encode(), settings.admin_password.encode())
            rows, choices = listing() if ok else ([], gr.update())
            return ok, gr.update(visible=ok), "Logget ind." if ok else "Forkert adgangskode.", rows, choices

        def do_ingest(files, ok: bool, progress=gr.Progress()):  # noqa: B008 - Gradio injects progress this way
            if not ok:
                raise gr.Error("Log ind først.")
            paths = [Path(f if isinstance(f, str) else f.name) for f in files or []]
            if not paths:
                raise gr.Error("Vælg mindst én fil.")
            progress(0, desc="Indekserer …")
            done: list = []

            def step(result) -> None:
                done.append(result)
                progress(len(done) / len(paths), desc=f"{len(done)} af {len(paths)} filer")

            def ocr_page(path: Path, page: int, pages: int) -> None:
                # a scan is OCR'd page by page: the bar moves within the file
                progress((len(done) + page / max(pages, 1)) / len(paths),
                         desc=f"OCR af {path.name}: side {page} af {pages}")

            outcome = ingest_paths(assistant.index, paths, progress=step, ocr_progress=ocr_page)
            rows = [[Path(r.path).name, r.status, r.meeting or "", r.items, r.message or ""] for r in outcome]
            table, choices = listing()
            return rows, table, choices, gr.update(choices=meeting_choices(assistant))

        def do_remove(source: str, ok: bool):
            if not ok:
                raise gr.Error("Log ind først.")
            if not source:
                raise gr.Error("Vælg et møde.")
            record = remove_meeting(assistant.index, source)
            table, choices = listing()
            message = f"Fjernet: {record.body} {record.date}." if record else "Mødet findes ikke."
            return table, choices, message, gr.update(choices=meeting_choices(assistant), value=ALL_MEETINGS)

        private = {"api_visibility": "private"}
        login.click(do_login, [password], [logged_in, tools, status, meetings, remove_choice], **private)
        ingest.click(do_ingest, [upload, logged_in], [results, meetings, remove_choice, meeting_filter], **private)
        remove.click(do_remove, [remove_choice, logged_in], [meetings, remove_choice, status, meeting_filter],
                     **private)


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    settings = settings or get_settings()

    @lru_cache(maxsize=1)
    def get_assistant() -> Assistant:
        return assistant or Assistant(settings)

    api = FastAPI(title="referat", description="Spørg mødereferater – JSON-API", docs_url="/docs",
                  redoc_url=None)
    install_error_handlers(api)
    install_security_headers(api, settings)
    install_body_limit(api, settings)
    api.include_router(api_router(get_assistant, settings))
    api.include_router(source_router(get_assistant))
    shared = get_assistant()
    common = {"footer_links": [], "ssr_mode": False, "theme": THEME, "css": CSS,
              # Gradio's own limit sits above ours, so an oversized file gets our Danish message, not its own
              "max_file_size": f"{2 * settings.max_upload_mb}mb"}
    gr.mount_gradio_app(api, chat_blocks(shared, settings, compact=True), path="/widget", **common)
    gr.mount_gradio_app(api, chat_blocks(shared, settings, compact=False), path="/", **common)
    return api


def ensure_sample(assistant: Assistant) -> None:
    """`make run` on a fresh machine: index the bundled sample when the index is empty."""
    from index.ingest import ingest_paths

    if not assistant.index.meetings():
        sample = Path(__file__).resolve().parent / "sample"
        results = ingest_paths(assistant.index, sorted(sample.glob("*.pdf")))
        print("Eksempelreferat indekseret: " + ", ".join(f"{Path(r.path).name} ({r.status})" for r in results))


def serve(host: str | None = None, port: int | None = None, ingest_sample: bool = False) -> None:
    import uvicorn

    settings = get_settings()
    assistant = Assistant(settings)
    if ingest_sample:
        ensure_sample(assistant)
    app = create_app(settings, assistant)
    host, port = host or settings.host, port or settings.port
    print(f"referat kører på http://{host}:{port}/  (widget: /widget, API: /api/ask, dokumentation: /docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":
    serve()
