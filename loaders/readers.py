"""Files into tables of cells: CSV, XLSX, JSON and JSON Lines.

CSV: the encoding is UTF-8, UTF-8 with BOM or cp1252 (what Danish Excel saves as
"CSV (semikolonsepareret)"), detected by trying them in that order; the delimiter is the
one of ``,`` ``;`` and tab that splits the first lines into the same number of cells
(Excel's ``sep=;`` first line is honoured). Both can be given instead.

XLSX: every sheet, or the ones asked for. JSON: a list of objects, an object of such lists
keyed by kind (the canonical format: each list becomes a table named after its key), or
JSON Lines (one object per line).

Every cell is kept as read (text, or numbers/lists from JSON); pandas and openpyxl errors
become ``InputError`` naming the file and sheet.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from graphsvc.errors import InputError

__all__ = ["Table", "read_tables", "decode", "detect_delimiter", "ENCODINGS", "DELIMITERS"]

ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass
class Table:
    """The cells of one CSV file, sheet or JSON list, before any header is chosen.

    ``rows[i]`` is spreadsheet row ``numbers[i]`` (1 is the first line of a CSV file or
    sheet, the first object of a JSON list). ``sheet`` is the sheet name or JSON key."""

    file: str
    path: Path
    sheet: str | None
    rows: list[list[Any]]
    numbers: list[int]
    fmt: str
    encoding: str | None = None
    delimiter: str | None = None
    keyed: bool = False  # JSON objects: the first row holds the keys
    notes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}, sheet {self.sheet!r}" if self.sheet and self.fmt == "xlsx" else self.file


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """``data`` as text and the encoding that read it (``encoding`` if given)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as e:
            raise InputError(f"{name}: unknown encoding {encoding!r}; use utf-8 or cp1252") from e
        except UnicodeDecodeError as e:
            raise InputError(
                f"{name}: not readable as {encoding} (byte {data[e.start]:#x} at position {e.start}); "
                "leave the encoding out to detect it, or save the file as UTF-8"
            ) from e
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as e:
        raise InputError(
            f"{name}: neither UTF-8 nor cp1252 (byte {data[e.start]:#x} at position {e.start}); "
            "save it from Excel as 'CSV UTF-8', or pass the encoding"
        ) from e


