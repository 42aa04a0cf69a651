"""The pages a strategist presents from, in Debian's headless Chromium on the demo region:
each filter through its form, the explanations and the method page, the pair page from a
matrix cell, paging, downloads, and screenshots at 1440 px and 1920×1080 checked for overlapping boxes.
One browser and one server for the module."""

from __future__ import annotations

import json
import shutil
import urllib.parse
import urllib.request

import pytest
from tests.live_server import serve

from graphsvc.app import create_app
from graphsvc.settings import Settings

pytestmark = pytest.mark.browser

# For every element of these, its children must not overlap one another and must stay
# inside the page's width.
OVERLAP = """(selectors) => {
  const found = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) found.push("page wider than the window");
  for (const parent of document.querySelectorAll(selectors)) {
    const kids = [...parent.children].filter(e => {
      const s = getComputedStyle(e); const r = e.getBoundingClientRect();
      return s.display !== "none" && s.visibility !== "hidden" && s.position !== "absolute" && r.width > 0 && r.height > 0;
    });
    for (let i = 0; i < kids.length; i++) {
      const a = kids[i].getBoundingClientRect();
      if (a.right > width + 1 && !kids[i].closest(".matrix-wrap")) found.push(`${kids[i].tagName}.${kids[i].className} runs off the page`);
      for (let j = i + 1; j < kids.length; j++) {
        const b = kids[j].getBoundingClientRect();
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1) found.push(`${kids[i].tagName}#${kids[i].id}.${kids[i].className} over ${kids[j].tagName}#${kids[j].id}.${kids[j].className}`);
      }
    }
  }
  return found;
}"""
BLOCKS = "main, main > section, main > .grid2, .grid2 > section, .cards, .card, form.filters, header, nav.pager"


@pytest.fixture(scope="module")
def server(demo_store_dir, tmp_path_factory):
    """uvicorn on 127.0.0.1 (a free port) over a copy of the demo store."""
    folder = shutil.copytree(demo_store_dir, tmp_path_factory.mktemp("presenting") / "store")
    app = create_app(Settings(data_dir=folder))
    with serve(app) as url:
        yield url


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="da-DK", accept_downloads=True)
    errors: list[str] = []
    p = context.new_page()
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.set_default_timeout(60_000)
    yield p
    context.close()
    assert errors == []


