"""The real app in a real browser (Debian chromium via Playwright), and its JSON API over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.integration, pytest.mark.browser]

TOKEN = "test-token-123"
PASSWORD = "hemmeligt-kodeord"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("app") / "data"
    port = free_port()
    env = {**os.environ, "REFERAT_DATA_DIR": str(data), "REFERAT_API_TOKEN": TOKEN,
           "REFERAT_ADMIN_PASSWORD": PASSWORD, "REFERAT_FRAME_ANCESTORS": "https://intranet.example.dk",
           "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    log = (data.parent / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port),
                                "--ingest-sample"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 240
    while time.time() < deadline:
        try:
            # the API answers first; the pages join once Gradio has loaded ("referat starter" until then)
            if httpx.get(f"{base}/api/meetings", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=2).json() \
                    and httpx.get(base + "/", timeout=2).status_code == 200:
                break
        except (httpx.HTTPError, ValueError):
            pass
        if process.poll() is not None:
            raise RuntimeError((data.parent / "server.log").read_text())
        time.sleep(1)
    else:
        process.kill()
        raise RuntimeError("serveren startede ikke")
    yield base
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        yield instance
        instance.close()


HOST = "127.0.0.1"
ENGLISH = ["Drop File Here", "Click to Upload", "Copy table data", "Fullscreen", "common.", "Textbox", "Dropdown",
           "Loading", "Clear", "Error"]
HOSTILE = ('Se <img src=x onerror="window.__hacked=1"> og [et link](http://evil.example.com/q) '
           "og ![billede](http://evil.example.com/q.png) – hvad koster biblioteket i Vestby?")


def open_page(browser, server, path: str, width: int = 1280, height: int = 900):
    """A page that records every request; requests to any host but the app fail (nothing from elsewhere)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.requested = []

    def route(request_route, *_):
        page.requested.append(request_route.request.url)
        if urlsplit(request_route.request.url).hostname == HOST:
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    page.goto(server + path)
    page.wait_for_selector("#spoergsmaal textarea", timeout=60000)
    return page


def foreign(page) -> list[str]:
    return [u for u in page.requested if urlsplit(u).hostname != HOST or urlsplit(u).path in ("/x", "/widget/x")]


def turns(page) -> int:
    return page.locator("#samtale .tur").count()


def ask(page, question: str) -> None:
    """Type, press Enter (keyboard use), wait until this turn's answer is complete."""
    before = turns(page)
    page.fill("#spoergsmaal textarea", question)
    page.press("#spoergsmaal textarea", "Enter")
    wait_answer(page, before + 1)


def wait_answer(page, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#samtale .tur').length === n"
        " && !document.querySelector('#samtale .svar.venter')", arg=count, timeout=90000)


def last_turn(page):
    return page.locator("#samtale .tur").last


