"""Bad input gives the documented error and leaves the store unchanged; valid rows can be
accepted; a dry run writes nothing; a failed write leaves the previous state."""

from __future__ import annotations

import pytest

from graphsvc.errors import ImportFailed, StoreError
from graphsvc.store import GraphStore
from loaders import import_files


def _state(store):
    return store.counts(), store.version, sorted(o["id"] for o in store.list_organisations())


@pytest.mark.parametrize("name, code, message", [
    ("empty.csv", "empty_file", "the file is empty"),
    ("headers_only.csv", "no_rows", "the file has a header but no rows"),
])
def test_empty_and_header_only_files(store, load, name, code, message):
    load("dansk_excel.csv")
    before = _state(store)
    report = load(name)
    assert report.failed and not report.written
    assert [(p.code, p.file, p.message) for p in report.errors] == [(code, name, message)]
    assert _state(store) == before


def test_an_error_in_one_file_writes_nothing_from_any(store, tmp_path, data):
    bad = tmp_path / "projekter.csv"
    bad.write_text("Projekt;År;Tilskud\nKorfest;2024;10.000\nSommerteater;i fjor;20.000\nLæselyst;2023;-5\n", encoding="utf-8")
    before = _state(store)
    with pytest.raises(ImportFailed) as e:
        import_files(store, [data / "dansk_excel.csv", bad])
    assert e.value.detail == (
        "2 errors in the files; nothing was written. First: projekter.csv, row 3, column 'År': "
        "not a year: 'i fjor' — write a four-digit year between 1900 and 2100, or leave the cell empty")
    report = e.value.report
    assert [(p.row, p.column, p.value) for p in report.errors] == [(3, "År", "i fjor"), (4, "Tilskud", "-5")]
    assert _state(store) == before


def test_dry_run_reports_and_writes_nothing(store, tmp_path, data):
    before = _state(store)
    report = import_files(store, [data / "dansk_excel.csv"], dry_run=True)
    assert report.counts == {"actors": {"created": 9, "updated": 0, "unchanged": 0}}
    assert (report.written, report.status()) == (False, "dry run: nothing written")
    assert _state(store) == before


def test_accept_valid_imports_the_other_rows(store, tmp_path):
    bad = tmp_path / "projekter.csv"
    bad.write_text("Projekt;År;Tilskud\nKorfest;2024;10.000\nSommerteater;i fjor;20.000\n", encoding="utf-8")
    report = import_files(store, [bad], accept_valid=True)
    assert report.written and report.skipped_rows == 1
    assert report.status() == "imported, 1 rows with errors skipped"
    assert [p["title"] for p in store.list_projects()] == ["Korfest"]


def test_a_failing_write_leaves_the_previous_state(store, load, data, monkeypatch):
    load("dansk_excel.csv")
    before = _state(store)

    def broken(self, tx, records, summary, progress):
        raise StoreError("the disk is full")

    monkeypatch.setattr(GraphStore, "_write_links", broken)
    with pytest.raises(StoreError, match="the disk is full"):
        import_files(store, [data / "partners_mixed.csv"])
    assert _state(store) == before


def test_hostile_names_are_data(store, load):
    report = load("hostile.csv")
    assert report.written and report.errors == []
    names = {o["id"]: o["name"] for o in store.list_organisations()}
    assert names == {
        "org-script-alert-x-script-665": "<script>alert('x')</script>",
        "org-detach-delete-n-751": "'}) DETACH DELETE n //",
        "org-hyperlink-http-example-invalid-klik-671": '=HYPERLINK("http://example.invalid","klik")',
    }
    assert store.counts()["Municipality"] == 99  # nothing was deleted (98 municipalities and Christiansø)
    assert load("hostile.csv").counts == {"actors": {"created": 0, "updated": 0, "unchanged": 3}}


def test_bad_values_are_reported_with_what_to_do(store, tmp_path):
    path = tmp_path / "aktoerer.csv"
    path.write_text(
        "Navn,Kommune,CVR,Størrelse,Hjemmeside,E-mail\n"
        "Lemvig Kor,Lemvig,1234,stor,javascript:alert(1),kor@example.dk\n"
        ",Struer,,,,\n"
        "Skive Kor,Atlantis,12345678,,,\n",
        encoding="utf-8")
    report = import_files(store, [path], dry_run=True)
    got = [(p.severity, p.row, p.column, p.value, p.message) for p in report.problems]
    assert got == [
        ("warning", None, "E-mail", None, "column 'E-mail' holds personal contact data and was left out"),
        ("error", 2, "CVR", "1234", "CVR '1234' is not 8 digits"),
        ("warning", 2, "Hjemmeside", "javascript:alert(1)", "web address 'javascript:alert(1)' is not http or https"),
        ("error", 3, "Navn", None, "the row has no name"),
        ("warning", 4, "CVR", "12345678", "CVR 12345678 fails the modulus-11 check"),
        ("warning", 4, "Kommune", "Atlantis", "municipality 'Atlantis' is not a Danish municipality"),
    ]
    assert all(p.action for p in report.problems)


def test_unknown_kind_and_duplicate_columns(store, tmp_path):
    odd = tmp_path / "x.csv"
    odd.write_text("Postnr,By\n7620,Lemvig\n", encoding="utf-8")
    twice = tmp_path / "y.csv"
    twice.write_text("Navn,Name\nA,B\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as e:
        import_files(store, [odd, twice])
    assert [(p.code, p.file) for p in e.value.report.errors] == [("unknown_kind", "x.csv"), ("duplicate_column", "y.csv")]
    assert e.value.report.errors[1].message == "columns 'Navn', 'Name' all hold 'name'"


def test_display_names_for_uploads(store, tmp_path, data):
    upload = tmp_path / "tmp8f3k2.csv"
    upload.write_bytes((data / "headers_only.csv").read_bytes())
    with pytest.raises(ImportFailed) as e:
        import_files(store, [upload], names=["Medlemsliste 2024.csv"])
    assert e.value.report.errors[0].file == "Medlemsliste 2024.csv"


def test_progress_reports_each_stage(store, data):
    seen = []
    import_files(store, [data / "dansk_excel.csv", data / "edges.csv"], progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert stages[:2] == ["read", "read"] and seen[:2] == [("read", 1, 2), ("read", 2, 2)]
    # mentions: 9 organisations in the list, 5 organisations and 5 projects in the edge list
    assert seen[2] == ("resolve", 0, 19) and ("resolve", 19, 19) in seen
    # written: 12 actors (3 new in the edge list), 2 projects, 5 participations
    writes = [(d, t) for s, d, t in seen if s == "write"]
    assert writes[0] == (12, 19) and writes[-1] == (19, 19)
