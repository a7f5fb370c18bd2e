"""parse_table on a file with every kind of row (clean, blank, short, too wide, not a date, negative, a number as
people type it, a key seen before): the rows it takes, in order, and each refusal on its spreadsheet line."""

import datetime as dt

import pytest

from campaignflow.tracking.domain.parsers import FileRefused, parse_table

HEADER = ["日期", "渠道", "指标", "数值"]
CLEAN = [[dt.date(2026, 3, 1 + i % 28), f"渠道{i % 3}", f"指标{i % 2}", float(100 + i)] for i in range(24)]


def read(rows, every, *, check_duplicates=True, header=HEADER, **options):
    said = []
    result = parse_table(
        iter([header, *rows]),
        progress=said.append,
        progress_every=every,
        check_duplicates=check_duplicates,
        **options,
    )
    return [tuple(r) for r in result.rows], result.errors, result.error_count, said


MESSY = [
    *CLEAN[:5],
    [dt.date(2026, 3, 9), "渠道1", "指标1", 1.5],  # not whole: taken by the full check
    ["", "", "", ""],  # a blank row as wide as the header
    ["2026-02-30", "渠道1", "指标0", 5.0],  # no such day
    [dt.date(2026, 3, 1), "渠道0", "指标0", 7.0],  # the key of the first row again
    *CLEAN[10:14],
    [dt.date(2026, 3, 2), "渠道1", "指标1", -3.0],  # negative
    ["2026-03-03", " 渠道2 ", "指标1", "1,200"],  # text cells, trimmed; a number as people type it
    [dt.date(2026, 3, 4), "渠道2", "指标1", 9.0, "备注"],  # a cell beyond the header
    [dt.date(2026, 3, 5)],  # a short row: no metric, no value
    *CLEAN[14:24],
]


def test_what_the_messy_file_reads_as():
    rows, errors, count, _said = read(MESSY, 4)
    by_line = {e["line"]: e.get("code") for e in errors}
    assert count == len(errors) == 6  # the short row has two
    assert sorted(by_line) == [9, 10, 15, 17, 18]  # spreadsheet lines: the header is line 1
    assert by_line[17] == "extra_cells"
    assert len(rows) == len(MESSY) - 1 - 5  # the blank row skipped, five refused
    assert ("2026-03-09", "渠道1", "指标1") in {r[:3] for r in rows}
    assert rows[0] == ("2026-03-01", "渠道0", "指标0", 100)  # a whole XLSX float is an int
    assert ("2026-03-03", "渠道2", "指标1") in {r[:3] for r in rows}  # trimmed, "1,200" read as a number


def test_a_repeated_key_is_refused_on_its_line():
    rows = [*CLEAN[:6], [dt.date(2026, 3, 1), "渠道0", "指标0", 1.0]]  # the first row's key again
    read_rows, errors, count, _said = read(rows, 3)
    assert count == 1 and errors[0]["line"] == 8
    assert len(read_rows) == 6
    # left to the caller's unique index without the check
    assert len(read(rows, 3, check_duplicates=False)[0]) == 7


def test_progress_is_said_every_so_many_rows():
    assert read(CLEAN, 5)[3] == [5, 10, 15, 20]


def test_every_kind_of_clean_value_column():
    as_text = [[f"2026-03-0{1 + i}", "渠道", "指标", str(10 + i)] for i in range(6)]
    as_int = [[dt.date(2026, 3, 1 + i), "渠道", "指标", 10 + i] for i in range(6)]
    assert [r[3] for r in read(as_text, 3)[0]] == ["10", "11", "12", "13", "14", "15"]
    assert [r[3] for r in read(as_int, 3)[0]] == [10, 11, 12, 13, 14, 15]
    mixed = [as_int[0], as_text[1], as_int[2]]  # a column of two kinds
    assert [r[3] for r in read(mixed, 3)[0]] == [10, "11", 12]


def test_without_a_channel_column():
    rows = [[dt.date(2026, 3, 1 + i), "指标", float(i)] for i in range(4)]
    read_rows, errors, _count, _said = read(rows, 2, header=["日期", "指标", "数值"])
    assert not errors and [r[1] for r in read_rows] == ["", "", "", ""]


@pytest.mark.parametrize("every", [2, 3, 100])
def test_the_row_limit_holds(every):
    with pytest.raises(FileRefused) as refused:
        read(CLEAN[:5], every, max_rows=4)
    assert refused.value.args[0] == "too many rows: at most 4 per import"
    assert len(read(CLEAN[:4], every, max_rows=4)[0]) == 4


def test_empty_cells_beyond_the_header_are_taken():
    wide = [[*row, "", None] for row in CLEAN[:6]]  # an XLSX row runs to the sheet's widest
    assert read(wide, 3)[:3] == read(CLEAN[:6], 3)[:3]
