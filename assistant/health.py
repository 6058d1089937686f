"""Health for load balancers, orchestrators and operators: `/healthz`, `/readyz` and `referat status`.

`/healthz` says only that the process answers (restart it if not). `/readyz` says whether it can answer
questions now: the question model is loaded, Chroma answers within REFERAT_CHROMA_TIMEOUT, and the lexical
index was built from what Chroma holds now; a balancer sends no traffic while it is 503.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `referat status --url` only reads a server's report: no index, no model
    from assistant.service import Assistant

RETRY_AFTER_SECONDS = 5


def readiness(assistant: Assistant) -> dict:
    """Each component's state and the number of meetings; ``ready`` when all are ok."""
    index = assistant.index
    embedder = index.embedder
    model = {"ok": False, "name": embedder.model_id, "error": None}
    try:
        if not getattr(embedder, "loaded", True):
            embedder.embed_query("opvarmning")  # once: a server warms up before it listens, so this is rare
        model["ok"] = bool(getattr(embedder, "loaded", True))
    except Exception as exc:  # a model that cannot load is exactly what this report is for
        model["error"] = f"{type(exc).__name__}: {exc}"
    config = index.config
    health = index.check()
    where = (f"server {config.chroma_host}:{config.chroma_port}" if config.chroma_host
             else f"indlejret {config.data_dir / 'chroma'}")
    chroma = {"ok": health.reachable, "mode": where, "latency_ms": health.latency_ms,
              "timeout_s": config.chroma_timeout, "error": health.error}
    lexical = {"ok": health.lexical_current, "chunks": health.chunks}
    components = {"model": model, "chroma": chroma, "lexical": lexical}
    return {"ready": all(c["ok"] for c in components.values()), "components": components,
            "meetings": health.meetings, "checked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def describe(report: dict) -> list[str]:
    """The report as Danish lines for `referat status`."""
    parts = report["components"]
    model, chroma, lexical = parts["model"], parts["chroma"], parts["lexical"]
    lines = [f"Klar: {'ja' if report['ready'] else 'nej'}",
             f"Model: {'indlæst' if model['ok'] else 'ikke indlæst'} ({model['name']})"
             + (f" – {model['error']}" if model.get("error") else "")]
    if chroma["ok"]:
        lines.append(f"Chroma: svarer ({chroma['mode']}, {chroma['latency_ms']:g} ms; "
                     f"grænse {chroma['timeout_s']:g} s)")
    else:
        lines.append(f"Chroma: svarer ikke ({chroma['mode']}; grænse {chroma['timeout_s']:g} s) – {chroma['error']}")
    lines.append(f"BM25-indeks: {'aktuelt' if lexical['ok'] else 'ikke bekræftet aktuelt'}"
                 + (f" ({lexical['chunks']} tekststykker)" if lexical.get("chunks") is not None else ""))
    lines.append(f"Møder: {report['meetings']}")
    return lines


def health_router(get_assistant: Callable[[], Assistant]):
    """Outside the API token: a balancer's probe carries no credentials, and neither answer holds minutes text."""
    from fastapi import APIRouter
    from fastapi.responses import JSONResponse

    router = APIRouter(tags=["drift"])

    @router.get("/healthz", summary="Processen kører")
    async def healthz() -> dict:
        return {"status": "ok"}

    # no return annotation: JSONResponse is imported here, where a postponed annotation cannot see it
    @router.get("/readyz", summary="Klar til spørgsmål: model, Chroma og BM25-indeks", response_model=None)
    async def readyz():
        report = await asyncio.to_thread(readiness, get_assistant())
        headers = {} if report["ready"] else {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return JSONResponse(report, status_code=200 if report["ready"] else 503, headers=headers)

    return router
