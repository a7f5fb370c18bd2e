"""Today's endpoint in the access matrix."""

from pathlib import Path

from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)
