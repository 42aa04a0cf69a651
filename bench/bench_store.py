"""Benchmark: demo data through canonical CSV into an on-disk LadybugDB store and back
out as a networkx graph. Prints figures; not a test.

    python bench/bench_store.py                 # sizes S and M
    python bench/bench_store.py --sizes S,M,L

Steps, each timed with ``time.perf_counter``:
  generate   graphsvc.demo.generate(size)
  csv write  loaders.canonical.write_canonical into a temp folder
  csv read   loaders.canonical.read_canonical of those files (validated records)
  load       open_store(Settings(data_dir=tmp)) and write the records (new store)
  reload     write the same records again (unchanged re-import: every MERGE matches)
  read rows  graphsvc.analysis.read_graph_data: every row the analyses read
  graph      graphsvc.analysis.organisation_graph: organisations as nodes, an edge per
             pair sharing a project or a collaboration, weight = how many
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ladybug
import networkx as nx

from graphsvc.analysis.projection import organisation_graph, read_graph_data
from graphsvc.demo import SIZES, generate
from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders.canonical import read_canonical, write_canonical

STEPS = ("generate", "csv write", "csv read", "load", "reload", "read rows", "graph")


def _timed(times: dict[str, float], step: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = fn()
    times[step] = time.perf_counter() - start
    return result


def bench(size: str, seed: int) -> tuple[dict[str, float], dict[str, int]]:
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=f"graphsvc-bench-{size}-") as tmp:
        folder = Path(tmp)
        records = _timed(times, "generate", lambda: generate(size, seed=seed))
        paths = _timed(times, "csv write", lambda: write_canonical(records, folder / "csv"))
        read_back = _timed(times, "csv read", lambda: read_canonical(paths))
        if read_back.total() != records.total():
            raise SystemExit(f"{size}: read {read_back.total()} records, wrote {records.total()}")
        store = open_store(Settings(data_dir=folder / "db"))
        try:
            _timed(times, "load", lambda: store.write(records))
            _timed(times, "reload", lambda: store.write(records))
            data = _timed(times, "read rows", lambda: read_graph_data(store))
            G = _timed(times, "graph", lambda: organisation_graph(data))
            store_counts = store.counts()
        finally:
            store.close()
        csv_bytes = sum(p.stat().st_size for p in paths)
        db_bytes = sum(p.stat().st_size for p in (folder / "db").rglob("*") if p.is_file())
    counts = {
        "organisations": len(records.actors) + len(records.institutions),
        "projects": len(records.projects),
        "participations": len(records.participations),
        "collaborations": len(records.collaborations),
        "memberships+attendances": len(records.memberships) + len(records.attendances),
        "records": records.total(),
        "store nodes": sum(v for k, v in store_counts.items() if k[0].isupper() and not k.isupper()),
        "store relationships": sum(v for k, v in store_counts.items() if k.isupper()),
        "graph nodes": G.number_of_nodes(),
        "graph edges": G.number_of_edges(),
        "csv MB": round(csv_bytes / 1e6, 1),
        "store MB": round(db_bytes / 1e6, 1),
    }
    return times, counts


def _machine() -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {cores} cores ({usable} usable){load}; "
        f"ladybug {ladybug.__version__}, networkx {nx.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M", help="comma-separated, from: " + ", ".join(SIZES))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")

    print(_machine())
    print(f"seed {args.seed}; store: LadybugDB on disk in a temp folder; times in seconds\n")
    results = {}
    for size in sizes:
        print(f"running {size} ...", file=sys.stderr, flush=True)
        results[size] = bench(size, args.seed)

    width = max(len(k) for k in (*STEPS, *next(iter(results.values()))[1]))
    print(f"{'step':<{width}}" + "".join(f"{s:>12}" for s in sizes))
    for step in STEPS:
        print(f"{step:<{width}}" + "".join(f"{results[s][0][step]:>12.2f}" for s in sizes))
    print(f"{'total':<{width}}" + "".join(f"{sum(results[s][0].values()):>12.2f}" for s in sizes))
    print()
    for key in results[sizes[0]][1]:
        print(f"{key:<{width}}" + "".join(f"{results[s][1][key]:>12,}" for s in sizes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
