"""A metric row with more cells than the header is refused, naming its row (which column would the extra
value be?), and nothing is imported; empty cells beyond the header (Excel's "a,b,c,,") stay accepted.
The same on every path: the parser's per-row fast path and its full check, the streamed first import, the
checked import into a campaign with rows and the background job."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.core.errors import InvalidInput
from campaignflow.tracking.domain.parsers import parse_csv, parse_xlsx
from campaignflow.tracking.models import ImportBatch, ImportJob, MetricRow
from campaignflow.tracking.services import metrics_import_file
from tests.support.uploads import upload_metrics, xlsx_bytes

HEADER = "日期,渠道,指标,数值"


def _lines(n: int, start=dt.date(2001, 1, 1)) -> list[str]:
    """n rows of distinct keys: a day's eight metrics, day after day."""
    return [HEADER] + [f"{(start + dt.timedelta(days=i // 8)).isoformat()},抖音,指标{i % 8},{i}" for i in range(n)]


@pytest.mark.parametrize("check_duplicates", [True, False])
def test_a_row_with_an_extra_cell_is_named_by_its_line(check_duplicates):
    data = (
        f"{HEADER}\n2025-06-01,抖音,曝光,1\n2025-06-02,抖音,曝光,2\n2025-06-03,抖音,曝光,3\n2025-06-04,抖音,曝光,4,9\n"
    )
    result = parse_csv(data.encode(), check_duplicates=check_duplicates)
    assert result.errors == [
        {
            "row": 3,
            "field": "rows[3].row",
            "message": "1 more cell(s) than the header",
            "line": 5,
            "code": "extra_cells",
            "params": {"count": 1},
        }
    ]
    assert not result.ok


@pytest.mark.parametrize("check_duplicates", [True, False])
def test_the_full_check_refuses_an_extra_cell_too(check_duplicates):
    # a row the fast path would not take (a decimal, 万, a quoted "1,200") goes through the full check: same refusal
    data = f'{HEADER}\n2025-06-01,抖音,曝光,1.5,x\n2025-06-02,抖音,曝光,1.2万,,,7\n2025-06-03,抖音,曝光,"1,200", ,y\n'
    result = parse_csv(data.encode(), check_duplicates=check_duplicates)
    assert [(e["line"], e["field"], e["params"]) for e in result.errors] == [
        (2, "rows[0].row", {"count": 1}),
        (3, "rows[1].row", {"count": 3}),
        (4, "rows[2].row", {"count": 2}),
    ]
    assert result.rows == []


def test_empty_cells_beyond_the_header_are_accepted():
    data = (
        f"{HEADER},,\n"  # Excel: the header with the sheet's empty columns
        "2025-06-01,抖音,曝光,1,,\n"
        "2025-06-02,抖音,曝光,1.5,, \n"
        ",,,,,\n"  # a blank row, as wide as the sheet
        "2025-06-03,抖音,曝光,3\n"
    )
    result = parse_csv(data.encode())
    assert result.ok, result.errors
    assert [r[0] for r in result.rows] == ["2025-06-01", "2025-06-02", "2025-06-03"]


def test_a_wider_header_takes_wider_rows():
    result = parse_csv(f"{HEADER},备注\n2025-06-01,抖音,曝光,1,首日\n2025-06-02,抖音,曝光,2\n".encode())
    assert result.ok, result.errors and len(result.rows) == 2


def test_xlsx_a_value_beyond_the_header_is_refused_and_empty_columns_are_not():
    content = xlsx_bytes(
        [
            ["日期", "渠道", "指标", "数值"],
            ["2025-06-01", "抖音", "曝光", 1],
            [],
            ["2025-06-02", "抖音", "曝光", 2, None, 0],  # every row now runs to column F in the sheet
        ]
    )
    result = parse_xlsx(content)
    assert [(e["line"], e["field"], e["code"], e["params"]) for e in result.errors] == [
        (4, "rows[2].row", "extra_cells", {"count": 2})
    ]
    padded = xlsx_bytes([["日期", "渠道", "指标", "数值", None, None], ["2025-06-01", "抖音", "曝光", 1, None, ""]])
    assert parse_xlsx(padded).ok


@pytest.mark.django_db
def test_the_streamed_first_import_rolls_back_written_blocks(campaign, users):
    rows = _lines(45_000)
    rows[44_000] += ",x"  # line 44,001, after the first blocks were written
    written = []
    with pytest.raises(InvalidInput) as refused:
        metrics_import_file(
            actor=users["member"], campaign=campaign, name="big.csv", data="\n".join(rows).encode(),
            progress=written.append,
        )  # fmt: skip
    assert written and written[-1] >= 20_000
    assert [(e["line"], e["field"]) for e in refused.value.errors] == [(44_001, "rows[43999].row")]
    assert not MetricRow.objects.filter(campaign=campaign).exists()
    assert not ImportBatch.objects.filter(campaign=campaign).exists()


@pytest.mark.django_db
def test_an_import_into_a_campaign_with_rows_writes_nothing(campaign, users):
    first = metrics_import_file(
        actor=users["member"], campaign=campaign, name="a.csv", data=f"{HEADER}\n2025-06-01,抖音,曝光,1\n".encode()
    )
    data = f"{HEADER}\n2025-06-01,抖音,曝光,5\n2025-06-02,抖音,曝光,6,7\n"
    with pytest.raises(InvalidInput) as refused:
        metrics_import_file(actor=users["member"], campaign=campaign, name="b.csv", data=data.encode())
    assert [(e["line"], e["code"]) for e in refused.value.errors] == [(3, "extra_cells")]
    assert list(MetricRow.objects.filter(campaign=campaign).values_list("value", "batch_id")) == [(1, first.pk)]
    assert ImportBatch.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "第 5 行：比表头多出 1 个单元格"), ("en", "Row 5: 1 more cell than the header")],
)
def test_the_api_and_the_page_name_the_row(api_for, client, users, campaign, language, message):
    content = "\n".join([*_lines(3), "2001-01-04,抖音,曝光,4,9"]).encode()
    response = upload_metrics(api_for(users["member"]), campaign, "a.csv", content, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "rows[3].row" and error["line"] == 5 and error["message"] == message
    client.force_login(users["member"])
    html = client.post(
        f"/campaigns/{campaign.id}/data/", {"file": SimpleUploadedFile("a.csv", content)}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert message in html
    assert not MetricRow.objects.exists()


@pytest.mark.django_db
def test_the_background_job_refuses_the_file(api_for, users, campaign, settings):
    settings.METRIC_IMPORT_BACKGROUND_ROWS = 5  # the worker's path for a small file
    api = api_for(users["member"])
    content = "\n".join([*_lines(19), "2001-02-01,抖音,曝光,4,,9"]).encode()
    response = upload_metrics(api, campaign, "big.csv", content)
    assert response.status_code == 202, response.content
    job_id = response.json()["job"]
    assert ImportJob.objects.get(pk=job_id).status == "failed"
    job = api.get(f"/import-jobs/{job_id}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert job["errors"][0]["message"] == "第 21 行：比表头多出 2 个单元格"
    assert not MetricRow.objects.exists()
