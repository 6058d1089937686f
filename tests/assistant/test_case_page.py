"""The case view (`/sag/{case}`): a case's treatments across meetings, for a person, over real HTTP."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

from tests.index.test_cases import _written_meetings
from tests.support.server import ThreadServer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def case_server(assistant_over, tmp_path_factory):
    from app import create_app

    assistant = assistant_over(_written_meetings(tmp_path_factory.mktemp("sager")))
    with ThreadServer(create_app(assistant.settings, assistant)) as running:
        yield running


def rows(page: str) -> list[tuple[str, str]]:
    """(date heading, decision or the no-decision line) per treatment, in page order."""
    found = re.findall(r'<li class="behandling"><h2><time datetime="[^"]+">([^<]+)</time> · ([^<]+)</h2>'
                       r'.*?(?:<blockquote class="kilde-citat">([^<]*)</blockquote>|<p class="ingen-beslutning">)',
                       page, re.S)
    return [(f"{date} · {body}", decision or None) for date, body, decision in found]


def test_case_view_lists_each_treatment_oldest_first_with_its_decision(case_server):
    page = httpx.get(case_server.base + "/sag/Sagsnr.:%2024-009396")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Sag 24-009396</h1>" in page.text
    assert rows(page.text) == [
        ("5. marts 2024 · Teknik- og Miljøudvalget", "Udvalget sendte forslaget i høring i otte uger."),
        ("12. juni 2024 · Teknik- og Miljøudvalget", "Udvalget anbefalede lokalplanen endeligt vedtaget."),
        ("26. juni 2024 · Byrådet", "Byrådet vedtog lokalplanen endeligt."),
        ("20. august 2024 · Klima- og Planudvalget", "Orienteringen blev taget til efterretning."),
    ]
    assert "Seneste beslutning: 20. august 2024 (Klima- og Planudvalget)" in page.text
    # each treatment opens its own minutes at the decision's page, and the link works
    links = re.findall(r'href="(/kilde/[^"#]+)#page=(\d+)"', page.text)
    assert len(links) == 4 and len({link for link, _ in links}) == 4
    assert httpx.get(case_server.base + links[0][0]).status_code == 200


def test_case_view_of_an_item_without_decision_and_of_an_unknown_case(case_server):
    page = httpx.get(case_server.base + "/sag/24-004455")
    assert rows(page.text) == [("26. juni 2024 · Byrådet", None)]
    assert "Punktet har ingen beslutning i referatet." in page.text
    missing = httpx.get(case_server.base + "/sag/SAG-1999-99999")
    assert missing.status_code == 404 and "Sagen SAG-1999-99999 findes ikke" in missing.text
    # what a visitor types into the address is shown as text, never as markup
    hostile = httpx.get(case_server.base + "/sag/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert hostile.status_code == 404 and "<script>" not in hostile.text


def test_case_view_in_a_browser(case_server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 900, "height": 820})
        page.goto(case_server.base + "/sag/LOKALPLAN%201221")
        assert page.locator("li.behandling").count() == 4
        assert page.evaluate("document.documentElement.lang") == "da"
        # the README's screenshot of the case view is refreshed on request only
        page.screenshot(path=str(Path(os.environ.get("REFERAT_SCREENSHOT_DIR", tmp_path)) / "sag.png"))
        browser.close()
