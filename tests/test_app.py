"""The app factory end to end: health, info, the error shape, a store that is down."""

from __future__ import annotations

from fastapi.testclient import TestClient

from graphsvc.app import create_app
from graphsvc.settings import Settings


def test_health(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_info_counts_every_label_and_type(client):
    r = client.get("/api/info")
    assert r.status_code == 200
    body = r.json()
    assert body["store"] == "LadybugDB in memory"
    assert body["counts"]["Municipality"] == 99
    assert set(body["counts"]) == {
        "Municipality", "Actor", "Institution", "Project", "Network", "Event",
        "LOCATED_IN", "PARTICIPATES_IN", "TAKES_PLACE_IN", "MEMBER_OF", "ATTENDS",
        "COLLABORATES_WITH",
    }


def test_store_down_gives_503_naming_the_uri_without_password():
    settings = Settings(neo4j_uri="neo4j://admin:s3cret@127.0.0.1:1", neo4j_password="pw")
    with TestClient(create_app(settings)) as c:
        r = c.get("/api/info")
        assert c.get("/health").status_code == 200
    assert r.status_code == 503
    body = r.json()
    assert body["code"] == "store_unavailable"
    assert body["detail"].startswith("cannot reach Neo4j at neo4j://admin:***@127.0.0.1:1")
    assert "s3cret" not in r.text and "pw" not in body["detail"].split(":")[0]


def test_unknown_route_is_json_404(client):
    r = client.get("/api/nope")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not Found", "code": "not_found"}
