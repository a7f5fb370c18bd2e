"""A refusal the API makes before any service runs (a schema's field, a body that is not JSON, an unknown path, a
method, the sign-in) is said in the reader's language and names what it refuses, as a service's refusal is;
a date far outside the years 2000–2100 is refused naming its field, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.execution.models import WeeklyReport

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def owner(api_for, users):
    return api_for(users["owner"])


CAMPAIGN = {"name": "夏季促销", "start_date": "2026-02-01", "end_date": "2026-03-01"}


@pytest.mark.parametrize(
    ("fields", "field", "zh", "en"),
    [
        ({"budget_total": -5}, "budget_total", "不能小于 0。", "Must be at least 0."),
        ({"tags": "促销"}, "tags", "请发送列表（[…]）。", "Send a list ([…])."),
        ({"name": "x" * 300}, "name", "最多 200 个字符。", "At most 200 characters."),
        (
            {"start_date": "2026-02-30"},
            "start_date",
            "日期格式无效（请使用 YYYY-MM-DD）。",
            "Not a valid date (use YYYY-MM-DD).",
        ),
    ],
)
def test_a_schema_refusal_names_the_field_in_the_readers_language(owner, fields, field, zh, en):
    for headers, message in (({}, zh), (EN, en)):
        response = owner.post("/campaigns", CAMPAIGN | fields, **headers)
        assert response.status_code == 422, response.content
        assert {"field": field, "message": message} in response.json()["errors"]


def test_a_missing_field_a_word_for_a_number_and_a_number_too_large(owner, campaign):
    missing = owner.post("/campaigns", {"name": "夏季促销", "end_date": "2026-03-01"})
    assert {"field": "start_date", "message": "此项为必填项。"} in missing.json()["errors"]
    url = f"/campaigns/{campaign.id}/tasks"
    word = owner.post(url, {"name": "海报", "progress": "ten"})
    assert word.status_code == 422 and word.json()["errors"] == [{"field": "progress", "message": "请输入整数。"}]
    over = owner.post(url, {"name": "海报", "progress": 150})
    assert over.json()["errors"] == [{"field": "progress", "message": "不能大于 100。"}]


def test_a_body_that_is_not_json_an_unknown_path_a_method_and_no_token(owner, api_for):
    broken = owner.client.post("/api/v1/campaigns", data='{"name":', content_type="application/json", **owner.headers)
    assert broken.status_code == 400
    assert broken.json()["errors"] == [{"field": "body", "message": "请求内容不是有效的 JSON。"}]
    assert owner.get("/no-such-thing").json() == {"detail": "未找到。"}
    assert owner.put("/campaigns").json()["detail"].startswith("此处不支持 PUT 方法")
    anonymous = api_for(None).get("/campaigns")
    assert anonymous.status_code == 401 and anonymous.json()["detail"].startswith("需要身份验证")
    assert api_for(None).get("/campaigns", **EN).json()["detail"].startswith("Authentication required")


def test_an_upload_without_its_file_names_file(owner, campaign):
    response = owner.client.post(f"/api/v1/campaigns/{campaign.id}/metrics/import", **owner.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "此项为必填项。"}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello", "该文件不是有效的 XLSX 工作簿：请用 Excel 或 WPS 另存为 .xlsx，或另存为 CSV。"),
        (b"PK\x05\x06" + b"\0" * 18, "XLSX 文件已损坏，无法读取：请用 Excel 或 WPS 打开后重新保存。"),
    ],
)
def test_a_workbook_that_cannot_be_read_is_said_in_words(owner, campaign, data, message):
    upload = SimpleUploadedFile("数据.xlsx", data)
    url = f"/api/v1/campaigns/{campaign.id}/metrics/import"
    response = owner.client.post(url, {"file": upload}, **owner.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": message}]
    assert "Calamine" not in response.content.decode()


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "1900-01-01", "2101-01-03"])
def test_a_weekly_report_of_a_week_outside_the_years_is_refused_naming_week_start(owner, campaign, week):
    response = owner.post(f"/campaigns/{campaign.id}/weekly-reports", {"week_start": week})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "week_start", "message": "日期须在 2000 年至 2100 年之间。"}]
    pdf = owner.get(f"/campaigns/{campaign.id}/report.pdf", {"kind": "weekly", "week_start": week})
    assert pdf.status_code == 422 and pdf.json()["errors"][0]["field"] == "week_start"
    assert not WeeklyReport.objects.exists()


def test_a_page_asked_for_a_day_outside_the_years_shows_today(users, campaign):
    from conftest import logged_in

    client = logged_in(users["owner"])
    for day in ("9999-12-31", "0001-01-01"):
        assert client.get(f"/campaigns/{campaign.id}/execution/?date={day}").status_code == 200
        preview = client.get("/campaigns/new/preview/", {"start_date": day, "end_date": "2026-03-01"})
        assert preview.status_code == 200 and "日期须在 2000 年至 2100 年之间" in preview.content.decode()
