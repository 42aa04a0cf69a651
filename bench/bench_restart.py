"""Time to the first answer after a restart with unchanged data.

    python bench/bench_restart.py DIR [--size M] [--seed 2026]

Builds the demo store of ``--size`` in DIR when DIR holds none (``graphsvc demo``'s data),
starts the service once and lets its warm-up finish, so the results are kept on disk
(docs/service.md, "Results kept on disk"). Then, for each route, a new process starts the
service on the same folder and asks that route once; it prints the start (store opened,
service ready to serve), the first answer's wall and CPU time (the warm-up runs in the
background meanwhile), and how many results were read from disk and how many computed.
Each route is a fresh process: nothing but the folder carries over.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROUTES = ("/", "/api/analysis/centrality", "/api/analysis/isolated", "/api/analysis/gaps",
          "/api/analysis/communities")

CHILD = """
import json, os, sys, time
from fastapi.testclient import TestClient
from graphsvc.app import create_app
from graphsvc.settings import Settings

route, wait = sys.argv[2], sys.argv[3] == "wait"
t0, c0 = time.perf_counter(), time.process_time()
client = TestClient(create_app(Settings(data_dir=sys.argv[1])), base_url="http://localhost")
client.__enter__()
t1, c1 = time.perf_counter(), time.process_time()
response = client.get(route, headers={"accept": "text/html"})
t2, c2 = time.perf_counter(), time.process_time()
assert response.status_code == 200, (response.status_code, response.text[:300])
service = client.app.state.service
if wait:
    service.warm()  # what the background warm-up does; each result is computed once
print(json.dumps({"start": t1 - t0, "wall": t2 - t1, "cpu": c2 - c1,
                  "loaded": service.cache.loaded, "computed": sorted(service.cache.computations)}))
sys.stdout.flush()
os._exit(0)  # the warm-up may still run: leave without closing the store under it
"""


def child(data_dir: Path, route: str, wait: bool = False) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), route, "wait" if wait else "go"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--size", default="M", choices=["demo", "S", "M", "L"])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not (args.data_dir / "graph.lbdb").exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from graphsvc.cli import main; main()", "demo", "--size", args.size,
                        "--seed", str(args.seed), "--no-serve", "--data-dir", str(args.data_dir)],
                       check=True, capture_output=True)
        print(f"built the {args.size} store in {time.perf_counter() - started:.1f} s")
    first = child(args.data_dir, "/", wait=True)
    print(f"first start (results computed and kept): dashboard {first['wall']:.2f} s; computed: "
          f"{', '.join(first['computed'])}")
    load = os.getloadavg()[0]
    print(f"after a restart, unchanged data ({os.cpu_count()} cores, load average {load:.1f}):")
    print("| route | start s | first answer s | CPU s | results read from disk | computed by then |")
    print("|---|---|---|---|---|---|")
    for route in ROUTES:
        r = child(args.data_dir, route)
        print(f"| `{route}` | {r['start']:.2f} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['loaded']} | {', '.join(r['computed'])} |")


if __name__ == "__main__":
    main()
