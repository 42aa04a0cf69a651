"""Analysis results kept on disk, so a restart or another command finds them.

A result is filed under what it was computed from: the content of the data
(``data_fingerprint``), the result's cache key, the parameters (``params_fingerprint``)
and the package version. The data's fingerprint is a hash of its content, not the
store's version counter, so

- a restart with the same data finds every result again;
- a write that changes the data changes the fingerprint: nothing stored is found, the
  results are computed anew;
- a write that changes nothing (the same files imported again) keeps the fingerprint,
  and with it every stored result.

Layout: ``<folder>/<data key>/<result key>.pkl``, the data key from the data's
fingerprint and the package version, the result key from the cache key and the
parameters. A file holds ``(cache key text, parameters fingerprint, value, size)`` as a
pickle (``size``: the value's estimated bytes in memory, so reading it back costs no
second estimate):
the folder is as trusted as the database beside it (a pickle can run code when read, so
nobody but the store's owner may write there). Files are written to a temporary name and
renamed, so a reader sees a whole file or none. A file that cannot be read (cut short,
written by another version of a library, or not a result at all) counts as missing: the
result is computed again and the file replaced. The folders of the newest ``keep`` data
fingerprints are kept (by last use), older ones are deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import tempfile
import threading
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphsvc import __version__
from graphsvc.model import ANALYSIS_TABLES

__all__ = [
    "MISSING",
    "PERSISTED",
    "ResultsStore",
    "canonical_key",
    "data_fingerprint",
    "params_fingerprint",
    "results_store_for",
    "runtime_version",
    "settings_fingerprint",
]

log = logging.getLogger("graphsvc")

MISSING: Any = object()
"""What ``ResultsStore.load`` returns when nothing usable is stored."""

_DIGEST = 16  # bytes of blake2b: 128 bits, far from any chance collision


def _tables(data: Any) -> dict[str, Any]:
    """The tables of a ``GraphData`` as given to it: lists of row dicts, or columnar
    tables (``pyarrow.Table``) read from the store, which are hashed without making rows."""
    return {name: data.table(name) for name in ANALYSIS_TABLES}


def _cell_text(value: Any) -> Any:
    """A cell as something pandas hashes the same in every process: containers as JSON
    with sorted keys, everything else as it is."""
    if isinstance(value, (dict, list, tuple, set, frozenset)) or hasattr(value, "tolist"):
        if hasattr(value, "tolist"):
            value = value.tolist()
        if isinstance(value, (set, frozenset)):
            value = sorted(value, key=repr)
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def _joined_lists(table: Any) -> Any:
    """A ``pyarrow.Table`` with each list column joined into one text per row (a unit
    separator between the items; a missing list stays missing): 15 times faster than
    turning the lists into Python objects."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            column = table.column(i).cast(pa.list_(pa.string()))
            table = table.set_column(i, field.name, pc.binary_join(column, "\x1f"))
    return table


def _frame(table: Any) -> pd.DataFrame:
    if hasattr(table, "to_pandas"):
        frame = _joined_lists(table).to_pandas()
    else:
        frame = pd.DataFrame(list(table))
    frame = frame[sorted(frame.columns)]
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = frame[name].map(_cell_text)
    return frame


def data_fingerprint(data: Any) -> str:
    """A hash of the content of ``data`` (a ``GraphData``): the same rows give the same
    hash, whatever their order and the order of the keys in each row; ``version`` (the
    store's write counter) is not part of it.

    Per table: every row is hashed (pandas' ``hash_pandas_object``, columns in name
    order; in rows, a list or dict in a cell as JSON with sorted keys; in columns, a list
    as its items joined), the row hashes are sorted, and the table's name, columns and
    sorted row hashes go into one blake2b hash. Lists inside a row (art forms, a
    project's municipalities) keep their order: the store keeps it too. A table given as
    rows and the same table given as columns may hash differently; one store always
    gives the same form.

    >>> from graphsvc.analysis.projection import GraphData
    >>> a = GraphData(1, [{"code": "751", "name": "Aarhus"}, {"code": "657", "name": "Herning"}], [], [], [], [])
    >>> b = GraphData(9, [{"name": "Herning", "code": "657"}, {"name": "Aarhus", "code": "751"}], [], [], [], [])
    >>> data_fingerprint(a) == data_fingerprint(b)
    True
    >>> c = GraphData(1, [{"code": "751", "name": "Århus"}, {"code": "657", "name": "Herning"}], [], [], [], [])
    >>> data_fingerprint(a) == data_fingerprint(c)
    False
    """
    h = hashlib.blake2b(digest_size=_DIGEST)
    for name, table in sorted(_tables(data).items()):
        frame = _frame(table)
        rows = np.sort(pd.util.hash_pandas_object(frame, index=False).to_numpy()) if len(frame.columns) else []
        h.update(f"{name}:{len(frame)}:{','.join(map(str, frame.columns))}\n".encode())
        h.update(np.asarray(rows, dtype="<u8").tobytes())
    return h.hexdigest()


