"""Load benchmark of the service: the JSON API and the organisation page under concurrent
clients, on a generated benchmark store, over loopback only.

    python bench/bench_service.py [DATA_DIR] [--size M] [--clients 20] [--duration 30]
                                  [--ids 50] [--seed 2026] [--py-spy FILE]

DATA_DIR holds the store: it is built there (``graphsvc.demo.generate(size)``, as
``graphsvc demo --size M --no-serve --data-dir DATA_DIR``) when it holds no organisations,
and reused otherwise; without DATA_DIR a temporary store is built and removed. The server
is uvicorn in a subprocess on 127.0.0.1 (a free port, one process, no access log).

Prints:
1. the first (uncached) request of each endpoint, in order: the store read (organisation
   list), centrality (with the projection), isolated actors, gaps, communities — together
   "the full analysis", target S < 1 s, M < 8 s — then bridges, one organisation's
   suggestions and its page;
2. after warming the cache (every URL of the load once), ``--clients`` threads with
   keep-alive connections for ``--duration`` seconds over the cached analysis endpoints
   (centrality, isolated, gaps), the suggestions of a fixed seeded sample of ``--ids``
   organisations and their pages, in turn: per endpoint the requests, throughput, p50,
   p95, p99, max and errors (target: p95 < 50 ms), and the server's CPU use.

Every request goes to 127.0.0.1; each client stops at the deadline (a request in flight
then has at most ``--timeout`` seconds), and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
ENDPOINTS = ("centrality", "isolated", "gaps", "suggestions", "page")
TARGET_P95_MS = 50.0
TARGET_FULL_S = {"S": 1.0, "M": 8.0, "L": 60.0}

# the server: an inherited listening socket on 127.0.0.1, so no other process can take
# the port between choosing and binding it
_SERVER = """
import socket, sys
import uvicorn
from graphsvc.app import create_app
from graphsvc.settings import Settings
sock = socket.socket(fileno=int(sys.argv[2]))
app = create_app(Settings(data_dir=sys.argv[1]))
uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])
"""


def build_store(folder: Path, size: str, seed: int) -> list[str]:
    """The store in ``folder`` (built when it holds no organisations); its organisation ids."""
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(data_dir=folder))
    try:
        counts = store.counts()
        if counts["Actor"] + counts["Institution"] == 0:
            from graphsvc.demo import generate

            t = time.perf_counter()
            records = generate(size, seed=seed)
            print(f"generated the {size} set (seed {seed}) in {time.perf_counter() - t:.1f} s", flush=True)
            t = time.perf_counter()
            store.write(records)
            print(f"wrote it to {folder} in {time.perf_counter() - t:.1f} s", flush=True)
            counts = store.counts()
        else:
            print(f"reusing the store in {folder}", flush=True)
        print(f"  {counts['Actor']:,} actors, {counts['Institution']:,} institutions, "
              f"{counts['Project']:,} projects, {counts['PARTICIPATES_IN']:,} participations, "
              f"{counts['COLLABORATES_WITH']:,} collaborations")
        return sorted(row["id"] for row in store.list_organisations())
    finally:
        store.close()


class Server:
    """uvicorn over ``folder`` in a subprocess on 127.0.0.1."""

    def __init__(self, folder: Path):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((HOST, 0))
        self.sock.listen(1024)
        self.port = self.sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
        self.cwd = tempfile.mkdtemp(prefix="graphsvc-bench-")  # no .env is read from here
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(folder.resolve()), str(self.sock.fileno())],
            pass_fds=[self.sock.fileno()], env=env, cwd=self.cwd,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}")
            try:
                status, _ = Client(self.port, timeout=5).get("/health")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not answer within {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.sock.close()
        shutil.rmtree(self.cwd, ignore_errors=True)


class Client:
    """One keep-alive HTTP/1.1 connection to the server on 127.0.0.1."""

    def __init__(self, port: int, *, timeout: float):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            self.conn.request("GET", path, headers={"Accept": "application/json, text/html"})
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def url(endpoint: str, org_id: str) -> str:
    from urllib.parse import quote

    return {
        "centrality": "/api/analysis/centrality",
        "isolated": "/api/analysis/isolated",
        "gaps": "/api/analysis/gaps",
        "suggestions": f"/api/organisations/{quote(org_id, safe='')}/suggestions",
        "page": f"/organisations/{quote(org_id, safe='')}",
    }[endpoint]


def first_requests(client: Client, org_id: str, size: str) -> None:
    print("\nfirst (uncached) requests, in this order:")
    steps = [
        ("store read: /api/organisations?limit=1", "/api/organisations?limit=1"),
        ("centrality (+ projection)", "/api/analysis/centrality"),
        ("isolated", "/api/analysis/isolated"),
        ("gaps", "/api/analysis/gaps"),
        ("communities", "/api/analysis/communities"),
        ("bridges", "/api/analysis/bridges"),
        (f"suggestions of {org_id}", url("suggestions", org_id)),
        (f"page of {org_id}", url("page", org_id)),
    ]
    full = 0.0
    for i, (label, path) in enumerate(steps):
        t = time.perf_counter()
        status, body = client.get(path)
        took = time.perf_counter() - t
        if i < 5:
            full += took
        print(f"  {label:<42} {took:7.2f} s   {status}  {len(body):>9,} bytes")
        if i == 4:
            target = TARGET_FULL_S.get(size)
            verdict = "" if target is None else f"   target < {target:.0f} s: {'met' if full < target else 'MISSED'}"
            print(f"  {'= the full analysis (the five above)':<42} {full:7.2f} s{verdict}")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def load(port: int, ids: list[str], *, clients: int, duration: float, timeout: float):
    """``clients`` threads requesting the endpoints in turn until the deadline."""
    results: list[list[tuple[str, float, bool]]] = [[] for _ in range(clients)]
    errors: dict[str, int] = {}
    errors_lock = threading.Lock()
    ready = threading.Barrier(clients + 1)

    def failed(what: str) -> None:
        with errors_lock:
            errors[what] = errors.get(what, 0) + 1

    stop_at = [0.0]

    def worker(n: int) -> None:
        client = Client(port, timeout=timeout)
        out = results[n]
        k = n
        ready.wait()
        while time.perf_counter() < stop_at[0]:
            endpoint = ENDPOINTS[k % len(ENDPOINTS)]
            path = url(endpoint, ids[(k // len(ENDPOINTS)) % len(ids)])
            k += 1
            t = time.perf_counter()
            try:
                status, _ = client.get(path)
                ok = status == 200
                if not ok:
                    failed(f"{endpoint} {status}")
            except (OSError, http.client.HTTPException) as e:
                ok = False
                failed(f"{endpoint} {type(e).__name__}")
            out.append((endpoint, time.perf_counter() - t, ok))
        client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    stop_at[0] = start + duration
    ready.wait()
    for thread in threads:
        thread.join(timeout=max(0.0, stop_at[0] + timeout + 5 - time.perf_counter()))
    elapsed = time.perf_counter() - start
    stuck = sum(thread.is_alive() for thread in threads)
    return [r for rs in results for r in rs], errors, elapsed, stuck


def report(rows, errors, elapsed: float) -> bool:
    print(f"\n{'endpoint':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'errors':>7}")
    met = True
    for endpoint in (*ENDPOINTS, "all"):
        mine = [r for r in rows if endpoint in ("all", r[0])]
        if not mine:
            continue
        ms = sorted(t * 1000 for _, t, _ in mine)
        failed = sum(not ok for _, _, ok in mine)
        p95 = percentile(ms, 0.95)
        if endpoint != "all":
            met &= p95 < TARGET_P95_MS
        print(f"{endpoint:<12} {len(mine):>9,} {len(mine) / elapsed:>8.1f} {percentile(ms, 0.5):>8.1f} "
              f"{p95:>8.1f} {percentile(ms, 0.99):>8.1f} {ms[-1]:>8.1f} {failed:>7}")
    for what, n in sorted(errors.items()):
        print(f"  error: {what} × {n}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, help="store folder to build or reuse")
    parser.add_argument("--size", default="M", choices=["demo", "S", "M", "L"])
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generator and of the id sample")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--ids", type=int, default=50, help="organisations in the sample")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one request may take")
    parser.add_argument("--py-spy", type=Path, metavar="FILE",
                        help="sample the server with py-spy during the load; collapsed stacks to FILE")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.duration <= 600:
        raise SystemExit("--clients must be 1–200 and --duration 0–600 s")

    print(f"graphsvc service benchmark: size {args.size}, seed {args.seed}, {args.clients} clients, "
          f"{args.duration:.0f} s, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    temporary = args.data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="graphsvc-bench-store-")) if temporary else args.data_dir
    server = None
    try:
        all_ids = build_store(folder, args.size, args.seed)
        ids = random.Random(args.seed).sample(all_ids, min(args.ids, len(all_ids)))
        server = Server(folder)
        t = time.perf_counter()
        server.wait_ready()
        print(f"server on http://{HOST}:{server.port} (pid {server.proc.pid}) ready in "
              f"{time.perf_counter() - t:.1f} s")
        client = Client(server.port, timeout=600)
        first_requests(client, ids[0], args.size)

        t = time.perf_counter()
        for k in range(len(ENDPOINTS) * len(ids)):
            path = url(ENDPOINTS[k % len(ENDPOINTS)], ids[(k // len(ENDPOINTS)) % len(ids)])
            status, _ = client.get(path)
            if status != 200:
                print(f"  warm-up: {path} answered {status}")
        client.close()
        print(f"\nwarmed the cache: {len(ENDPOINTS) * len(ids)} requests in {time.perf_counter() - t:.1f} s "
              f"({len(ids)} organisations, seed {args.seed})")

        print(f"load: {args.clients} clients × {args.duration:.0f} s on {HOST}:{server.port}, "
              "keep-alive, endpoints in turn")
        cpu = server.cpu_seconds()
        spy = None
        if args.py_spy:
            spy = subprocess.Popen(["py-spy", "record", "--pid", str(server.proc.pid), "--duration",
                                    str(int(args.duration)), "--rate", "200", "--format", "raw", "--nonblocking",
                                    "-o", str(args.py_spy)], stdout=subprocess.DEVNULL)
        rows, errors, elapsed, stuck = load(server.port, ids, clients=args.clients, duration=args.duration,
                                            timeout=args.timeout)
        cpu = server.cpu_seconds() - cpu
        if spy is not None:
            spy.wait(timeout=60)
            print(f"py-spy samples of the server: {args.py_spy}")
        met = report(rows, errors, elapsed)
        print(f"\n{elapsed:.1f} s; server CPU {cpu:.1f} s ({100 * cpu / elapsed:.0f}% of one core)"
              + (f"; {stuck} clients still waiting at the hard stop" if stuck else ""))
        print(f"target p95 < {TARGET_P95_MS:.0f} ms on every endpoint: {'met' if met else 'MISSED'}")
    finally:
        if server is not None:
            server.stop()
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
