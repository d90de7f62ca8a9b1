"""Read the plain CSV files in ``data/`` with line numbers and clear errors."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")
LANG_TEXT = re.compile(r"(.*\S)\s*@([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]+)*)\Z", re.S)


class DataError(ValueError):
    """A problem in a data file, located by file, line and column."""

    def __init__(self, file: Path | str, line: int | None, column: str | None, problem: str):
        self.file, self.line, self.column, self.problem = str(file), line, column, problem
        where = self.file if line is None else f"{self.file}:{line}"
        col = f" column '{column}':" if column else ""
        super().__init__(f"{where}:{col} {problem}")


@dataclass(frozen=True)
class Row:
    """One data row: its file, its line (header is line 1) and its cells."""

    file: Path
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    def error(self, column: str | None, problem: str) -> DataError:
        return DataError(self.file, self.line, column, problem)

    def many(self, column: str) -> list[str]:
        """The ``;``-separated values of a cell, stripped, empty ones dropped."""
        return [v.strip() for v in self[column].split(";") if v.strip()]

    def slug(self, column: str) -> str:
        value = self[column]
        if not SLUG.match(value):
            raise self.error(
                column, f"id {value!r} must be a lower-case slug like 'umcg' or 'novel-t'"
            )
        return value

    def decimal(self, column: str) -> Decimal | None:
        text = self[column].replace("_", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.error(
                column, f"{self[column]!r} is not a number (write digits with '.' as decimal point)"
            ) from None
        if not value.is_finite():
            raise self.error(column, f"{self[column]!r} is not a finite number")
        return value

    def date(self, column: str) -> str | None:
        """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` cell, checked; None when empty."""
        text = self[column]
        if not text:
            return None
        m = DATE.match(text)
        if not m or (m[2] and not 1 <= int(m[2]) <= 12) or (m[3] and not _valid_day(m)):
            raise self.error(column, f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        return text

    def choice(self, column: str, allowed: Sequence[str], *, required: bool = True) -> str:
        value = self[column]
        if not value and not required:
            return ""
        if value not in allowed:
            raise self.error(column, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def choices(self, column: str, allowed: Sequence[str]) -> list[str]:
        values = self.many(column)
        for v in values:
            if v not in allowed:
                raise self.error(column, f"{v!r} is not one of: {', '.join(allowed)}")
        return values


def _valid_day(m: re.Match[str]) -> bool:
    import datetime

    try:
        datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return True


def split_lang(text: str, default: str | None) -> tuple[str, str | None]:
    """Split ``'Rijksuniversiteit Groningen@nl'`` into text and language tag."""
    m = LANG_TEXT.match(text)
    return (m[1], m[2].lower()) if m else (text, default)


def read_table(path: Path, columns: Sequence[str], *, required: Sequence[str] = ()) -> list[Row]:
    """Read a CSV file whose header is exactly ``columns`` (in any order)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, None, None, "file not found") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            path, line, None, f"not valid UTF-8 (byte {exc.start}); save as UTF-8"
        ) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(path, 1, None, "the file is empty; it needs a header row") from None
    except csv.Error as exc:
        raise DataError(path, 1, None, f"CSV error: {exc}") from None
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns]
    if missing or unknown:
        parts = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        )
        raise DataError(path, 1, None, "; ".join(parts) + f" (expected: {', '.join(columns)})")
    rows: list[Row] = []
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(path, start, None, f"CSV error: {exc}") from None
        line = start
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise DataError(
                path, line, None, f"{len(fields)} cells but the header has {len(header)}"
            )
        row = Row(path, line, {h: f.strip() for h, f in zip(header, fields, strict=True)})
        for col in required:
            if not row[col]:
                raise row.error(col, "is empty but required")
        rows.append(row)
    return rows
