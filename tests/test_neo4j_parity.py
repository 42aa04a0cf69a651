"""Parity of the two engines: the same imports into LadybugDB and into a live Neo4j 5.26
give the same counts, organisation pages (with their metrics and suggestions), analysis
results (floats to 1e-9) and rows; an unchanged re-import writes nothing on both, and a
failed import writes nothing on both."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from graphsvc.demo import generate
from graphsvc.errors import ImportFailed
from graphsvc.service import Service
from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders import import_files

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parent / "loaders" / "data"
EU_FILES = [DATA / "eu_2007_2013_extract.csv", DATA / "eu_2014_2020_extract.csv"]
PAGES = 25  # organisation pages compared, drawn with a seed, beside the most central ones


def same(a, b, path: str = "") -> None:
    """Assert ``a`` equals ``b``: floats to 1e-9 (relative or absolute), NaN equal to NaN,
    containers element by element, anything else exactly."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert list(a) == list(b), f"{path}: keys {list(a)} != {list(b)}"
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        assert len(a) == len(b), f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, (int, float)) and isinstance(b, (int, float)), f"{path}: {a!r} != {b!r}"
        if math.isnan(a) or math.isnan(b):
            assert math.isnan(a) and math.isnan(b), f"{path}: {a!r} != {b!r}"
        else:
            assert a == pytest.approx(b, rel=1e-9, abs=1e-9), f"{path}: {a!r} != {b!r}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def _without_data_version(result: dict) -> dict:
    # the version counts the writes of one store process; it is not data
    return {k: v for k, v in result.items() if k != "data_version"}


def _analyses(service: Service) -> dict[str, dict]:
    return {
        "centrality": service.centrality().to_dict(),
        "centrality all": service.centrality(scope="all").to_dict(),
        "isolated": service.isolated().to_dict(),
        "gaps": service.gaps().to_dict(),
        "communities": service.communities().to_dict(),
    }


def _state(store) -> tuple:
    return store.counts(), sorted(o["id"] for o in store.list_organisations())


@pytest.fixture(scope="module")
def engines(neo4j_module_settings, tmp_path_factory):
    """The demo region and the EU extracts, imported into LadybugDB and Neo4j alike."""
    records = generate("demo")
    services = {}
    for name, settings in (("ladybug", Settings(in_memory=True, warm=False)), ("neo4j", neo4j_module_settings)):
        store = open_store(settings)
        store.write(records)
        report = import_files(store, EU_FILES)
        assert report.written and report.errors == []
        services[name] = Service(store, settings)
    yield services
    for service in services.values():
        service.store.close()


def test_counts_and_rows(engines):
    lb, n4 = engines["ladybug"].store, engines["neo4j"].store
    assert n4.counts() == lb.counts()
    counts = n4.counts()
    demo = generate("demo")
    # the demo's organisations and the EU extracts' 88 actors (docs of the real-data tests)
    assert counts["Actor"] + counts["Institution"] == len(demo.actors) + len(demo.institutions) + 88
    for method in ("list_organisations", "list_projects", "list_participations", "list_collaborations",
                   "list_memberships", "list_attendances", "list_networks", "list_events",
                   "list_municipalities"):
        rows_lb = sorted(getattr(lb, method)(), key=repr)
        rows_n4 = sorted(getattr(n4, method)(), key=repr)
        same(rows_n4, rows_lb, method)


def test_analyses_agree(engines):
    lb, n4 = _analyses(engines["ladybug"]), _analyses(engines["neo4j"])
    for name in lb:
        same(_without_data_version(n4[name]), _without_data_version(lb[name]), name)
    ranked = lb["centrality"]["tables"]
    assert any(rows for rows in ranked.values()), "the demo must give a non-empty ranking"


def test_organisation_pages_agree(engines):
    lb, n4 = engines["ladybug"], engines["neo4j"]
    ids = sorted(o["id"] for o in lb.store.list_organisations())
    chosen = random.Random(2026).sample(ids, PAGES)
    chosen += ["org-cvr-30089456"]  # Væksthus Midtjylland, from both EU files
    for org_id in chosen:
        page_lb, page_n4 = lb.organisation_page(org_id), n4.organisation_page(org_id)
        same(page_n4, page_lb, org_id)
    assert any(lb.organisation_page(i)["suggestions"] for i in chosen), "some page must suggest partners"


def test_unchanged_reimport_writes_nothing_on_both(engines):
    for name, service in engines.items():
        store = service.store
        before, version = _state(store), store.version
        report = import_files(store, EU_FILES)
        assert report.counts == {
            "actors": {"created": 0, "updated": 0, "unchanged": 88},
            "projects": {"created": 0, "updated": 0, "unchanged": 42},
            "participations": {"created": 0, "updated": 0, "unchanged": 132},
        }, name
        assert not report.written, name
        assert (_state(store), store.version) == (before, version), name


def test_failed_import_writes_nothing_on_both(engines, tmp_path):
    bad = tmp_path / "projekter.csv"
    bad.write_text("Projekt;År;Tilskud\nKorfest;2024;10.000\nSommerteater;i fjor;20.000\n", encoding="utf-8")
    for name, service in engines.items():
        store = service.store
        before = _state(store)
        with pytest.raises(ImportFailed, match="nothing was written"):
            import_files(store, [DATA / "dansk_excel.csv", bad])
        assert _state(store) == before, name
