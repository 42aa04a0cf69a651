"""``graphsvc analyse``: through the click runner, on a store on disk."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import graphsvc.cli.analyse  # noqa: F401  (registers the commands)
from graphsvc.cli import main


@pytest.fixture
def data_dir(small_store_dir):
    return str(small_store_dir)


def run(*args):
    result = CliRunner().invoke(main, ["analyse", *args])
    return result.exit_code, result.output


def test_isolated_text(data_dir):
    code, out = run("isolated", "--data-dir", data_dir, "--lang", "en")
    assert code == 0, out
    assert "Lemvig Amatørteater (Lemvig) [a-lemvig] — few ties, low reach" in out
    assert "Herning Kammerkor (Herning) [a-herning] — few ties, low reach" in out
    assert "only 1 partner, reaching 1 other municipality" in out


def test_centrality_json(data_dir):
    code, out = run("centrality", "--data-dir", data_dir, "--json", "--by", "degree")
    assert code == 0, out
    payload = json.loads(out)
    assert payload["analysis"] == "CentralityResult"
    assert payload["params"]["rank_by"] == "degree"
    first = payload["tables"]["centrality"][0]
    assert (first["id"], first["name"], first["degree"]) == ("i-aros", "Kunstmuseum Århus", 2)


def test_gaps_window_and_files(data_dir, tmp_path):
    csv, xlsx = tmp_path / "gaps.csv", tmp_path / "gaps.xlsx"
    code, out = run("gaps", "--data-dir", data_dir, "--from", "2022", "--to", "2023",
                    "--csv", str(csv), "--xlsx", str(xlsx))
    assert code == 0, out
    assert csv.exists() and xlsx.exists() and (tmp_path / "gaps-ei.csv").exists()
    text = csv.read_text(encoding="utf-8-sig")
    assert "665,Lemvig,751,Aarhus,1," in text


def test_communities_and_compare(data_dir):
    code, out = run("communities", "--data-dir", data_dir, "--seed", "3")
    assert code == 0, out
    assert "modularity" in out
    code, out = run("compare", "--data-dir", data_dir, "--before", "2020-2021", "--after", "2022-2023")
    assert code == 0, out
    assert "new cross ties: 1" in out


@pytest.mark.parametrize("args, message", [
    (["centrality", "--from", "2024", "--to", "2020"],
     "error: the year window 2024–2020 is empty: --from must not be after --to"),
    (["centrality", "--by", "fame"], "error: --by 'fame' is not a measure; choose one of degree,"),
    (["compare", "--before", "2018", "--after", "2020-2021"],
     "error: --before '2018' is not a window of years; write it as 2018-2020"),
    (["communities", "--resolution", "0"], "error: --resolution must be above 0, not 0.0"),
])
def test_errors(data_dir, args, message):
    code, out = run(*args, "--data-dir", data_dir)
    assert code == 1
    assert message in out


def test_missing_output_folder(data_dir, tmp_path):
    code, out = run("isolated", "--data-dir", data_dir, "--csv", str(tmp_path / "no" / "x.csv"))
    assert code == 1
    assert f"cannot write {tmp_path / 'no' / 'x.csv'}: the folder {tmp_path / 'no'} does not exist" in out
