"""Every Chroma call bounded in time and its failures named.

chromadb's HTTP client waits forever (its httpx session has no timeout, and no setting reaches it), and the
embedded store can block on a lock. A stalled engine must cost a question seconds, not hold a worker for
good, and must reach users as one Danish sentence, not as a 500. So each call runs in a worker thread of a
small pool and is given up after ``timeout`` seconds; failures that mean "the engine is not there" become
``StoreUnavailable`` (or ``DiskFull``), while mistakes in our own calls (bad arguments) pass unchanged.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from index.errors import DiskFull, EngineError, StoreUnavailable

log = logging.getLogger(__name__)

# questions run at most REFERAT_MAX_CONCURRENT (16) at once, each making one call at a time; ingest and
# health checks need a few more. Hung calls free their thread when the HTTP timeout below fires.
WORKERS = 32
# writes carry whole agenda items and stored files: an ingest under load may take far longer than a question's
# bound, and giving up on a write that is still running only wastes it (ingest is all-or-nothing anyway)
WRITE_METHODS = frozenset({"add", "upsert", "update", "delete"})
WRITE_SECONDS = 120.0
FULL_DISK_WORDS = ("disk is full", "no space left", "database or disk is full", "enospc")


class Guard:
    def __init__(self, timeout: float, write_timeout: float | None = None) -> None:
        self.timeout = timeout
        self.write_timeout = max(timeout, WRITE_SECONDS if write_timeout is None else write_timeout)
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="chroma")
        self.failing = False  # the log says when Chroma stops answering and when it is back, once each

    def call(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        bound = self.write_timeout if getattr(function, "__name__", "") in WRITE_METHODS else self.timeout
        future = self._pool.submit(function, *args, **kwargs)
        try:
            result = future.result(timeout=bound)
        except FutureTimeout:
            future.cancel()  # still queued behind hung calls: never run it
            raise self._failed(StoreUnavailable(f"Chroma svarede ikke inden for {bound:g} s")) from None
        except EngineError as exc:
            raise self._failed(exc) from None
        except Exception as exc:
            failure = engine_failure(exc)
            if failure is None:
                raise
            raise self._failed(failure) from exc
        if self.failing:
            self.failing = False
            log.warning("Chroma svarer igen")
        return result

    def _failed(self, failure: EngineError) -> EngineError:
        if not self.failing:
            self.failing = True
            log.warning("Chroma fejler: %s", getattr(failure, "cause", "") or failure)
        return failure

    def wrap(self, target: Any) -> Guarded:
        return Guarded(target, self)


def engine_failure(exc: BaseException) -> EngineError | None:
    """The engine's failure as our error, or None when the exception is a mistake in the call itself.

    The causes count too: chromadb reports a refused connection while connecting as a ValueError raised
    while handling httpx's ConnectError."""
    seen = 0
    while exc is not None and seen < 5:
        failure = _classify(exc)
        if failure is not None:
            return failure
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def _classify(exc: BaseException) -> EngineError | None:
    import httpx
    from chromadb import errors as chroma_errors

    text = f"{type(exc).__name__}: {exc}"
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or any(w in text.lower() for w in FULL_DISK_WORDS):
        return DiskFull(text)
    if isinstance(exc, (httpx.HTTPError, OSError, TimeoutError, sqlite3.Error, chroma_errors.InternalError,
                        chroma_errors.NotFoundError, chroma_errors.RateLimitError)):
        return StoreUnavailable(text)
    if type(exc) is Exception:  # what chromadb's HTTP client raises for a 5xx without a Chroma error body
        return StoreUnavailable(text)
    if type(exc).__module__.startswith("chromadb") and "lock" in text.lower():  # embedded store held elsewhere
        return StoreUnavailable(text)
    return None


class Guarded:
    """A Chroma client or collection whose every method call goes through the guard; attributes pass as is."""

    def __init__(self, target: Any, guard: Guard) -> None:
        self._target = target
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return value

        def guarded(*args: Any, **kwargs: Any) -> Any:
            result = self._guard.call(value, *args, **kwargs)
            # a client hands out collections: those are guarded too
            return self._guard.wrap(result) if type(result).__name__ == "Collection" else result

        return guarded


def bound_http_client(client: Any, timeout: float) -> None:
    """Give the HTTP client's own session the same timeout, so a thread the guard gave up on is freed too.

    chromadb 1.5 builds its httpx session with ``timeout=None`` and offers no setting for it; where the
    attribute is not found (another client version) the guard's own bound still holds."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout)
