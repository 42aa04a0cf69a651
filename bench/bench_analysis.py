"""Benchmark of the analyses (centrality, isolation, gaps, communities) on the demo sizes.

For each size: the projection (organisation graph), then the four analyses with the
fast engine, then — on S and M — the same work with ``engine="networkx"`` (the same
definitions, sources and seed, computed by networkx alone). Prints wall-clock and CPU
seconds (the CPU time of this process: what the run costs on a machine nobody else is
using) and whether the targets are met. On M it also compares sampled betweenness with
exact betweenness: Spearman rank correlation over the 100 organisations with the
highest exact betweenness, and how many of them the sample puts in its own top 100.

    python bench/bench_analysis.py                  # S, M and L; networkx on S and M
    python bench/bench_analysis.py --sizes S M --no-exact
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from contextlib import contextmanager

import numpy as np

TARGETS = {"S": 1.0, "M": 8.0, "L": 60.0}
NETWORKX_SIZES = ("S", "M")


@contextmanager
def timer(out: dict, key: str):
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    out[key] = (time.perf_counter() - wall, time.process_time() - cpu)


def analyses(G, data, params) -> dict[str, tuple[float, float]]:
    from graphsvc.analysis import centrality, communities, isolated_actors, municipality_gaps

    times: dict[str, tuple[float, float]] = {}
    with timer(times, "centrality"):
        result = centrality(G, params=params, municipalities=data.municipalities)
    with timer(times, "isolation"):
        isolated_actors(G, params=params, municipalities=data.municipalities)
    with timer(times, "gaps"):
        municipality_gaps(G, data.municipalities, params=params)
    with timer(times, "communities"):
        communities(G, params=params, municipalities=data.municipalities)
    times["_method"] = (result.betweenness_method, result.sources)
    return times


def fresh_copy(G):
    """The same graph as a new object, so no cached arrays are reused between engines."""
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(G.edges(data=True))
    return H


def spearman_top(G, params) -> str:
    from scipy.stats import spearmanr

    from graphsvc.analysis import _engine as engine

    ix = engine.indexed(G)
    wall, cpu = time.perf_counter(), time.process_time()
    exact = engine.betweenness(ix)
    took = (time.perf_counter() - wall, time.process_time() - cpu)
    sampled = engine.betweenness(ix, sources=engine.sample_sources(G, params.betweenness_samples, params.seed))
    top = np.argsort(-exact, kind="stable")[:100]
    rho = spearmanr(exact[top], sampled[top]).statistic
    overlap = len(set(top.tolist()) & set(np.argsort(-sampled, kind="stable")[:100].tolist()))
    return (f"  sampled ({params.betweenness_samples} sources, seed {params.seed}) vs exact betweenness, "
            f"top 100 by exact: Spearman {rho:.3f}; {overlap} of them in the sample's top 100 "
            f"(exact betweenness took {took[0]:.0f} s wall, {took[1]:.0f} s CPU)")


def line(label: str, times: dict) -> str:
    parts = [f"{k} {w:.2f}/{c:.2f}" for k, (w, c) in times.items() if not k.startswith("_")]
    total_w = sum(w for k, (w, _) in times.items() if not k.startswith("_"))
    total_c = sum(c for k, (_, c) in times.items() if not k.startswith("_"))
    return f"  {label:<9} total {total_w:6.2f} s wall / {total_c:6.2f} s CPU   ({', '.join(parts)})", total_w, total_c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=["demo", "S", "M", "L"])
    parser.add_argument("--seed", type=int, default=2026, help="seed of the demo generator")
    parser.add_argument("--no-networkx", action="store_true", help="skip the pure-networkx runs")
    parser.add_argument("--no-exact", action="store_true", help="skip exact betweenness on M")
    args = parser.parse_args()

    import igraph
    import networkx

    from graphsvc.analysis import AnalysisParams, graph_data_from_records, organisation_graph
    from graphsvc.demo import generate

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {platform.python_version()}, networkx {networkx.__version__}, igraph {igraph.__version__}, "
          f"{os.cpu_count()} cores, load average {load:.1f} at start")
    print("times: wall/CPU seconds; targets are for the four analyses together (items 2–5)")
    params = AnalysisParams()
    for size in args.sizes:
        records = generate(size, seed=args.seed)
        data = graph_data_from_records(records)
        proj: dict = {}
        with timer(proj, "projection"):
            G = organisation_graph(data, params=params)
        print(f"\n{size}: {G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties; "
              f"projection {proj['projection'][0]:.2f} s wall / {proj['projection'][1]:.2f} s CPU")
        fast = analyses(G, data, params)
        method, sources = fast["_method"]
        text, total_w, total_c = line("fast", fast)
        print(text)
        target = TARGETS.get(size)
        if target:
            verdict = "met" if total_w < target else ("met in CPU time" if total_c < target else "MISSED")
            print(f"  target < {target:g} s: {verdict} ({total_w:.2f} s wall, {total_c:.2f} s CPU); "
                  f"betweenness {method} ({sources} sources)")
        if size in NETWORKX_SIZES and not args.no_networkx:
            slow = analyses(fresh_copy(G), data, params.model_copy(update={"engine": "networkx"}))
            text, slow_w, slow_c = line("networkx", slow)
            print(text)
            print(f"  speed-up {slow_w / total_w:.1f}x wall, {slow_c / total_c:.1f}x CPU")
        if size == "M" and not args.no_exact:
            print(spearman_top(G, params))


if __name__ == "__main__":
    main()
