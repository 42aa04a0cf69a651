"""The embedded backend: a LadybugDB database in a folder, or in memory.

LadybugDB allows one write transaction at a time, so writes are serialised with a lock
in this process; reads use a connection per thread and see committed data. A process
killed during a write leaves the last committed state: the write-ahead log of an
uncommitted transaction is discarded when the database is opened again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug

import queries
from graphsvc.errors import StoreError, StoreUnavailable
from graphsvc.model import PropType
from graphsvc.store.base import Backend, Row
from graphsvc.store.schema import ladybug_ddl

__all__ = ["LadybugBackend", "DB_FILE"]

DB_FILE = "graph.lbdb"

# A value of each type, for the typing row described in ``_typed``.
_WITNESS = {
    PropType.STRING: "",
    PropType.INT: 0,
    PropType.FLOAT: 0.0,
    PropType.BOOL: False,
    PropType.STRINGS: [""],
}


def _typed(rows: list[Row], types: dict[str, PropType]) -> list[Row]:
    """LadybugDB infers a parameter's type from its values, and takes a column that is
    null (or an empty list) in every row for STRING, which it then refuses to store in an
    INT64 or list property. When that happens, append one row whose such columns hold a
    value of the declared type and whose other columns — the keys included — are null:
    every statement filters or fails to match a null key, so the row writes nothing."""
    untyped = [k for k in types if not any(r.get(k) not in (None, []) for r in rows)]
    if not untyped or not rows:
        return rows
    witness = {k: None for k in types}
    witness.update({k: _WITNESS[types[k]] for k in untyped})
    return [*rows, witness]


def _result_rows(result: Any) -> list[Row]:
    columns = result.get_column_names()
    out = []
    while result.has_next():
        out.append(dict(zip(columns, result.get_next(), strict=True)))
    return out


class _LadybugTransaction:
    def __init__(self, conn: ladybug.Connection):
        self._conn = conn

    def run(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        try:
            return _result_rows(self._conn.execute(queries.load(name), params or {}))
        except RuntimeError as e:
            raise StoreError(f"query {name!r} failed on LadybugDB: {e}") from e

    def unwind(self, name: str, rows: list[Row], types: dict[str, PropType]) -> list[Row]:
        return self.run(name, {"rows": _typed(rows, types)})


class LadybugBackend(Backend):
    name = "ladybug"

    def __init__(self, path: Path | None):
        """``path`` is a folder for the database, or None for an in-memory database."""
        self.path = path
        try:
            if path is None:
                self._db = ladybug.Database(":memory:")
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._db = ladybug.Database(str(path / DB_FILE))
        except RuntimeError as e:
            where = "in memory" if path is None else f"at {path}"
            raise StoreUnavailable(
                f"cannot open the LadybugDB store {where}: {e}. Is another graphsvc process "
                "using it? Stop it, or pass another --data-dir."
            ) from e
        self._write_lock = threading.Lock()
        self._write_conn = ladybug.Connection(self._db)
        self._local = threading.local()

    def _read_conn(self) -> ladybug.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = ladybug.Connection(self._db)
        return conn

    def create_schema(self) -> None:
        with self._write_lock:
            for statement in ladybug_ddl():
                self._write_conn.execute(statement)

    def read(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        return _LadybugTransaction(self._read_conn()).run(name, params)

    @contextmanager
    def transaction(self) -> Iterator[_LadybugTransaction]:
        with self._write_lock:
            conn = self._write_conn
            conn.execute("BEGIN TRANSACTION")
            try:
                yield _LadybugTransaction(conn)
            except BaseException:
                # LadybugDB rolls a transaction back itself when a statement fails in it
                try:
                    conn.execute("ROLLBACK")
                except RuntimeError:
                    pass
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        self._local = threading.local()
        self._write_conn.close()
        self._db.close()
