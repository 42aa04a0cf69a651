"""``graphsvc load`` through click's runner: exit codes, output, options."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from graphsvc.cli import main

DATA = Path(__file__).resolve().parent / "data"


def _run(*args):
    return CliRunner().invoke(main, ["load", *map(str, args)])


def test_load_prints_the_summary_and_is_idempotent(tmp_path):
    first = _run(DATA / "dansk_excel.csv", DATA / "edges.csv", "--data-dir", tmp_path)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[:7] == [
        "imported",
        "",
        "                  created    updated  unchanged",
        "actors                 12          0          0",
        "projects                2          0          0",
        "participations          5          0          0",
        "",
    ]
    again = _run(DATA / "dansk_excel.csv", DATA / "edges.csv", "--data-dir", tmp_path)
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == "nothing to write: the store already holds all of it"


def test_errors_exit_1_and_write_nothing(tmp_path):
    result = _run(DATA / "empty.csv", "--data-dir", tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "not imported: nothing was written because of the errors below"
    assert "  empty.csv: the file is empty — choose the file (or sheet) that holds the data; nothing was read" in result.stdout
    info = CliRunner().invoke(main, ["info", "--json", "--data-dir", str(tmp_path)])
    assert json.loads(info.output)["counts"]["Actor"] == 0


def test_dry_run_kind_column_and_report(tmp_path):
    report = tmp_path / "r.json"
    result = _run(DATA / "memberships.csv", "--kind", "membership", "--column", "Netværk=network", "--dry-run",
                  "--report", report, "--data-dir", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("dry run: nothing written\n")
    payload = json.loads(report.read_text(encoding="utf-8"))
    assert payload["counts"]["memberships"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert payload["written"] is False


def test_bad_options(tmp_path):
    bad_column = _run(DATA / "edges.csv", "--column", "Rolle", "--data-dir", tmp_path)
    assert bad_column.exit_code == 1  # usage errors: one line, exit 1 (issue 12)
    assert "'Rolle': write HEADER=FIELD" in bad_column.output
    bad_kind = _run(DATA / "edges.csv", "--kind", "people", "--data-dir", tmp_path)
    assert bad_kind.exit_code == 1
    sheet = _run(DATA / "edges.csv", "--sheet", "Ark1", "--data-dir", tmp_path)
    assert sheet.exit_code == 1
    assert "edges.csv: only workbooks (.xlsx) have sheets; leave --sheet out for this file" in sheet.stdout
    mapping = tmp_path / "m.toml"
    mapping.write_text('kind = "people"\n', encoding="utf-8")
    bad_mapping = _run(DATA / "edges.csv", "--mapping", mapping, "--data-dir", tmp_path)
    assert bad_mapping.exit_code == 1
    assert bad_mapping.stderr.startswith("error: m.toml: kind: Value error, kind 'people' is not one of")


def test_accept_valid(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Projekt;År\nKorfest;2024\nSommerteater;i fjor\n", encoding="utf-8")
    result = _run(path, "--accept-valid", "--data-dir", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "imported, 1 rows with errors skipped"
