"""Bounded input: every limit of ``ReadLimits`` refuses a file that passes it, with an
error naming the limit; the hostile workbooks of issue 12 are refused fast and small, by
the CLI and by the upload alike (time and peak memory measured in a child process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from xlsx_parts import inline, row, write_workbook

from graphsvc.errors import InputError
from loaders import import_files
from loaders.readers import ReadLimits, read_tables
from loaders.settings import LoaderSettings

MB = 1_000_000


def far_cell_workbook(path: Path) -> Path:
    """One header and one cell at XFD1048576, the last cell a sheet can have."""
    return write_workbook(path, {"Ark1": row(1, inline("A1", "navn")) + row(1048576, inline("XFD1048576", "x"))})


def shared_string_bomb(path: Path) -> Path:
    """A workbook of about 1 MB whose one shared string is 1 GiB of 'A'."""
    chunk = b"A" * (1 << 24)
    return write_workbook(path, {"Ark1": row(1, '<c r="A1" t="s"><v>0</v></c>')}, (chunk for _ in range(64)))


def test_the_hostile_workbooks_are_what_they_claim(tmp_path):
    import zipfile

    far = far_cell_workbook(tmp_path / "far.xlsx")
    assert far.stat().st_size < 2_000
    bomb = shared_string_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 1.1 * MB
    with zipfile.ZipFile(bomb) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size > 2**30


# --- each limit on its own, with small limits --------------------------------------


def _refused(path: Path, limit: str, **limits) -> str:
    with pytest.raises(InputError) as e:
        read_tables(path, limits=ReadLimits(**limits))
    assert f"limit {limit} = " in e.value.detail
    assert f"GRAPHSVC_LOADERS__{limit.upper()}" in e.value.detail
    assert "[da] " in e.value.detail
    return e.value.detail


def test_file_size(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("navn\n" + "x\n" * 600, encoding="utf-8")  # 1,205 bytes
    detail = _refused(path, "max_file_mb", max_file_mb=0.001)
    assert detail.startswith("a.csv: the file is 0.0 MB, more than 0.001 MB")
    assert read_tables(path, limits=ReadLimits(max_file_mb=0.002))[0].rows[-1] == ["x"]


def test_rows_csv(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("navn;kommune\n" + "Kor;Lemvig\n" * 5, encoding="utf-8")
    assert _refused(path, "max_rows", max_rows=5).startswith("a.csv: more than 5 rows (row 6 reached)")
    assert len(read_tables(path, limits=ReadLimits(max_rows=6))[0].rows) == 6


def test_columns_csv(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a;b;c\n1;2;3\n1;2;3;4\n", encoding="utf-8")
    detail = _refused(path, "max_columns", max_columns=3)
    assert detail.startswith("a.csv: row 3 has 4 columns, more than 3")


def test_cell_length_csv(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("navn;note\nKor;" + "æ" * 11 + "\n", encoding="utf-8")
    detail = _refused(path, "max_cell_chars", max_cell_chars=10)
    assert detail.startswith("a.csv: row 2, column 2 holds 11 characters, more than 10")
    assert read_tables(path, limits=ReadLimits(max_cell_chars=11))[0].rows[1] == ["Kor", "æ" * 11]


def test_cell_longer_than_the_csv_module_reads(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('navn;note\nKor;"' + "x" * 200_000 + '"\n', encoding="utf-8")
    detail = _refused(path, "max_cell_chars")
    assert "200,000 characters" in detail or "more than 32,767 characters" in detail


def test_sheets(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", {f"Ark{i}": row(1, inline("A1", "navn")) for i in (1, 2, 3)})
    assert _refused(path, "max_sheets", max_sheets=2).startswith("a.xlsx: the workbook has 3 sheets, more than 2")
    assert [t.sheet for t in read_tables(path, limits=ReadLimits(max_sheets=3))] == ["Ark1", "Ark2", "Ark3"]


def test_rows_columns_and_cells_xlsx(tmp_path):
    sheet = row(1, inline("A1", "navn"), inline("B1", "kommune")) + row(2, inline("A2", "Kor"), inline("D2", "Lemvig"))
    path = write_workbook(tmp_path / "a.xlsx", {"Ark1": sheet})
    assert _refused(path, "max_rows", max_rows=1).startswith("a.xlsx, sheet 'Ark1': more than 1 rows (row 2 reached)")
    assert _refused(path, "max_columns", max_columns=3).startswith("a.xlsx, sheet 'Ark1': row 2 has 4 columns")
    assert _refused(path, "max_cell_chars", max_cell_chars=6).startswith(
        "a.xlsx, sheet 'Ark1': row 1, column 2 holds 7 characters, more than 6")
    # within the limits: trailing empty cells dropped, rows padded to one width
    assert read_tables(path, limits=ReadLimits(max_rows=2, max_columns=4))[0].rows == [
        ["navn", "kommune", "", ""], ["Kor", "", "", "Lemvig"]]


def test_unpacked_size_and_ratio(tmp_path):
    chunk = b"A" * (1 << 20)
    path = write_workbook(tmp_path / "a.xlsx", {"Ark1": row(1, '<c r="A1" t="s"><v>0</v></c>')},
                          (chunk for _ in range(3)))
    detail = _refused(path, "max_unpacked_mb", max_unpacked_mb=2)
    assert detail.startswith("a.xlsx: the workbook unpacks to 3 MB, more than 2 MB")
    detail = _refused(path, "max_compression_ratio", max_compression_ratio=50)
    assert "part xl/sharedStrings.xml unpacks" in detail and "more than 50 (a zip bomb" in detail


def test_json_rows_and_columns(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"navn": "Kor", "kommune": "Lemvig"}] * 3), encoding="utf-8")
    assert _refused(path, "max_rows", max_rows=2).startswith("a.json: more than 2 rows (row 3 reached)")
    assert _refused(path, "max_columns", max_columns=1).startswith("a.json: row 1 has 2 columns")


def test_json_nested_too_deeply_is_an_input_error(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        read_tables(path)


def test_settings_reach_the_reader(tmp_path, store):
    path = tmp_path / "a.csv"
    path.write_text("navn;kommune\n" + "Kor;Lemvig\n" * 3, encoding="utf-8")
    report = import_files(store, [path], kind="actor", dry_run=True, settings=LoaderSettings(max_rows=3))
    assert [e.code for e in report.errors] == ["unreadable"]
    assert "more than 3 rows (row 4 reached)" in report.errors[0].message


def test_a_million_row_csv_is_refused_at_the_row_limit(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("navn;kommune\n")
        f.writelines(f"Forening {i};Aarhus\n" for i in range(1_000_000))
    started = time.perf_counter()
    with pytest.raises(InputError) as e:
        read_tables(path)
    elapsed = time.perf_counter() - started
    print(f"1M-row CSV refused in {elapsed:.2f} s")
    # refused where the limit is reached, not after reading the rest (the message names the row)
    assert e.value.detail.startswith("big.csv: more than 500,000 rows (row 500,001 reached)")


# --- the hostile workbooks through the CLI and the upload, in a child process ------

CLI = textwrap.dedent(
    """
    import sys, time
    from graphsvc.cli import main

    started = time.perf_counter()
    try:
        main()
    finally:
        print(f"seconds {time.perf_counter() - started:.3f}")
    """
)
UPLOAD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from fastapi.testclient import TestClient
    from graphsvc.app import create_app
    from graphsvc.settings import Settings

    import time
    path = Path(sys.argv[1])
    app = create_app(Settings(warm=False, admin_token="t0ken", data_dir=Path(sys.argv[2])))
    with TestClient(app, base_url="http://localhost") as client:
        started = time.perf_counter()
        r = client.post("/api/imports", headers={"Authorization": "Bearer t0ken"},
                        files={"files": (path.name, path.read_bytes())})
    body = r.json()
    problems = body.get("report", {}).get("problems")
    print(r.status_code, problems[0]["message"] if problems else body)
    print(f"seconds {time.perf_counter() - started:.3f}")
    """
)


