"""What keeping an import undoable costs: the copy of the store taken before the import,
and the undo that puts it back. Usage: python bench/bench_undo.py STORE_FOLDER [...]
(e.g. folders made by `graphsvc demo --size M --no-serve --data-dir …`). Each folder is
copied first, so it is left as it was."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders import import_files

ROWS = "navn;kommune\nLemvig Kor;Lemvig\nAarhus Teater;Aarhus\n"


def measure(folder: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "store"
        shutil.copytree(folder, work)
        data = Path(tmp) / "to-undo.csv"
        data.write_text(ROWS, encoding="utf-8")
        store = open_store(Settings(data_dir=work))
        try:
            started = time.perf_counter()
            import_files(store, [data], kind="actor")
            total = time.perf_counter() - started
            entry = store.list_imports()[-1]
            started = time.perf_counter()
            store.undo_import()
            undo = time.perf_counter() - started
            orgs = store.counts()["Actor"] + store.counts()["Institution"]
        finally:
            store.close()
    print(f"{folder}: {orgs:,} organisations; store file {entry['copy_bytes'] / 1e6:,.1f} MB; "
          f"copy before the import {entry['copy_seconds']:.2f} s (whole import {total:.2f} s); "
          f"undo {undo:.2f} s")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        measure(Path(arg))
