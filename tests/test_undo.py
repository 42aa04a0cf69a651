"""Every import can be undone: the store as it was before the import comes back, counts
and analyses alike — by the CLI (`graphsvc imports undo`) and by the API (the import
page's Fortryd)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from graphsvc.analysis._results import dumps
from graphsvc.app import create_app
from graphsvc.cli import main
from graphsvc.errors import InputError, NotFound, StoreError
from graphsvc.service import Service
from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders import import_files

BASE = """Projekttitel,År,Ansøger,Kommune,Partnere
Kor på tværs,2019,Lemvig Kor,Lemvig,"Struer Musikskole; Holstebro Teater"
Fjordens lyd,2020,Struer Musikskole,Struer,Lemvig Kor
Børneteater i Vest,2021,Holstebro Teater,Holstebro,Herning Bibliotek
Læsefest,2021,Herning Bibliotek,Herning,Ikast Litteraturforening
Ung kunst,2022,Aarhus Kunsthal,Aarhus,"Skanderborg Kunstforening; Lemvig Kor"
"""
# adds projects and organisations, and a new tie between organisations already stored
SECOND = """Projekttitel,År,Ansøger,Kommune,Partnere
Dans i Djursland,2023,Norddjurs Danseskole,Norddjurs,"Aarhus Kunsthal; Syddjurs Musikforening"
Kor og kunst,2023,Lemvig Kor,Lemvig,Aarhus Kunsthal
"""


def _analyses(store, settings) -> dict[str, object]:
    """Every analysis the service offers over the whole graph, as JSON without the store
    version (which goes up with every write, undo included)."""
    service = Service(store, settings)
    results = {
        "centrality": service.centrality(), "isolated": service.isolated(), "gaps": service.gaps(),
        "communities": service.communities(),
    }

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "data_version"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return {name: strip(json.loads(dumps(result))) for name, result in results.items()}


@pytest.fixture
def files(tmp_path):
    base, second = tmp_path / "tilskud-2019-2022.csv", tmp_path / "tilskud-2023.csv"
    base.write_text(BASE, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    return base, second


def test_an_undone_import_leaves_counts_and_every_analysis_as_before(tmp_path, files):
    settings = Settings(data_dir=tmp_path / "store", warm=False)
    store = open_store(settings)
    try:
        import_files(store, [files[0]], kind="project")
        counts, analyses = store.counts(), _analyses(store, settings)
        assert counts["Project"] == 5 and counts["Actor"] + counts["Institution"] == 7
        import_files(store, [files[1]], kind="project")
        assert store.counts()["Project"] == 7
        assert _analyses(store, settings) != analyses  # the import changed them
        assert [e["files"] for e in store.list_imports()] == [["tilskud-2019-2022.csv"], ["tilskud-2023.csv"]]
        version = store.version
        entry = store.undo_import()
        assert entry["files"] == ["tilskud-2023.csv"]
        assert store.version == version + 1  # caches are recomputed
        assert store.counts() == counts
        assert _analyses(store, settings) == analyses
        assert [e["files"] for e in store.list_imports()] == [["tilskud-2019-2022.csv"]]
    finally:
        store.close()
    # and it stays undone after the store is opened again
    store = open_store(settings)
    try:
        assert store.counts() == counts
    finally:
        store.close()


def test_undo_refuses_when_the_store_changed_after_the_import(tmp_path, files):
    store = open_store(Settings(data_dir=tmp_path / "store"))
    try:
        import_files(store, [files[0]], kind="project")
        before = store.list_imports()[0]["counts_before"]
        org = next(o for o in store.list_organisations() if o["name"] == "Lemvig Kor")
        store.delete(org["id"])
        with pytest.raises(InputError, match="the store changed after the import"):
            store.undo_import()
        store.undo_import(force=True)
        assert store.counts() == before
        with pytest.raises(NotFound, match="no import to undo"):
            store.undo_import()
    finally:
        store.close()


def test_only_the_last_n_imports_are_kept(tmp_path, files):
    store = open_store(Settings(data_dir=tmp_path / "store", undo_keep=1))
    try:
        import_files(store, [files[0]], kind="project")
        import_files(store, [files[1]], kind="project")
        assert [e["files"] for e in store.list_imports()] == [["tilskud-2023.csv"]]
        assert len(list((tmp_path / "store" / "undo").iterdir())) == 1
    finally:
        store.close()


def test_a_failed_import_keeps_no_copy(tmp_path):
    bad = tmp_path / "deltagere.csv"
    bad.write_text("organisation;projekt_id\nLemvig Kor;prj-findes-ikke\n", encoding="utf-8")
    store = open_store(Settings(data_dir=tmp_path / "store"))
    try:
        with pytest.raises(Exception):
            import_files(store, [bad], kind="participation")
        assert store.list_imports() == []
        assert not (tmp_path / "store" / "undo").exists() or not any((tmp_path / "store" / "undo").iterdir())
    finally:
        store.close()


def test_an_in_memory_store_says_undo_is_not_available():
    store = open_store(Settings(in_memory=True))
    try:
        assert store.list_imports() == []
        with pytest.raises(StoreError, match="cannot be undone"):
            store.undo_import()
    finally:
        store.close()


def test_cli_lists_and_undoes(tmp_path, files):
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "store")]
    assert runner.invoke(main, ["load", str(files[0]), "--kind", "project", *data]).exit_code == 0
    assert runner.invoke(main, ["load", str(files[1]), "--kind", "project", *data]).exit_code == 0
    listed = runner.invoke(main, ["imports", *data])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("+00:00  tilskud-2019-2022.csv  (Actor +7, Project +5)")
    assert lines[1].endswith("+00:00  tilskud-2023.csv  (Actor +2, Project +2)")
    undone = runner.invoke(main, ["imports", "undo", *data])
    assert undone.exit_code == 0, undone.output
    assert undone.output.startswith("undid the import of ") and "(tilskud-2023.csv)" in undone.output
    assert "5 projects now" in undone.output
    as_json = json.loads(runner.invoke(main, ["imports", "--json", *data]).output)
    assert [e["files"] for e in as_json] == [["tilskud-2019-2022.csv"]]
    runner.invoke(main, ["imports", "undo", *data])
    nothing = runner.invoke(main, ["imports", "undo", *data])
    assert nothing.exit_code == 1
    assert nothing.output.startswith("error: no import to undo")


def test_api_undo_needs_the_token_and_restores(tmp_path, files):
    app = create_app(Settings(data_dir=tmp_path / "store", admin_token="hemmelig", warm=False))
    with TestClient(app, base_url="http://localhost") as client:
        store = client.app.state.service.store
        import_files(store, [files[0]], kind="project")
        counts = store.counts()
        import_files(store, [files[1]], kind="project")
        assert client.post("/api/imports/undo").status_code == 403
        assert client.get("/api/imports/history", headers={"Authorization": "Bearer hemmelig"}).json()[-1]["files"] == [
            "tilskud-2023.csv"]
        r = client.post("/api/imports/undo", headers={"Authorization": "Bearer hemmelig"})
        assert r.status_code == 200, r.text
        assert r.json()["undone"]["files"] == ["tilskud-2023.csv"]
        assert r.json()["counts"] == counts
        assert client.get("/api/info").json()["counts"] == counts
        page = client.get("/import", headers={"Accept": "text/html"}).text
        assert 'id="undo"' in page and "Fortryd seneste import" in page and "/static/undo.js" in page
