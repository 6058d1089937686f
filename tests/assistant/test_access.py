"""Closed items stay closed: each role asks the real API (HTTP) about an open, an internal and a closed item.

The fixture minutes (Havsted Byråd) hold one item of each level, each with facts found nowhere else. For every
role the JSON of every answer — text, citations, suggestions, not-found wording, everything but the echoed
question — must hold none of the facts above the role's level, and the roles entitled to them must get them.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.support.fake_llm import FakeLLMServer
from tests.support.server import ThreadServer

pytestmark = pytest.mark.integration

MINUTES = FIXTURES / "access-byraad-2024-05-14.txt"
CLOSED_CASE, INTERNAL_CASE = "02.34.02-P20-11-24", "00.15.00-A00-7-24"
# facts, title words, case number and quotes of each item
CLOSED_FACTS = ["Pindsvinevej", "Saxtorph", "7.350.000", CLOSED_CASE, "tinglyst", "Køb af ejendom", "fortrolighed"]
INTERNAL_FACTS = ["Mågevej", "915.000", "Omorganisering", INTERNAL_CASE, "Nordby", "vejafdeling"]
QUESTIONS = [
    "Hvad koster ejendommen på Pindsvinevej?",                        # a closed fact
    "Hvem sælger ejendommen Pindsvinevej 88?",                        # a closed name
    f"Hvad blev besluttet i sag {CLOSED_CASE}?",                      # the closed case number
    "Hvad handler punkt 3 om?",                                       # the closed item's number
    "Sælger kræver fortrolighed, indtil skødet er tinglyst – hvornår?",  # a closed quote
    "Hvornår bliver skødet tinglyst i retten for huset?",             # near the closed item, worded apart
    "Hvor samles vejafdelingen?",                                     # an internal fact
    "Hvor stor er besparelsen ved omorganiseringen?",                 # an internal amount
    "Hvad koster legepladsen ved Havsted Strand?",                    # open: everyone gets it
]
TOKENS = {"offentlig": "tok-offentlig", "medarbejder": "tok-medarbejder", "medlem": "tok-medlem"}


@pytest.fixture(scope="module")
def assistant(access_assistant):
    return access_assistant


@pytest.fixture(scope="module")
def server(assistant):
    from app import create_app
    from assistant.config import Settings

    settings = Settings(data_dir=assistant.settings.data_dir,
                        api_tokens=",".join(f"{token}={role}" for role, token in TOKENS.items()))
    with ThreadServer(create_app(settings, assistant)) as running:
        yield running


def leaks(data, facts: list[str]) -> list[str]:
    """The facts that appear anywhere in a JSON reply, the echoed question apart."""
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "question"}
    text = json.dumps(data, ensure_ascii=False).casefold()
    return [fact for fact in facts if fact.casefold() in text]


def ask(server, role: str, question: str) -> dict:
    response = httpx.post(f"{server.base}/api/ask", json={"question": question}, timeout=60,
                          headers={"Authorization": f"Bearer {TOKENS[role]}"})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("role", ["offentlig", "medarbejder", "medlem"])
def test_answers_hold_only_what_the_role_may_read(server, role: str):
    hidden = {"offentlig": CLOSED_FACTS + INTERNAL_FACTS, "medarbejder": CLOSED_FACTS, "medlem": []}[role]
    seen: set[str] = set()
    for question in QUESTIONS:
        answer = ask(server, role, question)
        assert leaks(answer, hidden) == [], (role, question, answer["answer"])
        seen.update(leaks(answer, CLOSED_FACTS + INTERNAL_FACTS))
    assert "640.000" in ask(server, role, QUESTIONS[-1])["answer"]  # the open item is answered for everyone
    if role in ("medarbejder", "medlem"):
        assert {"Mågevej", "915.000"} <= seen
    if role == "medlem":
        assert {"7.350.000", "Saxtorph"} <= seen


def test_case_history_meetings_and_source_file_follow_the_role(server, assistant):
    def get(role: str | None, path: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {TOKENS[role]}"} if role else {}
        return httpx.get(server.base + path, headers=headers, timeout=30)

    closed, internal = get("offentlig", f"/api/sager/{CLOSED_CASE}"), get("offentlig", f"/api/sager/{INTERNAL_CASE}")
    unknown = get("offentlig", "/api/sager/99.99.99-X99-1-99")
    # a case the role may not see is answered exactly as an unknown one, apart from the number it echoes
    assert (closed.status_code, internal.status_code, unknown.status_code) == (404, 404, 404)
    assert leaks(closed.json(), CLOSED_FACTS[:-1]) == [CLOSED_CASE]  # only the number the user typed
    assert get("medarbejder", f"/api/sager/{CLOSED_CASE}").status_code == 404
    staff = get("medarbejder", f"/api/sager/{INTERNAL_CASE}").json()
    assert "tog orienteringen" in staff["meetings"][0]["decision"]["text"]
    member = get("medlem", f"/api/sager/{CLOSED_CASE}").json()
    assert "7.350.000" in member["meetings"][0]["decision"]["text"]

    meeting_id = assistant.index.meetings()[0].meeting_id
    for role in ("offentlig", "medarbejder", "medlem"):
        listed = get(role, "/api/meetings").json()
        assert [m["id"] for m in listed] == [meeting_id] and leaks(listed, CLOSED_FACTS + INTERNAL_FACTS) == []
    # the file holds the closed item's full text: members only
    assert get("offentlig", f"/kilde/{meeting_id}").status_code == 403
    assert get("medarbejder", f"/kilde/{meeting_id}").status_code == 403
    assert "Saxtorph" in get("medlem", f"/kilde/{meeting_id}").text
    # citations of the open item do not link a file the reader may not open
    assert all(c["url"] is None for c in ask(server, "offentlig", QUESTIONS[-1])["citations"])
    assert all(c["url"] for c in ask(server, "medlem", QUESTIONS[-1])["citations"])


def test_tokens_without_or_with_a_wrong_token_are_refused(server):
    assert httpx.post(f"{server.base}/api/ask", json={"question": "Hvad koster legepladsen?"}).status_code == 401
    wrong = httpx.get(f"{server.base}/api/meetings", headers={"Authorization": "Bearer forkert"})
    assert wrong.status_code == 401 and "adgangsnøgle" in wrong.json()["fejl"]
    # uploads and removals need the admin role, which none of these tokens has
    upload = httpx.post(f"{server.base}/api/meetings", headers={"Authorization": f"Bearer {TOKENS['medlem']}"},
                        files={"files": (MINUTES.name, MINUTES.read_bytes(), "text/plain")})
    assert upload.status_code == 403 and "admin" in upload.json()["fejl"]


def test_the_llm_is_sent_nothing_above_the_role(assistant):
    from assistant.config import Settings
    from assistant.service import Assistant

    with FakeLLMServer() as llm:
        settings = Settings(data_dir=assistant.settings.data_dir, llm_base_url=llm.base_url, llm_timeout=10)
        generative = Assistant(settings, index=assistant.index)
        for question in QUESTIONS[:3]:
            llm.replies.append({"text": "Det fremgår ikke [1]."})
            generative.respond(question, clearance="åben")
        sent = json.dumps([r["body"] for r in llm.requests], ensure_ascii=False)
        asked = " ".join(QUESTIONS[:3]).casefold()
        assert llm.requests and not [f for f in CLOSED_FACTS if f in sent and f.casefold() not in asked]
        llm.replies.append({"text": "Ejendommen koster 7.350.000 kr. [1]"})
        generative.respond(QUESTIONS[0], clearance="lukket")
        assert "Saxtorph" in json.dumps(llm.requests[-1]["body"], ensure_ascii=False)


def test_each_question_leaves_one_audit_line_without_its_text(server, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="referat.audit"):
        ask(server, "medlem", QUESTIONS[0])
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "referat.audit"]
    assert len(lines) == 1 and lines[0]["rolle"] == "medlem" and lines[0]["tegn"] == len(QUESTIONS[0])
    assert lines[0]["citeret"] and "Pindsvinevej" not in json.dumps(lines[0], ensure_ascii=False)
