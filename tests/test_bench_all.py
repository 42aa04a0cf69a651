"""bench/bench_all.py runs end to end on the demo size and writes the performance page
with every stage and the peers' columns (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "bench_all.py"
HEADER = "| stage | runs | graphsvc s | CPU s | peak MB | fastest peer | peer s | peer CPU s | ratio | note |"
# with --compare, an earlier run's columns stand before the note
COMPARED = HEADER.replace("| note |", "| before s | before CPU s | before ÷ now, CPU | note |")


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_all", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(page: str, size: str) -> dict[str, list[str]]:
    """The table under ``## size``: stage → its cells."""
    section = page.split(f"\n## {size}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    assert lines[0] in (HEADER, COMPARED)
    return {cells[0]: cells for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines[1:])}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    page, results = folder / "performance.md", folder / "results.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "demo", "--repeat", "1", "--no-cli", "--write-docs", "--docs", str(page),
         "--json", str(results)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return page.read_text(encoding="utf-8"), json.loads(results.read_text(encoding="utf-8")), proc.stdout


@pytest.mark.slow
def test_the_page_has_every_stage_and_the_peer_columns(demo_run):
    page, _, _ = demo_run
    stages = [key for key, _ in _bench_module().STAGES]
    rows = _rows(page, "demo")
    assert list(rows) == stages
    assert "python bench/bench_all.py --sizes demo --repeat 1 --no-cli --write-docs" in page
    assert "## The machine" in page and "cores" in page
    peers = {key: rows[key][5] for key in ("import", "read", "projection", "communities", "full, igraph run")}
    assert peers == {
        "import": "LadybugDB COPY from CSV",
        "read": "pandas read_parquet" if importlib.util.find_spec("pyarrow") else "pandas read_csv",
        "projection": "scipy B·diag(w)·Bᵀ",
        "communities": peers["communities"],
        "full, igraph run": "pandas + scipy + igraph",
    }
    assert peers["communities"] in ("networkit PLM, 1 thread", "igraph multilevel", "igraph Leiden")
    for key in ("read", "projection", "centrality", "communities", "full analysis"):
        assert rows[key][6] != "—" and rows[key][8].endswith("×"), rows[key]
    assert rows["analyse ×4, CLI"][2] == "—" and rows["analyse ×4, CLI"][-1] == "not run (--no-cli)"
    for key in ("isolated", "gaps", "map", "export xlsx", "export gexf"):
        assert rows[key][2] != "—" and rows[key][5] == "—", rows[key]


@pytest.mark.slow
def test_the_peers_had_the_same_input(demo_run):
    _, results, _ = demo_run
    (result,) = results["results"]
    rows = {row["stage"]: row for row in result["rows"]}
    assert result["counts"]["organisations"] == 1500
    assert "same ties and weights as graphsvc" in rows["projection"]["note"]
    assert "the same node and relationship counts as graphsvc's store" in rows["import"]["note"]
    assert rows["full, pure networkx"]["peer"] == "networkx (engine = networkx)"
    assert result["peak_per_stage"] is True and result["peak_mb"] == max(r["peak_mb"] or 0 for r in rows.values())


def test_the_committed_page_holds_the_command_and_every_stage():
    page = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert re.search(r"^python bench/bench_all\.py --sizes S M L( --\S+ \S+)* --write-docs$", page, re.M)
    stages = [key for key, _ in _bench_module().STAGES]
    for size in ("S", "M", "L"):
        assert list(_rows(page, size)) == stages


def test_compare_adds_the_earlier_times_and_the_speed_up():
    bench = _bench_module()
    row = {"runs": 3, "cpu": 0.4, "peak_mb": 700, "peer": "pandas read_csv", "peer_wall": 0.25,
           "peer_cpu": 0.2, "ratio": 2.0, "note": "a|b"}
    now = {"rows": [{**row, "stage": "read", "wall": 0.5}, {**row, "stage": "map", "wall": 2.0}]}
    before = {"rows": [{**row, "stage": "read", "wall": 1.5, "cpu": 1.2}]}
    header, rule, read, map_row = bench.table_lines(now, before)
    assert header == ("| stage | runs | graphsvc s | CPU s | peak MB | fastest peer | peer s | peer CPU s | ratio "
                      "| before s | before CPU s | before ÷ now, CPU | note |")
    assert rule == "|" + "---|" * 13
    assert read == ("| read | 3 | 0.500 | 0.400 | 700 | pandas read_csv | 0.250 | 0.200 | 2.00× | 1.50 | 1.20 | 3.00× "
                    "| a/b |")
    assert map_row == "| map | 3 | 2.00 | 0.400 | 700 | pandas read_csv | 0.250 | 0.200 | 2.00× | — | — | — | a/b |"
