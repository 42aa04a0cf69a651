"""Tables out: CSV and XLSX, UTF-8, æøå intact, data never turned into formulas.

Cells that hold lists are joined with "; ", pairs with "–". A text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by a
spreadsheet: in CSV it is prefixed with an apostrophe, in XLSX it is stored as text.

Every CSV writer of the project writes its lines with ``csv_line``: a spreadsheet that
splits on the other separator (Danish Excel splits a "," file on ";") must not find a
formula either, so a cell holding either separator, a quote or a line break is quoted,
and a formula start after a separator inside a text gets the apostrophe too.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["write_csv", "write_xlsx", "cell_text", "csv_text", "csv_line"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# a separator (and spaces) followed by a formula start, inside a text
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;] *)(?=[=+\-@\t\r])")
_NEEDS_QUOTES = re.compile(r'[,;"\r\n]')


def csv_text(text: str) -> str:
    """``text`` as no spreadsheet runs it: an apostrophe before a formula start at the
    beginning and after every separator, whichever separator the spreadsheet splits on.

    >>> print(csv_text("Kor;=cmd|' /C calc'!A0"))
    Kor;'=cmd|' /C calc'!A0
    >>> print(csv_text("=1+2, -3"))
    '=1+2, '-3
    """
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)


def csv_line(cells: list[str], sep: str) -> str:
    """One CSV line of cells already written as text (texts through ``csv_text``): a cell
    holding ``,``, ``;``, a quote or a line break is quoted, whatever ``sep`` is.

    >>> print(csv_line(["Kor;'=x", "0,5", 'say "hi" now', "c"], ",").rstrip())
    "Kor;'=x","0,5","say ""hi"" now",c
    """
    return sep.join(
        '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell for cell in cells
    ) + "\r\n"


def cell_text(value: Any) -> Any:
    """A cell's value as a spreadsheet holds it: lists joined, pairs with a dash,
    missing as empty."""
    if isinstance(value, (list, set)):
        return "; ".join(str(cell_text(v)) for v in value)
    if isinstance(value, tuple):
        return "–".join(str(cell_text(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell_text(v)}" for k, v in value.items())
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    frame = df.reset_index() if any(n is not None for n in df.index.names) else df.copy()
    for column in frame.columns:
        if _texty(frame[column]):
            frame[column] = frame[column].map(cell_text)
    return frame


def _texty(column: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column))


def _csv_cell(value: Any) -> str:
    value = cell_text(value)
    if value is None:
        return ""
    return csv_text(value) if isinstance(value, str) else str(value)


def _extra_path(path: Path, name: str) -> Path:
    safe = re.sub(r"[^\w-]+", "_", name).strip("_") or "table"
    return path.with_name(f"{path.stem}-{safe}{path.suffix or '.csv'}")


def write_csv(tables: dict[str, pd.DataFrame], path: Path | str) -> list[Path]:
    """Write the first table to ``path`` and each further one beside it as
    ``<stem>-<name>.csv``; UTF-8 with a byte-order mark so spreadsheets read æøå right.
    Returns the files written."""
    path = Path(path)
    written = []
    for k, (name, df) in enumerate(tables.items()):
        target = path if k == 0 else _extra_path(path, name)
        frame = _flat(df)
        lines = [csv_line([csv_text(str(c)) for c in frame.columns], ",")]
        lines += [csv_line([_csv_cell(v) for v in row], ",") for row in frame.itertuples(index=False, name=None)]
        target.write_text("".join(lines), encoding="utf-8-sig", newline="")
        written.append(target)
    return written


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    candidate, k = clean, 2
    while candidate in used:
        suffix = f" ({k})"
        candidate, k = clean[: 31 - len(suffix)] + suffix, k + 1
    used.add(candidate)
    return candidate


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path | str) -> Path:
    """Write every table to one workbook, a sheet per table, header row frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, df in tables.items():
        ws = wb.create_sheet(_sheet_name(name, used))
        frame = _flat(df)
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([cell_text(v) for v in row])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                    cell.data_type = "s"  # text, never a formula
        ws.freeze_panes = "A2"
        for k, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200) if v is not None])
            ws.column_dimensions[get_column_letter(k)].width = min(max(width + 2, 8), 60)
    if not tables:
        wb.create_sheet("empty")
    wb.save(path)
    return path
