"""The chat pages: the Gradio chat at / and the compact widget at /widget/ (the server is assistant/server.py)."""

from __future__ import annotations

import contextlib
import hmac
import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
from fastapi import FastAPI

from assistant.config import Settings, get_settings
from assistant.gradio_da import DANISH, HEAD
from assistant.render import CONVERSATION_JS, CSS, WIDGET_CSS, conversation_html, text
from assistant.roles import LOCAL, AccessPolicy, Viewer, audit
from assistant.scope import Scope, ScopeError
from assistant.server import api_app, shared_assistant
from assistant.service import Assistant
from index.errors import EngineError, StoreUnavailable

ALL_MEETINGS = "Alle møder"
ALL_BODIES = "Alle organer"
EXAMPLES = [
    "Hvem blev udpeget til den nationale politiske udviklingsgruppe?",
    "Hvad stiger taksten i Børnehus Nord til?",
    "Hvem havde meldt afbud til mødet?",
    "Hvornår afholdes næste møde?",
]
# no web fonts (offline); the primary colour is dark enough for white text (WCAG AA, ≥ 4.5:1)
THEME = gr.themes.Default(primary_hue=gr.themes.colors.blue, font=["system-ui", "sans-serif"],
                          font_mono=["monospace"]).set(
    button_primary_background_fill="#1f5fa8", button_primary_background_fill_hover="#174a85",
    button_primary_text_color="#ffffff", button_primary_border_color="#1f5fa8",
    button_secondary_text_color="#1f2937", body_text_color_subdued="#4a5a6d",
    input_placeholder_color="#5b6b7e", button_cancel_background_fill="#b42318",
    button_cancel_background_fill_hover="#912018", button_cancel_text_color="#ffffff",
    button_cancel_border_color="#b42318",
)
PRIVATE = {"api_visibility": "private"}  # the JSON API is the machine interface; these serve only the page


def fail(message: str) -> gr.Error:
    return gr.Error(message, title="Fejl")


def meeting_choices(assistant: Assistant, scope: Scope | None = None, clearance: str | None = None) -> list[str]:
    # the page still opens, with the meetings last seen; a question then says the index is away
    with contextlib.suppress(StoreUnavailable):
        assistant.index.refresh()
    records = [r for r in assistant.index.meetings(clearance) if scope is None or scope.admits(r)]
    return [ALL_MEETINGS] + [f"{r.body} {r.date}" for r in reversed(records)]


def body_choices(assistant: Assistant, scope: Scope | None = None, clearance: str | None = None) -> list[str]:
    bodies = sorted({r.body for r in assistant.index.meetings(clearance) if scope is None or scope.admits(r)})
    return [ALL_BODIES, *bodies]


def chosen_scope(page: Scope | None, body: str | None, period: str | None) -> Scope | None:
    """The filter's body and period; what the page's address fixes (`?organ=`, `?periode=`) stays fixed."""
    body = None if body in (None, ALL_BODIES) else body
    try:
        return Scope.of((page.organ if page else None) or body, (page.periode if page else None) or period)
    except ScopeError as error:
        raise fail(str(error)) from error


def read_scope(request: gr.Request | None) -> tuple[Scope | None, str]:
    """`?organ=` and `?periode=` from the page's address; a bad period is shown, not silently ignored."""
    params = dict(request.query_params) if request is not None else {}
    try:
        return Scope.of(params.get("organ"), params.get("periode")), ""
    except ScopeError as error:
        return None, str(error)


def scope_line(scope: Scope | None, problem: str, compact: bool, query: str) -> str:
    if problem:
        line = f'<p class="afgraensning" role="alert">{text(problem)}</p>'
    elif scope:
        line = f'<p class="afgraensning">Søger kun i: {text(scope.describe())}</p>'
    else:
        line = '<p class="afgraensning">Spørg mødereferaterne</p>' if compact else ""
    if not compact:
        return line
    full = "../" + (f"?{query}" if query else "")
    return (f'<div class="kompakt-top"><h1 class="sr-only">referat – spørg mødereferaterne</h1>{line}'
            f'<a class="fuld-visning" href="{text(full)}" target="_blank" rel="noopener">Åbn i fuld visning'
            '<span class="sr-only"> (åbner i et nyt vindue)</span></a></div>')


def page_viewer(policy: AccessPolicy, request: gr.Request | None) -> Viewer:
    """The viewer of a page event: the label the auth dependency gave Gradio; without configuration the local
    user; a configured app that somehow lacks one sees only what is public."""
    if not policy.configured:
        return LOCAL
    return Viewer.from_label(getattr(request, "username", None)) or Viewer("offentlig")