def detect_delimiter(sample: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the sample's records into
    the most consistent number of cells (more cells wins a tie).

    >>> detect_delimiter("navn;kommune;by\\nLemvig Kor, Harboøre;Lemvig;Lemvig\\n")
    ';'
    """
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1:
        lines = lines[:-1] if not sample.endswith(("\n", "\r")) else lines
    text = "".join(lines[:200])
    best, best_score = ",", (0, 0, 0)
    for delimiter in DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not records:
            continue
        widths = [len(r) for r in records[:50]]
        header = widths[0]
        score = (int(header > 1), sum(w == header for w in widths), header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path, name: str, encoding: str | None, delimiter: str | None) -> Table:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{name}: cannot be read ({e.strerror})") from e
    text, used = decode(data, name, encoding)
    notes = []
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter = delimiter or first.strip()[4]
        text, offset = rest, 1
    else:
        offset = 0
    if not text.strip():
        return Table(name, path, None, [], [], "csv", used, delimiter)
    if delimiter is None:
        delimiter = detect_delimiter(text[:65536])
        notes.append(f"read as {used}, {_DELIMITER_NAMES[delimiter]}-separated")
    elif delimiter not in DELIMITERS:
        raise InputError(f"{name}: delimiter {delimiter!r} is not one of comma, semicolon or tab")
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
            skip_blank_lines=False, quotechar='"', engine="c",
        )
    except pd.errors.ParserError as e:
        raise InputError(
            f"{name}: cannot be read as {_DELIMITER_NAMES[delimiter]}-separated CSV ({e}); "
            "check for a stray delimiter or an unclosed quote on that line, or pass the delimiter"
        ) from e
    except pd.errors.EmptyDataError:
        return Table(name, path, None, [], [], "csv", used, delimiter)
    rows = frame.to_numpy(dtype=object).tolist()
    numbers = list(range(1 + offset, len(rows) + 1 + offset))
    return Table(name, path, None, rows, numbers, "csv", used, delimiter, notes=notes)


def _read_xlsx(path: Path, name: str, sheets: list[str] | None) -> list[Table]:
    try:
        frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise InputError(
            f"{name}: not a readable Excel workbook ({type(e).__name__}: {e}); "
            "open it in Excel and save it again as .xlsx, or export the sheet as CSV"
        ) from e
    except Exception as e:  # openpyxl raises its own classes for damaged parts
        if type(e).__module__.startswith(("openpyxl", "xml", "zipfile")):
            raise InputError(
                f"{name}: not a readable Excel workbook ({type(e).__name__}: {e}); "
                "open it in Excel and save it again as .xlsx"
            ) from e
        raise
    if sheets:
        missing = [s for s in sheets if s not in frames]
        if missing:
            raise InputError(
                f"sheet {missing[0]!r} not found in {name} (sheets: {', '.join(frames)}); "
                "pass --sheet with one of those names"
            )
        frames = {s: frames[s] for s in sheets}
    tables = []
    for sheet, frame in frames.items():
        rows = [[_xlsx_cell(v) for v in row] for row in frame.to_numpy(dtype=object).tolist()]
        tables.append(Table(name, path, str(sheet), rows, list(range(1, len(rows) + 1)), "xlsx"))
    return tables


def _xlsx_cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float, bool)):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _objects_table(path: Path, name: str, sheet: str | None, items: list[Any], fmt: str, numbers: list[int]) -> Table:
    bad = next((i for i, item in enumerate(items) if not isinstance(item, dict)), None)
    if bad is not None:
        raise InputError(
            f"{name}: item {numbers[bad]}{' of ' + repr(sheet) if sheet else ''} is not an object "
            f"({json.dumps(items[bad], ensure_ascii=False)[:60]}); write each row as {{\"column\": value}}"
        )
    keys: list[str] = []
    for item in items:
        keys += [k for k in item if k not in keys]
    rows: list[list[Any]] = [list(keys)] + [[item.get(k, "") for k in keys] for item in items]
    return Table(name, path, sheet, rows, [0, *numbers], fmt, keyed=True)


def _read_json(path: Path, name: str) -> list[Table]:
    text, _ = decode(path.read_bytes(), name, None)
    if not text.strip():
        return [Table(name, path, None, [], [], "json")]
    try:
        content = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{name}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); "
            "correct it, or save one object per line as .jsonl"
        ) from e
    if isinstance(content, list):
        return [_objects_table(path, name, None, content, "json", list(range(1, len(content) + 1)))]
    if isinstance(content, dict) and content and all(isinstance(v, list) for v in content.values()):
        return [
            _objects_table(path, name, str(key), items, "json", list(range(1, len(items) + 1)))
            for key, items in content.items()
        ]
    raise InputError(
        f"{name}: expected a list of objects, or an object whose values are such lists "
        '(e.g. {"actors": [...], "projects": [...]})'
    )


def _read_jsonl(path: Path, name: str) -> Table:
    text, _ = decode(path.read_bytes(), name, None)
    items, numbers = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise InputError(f"{name}: line {number} is not valid JSON ({e.msg}); write one object per line") from e
        numbers.append(number)
    return _objects_table(path, name, None, items, "jsonl", numbers)


def read_tables(
    path: Path,
    *,
    name: str | None = None,
    sheets: list[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> list[Table]:
    """The tables in the file at ``path`` (``name`` is what reports call it)."""
    name = name or path.name
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if path.is_dir():
        raise InputError(f"{name}: is a folder; pass the files in it")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name, sheets)
    if suffix == ".xls":
        raise InputError(f"{name}: the old .xls format is not read; save it from Excel as .xlsx or CSV")
    if sheets and suffix not in (".json",):
        raise InputError(f"{name}: only workbooks (.xlsx) have sheets; leave --sheet out for this file")
    if suffix == ".json":
        tables = _read_json(path, name)
        if sheets:
            keys = [t.sheet for t in tables]
            missing = [s for s in sheets if s not in keys]
            if missing:
                raise InputError(f"{missing[0]!r} not found in {name} (keys: {', '.join(map(str, keys))})")
            tables = [t for t in tables if t.sheet in sheets]
        return tables
    if suffix in (".jsonl", ".ndjson"):
        return [_read_jsonl(path, name)]
    if suffix in (".csv", ".txt", ".tsv", ""):
        return [_read_csv(path, name, encoding, "\t" if suffix == ".tsv" and not delimiter else delimiter)]
    raise InputError(
        f"{name}: {suffix} files are not read; use CSV, XLSX, JSON or JSON Lines (.jsonl)"
    )
