"""Speed of the partner and bridge suggestions on a generated benchmark set.

    python bench/bench_suggestions.py [--size M] [--seed 2026] [--sample 1000] [--no-all]

Prints: the time to build the projection and the suggestion index (cold), to fit the
learned model (features of the years up to 2021, labels the ties first formed in
2022–2023, as ``graphsvc fit-suggestions --years 2022-2023``), one organisation's
suggestions with the index warm (median, 95th percentile and maximum over a seeded
sample), the bridge suggestions, and suggestions for every organisation.
Targets on M: one organisation ≤ 50 ms, fit ≤ 60 s, bridges < 5 s, every organisation ≤ 120 s.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

from graphsvc.analysis.bridges import suggest_bridges
from graphsvc.analysis.evaluation import fit_on_window
from graphsvc.analysis.linkpred import link_index
from graphsvc.analysis.projection import graph_data_from_records, organisation_graph
from graphsvc.analysis.suggestions import gaps_lacking, suggest_partners, suggestion_index
from graphsvc.demo import generate


def _clock(f, *args, **kwargs):
    t = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["demo", "S", "M", "L"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sample", type=int, default=1000, help="organisations timed one by one")
    parser.add_argument("--no-all", action="store_true", help="skip suggestions for every organisation")
    args = parser.parse_args()

    print(f"graphsvc suggestions benchmark: size {args.size}, seed {args.seed}, "
          f"Python {platform.python_version()}, {platform.machine()}")
    records, t_gen = _clock(generate, args.size, seed=args.seed)
    data = graph_data_from_records(records)
    G, t_graph = _clock(organisation_graph, data)
    print(f"generate {t_gen:6.1f} s   projection {t_graph:6.2f} s   "
          f"{G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties")
    index, t_index = _clock(lambda: link_index(G, suggestion_index(G)))
    lacking, t_gaps = _clock(gaps_lacking, G)
    print(f"suggestion index (cold, once per graph) {t_index:6.2f} s   "
          f"lacking pairs {len(lacking)} in {t_gaps:.2f} s")
    model, t_fit = _clock(fit_on_window, data, (2022, 2023), lacking=gaps_lacking, seed=args.seed)
    print(f"fit the learned model on 2022–2023 ({model.meta['queries']:,} organisations, "
          f"{model.meta['pairs']:,} pairs): {t_fit:.1f} s   [target ≤ 60 s]")

    ids = sorted(G.nodes)
    rng = np.random.default_rng(args.seed)
    sample = [ids[i] for i in rng.choice(len(ids), min(args.sample, len(ids)), replace=False)]
    times = []
    for org in sample:
        _, t = _clock(suggest_partners, G, org, 10, lacking=lacking, model=model)
        times.append(t * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"one organisation, k=10, warm ({len(times)} sampled): median {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms   [target ≤ 50 ms]")
    hub = max(ids, key=G.degree)
    _, t_hub = _clock(suggest_partners, G, hub, 10, lacking=lacking, model=model)
    print(f"the most connected organisation ({G.degree(hub)} partners): {t_hub * 1000:.1f} ms")
    _, t_spread = _clock(suggest_partners, G, hub, 10, lacking=lacking, model=model, only_small=True,
                         max_distance_km=60)
    print(f"  with filters (only small, ≤ 60 km): {t_spread * 1000:.1f} ms")

    result, t_bridges = _clock(suggest_bridges, G, lacking, pairs=5, per_pair=3)
    print(f"bridges, 5 pairs × 3 proposals: {t_bridges:.2f} s   [target < 5 s]")
    for b in result.bridges:
        print(f"  {b.name_a}–{b.name_b}: " + "; ".join(f"{p.a_name} ↔ {p.b_name} ({p.score:.2f})" for p in b.pairs))

    if not args.no_all:
        t = time.perf_counter()
        count = sum(len(suggest_partners(G, org, 10, lacking=lacking, model=model).suggestions) for org in ids)
        t_all = time.perf_counter() - t
        print(f"every organisation ({len(ids):,}, {count:,} suggestions with reasons): {t_all:.1f} s "
              f"({t_all / len(ids) * 1000:.2f} ms each)   [target ≤ 120 s]")


if __name__ == "__main__":
    main()
