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

Limits (``ReadLimits``, from the loaders' settings; docs/loading.md, "Limits"): the file's
size is checked before it is read; a workbook's parts — their number, their unpacked
sizes as the archive declares them, and their compression ratios — before it is opened;
sheets, rows, columns and cell length while the rows are read (openpyxl in read-only
mode streams a sheet row by row). Reading stops at the first limit passed, with an
``InputError`` naming the limit and its setting.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from graphsvc.errors import InputError

__all__ = ["Table", "ReadLimits", "read_tables", "decode", "detect_delimiter", "ENCODINGS", "DELIMITERS"]

MB = 1_000_000
_RATIO_FLOOR = MB  # parts smaller than this unpacked are not held to the compression ratio


@dataclass(frozen=True)
class ReadLimits:
    """The most a file may hold; each is a setting of the loaders (``LoaderSettings``)."""

    max_file_mb: float = 100.0
    max_unpacked_mb: float = 500.0
    max_compression_ratio: float = 200.0
    max_sheets: int = 100
    max_rows: int = 500_000
    max_columns: int = 500
    max_cell_chars: int = 32_767

    @classmethod
    def from_settings(cls, settings: Any) -> ReadLimits:
        return cls(**{f: getattr(settings, f) for f in cls.__dataclass_fields__})


def _too_much(where: str, what: str, hvad: str, setting: str, limit: Any, action: str) -> InputError:
    """The error for a limit passed, in English and Danish, naming the setting."""
    env = f"GRAPHSVC_LOADERS__{setting.upper()}"
    shown = f"{limit:g}" if isinstance(limit, float) else f"{limit:,}"
    return InputError(
        f"{where}: {what} (limit {setting} = {shown}, {env}); {action}. "
        f"[da] {hvad} (grænse {setting} = {_danish(shown)})."
    )


def _danish(text: str) -> str:
    """Thousands with '.' and decimals with ',' as Danish writes them."""
    return text.translate(str.maketrans({",": ".", ".": ","}))


def _check_size(path: Path, name: str, limits: ReadLimits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise _too_much(
            name, f"the file is {size / MB:,.1f} MB, more than {limits.max_file_mb:g} MB",
            f"filen fylder {_danish(f'{size / MB:,.1f}')} MB, mere end {_danish(f'{limits.max_file_mb:g}')} MB",
            "max_file_mb", limits.max_file_mb, "split it into smaller files, or raise the limit",
        )


def _check_row(where: str, number: int, cells: Any, limits: ReadLimits) -> None:
    """Row ``number`` (1-based) against the limits on rows, columns and cell length."""
    if number > limits.max_rows:
        raise _too_much(
            where, f"more than {limits.max_rows:,} rows (row {number:,} reached)",
            f"mere end {_danish(f'{limits.max_rows:,}')} rækker", "max_rows", limits.max_rows,
            "split it into smaller files, or raise the limit",
        )
    if len(cells) > limits.max_columns:
        raise _too_much(
            where, f"row {number:,} has {len(cells):,} columns, more than {limits.max_columns:,}",
            f"række {_danish(f'{number:,}')} har {_danish(f'{len(cells):,}')} kolonner", "max_columns", limits.max_columns,
            "delete the empty columns at the right (or the stray cell far out), or raise the limit",
        )
    for column, cell in enumerate(cells, start=1):
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            raise _too_much(
                where, f"row {number:,}, column {column:,} holds {len(cell):,} characters, "
                f"more than {limits.max_cell_chars:,}",
                f"række {_danish(f'{number:,}')}, kolonne {_danish(f'{column:,}')} har {_danish(f'{len(cell):,}')} tegn", "max_cell_chars",
                limits.max_cell_chars, "shorten the text, or raise the limit",
            )

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


def _check_csv(text: str, name: str, delimiter: str, offset: int, limits: ReadLimits) -> None:
    """Stream the records once against the limits, before pandas builds the table."""
    if len(text) <= min(limits.max_rows, limits.max_columns, limits.max_cell_chars):
        return  # too few characters to pass any limit
    if limits.max_cell_chars >= csv.field_size_limit():
        csv.field_size_limit(limits.max_cell_chars + 1)
    records = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"')
    number = offset
    try:
        for number, cells in enumerate(records, start=1 + offset):
            _check_row(name, number, cells, limits)
    except csv.Error as e:
        if "field larger" in str(e):
            raise _too_much(
                name, f"row {number + 1:,} holds a cell of more than {limits.max_cell_chars:,} characters",
                f"række {_danish(f'{number + 1:,}')} har en celle med over {_danish(f'{limits.max_cell_chars:,}')} tegn",
                "max_cell_chars", limits.max_cell_chars, "shorten the text, or raise the limit",
            ) from e
        # anything else: pandas reads it and says what is wrong


def _read_csv(path: Path, name: str, encoding: str | None, delimiter: str | None,
              limits: ReadLimits) -> Table:
    try:
        _check_size(path, name, limits)
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
    _check_csv(text, name, delimiter, offset, limits)
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


def _check_archive(path: Path, name: str, limits: ReadLimits) -> None:
    """A workbook's parts as its archive declares them, before anything is unpacked.
    (Python's zipfile never unpacks more than a part's declared size.)"""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise InputError(
            f"{name}: not a readable Excel workbook ({type(e).__name__}: {e}); "
            "open it in Excel and save it again as .xlsx, or export the sheet as CSV"
        ) from e
    sheets = sum(1 for p in parts if p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml"))
    if sheets > limits.max_sheets:
        raise _too_much(
            name, f"the workbook has {sheets:,} sheets, more than {limits.max_sheets:,}",
            f"projektmappen har {_danish(f'{sheets:,}')} ark", "max_sheets", limits.max_sheets,
            "keep the sheets to import in a workbook of their own, or raise the limit",
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.max_unpacked_mb * MB:
        raise _too_much(
            name, f"the workbook unpacks to {unpacked / MB:,.0f} MB, more than {limits.max_unpacked_mb:g} MB",
            f"projektmappen fylder {_danish(f'{unpacked / MB:,.0f}')} MB udpakket", "max_unpacked_mb",
            limits.max_unpacked_mb, "save the sheets as CSV files, or raise the limit",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise _too_much(
                name, f"part {part.filename} unpacks {ratio:,.0f} times larger than it is packed, "
                f"more than {limits.max_compression_ratio:g} (a zip bomb, or a damaged workbook)",
                f"delen {part.filename} pakkes {_danish(f'{ratio:,.0f}')} gange ud", "max_compression_ratio",
                limits.max_compression_ratio, "open it in Excel and save it again, or export the sheet as CSV",
            )


def _parsed_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of each row the sheet's XML holds, skipping absent rows
    without producing them: a lone cell in row 1,048,576 costs one row, not a million.
    (openpyxl's read-only ``iter_rows`` fills the gaps; its parser is used directly.)"""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            yield number, sheet._get_row(cells, values_only=True)


def _sheet_rows(sheet: Any, where: str, limits: ReadLimits) -> list[list[Any]]:
    """The cells of a read-only sheet, row by row, against the limits. Trailing empty
    cells and rows are dropped; the rows are padded to one width."""
    rows: list[list[Any]] = []
    last = 0
    for number, values in _parsed_rows(sheet):
        _check_row(where, number, values, limits)
        cells = [_xlsx_cell(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        rows.extend([] for _ in range(number - len(rows) - 1))
        rows.append(cells)
        if cells:
            last = number
    rows = rows[:last]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_xlsx(path: Path, name: str, sheets: list[str] | None, limits: ReadLimits) -> list[Table]:
    from openpyxl import load_workbook

    _check_size(path, name, limits)
    _check_archive(path, name, limits)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
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
    try:
        names = list(workbook.sheetnames)
        if sheets:
            missing = [s for s in sheets if s not in names]
            if missing:
                raise InputError(
                    f"sheet {missing[0]!r} not found in {name} (sheets: {', '.join(names)}); "
                    "pass --sheet with one of those names"
                )
            names = [s for s in names if s in sheets]
        tables = []
        for sheet in names:
            worksheet = workbook[sheet]
            if not hasattr(worksheet, "iter_rows"):  # a chart sheet holds no cells
                continue
            where = f"{name}, sheet {sheet!r}"
            try:
                rows = _sheet_rows(worksheet, where, limits)
            except InputError:
                raise
            except Exception as e:
                if type(e).__module__.startswith(("openpyxl", "xml", "zipfile")) or isinstance(e, (ValueError, KeyError, EOFError)):
                    raise InputError(
                        f"{where}: cannot be read ({type(e).__name__}: {e}); open it in Excel and "
                        "save it again as .xlsx, or export the sheet as CSV"
                    ) from e
                raise
            tables.append(Table(name, path, str(sheet), rows, list(range(1, len(rows) + 1)), "xlsx"))
        return tables
    finally:
        workbook.close()


def _xlsx_cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float, bool)):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str) and value.startswith("#") and value in _EXCEL_ERRORS:
        return ""  # an error value of a formula: no data
    return value


_EXCEL_ERRORS = frozenset(("#N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#GETTING_DATA"))


def _objects_table(path: Path, name: str, sheet: str | None, items: list[Any], fmt: str, numbers: list[int],
                   limits: ReadLimits) -> Table:
    bad = next((i for i, item in enumerate(items) if not isinstance(item, dict)), None)
    if bad is not None:
        raise InputError(
            f"{name}: item {numbers[bad]}{' of ' + repr(sheet) if sheet else ''} is not an object "
            f"({json.dumps(items[bad], ensure_ascii=False)[:60]}); write each row as {{\"column\": value}}"
        )
    where = f"{name}, {sheet!r}" if sheet else name
    keys: list[str] = []
    seen: set[str] = set()
    for number, item in zip(numbers, items):
        _check_row(where, number, list(item.values()), limits)
        for k in item:
            if k not in seen:
                seen.add(k)
                keys.append(k)
                if len(keys) > limits.max_columns:
                    _check_row(where, number, keys, limits)
    rows: list[list[Any]] = [list(keys)] + [[item.get(k, "") for k in keys] for item in items]
    return Table(name, path, sheet, rows, [0, *numbers], fmt, keyed=True)


def _no_lone_surrogates(value: Any, name: str, where: str) -> Any:
    """``value`` unchanged, or an error when a text in it holds half of a UTF-16 pair
    (a ``\\ud800`` escape alone), which no UTF-8 text can hold."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.isascii() or item.encode("utf-8")
            except UnicodeEncodeError as e:
                raise InputError(
                    f"{name}: {where}holds a lone surrogate escape (\\ud800–\\udfff), which is not a "
                    "character; save the file as UTF-8 again from the program that made it"
                ) from e
        elif isinstance(item, dict):
            stack += item.keys()
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return value


def _json_value(text: str, name: str, where: str) -> Any:
    try:
        return _no_lone_surrogates(json.loads(text), name, where)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{name}: {where}not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); "
            "correct it, or save one object per line as .jsonl"
        ) from e
    except RecursionError as e:
        raise InputError(
            f"{name}: {where}nested too deeply to be read; write each row as a flat object "
            '{"column": value}'
        ) from e
    except ValueError as e:  # a number of more than 4,300 digits
        raise InputError(f"{name}: {where}holds a number of more than 4,300 digits; write it as text") from e


def _read_json(path: Path, name: str, limits: ReadLimits) -> list[Table]:
    _check_size(path, name, limits)
    text, _ = decode(path.read_bytes(), name, None)
    if not text.strip():
        return [Table(name, path, None, [], [], "json")]
    content = _json_value(text, name, "")
    if isinstance(content, list):
        return [_objects_table(path, name, None, content, "json", list(range(1, len(content) + 1)), limits)]
    if isinstance(content, dict) and content and all(isinstance(v, list) for v in content.values()):
        if len(content) > limits.max_sheets:
            raise _too_much(
                name, f"{len(content):,} lists, more than {limits.max_sheets:,}", f"{len(content):,} lister",
                "max_sheets", limits.max_sheets, "split it into several files, or raise the limit",
            )
        return [
            _objects_table(path, name, str(key), items, "json", list(range(1, len(items) + 1)), limits)
            for key, items in content.items()
        ]
    raise InputError(
        f"{name}: expected a list of objects, or an object whose values are such lists "
        '(e.g. {"actors": [...], "projects": [...]})'
    )


def _read_jsonl(path: Path, name: str, limits: ReadLimits) -> Table:
    _check_size(path, name, limits)
    text, _ = decode(path.read_bytes(), name, None)
    items, numbers = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(items) >= limits.max_rows:
            _check_row(name, len(items) + 1, [], limits)
        try:
            items.append(_no_lone_surrogates(json.loads(line), name, f"line {number} "))
        except json.JSONDecodeError as e:
            raise InputError(f"{name}: line {number} is not valid JSON ({e.msg}); write one object per line") from e
        except RecursionError as e:
            raise InputError(f"{name}: line {number} is nested too deeply; write one flat object per line") from e
        except ValueError as e:  # a number of more than 4,300 digits
            raise InputError(f"{name}: line {number} holds a number of more than 4,300 digits; write it as text") from e
        numbers.append(number)
    return _objects_table(path, name, None, items, "jsonl", numbers, limits)


def read_tables(
    path: Path,
    *,
    name: str | None = None,
    sheets: list[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    limits: ReadLimits | None = None,
) -> list[Table]:
    """The tables in the file at ``path`` (``name`` is what reports call it), within
    ``limits`` (default: ``ReadLimits()``)."""
    name = name or path.name
    limits = limits or ReadLimits()
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if path.is_dir():
        raise InputError(f"{name}: is a folder; pass the files in it")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name, sheets, limits)
    if suffix == ".xls":
        raise InputError(f"{name}: the old .xls format is not read; save it from Excel as .xlsx or CSV")
    if sheets and suffix not in (".json",):
        raise InputError(f"{name}: only workbooks (.xlsx) have sheets; leave --sheet out for this file")
    if suffix == ".json":
        tables = _read_json(path, name, limits)
        if sheets:
            keys = [t.sheet for t in tables]
            missing = [s for s in sheets if s not in keys]
            if missing:
                raise InputError(f"{missing[0]!r} not found in {name} (keys: {', '.join(map(str, keys))})")
            tables = [t for t in tables if t.sheet in sheets]
        return tables
    if suffix in (".jsonl", ".ndjson"):
        return [_read_jsonl(path, name, limits)]
    if suffix in (".csv", ".txt", ".tsv", ""):
        return [_read_csv(path, name, encoding, "\t" if suffix == ".tsv" and not delimiter else delimiter, limits)]
    raise InputError(
        f"{name}: {suffix} files are not read; use CSV, XLSX, JSON or JSON Lines (.jsonl)"
    )
