"""Property-based tests of the readers and normalisers: on arbitrary text and bytes they
return or refuse with the project's own errors (``InputError``, ``BadValue``) — never
another exception — and what can be written and read back comes back the same."""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphsvc.errors import InputError
from loaders import values
from loaders.readers import ReadLimits, decode, detect_delimiter, read_tables
from loaders.text import clean, clean_text, fold, name_key, slug

FAST = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
CELLS = st.one_of(
    st.none(), st.text(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.lists(st.text(max_size=10), max_size=3),
)
NORMALISERS = [values.text, values.year, values.year_of_date, values.amount, values.integer, values.cvr,
               values.role, values.size, values.boolean, values.text_list, values.website, values.extra_json]
SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".xlsx")


@FAST
@given(CELLS)
def test_normalisers_return_or_say_bad_value(cell):
    for normalise in NORMALISERS:
        try:
            normalise(cell)
        except values.BadValue as e:
            assert e.message and e.action
    try:
        values.coordinate(cell, low=54.5, high=58.0, name="latitude")
    except values.BadValue:
        pass


@FAST
@given(st.text())
def test_text_normalisers_are_total_and_idempotent(raw):
    assert clean(clean(raw)) == clean(raw)
    assert clean_text(clean_text(raw)) == clean_text(raw)
    assert fold(fold(raw)) == fold(raw)
    assert name_key(raw) == name_key(clean(raw))
    assert len(slug(raw)) <= 48


@FAST
@given(st.integers(min_value=1900, max_value=2100))
def test_a_year_written_as_text_reads_back(number):
    assert values.year(str(number)) == number
    assert values.year(f" {number} ") == number


@FAST
@given(st.integers(min_value=0, max_value=10**12))
def test_a_whole_number_reads_back(number):
    assert values.integer(str(number)) == number


@FAST
@given(st.binary(max_size=2000), st.sampled_from(SUFFIXES))
def test_any_bytes_are_read_or_refused_with_an_input_error(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"f{suffix}"
        path.write_bytes(data)
        try:
            tables = read_tables(path, limits=ReadLimits(max_rows=200, max_columns=50, max_cell_chars=500))
        except InputError as e:
            assert e.detail.startswith(("f", "sheet"))
            return
        for table in tables:
            assert len(table.rows) == len(table.numbers)


@FAST
@given(st.binary(max_size=500))
def test_decode_reads_or_says_which_byte(data):
    try:
        text, used = decode(data, "f.csv")
    except InputError as e:
        assert "position" in e.detail
        return
    assert used in ("utf-8-sig", "utf-8", "cp1252")
    assert text.encode(used if used != "utf-8-sig" else "utf-8") == (data[3:] if used == "utf-8-sig" else data)


PRINTABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


@FAST
@given(st.lists(st.lists(PRINTABLE, min_size=3, max_size=3), min_size=1, max_size=20),
       st.sampled_from([";", ",", "\t"]))
def test_csv_round_trip(rows, delimiter):
    """Rows written as CSV (any delimiter, quoting as Excel does) read back the same; the
    header is three distinct plain words, as real files have."""
    header = ["navn", "kommune", "note"]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        (table,) = read_tables(path, delimiter=delimiter)
    assert table.rows == [header, *rows]
    assert table.numbers == list(range(1, len(rows) + 2))


@FAST
@given(st.lists(st.dictionaries(st.sampled_from(["navn", "kommune", "år"]),
                                st.one_of(PRINTABLE, st.integers(-1000, 3000)), min_size=1), min_size=1, max_size=10))
def test_json_round_trip(items):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.json"
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        (table,) = read_tables(path)
    keys = table.rows[0]
    assert [dict((k, v) for k, v in zip(keys, row) if k in item) for row, item in zip(table.rows[1:], items)] == items


@FAST
@given(st.text(max_size=300))
def test_detect_delimiter_always_answers_one_of_three(sample):
    assert detect_delimiter(sample) in (",", ";", "\t")


def test_the_property_tests_see_floats_that_are_not_numbers():
    assert math.isnan(float("nan"))  # the strategy above includes nan and inf cells
