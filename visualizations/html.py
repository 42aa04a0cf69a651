"""Interactive maps: one self-contained HTML file per map.

The page holds everything it needs: the vis-network script and styles (inlined from
``visualizations/assets``), the map's data as JSON and a small script that draws it. It
makes no network request (a Content-Security-Policy forbids any), declares UTF-8, and
every text from the data reaches the page only as text: names are drawn on the canvas
or put into the DOM with ``textContent``, and the JSON is escaped so that nothing in it
can close its ``<script>`` element.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from visualizations import geo, theme
from visualizations.text import t
from visualizations.settings import MapSettings
from visualizations.views import MapView, format_value

__all__ = ["render_html", "write_html", "json_for_script"]

_ASSETS = resources.files("visualizations") / "assets"
PX_PER_KM = 25.0  # geographic maps: screen pixels per kilometre at zoom 1
PX_PER_KM_MUNICIPALITIES = 6.0  # the municipality map fits a screen at about zoom 1
PX_PER_UNIT = 30.0  # network layouts: pixels per layout unit (about one per node)
_UI_KEYS = ("ui.search", "ui.all_municipalities", "ui.all_kinds", "ui.no_match", "ui.shown",
            "ui.full_network", "ui.overview", "legend.size")


# vis-network, the drawing library of pyvis, inlined from the copy pyvis ships
_VIS = resources.files("pyvis") / "lib" / "vis-9.1.2"


@cache
def _asset(name: str) -> str:
    folder = _VIS if name.startswith("vis-network.") else _ASSETS
    text = (folder / name).read_text(encoding="utf-8")
    if name.endswith(".js"):
        # the page has no map file beside it; the reference would only make tools ask for one
        # split on "\n" only: the minified script holds other line-break characters
        text = "\n".join(line for line in text.split("\n")
                         if not line.startswith("//# sourceMappingURL="))
    return text


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_asset("map.html.j2"))


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are
    written as escapes, so a text such as ``</script>`` cannot end the element.

    >>> json_for_script({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _r(v: float) -> float:
    return round(v, 1)


def _view_payload(view: MapView, settings: MapSettings) -> dict[str, Any]:
    k = {"geo": PX_PER_KM, "municipalities": PX_PER_KM_MUNICIPALITIES}.get(view.kind, PX_PER_UNIT)
    n = len(view.nodes)
    if view.kind == "municipalities":
        smallest, largest = 10.0, 40.0
    elif n > 2000:
        smallest, largest = 3.0, 14.0
    else:
        smallest, largest = 5.0, 22.0
    index = {nv.id: i for i, nv in enumerate(view.nodes)}
    nodes = [
        {"i": nv.id, "n": nv.name, "x": _r(nv.x * k), "y": _r(-nv.y * k),
         "s": _r(smallest + (largest - smallest) * nv.size), "c": nv.colour, "m": nv.municipality,
         "k": nv.kind, "v": list(nv.values),
         "f": (1 if nv.isolated else 0) | (2 if nv.focus else 0) | (4 if nv.show_label else 0)}
        for nv in view.nodes
    ]
    wide = 14.0 if view.kind == "municipalities" else 4.0
    edges = []
    for ev in view.edges:
        row: list[Any] = [index[ev.source], index[ev.target], _r(0.6 + wide * ev.width),
                          format_value(ev.weight, view.lang)]
        if ev.text or ev.dashed or ev.colour != theme.EDGE_COLOUR:
            row += [ev.colour, ev.dashed, ev.text]
        edges.append(row)
    payload: dict[str, Any] = {
        "kind": view.kind,
        "title": view.title,
        "source": view.source_line,
        "date": view.date,
        "attribution": view.attribution or "",
        "legendTitle": view.legend_title,
        "legend": [{"label": li.label, "colour": li.colour, "symbol": li.symbol,
                    "count": li.count} for li in view.legend],
        "sizeNote": view.size_note,
        "fields": list(view.fields),
        "nodes": nodes,
        "edges": edges,
        "physics": view.physics,
        "canvasEdges": not view.physics and len(view.edges) > settings.canvas_edges_threshold,
        "labelAll": n <= 60,
        "municipalities": [list(p) for p in view.municipalities],
        "kinds": view.kinds,
        "background": [],
        "places": [],
    }
    if view.background:
        payload["background"] = [
            [_r(v) for x, y in ring for v in (x * k, -y * k)] for _, ring in view.background
        ]
        if view.kind == "geo":
            centres = geo.municipality_centres()
            payload["places"] = [[name, _r(centres[c][0] * k), _r(-centres[c][1] * k)]
                                 for c, name in view.municipalities if c in centres]
            if any(nv.municipality not in centres for nv in view.nodes):
                ox, oy = geo.OUTSIDE_CENTRE
                payload["outside"] = [_r(ox * k), _r(-oy * k), _r(10 * k),
                                      "Uden for regionen" if view.lang == "da" else "Outside the region"]
    return payload


def render_html(view: MapView, *, settings: MapSettings | None = None) -> str:
    """The map as one self-contained HTML page (UTF-8). With ``view.overview`` set, the
    page opens on the overview and draws the full map on request."""
    settings = settings or MapSettings()
    views = [view.overview, view] if view.overview else [view]
    views = [_view_payload(v, settings) for v in views]
    text = {key: t(view.lang, key, shown="{shown}", total="{total}", metric="{metric}")
            for key in _UI_KEYS}
    text.update({"ui.loading": t(view.lang, "ui.loading"), "ui.only_isolated": t(view.lang, "ui.only_isolated")})
    payload = json_for_script({"lang": view.lang, "text": text, "views": views})
    vis_js, map_js = _asset("vis-network.min.js"), _asset("map.js")
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           f"script-src {_sha256(vis_js)} {_sha256(map_js)}; base-uri 'none'; form-action 'none'")
    return _template().render(
        lang=view.lang, title=view.title, text=text, csp=csp, payload=payload,
        vis_css=_asset("vis-network.css"), map_css=_asset("map.css"), vis_js=vis_js, map_js=map_js,
    )


def write_html(view: MapView, path: str | Path, *, settings: MapSettings | None = None) -> Path:
    """Write ``render_html(view)`` to ``path`` as UTF-8 and return the path."""
    path = Path(path)
    path.write_text(render_html(view, settings=settings), encoding="utf-8")
    return path
