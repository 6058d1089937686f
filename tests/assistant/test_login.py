"""Who is asking: an OpenID Connect login against a provider started here, trusted headers only from trusted
proxies, and the page itself behind the login in a real browser."""

from __future__ import annotations

import contextlib

import httpx
import pytest

from tests.assistant.test_access import CLOSED_FACTS, INTERNAL_FACTS, QUESTIONS, leaks
from tests.support.fake_idp import FakeIdentityProvider
from tests.support.proxy import PROXY_ADDRESS, AuthenticatingProxy
from tests.support.server import ThreadServer

pytestmark = pytest.mark.integration

GROUPS = "medlem=byraad;medarbejder=alle-ansatte;admin=referat-admin"
CLOSED_QUESTION, INTERNAL_QUESTION = QUESTIONS[0], QUESTIONS[6]
HTML = {"Accept": "text/html"}


def app_with(assistant, **settings):
    from app import create_app
    from assistant.config import Settings

    return create_app(Settings(data_dir=assistant.settings.data_dir, role_groups=GROUPS, **settings), assistant)


@pytest.fixture(scope="module")
def idp():
    with FakeIdentityProvider("referat", "klient-hemmelighed") as provider:
        yield provider


@pytest.fixture(scope="module")
def oidc_server(access_assistant, idp):
    app = app_with(access_assistant, oidc_issuer=idp.issuer, oidc_client_id="referat",
                   oidc_client_secret="klient-hemmelighed", session_secret="test-nøgle")
    with ThreadServer(app) as running:
        yield running


@contextlib.contextmanager
def login(server, idp, user: dict, start: str = "/widget/"):
    """A client that followed the whole redirect dance: app → /login → provider → /auth → back where it began."""
    idp.next_user = user
    with httpx.Client(follow_redirects=True, timeout=60) as client:
        page = client.get(server.base + start, headers=HTML)
        assert page.status_code == 200 and page.url.path == start, page.text[:300]
        yield client


def test_without_login_nothing_answers(oidc_server):
    base = oidc_server.base
    assert httpx.post(f"{base}/api/ask", json={"question": CLOSED_QUESTION}).status_code == 401
    assert httpx.get(f"{base}/api/meetings").status_code == 401
    page = httpx.get(f"{base}/", headers=HTML)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/"
    # a forged session cookie is not a login
    forged = httpx.get(f"{base}/api/meetings", cookies={"referat_session": "eyJyZWZlcmF0X2JydWdlciI6IHt9fQ=="})
    assert forged.status_code == 401
    # a load balancer's probes need no login, and say nothing about the minutes' contents
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{base}/readyz")
    assert ready.status_code == 200 and CLOSED_QUESTION not in ready.text


def test_oidc_login_gives_each_user_the_role_of_their_groups(oidc_server, idp):
    base = oidc_server.base
    with login(oidc_server, idp, {"sub": "1", "preferred_username": "anne", "groups": ["byraad"]}) as member:
        assert {"/.well-known/openid-configuration", "/authorize", "/token", "/jwks"} <= set(idp.requests)
        assert "7.350.000" in member.post(f"{base}/api/ask", json={"question": CLOSED_QUESTION}).json()["answer"]
    with login(oidc_server, idp, {"sub": "2", "preferred_username": "bo", "groups": ["alle-ansatte"]}) as staff:
        assert leaks(staff.post(f"{base}/api/ask", json={"question": CLOSED_QUESTION}).json(), CLOSED_FACTS) == []
        assert "Mågevej" in staff.post(f"{base}/api/ask", json={"question": INTERNAL_QUESTION}).json()["answer"]
        staff.get(f"{base}/logout")
        assert staff.get(f"{base}/api/meetings").status_code == 401
    with login(oidc_server, idp, {"sub": "3", "preferred_username": "cai"}, start="/") as public:
        answer = public.post(f"{base}/api/ask", json={"question": INTERNAL_QUESTION}).json()
        assert leaks(answer, CLOSED_FACTS + INTERNAL_FACTS) == []
        meeting_id = public.get(f"{base}/api/meetings").json()[0]["id"]
        assert public.get(f"{base}/kilde/{meeting_id}").status_code == 403


def test_trusted_headers_count_only_from_the_trusted_proxy(access_assistant, tmp_path):
    """nginx signs users in and sets the headers; a client that sends them itself, bypassing it, is refused."""
    users = {"anne": ("a-kode", "byraad"), "bo": ("b-kode", "alle-ansatte")}
    app = app_with(access_assistant, trusted_user_header="X-Remote-User", trusted_groups_header="X-Remote-Groups",
                   trusted_proxies=PROXY_ADDRESS)
    with ThreadServer(app) as server, AuthenticatingProxy(tmp_path / "nginx", server.port, users) as proxy:
        def ask(auth, headers=None, base=proxy.base) -> httpx.Response:
            return httpx.post(f"{base}/api/ask", json={"question": CLOSED_QUESTION}, auth=auth,
                              headers=headers or {}, timeout=120)

        assert "7.350.000" in ask(("anne", "a-kode")).json()["answer"]
        # bo claims anne's groups in his own headers: the proxy replaces them with his
        forged = {"X-Remote-User": "anne", "X-Remote-Groups": "byraad"}
        assert leaks(ask(("bo", "b-kode"), forged).json(), CLOSED_FACTS) == []
        assert ask(("bo", "forkert")).status_code == 401  # the proxy's own login
        # straight to the app, around the proxy, with the same headers: not from the proxy, so no user
        assert ask(None, forged, base=server.base).status_code == 401


@pytest.mark.browser
def test_the_page_needs_a_login_in_the_browser(oidc_server, idp):
    from playwright.sync_api import sync_playwright

    from tests.test_app import BROWSER_ARGS

    idp.next_user = {"sub": "4", "preferred_username": "dina", "groups": ["ingen-rolle"]}
    idp.requests.clear()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page()
        page.goto(oidc_server.base + "/")
        page.wait_for_selector("#spoergsmaal textarea", timeout=60000)
        assert "/authorize" in idp.requests  # the page was reached only through the provider
        # the intranet widget, signed in by the same session, answers as the same role
        page.goto(oidc_server.base + "/widget/?organ=Havsted")
        page.wait_for_selector("#spoergsmaal textarea", timeout=60000)
        page.fill("#spoergsmaal textarea", CLOSED_QUESTION)
        page.press("#spoergsmaal textarea", "Enter")
        page.wait_for_function("() => document.querySelector('#samtale .tur') &&"
                               " !document.querySelector('#samtale .svar.venter')", timeout=90000)
        shown = page.inner_text("#samtale")
        browser.close()
    # the meeting was searched (it is named in the reply), but nothing of its closed item is shown
    assert leaks(shown.replace(CLOSED_QUESTION, ""), CLOSED_FACTS) == [] and "Havsted Byråd" in shown
