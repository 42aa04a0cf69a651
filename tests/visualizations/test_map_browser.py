"""Every interactive map in a real browser: it draws its nodes, shows hostile names as
text and asks the network for nothing."""

from __future__ import annotations

import time

import pytest

from visualizations.html import write_html
from visualizations.maps import municipality_level_map, municipality_map, network_map, organisation_map
from visualizations.settings import MapSettings

pytestmark = pytest.mark.browser

STATIC = MapSettings(static_layout_threshold=0)  # layout from Python, physics off


def _views(G):
    return {
        "network": network_map(G, isolated=["e"], settings=STATIC),
        "network-physics": network_map(G, isolated=["e"]),
        "geo": network_map(G, geographic=True, isolated=["e"]),
        "organisation": organisation_map(G, "b", depth=2, settings=STATIC),
        "municipality": municipality_map(G, "751", geographic=True),
        "municipalities": municipality_level_map(G, lacking=[("741", "665")]),
    }


def _open(browser, path, *, bypass_csp=False):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=bypass_csp)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    deadline = time.monotonic() + 60
    while not page.evaluate("() => !!(window.graphsvcMap && window.graphsvcMap.drawnAt !== null)"):
        assert time.monotonic() < deadline, f"not drawn within 60 s; errors: {errors}"
        page.wait_for_timeout(50)
    return context, page, requests, errors


_INKED = """() => {
  const c = document.querySelector('#map canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
  return n;
}"""


@pytest.mark.parametrize("name", ["network", "network-physics", "geo", "organisation", "municipality",
                                  "municipalities"])
def test_map_draws_its_nodes_offline(browser, G, tmp_path, name):
    view = _views(G)[name]
    path = write_html(view, tmp_path / f"{name}.html")
    context, page, requests, errors = _open(browser, path)
    try:
        assert page.evaluate("() => graphsvcMap.nodes.length") == len(view.nodes)
        assert page.evaluate("() => graphsvcMap.edges.length") == len(view.edges)
        assert page.evaluate(_INKED) > 200
        assert requests == [path.as_uri()]
        assert errors == []
        assert page.title() == view.title
    finally:
        context.close()


def _hover(page, node_id):
    box = page.locator("#map").bounding_box()
    at = page.evaluate("id => graphsvcMap.network.canvasToDOM(graphsvcMap.network.getPosition(id))", node_id)
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.locator("#tip").wait_for(state="visible", timeout=5000)
    return page.locator("#tip .name").text_content()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_name_is_shown_as_text(browser, G, hostile, tmp_path, bypass_csp):
    """Without the page's Content-Security-Policy too: the escaping alone must hold."""
    path = write_html(network_map(G, settings=STATIC), tmp_path / "map.html")
    context, page, _, errors = _open(browser, path, bypass_csp=bypass_csp)
    try:
        assert _hover(page, "d") == hostile
        assert "<img" in page.locator("#tip").text_content()
        assert page.locator("#tip img").count() == 0
        page.fill("#search", "æblerød")
        assert page.locator("#results li").first.text_content().startswith(hostile)
        page.keyboard.press("Enter")
        assert page.evaluate("() => graphsvcMap.network.getSelectedNodes()") == ["d"]
        assert page.evaluate("() => window.__xss") is None
        assert errors == []
    finally:
        context.close()


def test_danish_letters_on_screen_and_filters(browser, G, tmp_path):
    path = write_html(network_map(G, isolated=["e"], settings=STATIC), tmp_path / "map.html")
    context, page, _, _ = _open(browser, path)
    try:
        assert _hover(page, "b") == "Kunstmuseum Århus"
        assert "Lemvig" in page.locator("#legend").text_content()
        assert page.locator("#shown").text_content() == "6 af 6 organisationer vist"
        page.select_option("#filter-municipality", "751")
        assert page.locator("#shown").text_content() == "2 af 6 organisationer vist"
        hidden = page.evaluate("() => graphsvcMap.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()")
        assert hidden == ["a", "c", "e", "f"]
        page.select_option("#filter-municipality", "")
        page.check("#filter-isolated")
        assert page.locator("#shown").text_content() == "1 af 6 organisationer vist"
    finally:
        context.close()


def test_many_ties_are_drawn_on_the_canvas(browser, G, hostile, tmp_path):
    settings = MapSettings(static_layout_threshold=0, canvas_edges_threshold=0)
    path = write_html(network_map(G, settings=settings), tmp_path / "map.html", settings=settings)
    context, page, requests, errors = _open(browser, path)
    try:
        assert page.evaluate("() => [graphsvcMap.nodes.length, graphsvcMap.edges.length, graphsvcMap.edgeCount]") == [6, 0, 5]
        inked = page.evaluate(_INKED)
        assert inked > 200
        assert _hover(page, "d") == hostile
        page.select_option("#filter-municipality", "741")  # only the organisation without ties
        page.mouse.move(1, 1)
        page.wait_for_timeout(300)
        assert page.evaluate(_INKED) < inked
        assert requests == [path.as_uri()] and errors == []
    finally:
        context.close()


def test_large_map_opens_on_the_overview(browser, G, tmp_path):
    view = network_map(G, settings=MapSettings(overview_threshold=3, static_layout_threshold=0))
    path = write_html(view, tmp_path / "map.html")
    context, page, requests, errors = _open(browser, path)
    try:
        assert page.evaluate("() => graphsvcMap.nodes.length") == 19
        page.click("#switch")
        deadline = time.monotonic() + 30
        while page.evaluate("() => graphsvcMap.drawnAt") is None:
            assert time.monotonic() < deadline
            page.wait_for_timeout(50)
        assert page.evaluate("() => graphsvcMap.nodes.length") == 6
        assert requests == [path.as_uri()] and errors == []
    finally:
        context.close()
