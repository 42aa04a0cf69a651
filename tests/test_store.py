"""The store on every backend: idempotent upserts, moves, deletes, counts, reads."""

from __future__ import annotations

import pytest

from graphsvc.errors import InputError, NotFound
from graphsvc.model import Actor, Participation, Records
from graphsvc.reference import all_municipalities


def test_new_store_has_every_municipality(any_store):
    counts = any_store.counts()
    # Denmark's 98 municipalities and Christiansø (code 411), the region's 19 marked
    assert counts["Municipality"] == len(all_municipalities()) == 99
    assert sum(counts.values()) == 99
    rows = any_store.list_municipalities()
    assert sum(1 for m in rows if m["in_region"]) == 19
    names = {m["code"]: m["name"] for m in rows}
    assert names["751"] == "Aarhus"
    assert names["760"] == "Ringkøbing-Skjern"


def test_write_is_idempotent(any_store, small_records):
    any_store.write(small_records)
    first = any_store.counts()
    any_store.write(small_records)
    assert any_store.counts() == first
    assert first == {
        "Municipality": 99, "Actor": 2, "Institution": 1, "Project": 1, "Network": 1,
        "Event": 1, "LOCATED_IN": 3, "PARTICIPATES_IN": 2, "TAKES_PLACE_IN": 3,
        "MEMBER_OF": 1, "ATTENDS": 1, "COLLABORATES_WITH": 1,
    }


def test_danish_letters_and_hostile_text_round_trip(any_store, small_records):
    hostile = "'}) DETACH DELETE n // <script>alert(1)</script> æøå ÆØÅ"
    small_records.actors.append(Actor(id="a-x", name=hostile, municipality_code="741"))
    any_store.write(small_records)
    assert any_store.get_organisation("a-x")["name"] == hostile
    assert any_store.counts()["Actor"] == 3


def test_organisation_with_neighbours(any_store, small_records):
    any_store.write(small_records)
    org = any_store.get_organisation("i-aros")
    assert org["label"] == "Institution"
    assert org["name"] == "Kunstmuseum Århus"
    assert org["cvr"] == "12345678"
    assert [(n["id"], n["via"], n["via_id"]) for n in org["neighbours"]] == [
        ("a-herning", "collaboration", ""),
        ("a-lemvig", "project", "p-1"),
    ]
    with pytest.raises(NotFound, match="no organisation with id 'nope'"):
        any_store.get_organisation("nope")


def test_moving_an_organisation_rewrites_its_location(any_store, small_records):
    any_store.write(small_records)
    small_records.actors[0].municipality_code = "741"
    small_records.projects[0].municipality_codes = ["741"]
    any_store.write(small_records)
    org = any_store.get_organisation("a-lemvig")
    assert org["municipality_code"] == "741"
    counts = any_store.counts()
    assert counts["LOCATED_IN"] == 3
    assert counts["TAKES_PLACE_IN"] == 2  # the project's one venue + the event's


def test_a_dangling_link_writes_nothing(any_store, small_records):
    any_store.write(small_records)
    before = any_store.counts()
    bad = Records(
        actors=[Actor(id="a-new", name="Ny forening", municipality_code="751")],
        participations=[Participation(org_id="a-new", project_id="p-missing")],
    )
    with pytest.raises(InputError, match="1 of 1 participations name"):
        any_store.write(bad)
    assert any_store.counts() == before


def test_delete_removes_the_node_and_its_ties(any_store, small_records):
    any_store.write(small_records)
    version = any_store.version
    any_store.delete("i-aros")
    counts = any_store.counts()
    assert counts["Institution"] == 0
    assert counts["PARTICIPATES_IN"] == 1
    assert counts["COLLABORATES_WITH"] == 0
    assert any_store.version == version + 1
    with pytest.raises(NotFound):
        any_store.delete("i-aros")


def test_extra_columns_are_kept(any_store):
    any_store.write(Records(actors=[Actor(id="a", name="A", extra={"kontakt": "Søren"})]))
    assert any_store.list_organisations()[0]["extra"] == {"kontakt": "Søren"}


def test_on_disk_store_persists(tmp_path, small_records):
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(data_dir=tmp_path))
    store.write(small_records)
    store.close()
    store = open_store(Settings(data_dir=tmp_path))
    assert store.counts()["Actor"] == 2
    store.close()


def test_a_small_page_cache_holds_a_store(tmp_path, small_records):
    """``store_buffer_pool_mb`` sizes LadybugDB's page cache; the smallest allowed holds a
    store that is written, closed and read again."""
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    settings = Settings(data_dir=tmp_path, store_buffer_pool_mb=64)
    store = open_store(settings)
    assert store.backend._pool == 64
    store.write(small_records)
    store.close()
    store = open_store(settings)
    assert store.counts()["Actor"] == 2
    store.close()


def test_batches_smaller_than_the_rows(small_records):
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(in_memory=True, batch_size=1))
    steps = []
    store.write(small_records, progress=lambda step, n: steps.append((step, n)))
    assert store.counts()["PARTICIPATES_IN"] == 2
    assert ("actors", 1) in steps and all(n == 1 for _, n in steps)
    store.close()
