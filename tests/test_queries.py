"""The Cypher catalog (``queries/``): every statement lints clean as Neo4j 5 Cypher with
Neo4j's own linter, runs on LadybugDB, is used by the code, and takes only ``$rows``/``$id``.

The linter is ``tools/cypher-lint`` (npm ``@neo4j-cypher/language-support``, pinned) plus
a check of every label, relationship type and property key against ``graphsvc.model``
(see ``Linter`` for how it is run once per session, and cached).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import queries
from graphsvc.model import (
    NODES,
    Actor,
    Attendance,
    Collaboration,
    Event,
    Institution,
    Membership,
    Network,
    Participation,
    Project,
    Records,
    linter_schema,
)
from graphsvc.errors import NotFound
from graphsvc.reference import municipalities
from graphsvc.settings import Settings
from graphsvc.store import Backend, open_store

LINTER = Path(__file__).resolve().parents[1] / "tools" / "cypher-lint"
PACKAGE_JSON = LINTER / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"
INSTALL_HINT = "run the README's test command (it installs the Cypher linter)"
# The only parameters the code passes (GraphStore and the backends); the example values
# only tell the linter the parameters exist.
PARAMETERS: dict[str, Any] = {"rows": [], "id": ""}
ROW_RECORDS = (Participation, Collaboration, Membership, Attendance)


# --- the linter ------------------------------------------------------------------------


def map_keys() -> list[str]:
    """Keys the code puts in ``$rows`` maps: the relationship records' fields and every
    node property (node rows are padded to exactly the declared properties)."""
    keys = {name for record in ROW_RECORDS for name in record.model_fields}
    keys |= {name for spec in NODES.values() for name in spec.properties}
    return sorted(keys)


def real_statements() -> dict[str, str]:
    return {name: queries.load(name) for name in queries.names()}


class Linter:
    """Runs ``tools/cypher-lint`` on statements (name -> text) and returns each one's
    diagnostics.

    Neo4j's semantic analysis costs 0.1-0.5 s of CPU a statement, so a text is linted
    once per session: the first call lints every statement this module knows of (the
    real ones and the broken ones) in one node process. Results are also kept in pytest's
    cache under a key made of everything that decides them — lint.cjs, the installed
    package, the schema, parameters and map keys, and the text — so an unchanged
    statement is not linted again (``pytest --cache-clear`` forgets them)."""

    CACHE_KEY = "graphsvc/cypher-lint"

    def __init__(self, cache=None):
        self._cache = cache
        self._linted: dict[str, list[dict[str, Any]]] = {}  # text -> diagnostics
        self._request = {"schema": linter_schema(), "parameters": PARAMETERS, "mapKeys": map_keys()}

    def lint(self, statements: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        wanted = {text: name for name, text in statements.items()}
        if not self._linted:
            for name, text in _known_statements().items():
                wanted.setdefault(text, name)
        todo = {name: text for text, name in wanted.items() if text not in self._linted}
        if todo:
            self._lint(todo)
        return {name: self._linted[text] for name, text in statements.items()}

    def _lint(self, todo: dict[str, str]) -> None:
        node = self._check_installed()
        version = self._version()
        stored = self._cache.get(self.CACHE_KEY, {}) if self._cache is not None else {}
        results = stored.get("results", {}) if stored.get("version") == version else {}
        key = {text: hashlib.sha256(text.encode()).hexdigest() for text in todo.values()}
        missing = {name: text for name, text in todo.items() if key[text] not in results}
        if missing:
            answer = self._run(node, missing)
            assert set(answer) == set(missing), "the linter must answer for every statement"
            results.update({key[text]: answer[name] for name, text in missing.items()})
            if self._cache is not None:
                self._cache.set(self.CACHE_KEY, {"version": version, "results": results})
        self._linted.update({text: results[key[text]] for text in todo.values()})

    @staticmethod
    def _check_installed() -> str:
        if not (LINTER / "node_modules").is_dir():
            pytest.fail(f"{LINTER / 'node_modules'} is missing: {INSTALL_HINT}", pytrace=False)
        node = shutil.which("node")
        if node is None:
            pytest.fail(f"node is not on PATH: {INSTALL_HINT}", pytrace=False)
        return node

    def _version(self) -> str:
        """Everything besides a statement's text that decides its diagnostics."""
        digest = hashlib.sha256(json.dumps(self._request, sort_keys=True).encode())
        for path in (LINTER / "lint.cjs", LINTER / "package-lock.json", PACKAGE_JSON):
            digest.update(path.read_bytes() if path.exists() else b"-")
        return digest.hexdigest()

    def _run(self, node: str, statements: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        proc = subprocess.run(
            [node, str(LINTER / "lint.cjs")],
            input=json.dumps({**self._request, "statements": statements}),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0:
            pytest.fail(f"the Cypher linter failed ({proc.returncode}): {proc.stderr}", pytrace=False)
        return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def linter(pytestconfig) -> Linter:
    return Linter(getattr(pytestconfig, "cache", None))


def _show(diagnostics: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {d['line']}:{d['column']} {d['severity']} ({d['source']}): {d['message']}"
        for d in diagnostics
    )


@pytest.mark.parametrize("name", queries.names())
def test_statement_lints_clean(linter, name):
    diagnostics = linter.lint(real_statements())[name]
    assert not diagnostics, f"queries/{name}.cypher:\n{_show(diagnostics)}"


@dataclass(frozen=True)
class Broken:
    name: str
    text: str
    fragment: str  # of the message expected
    line: int  # 1-based, of the original text
    column: int


# Each breaks one thing; the linter must report it, with the expected message at the
# expected position (1-based line and column of the original text).
BROKEN = [
    Broken("syntax error", "MATCH (a:Actor)\nRETRN a", "Invalid input 'RETRN'", 2, 1),
    Broken(
        "misspelt label in MERGE",
        "UNWIND $rows AS row MERGE (a:Actr {id: row.id})",
        "Label Actr is not declared in the schema",
        1, 30,
    ),
    Broken(
        "misspelt label in MATCH",
        "MATCH (a:Actr) RETURN a.id AS id",
        "Label Actr is not present in the database",
        1, 10,
    ),
    Broken(
        "misspelt relationship type in MERGE",
        "UNWIND $rows AS row\n"
        "MATCH (o:Actor {id: row.id})\n"
        "MATCH (m:Municipality {code: row.municipality_code})\n"
        "MERGE (o)-[:LOCATD_IN]->(m)",
        "Relationship type LOCATD_IN is not declared in the schema",
        4, 13,
    ),
    Broken(
        "misspelt property",
        "UNWIND $rows AS row\nMERGE (a:Actor {id: row.id})\nSET a.nmae = row.name",
        "Property key nmae is not declared in the schema",
        3, 7,
    ),
    Broken(
        "misspelt property in a pattern",
        "MATCH (a:Actor {idd: $id}) RETURN a.name AS name",
        "Property key idd is not declared in the schema",
        1, 17,
    ),
    Broken(
        "misspelt key of a row",
        "UNWIND $rows AS row\nMERGE (a:Actor {id: row.id})\nSET a.name = row.nmae",
        "Map key nmae (in row.nmae)",
        3, 18,
    ),
    Broken(
        "undeclared parameter",
        "MATCH (a:Actor {id: $actor_id}) RETURN a.name AS name",
        "Parameter $actor_id is not defined.",
        1, 21,
    ),
    Broken(
        "Cypher 25 FILTER clause",
        "MATCH (a:Actor)\nFILTER a.kind = 'festival'\nRETURN a.id AS id",
        "Invalid input 'FILTER'",
        2, 1,
    ),
    Broken(
        "Cypher 25 LET clause",
        "MATCH (a:Actor)\nLET k = a.kind\nRETURN k",
        "Invalid input 'LET'",
        2, 1,
    ),
    Broken(
        "CYPHER 25 prefix",
        "CYPHER 25 MATCH (a:Actor) RETURN a.id AS id",
        "query option 'CYPHER 25'",
        1, 1,
    ),
    Broken(
        "APOC function",
        "MATCH (a:Actor) RETURN apoc.text.clean(a.name) AS name",
        "Function apoc.text.clean is not present in the database",
        1, 24,
    ),
    Broken(
        "procedure call",
        "CALL db.labels() YIELD label RETURN label",
        "Procedure db.labels is not present in the database",
        1, 6,
    ),
    Broken(
        "deprecated id() (a warning)",
        "MATCH (a:Actor) RETURN id(a) AS id",
        "deprecated function",
        1, 24,
    ),
    Broken(
        "undefined variable",
        "MATCH (a:Actor) RETURN b.id AS id",
        "Variable `b` not defined",
        1, 24,
    ),
    Broken(
        "two statements in one file",
        "MATCH (a:Actor) RETURN a.id AS id;\nMATCH (b:Actor) RETURN b.id AS id",
        "2 statements in one file",
        2, 1,
    ),
]


@pytest.mark.parametrize("broken", BROKEN, ids=[b.name for b in BROKEN])
def test_lint_catches(linter, broken):
    diagnostics = linter.lint({broken.name: broken.text})[broken.name]
    found = [d for d in diagnostics if broken.fragment in d["message"]]
    assert found, f"expected {broken.fragment!r} for {broken.text!r}, got:\n{_show(diagnostics)}"
    assert (found[0]["line"], found[0]["column"]) == (broken.line, broken.column), _show(found)


def _with_one_broken() -> dict[str, str]:
    """The real statements and a copy of one with a misspelt property."""
    statements = real_statements()
    statements["upsert_actors_copy"] = statements["upsert_actors"].replace(
        "o.name = row.name", "o.nmae = row.name"
    )
    return statements


def _known_statements() -> dict[str, str]:
    """Every statement this module lints, to lint them in one go."""
    return {**_with_one_broken(), **{b.name: b.text for b in BROKEN}}


def test_lint_reports_exactly_the_broken_statement(linter):
    statements = _with_one_broken()
    assert statements["upsert_actors_copy"] != statements["upsert_actors"]
    result = linter.lint(statements)
    assert set(result) == set(statements)
    assert {name for name, found in result.items() if found} == {"upsert_actors_copy"}
    assert [(d["line"], d["column"], d["message"]) for d in result["upsert_actors_copy"]] == [
        (5, 7, "Property key nmae is not declared in the schema (graphsvc.model)")
    ]


def test_linter_rejects_a_malformed_request():
    proc = subprocess.run(
        [Linter._check_installed(), str(LINTER / "lint.cjs")],
        input=json.dumps({"schema": {"labels": "Actor"}, "statements": ["MATCH (n) RETURN n"]}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert '"schema.labels" must be a list of strings' in proc.stderr
    assert '"statements" must be an object of names to statement texts' in proc.stderr


# --- every statement runs on LadybugDB and is used -------------------------------------


class _RecordingTransaction:
    def __init__(self, tx, ran: set[str]):
        self._tx, self._ran = tx, ran

    def run(self, name, params=None):
        rows = self._tx.run(name, params)
        self._ran.add(name)
        return rows

    def unwind(self, name, rows, types):
        out = self._tx.unwind(name, rows, types)
        self._ran.add(name)
        return out


class RecordingBackend(Backend):
    """Passes everything to ``backend`` and records the name of every statement that ran
    without an error."""

    def __init__(self, backend):
        self._backend = backend
        self.name = backend.name
        self.ran: set[str] = set()

    def create_schema(self) -> None:
        self._backend.create_schema()

    def read(self, name, params=None):
        rows = self._backend.read(name, params)
        self.ran.add(name)
        return rows

    @contextmanager
    def transaction(self) -> Iterator[_RecordingTransaction]:
        with self._backend.transaction() as tx:
            yield _RecordingTransaction(tx, self.ran)

    def close(self) -> None:
        self._backend.close()


def _first_write() -> Records:
    aarhus = next(m for m in municipalities() if m.code == "751")
    return Records(
        municipalities=[aarhus.model_copy(update={"population": 360000, "population_year": 2024})],
        actors=[
            Actor(id="a1", name="Aarhus Børneteater", size="small", art_forms=["teater"],
                  municipality_code="751", staff=2),
            Actor(id="a2", name="Herning Kammerkor", kind="kor", municipality_code="657"),
            Actor(id="a3", name="Uden Adresse"),
        ],
        institutions=[
            Institution(id="i1", name="Kunstmuseum", size="large", municipality_code="751",
                        extra={"note": "æøå"}),
            Institution(id="i2", name="Holstebro Musikskole", municipality_code="661"),
        ],
        projects=[
            Project(id="p1", title="Børneteater på tværs", start_year=2023, budget_dkk=250000.0,
                    themes=["børn"], municipality_codes=["751", "657"]),
            Project(id="p2", title="Kor i Vestjylland", municipality_codes=["661"]),
        ],
        networks=[Network(id="n1", name="Scenekunstnetværket", theme="børn")],
        events=[Event(id="e1", name="Kulturmødet", year=2024, municipality_code="751")],
        participations=[
            Participation(org_id="a1", project_id="p1", role="lead"),
            Participation(org_id="a2", project_id="p1"),
            Participation(org_id="i1", project_id="p1"),
            Participation(org_id="i2", project_id="p2", role="lead"),
        ],
        collaborations=[
            Collaboration(source_id="a1", target_id="a2", since=2020, source="survey"),
            Collaboration(source_id="a1", target_id="i1"),
            Collaboration(source_id="i2", target_id="a2", since=2022),
            Collaboration(source_id="i1", target_id="i2", source="grant list"),
        ],
        memberships=[Membership(org_id="a1", network_id="n1"), Membership(org_id="i1", network_id="n1")],
        attendances=[Attendance(org_id="a2", event_id="e1"), Attendance(org_id="i2", event_id="e1")],
    )


def _moves() -> Records:
    """a1 and i1 leave Aarhus; p1 moves from Aarhus and Herning to Holstebro; e1 to Herning."""
    first = _first_write()
    return Records(
        actors=[first.actors[0].model_copy(update={"municipality_code": "657"})],
        institutions=[first.institutions[0].model_copy(update={"municipality_code": "706"})],
        projects=[first.projects[0].model_copy(update={"municipality_codes": ["661"]})],
        events=[first.events[0].model_copy(update={"municipality_code": "657"})],
    )


COUNTS_AFTER_FIRST_WRITE = {
    "Municipality": 99, "Actor": 3, "Institution": 2, "Project": 2, "Network": 1, "Event": 1,
    "LOCATED_IN": 4,  # a3 has no municipality
    "PARTICIPATES_IN": 4,
    "TAKES_PLACE_IN": 4,  # p1 in 751 and 657, p2 in 661, e1 in 751
    "MEMBER_OF": 2, "ATTENDS": 2, "COLLABORATES_WITH": 4,
}


def test_every_statement_runs_on_ladybug_and_is_used():
    store = open_store(Settings(in_memory=True))
    backend = store.backend = RecordingBackend(store.backend)
    try:
        store.initialise()  # again: finds all 99 municipalities, adds none
        assert store.counts()["Municipality"] == 99

        store.write(_first_write())
        assert store.counts() == COUNTS_AFTER_FIRST_WRITE

        store.write(_moves())
        # without the stale deletes: LOCATED_IN 6, TAKES_PLACE_IN 6 (p1 3, p2 1, e1 2)
        assert store.counts() == COUNTS_AFTER_FIRST_WRITE | {"LOCATED_IN": 4, "TAKES_PLACE_IN": 3}

        aarhus = next(m for m in store.list_municipalities() if m["code"] == "751")
        assert (aarhus["name"], aarhus["population"], aarhus["population_year"]) == ("Aarhus", 360000, 2024)
        orgs = {o["id"]: o for o in store.list_organisations()}
        assert {(i, o["label"], o["municipality_code"]) for i, o in orgs.items()} == {
            ("a1", "Actor", "657"), ("a2", "Actor", "657"), ("a3", "Actor", None),
            ("i1", "Institution", "706"), ("i2", "Institution", "661"),
        }
        assert orgs["i1"]["extra"] == {"note": "æøå"}
        assert orgs["a1"]["art_forms"] == ["teater"] and orgs["a1"]["staff"] == 2
        assert [(p["id"], p["municipality_codes"]) for p in store.list_projects()] == [
            ("p1", ["661"]), ("p2", ["661"]),
        ]
        assert [(n["id"], n["theme"]) for n in store.list_networks()] == [("n1", "børn")]
        assert [(e["id"], e["municipality_code"], e["year"]) for e in store.list_events()] == [
            ("e1", "657", 2024),
        ]
        assert sorted((r["org_id"], r["project_id"], r["role"]) for r in store.list_participations()) == [
            ("a1", "p1", "lead"), ("a2", "p1", "partner"), ("i1", "p1", "partner"), ("i2", "p2", "lead"),
        ]
        assert sorted(
            (r["source_id"], r["target_id"], r["since"], r["source"]) for r in store.list_collaborations()
        ) == [
            ("a1", "a2", 2020, "survey"), ("a1", "i1", None, None),
            ("i1", "i2", None, "grant list"), ("i2", "a2", 2022, None),
        ]
        assert sorted((r["org_id"], r["network_id"]) for r in store.list_memberships()) == [
            ("a1", "n1"), ("i1", "n1"),
        ]
        assert sorted((r["org_id"], r["event_id"]) for r in store.list_attendances()) == [
            ("a2", "e1"), ("i2", "e1"),
        ]

        # and any list_* added later, so that its statement counts as used
        for method in sorted(m for m in dir(store) if m.startswith("list_")):
            assert isinstance(getattr(store, method)(), list), method

        a1 = store.get_organisation("a1")
        assert (a1["label"], a1["name"], a1["municipality_code"]) == ("Actor", "Aarhus Børneteater", "657")
        assert [(n["id"], n["via"], n["via_id"]) for n in a1["neighbours"]] == [
            ("a2", "collaboration", ""), ("a2", "project", "p1"),
            ("i1", "collaboration", ""), ("i1", "project", "p1"),
        ]
        assert store.get_organisation("i2")["label"] == "Institution"

        store.delete("a2")  # and its 1 location, 1 participation, 2 collaborations, 1 attendance
        assert store.counts() == COUNTS_AFTER_FIRST_WRITE | {
            "Actor": 2, "LOCATED_IN": 3, "TAKES_PLACE_IN": 3, "PARTICIPATES_IN": 3,
            "COLLABORATES_WITH": 2, "ATTENDS": 1,
        }
        with pytest.raises(NotFound):  # a project is not an organisation: it stays
            store.delete_organisation("p1")
        assert store.counts()["Project"] == COUNTS_AFTER_FIRST_WRITE["Project"]

        # decisions: stored, listed, undone (tests/service/test_curation.py has the rest)
        before = store.counts()
        merge = store.merge_organisations("a3", "a1")
        assert [(d["kind"], d["name"], d["target"], d["value"]) for d in store.list_decisions()] == [
            ("merge", "Uden Adresse", "a1", "a3")]
        store.delete_decision(merge["id"])
        assert store.list_decisions() == [] and store.counts() == before
    finally:
        store.close()

    unused = set(queries.names()) - backend.ran
    assert not unused, f"statements in queries/ that no code ran: {sorted(unused)}"
    assert backend.ran == set(queries.names())


# --- the catalog -----------------------------------------------------------------------


def test_unknown_query_name_lists_the_names():
    with pytest.raises(KeyError) as e:
        queries.load("nope")
    message = str(e.value)
    assert "no query named 'nope'" in message
    assert all(name in message for name in queries.names())


def test_statements_use_only_rows_and_id():
    used = {
        name: set(re.findall(r"\$`?(\w+)", queries.load(name))) for name in queries.names()
    }
    assert {name: params for name, params in used.items() if params - set(PARAMETERS)} == {}
    assert set().union(*used.values()) == set(PARAMETERS)


# `{0}`, `{}`, `{label}` (str.format), `%s`, `%(name)s`, `%d` (printf), `${x}`
_PLACEHOLDER = re.compile(r"\{\s*\w*\s*\}|%(\(\w+\))?[sdrf]\b|\$\{")


def test_statements_have_no_formatting_placeholders():
    found = {
        name: [m.group(0) for m in _PLACEHOLDER.finditer(queries.load(name))]
        for name in queries.names()
        if _PLACEHOLDER.search(queries.load(name))
    }
    assert found == {}
    for example in ("MATCH (n:{label})", "WHERE n.id = '%s'", "{0}", "RETURN %(id)s"):
        assert _PLACEHOLDER.search(example), example