def chat_blocks(assistant: Assistant, settings: Settings, compact: bool,
                policy: AccessPolicy | None = None) -> gr.Blocks:
    """The chat; `compact` (the widget) drops the staff area, the examples and the tab bar to fit 360 px."""
    policy = policy or AccessPolicy(settings)
    index = assistant.index
    # the page's first state is sent to everyone who opens it: with roles, meetings are listed only on load
    first_clearance = "åben" if policy.configured else None
    examples = () if compact else tuple(EXAMPLES)
    with gr.Blocks(title="referat – spørg mødereferaterne", analytics_enabled=False, fill_width=compact) as blocks:
        scope = gr.State(None)
        turns = gr.State([])
        staff = not compact and bool(settings.admin_password)
        with gr.Row():
            if not compact:
                gr.HTML('<div class="sidehoved"><h1>referat</h1><p>Stil spørgsmål om mødereferaterne. Svarene '
                        "citerer referatets egne ord med sag, punkt, afsnit og side.</p></div>", elem_id="sidehoved",
                        scale=3)
            header = gr.HTML(scope_line(None, "", compact, ""), elem_id="afgraensning", scale=2)
            with gr.Column(visible=not compact, scale=2, min_width=220):
                body = gr.Dropdown(choices=body_choices(assistant, None, first_clearance), value=ALL_BODIES,
                                   label="Organ",
                                   elem_id="organfilter")
                period = gr.Textbox(label="Periode", placeholder="ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD",
                                    elem_id="periodefilter", max_lines=1)
                meeting = gr.Dropdown(choices=meeting_choices(assistant, None, first_clearance), value=ALL_MEETINGS,
                                      label="Møde",
                                      elem_id="moedefilter")
        # the tab bar only where there is a second tab (the staff area); consecutive tabs form one bar
        with gr.Tab("Spørg", elem_id="spoerg-fane") if staff else gr.Column():
            conversation = gr.HTML(conversation_html(index, [], compact, examples=examples), elem_id="samtale",
                                   js_on_load=CONVERSATION_JS)
            with gr.Row(equal_height=True):
                question = gr.Textbox(placeholder="Skriv dit spørgsmål …", label="Dit spørgsmål",
                                      show_label=False, scale=5, elem_id="spoergsmaal", lines=1,
                                      max_length=settings.max_question_chars, container=False)
                send = gr.Button("Spørg", variant="primary", scale=1, min_width=70, elem_id="spoerg")

        def respond(asked: str, history: list[dict], chosen: str, page: Scope | None, organ: str | None,
                    periode: str | None, request: gr.Request = None, standalone: bool = False):
            viewer = page_viewer(policy, request)
            within = chosen_scope(page, organ, periode)
            asked = (asked or "").strip()
            if not asked:
                raise fail("Skriv et spørgsmål først.")
            if len(asked) > settings.max_question_chars:
                raise fail(f"Spørgsmålet er for langt (højst {settings.max_question_chars} tegn).")
            previous = []
            for turn in [] if standalone else history or []:
                if turn.get("answer") is not None:
                    previous += [{"role": "user", "content": turn["question"]},
                                 {"role": "assistant", "content": turn["answer"].answer}]
            current = [*(history or []), {"question": asked, "answer": None}]
            yield conversation_html(index, current, compact, examples=examples), current, ""
            partial = ""
            meeting_scope = None if chosen in (None, ALL_MEETINGS) else chosen
            try:
                for event in assistant.stream(asked, history=previous, meeting=meeting_scope, within=within,
                                              clearance=viewer.clearance):
                    if isinstance(event, str):
                        partial += event
                        yield conversation_html(index, current, compact, partial), current, gr.skip()
                    else:
                        audit(settings, viewer, asked, [f"{c.meeting_id}/{c.item}" for c in event.citations],
                              event.found)
                        current[-1] = {"question": asked, "answer": event}
                        yield conversation_html(index, current, compact), current, gr.skip()
            except StoreUnavailable as unavailable:
                # shown in the conversation, where the answer would have been; the question can be asked again
                current[-1] = {"question": asked, "answer": None, "error": str(unavailable)}
                yield conversation_html(index, current, compact), current, gr.skip()

        def respond_to_link(history: list[dict], chosen: str, page: Scope | None, organ: str | None,
                            periode: str | None, evt: gr.EventData, request: gr.Request = None):
            data = getattr(evt, "_data", None) or {}
            asked = data.get("spoerg") if isinstance(data, dict) else None
            if not asked:
                return
            # an example or 'Måske relevant' question names its subject: no carry-over from earlier turns
            yield from respond(asked, history, chosen, page, organ, periode, request, standalone=True)

        # a question sent while the previous answer is still finishing runs after it ("once", Gradio's default,
        # drops it without a word: the answer is on screen a moment before its event completes)
        chat = {"outputs": [conversation, turns, question], "show_progress": "hidden",
                "trigger_mode": "always_last", **PRIVATE}
        filters = [meeting, scope, body, period]
        send.click(respond, [question, turns, *filters], **chat)
        question.submit(respond, [question, turns, *filters], **chat)
        conversation.click(respond_to_link, [turns, *filters], **chat)

        def narrow(page: Scope | None, organ: str | None, periode: str | None, request: gr.Request = None):
            # the meetings listed are those the body and period leave; a bad period lists all until corrected
            try:
                within = chosen_scope(page, organ, periode)
            except gr.Error:
                within = page
            clearance = page_viewer(policy, request).clearance
            return gr.update(choices=meeting_choices(assistant, within, clearance), value=ALL_MEETINGS)

        body.change(narrow, [scope, body, period], [meeting], **PRIVATE)
        period.submit(narrow, [scope, body, period], [meeting], **PRIVATE)
        period.blur(narrow, [scope, body, period], [meeting], **PRIVATE)
        if staff:
            staff_area(assistant, settings, meeting, policy)

        def on_load(request: gr.Request):
            within, problem = read_scope(request)
            query = request.url.query if request is not None else ""
            clearance = page_viewer(policy, request).clearance
            return (within, scope_line(within, problem, compact, query),
                    gr.update(choices=meeting_choices(assistant, within, clearance)),
                    gr.update(choices=body_choices(assistant, within, clearance)))

        blocks.load(on_load, None, [scope, header, meeting, body], **PRIVATE)
    return blocks


