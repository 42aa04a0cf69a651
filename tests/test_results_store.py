"""Results kept on disk: keyed by the data's content, found again after a restart and by
the commands, recomputed after a write that changes the data, never an error when a
file is damaged."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from collections import Counter

import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner

import graphsvc.cli.analyse  # noqa: F401  (registers the commands)
import graphsvc.service
from graphsvc.analysis.projection import GraphData
from graphsvc.cache import ResultCache
from graphsvc.cli import main
from graphsvc.model import Actor, Records
from graphsvc.page_filters import OrgFilter
from graphsvc.results_store import (
    MISSING,
    ResultsStore,
    canonical_key,
    data_fingerprint,
    results_store_for,
)
from graphsvc.service import Service
from graphsvc.settings import Settings
from graphsvc.store import open_store

CENTRALITY = ("centrality", None, "region")


# --- the fingerprint ----------------------------------------------------------------


def _data(municipalities, organisations=(), version=1):
    """A ``GraphData`` of municipalities and organisations (rows, or a ``pyarrow.Table``)."""
    orgs = organisations if isinstance(organisations, pa.Table) else list(organisations)
    return GraphData(version, municipalities, orgs, [], [], [])


MUNIS = [{"code": "751", "name": "Aarhus", "in_region": True}, {"code": "657", "name": "Herning", "in_region": True}]
ORGS = [{"id": "a-1", "name": "Kor", "art_forms": ["musik", "teater"], "extra": {"b": 1, "a": 2}},
        {"id": "a-2", "name": "Teater", "art_forms": [], "extra": {}}]


def test_fingerprint_ignores_row_order_key_order_and_version():
    base = data_fingerprint(_data(MUNIS, ORGS))
    shuffled = [{k: row[k] for k in reversed(list(row))} for row in reversed(MUNIS)]
    orgs = [{"extra": {"a": 2, "b": 1}, "art_forms": ["musik", "teater"], "name": "Kor", "id": "a-1"}, ORGS[1]]
    assert data_fingerprint(_data(shuffled, reversed(orgs), version=42)) == base
    assert len(base) == 32 and int(base, 16) >= 0


@pytest.mark.parametrize("change", [
    lambda m, o: (m[:1], o),  # a row less
    lambda m, o: ([{**m[0], "name": "Århus"}, m[1]], o),  # a value
    lambda m, o: (m, [{**o[0], "art_forms": ["teater", "musik"]}, o[1]]),  # the order inside a list
    lambda m, o: (m, [{**o[0], "extra": {"a": 2}}, o[1]]),  # inside a dict
    lambda m, o: (m, [o[0], {**o[1], "art_forms": None}]),  # an empty list is not a missing one
])
def test_fingerprint_changes_with_the_content(change):
    assert data_fingerprint(_data(*change(MUNIS, ORGS))) != data_fingerprint(_data(MUNIS, ORGS))


def test_fingerprint_of_columns_ignores_row_order():
    rows = [{"id": "a-1", "art_forms": ["musik", "teater"], "staff": 3},
            {"id": "a-2", "art_forms": [], "staff": None},
            {"id": "a-3", "art_forms": None, "staff": 7}]
    table = pa.Table.from_pylist(rows)
    reordered = pa.Table.from_pylist([rows[2], rows[0], rows[1]]).select(["staff", "id", "art_forms"])
    assert data_fingerprint(_data(MUNIS, table)) == data_fingerprint(_data(MUNIS, reordered))
    for changed in ({**rows[1], "art_forms": None}, {**rows[1], "staff": 4}, {**rows[1], "art_forms": ["musik"]}):
        other = pa.Table.from_pylist([rows[0], changed, rows[2]])
        assert data_fingerprint(_data(MUNIS, other)) != data_fingerprint(_data(MUNIS, table))


# --- the files ----------------------------------------------------------------------


def test_store_load_save_and_a_damaged_file(tmp_path):
    disk = ResultsStore(tmp_path / "results")
    assert disk.load("fp", CENTRALITY, "params") is MISSING
    assert disk.save("fp", CENTRALITY, "params", {"x": 1}, 123) is True
    assert disk.load("fp", CENTRALITY, "params") == ({"x": 1}, 123)
    assert disk.load("fp", CENTRALITY, "other params") is MISSING
    assert disk.load("other data", CENTRALITY, "params") is MISSING
    assert disk.load("fp", ("centrality", None, "all"), "params") is MISSING
    [path] = disk.files()
    assert path == disk.path("fp", CENTRALITY, "params")
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    path.write_bytes(b"\x80\x05 not a pickle")
    assert disk.load("fp", CENTRALITY, "params") is MISSING
    path.write_bytes(path.read_bytes()[:0])
    assert disk.load("fp", CENTRALITY, "params") is MISSING
    assert (disk.loaded, disk.saved) == (1, 1)


def test_a_file_that_holds_another_key_is_not_used(tmp_path):
    disk = ResultsStore(tmp_path)
    disk.save("fp", ("gaps", None, "all"), "p", "gaps of all")
    os.replace(disk.path("fp", ("gaps", None, "all"), "p"), disk.path("fp", ("gaps", None, "region"), "p"))
    assert disk.load("fp", ("gaps", None, "region"), "p") is MISSING


def test_an_unwritable_folder_is_no_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    disk = ResultsStore(tmp_path / "file" / "results")
    assert disk.save("fp", CENTRALITY, "p", 1) is False
    assert disk.load("fp", CENTRALITY, "p") is MISSING


def test_the_newest_data_states_are_kept(tmp_path):
    disk = ResultsStore(tmp_path, keep=2)
    for i, fp in enumerate(["old", "middle", "new"]):
        disk.save(fp, CENTRALITY, "p", fp)
        os.utime(disk.path(fp, CENTRALITY, "p").parent, (1000 + i, 1000 + i))
    disk.prune()
    assert [disk.load(fp, CENTRALITY, "p") for fp in ("old", "middle", "new")] == [
        MISSING, ("middle", None), ("new", None)]
    # a new data state prunes on its first save; reading "middle" made it the newest
    os.utime(disk.path("middle", CENTRALITY, "p").parent, (2000, 2000))
    disk.save("newest", CENTRALITY, "p", "newest")
    assert [disk.load(fp, CENTRALITY, "p") for fp in ("middle", "new", "newest")] == [
        ("middle", None), MISSING, ("newest", None)]


def test_another_version_does_not_find_the_results(tmp_path):
    ResultsStore(tmp_path, version="1").save("fp", CENTRALITY, "p", "from version 1")
    assert ResultsStore(tmp_path, version="2").load("fp", CENTRALITY, "p") is MISSING
    assert ResultsStore(tmp_path, version="1").load("fp", CENTRALITY, "p") == ("from version 1", None)


def test_canonical_key_is_the_same_for_equal_sets():
    assert canonical_key(("s", frozenset({"x", "y", "z"}))) == canonical_key(("s", frozenset({"z", "y", "x"})))
    assert canonical_key(("gaps", (2015, 2019), "region")) == "('gaps', (2015, 2019), 'region')"


def test_where_the_settings_put_it(tmp_path):
    assert results_store_for(Settings(data_dir=tmp_path)).folder == tmp_path / "results"
    assert results_store_for(Settings(data_dir=tmp_path, results_dir=tmp_path / "r")).folder == tmp_path / "r"
    assert results_store_for(Settings(data_dir=tmp_path, in_memory=True)) is None
    assert results_store_for(Settings(data_dir=tmp_path, persist_results=False)) is None
    assert results_store_for(Settings(data_dir=tmp_path, results_keep=5)).keep == 5


# --- the cache: memory, then disk, then computing ------------------------------------


def _disk_cache(tmp_path, fingerprint="fp"):
    fp = [fingerprint]
    return ResultCache(lambda: 1, disk=ResultsStore(tmp_path), fingerprints=lambda: (fp[0], "p"),
                       persisted=lambda key: key[0] in ("gaps", "centrality")), fp


def test_results_of_windows_beyond_the_ration_are_not_written(tmp_path):
    cache = ResultCache(lambda: 1, max_windows=1, disk=ResultsStore(tmp_path), fingerprints=lambda: ("fp", "p"),
                        persisted=lambda key: True)
    cache.get(("gaps", (2010, 2011)), lambda: "first window")
    cache.get(("gaps", (2012, 2013)), lambda: "second window")
    assert (len(cache.disk.files()), cache.disk.saved) == (1, 1)
    assert cache.disk.load("fp", ("gaps", (2010, 2011)), "p") == ("first window", cache.bytes)
    assert cache.disk.load("fp", ("gaps", (2012, 2013)), "p") is MISSING


def test_cache_reads_the_disk_before_computing(tmp_path):
    first, _ = _disk_cache(tmp_path)
    assert first.get(("gaps", None), lambda: "computed") == "computed"
    assert first.get(("graph", None), lambda: "a graph") == "a graph"  # not persisted
    second, fp = _disk_cache(tmp_path)
    assert second.get(("gaps", None), lambda: "again") == "computed"
    assert second.get(("graph", None), lambda: "another graph") == "another graph"
    assert (second.computations, second.loaded) == (Counter({"graph": 1}), 1)
    fp[0] = "other data"
    third, _ = _disk_cache(tmp_path, "other data")
    assert third.get(("gaps", None), lambda: "other") == "other"
    assert (third.computations, third.loaded) == (Counter({"gaps": 1}), 0)


def test_a_key_on_disk_is_served_while_another_computes(tmp_path):
    seed, _ = _disk_cache(tmp_path)
    seed.get(CENTRALITY, lambda: "stored centrality")
    cache, _ = _disk_cache(tmp_path)
    started, release = threading.Event(), threading.Event()

    def slow_gaps():
        started.set()
        assert release.wait(10)
        return "gaps"

    warm = threading.Thread(target=cache.get, args=(("gaps", None), slow_gaps))
    warm.start()
    assert started.wait(10)
    try:
        assert cache.get(CENTRALITY, lambda: "computed") == "stored centrality"
        assert warm.is_alive()  # the slow computation is still running
    finally:
        release.set()
        warm.join()
    assert (cache.computations, cache.loaded) == (Counter({"gaps": 1}), 1)


# --- the service on a real store ----------------------------------------------------


@pytest.fixture
def data_dir(small_store_dir):
    return small_store_dir


def _service(data_dir, **settings):
    settings = Settings(data_dir=data_dir, warm=False, **settings)
    return Service(open_store(settings), settings)


def test_a_restart_serves_centrality_without_computing_it(data_dir):
    first = _service(data_dir)
    before = first.centrality()
    assert first.cache.computations["centrality"] == 1
    first.store.close()
    second = _service(data_dir)
    try:
        after = second.centrality()
        # the store is as the first process left it: its token names the fingerprint, so
        # nothing was read from the store, and nothing was analysed
        assert second.cache.computations == Counter({"fingerprint": 1})
        assert second.cache.loaded == 1
        pd.testing.assert_frame_equal(after.table, before.table)
        assert after.data_version == second.store.version
    finally:
        second.store.close()


def test_a_write_that_changes_the_data_recomputes(data_dir, small_records):
    service = _service(data_dir)
    try:
        assert service.isolated().table.index.tolist() == ["a-herning", "a-lemvig"]
        service.store.write(Records(actors=[
            Actor(id="a-odder", name="Odder Øjeblikke", kind="forening", size="small", municipality_code="727")]))
        assert service.isolated().table.index.tolist() == ["a-odder", "a-herning", "a-lemvig"]
        assert service.cache.computations["isolated"] == 2
        assert service.cache.loaded == 0
    finally:
        service.store.close()


def test_an_unchanged_reimport_keeps_the_results(data_dir, small_records):
    service = _service(data_dir)
    try:
        first = service.gaps()
        version = service.store.version
        service.store.write(small_records)  # the same rows again
        assert service.store.version == version + 1
        again = service.gaps()
        assert (service.cache.computations["gaps"], service.cache.loaded) == (1, 1)
        pd.testing.assert_frame_equal(again.pairs, first.pairs)
        assert (first.data_version, again.data_version) == (version, version + 1)
    finally:
        service.store.close()


def test_a_damaged_file_is_computed_again(data_dir):
    first = _service(data_dir)
    expected = first.communities().table
    disk = first.cache.disk
    first.store.close()
    [path] = disk.files()
    path.write_bytes(b"garbage")
    second = _service(data_dir)
    try:
        pd.testing.assert_frame_equal(second.communities().table, expected)
        assert (second.cache.computations["communities"], second.cache.loaded) == (1, 0)
    finally:
        second.store.close()
    third = _service(data_dir)  # the file was written again
    try:
        pd.testing.assert_frame_equal(third.communities().table, expected)
        assert (third.cache.computations["communities"], third.cache.loaded) == (0, 1)
    finally:
        third.store.close()


def test_other_parameters_are_other_results(data_dir):
    service = _service(data_dir)
    service.centrality()
    service.store.close()
    other = _service(data_dir, analysis={"seed": 7})
    try:
        assert other.centrality().params.seed == 7
        assert (other.cache.computations["centrality"], other.cache.loaded) == (1, 0)
    finally:
        other.store.close()


# --- the commands share them ----------------------------------------------------------


def _run(*args):
    result = CliRunner().invoke(main, ["analyse", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _refuse(*args, **kwargs):
    raise AssertionError("computed although the result is stored")


def test_commands_share_results_with_each_other_and_the_service(data_dir, monkeypatch):
    folder = str(data_dir)
    outputs = {name: _run(name, "--data-dir", folder, "--json")
               for name in ("centrality", "isolated", "gaps", "communities")}
    assert len(results_store_for(Settings(data_dir=data_dir)).files()) == 4
    # the second run of each command and the service read them: computing them again fails
    for name in ("centrality", "isolated_actors", "municipality_gaps", "communities"):
        monkeypatch.setattr(graphsvc.service, name, _refuse)
    for name, output in outputs.items():
        assert json.loads(_run(name, "--data-dir", folder, "--json")) == json.loads(output)
    service = _service(data_dir)
    try:
        for name, result in (("centrality", service.centrality()), ("isolated", service.isolated()),
                             ("gaps", service.gaps()), ("communities", service.communities())):
            assert result.to_dict() == json.loads(outputs[name])
        assert service.cache.computations == Counter({"fingerprint": 1})
        assert service.cache.loaded == 4
    finally:
        service.store.close()


def test_a_restart_serves_the_dashboard_from_disk(data_dir):
    first = _service(data_dir)
    first.warm()
    expected = first.dashboard()
    first.store.close()
    second = _service(data_dir)
    try:
        assert second.dashboard() == expected
        assert second.cache.computations == Counter({"fingerprint": 1})
        assert second.cache.loaded == 1
        # the dashboard for Aarhus only is another one, kept in memory only
        filtered = second.dashboard(filters=OrgFilter(municipality="751"))
        assert [row["id"] for row in filtered["central"]] == ["i-aros"]
        assert second.cache.computations["dashboard_filtered"] == 1
        assert len(second.cache.disk.files()) == 6  # the dashboard and the five analyses of the warm-up
    finally:
        second.store.close()


def test_no_cache_computes_and_keeps_nothing(data_dir, monkeypatch):
    _run("gaps", "--data-dir", str(data_dir), "--no-cache")
    assert not (data_dir / "results").exists()
    _run("gaps", "--data-dir", str(data_dir))
    monkeypatch.setattr(graphsvc.service, "municipality_gaps", _refuse)
    with pytest.raises(AssertionError, match="computed although"):
        CliRunner().invoke(main, ["analyse", "gaps", "--data-dir", str(data_dir), "--no-cache"],
                           catch_exceptions=False)


def test_the_warm_up_waits_while_a_request_is_served(data_dir):
    service = _service(data_dir)
    try:
        service.in_flight.enter()  # a request is being served
        warm = threading.Thread(target=service.warm)
        warm.start()
        warm.join(0.5)
        assert warm.is_alive() and service.cache.computations == Counter()
        service.in_flight.leave()
        warm.join(30)
        assert not warm.is_alive()
        assert {"dashboard", "centrality", "isolated", "gaps", "communities", "lacking", "graph"} <= set(
            service.cache.computations)
    finally:
        service.store.close()


def test_loading_the_same_files_again_keeps_the_results(tmp_path):
    files = [str(Path(__file__).parent / "loaders" / "data" / name) for name in ("kulturaktoerer.csv", "grants.csv")]
    folder = tmp_path / "db"

    def load():
        result = CliRunner().invoke(main, ["load", *files, "--data-dir", str(folder)])
        assert result.exit_code == 0, result.output

    load()
    first = _service(folder)
    expected = first.gaps().pairs
    first.store.close()
    load()  # the same files again: a write that changes nothing
    second = _service(folder)
    try:
        pd.testing.assert_frame_equal(second.gaps().pairs, expected)
        # an import that finds every row unchanged writes nothing: the state token stays, so
        # not even the rows are read
        assert (second.cache.computations, second.cache.loaded) == (Counter({"fingerprint": 1}), 1)
    finally:
        second.store.close()


# --- the store's state token: the fingerprint without reading the store ----------------


def test_the_state_token_changes_with_every_write_and_only_then(data_dir, small_records):
    store = open_store(Settings(data_dir=data_dir))
    first = store.content_stamp()
    assert first and store.content_stamp() == first
    store.close()
    store = open_store(Settings(data_dir=data_dir))
    assert store.content_stamp() == first  # opened and closed: the same data
    store.write(small_records)  # even a write that changes nothing draws a new token
    second = store.content_stamp()
    assert second != first
    store.close()
    # another program changes the database: the files differ from those the token was saved with
    import ladybug

    db = ladybug.Database(str(data_dir / "graph.lbdb"))
    conn = ladybug.Connection(db)
    conn.execute("MATCH (a:Actor) WHERE a.id = 'a-lemvig' SET a.name = 'Lemvig Lys'")
    conn.close()
    db.close()
    store = open_store(Settings(data_dir=data_dir))
    try:
        assert store.content_stamp() not in (first, second)
    finally:
        store.close()
    assert open_store(Settings(in_memory=True)).content_stamp() is None


def test_a_process_that_dies_in_a_write_leaves_no_token_to_trust(data_dir):
    import subprocess
    import sys

    store = open_store(Settings(data_dir=data_dir))
    before = store.content_stamp()
    store.close()
    code = ("import os, sys; from pathlib import Path\n"
            "from graphsvc.settings import Settings; from graphsvc.store import open_store\n"
            "from graphsvc.model import Actor, Records\n"
            "s = open_store(Settings(data_dir=Path(sys.argv[1])))\n"
            "s.write(Records(actors=[Actor(id='a-ny', name='Ny Forening', municipality_code='727')]))\n"
            "os._exit(0)  # no close: the token is not saved\n")
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True, timeout=120)
    store = open_store(Settings(data_dir=data_dir))
    try:
        assert store.content_stamp() != before
        assert "a-ny" in {o["id"] for o in store.list_organisations()}
    finally:
        store.close()


def test_a_restart_reads_the_kept_tables_not_the_store(data_dir, monkeypatch):
    first = _service(data_dir)
    expected = first.gaps().pairs  # computes the fingerprint, keeps the tables
    first.store.close()
    monkeypatch.setattr(graphsvc.service, "read_graph_data", _refuse)
    second = _service(data_dir)
    try:
        pd.testing.assert_frame_equal(second.gaps().pairs, expected)
        isolated = second.isolated()  # computed, from the kept tables
        assert second.cache.computations == Counter({"fingerprint": 1, "data": 1, "graph": 1, "isolated": 1})
        assert isolated.data_version == second.store.version
    finally:
        second.store.close()
    # after a write the tables are read from the store again
    monkeypatch.undo()
    third = _service(data_dir)
    try:
        third.store.write(Records(actors=[Actor(id="a-odder", name="Odder Øjeblikke", municipality_code="727")]))
        assert "a-odder" in third.isolated().table.index
    finally:
        third.store.close()
