"""DDL generated from ``graphsvc.model``: LadybugDB tables and Neo4j constraints.

Labels, types and property names come only from the model's enums, never from data,
so formatting them into DDL text is safe.
"""

from __future__ import annotations

from graphsvc.model import NODES, RELATIONSHIPS

__all__ = ["ladybug_ddl", "neo4j_constraints"]


def ladybug_ddl() -> list[str]:
    """``CREATE … TABLE IF NOT EXISTS`` statements, nodes first."""
    statements = []
    for spec in NODES.values():
        columns = ", ".join(f"{name} {ptype}" for name, ptype in spec.properties.items())
        statements.append(
            f"CREATE NODE TABLE IF NOT EXISTS {spec.label}({columns}, PRIMARY KEY({spec.key}))"
        )
    for spec in RELATIONSHIPS.values():
        parts = [f"FROM {a} TO {b}" for a, b in spec.pairs]
        parts += [f"{name} {ptype}" for name, ptype in spec.properties.items()]
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {spec.type}({', '.join(parts)})")
    return statements


def neo4j_constraints() -> list[str]:
    """One uniqueness constraint per node label on its key (which also indexes it)."""
    return [
        f"CREATE CONSTRAINT {spec.label.lower()}_{spec.key} IF NOT EXISTS "
        f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE"
        for spec in NODES.values()
    ]
