"""The real app in a real browser (Debian chromium via Playwright), and its JSON API over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

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
            if httpx.get(f"{base}/api/meetings", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=2).json():
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


def ask(page, question: str) -> None:
    page.fill("#spoergsmaal textarea", question)
    page.click("#spoerg")
    page.wait_for_function(
        "q => document.querySelector('#samtale') && document.querySelector('#samtale').innerText.includes(q)"
        " && document.querySelector('#kilder .kilde, #kilder .ikke-fundet')", arg=question, timeout=60000)


def test_chat_answers_with_citation_cards_and_source_pdf(server, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto(server + "/")
    page.wait_for_selector("#spoergsmaal textarea", timeout=60000)
    ask(page, "Hvem blev udpeget til den nationale politiske udviklingsgruppe?")
    assert "Per Bach Laursen" in page.inner_text("#samtale")
    card = page.locator("#kilder .kilde").first
    assert "SAG-2023-01519" in card.inner_text() and "punkt 2.5" in card.inner_text()
    assert "KKR Nordjylland, 28.04.2023, punkt 2.5, SAG-2023-01519, Beslutning, s. 15" in card.inner_text()
    card.locator("summary").click()
    assert "godkendte det reviderede oplæg" in card.locator(".beslutning-tekst").inner_text()
    href = card.locator("a.kilde-link").get_attribute("href")
    assert href.endswith("#page=15")
    response = page.request.get(server + href.split("#")[0])
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    page.screenshot(path=str(ROOT / "docs" / "chat.png"), full_page=True)
    ask(page, "Hvem vandt kommunalvalget i Aalborg?")
    assert page.locator("#kilder .ikke-fundet").is_visible()
    page.close()


def test_widget_at_360_px(server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 720})
    response = page.goto(server + "/widget/")
    assert "frame-ancestors https://intranet.example.dk" in response.headers["content-security-policy"]
    page.wait_for_selector("#spoergsmaal textarea", timeout=60000)
    assert page.locator("#administration").count() == 0
    ask(page, "Hvad stiger taksten i Børnehus Nord til i 2023?")
    assert "14.589 kr." in page.inner_text("#samtale")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("#kilder .kilde").first.is_visible()
    page.screenshot(path=str(ROOT / "docs" / "widget.png"), full_page=True)
    page.close()


def test_staff_upload_and_untrusted_minutes_render_inert(server, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + "/")
    page.wait_for_selector("#spoergsmaal textarea", timeout=60000)
    page.get_by_role("tab", name="Administration").click()
    page.fill("#adgangskode input", "forkert")
    page.click("#logind")
    page.wait_for_selector("text=Forkert adgangskode.")
    assert not page.locator("#upload").is_visible()
    page.fill("#adgangskode input", PASSWORD)
    page.click("#logind")
    page.wait_for_selector("#upload", state="visible")
    page.set_input_files("#upload input[type=file]", str(FIXTURES / "injection-byraad-2024-02-01.txt"))
    page.wait_for_timeout(1000)
    page.click("#indekser")
    page.wait_for_function("document.querySelector('#resultater').innerText.includes('ny')", timeout=120000)
    assert "Testrup Byråd" in page.inner_text("#moeder")
    page.get_by_role("tab", name="Spørg").click()
    ask(page, "Hvad står der om prisen for skolebussen til Nørre Testrup?")
    text = page.inner_text("#samtale") + page.inner_text("#kilder")
    assert "450.000 kr." in text
    assert page.evaluate("window.__hacked === undefined") and page.title() != "HACKET"
    assert page.locator("#samtale script, #kilder script").count() == 0
    assert page.locator("a[href*='evil.example.com'], img[src*='evil.example.com']").count() == 0
    assert not any("evil.example.com" in url for url in requested)
    page.close()
    widget = browser.new_page(viewport={"width": 360, "height": 720})
    widget.on("request", lambda request: requested.append(request.url))
    widget.goto(server + "/widget/")
    widget.wait_for_selector("#spoergsmaal textarea", timeout=60000)
    ask(widget, "Hvad står der om prisen for skolebussen til Nørre Testrup?")
    assert "450.000 kr." in widget.inner_text("#samtale")
    assert widget.evaluate("window.__hacked === undefined") and widget.title() != "HACKET"
    assert widget.locator("a[href*='evil.example.com'], img[src*='evil.example.com']").count() == 0
    assert not any("evil.example.com" in url for url in requested)
    widget.close()
    api = httpx.post(f"{server}/api/ask", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60,
                     json={"question": "Hvad besluttede byrådet om skolebussen til Nørre Testrup?"}).json()
    assert api["found"] and "godkendte skolebusruten" in api["answer"] and api["answer"].strip() != "HACKET"


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
    assert httpx.get(f"{server}/docs").status_code == 200
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    assert "/api/ask" in paths
