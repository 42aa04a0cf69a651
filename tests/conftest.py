"""Shared fixtures: a fresh in-memory store per test, small known records, an app client."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from graphsvc.app import create_app
from graphsvc.model import (
    Actor,
    Attendance,
    Collaboration,
    Event,
    Institution,
    Membership,
    Network,
    Participation,
    Project,
    Records,
)
from graphsvc.settings import Settings
from graphsvc.store import GraphStore, open_store

NEO4J_URI = os.environ.get("GRAPHSVC_TEST_NEO4J_URI")


def _neo4j_settings() -> Settings:
    return Settings(
        neo4j_uri=NEO4J_URI,
        neo4j_user=os.environ.get("GRAPHSVC_TEST_NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("GRAPHSVC_TEST_NEO4J_PASSWORD", ""),
        neo4j_database=os.environ.get("GRAPHSVC_TEST_NEO4J_DATABASE", "neo4j"),
    )


def _empty_neo4j_store() -> GraphStore:
    from graphsvc.store.neo4j import Neo4jBackend

    s = _neo4j_settings()
    backend = Neo4jBackend(
        s.neo4j_uri,
        user=s.neo4j_user,
        password=s.neo4j_password.get_secret_value(),
        database=s.neo4j_database,
    )
    # never touch a database that holds anything: these tests delete what they write
    records, _, _ = backend._driver.execute_query(
        "MATCH (n) RETURN count(n) AS n", database_=s.neo4j_database
    )
    if records[0]["n"]:
        backend.close()
        pytest.fail(
            f"the Neo4j database {s.neo4j_database!r} at {s.store_description()} is not "
            "empty; the tests only run against an empty database"
        )
    store = GraphStore(backend, batch_size=s.batch_size, description=s.store_description())
    store.initialise()
    return store


@pytest.fixture(
    params=[
        "ladybug",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="GRAPHSVC_TEST_NEO4J_URI is not set"),
            ],
        ),
    ]
)
def any_store(request):
    """The same tests on each backend: LadybugDB in memory, and Neo4j when configured."""
    if request.param == "ladybug":
        store = open_store(Settings(in_memory=True))
        yield store
        store.close()
        return
    store = _empty_neo4j_store()
    yield store
    store.backend._driver.execute_query(
        "MATCH (n) DETACH DELETE n", database_=store.backend.database
    )
    store.close()


@pytest.fixture
def store():
    """A fresh in-memory LadybugDB store with the region's municipalities."""
    store = open_store(Settings(in_memory=True))
    yield store
    store.close()


@pytest.fixture
def small_records() -> Records:
    """A tiny network: a Lemvig theatre group, an Aarhus museum and a Herning choir."""
    return Records(
        actors=[
            Actor(id="a-lemvig", name="Lemvig Amatørteater", kind="teatergruppe", size="small",
                  art_forms=["teater"], target_groups=["børn"], municipality_code="665"),
            Actor(id="a-herning", name="Herning Kammerkor", kind="kor", size="small",
                  art_forms=["musik"], municipality_code="657"),
        ],
        institutions=[
            Institution(id="i-aros", name="Kunstmuseum Århus", kind="museum", size="large",
                        art_forms=["billedkunst"], municipality_code="751", cvr="12345678"),
        ],
        projects=[
            Project(id="p-1", title="Børneteater på tværs", start_year=2022, end_year=2023,
                    municipality_codes=["665", "751"]),
        ],
        networks=[Network(id="n-1", name="Netværk for scenekunst for børn", theme="børn")],
        events=[Event(id="e-1", name="Kulturmødet Midt", year=2024, municipality_code="751")],
        participations=[
            Participation(org_id="a-lemvig", project_id="p-1", role="lead"),
            Participation(org_id="i-aros", project_id="p-1"),
        ],
        collaborations=[Collaboration(source_id="a-herning", target_id="i-aros", since=2021, source="survey")],
        memberships=[Membership(org_id="a-lemvig", network_id="n-1")],
        attendances=[Attendance(org_id="a-herning", event_id="e-1")],
    )


@pytest.fixture
def client(tmp_path):
    settings = Settings(in_memory=True, data_dir=tmp_path, warm=False)
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="session")
def demo_store_dir(tmp_path_factory):
    """The demo region (``graphsvc.demo.generate("demo")``) in an embedded store on disk,
    written once per session. Read it through a copy (``demo_store_copy``): tests in one
    session share it."""
    from graphsvc.demo import generate

    folder = tmp_path_factory.mktemp("demo-store")
    store = open_store(Settings(data_dir=folder))
    try:
        store.write(generate("demo"))
    finally:
        store.close()
    return folder


@pytest.fixture
def demo_store_copy(demo_store_dir, tmp_path):
    """A folder of this test's own copy of the demo store, to open and write at will."""
    import shutil

    return shutil.copytree(demo_store_dir, tmp_path / "demo-store")
