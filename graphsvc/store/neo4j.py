"""The Neo4j 5 backend, used when ``GRAPHSVC_NEO4J_URI`` is set.

Follows the driver's documented practice: one driver per process, ``execute_query``
with READ routing for reads and the database always named; writes in one explicit
transaction; uniqueness constraints created before anything is loaded. Neo4j errors are
translated here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

import queries
from graphsvc.errors import StoreError, StoreUnavailable
from graphsvc.model import PropType
from graphsvc.settings import redact_uri
from graphsvc.store.base import Backend, Row
from graphsvc.store.schema import neo4j_constraints

__all__ = ["Neo4jBackend"]


class _Neo4jTransaction:
    def __init__(self, tx: neo4j.Transaction):
        self._tx = tx

    def run(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        try:
            return self._tx.run(queries.load(name), params or {}).data()
        except Neo4jError as e:
            raise StoreError(f"query {name!r} failed on Neo4j: {e.message}") from e

    def unwind(self, name: str, rows: list[Row], types: dict[str, PropType]) -> list[Row]:
        return self.run(name, {"rows": rows})


class Neo4jBackend(Backend):
    name = "neo4j"

    def __init__(self, uri: str, *, user: str, password: str, database: str):
        self.uri = redact_uri(uri)
        self.database = database
        self._driver = None
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password))
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

    def create_schema(self) -> None:
        for statement in neo4j_constraints():
            self._driver.execute_query(statement, database_=self.database)

    def read(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        try:
            records, _, _ = self._driver.execute_query(
                queries.load(name),
                params or {},
                database_=self.database,
                routing_=RoutingControl.READ,
            )
        except ServiceUnavailable as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {e}") from e
        except Neo4jError as e:
            raise StoreError(f"query {name!r} failed on Neo4j: {e.message}") from e
        return [record.data() for record in records]

    @contextmanager
    def transaction(self) -> Iterator[_Neo4jTransaction]:
        try:
            with self._driver.session(database=self.database) as session:
                with session.begin_transaction() as tx:
                    yield _Neo4jTransaction(tx)
                    tx.commit()
        except ServiceUnavailable as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {e}") from e

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
