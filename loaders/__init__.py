"""Loaders: spreadsheets (CSV, XLSX, JSON, JSON Lines) into the graph.

``import_files(store, paths, ...)`` reads the files, recognises their columns, normalises
names, places and values, resolves duplicates (also against the store), reports every
problem and writes what is new or changed in one transaction (docs/loading.md).
``read_canonical`` and ``write_canonical`` read and write the canonical format
(``loaders.canonical``).

The names are imported when first used, so ``loaders.settings`` (a section of
``graphsvc.settings``) can be imported without pandas and the store.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "import_files",
    "ImportReport",
    "ImportProgress",
    "Problem",
    "Mapping",
    "load_mapping",
    "LoaderSettings",
    "read_canonical",
    "write_canonical",
]

_WHERE = {
    "import_files": "loaders.pipeline",
    "ImportProgress": "loaders.pipeline",
    "ImportReport": "loaders.report",
    "Problem": "loaders.report",
    "Mapping": "loaders.mapping",
    "load_mapping": "loaders.mapping",
    "LoaderSettings": "loaders.settings",
    "read_canonical": "loaders.canonical",
    "write_canonical": "loaders.canonical",
}

if TYPE_CHECKING:
    from loaders.canonical import read_canonical, write_canonical
    from loaders.mapping import Mapping, load_mapping
    from loaders.pipeline import ImportProgress, import_files
    from loaders.report import ImportReport, Problem
    from loaders.settings import LoaderSettings


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'loaders' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