def staff_area(assistant: Assistant, settings: Settings, meeting_filter: gr.Dropdown, policy: AccessPolicy) -> None:
    """Upload, list and remove minutes; every handler checks the login itself, and with roles configured also
    that the page's user is an admin."""
    from index.ingest import ingest_paths, remove_meeting

    def say(message: str) -> str:
        return f'<p class="afgraensning" role="status">{text(message)}</p>' if message else ""

    with gr.Tab("Administration", elem_id="administration"):
        logged_in = gr.State(False)
        with gr.Row(equal_height=True) as login_box:
            password = gr.Textbox(type="password", label="Adgangskode", elem_id="adgangskode", scale=4)
            login = gr.Button("Log ind", elem_id="logind", scale=1)
        status = gr.HTML("", elem_id="status")
        with gr.Column(visible=False) as tools:
            logout = gr.Button("Log ud", elem_id="logud", size="sm")
            upload = gr.File(file_count="multiple", file_types=[".pdf", ".txt", ".html", ".htm"],
                             label="Upload referater (PDF, tekst, HTML)", elem_id="upload")
            level = gr.Radio(["åben", "intern", "lukket"], value="åben", label="Adgang til filernes punkter",
                             info="Punkter, som referatet selv markerer som lukkede eller interne, forbliver det.",
                             elem_id="adgang")
            ingest = gr.Button("Indekser", variant="primary", elem_id="indekser")
            results = gr.Dataframe(headers=["Fil", "Resultat", "Møde", "Punkter", "Besked"], interactive=False,
                                   label="Resultat af indekseringen", elem_id="resultater", buttons=[])
            meetings = gr.Dataframe(headers=["Dato", "Organ", "Fil", "Punkter"], interactive=False,
                                    label="Indekserede møder", elem_id="moeder", buttons=[])
            remove_choice = gr.Dropdown(label="Fjern møde", choices=[], elem_id="fjern-valg")
            remove = gr.Button("Fjern", variant="stop", elem_id="fjern")

        def listing():
            with contextlib.suppress(StoreUnavailable):  # else the meetings last seen
                assistant.index.refresh()
            rows = [[r.date, r.body, r.source, r.items] for r in reversed(assistant.index.meetings())]
            return rows, gr.update(choices=[r.source for r in assistant.index.meetings()], value=None)

        def do_login(secret: str, request: gr.Request = None):
            ok = hmac.compare_digest((secret or "").encode(), settings.admin_password.encode()) and \
                page_viewer(policy, request).may_manage
            rows, choices = listing() if ok else ([], gr.update())
            return (ok, gr.update(visible=ok), gr.update(visible=not ok), "",
                    say("Logget ind." if ok else "Forkert adgangskode."), rows, choices)

        def do_logout():
            return False, gr.update(visible=False), gr.update(visible=True), "", say("Logget ud."), [], \
                gr.update(choices=[], value=None)

        def do_ingest(files, chosen_level: str, ok: bool, request: gr.Request = None,
                      progress=gr.Progress()):  # noqa: B008 - Gradio injects progress this way
            if not ok or not page_viewer(policy, request).may_manage:
                raise fail("Log ind først.")
            paths = [Path(f if isinstance(f, str) else f.name) for f in files or []]
            if not paths:
                raise fail("Vælg mindst én fil.")
            progress(0, desc=f"Indekserer 1 af {len(paths)}: {paths[0].name}")
            done: list = []

            def step(result) -> None:
                done.append(result)
                upcoming = f" – nu {paths[len(done)].name}" if len(done) < len(paths) else ""
                progress(len(done) / len(paths),
                         desc=f"{len(done)} af {len(paths)} filer indekseret ({Path(result.path).name}){upcoming}")

            def ocr_page(path: Path, page: int, pages: int) -> None:
                # a scan is OCR'd page by page: the bar moves within the file
                progress((len(done) + page / max(pages, 1)) / len(paths),
                         desc=f"OCR af {path.name}: side {page} af {pages}")

            try:
                outcome = ingest_paths(assistant.index, paths, progress=step, ocr_progress=ocr_page,
                                       access=chosen_level or "åben")
            except EngineError as stopped:
                raise fail(str(stopped)) from None
            rows = [[Path(r.path).name, r.status, r.meeting or "", r.items, r.message or ""] for r in outcome]
            table, choices = listing()
            failed = sum(1 for r in outcome if r.status == "fejlet")
            message = f"{len(outcome)} filer behandlet" + (f", {failed} fejlede." if failed else ".")
            return rows, table, choices, gr.update(choices=meeting_choices(assistant)), say(message)

        def do_remove(source: str, ok: bool, request: gr.Request = None):
            if not ok or not page_viewer(policy, request).may_manage:
                raise fail("Log ind først.")
            if not source:
                raise fail("Vælg et møde.")
            try:
                record = remove_meeting(assistant.index, source)
            except EngineError as stopped:
                raise fail(str(stopped)) from None
            table, choices = listing()
            message = f"Fjernet: {record.body} {record.date}." if record else "Mødet findes ikke."
            return table, choices, say(message), gr.update(choices=meeting_choices(assistant), value=ALL_MEETINGS)

        signed = [logged_in, tools, login_box, password, status, meetings, remove_choice]
        login.click(do_login, [password], signed, show_progress="hidden", **PRIVATE)
        password.submit(do_login, [password], signed, show_progress="hidden", **PRIVATE)
        logout.click(do_logout, None, signed, show_progress="hidden", **PRIVATE)
        ingest.click(do_ingest, [upload, level, logged_in], [results, meetings, remove_choice, meeting_filter, status],
                     show_progress_on=[results], **PRIVATE)
        remove.click(do_remove, [remove_choice, logged_in], [meetings, remove_choice, status, meeting_filter],
                     show_progress="hidden", **PRIVATE)


