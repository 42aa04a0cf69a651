"""Memory of the service under two anonymous attacks, on a generated store, over loopback.

    python bench/bench_anonymous_memory.py [--size S] [--junk 200] [--windows 72] [--seed 2026]

Builds a store of the demo size given (``graphsvc.demo.generate``) in a temporary folder,
starts uvicorn on it in a subprocess (127.0.0.1, a free port, no warm-up) and reads the
server's resident memory (VmRSS in /proc) at each step:

1. started, after one request of each endpoint used below;
2. after ``--junk`` requests that differ only in a parameter no route declares
   (``/api/organisations?limit=1000&junkK=…`` and ``/api/analysis/gaps?junkK=…``, 1 KB of
   junk each): the response cache must not grow with them;
3. after ``--windows`` requests of centrality for distinct year windows
   (``/api/analysis/centrality?from=Y1&to=Y2``, 2000–2025): the result cache keeps at most
   GRAPHSVC_CACHED_YEAR_WINDOWS of them.

Prints one line per step: the RSS in MB and the seconds the step took. Run it with
``PYTHONPATH`` at another checkout to measure that code the same way.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVER = """
import sys, uvicorn
from graphsvc.app import create_app
from graphsvc.settings import Settings
app = create_app(Settings(data_dir=sys.argv[1], warm=False, trusted_hosts="127.0.0.1"))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S")
    parser.add_argument("--junk", type=int, default=200)
    parser.add_argument("--windows", type=int, default=72)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from graphsvc.demo import generate
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    folder = Path(tempfile.mkdtemp(prefix="graphsvc-bench-memory-"))
    process = None
    try:
        store = open_store(Settings(data_dir=folder / "store"))
        store.write(generate(args.size, seed=args.seed))
        store.close()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        process = subprocess.Popen([sys.executable, "-c", SERVER, str(folder / "store"), str(port)])
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                if get(conn, "/api/info") == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)

        print(f"graphsvc bench_anonymous_memory: size {args.size}, pid {process.pid}, python {sys.version.split()[0]}")
        t = time.perf_counter()
        for path in ("/api/organisations?limit=1000", "/api/analysis/gaps", "/api/analysis/centrality"):
            assert get(conn, path) == 200, path
        print(f"started:               RSS {rss_mb(process.pid):7.0f} MB   ({time.perf_counter() - t:.1f} s)")

        t = time.perf_counter()
        junk = "x" * 1024
        for k in range(args.junk):
            path = "/api/organisations?limit=1000" if k % 2 else "/api/analysis/gaps"
            assert get(conn, f"{path}{'&' if '?' in path else '?'}junk{k}={junk}") == 200
        print(f"after {args.junk} junk requests: RSS {rss_mb(process.pid):7.0f} MB   ({time.perf_counter() - t:.1f} s)")

        t = time.perf_counter()
        windows = list(itertools.combinations(range(2000, 2026), 2))[: args.windows]
        for start, end in windows:
            assert get(conn, f"/api/analysis/centrality?from={start}&to={end}") == 200
        print(f"after {len(windows)} year windows:  RSS {rss_mb(process.pid):7.0f} MB   ({time.perf_counter() - t:.1f} s)")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
