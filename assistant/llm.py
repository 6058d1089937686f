"""Optional generative answers through any OpenAI-compatible endpoint, checked against the sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.answering import ExtractiveAnswerer, citations_for
from assistant.config import Settings
from assistant.prompts import CANNOT_ANSWER, PromptBook
from assistant.retrieval import Retrieval, retrieved_items
from assistant.scoring import Scored
from assistant.types import Answer, Citation
from index.types import PARTICIPANTS_ITEM

REFERENCE = re.compile(r"\[(\d{1,3})\]")
MAX_PASSAGES = 6


class LLMUnavailable(RuntimeError):
    """The endpoint failed, timed out or answered nonsense."""


@dataclass(frozen=True)
class Passage:
    number: int
    entry: Scored

    def render(self) -> str:
        item = self.entry.item
        header = f"[{self.number}] {item.body} {item.date}, punkt {item.item} – {item.title}"
        return f"{header}, {self.entry.sentence.section}, s. {self.entry.sentence.page}\n{self.text}"

    @property
    def text(self) -> str:
        chunk = self.entry.chunk
        return chunk.text.split("\n", 1)[-1]


def make_llm(settings: Settings):
    from llama_index.core import Settings as LlamaSettings
    from llama_index.llms.openai_like import OpenAILike

    # llama-index's default tokenizer downloads tiktoken files on first use; we never need exact counts
    LlamaSettings.tokenizer = str.split
    return OpenAILike(
        model=settings.llm_model, api_base=settings.llm_base_url, api_key=settings.llm_api_key,
        is_chat_model=True, timeout=settings.llm_timeout, max_retries=0, temperature=0.1,
    )


class GenerativeAnswerer:
    """Numbered passages in, an answer with [n] references out; references are checked afterwards."""

    def __init__(self, llm, prompts: PromptBook, extractive: ExtractiveAnswerer) -> None:
        self.llm = llm
        self.prompts = prompts
        self.extractive = extractive

    def passages(self, question: str, retrieval: Retrieval) -> list[Passage]:
        from assistant.questions import classify

        scored = self.extractive.scorer.score(question, classify(question), retrieval)
        chosen: list[Scored] = []
        seen_chunks: set[str] = set()
        for entry in scored:
            if entry.chunk.id not in seen_chunks and entry.item.item != PARTICIPANTS_ITEM:
                seen_chunks.add(entry.chunk.id)
                chosen.append(entry)
            if len(chosen) == MAX_PASSAGES:
                break
        return [Passage(n, e) for n, e in enumerate(chosen, start=1)]

    def messages(self, question: str, passages: list[Passage]):
        from llama_index.core.llms import ChatMessage, MessageRole

        body = self.prompts.text(
            "answer", uddrag="\n\n".join(p.render() for p in passages), spoergsmaal=question,
            antal=str(len(passages)),
        )
        return [ChatMessage(role=MessageRole.SYSTEM, content=self.prompts.text("system")),
                ChatMessage(role=MessageRole.USER, content=body)]

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Answer]:
        """Yield text deltas as they arrive, then the checked Answer (extractive fallback on failure)."""
        fallback = self.extractive.answer(question, retrieval)
        if not fallback.found and not retrieval.items:
            yield fallback
            return
        passages = self.passages(question, retrieval)
        if not passages:
            yield fallback
            return
        parts: list[str] = []
        try:
            for response in self.llm.stream_chat(self.messages(question, passages)):
                delta = response.delta or ""
                if delta:
                    parts.append(delta)
                    yield delta
        except Exception as exc:
            yield _with_notice(fallback, self.prompts.text("llm_fejl"), repr(exc))
            return
        yield self.check("".join(parts), question, retrieval, passages, fallback)

    def check(self, raw: str, question: str, retrieval: Retrieval, passages: list[Passage],
              fallback: Answer) -> Answer:
        """Keep only references to passages that were given; no valid reference means no LLM answer."""
        by_number = {p.number: p for p in passages}
        used = [int(n) for n in REFERENCE.findall(raw) if int(n) in by_number]
        text = REFERENCE.sub(lambda m: m.group(0) if int(m.group(1)) in by_number else "", raw)
        text = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
        if CANNOT_ANSWER.lower() in text.lower() and not used:
            return self.extractive.not_found(question, retrieval)
        if not used:
            return _with_notice(fallback, self.prompts.text("llm_uden_kilder"), None)
        citations: list[Citation] = []
        for number in dict.fromkeys(used):
            citations.extend(citations_for([by_number[number].entry], retrieval.meetings))
        return Answer(question, text, True, tuple(citations), retrieved_items(retrieval))


def _with_notice(answer: Answer, notice: str, detail: str | None) -> Answer:
    return Answer(answer.question, answer.answer, answer.found, answer.citations, answer.retrieved,
                  answer.timings_ms, notice, answer.maybe_relevant)
