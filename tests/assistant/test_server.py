"""The server listens with the API first; the pages join when built, with their queue running."""

from __future__ import annotations

import threading
import time

import httpx
from fastapi import FastAPI

from assistant.server import is_page, pages_later
from tests.support.server import ThreadServer


def test_api_answers_while_pages_are_built_and_pages_work_once_mounted():
    import gradio as gr

    api = FastAPI()

    @api.get("/api/ping")
    async def ping() -> dict:
        return {"svar": "pong"}

    gate = threading.Event()

    def build() -> None:
        gate.wait(30)  # the pages take their time; the API must not wait for them
        with gr.Blocks() as page:
            said = gr.Textbox()
            heard = gr.Textbox()
            said.submit(lambda text: text.upper(), said, heard, api_name="ekko")
        gr.mount_gradio_app(api, page, path="/", ssr_mode=False)

    pages_later(api, build)
    with ThreadServer(api) as running:
        assert httpx.get(running.base + "/api/ping").json() == {"svar": "pong"}
        waiting = httpx.get(running.base + "/")
        assert waiting.status_code == 503
        assert waiting.headers["Retry-After"] == "1"
        assert "referat starter" in waiting.text
        gate.set()
        deadline = time.time() + 60
        while (page := httpx.get(running.base + "/")).status_code == 503 and time.time() < deadline:
            time.sleep(0.1)
        assert page.status_code == 200 and "gradio" in page.text.lower()
        # a page event goes through Gradio's queue: it answers only if the queue was started after mounting
        call = httpx.post(running.base + "/gradio_api/call/ekko", json={"data": ["hej"]}, timeout=30)
        event_id = call.json()["event_id"]
        stream = httpx.get(f"{running.base}/gradio_api/call/ekko/{event_id}", timeout=30).text
        assert "event: complete" in stream and '"HEJ"' in stream
        assert httpx.get(running.base + "/api/ping").status_code == 200


def test_only_page_addresses_wait_for_the_pages():
    assert is_page("/") and is_page("/widget/") and is_page("/gradio_api/queue/join")
    assert not any(is_page(p) for p in ("/api/ask", "/readyz", "/healthz", "/kilde/m1", "/docs", "/login"))
    assert is_page("/apiary")  # a prefix is a path segment, not a string start
