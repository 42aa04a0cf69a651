"""Where the real files' organisations are placed, and by which evidence.

Imports the two EU structural-fund files (projects with a lead and a partner cell) and the
state museums list (as institutions) into a fresh in-memory store, as a user would with
``graphsvc load … --accept-valid``, and prints how many organisations each placement
source placed (``municipality_source``), how many are in the region and how long it took.

    python bench/bench_placement.py                          # ../shared/data/real
    python bench/bench_placement.py --data /path/to/real
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders import import_files

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
EU = ("eu-structural-funds/ERDF_ESF_Denmark_2007-2013.csv", "eu-structural-funds/ERDF_ESF_Denmark_2014-2020.csv")
MUSEUMS = "museums/mus_address.csv"


def placement_counts(store) -> dict[str, Counter]:
    """Organisations by ``municipality_source`` and by ``in_region``."""
    orgs = store.list_organisations()
    return {
        "organisations": Counter({"all": len(orgs)}),
        "source": Counter(o.get("municipality_source") or ("(none)" if not o.get("municipality_code") else "(unknown)")
                          for o in orgs),
        "in_region": Counter(str(o.get("in_region")) for o in orgs),
        "placed_in_region": Counter({"placed": sum(1 for o in orgs if o.get("municipality_code") and o.get("in_region"))}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REAL, help="the folder of the real files")
    args = parser.parse_args()
    store = open_store(Settings(in_memory=True))
    started = time.perf_counter()
    eu = import_files(store, [args.data / f for f in EU], accept_valid=True)
    museums = import_files(store, [args.data / MUSEUMS], kind="institution", accept_valid=True)
    seconds = time.perf_counter() - started
    counts = placement_counts(store)
    print(f"imported in {seconds:.1f} s; EU files: {len(eu.errors)} errors, {len(eu.warnings)} warnings; "
          f"museums: {len(museums.errors)} errors, {len(museums.warnings)} warnings")
    print(f"organisations: {counts['organisations']['all']}")
    print("placed by source:")
    for source, n in sorted(counts["source"].items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {source:<14} {n:>5}")
    print(f"placed in the region's 19 municipalities: {counts['placed_in_region']['placed']}")
    print("in_region: " + ", ".join(f"{k} {v}" for k, v in sorted(counts["in_region"].items())))
    store.close()


if __name__ == "__main__":
    main()
