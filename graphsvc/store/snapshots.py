"""Imports that can be undone: a copy of the embedded store taken before each import.

``ImportHistory`` keeps, in ``<data dir>/undo/<id>/``, the database file as it was just
before an import (``graph.lbdb``) and what the import was (``import.json``: when, the
files, the counts before and after, the rows written). The copy is taken while writes
are held off and the database is checkpointed, so the file alone is the whole committed
state; the import's write follows under the same lock, so nothing comes in between.
``undo`` puts the newest copy back. The last ``keep`` imports are kept (setting
``GRAPHSVC_UNDO_KEEP``; 0 keeps none). Why copies and not a log of the changes, and what
they cost: docs/store.md, "Undoing an import".
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphsvc.errors import InputError, NotFound
from graphsvc.store.ladybug import DB_FILE, LadybugBackend

__all__ = ["ImportHistory", "UNDO_DIR"]

UNDO_DIR = "undo"
_META = "import.json"


class ImportHistory:
    """The imports into one embedded store that can be undone, newest last."""

    def __init__(self, backend: LadybugBackend, *, keep: int):
        if backend.path is None:
            raise ValueError("an in-memory store keeps no copies")
        self.backend = backend
        self.folder = backend.path / UNDO_DIR
        self.keep = keep

    def list(self) -> list[dict[str, Any]]:
        """Every kept import, oldest first: ``id, at, files, counts_before, counts_after,
        rows, copy_seconds, copy_bytes``."""
        if not self.folder.is_dir():
            return []
        entries = []
        for meta in sorted(self.folder.glob(f"*/{_META}")):
            try:
                entries.append(json.loads(meta.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue  # a copy whose import never finished: not undoable
        return entries

    @contextmanager
    def recording(self, files: list[str], counts: Callable[[], dict[str, int]]) -> Iterator[dict[str, Any]]:
        """Copy the store, run the block (the import's write), and keep the copy when the
        block succeeds. Yields the entry; the block may add ``rows``."""
        if self.keep <= 0:
            yield {}
            return
        at = datetime.now(UTC)
        entry_id = f"{at:%Y%m%dT%H%M%S%fZ}"
        folder = self.folder / entry_id
        with self.backend.quiet() as file:
            started = time.perf_counter()
            folder.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(file, folder / DB_FILE)
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            entry: dict[str, Any] = {
                "id": entry_id,
                "at": at.isoformat(timespec="seconds"),
                "files": list(files),
                "counts_before": counts(),
                "copy_seconds": round(time.perf_counter() - started, 3),
                "copy_bytes": (folder / DB_FILE).stat().st_size,
            }
            try:
                yield entry
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            entry["counts_after"] = counts()
            (folder / _META).write_text(json.dumps(entry, ensure_ascii=False, indent=2), encoding="utf-8")
        self._prune()

    def _prune(self) -> None:
        kept = sorted(p for p in self.folder.iterdir() if p.is_dir())
        complete = [p for p in kept if (p / _META).exists()]
        for old in complete[: max(len(complete) - self.keep, 0)]:
            shutil.rmtree(old, ignore_errors=True)
        for stray in set(kept) - set(complete):  # copies of imports that failed
            shutil.rmtree(stray, ignore_errors=True)

    def undo(self, counts: Callable[[], dict[str, int]], *, force: bool = False) -> dict[str, Any]:
        """Put back the store as it was before the newest kept import, and forget that
        import. Refused (unless ``force``) when the store changed after the import."""
        with self.backend.quiet():
            entries = self.list()
            if not entries:
                raise NotFound(
                    "no import to undo: none was made since undo copies are kept "
                    f"(the last {self.keep} imports are kept, GRAPHSVC_UNDO_KEEP)"
                )
            entry = entries[-1]
            now = counts()
            if now != entry["counts_after"] and not force:
                changed = sorted(k for k in now if now[k] != entry["counts_after"].get(k))
                raise InputError(
                    f"the store changed after the import of {entry['at']} ({', '.join(changed)} "
                    "differ from the counts right after it); undoing would also drop those "
                    "changes. Pass --force (API: force=true) to undo anyway"
                )
            folder = self.folder / entry["id"]
            self.backend.replace(folder / DB_FILE)
            shutil.rmtree(folder, ignore_errors=True)
        return entry
