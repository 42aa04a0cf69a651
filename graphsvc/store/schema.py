"""DDL generated from ``graphsvc.model``: LadybugDB tables and Neo4j constraints.

Labels, types and property names come only from the model's enums, never from data,
so formatting them into DDL text is safe.
"""

from __future__ import annotations

from graphsvc.model import NODES, RELATIONSHIPS

__all__ = ["ladybug_ddl", "neo4j_constraints"]


def ladybug_ddl() -> list[str]:
    """``CREATE … TABLE IF NOT EXISTS`` statements, nodes first, then ``ALTER TABLE … ADD
    IF NOT EXISTS`` for every node property, so a store made before a property was added
    to the model (``municipality_source``, a municipality's ``in_region``) gets it too."""
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
    for spec in NODES.values():
        statements += [f"ALTER TABLE {spec.label} ADD IF NOT EXISTS {name} {ptype}"
                       for name, ptype in spec.properties.items() if name != spec.key]
    return statements


def neo4j_constraints() -> list[str]:
    """One uniqueness constraint per node label on its key (which also indexes it)."""
    return [
        f"CREATE CONSTRAINT {spec.label.lower()}_{spec.key} IF NOT EXISTS "
        f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE"
        for spec in NODES.values()
    ]
