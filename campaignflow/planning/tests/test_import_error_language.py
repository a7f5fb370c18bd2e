"""Issue #18: task import errors name the spreadsheet row as Excel numbers it (blank lines counted)
and the column by its header text in the file, in the reader's language; the API keeps its machine
`column` key and adds the header text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db

CSV = "任务名称,起止时间\n海报,6.1-6.5\n\n物料,6.40-6.2\n"  # the bad row is row 4 in Excel (row 3 is blank)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "第 4 行「起止时间」列：不是有效的日期范围"),
        ("en", "Row 4, column “起止时间”: Not a date range"),
    ],
)
def test_api_names_excel_row_and_header(api_for, users, campaign, language, expected):
    api = api_for(users["owner"])
    before = Task.objects.count()
    response = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/tasks/import",
        {"file": SimpleUploadedFile("wbs.csv", CSV.encode())},
        HTTP_ACCEPT_LANGUAGE=language,
        **api.headers,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["column"], error["header"]) == (4, "period", "起止时间")
    assert error["message"].startswith(expected) and expected in response.json()["detail"]
    assert Task.objects.count() == before


def test_import_page_shows_the_header_text(client, users, campaign):
    client.force_login(users["owner"])
    response = client.post(
        f"/campaigns/{campaign.id}/plan/import/",
        {"file": SimpleUploadedFile("wbs.csv", CSV.encode())},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    html = response.content.decode()
    assert "<td>4</td><td>起止时间</td><td>不是有效的日期范围" in html
