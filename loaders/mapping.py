"""The mapping file: what the headers cannot say by themselves.

A TOML or JSON file (or the same as a dict through the Python API)::

    kind = "grant"                        # what every table holds, unless said below
    [columns]                             # header -> field, for every table
    "Ansøger" = "lead"
    "Bemærkninger" = "ignore"             # leave this column out (reported)

    [sheets."Ark2"]                       # one sheet of a workbook (or one JSON key)
    kind = "collaboration"
    columns = { "Forening" = "name", "Samarbejder med" = "partner" }

    [files."medlemmer.csv"]               # one file, by its name
    kind = "membership"

    [read]
    encoding = "cp1252"                   # instead of detecting it
    delimiter = ";"

    [resolve]
    fuzzy_threshold = 95                  # 0–100; see docs/loading.md
    same = [["Handelseskolen Silkeborg", "Handelsskolen Silkeborg"]]   # one organisation
    distinct = [["Erhverv Silkeborg", "Erhverv Silkebjerg"]]           # never merged
    not_organisations = ["Diverse private"]                           # left out
    merged = { "org-heart" = "org-heart-herning-museum-657" }          # an id merged into another

    [partners]
    keep_together = ["Erhvervsrådet Herning og Ikast-Brande"]          # one name, not two
    organisations = ["Tobias Lau"]                                     # an organisation, not a person

    [corrections."org-heart-herning-museum-657"]                        # set by hand, kept by every import
    municipality_code = "657"
    size = "large"

The decisions stored in the graph (``graphsvc decisions``) are the same things; they are
added to the mapping of every import, and ``decisions_to_toml`` writes them as this file.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graphsvc.errors import InputError
from loaders.columns import FIELDS, KINDS

__all__ = ["Mapping", "TableSpec", "load_mapping", "decisions_to_toml"]


def _check_kind(value: str | None) -> str | None:
    if value is not None and value not in KINDS:
        raise ValueError(f"kind {value!r} is not one of {', '.join(KINDS)}")
    return value


def _check_columns(value: dict[str, str]) -> dict[str, str]:
    bad = {k: v for k, v in value.items() if v not in FIELDS}
    if bad:
        header, target = next(iter(bad.items()))
        raise ValueError(
            f"column {header!r} is mapped to {target!r}, which is not a field; fields: {', '.join(FIELDS)}"
        )
    return value


class TableSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(default=None, description="What the table holds.")
    columns: dict[str, str] = Field(default_factory=dict, description="Header -> field.")

    _kind = field_validator("kind")(_check_kind)
    _columns = field_validator("columns")(_check_columns)


class ReadSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    encoding: str | None = None
    delimiter: str | None = None


class ResolveSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fuzzy_threshold: float | None = Field(default=None, ge=0, le=100)
    same: list[tuple[str, str]] = Field(default_factory=list)
    distinct: list[tuple[str, str]] = Field(default_factory=list)
    not_organisations: list[str] = Field(default_factory=list)
    merged: dict[str, str] = Field(default_factory=dict)  # merged id -> surviving id


class PartnerSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keep_together: list[str] = Field(default_factory=list)
    organisations: list[str] = Field(default_factory=list)  # organisations, though they read as persons' names


class Mapping(BaseModel):
    """Everything a mapping file can say; every part is optional."""

    model_config = ConfigDict(extra="forbid")
    kind: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    sheets: dict[str, TableSpec] = Field(default_factory=dict)
    files: dict[str, TableSpec] = Field(default_factory=dict)
    read: ReadSpec = Field(default_factory=ReadSpec)
    resolve: ResolveSpec = Field(default_factory=ResolveSpec)
    partners: PartnerSpec = Field(default_factory=PartnerSpec)
    corrections: dict[str, dict[str, str | list[str]]] = Field(default_factory=dict)  # id -> field -> value

    _kind = field_validator("kind")(_check_kind)
    _columns = field_validator("columns")(_check_columns)

    def spec_for(self, file: str, sheet: str | None, kind: str | None) -> tuple[str | None, dict[str, str]]:
        """The kind and column map for one table: the call's ``kind`` first, then the
        sheet's, the file's and the mapping's own."""
        sheet_spec = self.sheets.get(sheet) if sheet is not None else None
        file_spec = self.files.get(file)
        columns = dict(self.columns)
        for spec in (file_spec, sheet_spec):
            if spec:
                columns.update(spec.columns)
        chosen = kind or (sheet_spec and sheet_spec.kind) or (file_spec and file_spec.kind) or self.kind
        return chosen, columns


def load_mapping(source: Mapping | dict[str, Any] | str | Path | None) -> Mapping:
    """A ``Mapping`` from a file (TOML or JSON), a dict, or nothing."""
    if source is None:
        return Mapping()
    if isinstance(source, Mapping):
        return source
    name = "the mapping"
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = path.name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as e:
            raise InputError(f"mapping file {path} not found; pass the path of a .toml or .json file") from e
        except UnicodeDecodeError as e:
            raise InputError(f"mapping file {name} is not UTF-8; save it as UTF-8") from e
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as e:
            raise InputError(f"mapping file {name} cannot be read: {e}; see docs/loading.md for the format") from e
    else:
        data = source
    try:
        return Mapping.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{name}: {where}: {err['msg']}; see docs/loading.md for the format") from e


def _toml(value: Any) -> str:
    """A TOML value: strings and lists of strings (json's quoting is valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def decisions_to_toml(decisions: list[dict[str, Any]]) -> str:
    """The stored decisions (``GraphStore.list_decisions``) as a mapping file that says the
    same: ``load_mapping`` reads it back, and an import with it follows the same decisions."""
    same = [[d["name"], d["target"]] for d in decisions if d["kind"] == "same"]
    same += [[d["name"], d["target"]] for d in decisions if d["kind"] == "merge" and d.get("name")]
    distinct = [[d["name"], d["target"]] for d in decisions if d["kind"] == "distinct"]
    not_orgs = [d["name"] for d in decisions if d["kind"] == "not_organisation"]
    keep = [d["name"] for d in decisions if d["kind"] == "keep_together"]
    merged = {d["value"]: d["target"] for d in decisions if d["kind"] == "merge" and d.get("value")}
    lines = ["# decisions exported from the graph (graphsvc decisions --export)", "", "[resolve]"]
    lines.append(f"same = [{', '.join(_toml(p) for p in same)}]")
    lines.append(f"distinct = [{', '.join(_toml(p) for p in distinct)}]")
    lines.append(f"not_organisations = {_toml(not_orgs)}")
    lines.append("merged = { " + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in merged.items()) + " }")
    lines += ["", "[partners]", f"keep_together = {_toml(keep)}"]
    corrections: dict[str, dict[str, Any]] = {}
    for d in decisions:
        if d["kind"] == "correct" and d.get("target") and d.get("field"):
            value = json.loads(d["value"]) if d["field"] == "art_forms" and d.get("value") else d.get("value")
            corrections.setdefault(d["target"], {})[d["field"]] = value if value is not None else ""
    for org_id, fields in corrections.items():
        lines += ["", f"[corrections.{_toml(org_id)}]"]
        lines += [f"{k} = {_toml(v)}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"
