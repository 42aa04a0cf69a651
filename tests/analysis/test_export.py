"""CSV and XLSX export: UTF-8, æøå intact, nothing turned into a formula."""

from __future__ import annotations

import json

import pandas as pd
from openpyxl import load_workbook

from graphsvc.analysis.export import cell_text, write_csv, write_xlsx

NAMES = ["Århus Æblehave Ø", "=HYPERLINK(\"http://x\")", "+45 kor", "Kunst & Kaffe"]


def tables():
    main = pd.DataFrame({"name": NAMES, "score": [1.5, None, 3.0, -2.0],
                         "reasons": [["intet projekt siden 2021", "ikke med i noget netværk"], [], ["a"], ["b"]],
                         "pairs": [[("751", "665")], [], [], []]},
                        index=pd.Index(["a", "b", "c", "d"], name="id"))
    return {"isolated": main, "a/very:long[name]*that?goes_on_and_on": pd.DataFrame({"x": [1]})}


def test_csv(tmp_path):
    files = write_csv(tables(), tmp_path / "out.csv")
    assert [f.name for f in files] == ["out.csv", "out-a_very_long_name_that_goes_on_and_on.csv"]
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with byte-order mark, for spreadsheets
    back = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")
    assert list(back.columns) == ["id", "name", "score", "reasons", "pairs"]
    assert back["name"].tolist() == ["Århus Æblehave Ø", "'=HYPERLINK(\"http://x\")", "'+45 kor", "Kunst & Kaffe"]
    assert back.loc[0, "reasons"] == "intet projekt siden 2021; ikke med i noget netværk"
    assert back.loc[0, "pairs"] == "751–665"
    assert back["score"].tolist()[3] == -2.0  # numbers are not text: no apostrophe


def test_xlsx(tmp_path):
    path = write_xlsx(tables(), tmp_path / "out.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["isolated", "a_very_long_name__that_goes_on_"]
    ws = wb["isolated"]
    assert [c.value for c in ws[1]] == ["id", "name", "score", "reasons", "pairs"]
    assert ws["B2"].value == "Århus Æblehave Ø"
    assert ws["B3"].value == "=HYPERLINK(\"http://x\")"
    assert ws["B3"].data_type == "s"  # stored as text, not a formula
    assert ws["C3"].value is None
    assert ws["D2"].value == "intet projekt siden 2021; ikke med i noget netværk"
    assert ws.freeze_panes == "A2"


def test_cell_text():
    assert cell_text(["a", ("1", "2")]) == "a; 1–2"
    assert cell_text(float("nan")) is None
    assert json.dumps(cell_text({"k": 1})) == '"k: 1"'
