"""The JSON API, the source-file route and the security headers, on FastAPI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.health import RETRY_AFTER_SECONDS
from assistant.roles import AccessPolicy, Viewer, audit
from assistant.scope import Scope, ScopeError
from assistant.types import Answer
from index.access import may_see, parse_level
from index.errors import EngineError, StoreUnavailable

MEDIA_TYPES = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8", ".html": "text/plain; charset=utf-8",
               ".htm": "text/plain; charset=utf-8", ".json": "application/json"}


class Turn(BaseModel):
    role: str = Field(description="'user' eller 'assistant'")
    content: str = Field(description="Beskedens tekst")


class AskRequest(BaseModel):
    question: str = Field(description="Spørgsmålet på dansk")
    history: list[Turn] = Field(default_factory=list, description="Tidligere beskeder i samtalen")
    meeting: str | None = Field(None, description="Begræns til ét møde (filnavn, 'Organ ÅÅÅÅ-MM-DD' eller id)")
    k: int | None = Field(None, ge=1, le=50, description="Antal dagsordenspunkter i 'retrieved'")
    organ: str | None = Field(None, description="Kun møder i organer, hvis navn indeholder denne tekst")
    periode: str | None = Field(None, description="Kun møder i perioden: ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-MM-DD eller fra..til")


def danish_error(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"fejl": message})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = ", ".join(".".join(str(p) for p in e.get("loc", [])[1:]) or "body" for e in exc.errors())
        return danish_error(422, f"Ugyldig forespørgsel: kontrollér feltet {fields}. Send JSON som "
                                 '{"question": "...", "history": [], "meeting": null}.')

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        response = danish_error(exc.status_code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(EngineError)
    async def engine_error(request: Request, exc: EngineError) -> JSONResponse:
        """Chroma down or stalled (503, try again shortly) or a full disk (507): a Danish sentence, never a 500."""
        cause = getattr(exc, "cause", None)
        if isinstance(exc, StoreUnavailable) or isinstance(cause, StoreUnavailable):
            response = danish_error(503, str(exc))
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return danish_error(507, str(exc))


def install_security_headers(app: FastAPI, settings: Settings) -> None:
    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        ancestors = settings.frame_ancestors if request.url.path.startswith("/widget") else "'self'"
        response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response


class Admission:
    """A bounded queue in front of the answering threads: a full queue answers at once, never hangs."""

    def __init__(self, running: int, waiting: int) -> None:
        self.slots = asyncio.Semaphore(running)
        self.capacity = running + waiting
        self.inside = 0

    async def __aenter__(self) -> None:
        if self.inside >= self.capacity:
            raise HTTPException(503, "Der er travlt lige nu – prøv igen om lidt.", headers={"Retry-After": "2"})
        self.inside += 1
        await self.slots.acquire()

    async def __aexit__(self, *exc) -> None:
        self.slots.release()
        self.inside -= 1


def install_body_limit(app: FastAPI, settings: Settings) -> None:
    @app.middleware("http")
    async def limit(request: Request, call_next):
        if request.url.path.startswith("/api/ask"):
            length = request.headers.get("content-length")
            if length is None or int(length or 0) > settings.max_body_kb * 1024:
                return danish_error(413, f"Forespørgslen er for stor (højst {settings.max_body_kb} KB).")
        return await call_next(request)


def viewer_guard(policy: AccessPolicy, api: bool) -> Callable[[Request], Viewer]:
    """The request's viewer (assistant.roles), or 401 with a Danish message."""
    def guard(request: Request) -> Viewer:
        viewer = policy.viewer(request, api=api)
        if viewer is None:
            raise HTTPException(401, "Manglende eller forkert adgang: log ind, eller send en gyldig adgangsnøgle "
                                     "(Authorization: Bearer …).", headers={"WWW-Authenticate": "Bearer"})
        return viewer
    return guard


