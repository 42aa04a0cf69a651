"""Fixtures of the loader tests: the data folder and an import helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc.errors import ImportFailed
from loaders import ImportReport, import_files

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def load(store):
    """``load(*files, **options)``: import files (names in tests/loaders/data, or paths)
    into the test's store and return the report, also when the import failed."""

    def run(*files, **options) -> ImportReport:
        paths = [f if isinstance(f, Path) else DATA / f for f in files]
        try:
            return import_files(store, paths, **options)
        except ImportFailed as e:
            e.report.failed = True
            return e.report

    return run


@pytest.fixture
def orgs_by_name():
    """``orgs_by_name(store)``: the store's organisations by name."""

    def by_name(store) -> dict[str, dict]:
        return {o["name"]: o for o in store.list_organisations()}

    return by_name