def _plain(value: Any) -> Any:
    """``value`` with sets sorted, so its text is the same in every process (a set's
    order of strings changes with the hash seed)."""
    if isinstance(value, (set, frozenset)):
        return ("set", sorted((_plain(v) for v in value), key=repr))
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return ("dict", sorted(((_plain(k), _plain(v)) for k, v in value.items()), key=repr))
    return value


def canonical_key(key: Hashable) -> str:
    """The text of a cache key, the same in every process.

    >>> canonical_key(("gaps", (2015, 2019), "region"))
    "('gaps', (2015, 2019), 'region')"
    >>> canonical_key(frozenset({"b", "a"})) == canonical_key(frozenset({"a", "b"}))
    True
    """
    return repr(_plain(key))


def params_fingerprint(*parts: Any) -> str:
    """A hash of the parameters results depend on: pydantic models by their JSON dump,
    anything else by its ``repr``."""
    h = hashlib.blake2b(digest_size=_DIGEST)
    for part in parts:
        text = part.model_dump_json() if hasattr(part, "model_dump_json") else repr(_plain(part))
        h.update(text.encode("utf-8") + b"\0")
    return h.hexdigest()


def _digest(*texts: str) -> str:
    return hashlib.blake2b("\0".join(texts).encode("utf-8"), digest_size=_DIGEST).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file (readable by its owner only)
    and a rename, so a reader sees the whole file or none; raises what the file system
    raises."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