def assert_accessible(page, where: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{where}: " + "; ".join(f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                                          for v in bad)


def assert_danish(page) -> None:
    assert page.evaluate("document.documentElement.lang") == "da"
    visible = page.inner_text("body")
    labels = " ".join(page.evaluate(
        "[...document.querySelectorAll('[aria-label],[title],[placeholder]')].map(e => "
        "(e.getAttribute('aria-label')||'') + ' ' + (e.getAttribute('title')||'') + ' ' + "
        "(e.getAttribute('placeholder')||''))"))
    for english in ENGLISH:
        assert english not in visible and english not in labels, english


def test_chat_keeps_sources_with_each_answer(server, browser, tmp_path):
    page = open_page(browser, server, "/")
    assert_danish(page)
    assert page.get_by_role("textbox", name="Dit spørgsmål").count() == 1
    # an example question is sent at once
    page.get_by_role("button", name="Hvem blev udpeget til den nationale politiske udviklingsgruppe?").click()
    wait_answer(page, 1)
    first = last_turn(page)
    assert "Per Bach Laursen" in first.locator(".svar").inner_text()
    marker = first.locator("a.markoer").first
    assert marker.inner_text() == "[1]"
    card = first.locator(".kilde").first
    assert "SAG-2023-01519" in card.inner_text() and "punkt 2.5" in card.inner_text()
    assert "KKR Nordjylland, 28.04.2023, punkt 2.5, SAG-2023-01519, Beslutning, s. 15" in card.inner_text()
    # a short answer and its first source are on screen at 1280×900 without scrolling
    box = card.bounding_box()
    assert page.evaluate("window.scrollY") == 0 and box["y"] >= 0 and box["y"] + 60 <= 900
    # the README's screenshot is refreshed on request only: a test run leaves the checkout as it was
    page.screenshot(path=str(Path(os.environ.get("REFERAT_SCREENSHOT_DIR", tmp_path))
                             / "chat.png"))
    card.locator(".beslutning summary").click()
    assert "godkendte det reviderede oplæg" in card.locator(".beslutning-tekst").inner_text()
    href = card.locator("a.kilde-link").get_attribute("href")
    assert href.endswith("#page=15")
    response = page.request.get(server + href.split("#")[0])
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # the case number opens the case's history: its treatments, each decision verbatim with its page
    with page.context.expect_page() as opened:
        card.locator("a.sag-link").click()
    history = opened.value
    history.wait_for_load_state()
    assert history.locator("h1").inner_text() == "Sag SAG-2023-01519"
    # in these minutes most items carry the same case number: each is a treatment of that case
    assert history.locator("li.behandling").count() == 10
    treatment = history.locator("li.behandling", has_text="Punkt 2.5 – National klimapartnerskabsaftale")
    assert "28. april 2023 · KKR Nordjylland" in treatment.locator("h2").inner_text()
    assert "godkendte det reviderede oplæg" in treatment.locator(".kilde-citat").inner_text()
    assert treatment.locator("a.kilde-link").get_attribute("href").endswith("#page=15")
    assert_accessible(history, "/sag/")
    history.close()
    # the sources collapse, and a marker opens them again and moves focus to its card
    first.locator("details.kilder > summary").click()
    assert not card.is_visible()
    marker.click()
    assert card.is_visible() and page.evaluate("document.activeElement.id") == card.get_attribute("id")
    ask(page, "Hvem havde meldt afbud til mødet?")
    second = last_turn(page)
    assert "Fire havde meldt afbud ifølge" in second.locator(".svar").inner_text()
    assert "Leif Skaarup (A), Mariagerfjord Kommune[2];" in second.locator(".svar").inner_text()
    assert {c.split("·")[0].strip() for c in second.locator(".kilde-meta").all_inner_texts()} == {"Afbud"}
    # the first answer keeps its own source
    assert page.locator("#samtale .tur").first.locator(".kilde").count() == 1
    # the latest question is scrolled to the top of the conversation, not out of view
    assert second.locator(".spoergsmaal-boble").is_visible()
    # not found: the nearby items are links that ask about that item
    ask(page, "Hvad koster en ny svømmehal i Brønderslev?")
    assert "Måske relevant:" not in last_turn(page).locator(".svar").inner_text()
    maybe = last_turn(page).locator("button.spoerg-om")
    assert maybe.count() >= 1
    asked = maybe.first.get_attribute("data-spoerg")
    maybe.first.click()
    wait_answer(page, 4)
    assert last_turn(page).locator(".spoergsmaal-boble").inner_text().endswith(asked)
    assert last_turn(page).locator(".kilde").count() >= 1
    assert_accessible(page, "/")
    assert not foreign(page)
    page.close()


def test_keyboard_focus_is_visible(server, browser):
    page = open_page(browser, server, "/")
    # the page's load events fill the filters after the question box is shown and may re-render and drop the
    # focus (under load the tabbing then started at the top of the page): tab from the box only once it keeps it
    for _ in range(20):
        page.focus("#spoergsmaal textarea")
        page.wait_for_timeout(300)
        if page.evaluate("document.activeElement && document.activeElement.closest('#spoergsmaal') !== null"):
            break
    seen = []
    for _ in range(4):  # the controls in tab order each show where the focus is
        page.keyboard.press("Tab")
        tag, name, outline, width = page.evaluate(
            "(e => [e.tagName, e.id, getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth])"
            "(document.activeElement)")
        if tag != "BODY":  # past the last control the focus leaves the page once
            assert outline != "none" and width != "0px", (tag, name)
            seen.append(name or tag)
    assert "spoerg" in seen
    page.close()


def test_a_question_sent_while_an_answer_is_coming_is_answered_after_it(server, browser):
    page = open_page(browser, server, "/")
    page.fill("#spoergsmaal textarea", "Hvem blev udpeget til den nationale politiske udviklingsgruppe?")
    page.press("#spoergsmaal textarea", "Enter")
    # the question is shown and the box cleared (the event's first step); its answer may still be on the way
    page.wait_for_function("document.querySelectorAll('#samtale .tur').length === 1")
    page.fill("#spoergsmaal textarea", "Hvor meget stiger taksten for Børnehus Nord?")
    page.press("#spoergsmaal textarea", "Enter")
    wait_answer(page, 2)
    first, second = page.locator("#samtale .tur").all()
    assert "Per Bach Laursen" in first.inner_text()
    assert "Børnehus Nord?" in second.inner_text() and "14.589 kr." in second.locator(".svar").inner_text()
    page.close()


def test_widget_compact_scoped_and_collapsible(server, browser, tmp_path):
    page = open_page(browser, server, "/widget", 380, 640)  # redirected to /widget/
    assert page.url.endswith("/widget/")
    assert page.get_by_role("tab").count() == 0 and page.locator("#administration").count() == 0
    assert_danish(page)
    assert page.get_by_role("link", name="Åbn i fuld visning").get_attribute("href").startswith("../")
    ask(page, "Hvad stiger taksten i Børnehus Nord til i 2023?")
    turn = last_turn(page)
    assert "14.589 kr." in turn.inner_text()
    assert turn.locator(".spoergsmaal-boble").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    sources = turn.locator("details.kilder")
    assert sources.get_attribute("open") is None and not turn.locator(".kilde").first.is_visible()
    sources.locator("> summary").click()
    assert turn.locator(".kilde").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    page.screenshot(path=str(Path(os.environ.get("REFERAT_SCREENSHOT_DIR", tmp_path)) / "widget.png"))
    assert_accessible(page, "/widget/")
    assert not foreign(page)
    page.close()
    response = httpx.get(f"{server}/widget/")
    assert "frame-ancestors https://intranet.example.dk" in response.headers["content-security-policy"]
    scoped = open_page(browser, server, "/widget/?organ=nordjylland&periode=2023-04", 380, 640)
    scoped.wait_for_selector("text=Søger kun i: nordjylland, 2023-04")
    assert "organ=nordjylland" in scoped.get_by_role("link", name="Åbn i fuld visning").get_attribute("href")
    ask(scoped, "Hvad stiger taksten i Børnehus Nord til i 2023?")
    assert "14.589 kr." in last_turn(scoped).inner_text()
    scoped.close()
    other = open_page(browser, server, "/widget/?organ=%C3%98konomiudvalget", 380, 640)
    other.wait_for_selector("text=Søger kun i: Økonomiudvalget")
    ask(other, "Hvad stiger taksten i Børnehus Nord til i 2023?")
    assert "Ingen indekserede møder passer til afgrænsningen (Økonomiudvalget)" in last_turn(other).inner_text()
    other.close()


def test_staff_area_and_untrusted_text_shown_literally(server, browser):
    page = open_page(browser, server, "/")
    page.get_by_role("tab", name="Administration").click()
    page.fill("#adgangskode input", "forkert")
    page.press("#adgangskode input", "Enter")
    page.wait_for_selector("text=Forkert adgangskode.")
    assert not page.locator("#upload").is_visible()
    page.fill("#adgangskode input", PASSWORD)
    page.press("#adgangskode input", "Enter")  # Enter submits
    page.wait_for_selector("#upload", state="visible")
    assert_danish(page)
    assert "Slip filer her" in page.inner_text("#upload")
    assert_accessible(page, "personaleområdet")
    files = [str(FIXTURES / "injection-byraad-2024-02-01.txt"), str(FIXTURES / "markup-kulturudvalg-2024-03-05.txt")]
    page.set_input_files("#upload input[type=file]", files)
    page.wait_for_function("document.querySelector('#upload').innerText.includes('markup-kulturudvalg')")
    page.click("#indekser")
    page.wait_for_function("document.querySelector('#resultater').innerText.includes('markup-kulturudvalg')",
                           timeout=180000)
    page.wait_for_selector("#status >> text=2 filer behandlet.")
    assert "Testrup Byråd" in page.inner_text("#moeder") and "Kulturudvalget" in page.inner_text("#moeder")
    page.get_by_role("tab", name="Spørg").click()
    ask(page, "Hvad står der om prisen for skolebussen til Nørre Testrup?")
    ask(page, "Hvad foreslår forvaltningen om nyt bibliotek i Vestby med læsesal og makerværksted?")
    ask(page, HOSTILE)
    text = page.inner_text("#samtale")
    assert "450.000 kr." in text
    assert HOSTILE.split(" – ")[0] in text  # the question's markup is shown as typed
    assert '<img src=x onerror="window.__hacked=1"> og **fed tekst**' in text
    assert page.evaluate("window.__hacked === undefined") and page.title() != "HACKET"
    assert page.locator("#samtale script, #samtale img, #samtale a[href*='evil'], #samtale strong").count() == 0
    assert not foreign(page), foreign(page)
    # log out: the tools disappear, the password field is back
    page.get_by_role("tab", name="Administration").click()
    page.click("#logud")
    page.wait_for_selector("#upload", state="hidden")
    assert page.locator("#adgangskode input").is_visible() and "Logget ud." in page.inner_text("#status")
    page.close()
    widget = open_page(browser, server, "/widget/", 380, 640)
    ask(widget, "Hvad står der om prisen for skolebussen til Nørre Testrup?")
    ask(widget, HOSTILE)
    assert "450.000 kr." in widget.inner_text("#samtale") and "![billede](" in widget.inner_text("#samtale")
    assert widget.evaluate("window.__hacked === undefined") and widget.title() != "HACKET"
    assert not foreign(widget)
    widget.close()
    api = httpx.post(f"{server}/api/ask", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60,
                     json={"question": "Hvad besluttede byrådet om skolebussen til Nørre Testrup?"}).json()
    assert api["found"] and "godkendte skolebusruten" in api["answer"] and api["answer"].strip() != "HACKET"


def open_docs(browser, url: str):
    page = browser.new_page()
    page.requested = []

    def route(request_route, *_):
        page.requested.append(request_route.request.url)
        if urlsplit(request_route.request.url).hostname == HOST:
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    page.goto(url)
    return page


def test_docs_render_from_the_apps_own_assets(server, browser):
    for path, needle in (("/docs", "/api/ask"), ("/docs/", "Stil et spørgsmål")):
        page = open_docs(browser, server + path)
        page.wait_for_function("t => document.body.innerText.includes(t)", arg=needle, timeout=30000)
        assert all(urlsplit(u).hostname == HOST for u in page.requested), page.requested
        page.close()


def test_api_requires_token_and_returns_the_cli_contract(server):
    question = {"question": "Hvornår afholdes næste møde i KKR Nordjylland?", "history": [], "meeting": None}
    assert httpx.post(f"{server}/api/ask", json=question).status_code == 401
    wrong = httpx.post(f"{server}/api/ask", json=question, headers={"Authorization": "Bearer forkert"})
    assert wrong.status_code == 401 and "adgangsnøgle" in wrong.json()["fejl"]
    headers = {"Authorization": f"Bearer {TOKEN}"}
    data = httpx.post(f"{server}/api/ask", json=question, headers=headers, timeout=60).json()
    assert set(data) >= {"question", "answer", "found", "citations", "retrieved", "timings_ms"}
    assert "23. juni 2023" in data["answer"] and data["citations"][0]["item"] == "4.1"


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"question": "   "}, 400, "tomt"),
    ({"question": "x" * 1001}, 413, "for langt"),
    ({"spørgsmål": "Hvem?"}, 422, "Ugyldig forespørgsel"),
    ("ikke json", 422, "Ugyldig forespørgsel"),
])
def test_api_rejects_bad_requests_in_danish(server, body, status, message):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if isinstance(body, str):
        headers["Content-Type"] = "application/json"
        response = httpx.post(f"{server}/api/ask", content=body, headers=headers)
    else:
        response = httpx.post(f"{server}/api/ask", json=body, headers=headers)
    assert response.status_code == status and message in response.json()["fejl"]


