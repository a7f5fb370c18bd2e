"""A campaign's first file is written while a worker thread parses it (streamed_import, ADR 0021; PostgreSQL's
COPY fed block by block, ADR 0023):
files of several blocks (20,000 rows each), with a bad row, a repeated key or a corrupt end after rows
were already written, must still leave all rows or none, name every bad row, and store the same totals
as the SQL aggregation."""

import datetime as dt
from decimal import Decimal

import pytest

from campaignflow.core.errors import InvalidInput
from campaignflow.core.models import AuditEntry
from campaignflow.tracking import rollups, streamed_import
from campaignflow.tracking.domain.parsers import FileRefused
from campaignflow.tracking.domain.totals import batch_totals
from campaignflow.tracking.models import ImportBatch, MetricChannelTotal, MetricDayTotal, MetricRow
from campaignflow.tracking.services import metrics_import_file

pytestmark = pytest.mark.django_db

CHANNELS = ["抖音", "小红书", "微信公众号", "线下门店"]
METRICS = ["曝光", "点击", "销售额", "转化率"]


def lines(n: int) -> list[str]:
    """n rows of distinct keys over 16 channel × metric pairs, with decimals and 万 among the values."""
    out = ["日期,渠道,指标,数值"]
    start = dt.date(2001, 1, 1)
    for i in range(n):
        day, rest = divmod(i, len(CHANNELS) * len(METRICS))
        ch, m = divmod(rest, len(METRICS))
        value = ("1.2万", "0.35", "1,200", str(i % 997))[i % 4]
        out.append(f'{(start + dt.timedelta(days=day)).isoformat()},{CHANNELS[ch]},{METRICS[m]},"{value}"')
    return out


def nothing_written(campaign) -> bool:
    return not (
        MetricRow.objects.filter(campaign=campaign).exists()
        or ImportBatch.objects.filter(campaign=campaign).exists()
        or MetricDayTotal.objects.filter(campaign=campaign).exists()
        or MetricChannelTotal.objects.filter(campaign=campaign).exists()
        or AuditEntry.objects.filter(action="metrics.import").exists()
    )


def test_the_database_here_has_the_streamed_path():
    assert streamed_import.available()


def test_a_file_of_several_blocks_is_written_whole_with_exact_totals(campaign, users):
    written = []
    batch = metrics_import_file(
        actor=users["member"], campaign=campaign, name="big.csv", data="\n".join(lines(65_000)).encode(),
        progress=written.append,
    )  # fmt: skip
    assert (batch.rows_total, batch.created, batch.updated) == (65_000, 65_000, 0)
    assert written[-1] == 65_000 and len(written) >= 3  # block by block, as the parser went on
    assert MetricRow.objects.filter(campaign=campaign, batch=batch).count() == 65_000
    assert MetricRow.objects.get(campaign=campaign, date="2001-01-01", channel="抖音", metric="曝光").value == 12000
    assert MetricRow.objects.get(campaign=campaign, date="2001-01-01", channel="抖音", metric="点击").value == Decimal(
        "0.35"
    )
    assert rollups.matches_rows(campaign.pk)  # the totals added up in Python equal SQL's aggregation
    assert AuditEntry.objects.filter(action="metrics.import").count() == 1


def test_a_bad_row_after_written_blocks_rolls_back_and_every_bad_row_is_named(campaign, users):
    rows = lines(50_000)
    rows[45_001] = "2003-02-30,抖音,曝光,5"  # no such day; line 45,002 of the file
    rows[49_000] = rows[49_000].rsplit(",", 1)[0] + ",-3"
    written = []
    with pytest.raises(InvalidInput) as refused:
        metrics_import_file(
            actor=users["member"], campaign=campaign, name="bad.csv", data="\n".join(rows).encode(),
            progress=written.append,
        )  # fmt: skip
    assert written and written[-1] >= 20_000  # rows were in the table before the parser reached the bad one
    errors = refused.value.errors
    assert [(e["line"], e["field"]) for e in errors] == [(45_002, "rows[45000].date"), (49_001, "rows[48999].value")]
    assert nothing_written(campaign)


def test_a_repeated_key_after_written_blocks_is_named_and_nothing_is_written(campaign, users):
    rows = lines(45_000)
    rows.append(rows[30].replace(",", ", ", 1))  # line 31's key again, the channel written with a space
    with pytest.raises(InvalidInput) as refused:
        metrics_import_file(actor=users["member"], campaign=campaign, name="dup.csv", data="\n".join(rows).encode())
    (error,) = refused.value.errors
    assert (error["line"], error["code"]) == (45_002, "duplicate") and error["params"]["row"] == 29
    assert nothing_written(campaign)


def test_a_file_refused_half_way_leaves_nothing(campaign, users):
    rows = lines(45_000)
    rows.insert(42_000, '2001-01-01,抖音,曝光,"' + "9" * 200_000 + '"')  # over the csv module's field limit
    written = []
    with pytest.raises(FileRefused, match="malformed CSV"):
        metrics_import_file(
            actor=users["member"], campaign=campaign, name="cut.csv", data="\n".join(rows).encode(),
            progress=written.append,
        )  # fmt: skip
    assert written and written[-1] >= 20_000
    assert nothing_written(campaign)


def test_totals_of_rows_are_exact_decimal_sums():
    rows = [("2025-06-01", "抖音", "销售额", "0.1"), ("2025-06-01", "微博", "销售额", "0.2"),
            ("2025-06-02", "抖音", "销售额", "300000")]  # fmt: skip
    by_day, by_channel = batch_totals(rows)
    assert by_day == {("销售额", "2025-06-01"): (Decimal("0.3"), 2), ("销售额", "2025-06-02"): (Decimal(300000), 1)}
    assert by_channel == {("销售额", "抖音"): (Decimal("300000.1"), 2), ("销售额", "微博"): (Decimal("0.2"), 1)}
