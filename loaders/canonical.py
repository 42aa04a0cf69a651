"""The canonical import format: the records of ``graphsvc.model`` as files.

A folder (or any set) of files named after the record kind they hold —
``actors``, ``institutions``, ``projects``, ``networks``, ``events``, ``participations``,
``collaborations``, ``memberships``, ``attendances`` (and ``municipalities``) — each as:

- CSV: UTF-8, comma-separated, a header of the record's field names; an empty cell is
  null; list fields (art_forms, target_groups, themes, municipality_codes) are joined
  with ``|``; ``extra`` is a JSON object.
- JSON: ``{"actors": [{...}, ...], ...}`` with the same fields, any kinds in one file.

This is what ``graphsvc.demo`` writes and what ``graphsvc load`` reads without help.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graphsvc.errors import InputError
from graphsvc.model import Records

__all__ = ["KINDS", "LIST_SEPARATOR", "read_canonical", "write_canonical", "kind_of"]

LIST_SEPARATOR = "|"
KINDS: tuple[str, ...] = tuple(Records.model_fields)


@cache
def _list_fields(kind: str) -> frozenset[str]:
    model = Records.model_fields[kind].annotation.__args__[0]  # list[Model] -> Model
    return frozenset(
        name
        for name, f in model.model_fields.items()
        if getattr(f.annotation, "__origin__", None) is list
    )


def kind_of(path: Path) -> str | None:
    """The record kind a file's name says it holds (``actors.csv`` -> ``actors``)."""
    stem = path.name.split(".")[0].lower()
    return stem if stem in KINDS else None


def _cell(kind: str, field: str, value: str) -> Any:
    if value == "":
        return [] if field in _list_fields(kind) else {} if field == "extra" else None
    if field in _list_fields(kind):
        return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
    if field == "extra":
        return json.loads(value)
    return value


def read_canonical(paths: list[Path]) -> Records:
    """Read canonical files into one ``Records``; any invalid row raises ``InputError``
    naming the file, row, field and value."""
    data: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    sources: dict[str, list[tuple[Path, int]]] = {kind: [] for kind in KINDS}
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.suffix.lower() == ".json":
            try:
                content = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                raise InputError(f"{path}: not valid UTF-8 JSON ({e})") from e
            if not isinstance(content, dict) or not set(content) <= set(KINDS):
                raise InputError(
                    f"{path}: expected an object whose keys are record kinds ({', '.join(KINDS)})"
                )
            for kind, rows in content.items():
                data[kind] += rows
                sources[kind] += [(path, i + 1) for i in range(len(rows))]
            continue
        kind = kind_of(path)
        if kind is None or path.suffix.lower() != ".csv":
            raise InputError(
                f"{path}: the canonical format wants <kind>.csv or .json, kind one of "
                f"{', '.join(KINDS)}; for other spreadsheets pass --kind"
            )
        with path.open(encoding="utf-8-sig", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                try:
                    data[kind].append({k: _cell(kind, k, v or "") for k, v in row.items()})
                except json.JSONDecodeError as e:
                    raise InputError(
                        f"{path}: row {line}, column 'extra': not a JSON object "
                        f"({row.get('extra')!r}); write it as {{\"key\": \"value\"}} or leave it empty"
                    ) from e
                sources[kind].append((path, line))
    for kind in ("actors", "institutions"):
        for row in data[kind]:
            if isinstance(row, dict) and row.get("municipality_code") and not row.get("municipality_source"):
                row["municipality_source"] = "column"  # the file's own municipality column
    try:
        return Records.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        kind, index, *field = err["loc"]
        path, line = sources[kind][index]
        where = f"row {line}" if path.suffix.lower() == ".csv" else f"{kind}[{index}]"
        column = field[0] if field else "?"
        raise InputError(
            f"{path}: {where}, column {column!r}: {err['msg']} (value {err.get('input')!r}); "
            "correct the value and load again"
        ) from e


def write_canonical(records: Records, folder: Path) -> list[Path]:
    """Write every non-empty kind of ``records`` as ``<folder>/<kind>.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        items = getattr(records, kind)
        if not items:
            continue
        lists = _list_fields(kind)
        path = folder / f"{kind}.csv"
        fields = sorted(type(items[0]).model_fields, key=lambda name: name == "extra")
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            for item in items:
                row = item.model_dump()
                for name in fields:
                    value = row[name]
                    if name in lists:
                        row[name] = LIST_SEPARATOR.join(value)
                    elif name == "extra":
                        row[name] = json.dumps(value, ensure_ascii=False) if value else ""
                    elif value is None:
                        row[name] = ""
                writer.writerow(row)
        written.append(path)
    return written
