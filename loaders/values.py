"""Typed values from spreadsheet cells, the way Danish Excel writes them.

Each parser takes the cell (text, or a number or list from JSON) and returns the value,
``None`` for an empty cell, or raises ``BadValue`` with what is wrong and what to do.
``BadValue.severity`` is ``"error"`` unless the value can still be used.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

from loaders.text import clean, fold

__all__ = [
    "BadValue",
    "is_empty",
    "text",
    "year",
    "year_of_date",
    "amount",
    "integer",
    "coordinate",
    "cvr",
    "role",
    "size",
    "boolean",
    "text_list",
    "website",
    "extra_json",
    "ROLE_WORDS",
]

YEAR_MIN, YEAR_MAX = 1900, 2100
_YEAR = re.compile(r"\d{4}")


class BadValue(ValueError):
    """A cell that cannot be used as it is."""

    def __init__(self, message: str, action: str, severity: str = "error", value: Any = None):
        super().__init__(message)
        self.message = message
        self.action = action
        self.severity = severity
        self.value = value  # the usable value when severity is "warning"


def is_empty(cell: Any) -> bool:
    if cell.__class__ is str:
        return not cell or cell.isspace()
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    if isinstance(cell, (list, tuple, dict)):
        return len(cell) == 0
    return isinstance(cell, str) and not cell.strip()


def text(cell: Any) -> str | None:
    if is_empty(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return clean(cell) or None


def _integral(raw: str) -> str:
    """'2019.0' (a number that passed through Excel or pandas) -> '2019'."""
    return raw[:-2] if raw.endswith(".0") else raw


def year(cell: Any) -> int | None:
    """A year between 1900 and 2100: '2019', 2019, '2019.0', or a date ('18.07.2007').

    >>> year("2019"), year(2019.0), year("18.07.2007"), year(None)
    (2019, 2019, 2007, None)
    """
    if is_empty(cell):
        return None
    if isinstance(cell, (datetime, date)):
        return _check_year(cell.year, cell)
    raw = _integral(clean(cell))
    if _YEAR.fullmatch(raw):
        return _check_year(int(raw), cell)
    try:
        return year_of_date(raw)
    except BadValue as e:
        if "outside" in e.message:
            raise
    raise BadValue(
        f"not a year: {raw!r}",
        f"write a four-digit year between {YEAR_MIN} and {YEAR_MAX}, or leave the cell empty",
    )


def _check_year(value: int, cell: Any) -> int:
    if YEAR_MIN <= value <= YEAR_MAX:
        return value
    raise BadValue(
        f"year {value} is outside {YEAR_MIN}–{YEAR_MAX}",
        "correct the year (four digits), or leave the cell empty",
    )


_DATE_PATTERNS = (
    re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})"),  # 18.07.2007, 18-07-2007, 7/18/2007
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?"),  # 2007-07-18, 2007-07-18 00:00:00
)


def year_of_date(cell: Any) -> int | None:
    """The year of a date cell ('18.07.2007', '2007-07-18 00:00:00', a datetime), or of a
    plain year; ``None`` when empty; ``BadValue`` when it is neither."""
    if is_empty(cell):
        return None
    if isinstance(cell, (datetime, date)):
        return _check_year(cell.year, cell)
    raw = _integral(clean(cell))
    if re.fullmatch(r"\d{4}", raw):
        return _check_year(int(raw), cell)
    first, second = _DATE_PATTERNS
    if m := first.fullmatch(raw):
        return _check_year(int(m.group(3)), cell)
    if m := second.fullmatch(raw):
        return _check_year(int(m.group(1)), cell)
    raise BadValue(
        f"not a date or year: {raw!r}",
        "write a date as dd.mm.yyyy or yyyy-mm-dd, or a four-digit year",
    )


_PLAIN = re.compile(r"\d+(?:\.\d{1,2}|\.\d{4,})?")  # 250000, 49000.0: nothing to interpret
_CURRENCY = re.compile(r"(?i)\b(?:dkk|kr\.?|kroner)|,-$|\s|\u00a0")
_MILLION = re.compile(r"(?i)\s*(?:mio\.?|mill?\.?|millioner)\s*(?:kr\.?|dkk)?\s*$")


def amount(cell: Any) -> float | None:
    """An amount of money in DKK, written the Danish or the English way.

    '15.414.794' and '1.500' are thousands with dots, '32467,02' has a decimal comma,
    '1,234,567.50' is English; 'kr.', 'DKK' and spaces are ignored; '2,5 mio.' is millions.

    >>> amount("15.414.794"), amount("32467,02"), amount("2,5 mio. kr."), amount("49000.0")
    (15414794.0, 32467.02, 2500000.0, 49000.0)
    """
    if is_empty(cell):
        return None
    if cell.__class__ is str and _PLAIN.fullmatch(cell):
        return float(cell)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        value = float(cell)
    else:
        raw = clean(cell)
        factor = 1.0
        if _MILLION.search(raw):
            raw, factor = _MILLION.sub("", raw), 1_000_000.0
        number = _CURRENCY.sub("", raw)
        value = _number(number, raw) * factor
    if value < 0 or math.isnan(value) or math.isinf(value):
        raise BadValue(f"amount {cell!r} is negative or not a number", "write the amount in DKK, e.g. 250.000")
    return value


def _number(number: str, raw: str) -> float:
    bad = BadValue(f"not an amount: {raw!r}", "write the amount in DKK as digits, e.g. 250.000 or 250000,50")
    if not re.fullmatch(r"-?[\d.,]+", number) or not re.search(r"\d", number):
        raise bad
    if "." in number and "," in number:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        number = number.replace(thousands, "").replace(decimal, ".")
    elif "," in number:
        if re.fullmatch(r"-?\d{1,3}(,\d{3}){2,}", number):
            number = number.replace(",", "")
        else:
            number = number.replace(",", ".")
    elif number.count(".") > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", number):
        if not re.fullmatch(r"-?\d{1,3}(\.\d{3})+", number):
            raise bad
        number = number.replace(".", "")
    try:
        return float(number)
    except ValueError as e:
        raise bad from e


def integer(cell: Any) -> int | None:
    """A count (staff, population): '12', '12.0', '1.200'."""
    if is_empty(cell):
        return None
    try:
        value = amount(cell)
    except BadValue as e:
        raise BadValue(f"not a whole number: {clean(cell)!r}", "write a whole number, e.g. 12") from e
    return int(round(value))


def coordinate(cell: Any, *, low: float, high: float, name: str) -> float | None:
    """A latitude or longitude in decimal degrees ('56.157' or '56,157')."""
    if is_empty(cell):
        return None
    raw = cell.strip().replace(",", ".") if isinstance(cell, str) else cell
    try:
        value = float(raw)
    except (TypeError, ValueError) as e:
        raise BadValue(f"not a {name}: {clean(cell)!r}", f"write the {name} in decimal degrees, e.g. 56.157") from e
    if not low <= value <= high:
        raise BadValue(f"{name} {value} is outside {low}–{high}", f"write the {name} in decimal degrees (WGS84)")
    return value


_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
_CVR_NOISE = re.compile(r"(?i)^dk|[\s.\-]")
_CVR = re.compile(r"\d{8}")


def cvr(cell: Any) -> str | None:
    """A CVR number: 8 digits; 'DK', spaces and dashes are ignored. A number whose
    modulus-11 check fails is kept with a warning.

    >>> cvr("DK 30 08 94 56"), cvr(30089456.0)
    ('30089456', '30089456')
    """
    if is_empty(cell):
        return None
    raw = _integral(clean(cell))
    digits = _CVR_NOISE.sub("", raw)
    if not _CVR.fullmatch(digits) or digits[0] == "0":
        raise BadValue(
            f"CVR {raw!r} is not 8 digits",
            "write the 8-digit CVR number (without spaces or letters), or leave the cell empty",
        )
    if sum(int(d) * w for d, w in zip(digits, _CVR_WEIGHTS)) % 11:
        raise BadValue(
            f"CVR {digits} fails the modulus-11 check",
            "check the number against cvr.dk; it was kept as written",
            severity="warning",
            value=digits,
        )
    return digits


ROLE_WORDS = {
    "lead": (
        "lead", "leder", "lead partner", "leadpartner", "hovedansoeger", "ansoeger",
        "projektejer", "projektleder", "koordinator", "coordinator", "applicant",
        "main applicant", "kontraktansvarlig", "tovholder", "modtager", "recipient",
        "beneficiary", "hoved",
    ),
    "partner": (
        "partner", "partnere", "deltager", "participant", "medansoeger", "co applicant",
        "samarbejdspartner", "member", "medlem",
    ),
}
_ROLES = {word: role for role, words in ROLE_WORDS.items() for word in words}


def role(cell: Any) -> str | None:
    """'lead' or 'partner' from the usual Danish and English words; empty is ``None``."""
    if is_empty(cell):
        return None
    found = _ROLES.get(fold(clean(cell)))  # a JSON list is text here, not a key
    if found is None:
        raise BadValue(
            f"role {clean(cell)!r} is neither lead nor partner",
            "write lead (leder, ansøger, projektejer) or partner (deltager), or leave it empty for partner",
        )
    return found


_SIZES = {
    "small": "small", "s": "small", "lille": "small", "smaa": "small", "mindre": "small",
    "medium": "medium", "m": "medium", "mellem": "medium", "mellemstor": "medium",
    "large": "large", "l": "large", "stor": "large", "store": "large",
}


def size(cell: Any) -> str | None:
    if is_empty(cell):
        return None
    found = _SIZES.get(fold(clean(cell)))
    if found is None:
        raise BadValue(
            f"size {clean(cell)!r} is not small, medium or large",
            "write small/lille, medium/mellem or large/stor, or leave the cell empty",
        )
    return found


_BOOLS = {"true": True, "ja": True, "yes": True, "1": True, "x": True,
          "false": False, "nej": False, "no": False, "0": False}


def boolean(cell: Any) -> bool | None:
    if is_empty(cell):
        return None
    if isinstance(cell, bool):
        return cell
    found = _BOOLS.get(fold(_integral(clean(cell))))
    if found is None:
        raise BadValue(f"not yes or no: {clean(cell)!r}", "write ja/nej (true/false), or leave it empty")
    return found


_LIST_SPLIT = re.compile(r"[|;,\n]")
_LIST_CHARS = re.compile(r"[|;,\n\r]")


def text_list(cell: Any) -> list[str]:
    """A list cell: values separated by ``|``, ``;``, ``,`` or newlines (a JSON list as is).

    >>> text_list("børn; unge |ældre, børn")
    ['børn', 'unge', 'ældre']
    """
    if is_empty(cell):
        return []
    if cell.__class__ is str and not _LIST_CHARS.search(cell):
        value = clean(cell)
        return [value] if value else []
    items = cell if isinstance(cell, (list, tuple)) else _LIST_SPLIT.split(str(cell))
    out: list[str] = []
    for item in items:
        value = clean(item) if item is not None else ""
        if value and value not in out:
            out.append(value)
    return out


_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)


def website(cell: Any) -> str | None:
    """A web address; anything but http(s) (``javascript:`` …) is refused."""
    value = text(cell)
    if value is None:
        return None
    m = _SCHEME.match(value)
    if m and m.group(1).lower() not in ("http", "https"):
        raise BadValue(
            f"web address {value!r} is not http or https",
            "write the address as https://… or www.…; it was left out",
            severity="warning",
            value=None,
        )
    return value


def extra_json(cell: Any) -> dict[str, Any]:
    """The canonical ``extra`` column: a JSON object (or a dict from JSON input)."""
    if is_empty(cell):
        return {}
    if isinstance(cell, dict):
        return cell
    try:
        value = json.loads(str(cell))
    except json.JSONDecodeError as e:
        raise BadValue(
            f"not a JSON object: {clean(cell)[:80]!r}",
            'write it as {"key": "value"} or leave it empty',
        ) from e
    if not isinstance(value, dict):
        raise BadValue(f"not a JSON object: {clean(cell)[:80]!r}", 'write it as {"key": "value"}')
    return value
