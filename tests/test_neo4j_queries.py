"""Every statement in ``queries/`` runs on a live Neo4j 5.26 and gives the rows it gives on
LadybugDB: the catalog's own test of every statement (``tests/test_queries.py``, with its
exact values) run on Neo4j, and the same operations on both engines compared read by read."""

from __future__ import annotations

import pytest

import queries
from graphsvc.errors import NotFound
from graphsvc.settings import Settings
from graphsvc.store import GraphStore, open_store
import tests.test_queries as catalog
from tests.test_queries import RecordingBackend, _first_write, _moves

pytestmark = pytest.mark.neo4j


def _exercise(store: GraphStore) -> dict[str, object]:
    """Every store operation, and what each read gave."""
    seen: dict[str, object] = {}
    store.initialise()  # again: finds every municipality, adds none
    seen["initial"] = store.counts()
    store.write(_first_write())
    seen["first"] = store.counts()
    store.write(_moves())
    seen["moved"] = store.counts()
    for method in sorted(m for m in dir(store) if m.startswith("list_") and m != "list_imports"):
        seen[method] = getattr(store, method)()
    for org_id in ("a1", "a3", "i1", "i2"):
        seen[f"get_organisation {org_id}"] = store.get_organisation(org_id)
    store.delete("a2")
    seen["deleted"] = store.counts()
    with pytest.raises(NotFound):  # a project is not an organisation: it stays
        store.delete_organisation("p1")
    store.delete_organisation("i2")
    seen["deleted organisation"] = store.counts()
    merge = store.merge_organisations("a3", "a1")  # decisions: upsert, read, delete
    seen["merged"] = (store.counts(), [(d["kind"], d["target"], d["value"]) for d in store.list_decisions()])
    store.delete_decision(merge["id"])
    seen["merge undone"] = (store.counts(), store.list_decisions())
    return seen


def _unordered(value: object) -> object:
    """A list of rows in a fixed order: statements without ORDER BY give rows in the
    engine's own order, which nothing relies on."""
    if isinstance(value, list):
        return sorted(value, key=repr)
    return value


def _run(store: GraphStore) -> tuple[dict[str, object], set[str]]:
    backend = store.backend = RecordingBackend(store.backend)
    try:
        return _exercise(store), backend.ran
    finally:
        store.close()


def test_the_catalog_test_passes_on_neo4j(neo4j_settings, monkeypatch):
    """``test_every_statement_runs_on_ladybug_and_is_used``, its store opened on Neo4j: every
    statement runs, every value it checks holds, and every file in queries/ ran."""
    opened = []

    def on_neo4j(settings):
        opened.append(open_store(neo4j_settings))
        return opened[-1]

    monkeypatch.setattr(catalog, "open_store", on_neo4j)
    catalog.test_every_statement_runs_on_ladybug_and_is_used()
    assert [store.backend.name for store in opened] == ["neo4j"]


def test_every_statement_runs_on_neo4j_as_on_ladybug(neo4j_settings):
    neo4j_seen, neo4j_ran = _run(open_store(neo4j_settings))
    ladybug_seen, ladybug_ran = _run(open_store(Settings(in_memory=True)))

    assert ladybug_ran == neo4j_ran
    assert len(neo4j_ran) > len(queries.names()) // 2
    assert list(neo4j_seen) == list(ladybug_seen)
    for key in ladybug_seen:
        assert _unordered(neo4j_seen[key]) == _unordered(ladybug_seen[key]), key
    # the moves were applied, not just equally ignored: hand-counted from _first_write/_moves
    first, moved = neo4j_seen["first"], neo4j_seen["moved"]
    assert (first["LOCATED_IN"], first["TAKES_PLACE_IN"]) == (4, 4)
    assert (moved["LOCATED_IN"], moved["TAKES_PLACE_IN"]) == (4, 3)
    assert [(p["id"], p["municipality_codes"]) for p in neo4j_seen["list_projects"]] == [
        ("p1", ["661"]), ("p2", ["661"])]
    assert neo4j_seen["deleted"]["Actor"] == 2
    assert (neo4j_seen["deleted organisation"]["Institution"], neo4j_seen["deleted organisation"]["Project"]) == (1, 2)
