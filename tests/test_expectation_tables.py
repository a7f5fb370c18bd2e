import pytest

from tests.support.tables import read_table


def test_rows_columns_and_cells(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("# op  method  admin\nlist alerts   get   200\n\n  get rules\tget  login\n", encoding="utf-8")
    assert read_table(path, columns=3) == [("list alerts", "get", 200), ("get rules", "get", "login")]


def test_a_short_row_names_its_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("list alerts  get  200\nbroken row  get\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.txt:2: 2 cells, expected 3"):
        read_table(path, columns=3)
