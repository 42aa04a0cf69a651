"""Import benchmark: a demo set (default M: 20,000 organisations, 15,000 projects) as
canonical CSV files into a fresh on-disk LadybugDB store, then the same files again.

    python bench/bench_import.py [--size M] [--seed 2026] [--batch-size 5000] [--folder DIR] [--merge]

Prints, for the first import and the re-import: wall time of each stage — read (files
into mentions), store_read (what the store holds), resolve (entity resolution and the
comparison with the store), write (one transaction) — the total, and the rows created,
updated and unchanged. Also the process's CPU time, since the machine is shared.

The first import goes into an empty store, so it is written with COPY (docs/store.md,
"Bulk import"); ``--merge`` writes it with the MERGE statements instead, for comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from graphsvc.demo import write_demo
from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders import import_files


def _run(label: str, store, files: list[Path]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    report = import_files(store, files)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    t = {"read": 0.0, "store_read": 0.0, "resolve": 0.0, "write": 0.0} | report.timings
    totals = report.totals()
    print(f"{label:<10} read {t['read']:6.1f} s  store_read {t['store_read']:5.1f} s  resolve {t['resolve']:5.1f} s  "
          f"write {t['write']:6.1f} s  | total {wall:6.1f} s (CPU {cpu:5.1f} s)  | "
          f"created {totals['created']:,}  updated {totals['updated']:,}  unchanged {totals['unchanged']:,}  "
          f"errors {len(report.errors)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=("demo", "S", "M", "L"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--folder", type=Path, default=None, help="Where to write the CSV files (default: a temp folder).")
    parser.add_argument("--merge", action="store_true", help="Write the first import with MERGE, not COPY.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = args.folder or Path(tmp) / "files"
        if not (folder.exists() and any(folder.glob("*.csv"))):
            started = time.perf_counter()
            write_demo(args.size, folder, seed=args.seed)
            print(f"generated the {args.size} set in {time.perf_counter() - started:.1f} s")
        files = sorted(folder.glob("*.csv"))
        rows = sum(max(sum(1 for _ in f.open(encoding="utf-8")) - 1, 0) for f in files)
        size = sum(f.stat().st_size for f in files) / 2**20
        print(f"{args.size} set: {len(files)} files, {rows:,} rows, {size:.1f} MiB; LadybugDB on disk, "
              f"batch size {args.batch_size}, first import by {'MERGE' if args.merge else 'COPY'}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        store = open_store(Settings(data_dir=Path(tmp) / "store", batch_size=args.batch_size))
        store.bulk_copy = not args.merge
        try:
            _run("import", store, files)
            _run("re-import", store, files)
        finally:
            store.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
