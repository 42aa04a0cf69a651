"""Shared fixtures: a fresh in-memory store per test, small known records, an app client."""

from __future__ import annotations

import os

import shutil

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
# Starlette's test client sends "Host: testserver"; tests of the host check set their own
os.environ["GRAPHSVC_TRUSTED_HOSTS"] = "localhost,127.0.0.1,::1,testserver"


def _neo4j_settings() -> Settings:
    return Settings(
        neo4j_uri=NEO4J_URI,
        neo4j_user=os.environ.get("GRAPHSVC_TEST_NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("GRAPHSVC_TEST_NEO4J_PASSWORD", ""),
        neo4j_database=os.environ.get("GRAPHSVC_TEST_NEO4J_DATABASE", "neo4j"),
        warm=False,
    )


def _neo4j_driver_query(settings: Settings, statement: str) -> list[dict]:
    import neo4j

    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(statement, database_=settings.neo4j_database)
    return [r.data() for r in records]


_NEO4J_USED: list[bool] = []  # a test found the test Neo4j empty and used it


def refuse_non_empty_neo4j(settings: Settings) -> None:
    """Fail unless the test database holds no node: these tests delete what they write."""
    if _neo4j_driver_query(settings, "MATCH (n) RETURN count(n) AS n")[0]["n"]:
        pytest.fail(
            f"the Neo4j database {settings.neo4j_database!r} at {settings.store_description()} is "
            "not empty; the tests only run against an empty database"
        )
    _NEO4J_USED.append(True)


def clean_neo4j(settings: Settings) -> None:
    """Delete every node, so the next test starts from an empty database (community Neo4j
    has one user database: it is cleaned, not replaced). The constraints stay until the
    session ends (``drop_neo4j_constraints``): dropping them would make the server plan
    every statement again in every test."""
    _neo4j_driver_query(settings, "MATCH (n) DETACH DELETE n")


@pytest.fixture(scope="session", autouse=True)
def drop_neo4j_constraints():
    """After the session: drop the constraints the store created in the test Neo4j."""
    yield
    if not NEO4J_URI or not _NEO4J_USED:
        return
    from graphsvc.store.schema import neo4j_constraints

    settings = _neo4j_settings()
    ours = {statement.split()[2] for statement in neo4j_constraints()}
    for row in _neo4j_driver_query(settings, "SHOW CONSTRAINTS YIELD name"):
        if row["name"] in ours:  # names from the model, never from data
            _neo4j_driver_query(settings, f"DROP CONSTRAINT {row['name']} IF EXISTS")


def _empty_neo4j_store() -> GraphStore:
    s = _neo4j_settings()
    refuse_non_empty_neo4j(s)
    return open_store(s)


@pytest.fixture
def neo4j_settings():
    """Settings naming the test Neo4j (``GRAPHSVC_TEST_NEO4J_*``), whose database is empty
    when the test starts and is emptied again after it."""
    yield from _empty_neo4j()


@pytest.fixture(scope="module")
def neo4j_module_settings():
    """As ``neo4j_settings``, for the tests of one module that share what they load."""
    yield from _empty_neo4j()


def _empty_neo4j():
    if not NEO4J_URI:
        pytest.skip("GRAPHSVC_TEST_NEO4J_URI is not set")
    s = _neo4j_settings()
    refuse_non_empty_neo4j(s)
    yield s
    clean_neo4j(s)


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
    store.close()
    clean_neo4j(_neo4j_settings())


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
def small_store_dir(tmp_path, small_records):
    """An embedded store in a folder, holding ``small_records``, closed again."""
    folder = tmp_path / "store"
    store = open_store(Settings(data_dir=folder))
    try:
        store.write(small_records)
    finally:
        store.close()
    return folder


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """A headless Debian Chromium for a module's browser tests. Per module, not per
    session: Playwright's sync API runs an event loop while it is open, and other tests
    call asyncio.run()."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