def _measured(args: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """Run a child; return its exit code, the seconds from its start of work (the
    imports of Python's packages not counted) to its answer, its peak memory in MB and
    its output."""
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env={**os.environ, "GRAPHSVC_WARM": "false"})
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = float(out.rsplit("seconds ", 1)[1])
    return child.returncode, seconds, usage.ru_maxrss / 1024, out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {"far": far_cell_workbook(folder / "far.xlsx"), "bomb": shared_string_bomb(folder / "bomb.xlsx")}


EXPECTED = {
    "far": "far.xlsx, sheet 'Ark1': more than 500,000 rows",
    "bomb": "bomb.xlsx: the workbook unpacks to 1,074 MB, more than 500 MB",
}


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory) -> Path:
    """A store made beforehand, so the timed run opens it rather than creating it."""
    folder = tmp_path_factory.mktemp("cli") / "store"
    folder.mkdir()
    subprocess.run([sys.executable, "-c", CLI, "info", "--data-dir", str(folder)], check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def cli_baseline_mb(tmp_path_factory, cli_store) -> float:
    """Peak memory of `graphsvc load --dry-run` with a two-row CSV: the command's own
    footprint (its libraries and store) before any large file is read."""
    folder = tmp_path_factory.mktemp("cli-baseline")
    small = folder / "small.csv"
    small.write_text("navn;kommune\nLemvig Kor;Lemvig\n", encoding="utf-8")
    code, _, peak_mb, out = _measured(
        [sys.executable, "-c", CLI, "load", str(small), "--kind", "actor", "--dry-run", "--data-dir", str(cli_store)],
        folder)
    assert code == 0, out
    return peak_mb


@pytest.mark.slow
@pytest.mark.parametrize("which", ["far", "bomb"])
def test_hostile_workbook_refused_by_the_cli(hostile, which, tmp_path, cli_store, cli_baseline_mb):
    code, seconds, peak_mb, out = _measured(
        [sys.executable, "-c", CLI, "load", str(hostile[which]), "--data-dir", str(cli_store)], tmp_path)
    print(f"cli {which}: {seconds:.2f} s, peak {peak_mb:.0f} MB (command alone {cli_baseline_mb:.0f} MB)")
    assert code == 1, out
    assert EXPECTED[which].split(": ", 1)[1] in out
    assert "Traceback" not in out
    # the command itself takes about 300 MB (libraries, store); the file adds next to nothing
    assert peak_mb - cli_baseline_mb < 30, (peak_mb, cli_baseline_mb)


@pytest.fixture(scope="module")
def upload_baseline_mb(tmp_path_factory) -> float:
    """Peak memory of the upload child with a two-row CSV: the service's own footprint
    (its libraries and store), about 300 MB, before any file is read."""
    folder = tmp_path_factory.mktemp("baseline")
    small = folder / "small.csv"
    small.write_text("navn;kommune\nLemvig Kor;Lemvig\n", encoding="utf-8")
    code, _, peak_mb, out = _measured([sys.executable, "-c", UPLOAD, str(small), str(folder / "store")], folder)
    assert code == 0 and out.startswith("200 "), out
    return peak_mb


@pytest.mark.slow
@pytest.mark.parametrize("which", ["far", "bomb"])
def test_hostile_workbook_refused_by_the_upload(hostile, which, tmp_path, upload_baseline_mb):
    code, seconds, peak_mb, out = _measured([sys.executable, "-c", UPLOAD, str(hostile[which]), str(tmp_path / "store")], tmp_path)
    print(f"upload {which}: {seconds:.2f} s, peak {peak_mb:.0f} MB (service alone {upload_baseline_mb:.0f} MB)")
    assert code == 0, out
    assert out.startswith("200 ")
    assert EXPECTED[which].split(": ", 1)[1] in out
    # the service itself takes about 300 MB (libraries, store); the file adds next to nothing
    assert peak_mb - upload_baseline_mb < 30, (peak_mb, upload_baseline_mb)