def api_router(get_assistant: Callable, settings: Settings, policy: AccessPolicy | None = None) -> APIRouter:
    policy = policy or AccessPolicy(settings)
    router = APIRouter()
    admission = Admission(settings.max_concurrent, settings.max_queue)
    viewer_of = viewer_guard(policy, api=True)

    def manager(viewer: Viewer, what: str) -> None:
        if not policy.configured:
            raise HTTPException(403, f"{what} via API kræver, at REFERAT_API_TOKEN eller REFERAT_API_TOKENS er sat.")
        if not viewer.may_manage:
            raise HTTPException(403, f"{what} kræver rollen admin.")

    @router.post("/api/ask", summary="Stil et spørgsmål", tags=["spørgsmål"])
    async def ask(body: AskRequest, request: Request, viewer: Viewer = Depends(viewer_of)) -> dict:  # noqa: B008
        question = body.question.strip()
        if not question:
            raise HTTPException(400, "Spørgsmålet er tomt.")
        if len(question) > settings.max_question_chars:
            raise HTTPException(413, f"Spørgsmålet er for langt (højst {settings.max_question_chars} tegn).")
        try:
            within = Scope.of(body.organ, body.periode)
        except ScopeError as error:
            raise HTTPException(422, str(error)) from None
        history = [t.model_dump() for t in body.history[-10:]]
        assistant = get_assistant()
        async with admission:
            # the model and Chroma calls block; a worker thread keeps the server answering others meanwhile
            answer = await asyncio.to_thread(assistant.respond, question, history, body.meeting, body.k, within,
                                             viewer.clearance)
        audit(settings, viewer, question, [f"{c.meeting_id}/{c.item}" for c in answer.citations], answer.found)
        return with_links(answer, str(request.base_url), openable(assistant.index, viewer))

    @router.get("/api/meetings", summary="De indekserede møder", tags=["møder"])
    async def meetings(viewer: Viewer = Depends(viewer_of)) -> list[dict]:  # noqa: B008
        index = get_assistant().index
        await asyncio.to_thread(index.refresh)
        return [{"id": r.meeting_id, "body": r.body, "date": r.date, "source": r.source, "items": r.items,
                 "pages": r.pages, "warnings": r.warning_list, "signatures": r.signature_list}
                for r in index.meetings(viewer.clearance)]

    @router.get("/api/sager/{case:path}", summary="En sags historik", tags=["sager"])
    async def case_history_route(case: str, viewer: Viewer = Depends(viewer_of)) -> dict:  # noqa: B008
        """Every meeting that treated the case, oldest first, each with its verbatim decision (or null).

        The path converter keeps case numbers with a slash (``/api/sager/12/27845`` or ``12%2F27845``) whole.
        """
        history = await visible_history(get_assistant().index, case, viewer)
        if not history.treatments:
            raise HTTPException(404, f"Sagen {case.strip()} findes ikke i de indekserede referater.")
        return history.to_json()

    @router.post("/api/meetings", summary="Upload og indekser referater", tags=["møder"])
    async def upload(request: Request, viewer: Viewer = Depends(viewer_of)) -> list[dict]:  # noqa: B008
        """Files in the form field `files`; `adgang` (åben, intern, lukket) sets the files' own level."""
        manager(viewer, "Upload")
        form = await request.form(max_files=50, max_part_size=settings.max_upload_mb * 1024 * 1024)
        files = [f for f in form.getlist("files") if hasattr(f, "filename")]
        if not files:
            raise HTTPException(400, "Send en eller flere filer i feltet 'files'.")
        try:
            level = parse_level(str(form["adgang"])) if form.get("adgang") else None
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
        results = await asyncio.to_thread(ingest_uploads, get_assistant().index, files, level)
        return [{"file": r.path, "status": r.status, "meeting": r.meeting, "items": r.items, "chunks": r.chunks,
                 "message": r.message} for r in results]

    @router.delete("/api/meetings/{meeting_id}", summary="Fjern et møde", tags=["møder"])
    async def remove(meeting_id: str, viewer: Viewer = Depends(viewer_of)) -> dict:  # noqa: B008
        from index.ingest import remove_meeting

        manager(viewer, "Sletning")
        record = await asyncio.to_thread(remove_meeting, get_assistant().index, meeting_id)
        if record is None:
            raise HTTPException(404, "Mødet findes ikke.")
        return {"removed": record.source, "meeting": f"{record.body} {record.date}"}

    return router


async def visible_history(index, case: str, viewer: Viewer):
    """The case's treatments the viewer may see, from what Chroma holds now (JSON route and case page)."""
    from index.cases import case_history

    await asyncio.to_thread(index.maybe_refresh)
    return await asyncio.to_thread(case_history, index, case, clearance=viewer.clearance)


def source_path(meeting_id: str, page: int) -> str:
    """The link that opens a meeting's original file at a page (PDF viewers honour `#page=N`)."""
    return f"/kilde/{quote(meeting_id)}#page={page}"


def with_links(answer: Answer, base_url: str, may_open: set[str] | None = None) -> dict:
    """The answer's JSON with each citation's meeting id and absolute source link (null where the reader may
    not open the file: it holds items above the reader's level)."""
    data = answer.to_json()
    for entry, citation in zip(data["citations"], answer.citations, strict=True):
        entry["meeting_id"] = citation.meeting_id
        allowed = may_open is None or citation.meeting_id in may_open
        entry["url"] = base_url.rstrip("/") + source_path(citation.meeting_id, citation.page) if allowed else None
    return data


