"""The guard around Chroma calls: bounded in time, engine failures named, our own mistakes left alone.

Fast unit tests with stand-in calls; the real engine failing is in tests/test_engine_faults.py."""

from __future__ import annotations

import logging
import threading
import time

import httpx
import pytest
from chromadb import errors as chroma_errors

from index.errors import UNAVAILABLE, DiskFull, StoreUnavailable
from index.guard import Guard


def test_a_hung_call_is_given_up_after_the_timeout():
    guard = Guard(timeout=0.3)
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as failure:
        guard.call(release.wait, 30)
    assert time.monotonic() - started < 2
    assert str(failure.value) == UNAVAILABLE and "0.3 s" in failure.value.cause
    release.set()
    assert guard.call(lambda: "svar") == "svar"  # the pool is usable again


def test_a_write_may_take_longer_than_a_question_but_is_bounded_too():
    guard = Guard(timeout=0.2, write_timeout=1.0)

    def upsert(seconds: float) -> str:  # named as the collection method it stands for
        time.sleep(seconds)
        return "gemt"

    assert guard.call(upsert, 0.5) == "gemt"  # a large item or stored file under load
    with pytest.raises(StoreUnavailable) as failure:
        guard.call(upsert, 3)
    assert "1 s" in failure.value.cause
    with pytest.raises(StoreUnavailable):
        guard.call(time.sleep, 0.5)  # a read keeps the question's bound


def test_calls_queued_behind_hung_ones_also_end_within_the_bound():
    guard = Guard(timeout=0.3)
    release = threading.Event()
    outcomes: list[BaseException | None] = []

    def ask() -> None:
        try:
            guard.call(release.wait, 30)
            outcomes.append(None)
        except StoreUnavailable as exc:
            outcomes.append(exc)

    hung = [threading.Thread(target=ask) for _ in range(40)]  # more than the pool's threads
    started = time.monotonic()
    for thread in hung:
        thread.start()
    for thread in hung:
        thread.join()
    assert time.monotonic() - started < 3
    assert len(outcomes) == 40 and all(isinstance(o, StoreUnavailable) for o in outcomes)
    release.set()
    assert guard.call(lambda: 1) == 1


def _raise(exc: BaseException):
    def call():
        raise exc
    return call


def _refused_while_connecting():
    # what chromadb's HttpClient raises when nothing listens: a ValueError while handling httpx's ConnectError
    try:
        raise httpx.ConnectError("[Errno 111] Connection refused")
    except httpx.ConnectError:
        raise ValueError("Could not connect to a Chroma server. Are you sure it is running?") from None


@pytest.mark.parametrize(("call", "expected"), [
    (_raise(httpx.ConnectError("[Errno 111] Connection refused")), StoreUnavailable),
    (_raise(httpx.ReadTimeout("timed out")), StoreUnavailable),
    (_refused_while_connecting, StoreUnavailable),
    (_raise(chroma_errors.InternalError("error returned from database: (code: 5) database is locked")),
     StoreUnavailable),
    (_raise(Exception("502 Bad Gateway")), StoreUnavailable),
    (_raise(chroma_errors.InternalError("Database error: (code: 13) database or disk is full")), DiskFull),
    (_raise(OSError(28, "No space left on device")), DiskFull),
])
def test_engine_failures_are_named(call, expected):
    with pytest.raises(expected):
        Guard(timeout=5).call(call)


@pytest.mark.parametrize("exc", [TypeError("forkert kald"), KeyError("ids"),
                                 chroma_errors.InvalidArgumentError("Expected where to be a dict")])
def test_mistakes_in_our_own_calls_pass_unchanged(exc):
    with pytest.raises(type(exc)):
        Guard(timeout=5).call(_raise(exc))


def test_the_log_says_once_when_chroma_fails_and_once_when_it_is_back(caplog):
    guard = Guard(timeout=5)
    refused = _raise(httpx.ConnectError("[Errno 111] Connection refused"))
    with caplog.at_level(logging.WARNING, logger="index.guard"):
        for _ in range(5):
            with pytest.raises(StoreUnavailable):
                guard.call(refused)
        guard.call(lambda: None)
        guard.call(lambda: None)
    assert [r.getMessage() for r in caplog.records] == [
        "Chroma fejler: ConnectError: [Errno 111] Connection refused", "Chroma svarer igen"]


def test_a_guarded_collection_bounds_its_methods_and_passes_attributes():
    release = threading.Event()

    class Collection:
        name = "referat-test"

        def count(self) -> int:
            release.wait(30)
            return 0

    class Client:
        def get_or_create_collection(self, name: str):
            return Collection()

    guard = Guard(timeout=0.3)
    collection = guard.wrap(Client()).get_or_create_collection("referat-test")
    assert collection.name == "referat-test"
    with pytest.raises(StoreUnavailable):
        collection.count()
    release.set()
    assert collection.count() == 0
