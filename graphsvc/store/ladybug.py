"""The embedded backend: a LadybugDB database in a folder, or in memory.

LadybugDB allows one write transaction at a time, so writes are serialised with a lock
in this process; reads use a connection per thread and see committed data.

A process killed during a write leaves the last committed state. A write goes to the
write-ahead log (``graph.lbdb.wal``) first; a kill while a commit is being written there
leaves a torn last record, and LadybugDB then refuses to open ("Checksum verification
failed"). ``open_database`` sets such a log aside (a copy named
``graph.lbdb.wal.torn-<UTC time>``), replays the log up to its last whole commit, logs a
warning and keeps the event in ``LadybugBackend.recovery`` (``/ready`` shows it).
See docs/store.md, "A store that always opens".
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ladybug

import queries
from graphsvc.errors import StoreError, StoreUnavailable
from graphsvc.model import PropType
from graphsvc.store.base import Backend, Row
from graphsvc.store.schema import ladybug_ddl

__all__ = ["LadybugBackend", "DB_FILE", "open_database"]

DB_FILE = "graph.lbdb"
log = logging.getLogger("graphsvc.store")

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


class _LadybugBulkTransaction(_LadybugTransaction):
    """A write transaction that may also run ``COPY`` statements (``graphsvc.store.bulk``)."""

    def copy(self, statement: str, params: dict[str, Any] | None = None) -> None:
        try:
            self._conn.execute(statement, params or {})
        except RuntimeError as e:
            table = statement.split()[1]
            raise StoreError(f"bulk import into {table} failed on LadybugDB ({e}); nothing was written") from e


@contextmanager
def _committed(conn: ladybug.Connection, kind: type) -> Iterator[Any]:
    """``kind(conn)`` in a transaction on ``conn``: committed when the block ends, rolled
    back when it raises."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield kind(conn)
    except BaseException:
        # LadybugDB rolls a transaction back itself when a statement fails in it
        try:
            conn.execute("ROLLBACK")
        except RuntimeError:
            pass
        raise
    conn.execute("COMMIT")


def _is_torn_log(message: str) -> bool:
    """LadybugDB's words for a log whose last record is incomplete: its checksum fails,
    or the record runs past the end of the file (measured: both occur after a kill)."""
    text = message.lower()
    return "wal" in text and any(w in text for w in ("checksum", "corrupt", "past the end of the file"))


def _lock_message(where: Path, message: str) -> str:
    pid = re.search(r"held by PID (\d+)", message)
    holder = f"process {pid[1]}" if pid else "another process"
    return (
        f"the LadybugDB store at {where} is in use by {holder} (a running `graphsvc serve`, "
        "`demo` or `load`); LadybugDB lets one process open a store at a time. Stop that "
        "process, or pass another --data-dir"
    )


def _pool(buffer_pool_mb: int | None) -> dict[str, int]:
    """``ladybug.Database``'s page-cache argument (none: LadybugDB's default)."""
    return {} if buffer_pool_mb is None else {"buffer_pool_size": buffer_pool_mb << 20}


def open_database(file: Path, buffer_pool_mb: int | None = None) -> tuple[ladybug.Database, dict[str, Any] | None]:
    """The database in ``file``, and what was recovered to open it (None: nothing).
    ``buffer_pool_mb``: the size of LadybugDB's page cache (None: its default, 80% of the
    machine's memory).

    A torn write-ahead log is copied aside with a timestamp, then replayed up to its last
    whole commit. Any other failure raises ``StoreUnavailable`` naming its cause."""
    sized = _pool(buffer_pool_mb)
    try:
        return ladybug.Database(str(file), **sized), None
    except RuntimeError as e:
        message = str(e).split("\n", 1)[0]
        if "lock" in message.lower():
            raise StoreUnavailable(_lock_message(file.parent, message)) from e
        wal = file.with_name(file.name + ".wal")
        if not (_is_torn_log(message) and wal.exists()):
            raise StoreUnavailable(
                f"cannot open the LadybugDB store at {file.parent}: {message}. Restore the folder "
                "from a backup, or pass another --data-dir"
            ) from e
    at = datetime.now(UTC)
    aside = wal.with_name(f"{wal.name}.torn-{at:%Y%m%dT%H%M%S%fZ}")
    shutil.copy2(wal, aside)
    try:
        db = ladybug.Database(str(file), throw_on_wal_replay_failure=False, **sized)
    except RuntimeError as e:
        raise StoreUnavailable(
            f"cannot open the LadybugDB store at {file.parent} even without the torn end of its "
            f"write-ahead log ({str(e).splitlines()[0]}); the log is kept as {aside.name}. "
            "Restore the folder from a backup"
        ) from e
    recovery = {
        "event": "torn_log_set_aside",
        "at": at.isoformat(timespec="seconds"),
        "kept_as": str(aside),
        "cause": message,
        "detail": "a write was interrupted while it was being committed; the store opened at "
        "its last committed state and the interrupted write is not in it",
    }
    log.warning(
        "the store at %s had a torn write-ahead log (%s): kept as %s; opened at the last "
        "committed state, without the interrupted write", file.parent, message, aside.name,
    )
    return db, recovery


