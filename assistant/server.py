"""The server process: the JSON API listens as soon as the index is open; the chat pages join when ready.

Importing Gradio and building the two pages takes about as long as opening the index and warming the
model up together. None of it is needed to answer `/api/ask`, `/readyz` or `/kilde`, so `serve` listens
with those first and builds the pages in a worker thread; until they are mounted, a page address gets a
short Danish "starter" page that reloads itself (503 with Retry-After, so a balancer or script waits).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from assistant.api import (
    api_router,
    install_body_limit,
    install_error_handlers,
    install_offline_docs,
    install_security_headers,
    install_trailing_slashes,
    source_router,
)
from assistant.config import Settings, get_settings
from assistant.health import health_router
from assistant.login import install_login
from assistant.roles import AccessPolicy, enable_audit_log
from assistant.service import Assistant
from index.errors import EngineError

log = logging.getLogger("assistant.server")

# served without the pages: the machine interface, the probes, the sources, the docs and the login round trip
NOT_PAGES = ("/api", "/healthz", "/readyz", "/kilde", "/sag", "/docs", "/dokumentation-filer", "/openapi.json", "/auth",
             "/login", "/logout")
STARTING_PAGE = """<!doctype html><html lang="da"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="1"><title>referat starter</title></head>
<body style="font-family:system-ui,sans-serif;margin:3rem"><h1>referat starter</h1>
<p>Siden er klar om et øjeblik og genindlæses af sig selv.</p></body></html>"""


def api_app(settings: Settings, get_assistant: Callable[[], Assistant]) -> tuple[FastAPI, AccessPolicy]:
    """Everything but the chat pages: JSON API, health, sources, docs, login."""
    api = FastAPI(title="referat", description="Spørg mødereferater – JSON-API", docs_url=None, redoc_url=None)
    install_offline_docs(api)
    install_error_handlers(api)
    install_security_headers(api, settings)
    install_body_limit(api, settings)
    install_trailing_slashes(api)
    policy = AccessPolicy(settings)
    install_login(api, settings, policy)
    api.include_router(api_router(get_assistant, settings, policy))
    api.include_router(health_router(get_assistant))
    api.include_router(source_router(get_assistant, policy))
    return api, policy


def shared_assistant(settings: Settings, assistant: Assistant | None) -> Callable[[], Assistant]:
    @lru_cache(maxsize=1)
    def get_assistant() -> Assistant:
        return assistant or Assistant(settings)

    return get_assistant


def is_page(path: str) -> bool:
    return not any(path == p or path.startswith(p + "/") for p in NOT_PAGES)


def pages_later(api: FastAPI, build: Callable[[], None]) -> None:
    """Mount the pages once ``build`` has run in a worker thread; answer page addresses meanwhile.

    ``build`` mounts the Gradio apps on ``api``. Mounted after start-up, their own start-up (Gradio's queue)
    has not run: it is run here, and ended with the server.
    """
    ready = asyncio.Event()
    mounted_before = len(api.router.routes)
    serve_lifespan = api.router.lifespan_context

    @api.middleware("http")
    async def starting(request, call_next):
        if not ready.is_set() and is_page(request.url.path):
            return HTMLResponse(STARTING_PAGE, status_code=503, headers={"Retry-After": "1"})
        return await call_next(request)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async with serve_lifespan(app) as state, contextlib.AsyncExitStack() as pages:
            async def mount() -> None:
                started = time.perf_counter()
                try:
                    await asyncio.to_thread(build)
                except Exception:  # the API goes on answering; the log says why the pages are missing
                    log.exception("Chat-siderne kunne ikke bygges")
                    return
                for route in api.router.routes[mounted_before:]:
                    gradio_app = getattr(route, "app", None)
                    if gradio_app is not None and hasattr(gradio_app, "get_blocks"):
                        await pages.enter_async_context(gradio_app.router.lifespan_context(gradio_app))
                        gradio_app.get_blocks().run_startup_events()
                        await gradio_app.get_blocks().run_extra_startup_events()
                ready.set()
                print(f"Chat-siderne er klar efter {time.perf_counter() - started:.1f} s".replace(".", ","),
                      flush=True)

            task = asyncio.create_task(mount())
            yield state
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    api.router.lifespan_context = lifespan


def ensure_sample(assistant: Assistant) -> None:
    """`make run` on a fresh machine: index the bundled sample when the index is empty."""
    from index.ingest import ingest_paths

    if not assistant.index.meetings():
        sample = Path(__file__).resolve().parents[1] / "sample"
        results = ingest_paths(assistant.index, sorted(sample.glob("*.pdf")))
        print("Eksempelreferat indekseret: " + ", ".join(f"{Path(r.path).name} ({r.status})" for r in results))


def serve(host: str | None = None, port: int | None = None, ingest_sample: bool = False,
          pages: bool | None = None) -> None:
    import uvicorn

    # the server log says when Chroma stops and starts answering, and when a cache is rebuilt and why
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("index").setLevel(logging.INFO)
    logging.getLogger("assistant.server").setLevel(logging.INFO)
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG: a line per rebuild
    settings = get_settings()
    started = time.perf_counter()
    assistant = Assistant(settings)
    opened = time.perf_counter() - started
    if ingest_sample:
        try:
            ensure_sample(assistant)
        except EngineError as exc:
            print(f"Eksempelreferatet blev ikke indekseret: {exc}", flush=True)
    # the first question must not pay for loading the model: warm up once, before listening
    warm = assistant.warm_up()
    print(f"Indeks åbnet på {opened:.1f} s (heraf BM25 {assistant.index.lexical_seconds:.1f} s), "
          f"model varmet op på {warm.get('model', 0):.1f} s, første søgning {warm['retrieval']:.2f} s"
          .replace(".", ","), flush=True)
    get_assistant = shared_assistant(settings, assistant)
    api, policy = api_app(settings, get_assistant)

    def build_pages() -> None:
        import app  # Gradio: the pages only

        app.mount_pages(api, settings, assistant, policy)

    enable_audit_log()
    host, port = host or settings.host, port or settings.port
    if settings.pages if pages is None else pages:
        pages_later(api, build_pages)
        print(f"referat kører på http://{host}:{port}/  (widget: /widget, API: /api/ask, dokumentation: /docs)",
              flush=True)
    else:
        print(f"referat kører på http://{host}:{port}/ kun med JSON-API'et (/api/ask, dokumentation: /docs)",
              flush=True)
    # proxy_headers off: the peer address must stay the proxy's own, which REFERAT_TRUSTED_PROXIES is checked
    # against (uvicorn would otherwise replace it with X-Forwarded-For from a local proxy)
    uvicorn.run(api, host=host, port=port, log_level="warning", proxy_headers=False)
