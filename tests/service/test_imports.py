"""Import by upload: a dry run with a report and an id, then confirm; errors, file types,
the size limit and hostile file names."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from service_region import TOKEN

# as Danish Excel saves "CSV (semikolonsepareret)": cp1252, semicolons, CRLF
NEW_ACTORS = (
    "Navn;Kommune;Type;Kunstart;Målgruppe\r\n"
    "Skæve Ølkor;Århus;kor;musik;voksne\r\n"
    "Øster Åby Teaterforening;Lemvig;forening;teater;børn, unge\r\n"
    "Ærø-Randers Blæsere;Randers;orkester;musik;\r\n"
).encode("cp1252")
WITH_ERRORS = (
    "Navn;Kommune;CVR-nr.\r\n"
    "Atlantis Kor;Atlantis;123\r\n"
    "God Forening;Lemvig;\r\n"
).encode("cp1252")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def uploads(tmp_path, monkeypatch) -> Path:
    """Where the service keeps uploaded files (its temporary folder, for this test)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def files_in(folder: Path) -> list[str]:
    return sorted(re.sub(r"graphsvc-upload-[^/]+", "UPLOAD", p.relative_to(folder).as_posix())
                  for p in folder.rglob("*") if p.is_file())


def upload(client, name: str, data: bytes, **form):
    return client.post("/api/imports", files={"files": (name, data, "text/csv")}, data=form, headers=AUTH)


def counts(client) -> dict[str, int]:
    return client.get("/api/info").json()["counts"]


def test_upload_dry_run_then_confirm(admin, uploads):
    before = counts(admin)
    r = upload(admin, "aktører.csv", NEW_ACTORS)
    assert r.status_code == 200
    body = r.json()
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    report = body["report"]
    assert (report["status"], report["dry_run"], report["written"]) == ("dry run: nothing written", True, False)
    assert report["files"] == [{
        "file": "aktører.csv", "sheet": None, "kind": "actor", "rows": 3, "encoding": "cp1252", "delimiter": ";",
        "columns": {"Navn": "name", "Kommune": "municipality", "Type": "kind", "Kunstart": "art_forms",
                    "Målgruppe": "target_groups"},
    }]
    assert report["counts"] == {"actors": {"created": 3, "updated": 0, "unchanged": 0}}
    assert (report["errors"], report["problems"]) == (0, [])
    assert counts(admin) == before
    assert files_in(uploads) == ["UPLOAD/00-aktører.csv"]  # kept until confirmed

    r = admin.post(f"/api/imports/{body['id']}/confirm", headers=AUTH)
    assert r.status_code == 200
    assert r.json()["id"] == body["id"]
    assert (r.json()["report"]["status"], r.json()["report"]["written"]) == ("imported", True)
    after = counts(admin)
    assert after["Actor"] == before["Actor"] + 3
    assert after["LOCATED_IN"] == before["LOCATED_IN"] + 3
    assert files_in(uploads) == []
    found = admin.get("/api/organisations?q=%C3%B8ster").json()["data"]  # "øster"
    assert [(o["name"], o["municipality_code"], o["target_groups"]) for o in found] == [
        ("Øster Åby Teaterforening", "665", ["børn", "unge"])]

    again = admin.post(f"/api/imports/{body['id']}/confirm", headers=AUTH)
    assert again.status_code == 404
    assert again.json() == {"detail": f"no upload '{body['id']}' waiting for confirmation; upload the files again",
                            "code": "not_found"}


def test_confirm_needs_the_token_too(admin):
    r = upload(admin, "aktører.csv", NEW_ACTORS)
    bad = admin.post(f"/api/imports/{r.json()['id']}/confirm", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 403
    assert admin.post(f"/api/imports/{r.json()['id']}/confirm", headers=AUTH).status_code == 200


def test_upload_without_a_valid_token_is_refused(admin, uploads):
    r = admin.post("/api/imports", files={"files": ("a.csv", NEW_ACTORS, "text/csv")})
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"
    assert files_in(uploads) == []


def test_a_file_with_errors_writes_nothing(admin, uploads):
    before = counts(admin)
    dry = upload(admin, "fejl.csv", WITH_ERRORS)
    assert dry.status_code == 200
    report = dry.json()["report"]
    assert report["status"] == "dry run: nothing written; the import would fail"
    assert (report["errors"], report["warnings"]) == (1, 1)
    assert [(p["severity"], p["row"], p["column"], p["value"]) for p in report["problems"]] == [
        ("error", 2, "CVR-nr.", "123"), ("warning", 2, "Kommune", "Atlantis")]

    r = admin.post(f"/api/imports/{dry.json()['id']}/confirm", headers=AUTH)
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"detail", "code", "report"}
    assert body["code"] == "import_failed"
    assert body["detail"].startswith("1 error in the files; nothing was written. First: fejl.csv, row 2, "
                                     "column 'CVR-nr.': CVR '123' is not 8 digits")
    assert (body["report"]["written"], body["report"]["errors"]) == (False, 1)
    assert counts(admin) == before
    assert files_in(uploads) == []

    direct = upload(admin, "fejl.csv", WITH_ERRORS, dry_run="false")
    assert direct.status_code == 422
    assert direct.json()["code"] == "import_failed"
    assert direct.json()["report"]["problems"] == body["report"]["problems"]
    assert counts(admin) == before


