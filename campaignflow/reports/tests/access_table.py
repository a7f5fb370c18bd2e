"""Document endpoints in the access matrix: internal documents, partners get 403."""

from pathlib import Path

from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

QUERY = {"report pdf": lambda ctx: "?kind=weekly"}
