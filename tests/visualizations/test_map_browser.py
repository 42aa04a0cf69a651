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


def _box(page, selector):
    return page.locator(selector).bounding_box()


def _overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("size", [(1440, 900), (1920, 1080), (900, 560)], ids=["1440", "1920", "iframe"])
def test_panel_and_legend_never_cover_the_map(browser, G, tmp_path, size):
    """Measured from the element boxes: the panel, legend and source line sit beside the
    map, and the chosen organisation is drawn inside the map's box."""
    path = write_html(organisation_map(G, "b", depth=2, isolated=["e"], settings=STATIC), tmp_path / "map.html")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.graphsvcMap && graphsvcMap.drawnAt !== null", timeout=60000)
        page.evaluate("() => graphsvcMap.focusNode('b')")
        map_box = _box(page, "#map")
        for part in ("#panel", "#legend", "#footer", "#filter-municipality"):
            box = _box(page, part)
            assert box is not None and not _overlap(box, map_box), part
        assert not _overlap(_box(page, "#panel"), _box(page, "#legend"))
        at = page.evaluate("() => graphsvcMap.network.canvasToDOM(graphsvcMap.network.getPosition('b'))")
        x, y = map_box["x"] + at["x"], map_box["y"] + at["y"]
        assert map_box["x"] < x < map_box["x"] + map_box["width"]
        assert map_box["y"] < y < map_box["y"] + map_box["height"]
    finally:
        context.close()


def test_dropdown_lists_names_in_alphabetical_order(browser, G, tmp_path):
    G.add_node("x", name="Ærø Kunstforening", municipality_code="492")
    path = write_html(network_map(G, settings=STATIC), tmp_path / "map.html")
    context, page, _, errors = _open(browser, path)
    try:
        options = page.eval_on_selector_all("#filter-municipality option", "os => os.map(o => o.textContent)")
        assert options == ["Alle kommuner", "Aarhus", "Herning", "Lemvig", "Samsø", "Ærø"]
        assert errors == []
    finally:
        context.close()


def test_filter_names_its_organisations_and_zooms_to_them(browser, G, tmp_path):
    for i in range(60):  # more than a map names in full (60)
        G.add_node(f"z{i:02d}", name=f"Herning forening {i}", municipality_code="657")
    path = write_html(network_map(G, isolated=["e"], settings=MapSettings(static_layout_threshold=0, label_top=1)),
                      tmp_path / "map.html")
    context, page, _, errors = _open(browser, path)
    labels = "() => graphsvcMap.nodes.get({filter: n => !!n.label}).map(n => n.id).sort()"
    try:
        assert page.evaluate(labels) == ["b"]  # the top organisation only (label_top=1)
        scale = page.evaluate("() => graphsvcMap.network.getScale()")
        page.select_option("#filter-municipality", "751")
        assert page.evaluate(labels) == ["b", "d"]  # Aarhus: both named
        assert page.evaluate("() => graphsvcMap.zoomedTo") == 2
        assert page.evaluate("() => graphsvcMap.network.getScale()") > scale
        page.select_option("#filter-municipality", "")
        page.check("#filter-isolated")
        assert page.evaluate(labels) == ["b", "e"]  # the isolated one is named
        page.uncheck("#filter-isolated")
        assert page.evaluate(labels) == ["b"]
        assert page.evaluate("() => graphsvcMap.zoomedTo") is None
        assert errors == []
    finally:
        context.close()


def test_tooltips_speak_danish_numbers_and_words(browser, G, tmp_path):
    metrics = {n: {"pagerank": 1.323e-05, "municipalities_reached": 3} for n in G}
    metrics["b"]["pagerank"] = 1234.5
    path = write_html(network_map(G, metrics=metrics, size_by="pagerank", settings=STATIC), tmp_path / "map.html")
    context, page, _, _ = _open(browser, path)
    try:
        _hover(page, "a")
        text = page.locator("#tip").text_content()
        assert "0,0000132" in text and "kommuner nået3" in text
        assert "e-" not in text and "municipalities_reached" not in text
        page.mouse.move(1, 1)
        _hover(page, "b")
        assert "1.234,5" in page.locator("#tip").text_content()
    finally:
        context.close()


def test_overview_expands_a_municipality_on_click(browser, G, tmp_path):
    view = network_map(G, settings=MapSettings(overview_threshold=3, static_layout_threshold=0))
    path = write_html(view, tmp_path / "map.html")
    context, page, requests, errors = _open(browser, path)
    try:
        assert page.evaluate("() => graphsvcMap.view.kind") == "municipalities"
        box = _box(page, "#map")
        at = page.evaluate("() => graphsvcMap.network.canvasToDOM(graphsvcMap.network.getPosition('751'))")
        page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
        page.wait_for_function("() => graphsvcMap.view.kind === 'network' && graphsvcMap.drawnAt !== null",
                               timeout=30000)
        assert page.locator("#filter-municipality").input_value() == "751"
        assert page.locator("#shown").text_content() == "2 af 6 organisationer vist"
        assert page.evaluate("() => graphsvcMap.zoomedTo") == 2
        assert requests == [path.as_uri()] and errors == []
    finally:
        context.close()
