"""Bulk import (graphsvc.store.bulk): a first import into an empty embedded store is
written with COPY and gives, node for node and property for property, the graph the MERGE
path gives; a failing COPY leaves nothing; the import can be undone."""

from __future__ import annotations

import math

import ladybug
import pytest

from graphsvc.demo import generate
from graphsvc.errors import InputError, StoreError
from graphsvc.model import (
    NODES,
    RELATIONSHIPS,
    Actor,
    Attendance,
    Collaboration,
    Event,
    Institution,
    Membership,
    Municipality,
    Network,
    Participation,
    Project,
    Records,
)
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.ladybug import _LadybugBulkTransaction


@pytest.fixture
def copies(monkeypatch):
    """The COPY statements run, by their first two words (``COPY <table>``)."""
    seen: list[str] = []
    original = _LadybugBulkTransaction.copy

    def spy(self, statement, params=None):
        seen.append(" ".join(statement.split()[:2]))
        return original(self, statement, params)

    monkeypatch.setattr(_LadybugBulkTransaction, "copy", spy)
    return seen


def _value(v):
    if isinstance(v, float) and math.isnan(v):
        return "nan"  # nan != nan: compared by its name
    return v


def _dump(store) -> dict[str, list]:
    """Every node and relationship of the store with every property, sorted; internal ids
    dropped (they depend on the order of writing). The statements are formatted from the
    model's labels only."""
    conn = ladybug.Connection(store.backend._db)

    def rows(statement):
        result = conn.execute(statement)
        out = []
        while result.has_next():
            out.append(result.get_next())
        return out

    graph = {}
    for label, spec in NODES.items():
        nodes = [{k: _value(v) for k, v in n.items() if not k.startswith("_")}
                 for (n,) in rows(f"MATCH (n:{label}) RETURN n")]
        graph[str(label)] = sorted(nodes, key=lambda n: n[spec.key])
    for rel in RELATIONSHIPS:
        edges = [(str(a), str(b), sorted((k, _value(v)) for k, v in r.items() if not k.startswith("_")))
                 for a, b, r in rows(f"MATCH (a)-[r:{rel}]->(b) "
                                     "RETURN label(a) + ':' + coalesce(a.id, a.code), "
                                     "label(b) + ':' + coalesce(b.id, b.code), r")]
        graph[str(rel)] = sorted(edges, key=repr)
    conn.close()
    return graph


def _reads(store) -> dict[str, list]:
    """What the analyses read, each table's rows sorted: LadybugDB gives no order where a
    read has no ORDER BY (two reads of one store can differ), and the analyses order what
    they read themselves (the projection by organisation id)."""
    names = ("municipalities", "organisations", "projects", "networks", "events", "participations",
             "collaborations", "memberships", "attendances")
    return {n: sorted(([{k: _value(v) for k, v in r.items()} for r in getattr(store, f"list_{n}")()]), key=repr)
            for n in names}


def _write_both(records: Records, copies: list[str], *, batch_size: int = 5000):
    """Write ``records`` into a fresh store by COPY and into another by MERGE; returns
    (graph, summary rows, progress calls, version step, reads) for each."""
    out = []
    for bulk in (True, False):
        store = open_store(Settings(in_memory=True, batch_size=batch_size))
        store.bulk_copy = bulk
        before, calls = store.version, []
        n_copies = len(copies)
        try:
            summary = store.write(records, progress=lambda step, n: calls.append((step, n)))
            out.append((_dump(store), summary.rows, calls, store.version - before, _reads(store)))
        finally:
            store.close()
        assert (len(copies) > n_copies) is bulk  # COPY ran on the bulk path only
    return out


