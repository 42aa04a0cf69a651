"""Every Cypher statement of graphsvc, one per ``<name>.cypher`` file in this package.

``load(name)`` returns a statement's text; ``names()`` lists them. Values are always
``$parameters``: no statement text is ever built from data.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["load", "names"]


@cache
def names() -> tuple[str, ...]:
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name[: -len(".cypher")] for f in files if f.name.endswith(".cypher")))


@cache
def load(name: str) -> str:
    if name not in names():
        raise KeyError(f"no query named {name!r} (queries: {', '.join(names())})")
    return resources.files(__name__).joinpath(f"{name}.cypher").read_text(encoding="utf-8")
