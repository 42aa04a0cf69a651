"""The CLI never prints a traceback for a user error: every command and subcommand with
bad arguments says one line and exits 1; and the first-hour mistakes of issue 12 each
get a clear answer instead of a crash, a wrong file or a silent empty store."""

from __future__ import annotations

import socket

import click
import pytest
from click.testing import CliRunner

from graphsvc.cli import main


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name in sorted(group.list_commands(None)):
        command = group.get_command(None, name)
        out.append((*path, name))
        if isinstance(command, click.Group):
            out += _commands(command, (*path, name))
    return out


COMMANDS = _commands(main)


def _one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    # one line of error, the last; a progress note before it is all there may be
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:], result.output
    assert len(lines) == 1 or lines[:-1] == ["evaluating store …"], result.output
    return lines[-1]


def test_every_command_is_covered():
    assert ("imports", "undo") in COMMANDS and ("analyse", "gaps") in COMMANDS and ("load",) in COMMANDS
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unknown_option_is_one_line_and_exit_1(command):
    line = _one_error_line(CliRunner().invoke(main, [*command, "--no-such-option"]))
    assert line == (f"error: graphsvc {' '.join(command)}: No such option '--no-such-option'. "
                    f"(see `graphsvc {' '.join(command)} --help`)")


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        command = command.get_command(None, name)
    return command


READERS = [c for c in COMMANDS if c not in (("load",), ("demo",), ("serve",))
           and any(p.name == "data_dir" for p in _command(c).params)]


def test_the_readers_of_a_store():
    assert {("info",), ("export",), ("imports",), ("imports", "undo"), ("analyse", "centrality")} <= set(READERS)


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_mistyped_data_dir_is_an_error_not_a_new_store(command, tmp_path):
    """Every command that reads a store refuses a folder that does not exist (and does not
    make it): the commands that need more arguments get harmless ones."""
    extra = {("export",): ["map"], ("suggest",): ["some-org"], ("analyse", "compare"): ["--before", "2018-2019", "--after", "2020-2021"],
             ("evaluate-suggestions",): ["--set", "store"], ("decisions", "undo"): ["dec-none"]}
    missing = tmp_path / "graphsvc-dta"
    result = CliRunner().invoke(main, [*command, *extra.get(command, []), "--data-dir", str(missing)])
    line = _one_error_line(result)
    assert line.startswith(f"error: no store at {missing} (the folder does not exist); check --data-dir")
    assert not missing.exists()


BAD_VALUES = [
    (["load", "no-such-file.csv"], "Path 'no-such-file.csv' does not exist"),
    (["load", "a.csv", "--kind", "tree"], "'tree' is not one of"),
    (["export", "poster"], "'poster' is not one of"),
    (["demo", "--size", "XL"], "'XL' is not one of"),
    (["serve", "--port", "http"], "'http' is not a valid integer"),
    (["analyse", "compare", "--before", "2018-2019"], "Missing option '--after'"),
    (["suggest"], "Missing argument"),
]


@pytest.mark.parametrize("args,words", BAD_VALUES, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_values_are_one_line(args, words):
    assert words in _one_error_line(CliRunner().invoke(main, args))


# --- the first hour -----------------------------------------------------------------


@pytest.fixture
def small_store(tmp_path):
    data = tmp_path / "projekter.csv"
    data.write_text(
        "Projekttitel,År,Ansøger,Kommune,Partnere\n"
        'Kor på tværs,2019,Lemvig Kor,Lemvig,"Struer Musikskole; Holstebro Teater"\n'
        "Fjordens lyd,2020,Struer Musikskole,Struer,Lemvig Kor\n",
        encoding="utf-8",
    )
    folder = tmp_path / "store"
    result = CliRunner().invoke(main, ["load", str(data), "--kind", "project", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize("command", [["serve"], ["demo"]])
def test_a_busy_port_is_one_line(command, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, [*command, "--port", str(port), "--data-dir", str(tmp_path / "s")])
    line = _one_error_line(result)
    assert line.startswith(f"error: port {port} on 127.0.0.1 is in use")
    assert line.endswith("Stop it, or pass another --port")


def test_export_to_a_missing_folder_is_one_line(tmp_path):
    line = _one_error_line(CliRunner().invoke(main, ["export", "map", "--out", str(tmp_path / "nope" / "x.html")]))
    assert line == (f"error: cannot write {tmp_path / 'nope' / 'x.html'}: the folder {tmp_path / 'nope'} does not "
                    "exist; make it first, or pass another --out")


def test_out_ending_sets_the_format(small_store, tmp_path):
    runner = CliRunner()
    png = tmp_path / "slide.png"
    result = runner.invoke(main, ["export", "map", "--out", str(png), "--data-dir", str(small_store)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = tmp_path / "t.csv"
    result = runner.invoke(main, ["export", "table", "--table", "nodes", "--out", str(out), "--data-dir", str(small_store)])
    assert result.exit_code == 0, result.output
    text = out.read_bytes()
    assert not text.startswith(b"PK")  # not a workbook
    assert "Lemvig Kor" in text.decode("utf-8-sig")


def test_out_ending_and_format_must_agree(tmp_path):
    line = _one_error_line(CliRunner().invoke(main, ["export", "map", "--format", "html", "--out", str(tmp_path / "x.png")]))
    assert line == f"error: --out {tmp_path / 'x.png'} ends in '.png' but --format is html; name the file .html, or leave --format out"


def test_analyse_on_an_empty_store_says_how_to_load(tmp_path):
    runner = CliRunner()
    folder = tmp_path / "empty"
    assert runner.invoke(main, ["serve", "--help"]).exit_code == 0
    folder.mkdir()
    line = _one_error_line(runner.invoke(main, ["analyse", "centrality", "--data-dir", str(folder)]))
    assert line.startswith(f"error: LadybugDB at {folder} holds no organisations, so there is nothing to analyse; "
                           "load data first: `graphsvc load FILE …`")


def test_demo_size_on_a_store_with_data_is_refused(small_store):
    line = _one_error_line(CliRunner().invoke(main, ["demo", "--size", "S", "--no-serve", "--data-dir", str(small_store)]))
    assert line.startswith(f"error: LadybugDB at {small_store} already holds data, so --size S would not be used")