def test_accept_valid_imports_the_good_rows(admin):
    before = counts(admin)
    dry = upload(admin, "fejl.csv", WITH_ERRORS, accept_valid="true")
    r = admin.post(f"/api/imports/{dry.json()['id']}/confirm", headers=AUTH)
    assert r.status_code == 200
    assert counts(admin)["Actor"] == before["Actor"] + 1
    assert admin.get("/api/organisations?q=God%20Forening").json()["count"] == 1
    assert admin.get("/api/organisations?q=Atlantis").json()["count"] == 0


@pytest.mark.parametrize(("name", "detail"), [
    ("aktører.pdf", "aktører.pdf: files of type 'pdf' are not accepted; upload one of: "
                    "csv, json, jsonl, tsv, txt, xlsx"),
    ("aktører", "aktører: files of type '(none)' are not accepted; upload one of: csv, json, jsonl, tsv, txt, xlsx"),
    ("..", "upload: files of type '(none)' are not accepted; upload one of: csv, json, jsonl, tsv, txt, xlsx"),
    ("x.csv.exe", "x.csv.exe: files of type 'exe' are not accepted; upload one of: "
                  "csv, json, jsonl, tsv, txt, xlsx"),
])
def test_wrong_file_type(admin, uploads, name, detail):
    before = counts(admin)
    r = upload(admin, name, NEW_ACTORS)
    assert r.status_code == 422
    assert r.json() == {"detail": detail, "code": "invalid_input"}
    assert counts(admin) == before
    assert files_in(uploads) == []


def test_one_wrong_file_refuses_the_whole_upload(admin, uploads):
    files = [("files", ("aktører.csv", NEW_ACTORS, "text/csv")), ("files", ("b.pdf", b"%PDF-1.4", "application/pdf"))]
    r = admin.post("/api/imports", files=files, headers=AUTH)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("b.pdf: files of type 'pdf' are not accepted")
    assert files_in(uploads) == []


def test_over_the_size_limit(make_client, uploads):
    client = make_client(admin_token=TOKEN, max_upload_mb=1)
    before = counts(client)
    big = NEW_ACTORS + b"Lille Kor;Lemvig;kor;musik;\r\n" * (2 * 1024 * 1024 // 28)
    assert len(big) > 2 * 1024 * 1024
    r = upload(client, "stor.csv", big)
    assert r.status_code == 422
    assert r.json() == {
        "detail": "stor.csv is larger than the upload limit of 1 MB (GRAPHSVC_MAX_UPLOAD_MB); split it or load "
                  "it with `graphsvc load`",
        "code": "invalid_input",
    }
    assert counts(client) == before
    assert files_in(uploads) == []
    assert upload(client, "lille.csv", NEW_ACTORS).status_code == 200  # under the limit


@pytest.mark.parametrize(("name", "kept"), [
    ("../../etc/aktører.csv", "aktører.csv"),
    ("..\\..\\Windows\\aktører.csv", "aktører.csv"),
    ("C:\\Users\\x\\nye aktører.csv", "nye aktører.csv"),
    ('a"b<c>|d.csv', "a_22b_c__d.csv"),  # the client sends '"' as %22
    ("/etc/passwd.csv", "passwd.csv"),
])
def test_upload_names_are_sanitised(admin, uploads, name, kept):
    r = upload(admin, name, NEW_ACTORS)
    assert r.status_code == 200
    assert r.json()["report"]["files"][0]["file"] == kept
    assert files_in(uploads) == [f"UPLOAD/00-{kept}"]
    assert not list(uploads.parent.glob("aktører.csv")) and not Path("/etc/aktører.csv").exists()
