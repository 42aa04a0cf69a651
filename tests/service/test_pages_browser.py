"""The pages in Debian's headless Chromium against a real server on 127.0.0.1, on the demo
region: dashboard, an organisation with its suggestions and map, an import through the
page, English; no request leaves the machine and a hostile name stays text."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from tests.live_server import serve
from service_region import HOSTILE, TOKEN

from graphsvc.app import create_app
from graphsvc.model import Actor, Records
from graphsvc.settings import Settings
from graphsvc.store import open_store

pytestmark = pytest.mark.browser

HOSTILE_ID = "0-hostile"  # ranks first among the demo's actors without ties (ties broken by id)
NEW_ACTORS = (
    "Navn;Kommune;Type;Kunstart\r\n"
    "Skæve Ølkor;Århus;kor;musik\r\n"
    "Øster Åby Teaterforening;Lemvig;forening;teater\r\n"
).encode("cp1252")


@pytest.fixture
def server(demo_store_copy):
    """uvicorn on 127.0.0.1 (a free port) over a copy of the demo store with one hostile name."""
    store = open_store(Settings(data_dir=demo_store_copy))
    try:
        store.write(Records(actors=[Actor(id=HOSTILE_ID, name=HOSTILE, kind="forening", size="small",
                                          municipality_code="741")]))
    finally:
        store.close()
    app = create_app(Settings(data_dir=demo_store_copy, admin_token=TOKEN))
    with serve(app) as url:
        yield url


def api(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return json.load(r)


def danish(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def wait_for(page, script: str, what: str, timeout_s: float = 60):
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"{what} within {timeout_s} s"
        page.wait_for_timeout(50)


def test_pages_in_a_browser(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    requests, errors = [], []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(60_000)
    try:
        counts = api(server, "/api/info")["counts"]

        # the dashboard: counts, the lacking pairs, the isolated actors (the hostile one first, as text)
        page.goto(server + "/")
        assert page.locator("html").get_attribute("lang") == "da"
        assert page.locator("h1").text_content() == "Overblik"
        assert page.locator('[data-count="Actor"]').text_content() == danish(counts["Actor"])
        assert page.locator('[data-count="Institution"]').text_content() == danish(counts["Institution"])
        assert page.locator('[data-count="Project"]').text_content() == danish(counts["Project"])
        # the ten pairs most lacking ties (smallest p-value first), each with its state in
        # words, in the API's order (docs/analysis.md, "Cross-municipal gaps")
        pairs = api(server, "/api/analysis/gaps?top=10")["pairs"]
        shown_pairs = page.locator("#lacking-pairs tbody tr")
        assert shown_pairs.count() == len(pairs) == 10
        for i, p in enumerate(pairs):
            cells = shown_pairs.nth(i).locator("td")
            assert cells.nth(0).text_content() == f"{p['name_a']} – {p['name_b']}"
            assert cells.nth(1).text_content() == p["state_name"]
            assert shown_pairs.nth(i).get_attribute("class") == f"state-{p['state']}"
            assert cells.nth(2).text_content() == str(p["observed"])
        isolated = page.locator("#isolated tbody tr")
        assert isolated.count() == 15
        assert isolated.first.locator("a").first.text_content() == HOSTILE
        assert page.locator("#isolated img").count() == 0
        assert isolated.nth(1).locator("ul.reasons li").count() >= 1
        assert page.evaluate("() => window.__xss") is None

        # follow a link to the most central organisation: its suggestions with reasons, its map
        link = page.locator("#central tbody tr a").first
        name = link.text_content()
        link.click()
        page.wait_for_url("**/organisations/**")
        assert page.locator("h1").text_content() == name
        # five suggestions shown, five more folded away; the partners paged (25 at a time)
        suggestions = page.locator("#suggestions tbody tr, #suggestions-more tbody tr")
        assert suggestions.count() == 10
        assert page.locator("#suggestions tbody tr").count() == 5
        for i in range(suggestions.count()):
            assert suggestions.nth(i).locator("ul.reasons li").count() >= 1
        org_id = page.url.split("/organisations/", 1)[1].split("?", 1)[0]
        neighbours = api(server, f"/api/organisations/{org_id}")["neighbours"]
        partner_ids = {n["id"] for n in neighbours}
        partners = {n["name"] for n in neighbours}
        shown = page.locator("#partners-table tbody tr td:first-child a").all_text_contents()
        assert len(shown) == min(25, len(partner_ids)) and set(shown) <= partners
        assert page.locator("#partners").text_content().startswith(f"Partnere ({len(partner_ids)})")
        suggested = set(suggestions.locator("td:first-child a").all_text_contents())
        assert partners and not partners & suggested
        page.locator("iframe.map").scroll_into_view_if_needed()
        frame = next(f for f in page.frames if "/api/maps/organisation/" in f.url)
        wait_for(frame, "() => !!(window.graphsvcMap && window.graphsvcMap.drawnAt !== null)", "the map drawn")
        assert frame.evaluate("() => graphsvcMap.nodes.length") == len(partner_ids) + 1

        # the hostile organisation's own page
        page.goto(f"{server}/organisations/{HOSTILE_ID}")
        assert page.locator("h1").text_content() == HOSTILE
        assert page.title() == f"{HOSTILE} · graphsvc"
        assert page.locator("main img").count() == 0
        assert page.evaluate("() => window.__xss") is None

        # import through the page: check, see the report, confirm, see the counts change
        page.locator('header a[href^="/import"]').click()
        page.wait_for_url("**/import**")
        assert page.locator('#counts td[data-kind="Actor"]').text_content() == danish(counts["Actor"])
        assert page.locator("#confirm").is_hidden()
        page.fill("#token", TOKEN)
        page.set_input_files("#files", files=[{"name": "nye aktører.csv", "mimeType": "text/csv",
                                                "buffer": NEW_ACTORS}])
        page.click("#check")
        page.locator("#report-counts").wait_for()
        rows = page.locator("#report-counts tr").all_inner_texts()
        assert [r.split("\t") for r in rows[1:]] == [["aktører", "2", "0", "0"]]
        assert page.locator("#problems li").all_text_contents() == ["Ingen problemer."]
        assert api(server, "/api/info")["counts"]["Actor"] == counts["Actor"]  # nothing written yet
        assert page.locator("#confirm").is_visible()
        page.click("#confirm")
        new = danish(counts["Actor"] + 2)
        page.locator(f'#counts td[data-kind="Actor"]:text-is("{new}")').wait_for()
        assert page.locator("#confirm").is_hidden()
        assert api(server, "/api/info")["counts"]["Actor"] == counts["Actor"] + 2

        # the dashboard shows the new counts; then English
        page.locator('header a[href^="/?"]').first.click()
        page.wait_for_url(server + "/?lang=da")
        assert page.locator('[data-count="Actor"]').text_content() == new
        page.click('a[hreflang="en"]')
        page.wait_for_url("**lang=en**")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").text_content() == "Overview"
        assert page.locator('[data-count="Actor"]').text_content() == f"{counts['Actor'] + 2:,}"
        assert page.locator("#isolated ul.reasons li").first.text_content() == \
            "no shared project or declared collaboration"
        page.goto(server + "/organisations")  # the language sticks (cookie)
        assert page.locator("h1").text_content() == "Organisations"

        assert errors == []
        outside = [u for u in requests if not u.startswith((server + "/", "data:", "blob:", "about:"))]
        assert outside == []
        assert any("/api/maps/organisation/" in u for u in requests)
        assert any(u.startswith(server + "/static/") for u in requests)
    finally:
        context.close()
