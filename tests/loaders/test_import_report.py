"""The report as text, JSON-able dict and XLSX; text from files stays text."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from loaders import ImportReport


def test_text_summary(load):
    report = load("dansk_excel.csv", "hostile.csv")
    text = report.to_text()
    assert text.splitlines()[:4] == [
        "imported",
        "",
        "          created    updated  unchanged",
        "actors         12          0          0",
    ]
    assert "organisations placed by: column 10, postcode_town 2" in text
    assert "0 errors, 0 warnings; 0 organisations under several spellings, 0 fuzzy matches to review" in text
    assert report.to_dict()["placement"] == {"column": 10, "postcode_town": 2}


def test_dict_is_json(load):
    report = load("duplicates.csv", "hostile.csv")
    payload = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert payload["counts"] == {"actors": {"created": 7, "updated": 0, "unchanged": 0}}
    assert payload["totals"] == {"created": 7, "updated": 0, "unchanged": 0}
    assert (payload["errors"], payload["warnings"], payload["written"]) == (0, 2, True)
    assert payload["problems"][0] == {
        "severity": "warning", "message": "'Lemvig Amatør-teater' was taken to be 'Lemvig Amatørteater' "
        "(org-cvr-29189609; similarity 98)", "action": "if they are two organisations, add [resolve] distinct = "
        '[["Lemvig Amatør-teater", "Lemvig Amatørteater"]] to a mapping file',
        "file": "duplicates.csv", "sheet": None, "row": 4, "column": "Navn", "value": "Lemvig Amatør-teater",
        "code": "fuzzy_match", "where": "duplicates.csv, row 4, column 'Navn'",
        "candidates": [{"id": "org-cvr-29189609", "name": "Lemvig Amatørteater", "municipality_code": "665",
                        "municipality": "Lemvig", "kind": None, "label": "Actor", "cvr": "29189609",
                        "partners": []}]}
    assert [f["file"] for f in payload["files"]] == ["duplicates.csv", "hostile.csv"]
    assert payload["files"][0]["columns"] == {"Navn": "name", "Kommune": "municipality", "CVR": "cvr", "Type": "kind"}


def test_xlsx_keeps_formulas_and_markup_as_text(load, tmp_path):
    report = load("hostile.csv", "dansk_excel.csv")
    report.changes.append({"kind": "actors", "id": "x", "name": '=HYPERLINK("http://example.invalid")',
                           "field": "art_forms", "old": None, "new": ["teater"]})
    path = report.write(tmp_path / "rapport.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Problems", "Merges", "Fuzzy matches", "Changes", "Files"]
    assert [c.value for c in wb["Summary"][2]] == ["actors", 12, 0, 0]
    change = wb["Changes"][2]
    assert (change[2].value, change[2].data_type, change[5].value) == ('=HYPERLINK("http://example.invalid")', "s", '["teater"]')
    files = [[c.value for c in row] for row in wb["Files"].iter_rows(min_row=2)]
    assert files[0][:4] == ["hostile.csv", None, "actor", 3]


def test_json_and_text_files(load, tmp_path):
    report = load("dansk_excel.csv")
    assert json.loads(report.write(tmp_path / "r.json").read_text(encoding="utf-8"))["counts"]["actors"]["created"] == 9
    assert report.write(tmp_path / "r.txt").read_text(encoding="utf-8").startswith("imported\n")


def test_text_limits_long_lists():
    report = ImportReport()
    for row in range(5):
        report.add("warning", f"problem {row}", "fix it", file="a.csv", row=row + 2)
    text = report.to_text(limit=2)
    assert "  a.csv, row 2: problem 0 — fix it" in text
    assert "  … and 3 more (write the whole report with --report report.xlsx)" in text
