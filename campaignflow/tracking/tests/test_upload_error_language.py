"""Issue #18: upload errors speak the reader's language and name the spreadsheet's row (as Excel numbers
it: the header is row 1) and the column by its header text in the file, in the page and beside the
API's machine field keys (rows[i].field, which stay as API.md says)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from campaignflow.tracking.models import ImportJob, MetricRow
from tests.support.uploads import upload_metrics, xlsx_bytes

pytestmark = pytest.mark.django_db

ZH_CSV = "日期,渠道,指标,曝光量\n2025-06-01,抖音,曝光,100\n2025-06-02,抖音,曝光,abc\n2025-13-01,抖音,曝光,5\n"
EN_CSV = "Date,Channel,Metric,Impressions\n2025-06-01,TikTok,views,100\n2025-06-02,TikTok,views,abc\n"


def _page(client, campaign, name, content, language):
    return client.post(
        f"/campaigns/{campaign.id}/data/", {"file": SimpleUploadedFile(name, content)}, HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_upload_page_names_row_and_header_in_chinese(client, campaign, users):
    # "数值" is the usual header; a sheet may say "曝光量" for the value column: the error uses the file's words.
    client.force_login(users["member"])
    text = ZH_CSV.replace("曝光量", "数值")
    html = _page(client, campaign, "a.csv", text.encode(), "zh-hans").content.decode()
    assert "第 3 行「数值」列：不是数字（“abc”）" in html
    assert "第 4 行「日期」列：" in html and "2].value" not in html
    assert MetricRow.objects.count() == 0


def test_the_upload_page_names_row_and_header_in_english(client, campaign, users):
    client.force_login(users["member"])
    content = xlsx_bytes(
        [
            ["Date", "Channel", "Metric", "Value"],
            ["2025-06-01", "TikTok", "views", 1],
            ["2025-06-02", "TikTok", "views", "abc"],
        ]
    )
    html = _page(client, campaign, "a.xlsx", content, "en").content.decode()
    assert "Row 3, column “Value”: not a number (“abc”)" in html, html
    assert "2].value" not in html


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "第 3 行「Value」列：不是数字（“abc”）"), ("en", "Row 3, column “Value”: not a number (“abc”)")],
)
def test_the_api_keeps_the_field_key_and_adds_the_human_message(api_for, users, campaign, language, message):
    api = api_for(users["member"])
    response = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import",
        {"file": SimpleUploadedFile("a.csv", EN_CSV.replace("Impressions", "Value").encode())},
        HTTP_ACCEPT_LANGUAGE=language,
        **api.headers,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "rows[1].value" and error["line"] == 3 and error["column"] == "Value"
    assert error["message"] == message
    assert message in response.json()["detail"]


def test_a_background_job_shows_its_errors_in_the_readers_language(api_for, users, campaign, settings):
    settings.METRIC_IMPORT_BACKGROUND_ROWS = 5  # force the worker path for a small file
    api = api_for(users["member"])
    rows = "\n".join(f"2025-06-{d:02d},抖音,曝光,{d}" for d in range(1, 20))
    content = f"日期,渠道,指标,数值\n{rows}\n2025-06-25,抖音,曝光,abc\n".encode()
    response = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import",
        {"file": SimpleUploadedFile("big.csv", content)},
        **api.headers,
    )
    assert response.status_code == 202, response.content
    job_id = response.json()["job"]
    assert ImportJob.objects.get(pk=job_id).status == "failed"
    for language, message in (
        ("zh-hans", "第 21 行「数值」列：不是数字（“abc”）"),
        ("en", "Row 21, column “数值”: not a number (“abc”)"),
    ):
        job = api.get(f"/import-jobs/{job_id}", HTTP_ACCEPT_LANGUAGE=language).json()
        assert job["errors"][0]["field"] == "rows[19].value" and job["errors"][0]["message"] == message


def test_a_metric_of_only_invisible_characters_is_refused_and_edges_are_stripped(api_for, users, campaign):
    api = api_for(users["member"])
    rows = [{"date": "2025-06-01", "metric": "\u200b\u2066\u2069", "value": 1}]
    response = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "rows[0].metric"
    content = "日期,渠道,指标,数值\n2025-06-01,\ufeff抖音\u200b,\u200e曝光,5\n".encode()
    response = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import", {"file": SimpleUploadedFile("a.csv", content)}, **api.headers
    )
    assert response.status_code == 200, response.content
    assert list(MetricRow.objects.values_list("channel", "metric")) == [("抖音", "曝光")]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_rows_keep_their_spreadsheet_number_below_blank_lines(kind):
    from campaignflow.tracking.domain.parsers import parse_csv, parse_xlsx

    if kind == "csv":
        result = parse_csv("\n\n日期,指标,数值\n2025-06-01,曝光,abc\n".encode())
    else:
        book = Workbook()
        for cell, text in (("A3", "日期"), ("B3", "指标"), ("C3", "数值")):
            book.active[cell] = text
        book.active.append(["2025-06-01", "曝光", "abc"])
        out = io.BytesIO()
        book.save(out)
        result = parse_xlsx(out.getvalue())
    assert [(e["line"], e["column"]) for e in result.errors] == [(4, "数值")]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "缺少列：数值（value）"), ("en", "Missing column(s): value (数值)")],
)
def test_a_refused_file_is_explained_in_the_readers_language(api_for, users, client, campaign, language, expected):
    content = "日期,渠道,指标\n2025-06-01,抖音,曝光\n".encode()
    response = upload_metrics(api_for(users["member"]), campaign, "a.csv", content, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "file" and expected in error["message"]
    client.force_login(users["member"])
    html = _page(client, campaign, "a.csv", content, language).content.decode()
    assert expected in html


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "不是数字（“abc”）"), ("en", "not a number (“abc”)")])
def test_the_grid_names_a_bad_cell_in_the_readers_language(client, campaign, users, language, expected):
    client.force_login(users["member"])
    response = client.post(
        f"/campaigns/{campaign.id}/data/grid/",
        {"channel": "抖音", "cols": 1, "m0": "曝光", "c0_0": "abc"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 422
    assert f"2025-06-01 · 曝光: {expected}" in response.content.decode()
