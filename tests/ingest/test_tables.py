from decimal import Decimal
from pathlib import Path

import pytest

from helixgraph.ingest.tables import DataError, read_table, split_lang

COLS = ("id", "amount", "date", "kinds")


def write(tmp_path: Path, text: str | bytes) -> Path:
    p = tmp_path / "t.csv"
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def test_rows_carry_their_line_numbers_across_quoted_newlines(tmp_path: Path) -> None:
    p = write(tmp_path, 'id,amount,date,kinds\na,1,2020,x\n\nb,"2",2021,"y;\nz"\nc,3,2022,w\n')
    rows = read_table(p, COLS)
    assert [(r["id"], r.line) for r in rows] == [("a", 2), ("b", 4), ("c", 6)]
    assert rows[1].many("kinds") == ["y", "z"]


def test_header_must_match_and_names_what_is_wrong(tmp_path: Path) -> None:
    p = write(tmp_path, "id,amount,kind\n")
    with pytest.raises(DataError) as e:
        read_table(p, COLS)
    msg = str(e.value)
    assert msg.startswith(f"{p}:1:")
    assert "missing column(s) date, kinds" in msg and "unknown column(s) kind" in msg


def test_wrong_cell_count_names_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, "id,amount,date,kinds\na,1,2020,x\nb,2,2021\n")
    with pytest.raises(DataError, match=r"t.csv:3: 3 cells but the header has 4"):
        read_table(p, COLS)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, b"id,amount,date,kinds\na,1,2020,x\nb,2,2021,\xff\n")
    with pytest.raises(DataError, match=r"t.csv:3: not valid UTF-8"):
        read_table(p, COLS)


def test_unclosed_quote_is_a_csv_error_with_line(tmp_path: Path) -> None:
    p = write(tmp_path, 'id,amount,date,kinds\na,1,2020,x\nb,"2,2021,x\n')
    with pytest.raises(DataError, match=r"t.csv:3: CSV error"):
        read_table(p, COLS)


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        read_table(tmp_path / "nope.csv", COLS)
    with pytest.raises(DataError, match="empty"):
        read_table(write(tmp_path, ""), COLS)


@pytest.mark.parametrize(
    ("cell", "message"),
    [("7.488.600", "is not a number"), ("NaN", "not a finite number"), ("1,5", "is not a number")],
)
def test_bad_decimal(tmp_path: Path, cell: str, message: str) -> None:
    row = read_table(write(tmp_path, f'id,amount,date,kinds\na,"{cell}",,\n'), COLS)[0]
    with pytest.raises(DataError, match=rf"t.csv:2: column 'amount': .*{message}"):
        row.decimal("amount")


def test_good_decimal_and_empty(tmp_path: Path) -> None:
    rows = read_table(write(tmp_path, "id,amount,date,kinds\na,2100000.50,,\nb,,,\n"), COLS)
    assert rows[0].decimal("amount") == Decimal("2100000.50")
    assert rows[1].decimal("amount") is None


@pytest.mark.parametrize("cell", ["2021-02-30", "21-02-2021", "2021-13", "05.02.2021", "2021-2-5"])
def test_bad_dates(tmp_path: Path, cell: str) -> None:
    row = read_table(write(tmp_path, f"id,amount,date,kinds\na,,{cell},\n"), COLS)[0]
    with pytest.raises(DataError, match="is not a date"):
        row.date("date")


@pytest.mark.parametrize("cell", ["2021", "2021-02", "2021-02-05", "2024-02-29"])
def test_good_dates(tmp_path: Path, cell: str) -> None:
    row = read_table(write(tmp_path, f"id,amount,date,kinds\na,,{cell},\n"), COLS)[0]
    assert row.date("date") == cell


def test_slug_and_choices(tmp_path: Path) -> None:
    rows = read_table(write(tmp_path, "id,amount,date,kinds\nUMCG,,,firm;blob\n"), COLS)
    with pytest.raises(DataError, match="lower-case slug"):
        rows[0].slug("id")
    with pytest.raises(DataError, match=r"'blob' is not one of: firm, sme"):
        rows[0].choices("kinds", ["firm", "sme"])


def test_split_lang() -> None:
    assert split_lang("Rijksuniversiteit Groningen@nl", None) == (
        "Rijksuniversiteit Groningen",
        "nl",
    )
    assert split_lang("name@example.org is odd", "en") == ("name@example.org is odd", "en")
    assert split_lang("Plain", "en") == ("Plain", "en")
