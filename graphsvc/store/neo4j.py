"""The Neo4j 5 backend, used when ``GRAPHSVC_NEO4J_URI`` is set.

Follows the driver's documented practice: one driver per process, ``execute_query``
with READ routing for reads and the database always named; writes in one explicit
transaction; uniqueness constraints created before anything is loaded. Neo4j errors are
translated here and nowhere else.

An import is one transaction, so it is all or nothing on Neo4j as on LadybugDB. A
transaction whose state outgrows the server's transaction memory limit
(``db.memory.transaction.max`` / ``dbms.memory.transaction.total.max``) is rolled back by
the server; the write is then refused with a message that says so and what to do, and
nothing is written (docs/store.md, "Neo4j at scale").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import GraphDatabase, NotificationDisabledCategory, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

import queries
from graphsvc.errors import StoreError, StoreUnavailable
from graphsvc.model import PropType
from graphsvc.settings import redact_uri
from graphsvc.store.base import Backend, Row
from graphsvc.store.schema import neo4j_constraints

__all__ = ["Neo4jBackend"]

# The server names a transaction that outgrew its memory limit with this code.
_OUT_OF_MEMORY = "MemoryPoolOutOfMemoryError"


class _Neo4jTransaction:
    def __init__(self, tx: neo4j.Transaction, uri: str):
        self._tx = tx
        self._uri = uri

    def run(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        try:
            result = self._tx.run(queries.load(name), params or {})
            keys = result.keys()
            return [dict(zip(keys, record)) for record in result]
        except Neo4jError as e:
            raise _translate(e, self._uri, f"query {name!r}") from e

    def unwind(self, name: str, rows: list[Row], types: dict[str, PropType]) -> list[Row]:
        return self.run(name, {"rows": rows})


def _translate(e: Neo4jError, uri: str, what: str) -> StoreError:
    if _OUT_OF_MEMORY in (e.code or ""):
        return StoreError(
            f"the write is too large for one transaction on Neo4j at {uri}: the server's "
            f"transaction memory limit was reached ({e.message}). Nothing was written. Raise "
            "db.memory.transaction.max (and dbms.memory.transaction.total.max) on the server, "
            "or import the files in smaller parts."
        )
    return StoreError(f"{what} failed on Neo4j at {uri}: {e.code}: {e.message}")


class Neo4jBackend(Backend):
    name = "neo4j"

    def __init__(self, uri: str, *, user: str, password: str, database: str):
        self.uri = redact_uri(uri)
        self.database = database
        self._driver = None
        try:
            # a statement about a label or key not yet in the database is normal here
            # (reads of an empty store), so those notifications are not asked for
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                notifications_disabled_categories=[NotificationDisabledCategory.UNRECOGNIZED],
            )
            self._driver.verify_connectivity()
        except AuthError as e:
            self.close()
            raise StoreUnavailable(
                f"Neo4j at {self.uri} refused user {user!r}: check GRAPHSVC_NEO4J_USER "
                "and GRAPHSVC_NEO4J_PASSWORD"
            ) from e
        except (ServiceUnavailable, ConfigurationError, ValueError, OSError) as e:
            self.close()
            raise StoreUnavailable(
                f"cannot reach Neo4j at {self.uri}: {e}. Check that the server runs and "
                "that GRAPHSVC_NEO4J_URI is right, or unset it to use the embedded store."
            ) from e

    @property
    def driver(self) -> neo4j.Driver:
        """The driver, for code of the Neo4j path that runs its own statements (GDS)."""
        return self._driver

    def create_schema(self) -> None:
        try:
            for statement in neo4j_constraints():
                self._driver.execute_query(statement, database_=self.database)
        except (ServiceUnavailable, SessionExpired) as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {e}") from e
        except Neo4jError as e:
            raise _translate(e, self.uri, "creating the constraints") from e

    def read(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        try:
            records, _, keys = self._driver.execute_query(
                queries.load(name),
                params or {},
                database_=self.database,
                routing_=RoutingControl.READ,
            )
        except (ServiceUnavailable, SessionExpired) as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {e}") from e
        except Neo4jError as e:
            raise _translate(e, self.uri, f"query {name!r}") from e
        # the rows hold plain values (no nodes or paths), so Record.data()'s conversion of
        # every value is not needed; it took half the time of a read (measured on M)
        return [dict(zip(keys, record)) for record in records]

    @contextmanager
    def transaction(self) -> Iterator[_Neo4jTransaction]:
        """One explicit transaction: committed when the block ends, rolled back (by
        leaving the driver's ``with`` without a commit) when it raises."""
        try:
            with self._driver.session(database=self.database) as session:
                with session.begin_transaction() as tx:
                    yield _Neo4jTransaction(tx, self.uri)
                    tx.commit()
        except (ServiceUnavailable, SessionExpired) as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {e}") from e
        except Neo4jError as e:
            raise _translate(e, self.uri, "the write") from e
        except DriverError as e:
            raise StoreError(f"the write to Neo4j at {self.uri} failed: {e}") from e

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
