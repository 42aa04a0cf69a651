"""How many decisions the real files need, and how long the flow takes (docs/loading.md,
"Decisions"): the museum list, then a dry run of both EU files, one ``same`` decision per
ambiguous name (its first candidate: the time is measured, not the choice), a dry run
again, the import, and an import again.

    python bench/bench_decisions.py
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.decisions import new_decision
from loaders import import_files
from loaders.text import name_key

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
EU = [REAL / "eu-structural-funds/ERDF_ESF_Denmark_2007-2013.csv", REAL / "eu-structural-funds/ERDF_ESF_Denmark_2014-2020.csv"]


def main() -> int:
    if not EU[0].exists():
        print(f"the real files are not in {REAL}")
        return 1
    store = open_store(Settings(in_memory=True))
    started = time.perf_counter()
    t = time.perf_counter()
    museums = import_files(store, [REAL / "museums/mus_address.csv"], kind="institution", accept_valid=True)
    print(f"museums: {museums.status()}, {len(museums.errors)} errors, {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    first = import_files(store, EU, dry_run=True)
    print(f"EU files, dry run: {time.perf_counter() - t:.1f} s")
    for (severity, code), n in sorted(collections.Counter((p.severity, p.code) for p in first.problems).items()):
        print(f"  {severity} {code}: {n}")
    ambiguous = [p for p in first.errors if p.code == "ambiguous_name"]
    chosen: dict[str, tuple[str, str]] = {}
    for p in ambiguous:
        chosen.setdefault(name_key(p.value), (p.value, p.candidates[0]["id"]))
    spellings = sorted({p.value for p in ambiguous})
    print(f"ambiguous: {len(ambiguous)} errors, {len(spellings)} spellings, {len(chosen)} decisions: {spellings}")
    t = time.perf_counter()
    store.upsert_decisions([new_decision("same", name, target=target) for name, target in chosen.values()])
    again = import_files(store, EU, dry_run=True)
    print(f"dry run with the decisions: {len(again.errors)} errors, {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    done = import_files(store, EU)
    print(f"import: written {done.written}, {done.totals()}, {done.skipped_rows} rows skipped, "
          f"{time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    third = import_files(store, EU, dry_run=True)
    print(f"again: {len(third.errors)} errors, {third.totals()}, {time.perf_counter() - t:.1f} s")
    print(f"the whole flow: {time.perf_counter() - started:.1f} s")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