def _awkward() -> Records:
    """Values a CSV file can get wrong: quotes, commas, newlines, backslashes, Danish
    letters, empty and one-empty-item lists, None, extreme floats, a repeated key, a
    repeated tie, a tie to itself and a code that names no municipality."""
    text = 'Teatret "Svalen", Århus\nanden linje; C:\\sti\\ \'enkelt\' [klammer] æøå ÆØÅ \x00 \x1f'
    return Records(
        municipalities=[Municipality(code="751", name="Aarhus", region="Midtjylland", in_region=True,
                                     population=355_238, population_year=2024, lat=56.15, lon=10.2)],
        actors=[
            Actor(id="a-1", name=text, kind="teater, amatør", size="small",
                  art_forms=['dans, moderne', 'teater "nyt"', "[x]", "a\\b", "æ\nø"],
                  target_groups=[], cvr="12345678", website="https://x.dk/?a=1,b=2",
                  address="Vestergade 3, 1.\r\nth.", postcode="8000", town="Aarhus C",
                  municipality_code="751", municipality_source="column", in_region=True,
                  lat=56.156_789_123_456_78, lon=-0.0, staff=0, budget_dkk=1e-300,
                  extra={"note": 'sagde "hej",\nog gik', "tal": [1, 2]}),
            Actor(id="a-2", name="Ingen værdier"),
            Actor(id="a-3", name="Fed", art_forms=[""], target_groups=["børn", "unge"], lat=float("nan"),
                  lon=float("-inf"), budget_dkk=float("inf"), staff=9_223_372_036_854_775_807, in_region=False,
                  municipality_code="999"),
            Actor(id="a-2", name="Ingen værdier, anden gang", municipality_code="665", size="medium"),
            # built as the demo builds them, unchecked: an int where a float belongs
            Actor.model_construct(id="a-4", name="Uden kontrol", budget_dkk=1000, staff=7,
                                  lat=56.5, in_region=True, art_forms=["x", "y\x1fz"]),
        ],
        institutions=[Institution(id="i-1", name="Musikhuset", municipality_code="751", size="large",
                                  art_forms=["musik"]),
                      Institution(id="a-x", name="Samme id som ingen aktør", municipality_code="101")],
        projects=[
            Project(id="p-1", title="Tværs, \"på\" tværs", start_year=2020, end_year=2021,
                    programme="Interreg\r\nØresund-Kattegat-Skagerrak", budget_dkk=1_234_567.89,
                    themes=["børn", "by, land"], municipality_codes=["751", "665", "751", "999"]),
            Project(id="p-2", title="Uden sted"),
        ],
        networks=[Network(id="n-1", name="Net", theme=None, extra={"k": "v"})],
        events=[Event(id="e-1", name="Kulturmødet", year=2024, municipality_code="741"),
                Event(id="e-2", name="Intetsteds")],
        participations=[
            Participation(org_id="a-1", project_id="p-1", role="lead"),
            Participation(org_id="i-1", project_id="p-1"),
            Participation(org_id="a-1", project_id="p-1", role="partner"),  # the last role wins
            Participation(org_id="a-x", project_id="p-2"),
        ],
        collaborations=[
            Collaboration(source_id="a-1", target_id="i-1", since=2019, source='spørgeskema, "2023"'),
            Collaboration(source_id="a-1", target_id="i-1", since=2020, source=None),
            Collaboration(source_id="i-1", target_id="a-1"),
            Collaboration(source_id="a-2", target_id="a-2", since=2001),
            Collaboration(source_id="a-x", target_id="a-3", source=""),
        ],
        memberships=[Membership(org_id="a-1", network_id="n-1"), Membership(org_id="i-1", network_id="n-1"),
                     Membership(org_id="a-1", network_id="n-1")],
        attendances=[Attendance(org_id="a-3", event_id="e-1"), Attendance(org_id="a-x", event_id="e-2")],
    )


