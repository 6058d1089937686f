"""The assistant as the CLI, the UI and the API use it: one index, one model, loaded once."""

from __future__ import annotations

import threading
import time
from functools import lru_cache

from assistant.answering import ExtractiveAnswerer
from assistant.config import Settings, get_settings
from assistant.prompts import PromptBook
from assistant.retrieval import Retrieval, Retriever
from assistant.types import Answer
from index.catalog import IndexConfig, MinutesIndex


def index_config(settings: Settings) -> IndexConfig:
    return IndexConfig(
        data_dir=settings.data_dir, model=settings.embed_model, model_cache=settings.model_cache,
        collection=settings.collection, chroma_host=settings.chroma_host, chroma_port=settings.chroma_port,
        batch_size=settings.embed_batch_size, chunk_words=settings.chunk_words,
    )


class Assistant:
    def __init__(self, settings: Settings | None = None, index: MinutesIndex | None = None) -> None:
        self.settings = settings or get_settings()
        self.prompts = PromptBook()
        self.index = index or MinutesIndex(index_config(self.settings))
        self.retriever = Retriever(self.index)
        self.extractive = ExtractiveAnswerer(self.index, self.prompts)
        self._lock = threading.Lock()

    def retrieve(self, question: str, k: int | None = None, meeting: str | None = None) -> Retrieval:
        return self.retriever.retrieve(question, k or self.settings.top_k, meeting)

    def ask(self, question: str, meeting: str | None = None, k: int | None = None) -> Answer:
        """Answer one question; the JSON of the result is the `referat ask --json` contract."""
        started = time.perf_counter()
        retrieval = self.retrieve(question, k, meeting)
        retrieved_at = time.perf_counter()
        answer = self.extractive.answer(question, retrieval)
        done = time.perf_counter()
        timings = {
            "retrieve": round((retrieved_at - started) * 1000, 1),
            "answer": round((done - retrieved_at) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        return Answer(answer.question, answer.answer, answer.found, answer.citations, answer.retrieved, timings,
                      answer.notice, answer.maybe_relevant)


@lru_cache(maxsize=1)
def get_assistant() -> Assistant:
    return Assistant()