def api(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return json.load(r)


def numbers(texts: list[str]) -> list[int]:
    return [int(t.replace(".", "")) for t in texts]


def test_filters_through_the_forms(page, server):
    names = {m["code"]: m["name"] for m in api(server, "/api/municipalities")["data"]}
    # the dashboard: a municipality, then a year window; each a link that keeps the other
    page.goto(server + "/")
    options = page.locator('#filters select[name="municipality"] option').all_text_contents()
    assert options[1:] == sorted(names.values(), key=str.casefold)
    page.select_option('#filters select[name="municipality"]', label="Lemvig")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**municipality=665**")
    cells = page.locator("#isolated tbody tr td:nth-child(2)").all_text_contents()
    assert cells and set(cells) == {"Lemvig"}
    assert all("Lemvig" in t for t in page.locator("#lacking-pairs tbody tr td:first-child").all_text_contents())
    page.fill('#filters input[name="from"]', "2020")
    page.fill('#filters input[name="to"]', "2022")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**from=2020**")
    assert "to=2022" in page.url and "municipality=665" in page.url
    expected = api(server, "/api/analysis/isolated?from=2020&to=2022&municipality=665&top=15")
    shown = page.locator("#isolated tbody tr td:first-child a").all_text_contents()
    assert shown == [r["name"] for r in expected["data"]]
    # a size and an art form on the dashboard
    page.select_option('#filters select[name="size"]', "small")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**size=small**")
    ids = [a.split("/organisations/")[1].split("?")[0]
           for a in page.locator("#isolated tbody tr td:first-child a").evaluate_all("l => l.map(a => a.href)")]
    sizes = {o["id"]: o["size_resolved"] for o in api(server, "/api/organisations?municipality=665&limit=1000")["data"]}
    assert ids and {sizes[i] for i in ids} == {"small"}

    # the organisation list: a kind and an art form, then sorted by partners
    page.goto(server + "/organisations")
    kind = page.locator('#filters select[name="kind"] option').nth(1).get_attribute("value")
    page.select_option('#filters select[name="kind"]', kind)
    art = page.locator('#filters select[name="art_form"] option').nth(1).get_attribute("value")
    page.select_option('#filters select[name="art_form"]', art)
    page.click("#filters button[type=submit]")
    page.wait_for_url("**kind=**")
    listed = api(server, f"/api/organisations?kind={urllib.parse.quote(kind)}&art_form={urllib.parse.quote(art)}")
    assert page.locator("#found").text_content() == f"{listed['count']} fundet"
    assert {t.split(" (")[0] for t in page.locator("#organisations tbody td:nth-child(2)").all_text_contents()} == {kind}
    page.click('#organisations th[data-sort="partners"] a')
    page.wait_for_url("**sort=partners**")
    page.click('#organisations th[data-sort="partners"] a')
    page.wait_for_url("**sort=-partners**")
    shown = numbers(page.locator("#organisations tbody td:nth-child(5)").all_text_contents())
    assert shown == sorted(shown, reverse=True) and shown[0] > shown[-1]
    assert page.locator('#filters select[name="kind"]').input_value() == kind  # the filter stays
    # the size column is filled for every row
    page.goto(server + "/organisations")
    assert set(page.locator("#organisations tbody td:nth-child(3)").all_text_contents()) <= {
        "lille", "mellem", "stor", "ukendt"}


def test_explanations_and_the_method_page(page, server):
    page.goto(server + "/")
    helps = page.locator("abbr.help")
    assert helps.count() == 18
    for title in helps.evaluate_all("l => l.map(e => e.title)"):
        assert title and title.endswith(".")
    ties = page.locator('.card:has([data-count="ties"]) abbr.help')
    assert ties.get_attribute("title").startswith("Antal par af organisationer")
    assert page.locator("#central-note").text_content().startswith("Rangeret efter betweenness (mellemled).")
    page.locator("#central-note a").click()
    page.wait_for_url("**/metode**")
    assert page.locator("h1").text_content() == "Sådan regner vi"
    assert page.locator("#centralitet").is_visible()
    assert page.locator("html").get_attribute("lang") == "da"


def test_pair_page_from_a_matrix_cell(page, server):
    page.goto(server + "/")
    cell = page.locator("#matrix td.cell a").first
    title = cell.get_attribute("title")
    cell.click()
    page.wait_for_url("**/municipalities/*/*")
    a, b = page.url.split("/municipalities/")[1].split("?")[0].split("/")
    pair = next(p for p in api(server, "/api/analysis/gaps")["pairs"] if {p["code_a"], p["code_b"]} == {a, b})
    assert page.locator("#pair-observed").text_content() == str(pair["observed"])
    assert page.locator("#pair-state").text_content() == pair["state_name"]
    assert title.startswith(f"{page.locator('h1').text_content().replace(' og ', '–')}: {pair['observed']} fælles")
    assert page.locator("#pair-reasons li").all_text_contents() == pair["reasons"]
    assert page.locator("#pair-bridges tbody tr").count() >= 1
    # from the pair page to one of its municipalities and back through its table
    page.locator("main > p a").first.click()
    page.wait_for_url(f"**/municipalities/{a}?**")
    page.locator(f'#ties a[href*="/municipalities/{a}/{b}"]').click()
    page.wait_for_url(f"**/municipalities/{a}/{b}?**")


def test_long_organisation_page_is_paged(page, server):
    top = api(server, "/api/organisations?sort=-partners&limit=1")["data"][0]
    assert top["partners"] > 25
    page.goto(f"{server}/organisations/{top['id']}")
    assert page.locator("#partners-table tbody tr").count() == 25
    first = page.locator("#partners-table tbody tr td:first-child").all_text_contents()
    page.click("#partners-pager a[rel=next]")
    page.wait_for_url("**partners_offset=25**")
    second = page.locator("#partners-table tbody tr td:first-child").all_text_contents()
    assert len(second) == min(25, top["partners"] - 25) and not set(first) & set(second)
    assert page.evaluate("document.documentElement.scrollHeight") < 6000
    page.click("#more-suggestions summary")
    assert page.locator("#suggestions-more tbody tr").first.is_visible()


def test_downloads(page, server):
    page.goto(server + "/")
    for selector, start, suffix in [('#matrix-section .hent a[data-format="png"]', b"\x89PNG", ".png"),
                                    ('section:has(#central) .hent a[data-format="xlsx"]', b"PK", ".xlsx")]:
        with page.expect_download() as info:
            page.locator(selector).first.click()
        download = info.value
        assert download.suggested_filename.endswith(suffix)
        with open(download.path(), "rb") as f:
            assert f.read(4).startswith(start)


@pytest.mark.parametrize("width,height", [(1440, 900), (1920, 1080)])
def test_screens_do_not_overlap(page, server, tmp_path, width, height):
    page.set_viewport_size({"width": width, "height": height})
    top = api(server, "/api/organisations?sort=-partners&limit=1")["data"][0]
    pair = api(server, "/api/analysis/gaps?top=1")["pairs"][0]
    for name, url in [("dashboard", "/"), ("organisation", f"/organisations/{top['id']}"),
                      ("municipality", "/municipalities/665"),
                      ("pair", f"/municipalities/{pair['code_a']}/{pair['code_b']}")]:
        page.goto(server + url)
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate(OVERLAP, BLOCKS) == [], (name, width)