def mount_pages(api: FastAPI, settings: Settings, assistant: Assistant, policy: AccessPolicy) -> None:
    """The chat at / and the compact widget at /widget/, on the app that serves the API."""
    common = {"footer_links": [], "ssr_mode": False, "theme": THEME, "css": CSS, "head": HEAD,
              "i18n": gr.I18n(en=DANISH, da=DANISH),
              # Gradio's own limit sits above ours, so an oversized file gets our Danish message, not its own
              "max_file_size": f"{2 * settings.max_upload_mb}mb"}
    if policy.configured:
        # every page event then carries the viewer (role|user) as Gradio's user name; None is Gradio's 401
        common["auth_dependency"] = lambda request: (v.label() if (v := policy.viewer(request)) else None)
    gr.mount_gradio_app(api, chat_blocks(assistant, settings, compact=True, policy=policy), path="/widget",
                        **{**common, "css": CSS + WIDGET_CSS})
    gr.mount_gradio_app(api, chat_blocks(assistant, settings, compact=False, policy=policy), path="/", **common)


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """API and pages in one app, all mounted before it starts (in-process servers of the tests)."""
    settings = settings or get_settings()
    get_assistant = shared_assistant(settings, assistant)
    api, policy = api_app(settings, get_assistant)
    mount_pages(api, settings, get_assistant(), policy)
    return api


if __name__ == "__main__":  # `python app.py` is `referat serve`
    from assistant.server import serve

    serve()