def test_source_route_serves_only_indexed_files(server):
    for path in ("/kilde/../../etc/passwd", "/kilde/%2e%2e%2fapp.py", "/kilde/..%2F..%2Fetc%2Fpasswd",
                 "/kilde/0000000000000000", "/kilde//etc/passwd"):
        response = httpx.get(server + path)
        assert response.status_code == 404, path
        assert b"root:" not in response.content


def test_openapi_docs(server):
    docs = httpx.get(f"{server}/docs").text
    assert "cdn" not in docs.lower() and "/dokumentation-filer/swagger-ui-bundle.js" in docs
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    assert "/api/ask" in paths


def test_api_citations_link_to_the_source_page(server):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    data = httpx.post(f"{server}/api/ask/", headers=headers, timeout=60,
                      json={"question": "Hvem blev udpeget til den nationale politiske udviklingsgruppe?"}).json()
    citation = data["citations"][0]
    assert citation["url"] == f"{server}/kilde/{citation['meeting_id']}#page=15"
    pdf = httpx.get(citation["url"].split("#")[0] + "/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    scoped = httpx.post(f"{server}/api/ask", headers=headers, timeout=60, json={
        "question": "Hvad stiger taksten i Børnehus Nord til?", "organ": "Økonomiudvalget"}).json()
    assert not scoped["found"] and not scoped["citations"]
    in_period = httpx.post(f"{server}/api/ask", headers=headers, timeout=60, json={
        "question": "Hvad stiger taksten i Børnehus Nord til?", "periode": "2023-04-01..2023-04-30"}).json()
    assert in_period["found"] and in_period["citations"][0]["date"] == "2023-04-28"
    bad = httpx.post(f"{server}/api/ask", headers=headers, json={"question": "Hvem?", "periode": "sidste år"})
    assert bad.status_code == 422 and "ÅÅÅÅ-MM" in bad.json()["fejl"]


