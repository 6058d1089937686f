"""Follow-up questions: the conversation's topic carries over, by an LLM rewrite or by its key terms."""

from __future__ import annotations

import re
import sys

from assistant.questions import FRAMING, REFERS_BACK, classify, topic_terms
from index.lexical import stems

SHORT = 6
# "… om det?", "punktet", "sagen" (not "sagen om …"), "samme": the question points back whatever else it names
POINTS_BACK = re.compile(
    r"\b(?:om|til|for|med|i|af|på|ved)\s+(?:det|den|dem|dette|denne|disse)\s*\??\s*$"
    r"|\b(?:punktet|sagen|emnet|beslutningen)\b(?!\s+(?:om|vedr|angående))|\bsamme\b", re.I)
# a capitalised word that names who decides or where, not what about ("Hvad besluttede Økonomiudvalget?")
BODY_WORD = re.compile(r"(?:udvalg\w*|råd\w*|bestyrelse\w*|nævn\w*|forsamling\w*|kommune\w*|region\w*)$", re.I)
ITEM_OR_CASE = re.compile(r"\bpunkt\s+\d|\b[A-ZÆØÅ]{2,}-?\d|\d{2}\.\d{2}\.\d{2}", re.I)


def user_turns(history: list[dict] | None) -> list[str]:
    return [str(turn.get("content", "")) for turn in history or [] if turn.get("role") == "user"]


def names_its_subject(question: str) -> bool:
    """A proper name past the first word ("Børnehus Nord", "Klimaalliancen"), an item or a case number: the
    question says what it is about, so the previous question's words would only blur it."""
    if ITEM_OR_CASE.search(question):
        return True
    for word in re.findall(r"[\wÆØÅæøå-]+", question)[1:]:
        if word[:1].isupper() and not BODY_WORD.search(word) and not (set(stems(word)) <= FRAMING):
            return True
    return False


def needs_context(question: str) -> bool:
    """Short, subjectless or referring-back questions lean on what was asked before; one that names its own
    subject does not, unless it points back outright ("Hvad mente Aalborg Kommune om det?")."""
    if classify(question).attendance:
        return False
    if POINTS_BACK.search(question):
        return True
    if names_its_subject(question):
        return False
    return len(question.split()) <= SHORT or bool(REFERS_BACK.search(question)) or len(topic_terms(question)) <= 1


def condense_without_llm(question: str, history: list[dict] | None) -> str:
    """The new question plus the topic words of the previous one: 'Hvad stiger taksten til? (Børnehus Nord)'."""
    previous = user_turns(history)
    if not previous or not needs_context(question):
        return question
    carried = [w for w in _topic_words(previous[-1]) if w.lower() not in question.lower()]
    return f"{question} ({' '.join(carried)})" if carried else question


def _topic_words(question: str) -> list[str]:
    wanted = set(topic_terms(question))
    from index.lexical import stems

    words = []
    for word in question.replace("?", " ").split():
        stem = stems(word)
        if stem and stem[0] in wanted and word not in words:
            words.append(word.strip(",.;:!"))
    return words


def condense_with_llm(llm, prompts, question: str, history: list[dict] | None) -> str:
    """Ask the LLM to rewrite the follow-up as a standalone question; fall back to the heuristic."""
    if not user_turns(history):
        return question
    from llama_index.core.llms import ChatMessage, MessageRole

    conversation = "\n".join(f"{'Bruger' if t.get('role') == 'user' else 'Assistent'}: {t.get('content', '')}"
                             for t in (history or [])[-6:])
    prompt = prompts.text("condense", samtale=conversation, spoergsmaal=question)
    try:
        reply = llm.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        rewritten = (reply.message.content or "").strip().splitlines()[0].strip()
    except Exception:
        return condense_without_llm(question, history)
    return rewritten if 3 <= len(rewritten) <= 500 else condense_without_llm(question, history)


def terminal_chat(assistant, meeting: str | None) -> int:
    """An interactive Danish session: `referat ask --chat`."""
    history: list[dict] = []
    print("Stil et spørgsmål om referaterne (tom linje eller Ctrl-D afslutter).")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        answer = None
        for event in assistant.stream(question, history=history, meeting=meeting):
            if isinstance(event, str):
                print(event, end="", flush=True)
            else:
                answer = event
        if answer is None:
            continue
        if not assistant.llm:
            print(answer.answer, end="")
        print()
        if answer.notice:
            print(f"({answer.notice})")
        for number, citation in enumerate(answer.citations, start=1):
            print(f"  [{number}] {citation.as_text()}")
        sys.stdout.flush()
        history.extend([{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}])
