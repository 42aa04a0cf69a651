"""Benchmark: the demo networks written into Neo4j 5.26 beside LadybugDB, the UNWIND batch
size measured, and the projection read back. Prints figures; not a test.

    python bench/bench_neo4j.py                          # size M, batches 1000,5000,20000
    python bench/bench_neo4j.py --sizes S,M --batches 500,5000

Starts its own Neo4j with tools/neo4j/start (Java 17+, Maven; heap NEO4J_TEST_HEAP,
default 3g here) and stops it at the end. Steps, each timed with ``time.perf_counter``:
  generate          graphsvc.demo.generate(size)
  ladybug load      the records into a new LadybugDB store on disk (one transaction)
  ladybug read      graphsvc.analysis.read_graph_data on it
  neo4j load b=N    the records into an empty Neo4j database, one transaction, UNWIND
                    batches of N rows (GRAPHSVC_BATCH_SIZE)
  neo4j reload      the same records again (every MERGE matches), default batch size
  neo4j read        read_graph_data on Neo4j: every row the analyses read
  graph             graphsvc.analysis.organisation_graph of the Neo4j rows
  in-process        centrality (every measure) and communities (Louvain) on that graph
  gds               the same measures and Louvain inside Neo4j (graphsvc.store.gds),
                    projection included, each step listed after it
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from graphsvc.analysis import centrality, communities
from graphsvc.analysis.projection import organisation_graph, read_graph_data
from graphsvc.demo import generate
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.gds import GdsAnalysis, gds_version

ROOT = Path(__file__).resolve().parents[1]


def _timed(times: dict[str, float], step: str, fn) -> Any:
    start = time.perf_counter()
    result = fn()
    times[step] = time.perf_counter() - start
    print(f"{step:<22} {times[step]:8.2f} s", flush=True)
    return result


def start_neo4j(heap: str) -> tuple[subprocess.Popen, Settings, float]:
    password = secrets.token_hex(16)
    env = {**os.environ, "NEO4J_TEST_PASSWORD": password, "NEO4J_TEST_HEAP": heap}
    started = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / "tools" / "neo4j" / "start")], env=env, stdout=subprocess.PIPE, text=True)
    uri = proc.stdout.readline().strip()
    if not uri:
        raise SystemExit("the Neo4j of tools/neo4j did not start")
    settings = Settings(neo4j_uri=uri, neo4j_user="neo4j", neo4j_password=password, warm=False)
    return proc, settings, time.perf_counter() - started


def empty(settings: Settings) -> None:
    store = open_store(settings)
    try:
        # in batches: one transaction deleting M would itself outgrow the memory limit
        with store.backend.driver.session(database=settings.neo4j_database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    finally:
        store.close()


def bench(size: str, seed: int, batches: list[int], settings: Settings, *,
          reload: bool = True) -> tuple[dict[str, float], dict[str, int]]:
    times: dict[str, float] = {}
    print(f"\n## {size}", flush=True)
    records = _timed(times, "generate", lambda: generate(size, seed=seed))
    with tempfile.TemporaryDirectory(prefix=f"graphsvc-bench-{size}-") as tmp:
        store = open_store(Settings(data_dir=Path(tmp) / "db", undo_keep=0))
        try:
            _timed(times, "ladybug load", lambda: store.write(records))
            _timed(times, "ladybug read", lambda: read_graph_data(store))
        finally:
            store.close()
    for batch in batches:
        empty(settings)
        store = open_store(settings.model_copy(update={"batch_size": batch}))
        try:
            _timed(times, f"neo4j load b={batch}", lambda: store.write(records))
        finally:
            store.close()
    store = open_store(settings)
    try:
        if reload:
            _timed(times, "neo4j reload", lambda: store.write(records))
        data = _timed(times, "neo4j read", lambda: read_graph_data(store))
        G = _timed(times, "graph", lambda: organisation_graph(data))
        _timed(times, "in-process", lambda: (centrality(G, scope="all"), communities(G)))
        if gds_version(store.backend):
            gds = _timed(times, "gds", lambda: GdsAnalysis(store.backend).run())
            for step, seconds in gds.seconds.items():
                times[f"  gds {step}"] = seconds
                print(f"{'  gds ' + step:<22} {seconds:8.2f} s", flush=True)
        counts = store.counts()
    finally:
        store.close()
    empty(settings)
    return times, {
        "records": records.total(),
        "store nodes": sum(v for k, v in counts.items() if not k.isupper()),
        "store relationships": sum(v for k, v in counts.items() if k.isupper()),
        "graph nodes": G.number_of_nodes(),
        "graph edges": G.number_of_edges(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="M", help="comma-separated: S, M, L")
    parser.add_argument("--batches", default="1000,5000,20000", help="UNWIND batch sizes to time")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--heap", default=os.environ.get("NEO4J_TEST_HEAP", "3g"))
    parser.add_argument("--no-reload", action="store_true", help="skip writing the records again")
    args = parser.parse_args(argv)
    batches = [int(b) for b in args.batches.split(",")]
    print(f"# {platform.node()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"python {sys.version.split()[0]}, Neo4j heap {args.heap}")
    proc, settings, start_s = start_neo4j(args.heap)
    try:
        print(f"neo4j start: {start_s:.2f} s")
        for size in args.sizes.split(","):
            _, counts = bench(size, args.seed, batches, settings, reload=not args.no_reload)
            print(f"{size}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=120)


if __name__ == "__main__":
    main()
