"""Readiness as /readyz and `referat status` report it, and engine failures as users see them."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import UNAVAILABLE, DiskFull, IngestAborted, StoreUnavailable
from tests.support.server import free_port


def test_a_working_index_is_ready(two_meetings):
    from assistant.health import describe, readiness

    report = readiness(two_meetings)
    assert report["ready"] is True and report["meetings"] == 2
    parts = report["components"]
    assert parts["model"]["ok"] and parts["chroma"]["ok"] and parts["lexical"]["ok"]
    assert parts["chroma"]["error"] is None and parts["chroma"]["mode"].startswith("indlejret ")
    assert parts["lexical"]["chunks"] == two_meetings.index.store.chunks.count()
    lines = describe(report)
    assert lines[0] == "Klar: ja" and lines[-1] == "Møder: 2"
    assert lines[2].startswith("Chroma: svarer (indlejret ")


def test_without_chroma_the_index_opens_and_reports_not_ready(tmp_path: Path, embedder):
    from assistant.config import Settings
    from assistant.health import describe, readiness
    from assistant.service import Assistant
    from index.catalog import IndexConfig, MinutesIndex

    nothing_listens = free_port()
    config = IndexConfig(data_dir=tmp_path / "data", model="multilingual-e5-small",
                         model_cache=Settings().model_cache, chroma_host="127.0.0.1", chroma_port=nothing_listens,
                         chroma_timeout=2)
    index = MinutesIndex(config, embedder=embedder)  # a server starts without its engine, no crash loop
    assert not index.loaded
    assistant = Assistant(Settings(data_dir=tmp_path / "data"), index=index)
    report = readiness(assistant)
    assert report["ready"] is False and report["meetings"] == 0
    chroma = report["components"]["chroma"]
    assert chroma["ok"] is False and "Connection refused" in chroma["error"]
    assert chroma["mode"] == f"server 127.0.0.1:{nothing_listens}" and chroma["timeout_s"] == 2
    assert report["components"]["lexical"]["ok"] is False
    lines = describe(report)
    assert lines[0] == "Klar: nej" and lines[2].startswith(f"Chroma: svarer ikke (server 127.0.0.1:{nothing_listens}")
    with pytest.raises(StoreUnavailable) as unavailable:
        assistant.ask("Hvem blev udpeget?")
    assert str(unavailable.value) == UNAVAILABLE


def test_engine_errors_reach_api_clients_as_danish_json():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from assistant.api import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)
    failures = {
        "nede": StoreUnavailable("ConnectError"),
        "fuld": IngestAborted(DiskFull("ENOSPC"), "b.pdf", 1),
        "afbrudt": IngestAborted(StoreUnavailable("ReadTimeout"), "b.pdf", 0),
    }
    def raising(failure: Exception):
        async def route() -> None:
            raise failure
        return route

    for name, failure in failures.items():
        app.add_api_route(f"/{name}", raising(failure))
    client = TestClient(app)
    down = client.get("/nede")
    assert down.status_code == 503 and down.json() == {"fejl": UNAVAILABLE} and down.headers["Retry-After"] == "5"
    full = client.get("/fuld")
    assert full.status_code == 507 and full.json()["fejl"].startswith("Disken under indekset er fuld")
    assert "b.pdf" in full.json()["fejl"] and "1 fil blev indekseret" in full.json()["fejl"]
    stopped = client.get("/afbrudt")
    assert stopped.status_code == 503 and stopped.json()["fejl"].startswith(UNAVAILABLE)
    assert "Kør den samme indeksering igen" in stopped.json()["fejl"] and "Retry-After" in stopped.headers


def test_the_chat_shows_the_sentence_where_the_answer_would_stand(two_meetings):
    from assistant.render import conversation_html

    page = conversation_html(two_meetings.index, [{"question": "Hvem blev udpeget?", "answer": None,
                                                   "error": UNAVAILABLE}])
    assert 'role="alert"' in page and "Søgeindekset er ikke tilgængeligt lige nu" in page
    assert "Søger i referaterne" not in page


def test_an_unreadable_embedded_store_is_reported_not_crashed(tmp_path: Path, make_index):
    from assistant.config import Settings
    from assistant.health import readiness
    from assistant.service import Assistant

    data = tmp_path / "data"
    data.mkdir()
    (data / "chroma").write_bytes(b"ikke en database")  # where the store's directory should be
    index = make_index(data)
    report = readiness(Assistant(Settings(data_dir=data), index=index))
    assert report["ready"] is False and report["components"]["chroma"]["error"].startswith("InternalError")
    with pytest.raises(StoreUnavailable):
        Assistant(Settings(data_dir=data), index=index).ask("Hvem blev udpeget?")
    (data / "chroma").unlink()  # the operator fixes it: the same process opens the store, no restart
    assert readiness(Assistant(Settings(data_dir=data), index=index))["ready"] is True