def test_copy_and_merge_give_the_same_graph_with_awkward_values(copies):
    (bulk, bulk_rows, bulk_calls, bulk_version, bulk_reads), merged = _write_both(_awkward(), copies, batch_size=2)
    assert bulk == merged[0]
    assert bulk_rows == merged[1]
    assert bulk_calls == merged[2]
    assert bulk_version == merged[3] == 1
    assert bulk_reads == merged[4]
    # the values themselves, not only their agreement
    a1 = next(a for a in bulk["Actor"] if a["id"] == "a-1")
    # the model joins a name's lines and spaces (\x1f counts as a space to it)
    assert a1["name"] == 'Teatret "Svalen", Århus anden linje; C:\\sti\\ \'enkelt\' [klammer] æøå ÆØÅ \x00'
    assert a1["art_forms"] == ['dans, moderne', 'teater "nyt"', "[x]", "a\\b", "æ\nø"]
    assert a1["target_groups"] == []
    assert a1["address"] == "Vestergade 3, 1. th."
    assert a1["postcode"] == "8000" and a1["lat"] == 56.156_789_123_456_78 and a1["budget_dkk"] == 1e-300
    assert a1["extra"] == '{"note": "sagde \\"hej\\",\\nog gik", "tal": [1, 2]}'
    a2 = next(a for a in bulk["Actor"] if a["id"] == "a-2")
    assert (a2["name"], a2["size"], a2["art_forms"], a2["lat"], a2["in_region"]) == (
        "Ingen værdier, anden gang", "medium", [], None, None)
    a3 = next(a for a in bulk["Actor"] if a["id"] == "a-3")
    assert (a3["art_forms"], a3["lat"], a3["lon"], a3["budget_dkk"], a3["staff"], a3["in_region"]) == (
        [""], "nan", -math.inf, math.inf, 2**63 - 1, False)
    # a-2 written twice with two places: both ties, as MERGE leaves them; 999 is no municipality
    assert bulk["LOCATED_IN"] == sorted([
        ("Actor:a-1", "Municipality:751", []), ("Actor:a-2", "Municipality:665", []),
        ("Institution:i-1", "Municipality:751", []), ("Institution:a-x", "Municipality:101", []),
    ], key=repr)
    assert [e[:2] for e in bulk["TAKES_PLACE_IN"]] == [
        ("Event:e-1", "Municipality:741"), ("Project:p-1", "Municipality:665"), ("Project:p-1", "Municipality:751")]
    assert ("Actor:a-1", "Project:p-1", [("role", "partner")]) in bulk["PARTICIPATES_IN"]
    assert len(bulk["PARTICIPATES_IN"]) == 3 and len(bulk["MEMBER_OF"]) == 2
    assert bulk["COLLABORATES_WITH"] == sorted([
        ("Actor:a-1", "Institution:i-1", [("since", 2020), ("source", None)]),
        ("Institution:i-1", "Actor:a-1", [("since", None), ("source", None)]),
        ("Actor:a-2", "Actor:a-2", [("since", 2001), ("source", None)]),
        ("Institution:a-x", "Actor:a-3", [("since", None), ("source", "")]),
    ], key=repr)
    assert bulk["Project"][0]["programme"] == "Interreg\r\nØresund-Kattegat-Skagerrak"
    assert bulk["Project"][0]["themes"] == ["børn", "by, land"]
    a4 = next(a for a in bulk["Actor"] if a["id"] == "a-4")
    assert (a4["budget_dkk"], a4["staff"], a4["lat"], a4["in_region"], a4["art_forms"]) == (
        1000.0, 7, 56.5, True, ["x", "y\x1fz"])
    aarhus = next(m for m in bulk["Municipality"] if m["code"] == "751")
    assert aarhus["population"] == 355_238 and aarhus["population_year"] == 2024
    assert bulk_rows == {"Municipality": 1, "Actor": 5, "Institution": 2, "Project": 2, "Network": 1, "Event": 2,
                         "PARTICIPATES_IN": 4, "COLLABORATES_WITH": 5, "MEMBER_OF": 3, "ATTENDS": 2}
    # batches of 2, in the MERGE path's order; a write of 5 actors reports 2 + 2 + 1
    assert bulk_calls[:4] == [("municipalities", 1), ("actors", 2), ("actors", 2), ("actors", 1)]
    assert sum(n for _, n in bulk_calls) == _awkward().total()