class _StateToken:
    """A random token that names the store's data state, kept beside the database in
    ``graph.lbdb.state``, so another process can tell, without reading the graph, that the
    data are the ones it has seen (``content_stamp``; the results kept on disk use it).

    A new token is drawn after every write this process makes (``renew``). On close the
    token is saved with the database files' size, modification time and inode as they are
    after closing (``save``); the next process keeps it only when the files are exactly so
    when it opens them (``at_open``). So a write by any other means — another tool, a
    process that died without closing, a file copied in — changes the files and with them
    the token. The schema's hash is part of the stamp: a release that changes it reads
    the graph again."""

    def __init__(self, file: Path, token: str):
        self.file = file
        self.token = token

    @property
    def path(self) -> Path:
        return self.file.with_name(self.file.name + ".state")

    def _files(self) -> list:
        out = []
        for p in (self.file, self.file.with_name(self.file.name + ".wal")):
            try:
                st = p.stat()
            except FileNotFoundError:
                out.append([p.name, None])
                continue
            out.append([p.name, st.st_size, st.st_mtime_ns, st.st_ino])
        return out

    @classmethod
    def at_open(cls, file: Path) -> _StateToken:
        state = cls(file, secrets.token_hex(16))
        try:
            saved = json.loads(state.path.read_text(encoding="utf-8"))
            files = state._files()
        except (OSError, ValueError):
            return state
        if isinstance(saved, dict) and saved.get("files") == files and isinstance(saved.get("token"), str) \
                and re.fullmatch(r"[0-9a-f]{32}", saved["token"]):
            state.token = saved["token"]
        return state

    def renew(self) -> None:
        self.token = secrets.token_hex(16)

    def stamp(self) -> str:
        return hashlib.blake2b(f"{self.token}\0{_SCHEMA_HASH}".encode(), digest_size=16).hexdigest()

    def save(self) -> None:
        """Record the token with the files as they are now (the database closed)."""
        try:
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps({"token": self.token, "files": self._files()}), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as e:
            log.warning("could not save the store's state token in %s (%s)", self.path, e)


_SCHEMA_HASH = hashlib.blake2b("\n".join(ladybug_ddl()).encode(), digest_size=16).hexdigest()


