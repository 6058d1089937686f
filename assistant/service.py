"""The assistant as the CLI, the UI and the API use it: one index, one model, loaded once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from assistant.answering import ExtractiveAnswerer
from assistant.chat import condense_with_llm, condense_without_llm
from assistant.config import Settings, get_settings
from assistant.llm import GenerativeAnswerer, make_llm
from assistant.prompts import PromptBook
from assistant.retrieval import Retrieval, Retriever
from assistant.scope import Scope
from assistant.types import Answer
from index.catalog import IndexConfig, MinutesIndex


def index_config(settings: Settings) -> IndexConfig:
    return IndexConfig(
        data_dir=settings.data_dir, model=settings.embed_model, model_cache=settings.model_cache,
        collection=settings.collection, chroma_host=settings.chroma_host, chroma_port=settings.chroma_port,
        batch_size=settings.embed_batch_size, chunk_words=settings.chunk_words, max_file_mb=settings.max_upload_mb,
        backend=settings.embed_backend, query_backend=settings.query_backend,
        ocr_max_pages=settings.ocr_max_pages, ocr_timeout=settings.ocr_timeout, vector_cache=settings.vector_cache,
    )


class Assistant:
    def __init__(self, settings: Settings | None = None, index: MinutesIndex | None = None) -> None:
        self.settings = settings or get_settings()
        self.prompts = PromptBook()
        self.index = index or MinutesIndex(index_config(self.settings))
        self.retriever = Retriever(self.index)
        self.extractive = ExtractiveAnswerer(self.index, self.prompts)
        self.llm = make_llm(self.settings) if self.settings.llm_base_url else None
        self.generative = GenerativeAnswerer(self.llm, self.prompts, self.extractive) if self.llm else None
        self._lock = threading.Lock()

    def warm_up(self) -> dict[str, float]:
        """Load what the first question would otherwise wait for, once, and say how long each part took."""
        timings = {}
        warm = getattr(self.index.embedder, "warm_up", None)
        if warm is not None:
            timings["model"] = warm()
        started = time.perf_counter()
        self.retrieve("Hvad blev besluttet om budgettet?")  # Chroma's query path, stemmer, BM25; no LLM
        timings["retrieval"] = time.perf_counter() - started
        return timings

    def retrieve(self, question: str, k: int | None = None, meeting: str | None = None,
                 within: Scope | None = None) -> Retrieval:
        return self.retriever.retrieve(question, k or self.settings.top_k, meeting, within)

    def condense(self, question: str, history: list[dict] | None) -> str:
        if self.llm is not None:
            return condense_with_llm(self.llm, self.prompts, question, history)
        return condense_without_llm(question, history)

    def stream(self, question: str, history: list[dict] | None = None, meeting: str | None = None,
               k: int | None = None, within: Scope | None = None) -> Iterator[str | Answer]:
        """Text deltas (LLM only), then the final Answer with timings."""
        started = time.perf_counter()
        standalone = self.condense(question, history)
        retrieval = self.retrieve(standalone, k, meeting, within)
        retrieved_at = time.perf_counter()
        final: Answer | None = None
        if self.generative is not None:
            for event in self.generative.stream(standalone, retrieval):
                if isinstance(event, str):
                    yield event
                else:
                    final = event
        else:
            final = self.extractive.answer(standalone, retrieval)
        done = time.perf_counter()
        timings = {
            "retrieve": round((retrieved_at - started) * 1000, 1),
            "answer": round((done - retrieved_at) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        yield replace(final, question=question, timings_ms=timings)

    def respond(self, question: str, history: list[dict] | None = None, meeting: str | None = None,
                k: int | None = None, within: Scope | None = None) -> Answer:
        """Answer one question (with an optional conversation); the JSON is the `ask --json` contract."""
        events = list(self.stream(question, history, meeting, k, within))
        return events[-1]

    def ask(self, question: str, meeting: str | None = None, k: int | None = None) -> Answer:
        return self.respond(question, None, meeting, k)


@lru_cache(maxsize=1)
def get_assistant() -> Assistant:
    return Assistant()
