"""Reading CSV (encodings, delimiters), XLSX (sheets), JSON and JSON Lines."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from graphsvc.errors import InputError
from loaders.readers import read_tables


def test_danish_excel_csv_in_cp1252_with_semicolons(data):
    [table] = read_tables(data / "dansk_excel.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.rows[0][:3] == ["Navn", "Kommune", "Postnr"]
    assert table.rows[0][7] == "Målgruppe"
    assert table.rows[1][0] == "Lemvig Amatørteater"
    assert table.numbers[:2] == [1, 2]


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8-sig", b"\xef\xbb\xbf")])
def test_utf8_with_and_without_bom(tmp_path, encoding, prefix):
    path = tmp_path / "a.csv"
    path.write_bytes(prefix + "navn,kommune\nÆblegården,Århus\n".encode("utf-8"))
    [table] = read_tables(path)
    assert (table.encoding, table.rows) == (encoding, [["navn", "kommune"], ["Æblegården", "Århus"]])


def test_tab_and_excel_sep_line(tmp_path):
    tab = tmp_path / "tab.txt"
    tab.write_text("navn\tkommune\nKor, Lemvig\tLemvig\n", encoding="utf-8")
    assert read_tables(tab)[0].rows[1] == ["Kor, Lemvig", "Lemvig"]
    sep = tmp_path / "sep.csv"
    sep.write_text("sep=;\nnavn;kommune\nKor, Lemvig;Lemvig\n", encoding="utf-8")
    [table] = read_tables(sep)
    assert (table.delimiter, table.rows[0], table.numbers) == (";", ["navn", "kommune"], [2, 3])


def test_encoding_can_be_given(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("navn\nÅ\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"a.csv: not readable as utf-8 \(byte 0xc5 at position 5\)"):
        read_tables(path, encoding="utf-8")
    assert read_tables(path, encoding="latin-1")[0].rows[1] == ["Å"]


def test_ragged_csv_is_an_input_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n1,2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.csv: cannot be read as comma-separated CSV"):
        read_tables(path)


def _workbook(path):
    wb = Workbook()
    wb.active.title = "Aktører"
    wb.active.append(["Navn", "Kommune"])
    wb.active.append(["Lemvig Kor", "Lemvig"])
    sheet = wb.create_sheet("Projekter")
    sheet.append(["Projekt", "År"])
    sheet.append(["Korfest", 2024])
    wb.save(path)
    return path


def test_xlsx_sheets(tmp_path):
    path = _workbook(tmp_path / "book.xlsx")
    tables = read_tables(path)
    assert [(t.sheet, t.rows) for t in tables] == [
        ("Aktører", [["Navn", "Kommune"], ["Lemvig Kor", "Lemvig"]]),
        ("Projekter", [["Projekt", "År"], ["Korfest", "2024"]]),
    ]
    assert [t.sheet for t in read_tables(path, sheets=["Projekter"])] == ["Projekter"]
    with pytest.raises(InputError) as e:
        read_tables(path, sheets=["Partnere"])
    assert e.value.detail == "sheet 'Partnere' not found in book.xlsx (sheets: Aktører, Projekter); pass --sheet with one of those names"


def test_damaged_xlsx_names_the_file(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="broken.xlsx: not a readable Excel workbook"):
        read_tables(path)


def test_json_list_keyed_and_lines(tmp_path):
    plain = tmp_path / "a.json"
    plain.write_text(json.dumps([{"navn": "Lemvig Kor", "kunstart": ["musik", "kor"]}, {"navn": "Struer Kor"}]), encoding="utf-8")
    [table] = read_tables(plain)
    assert table.keyed and table.rows == [["navn", "kunstart"], ["Lemvig Kor", ["musik", "kor"]], ["Struer Kor", ""]]
    keyed = tmp_path / "b.json"
    keyed.write_text(json.dumps({"actors": [{"name": "A"}], "networks": [{"name": "N"}]}), encoding="utf-8")
    assert [t.sheet for t in read_tables(keyed)] == ["actors", "networks"]
    lines = tmp_path / "c.jsonl"
    lines.write_text('{"navn": "A"}\n\n{"navn": "B"}\n', encoding="utf-8")
    [table] = read_tables(lines)
    assert (table.rows, table.numbers) == ([["navn"], ["A"], ["B"]], [0, 1, 3])


@pytest.mark.parametrize("name, content, message", [
    ("bad.json", "[{", "bad.json: not valid JSON (line 1, column 3"),
    ("odd.json", '"text"', "odd.json: expected a list of objects"),
    ("rows.json", "[1, 2]", "rows.json: item 1 is not an object"),
    ("bad.jsonl", '{"a": 1}\n{oops}\n', "bad.jsonl: line 2 is not valid JSON"),
    ("old.xls", "", "old.xls: the old .xls format is not read"),
    ("notes.docx", "", "notes.docx: .docx files are not read"),
])
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_tables(path)
    assert e.value.detail.startswith(message)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.csv: no such file"):
        read_tables(tmp_path / "nope.csv")