class LadybugBackend(Backend):
    name = "ladybug"

    def __init__(self, path: Path | None, buffer_pool_mb: int | None = None):
        """``path`` is a folder for the database, or None for an in-memory database;
        ``buffer_pool_mb`` the size of its page cache (None: LadybugDB's default)."""
        self.path = path
        self.recovery: dict[str, Any] | None = None
        self._pool = buffer_pool_mb
        if path is None:
            try:
                self._db = ladybug.Database(":memory:", **_pool(buffer_pool_mb))
            except RuntimeError as e:
                raise StoreUnavailable(f"cannot open an in-memory LadybugDB store: {e}") from e
        else:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreUnavailable(f"cannot create the store folder {path}: {e.strerror}") from e
            state = _StateToken.at_open(path / DB_FILE)
            self._db, self.recovery = open_database(path / DB_FILE, buffer_pool_mb)
        self._state = None if path is None else state
        # re-entrant: an import holds it while its copy is taken and through its write
        self._write_lock = threading.RLock()
        self._write_conn = ladybug.Connection(self._db)
        self._local = threading.local()
        # a restore swaps the database: reads wait for it, and it waits for running reads
        self._swap = threading.Condition()
        self._readers = 0
        self._swapping = False
        self._generation = 0

    @property
    def file(self) -> Path | None:
        return None if self.path is None else self.path / DB_FILE

    def _read_conn(self) -> ladybug.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "generation", None) != self._generation:
            conn = self._local.conn = ladybug.Connection(self._db)
            self._local.generation = self._generation
        return conn

    def create_schema(self) -> None:
        with self._write_lock:
            for statement in ladybug_ddl():
                self._write_conn.execute(statement)

    def read(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        """The rows as dicts, made from the columnar result: on M (20,000 organisations)
        the nine reads of an import took 0.35 s against 0.63 s fetched row by row."""
        return self.read_table(name, params).to_pylist()

    def read_table(self, name: str, params: dict[str, Any] | None = None):
        """The rows as a ``pyarrow.Table`` straight from LadybugDB's columnar result, with
        the declared types and nulls as nulls (three times faster than row dicts on M)."""
        with self._reading():
            try:
                return self._read_conn().execute(queries.load(name), params or {}).get_as_arrow()
            except RuntimeError as e:
                raise StoreError(f"query {name!r} failed on LadybugDB: {e}") from e

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Count a reader in, waiting while the database is being swapped (undo)."""
        with self._swap:
            while self._swapping:
                self._swap.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._swap:
                self._readers -= 1
                self._swap.notify_all()

    def content_stamp(self) -> str | None:
        """The store's write token with the schema's hash (see ``_StateToken``); None in
        memory. Read while writes wait, so it never names a state half written."""
        if self._state is None:
            return None
        with self._write_lock:
            return self._state.stamp()

    @contextmanager
    def transaction(self) -> Iterator[_LadybugTransaction]:
        with self._write_lock, self._writing(), _committed(self._write_conn, _LadybugTransaction) as tx:
            yield tx

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write: the state token is renewed when it ends (committed or not)."""
        try:
            yield
        finally:
            if self._state is not None:
                self._state.renew()

    @contextmanager
    def bulk_transaction(self) -> Iterator[_LadybugBulkTransaction]:
        """A write transaction, like ``transaction``, that may also ``copy``. It runs on a
        connection of its own, closed at the end: in LadybugDB 0.22 a connection that rolled
        back a ``COPY … FROM (LOAD …)`` crashes the process on its next ``COPY`` (measured),
        so such a connection is never used again."""
        with self._write_lock, self._writing():
            conn = ladybug.Connection(self._db)
            try:
                with _committed(conn, _LadybugBulkTransaction) as tx:
                    yield tx
            finally:
                conn.close()

    @contextmanager
    def quiet(self) -> Iterator[Path]:
        """Hold off writes and make the database file whole (checkpointed), so it can be
        copied as it is; yields the file."""
        if self.file is None:
            raise StoreError("an in-memory store keeps no copies; imports into it cannot be undone")
        with self._write_lock:
            self._write_conn.execute("CHECKPOINT")
            yield self.file

    def replace(self, source: Path) -> None:
        """Put the database file ``source`` (a copy made inside ``quiet``) in place of this
        one: writes and reads wait, the database is closed, swapped and opened again."""
        if self.file is None:
            raise StoreError("an in-memory store keeps no copies; imports into it cannot be undone")
        with self._write_lock, self._writing():
            with self._swap:
                self._swapping = True
                while self._readers:
                    self._swap.wait()
            try:
                self._write_conn.close()
                self._db.close()
                wal = self.file.with_name(self.file.name + ".wal")
                staged = self.file.with_name(self.file.name + ".restoring")
                shutil.copyfile(source, staged)
                wal.unlink(missing_ok=True)
                staged.replace(self.file)
                self._db, _ = open_database(self.file, self._pool)
                self._write_conn = ladybug.Connection(self._db)
                self._generation += 1
            finally:
                with self._swap:
                    self._swapping = False
                    self._swap.notify_all()

    def close(self) -> None:
        self._local = threading.local()
        self._write_conn.close()
        self._db.close()
        if self._state is not None:
            self._state.save()
