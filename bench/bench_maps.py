"""Size and speed of the interactive maps, and the time to draw them in a browser.

    python bench/bench_maps.py [--sizes S M] [--seed 2026] [--keep DIR]

For each generated size: the time of the analyses the maps show, then for the network
map and the geographic map the time to build the HTML, its size, and the time until the
page has drawn the map in headless Chromium (from navigation start to the network's
first ``afterDrawing``, measured in the page). A map that opens on the municipality
overview also gets the time from the click on "show the whole network" until the full
network is drawn. Last, the time to draw each map as a PNG.
Targets: S drawn under 3 s; M usable (drawn under 20 s, or an overview first).
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

from graphsvc.analysis.centrality import centrality
from graphsvc.analysis.communities import communities
from graphsvc.analysis.gaps import municipality_gaps
from graphsvc.analysis.isolation import isolated_actors
from graphsvc.analysis.projection import graph_data_from_records, organisation_graph
from graphsvc.demo import generate
from visualizations.html import write_html
from visualizations.maps import network_map
from visualizations.static import map_figure, save_figure

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _clock(f, *args, **kwargs):
    t = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t


def _wait_drawn(page, timeout: float = 300.0) -> float:
    deadline = time.monotonic() + timeout
    while True:
        drawn = page.evaluate("() => window.graphsvcMap ? graphsvcMap.drawnAt : null")
        if drawn is not None:
            return drawn / 1000
        if time.monotonic() > deadline:
            raise TimeoutError("the map was not drawn")
        page.wait_for_timeout(50)


def _browser_times(browser, path: Path) -> tuple[float, float | None, int]:
    """Seconds from navigation start to the first drawing; for an overview, seconds from
    the click to the full network drawn; and the nodes drawn at the end."""
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), timeout=300_000)
    first = _wait_drawn(page)
    full = None
    if page.locator("#switch").is_visible():
        clicked = page.evaluate("() => performance.now()") / 1000
        page.click("#switch")
        full = _wait_drawn(page) - clicked
    nodes = page.evaluate("() => graphsvcMap.nodes.length")
    page.close()
    if requests != [path.as_uri()]:
        raise AssertionError(f"the page made requests: {requests}")
    return first, full, nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M"], choices=["demo", "S", "M", "L"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", type=Path, default=None, help="keep the files in this folder")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-maps-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"graphsvc maps benchmark: sizes {' '.join(args.sizes)}, seed {args.seed}, "
          f"Python {platform.python_version()}, {platform.machine()}, files in {folder}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        version = browser.version
        print(f"browser: Chromium {version} (headless), viewport 1600×900")
        for size in args.sizes:
            G = organisation_graph(graph_data_from_records(generate(size, seed=args.seed)))
            print(f"\n{size}: {G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties")
            cent, t_c = _clock(centrality, G)
            iso, t_i = _clock(isolated_actors, G)
            gaps, t_g = _clock(municipality_gaps, G)
            comm, t_m = _clock(communities, G)
            print(f"  analyses: centrality {t_c:.1f} s, isolation {t_i:.1f} s, gaps {t_g:.1f} s, "
                  f"communities {t_m:.1f} s")
            reasons = iso.reasons_in("da")
            lacking = gaps.pairs[gaps.pairs["lacking"]]
            options = {
                "metrics": cent.table, "membership": comm.membership,
                "isolated": {i: list(reasons.loc[i]) for i in iso.table.index},
                "lacking": list(zip(lacking["code_a"], lacking["code_b"]))[:10],
                "lacking_total": len(lacking),
                "expected": gaps.expected,
            }
            print(f"  {'map':<8} {'build s':>8} {'HTML MB':>8} {'drawn s':>8} {'full s':>8} "
                  f"{'nodes':>7} {'PNG s':>7}")
            for name, geographic in (("map", False), ("geomap", True)):
                path = folder / f"{name}-{size}.html"
                t = time.perf_counter()
                view = network_map(G, geographic=geographic, **options)
                write_html(view, path)
                build = time.perf_counter() - t
                first, full, nodes = _browser_times(browser, path)
                t = time.perf_counter()
                static = network_map(G, geographic=geographic, interactive=False, **options)
                save_figure(map_figure(static), folder / f"{name}-{size}.png", "png")
                png = time.perf_counter() - t
                full_text = f"{full:8.1f}" if full is not None else f"{'–':>8}"
                overview = " (opens on the overview)" if full is not None else ""
                print(f"  {name:<8} {build:8.1f} {path.stat().st_size / 1e6:8.1f} {first:8.1f} "
                      f"{full_text} {nodes:7,} {png:7.1f}{overview}")
        browser.close()


if __name__ == "__main__":
    main()
