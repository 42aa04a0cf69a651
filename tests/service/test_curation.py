"""Curation through the API: decisions stored with the token, listed, exported and undone;
a merge and its undo; a correction by hand; search that finds Danish names."""

from __future__ import annotations

import tomllib

from service_region import TOKEN


def _names(client, q: str) -> list[str]:
    response = client.get("/api/organisations", params={"q": q, "scope": "all"})
    assert response.status_code == 200
    return [o["name"] for o in response.json()["data"]]


def test_writes_need_the_token(make_client):
    client = make_client(admin_token=TOKEN)
    response = client.post("/api/decisions", json={"kind": "not_organisation", "name": "Diverse"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.post("/api/organisations/a-her1/merge", json={"into": "i-herning"}).status_code == 403
    assert client.get("/api/decisions").json() == {"data": [], "count": 0}


def test_a_decision_is_stored_listed_exported_and_undone(admin, auth):
    response = admin.post("/api/decisions", headers=auth,
                          json={"kind": "same", "name": "Aros", "target": "i-aros", "why": "forkortelse", "who": "mette"})
    assert response.status_code == 201
    decision = response.json()
    assert (decision["kind"], decision["name"], decision["target"], decision["who"], decision["why"]) == (
        "same", "Aros", "i-aros", "mette", "forkortelse")
    assert decision["id"].startswith("dec-") and decision["at"].endswith("Z")
    listed = admin.get("/api/decisions").json()
    assert listed["count"] == 1 and listed["data"][0]["id"] == decision["id"]
    exported = tomllib.loads(admin.get("/api/decisions/export").text)
    assert exported["resolve"]["same"] == [["Aros", "i-aros"]]
    assert admin.delete(f"/api/decisions/{decision['id']}", headers=auth).status_code == 200
    assert admin.get("/api/decisions").json()["count"] == 0
    missing = admin.delete(f"/api/decisions/{decision['id']}", headers=auth)
    assert missing.status_code == 404 and "no decision with id" in missing.json()["detail"]


def test_same_needs_a_target(admin, auth):
    response = admin.post("/api/decisions", headers=auth, json={"kind": "same", "name": "Aros"})
    assert response.status_code == 422
    assert "needs `target`" in response.json()["detail"]


def test_merge_and_undo_leave_the_counts_as_before(admin, auth):
    store = admin.app.state.service.store
    before = store.counts()
    response = admin.post("/api/organisations/a-her1/merge", headers=auth, json={"into": "i-herning", "why": "dublet"})
    assert response.status_code == 201
    merge = response.json()
    assert (merge["kind"], merge["name"], merge["target"], merge["value"]) == (
        "merge", "Herning Forening 1", "i-herning", "a-her1")
    # a-her1 had one place and one project, which the survivor has already
    assert store.counts() == before | {"Actor": before["Actor"] - 1, "LOCATED_IN": before["LOCATED_IN"] - 1,
                                       "PARTICIPATES_IN": before["PARTICIPATES_IN"] - 1}
    assert admin.get("/api/organisations/a-her1").status_code == 404
    assert admin.delete(f"/api/decisions/{merge['id']}", headers=auth).status_code == 200
    assert store.counts() == before
    org = admin.get("/api/organisations/a-her1").json()
    assert (org["name"], org["municipality_code"]) == ("Herning Forening 1", "657")


def test_a_merge_combines_ties_and_properties(admin, auth):
    store = admin.app.state.service.store
    before = store.counts()
    # Lemvig Sangkor (declared tie with Ældreteater) into Samsø Øforening (no ties)
    admin.post("/api/organisations/a-lemvig2/merge", headers=auth, json={"into": "a-samsoe"})
    samsoe = store.get_organisation("a-samsoe")
    assert samsoe["art_forms"] == ["teater", "musik"]
    assert [(n["id"], n["via"]) for n in samsoe["neighbours"]] == [("a-lemvig", "collaboration")]
    assert store.counts() == before | {"Actor": before["Actor"] - 1, "LOCATED_IN": before["LOCATED_IN"] - 1}


def test_a_correction_by_hand(admin, auth):
    response = admin.post("/api/organisations/a-samsoe/correct", headers=auth,
                          json={"field": "municipality_code", "value": "751"})
    assert response.status_code == 201
    store = admin.app.state.service.store
    org = store.get_organisation("a-samsoe")
    assert (org["municipality_code"], org["municipality_source"], org["in_region"]) == ("751", "user", True)
    bad = admin.post("/api/organisations/a-samsoe/correct", headers=auth, json={"field": "size", "value": "huge"})
    assert bad.status_code == 422 and "size 'huge' is not one of small, medium, large" in bad.json()["detail"]
    admin.post("/api/organisations/a-samsoe/correct", headers=auth, json={"field": "size", "value": "medium"})
    kinds = [(d["kind"], d["field"], d["value"]) for d in admin.get("/api/decisions").json()["data"]]
    assert kinds == [("correct", "municipality_code", "751"), ("correct", "size", "medium")]
    first = admin.get("/api/decisions").json()["data"][0]["id"]
    admin.delete(f"/api/decisions/{first}", headers=auth)
    org = store.get_organisation("a-samsoe")
    # only the undone field goes back: the size correction stays
    assert (org["municipality_code"], org["municipality_source"], org["size"]) == ("741", None, "medium")


def test_search_folds_danish_letters(api):
    assert _names(api, "aarhus") == ["Aarhus Ensemble 1", "Aarhus Ensemble 2", "Aarhus Ensemble 3",
                                     "Aarhus Ensemble 4", "ARoS Århus Kunstmuseum"]
    assert _names(api, "Århus") == _names(api, "aarhus")
    assert _names(api, "samsoe oeforening") == ["Samsø Øforening"]
    assert _names(api, "LEMVIG ÆLDRETEATER") == ["Lemvig Ældreteater"]
    assert _names(api, "Lemvig Kommune") == ["Lemvig Sangkor", "Lemvig Ældreteater"]
    # a miss: the fuzzy match (one transposed pair of letters)
    assert _names(api, "Herning Scenekunts") == ["Herning Scenekunst"]
    assert _names(api, "xyz") == []