def test_copy_and_merge_give_the_same_graph_on_the_demo(copies):
    records = generate("demo")
    (bulk, bulk_rows, bulk_calls, bulk_version, bulk_reads), merged = _write_both(records, copies)
    assert bulk == merged[0]
    assert (bulk_rows, bulk_calls, bulk_version) == merged[1:4]
    # row for row, so every analysis of the two stores is the same
    for name, rows in bulk_reads.items():
        assert rows == merged[4][name], name
    assert sum(len(bulk[str(label)]) for label in ("Actor", "Institution")) == len(records.actors) + len(
        records.institutions)
    assert len(bulk["PARTICIPATES_IN"]) > 1000  # the demo's ties, not an empty graph
    assert copies.count("COPY Actor") == 1


def test_a_failing_copy_writes_nothing_and_the_next_import_works(copies):
    store = open_store(Settings(in_memory=True))
    try:
        records, version = _awkward(), store.version
        # a count that passes the model's checks but does not fit LadybugDB's INT64: the
        # actors are copied, the institutions' COPY fails
        records.institutions[0].staff = 10**20
        with pytest.raises(StoreError, match=r"bulk import into Institution failed on LadybugDB .*nothing was written"):
            store.write(records)
        assert copies[:2] == ["COPY Actor", "COPY LOCATED_IN"] and copies[2] == "COPY Institution"
        counts = store.counts()
        assert counts == {**{k: 0 for k in counts}, "Municipality": 99}
        assert store.version == version
        aarhus = next(m for m in store.list_municipalities() if m["code"] == "751")
        assert aarhus["population"] != 355_238  # the municipality update went back too
        # the same store takes the next (bulk) import: the failed COPY left no trace
        store.write(_awkward())
        assert store.counts()["Actor"] == 4 and store.version == version + 1
    finally:
        store.close()


def test_a_dangling_tie_raises_as_on_the_merge_path_and_writes_nothing(copies):
    messages = []
    for bulk in (True, False):
        store = open_store(Settings(in_memory=True))
        store.bulk_copy = bulk
        records = _awkward()
        records.participations.append(Participation(org_id="a-1", project_id="p-nope"))
        try:
            with pytest.raises(InputError) as raised:
                store.write(records)
            messages.append(str(raised.value))
            assert store.counts()["Actor"] == 0
        finally:
            store.close()
    assert messages[0] == messages[1]
    assert messages[0].startswith("1 of 5 participations name an organisation, project, network or event")


def test_a_store_holding_nodes_is_written_with_merge(copies):
    store = open_store(Settings(in_memory=True))
    try:
        store.write(Records(networks=[Network(id="n-0", name="Først")]))
        assert copies == ["COPY Network"]
        store.write(_awkward())  # Network is not empty now: MERGE
        assert copies == ["COPY Network"]
        assert store.counts()["Actor"] == 4
    finally:
        store.close()


def test_a_bulk_import_can_be_undone(tmp_path, copies):
    store = open_store(Settings(data_dir=tmp_path / "store"))
    try:
        empty, version = store.counts(), store.version
        store.write(_awkward(), undoable=["aktører.csv"])
        assert copies[0] == "COPY Actor"
        assert store.version == version + 1
        after = store.counts()
        assert after["Actor"] == 4 and after["COLLABORATES_WITH"] == 4
        [entry] = store.list_imports()
        assert (entry["files"], entry["counts_before"], entry["counts_after"]) == (["aktører.csv"], empty, after)
        store.undo_import()
        assert store.counts() == empty and store.version == version + 2
        store.write(_awkward(), undoable=["aktører.csv"])  # and it comes back by COPY again
        assert store.counts() == after and copies.count("COPY Actor") == 2
    finally:
        store.close()