def openable(index, viewer: Viewer) -> set[str]:
    """Meetings whose original file the viewer may open: every item in it is within the viewer's level."""
    return {r.meeting_id for r in index.meetings(viewer.clearance) if may_see(viewer.clearance, r.access)}


def ingest_uploads(index, uploads, access: str | None = None) -> list:
    """Uploaded files keep their own names (safely reduced) in a private folder while they are ingested."""
    import re
    import shutil
    import tempfile

    from index.ingest import ingest_paths

    with tempfile.TemporaryDirectory(prefix="referat-upload-") as folder:
        paths = []
        for number, upload in enumerate(uploads):
            name = Path(upload.filename or f"fil-{number}").name
            name = re.sub(r"[\x00-\x1f/\\]", "_", name)[-150:] or f"fil-{number}"
            target = Path(folder) / f"{number:03d}" / name
            target.parent.mkdir()
            with target.open("wb") as handle:
                shutil.copyfileobj(upload.file, handle)
            paths.append(target)
        results = ingest_paths(index, paths, access=access)
    return [replace(r, path=Path(r.path).name) for r in results]


def source_router(get_assistant: Callable, policy: AccessPolicy) -> APIRouter:
    router = APIRouter()

    @router.get("/kilde/{meeting_id}", summary="Det oprindelige referat", tags=["kilder"])
    async def source(meeting_id: str, viewer: Viewer = Depends(viewer_guard(policy, api=False))) -> FileResponse:  # noqa: B008
        # only files of indexed meetings, looked up by id: nothing in the request is used as a path
        index = get_assistant().index
        await asyncio.to_thread(index.maybe_refresh)
        # a meeting the viewer cannot see at all is as absent as one that was never indexed
        record = next((r for r in index.meetings(viewer.clearance) if r.meeting_id == meeting_id), None)
        if record is None or not record.stored_file:
            raise HTTPException(404, "Referatet findes ikke.")
        if not may_see(viewer.clearance, record.access):
            raise HTTPException(403, "Referatet indeholder punkter, som din rolle ikke har adgang til; "
                                     "svarene citerer de punkter, du kan se.")
        path = await asyncio.to_thread(index.source_file, record)
        if path is None:
            raise HTTPException(404, "Referatets fil findes ikke længere.")
        media = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return FileResponse(path, media_type=media, filename=record.source, content_disposition_type="inline")

    @router.get("/sag/{case:path}", summary="En sags historik som side", tags=["sager"],
                response_class=HTMLResponse)
    async def case_page(case: str, viewer: Viewer = Depends(viewer_guard(policy, api=False))) -> HTMLResponse:  # noqa: B008
        """The case view a citation card's case number opens: what `/api/sager/{case}` says, for a person."""
        from assistant.case_page import case_page_html, missing_case_html

        index = get_assistant().index
        history = await visible_history(index, case, viewer)
        if not history.treatments:
            return HTMLResponse(missing_case_html(case), status_code=404)
        may_open = await asyncio.to_thread(openable, index, viewer)
        return HTMLResponse(case_page_html(history, may_open))

    return router


# paths the README documents; each also answers with a trailing slash
SLASH_TOLERANT = ("/api/", "/kilde/", "/sag/", "/docs/", "/openapi.json/", "/healthz/", "/readyz/")


def install_trailing_slashes(app: FastAPI) -> None:
    """`/widget` redirects to `/widget/` (the mounted app); `/api/ask/`, `/docs/` … are served as without."""

    @app.middleware("http")
    async def slashes(request: Request, call_next):
        path = request.scope["path"]
        if path == "/widget":
            query = request.url.query
            return RedirectResponse("/widget/" + (f"?{query}" if query else ""), status_code=307)
        if len(path) > 1 and path.endswith("/") and path.startswith(SLASH_TOLERANT):
            request.scope["path"] = path.rstrip("/")
            request.scope["raw_path"] = request.scope["path"].encode()
        return await call_next(request)


def install_offline_docs(app: FastAPI) -> None:
    """Swagger UI from files shipped in a Python package (fastapi-offline), never from a CDN.

    ReDoc is not offered: its page loads a logo from the vendor's CDN."""
    import fastapi_offline

    static = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/dokumentation-filer", StaticFiles(directory=static), name="dokumentation-filer")

    @app.get("/docs", include_in_schema=False)
    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} – API-dokumentation",
            swagger_js_url=f"{root}/dokumentation-filer/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/dokumentation-filer/swagger-ui.css",
            swagger_favicon_url=f"{root}/dokumentation-filer/favicon.png",
        )
        return HTMLResponse(page.body.decode().replace("<html>", '<html lang="da">', 1))
