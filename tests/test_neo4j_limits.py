"""Neo4j's limits: a write larger than the server's transaction memory limit is refused
with a message that says what to do, and writes nothing; small batches write the same
graph as one batch."""

from __future__ import annotations

import pytest

from graphsvc.errors import StoreError
from graphsvc.model import Actor, Records
from graphsvc.store import open_store

pytestmark = pytest.mark.neo4j


def _transaction_limit(store) -> str:
    records, _, _ = store.backend.driver.execute_query(
        "SHOW SETTINGS YIELD name, value WHERE name = 'db.memory.transaction.max' RETURN value",
        database_="system",
    )
    return records[0]["value"]


def test_a_write_too_large_for_the_server_is_refused_and_writes_nothing(neo4j_settings, small_records):
    store = open_store(neo4j_settings)
    try:
        # scripts/test starts the test Neo4j with this limit, so that it can be reached
        assert _transaction_limit(store) == "64.00MiB"
        store.write(small_records)
        before = store.counts()
        # 80 names of 1 MiB each: 80 MiB of new properties in one transaction
        huge = Records(actors=[Actor(id=f"big-{i}", name=f"{i:03d}" + "x" * (1 << 20)) for i in range(80)])
        with pytest.raises(StoreError) as e:
            store.write(huge)
        assert e.value.detail.startswith(
            f"the write is too large for one transaction on Neo4j at {store.backend.uri}: the "
            "server's transaction memory limit was reached")
        assert e.value.detail.endswith(
            "Nothing was written. Raise db.memory.transaction.max (and "
            "dbms.memory.transaction.total.max) on the server, or import the files in smaller parts.")
        assert neo4j_settings.neo4j_password.get_secret_value() not in e.value.detail
        assert store.counts() == before
        # the same rows in a write under the limit go through
        store.write(Records(actors=huge.actors[:10]))
        assert store.counts()["Actor"] == before["Actor"] + 10
    finally:
        store.close()


def test_batches_of_one_row_write_the_same_graph(neo4j_settings, small_records):
    store = open_store(neo4j_settings.model_copy(update={"batch_size": 1}))
    try:
        steps = []
        store.write(small_records, progress=lambda step, n: steps.append((step, n)))
        assert all(n == 1 for _, n in steps) and ("actors", 1) in steps
        assert store.counts() | {"Municipality": 0} == {
            "Municipality": 0, "Actor": 2, "Institution": 1, "Project": 1, "Network": 1,
            "Event": 1, "LOCATED_IN": 3, "PARTICIPATES_IN": 2, "TAKES_PLACE_IN": 3,
            "MEMBER_OF": 1, "ATTENDS": 1, "COLLABORATES_WITH": 1,
        }
    finally:
        store.close()
