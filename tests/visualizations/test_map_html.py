import json
import re
from html import unescape

from visualizations.html import json_for_script, render_html, write_html
from visualizations.maps import network_map


def test_json_for_script_cannot_close_its_element(hostile):
    text = json_for_script({"name": hostile})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": hostile}


def test_page_is_self_contained_utf8_and_escaped(G, hostile, tmp_path):
    path = write_html(network_map(G), tmp_path / "map.html")
    raw = path.read_bytes()
    html = raw.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "Kunstmuseum Århus".encode("utf-8") in raw
    # the hostile name appears only escaped
    assert "<img src=x" not in html
    assert html.count("</script>") == 3
    # nothing is fetched: no external script, style, image or font
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "sourceMappingURL" not in html
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert csp.startswith("default-src 'none';") and "'unsafe-inline'" not in csp.split("script-src")[1]
    assert "vis-network" in html  # the library is inlined


def test_payload_holds_every_node_and_edge(G):
    html = render_html(network_map(G))
    data = json.loads(re.search(r'<script id="graphsvc-data" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    (view,) = data["views"]
    assert sorted(n["i"] for n in view["nodes"]) == list("abcdef")
    assert len(view["edges"]) == 5
    assert data["lang"] == "da" and view["title"] == "Kultursamarbejdet i Region Midtjylland"
