"""Where the graph lives: ``open_store(settings)`` gives a ``GraphStore`` on LadybugDB
(embedded, the default) or on Neo4j 5 (when ``GRAPHSVC_NEO4J_URI`` is set)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphsvc.store.base import Backend, Transaction
from graphsvc.store.graph import GraphStore, Progress, WriteSummary

if TYPE_CHECKING:  # settings import the loaders' section, and the loaders the store
    from graphsvc.settings import Settings

__all__ = ["open_store", "GraphStore", "Backend", "Transaction", "WriteSummary", "Progress"]


def open_store(settings: Settings) -> GraphStore:
    """Open (and if new, initialise) the store that ``settings`` name."""
    if settings.neo4j_uri:
        from graphsvc.store.neo4j import Neo4jBackend

        backend: Backend = Neo4jBackend(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
        )
    else:
        from graphsvc.store.ladybug import LadybugBackend

        backend = LadybugBackend(None if settings.in_memory else settings.data_dir,
                                 buffer_pool_mb=settings.store_buffer_pool_mb)
    store = GraphStore(
        backend, batch_size=settings.batch_size, description=settings.store_description()
    )
    if backend.name == "ladybug" and not settings.in_memory:
        from graphsvc.store.snapshots import ImportHistory

        store.history = ImportHistory(backend, keep=settings.undo_keep)
    store.initialise()
    return store
