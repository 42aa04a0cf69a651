"""The canonical files (what ``graphsvc demo`` writes) import exactly as ``read_canonical``
reads them, and importing them again writes nothing."""

from __future__ import annotations

import json

import pytest

from graphsvc.demo import write_demo
from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders import import_files, read_canonical

LISTS = ("list_organisations", "list_projects", "list_participations", "list_collaborations", "list_networks",
         "list_events", "list_memberships", "list_attendances", "list_municipalities")


def _key(row):
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return write_demo("demo", tmp_path_factory.mktemp("demo"))


def test_demo_files_import_like_read_canonical(store, demo_files):
    report = import_files(store, demo_files)
    assert report.errors == [] and report.warnings == []
    reference = open_store(Settings(in_memory=True))
    records = read_canonical(demo_files)
    reference.write(records)
    try:
        for name in LISTS:
            assert sorted(map(_key, getattr(store, name)())) == sorted(map(_key, getattr(reference, name)())), name
    finally:
        reference.close()
    assert report.counts["actors"]["created"] == len(records.actors)
    assert report.counts["participations"]["created"] == len(records.participations)
    version = store.version
    again = import_files(store, demo_files)
    assert store.version == version and not again.written
    assert {k: c["unchanged"] for k, c in again.counts.items()} == {k: c["created"] for k, c in report.counts.items()}


def test_canonical_json_and_municipality_figures(store, tmp_path):
    doc = tmp_path / "graph.json"
    doc.write_text(json.dumps({
        "actors": [{"id": "a-1", "name": "Samsø Musikforening", "municipality_code": "741", "art_forms": ["musik"]}],
        "projects": [{"id": "p-1", "title": "Ø-koncerter", "start_year": 2024, "municipality_codes": ["741", "751"]}],
        "participations": [{"org_id": "a-1", "project_id": "p-1", "role": "lead"}],
    }, ensure_ascii=False), encoding="utf-8")
    report = import_files(store, [doc])
    assert {k: c["created"] for k, c in report.counts.items()} == {"actors": 1, "projects": 1, "participations": 1}
    assert store.counts()["TAKES_PLACE_IN"] == 2
    figures = tmp_path / "municipalities.csv"
    figures.write_text("code,name,population,population_year\n741,Samsø,3700,2024\n", encoding="utf-8")
    report = import_files(store, [figures])
    assert report.counts == {"municipalities": {"created": 0, "updated": 1, "unchanged": 0}}
    samso = next(m for m in store.list_municipalities() if m["code"] == "741")
    assert (samso["population"], samso["population_year"], samso["region"]) == (3700, 2024, "Region Midtjylland")
