"""Property-based fuzz of the data-file readers: any bytes in a CSV file, any cell in a
seed row, end in rows or in a :class:`DataError` naming the file (and line), never in
another exception. Bounded: a fixed number of derandomised examples per property."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helixgraph.ingest.seed.compile import compile_seed
from helixgraph.ingest.tables import DataError, Row, read_table

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_data"
BOUNDED = settings(
    max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
COLUMNS = ("id", "name", "amount", "date")
CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
NASTY = st.sampled_from(
    ['"', '""', "\r", "\n", "\x00", ",", ";", "\ufeff", "@nl", "1e999", "NaN", "-0"]
)


def cells() -> st.SearchStrategy[str]:
    return st.one_of(CELL, NASTY, st.lists(st.one_of(CELL, NASTY), max_size=4).map("".join))


@BOUNDED
@given(data=st.binary(max_size=400))
def test_any_bytes_are_rows_or_a_located_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "things.csv"
        path.write_bytes(b"id,name,amount,date\n" + data)
        try:
            rows = read_table(path, COLUMNS, required=("id",))
        except DataError as exc:
            assert str(exc).startswith(str(path))
            assert exc.line is None or exc.line >= 1
            return
        for row in rows:
            assert row.line >= 2 and row["id"]


@BOUNDED
@given(row=st.fixed_dictionaries({c: cells() for c in COLUMNS}))
def test_cell_parsers_raise_only_located_errors(row: dict[str, str]) -> None:
    r = Row("things.csv", 7, row)
    for parse in (r.decimal, r.date, r.slug, r.many):
        column = {"decimal": "amount", "date": "date", "slug": "id", "many": "name"}[parse.__name__]
        try:
            parse(column)
        except DataError as exc:
            assert str(exc).startswith(f"things.csv:7: column '{column}':"), str(exc)


ORG_COLUMNS = ("name_en", "abbreviations", "other_names", "founded", "website", "kinds", "helices")


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(column=st.sampled_from(ORG_COLUMNS), value=cells())
def test_seed_compile_of_a_mutated_row_names_file_and_line(column: str, value: str) -> None:
    """One cell of organisations.csv row 2 replaced by anything: the seed compiles or
    stops with a DataError at ``organisations.csv:2``; the data on disk is left alone."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(MINI, data)
        path = data / "organisations.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[0][column] = value
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        before = path.read_bytes()
        try:
            compile_seed(data)
        except DataError as exc:
            assert exc.file.endswith("organisations.csv"), str(exc)
            if "\n" not in value and "\r" not in value:
                assert exc.line == 2, str(exc)
        assert path.read_bytes() == before
