"""``graphsvc export`` through click's runner on a store holding the small network."""

from __future__ import annotations

import networkx as nx
import openpyxl
import pytest
from click.testing import CliRunner
from PIL import Image

import graphsvc.cli.export  # noqa: F401  (registers the command)
from graphsvc.cli import main


@pytest.fixture
def data_dir(small_store_dir):
    return small_store_dir


def _run(data_dir, tmp_path, *args):
    result = CliRunner().invoke(main, ["export", *args, "--data-dir", str(data_dir)],
                                catch_exceptions=False)
    return result


def test_map_html(data_dir, tmp_path):
    out = tmp_path / "kort.html"
    result = _run(data_dir, tmp_path, "map", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    html = out.read_text(encoding="utf-8")
    assert "Lemvig Amatørteater" in html and '<meta charset="utf-8">' in html


@pytest.mark.parametrize("args", [
    ("geomap", "--format", "png"),
    ("map", "--level", "municipality", "--format", "png", "--lang", "en"),
    ("heatmap",),
    ("map", "--org", "Kunstmuseum Århus", "--depth", "2", "--format", "png"),
    ("geomap", "--municipality", "Lemvig", "--format", "png", "--color-by", "kind",
     "--size-by", "betweenness"),
])
def test_png_exports(data_dir, tmp_path, args):
    out = tmp_path / "out.png"
    result = _run(data_dir, tmp_path, *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert Image.open(out).size == (1920, 1080)


def test_graph_and_table_exports(data_dir, tmp_path):
    assert _run(data_dir, tmp_path, "graph", "--out", str(tmp_path / "g.gexf")).exit_code == 0
    G = nx.read_gexf(tmp_path / "g.gexf")
    assert sorted(G.nodes) == ["a-herning", "a-lemvig", "i-aros"]
    assert G.number_of_edges() == 2
    assert G.nodes["a-lemvig"]["label"] == "Lemvig Amatørteater"

    assert _run(data_dir, tmp_path, "table", "--out", str(tmp_path / "t.xlsx")).exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == ["Organisationer", "Forbindelser", "Mål"]
    assert wb["Mål"]["D1"].value == "Antal partnere"

    result = _run(data_dir, tmp_path, "table", "--format", "csv", "--out", str(tmp_path / "t.csv"))
    assert result.exit_code == 0
    assert result.output.split() == [str(tmp_path / f"t-{n}.csv") for n in ("nodes", "edges", "metrics")]
    text = (tmp_path / "t-nodes.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbfid;name;")
    assert "Kunstmuseum Århus" in text.decode("utf-8-sig")


def test_errors_are_one_clear_line(data_dir, tmp_path):
    result = CliRunner().invoke(main, ["export", "heatmap", "--format", "html", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.output.strip() == "error: cannot export heatmap as html; use the format png or svg or pdf or xlsx or csv"
    result = CliRunner().invoke(main, ["export", "map", "--org", "nobody", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.output.strip() == "error: no organisation with id or name 'nobody'"
    result = CliRunner().invoke(main, ["export", "map", "--size-by", "fame", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.output.startswith("error: no metric 'fame' to size the nodes by; available: ")


def test_an_empty_store_says_what_to_do(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()  # a folder that does not exist is a mistyped --data-dir (issue 12)
    result = CliRunner().invoke(main, ["export", "map", "--data-dir", str(empty)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: LadybugDB at {empty} holds no organisations; load data with "
        "`graphsvc load FILES` or build the demo with `graphsvc demo --no-serve`")