class ResultsStore:
    """Results on disk in ``folder``; the newest ``keep`` data fingerprints are kept.

    ``load`` and ``save`` never raise for a file or folder problem: a result that cannot
    be read is computed again, one that cannot be written is only kept in memory (both
    are logged)."""

    def __init__(self, folder: Path, *, keep: int = 3, version: str = __version__):
        """``version``: results filed under another are not found (``runtime_version``)."""
        self.folder = Path(folder)
        self.keep = max(1, keep)
        self.version = version
        self.loaded = 0  # results read from disk (for tests and the log)
        self.saved = 0
        self._used: set[str] = set()  # data folders marked as used by this process
        self._lock = threading.Lock()

    def _data_folder(self, data_fp: str) -> Path:
        return self.folder / _digest(data_fp, self.version)

    def path(self, data_fp: str, key: Hashable, params_fp: str) -> Path:
        """The file of one result."""
        return self._data_folder(data_fp) / f"{_digest(canonical_key(key), params_fp)}.pkl"

    def load(self, data_fp: str, key: Hashable, params_fp: str) -> Any:
        """The stored result and its size as ``(value, size)`` (size None when not
        stored), or ``MISSING``."""
        path = self.path(data_fp, key, params_fp)
        try:
            with open(path, "rb") as f:
                stored_key, stored_params, value, size = pickle.load(f)
        except FileNotFoundError:
            return MISSING
        except Exception as e:  # noqa: BLE001 - any unreadable file is recomputed
            log.warning("ignoring the stored result %s (%s: %s); computing it again", path, type(e).__name__, e)
            return MISSING
        if stored_key != canonical_key(key) or stored_params != params_fp:
            log.warning("ignoring the stored result %s: it holds another result; computing it again", path)
            return MISSING
        self._mark_used(path.parent)
        self.loaded += 1
        return value, size

    def save(self, data_fp: str, key: Hashable, params_fp: str, value: Any, size: int | None = None) -> bool:
        """Store a result (atomically) with its estimated ``size`` in memory; False when it
        could not be written."""
        path = self.path(data_fp, key, params_fp)
        new_folder = not path.parent.is_dir()
        try:
            _write_atomically(path, pickle.dumps((canonical_key(key), params_fp, value, size),
                                                 protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as e:  # noqa: BLE001 - the result is still served from memory
            log.warning("could not store the result %s (%s: %s); it is kept in memory only",
                        path, type(e).__name__, e)
            return False
        self.saved += 1
        self._mark_used(path.parent)
        if new_folder:
            self.prune()
        return True

    # --- the store's state stamp → the data's fingerprint -----------------------------

    _STAMPS = "stamps"
    _STAMPS_KEPT = 20

    def fingerprint_for(self, stamp: str) -> str | None:
        """The data fingerprint recorded for the store's state ``stamp`` (see
        ``remember_fingerprint``), or None."""
        try:
            text = (self.folder / self._STAMPS / stamp).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text if re.fullmatch(r"[0-9a-f]{32}", text) else None

    def remember_fingerprint(self, stamp: str, data_fp: str) -> None:
        """Record that the store's state ``stamp`` holds the data of fingerprint ``data_fp``,
        so the next process finds the fingerprint (and the results filed under it) without
        reading the graph. The newest ``_STAMPS_KEPT`` are kept."""
        folder = self.folder / self._STAMPS
        try:
            _write_atomically(folder / stamp, data_fp.encode("ascii"))
            stamps = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in stamps[self._STAMPS_KEPT:]:
                old.unlink(missing_ok=True)
        except OSError as e:
            log.warning("could not record the data fingerprint in %s (%s)", folder, e)

    # --- the graph's tables, kept with the results computed from them ------------------

    def save_data(self, data_fp: str, data: Any) -> bool:
        """Keep the tables of ``data`` (a ``GraphData`` read as columns) under ``data_fp``,
        so a process that knows the fingerprint from the store's stamp need not read the
        store (0.2 s on M; 0.02 s from here). Tables given as rows are not kept."""
        tables = {name: data.table(name) for name in ANALYSIS_TABLES}
        if not all(hasattr(t, "column_names") for t in tables.values()):
            return False
        path = self._data_folder(data_fp) / "data.pkl"
        if path.exists():
            return True
        try:
            _write_atomically(path, pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as e:  # noqa: BLE001 - they are only not kept
            log.warning("could not keep the tables in %s (%s: %s)", path, type(e).__name__, e)
            return False
        return True

    def load_data(self, data_fp: str, version: int) -> Any:
        """The ``GraphData`` kept under ``data_fp`` (marked with the store's current
        ``version``), or None."""
        from graphsvc.analysis.projection import GraphData

        path = self._data_folder(data_fp) / "data.pkl"
        try:
            with open(path, "rb") as f:
                tables = pickle.load(f)
            return GraphData(version, *(tables[name] for name in ANALYSIS_TABLES))
        except FileNotFoundError:
            return None
        except Exception as e:  # noqa: BLE001 - then the store is read
            log.warning("ignoring the kept tables %s (%s: %s); reading the store", path, type(e).__name__, e)
            return None

    def _mark_used(self, folder: Path) -> None:
        """Mark a data folder as used now (its time orders the pruning), once per process."""
        with self._lock:
            if folder.name in self._used:
                return
            self._used.add(folder.name)
        try:
            os.utime(folder)
        except OSError:
            pass

    def data_folders(self) -> list[Path]:
        """The data folders, most recently used first."""
        try:
            folders = [p for p in self.folder.iterdir() if p.is_dir() and p.name != self._STAMPS]
        except OSError:
            return []
        stamped = []
        for p in folders:
            try:
                stamped.append((p.stat().st_mtime, p.name, p))
            except OSError:
                continue  # deleted meanwhile
        return [p for *_, p in sorted(stamped, reverse=True)]

    def prune(self) -> list[Path]:
        """Delete the data folders beyond the newest ``keep``; returns those deleted."""
        removed = self.data_folders()[self.keep:]
        for folder in removed:
            shutil.rmtree(folder, ignore_errors=True)
            with self._lock:
                self._used.discard(folder.name)
        return removed

    def files(self) -> Iterable[Path]:
        """Every stored result file (not the kept tables, ``data.pkl``)."""
        return sorted(p for p in self.folder.glob("*/*.pkl") if p.name != "data.pkl")


PERSISTED = frozenset({"centrality", "isolated", "gaps", "communities", "lacking", "compare", "bridges",
                       "dashboard"})
"""The cache keys (by name) the service keeps on disk: the analyses, and the dashboard made
of them. The rows read from the store and the graphs built from them are not kept: the
rows are what the fingerprint is computed from, and the graphs are rebuilt from them."""

# libraries whose results or pickles may change with their version
_LIBRARIES = ("numpy", "pandas", "networkx", "scipy", "igraph", "scikit-learn")


def code_fingerprint() -> str:
    """A hash of the source of the modules that compute the results (``graphsvc/analysis``,
    the parameters, the service and this module), so results computed by other code are
    not used even when the version number did not change."""
    root = Path(__file__).resolve().parent
    files = sorted((root / "analysis").glob("*.py")) + [
        root / name for name in ("params.py", "service.py", "analysis_gds.py", "results_store.py")]
    h = hashlib.blake2b(digest_size=8)
    for f in files:
        if f.exists():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def runtime_version() -> str:
    """graphsvc's version, a hash of its analysis code and the versions of the libraries
    the results depend on: results of another are not used (and their pickles might not
    read)."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"graphsvc={__version__}", f"code={code_fingerprint()}"]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=-")
    return ";".join(parts)


def results_store_for(settings: Any) -> ResultsStore | None:
    """The results store the settings ask for (``persist_results``, ``results_dir``,
    ``results_keep``); None for an in-memory store or when switched off."""
    if not settings.persist_results or (settings.in_memory and not settings.neo4j_uri):
        return None
    folder = settings.results_dir or Path(settings.data_dir) / "results"
    return ResultsStore(folder, keep=settings.results_keep, version=runtime_version())


def settings_fingerprint(settings: Any) -> str:
    """The fingerprint of the settings the analyses' results depend on: the analysis and
    suggestion parameters, and when the whole graph's analyses may run in Neo4j GDS."""
    return params_fingerprint(settings.analysis, settings.suggestions,
                              ("gds", bool(settings.neo4j_uri), settings.gds_min_organisations))
