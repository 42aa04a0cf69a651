"""The whole product on a live Neo4j 5.26, as a user runs it with ``GRAPHSVC_NEO4J_URI``
set: ``demo --no-serve``, ``load`` of the real files in ../shared/data/real, every
``analyse`` command, ``suggest``, ``export``, and the app serving the API and pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import graphsvc.cli.analyse  # noqa: F401  (registers the commands)
import graphsvc.cli.export  # noqa: F401
import graphsvc.cli.load  # noqa: F401
import graphsvc.cli.suggest  # noqa: F401
from graphsvc.app import create_app
from graphsvc.cli import main
from graphsvc.demo import generate
from graphsvc.store import open_store

pytestmark = pytest.mark.neo4j

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
EU_FILES = [REAL / "eu-structural-funds" / "ERDF_ESF_Denmark_2007-2013.csv",
            REAL / "eu-structural-funds" / "ERDF_ESF_Denmark_2014-2020.csv"]
MUSEUMS = REAL / "museums" / "mus_address.csv"


def _env(settings) -> dict[str, str]:
    """What a user exports to use Neo4j; the embedded store's variables unset."""
    return {
        "GRAPHSVC_NEO4J_URI": settings.neo4j_uri,
        "GRAPHSVC_NEO4J_USER": settings.neo4j_user,
        "GRAPHSVC_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "GRAPHSVC_NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHSVC_IN_MEMORY": None,
        "GRAPHSVC_DATA_DIR": None,
    }


def _count(out: str, label: str) -> int:
    """A count from the table ``demo`` and ``info`` print ("Actor   1,425")."""
    match = re.search(rf"^{label}\s+([\d,]+)$", out, re.MULTILINE)
    assert match, f"no count of {label} in:\n{out}"
    return int(match[1].replace(",", ""))


def _created(out: str) -> dict[str, int]:
    """The "created" column of the report ``load`` prints."""
    rows = re.findall(r"^(\w+)\s+([\d,]+)\s+[\d,]+\s+[\d,]+$", out, re.MULTILINE)
    assert rows, out
    return {kind: int(n.replace(",", "")) for kind, n in rows}


def test_the_product_on_neo4j(neo4j_settings, tmp_path, monkeypatch):
    for path in [*EU_FILES, MUSEUMS]:
        assert path.is_file(), f"{path} is missing: the real data lives in ../shared/data/real"
    monkeypatch.chdir(tmp_path)  # exports land here
    runner = CliRunner()
    env = _env(neo4j_settings)

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, f"graphsvc {' '.join(args)}:\n{result.output}"
        return result.output

    demo = generate("demo")
    out = run("demo", "--no-serve")
    assert (_count(out, "Actor"), _count(out, "Institution")) == (len(demo.actors), len(demo.institutions))
    info = json.loads(run("info", "--json"))
    assert info["store"].startswith("Neo4j")
    assert neo4j_settings.neo4j_password.get_secret_value() not in info["store"]
    assert (info["counts"]["Actor"], info["counts"]["Institution"]) == (len(demo.actors), len(demo.institutions))

    # the real lists name some partners ambiguously (reported as errors, see
    # docs/loading.md): the valid rows are imported
    out = run("load", *map(str, EU_FILES), "--accept-valid")
    created = _created(out)
    counts = json.loads(run("info", "--json"))["counts"]
    assert created["projects"] > 500 and created["participations"] > created["projects"]
    assert counts["Project"] == info["counts"]["Project"] + created["projects"]
    assert counts["PARTICIPATES_IN"] == info["counts"]["PARTICIPATES_IN"] + created["participations"]
    assert counts["Actor"] == info["counts"]["Actor"] + created["actors"]
    out = run("load", str(MUSEUMS), "--kind", "institution")
    museums = _created(out)["institutions"]
    assert museums > 200
    counts = json.loads(run("info", "--json"))["counts"]
    assert counts["Institution"] == info["counts"]["Institution"] + museums
    # the same files again: nothing written
    assert "nothing to write: the store already holds all of it" in run("load", *map(str, EU_FILES), "--accept-valid")
    assert json.loads(run("info", "--json"))["counts"] == counts

    results = {
        "centrality": json.loads(run("analyse", "centrality", "--json")),
        "isolated": json.loads(run("analyse", "isolated", "--json")),
        "gaps": json.loads(run("analyse", "gaps", "--json")),
        "communities": json.loads(run("analyse", "communities", "--json")),
        "compare": json.loads(run("analyse", "compare", "--before", "2008-2013", "--after", "2015-2020", "--json")),
    }
    assert {command: r["analysis"] for command, r in results.items()} == {
        "centrality": "CentralityResult", "isolated": "IsolationResult", "gaps": "GapsResult",
        "communities": "CommunitiesResult", "compare": "WindowComparison"}
    for command, result in results.items():
        assert any(result["tables"].values()), f"analyse {command} gave only empty tables"

    org_id = demo.actors[0].id
    suggested = json.loads(run("suggest", org_id, "--json"))
    assert suggested["org_id"] == org_id and suggested["data"]
    assert all(s["id"] != org_id and s["reasons"] for s in suggested["data"])

    for what, fmt in (("map", "html"), ("graph", "gexf"), ("table", "xlsx")):
        target = tmp_path / f"{what}.{fmt}"
        run("export", what, "--format", fmt, "--out", str(target))
        assert target.stat().st_size > 1000, what

    # the service on the same Neo4j
    with TestClient(create_app(neo4j_settings)) as client:
        api = client.get("/api/info").json()
        assert api["counts"] == json.loads(run("info", "--json"))["counts"]
        ranking = client.get("/api/analysis/centrality").json()
        assert ranking["analysis"] == "CentralityResult"
        response = client.get(f"/api/organisations/{org_id}")
        assert response.status_code == 200 and org_id in response.text
        for page in ("/", "/organisations", f"/organisations/{org_id}", "/municipalities/751"):
            response = client.get(page)
            assert response.status_code == 200, page
            assert "<html" in response.text.lower(), page
        assert demo.actors[0].name in client.get(f"/organisations/{org_id}").text
    store = open_store(neo4j_settings)
    try:
        assert store.counts() == api["counts"]
    finally:
        store.close()