@pytest.mark.parametrize("path", ["/api/meetings", "/api/meetings/", "/docs", "/docs/",
                                  "/openapi.json", "/openapi.json/", "/widget/", "/", "/healthz", "/healthz/",
                                  "/readyz", "/readyz/"])
def test_documented_paths_with_and_without_trailing_slash(server, path):
    response = httpx.get(server + path, headers={"Authorization": f"Bearer {TOKEN}"}, follow_redirects=True)
    assert response.status_code == 200, path
    redirect = httpx.get(server + "/widget?organ=KKR")
    assert redirect.status_code == 307 and redirect.headers["location"].endswith("/widget/?organ=KKR")


def test_filter_takes_body_and_period_and_keeps_what_the_address_fixes():
    import gradio as gr

    from app import ALL_BODIES, chosen_scope
    from assistant.scope import Scope

    assert chosen_scope(None, ALL_BODIES, "") is None
    assert chosen_scope(None, "Økonomiudvalget", "2024-03") == Scope("Økonomiudvalget", "2024-03")
    page = Scope("KKR Nordjylland", None)
    assert chosen_scope(page, "Økonomiudvalget", "2023") == Scope("KKR Nordjylland", "2023")
    with pytest.raises(gr.Error, match="Ugyldig periode"):
        chosen_scope(None, ALL_BODIES, "sidste år")
