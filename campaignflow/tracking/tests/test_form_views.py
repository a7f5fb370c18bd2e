"""The error paths of the data page's buttons: undoing an import twice or confirming an upload that has
expired is a message, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.tracking.models import ImportBatch, MetricRow
from conftest import logged_in as client_for
from tests.support.pages import last_message, zh

pytestmark = pytest.mark.django_db


def test_undoing_an_import_twice_is_a_message(api_for, users, campaign):
    rows = [{"date": "2025-06-01", "channel": "抖音", "metric": "点击", "value": "10"}]
    batch_id = api_for(users["member"]).post(f"/campaigns/{campaign.id}/metrics", {"rows": rows}).json()["batch"]
    client = client_for(users["member"])
    url = f"/campaigns/{campaign.id}/data/batches/{batch_id}/undo/"
    first = client.post(url)
    assert first.status_code == 302 and last_message(first) == zh("Import #%(id)s undone.", id=batch_id)
    again = client.post(url)
    assert again.status_code == 302 and last_message(again) == zh("This import was already undone.")
    assert ImportBatch.objects.get(pk=batch_id).status == "undone" and not MetricRow.objects.exists()


def test_confirming_an_expired_upload_is_a_message(users, campaign):
    response = client_for(users["member"]).post(f"/campaigns/{campaign.id}/data/confirm/", {"token": "0" * 32})
    expired = zh("The upload has expired or was already imported: upload the file again.")
    assert response.status_code == 302 and last_message(response) == expired
    assert not ImportBatch.objects.exists()


def post_file(client, campaign, content: bytes | None, name: str = "a.csv"):
    data = {} if content is None else {"file": SimpleUploadedFile(name, content)}
    return client.post(f"/campaigns/{campaign.id}/data/", data)


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (None, 422, "Choose a CSV or XLSX file."),
        (b"", 422, "The file is empty."),
        ("日期,渠道,数值\n2025-06-01,抖音,5\n".encode(), 422, "指标"),  # a refused file: the missing column
        (b"x" * 2048, 413, "The file is larger than %(mb)s MB."),
    ],
)
def test_a_refused_upload_shows_why_in_the_upload_card_and_writes_nothing(
    users, campaign, settings, content, status, message
):
    settings.UPLOAD_MAX_BYTES = 1024
    response = post_file(client_for(users["member"]), campaign, content)
    html = response.content.decode()
    assert response.status_code == status and 'data-testid="upload-error"' in html
    assert (zh(message, mb=0) if "%" in message else zh(message)) in html
    assert not MetricRow.objects.exists() and not ImportBatch.objects.exists()


def test_a_file_with_bad_rows_is_a_422_preview_naming_them(users, campaign):
    response = post_file(
        client_for(users["member"]), campaign, "日期,渠道,指标,数值\n2025-06-01,抖音,点击,abc\n".encode()
    )
    assert response.status_code == 422 and 'data-testid="preview-errors"' in response.content.decode()
    assert 'data-testid="upload-error"' not in response.content.decode() and not MetricRow.objects.exists()


def test_the_preview_and_the_api_name_the_columns_a_file_has_beyond_the_four(api_for, users, campaign):
    content = "日期,渠道,指标,数值,备注,数值\n2025-06-01,抖音,点击,10,加推,11\n".encode()
    html = post_file(client_for(users["member"]), campaign, content, "day.csv").content.decode()
    # (the second 数值 is not read either: the first one is)
    assert "day.csv 中有未读取的列：备注、数值。如需导入，请把列名改为上方列出的表头之一。" in html
    api = api_for(users["member"])
    response = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import",
        {"file": SimpleUploadedFile("day.csv", content)},
        **api.headers,
    )
    assert response.status_code == 200 and response.json()["ignored_columns"] == ["备注", "数值"]
    assert MetricRow.objects.get().value == 10
    # again, into a campaign that has rows now (parsed, then written: not the first file's streamed path)
    again = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import",
        {"file": SimpleUploadedFile("day.csv", content.replace(b",10,", b",12,"))},
        **api.headers,
    )
    assert again.status_code == 200 and again.json()["ignored_columns"] == ["备注", "数值"]
    assert MetricRow.objects.get().value == 12
    plain = post_file(client_for(users["member"]), campaign, "日期,渠道,指标,数值\n2025-06-02,抖音,点击,1\n".encode())
    assert 'data-testid="import-ignored"' not in plain.content.decode()


def test_grid_values_that_are_no_numbers_are_a_422_naming_the_cell_and_nothing_is_written(users, campaign):
    url = f"/campaigns/{campaign.id}/data/grid/?channel=抖音"
    client = client_for(users["member"])
    page = client.get(url)
    day = page.context["rows"][0]["date"].isoformat()
    response = client.post(url, {"channel": "抖音", "cols": "1", "m0": "点击", "c0_0": "abc"})
    assert response.status_code == 422
    assert f"{day} · 点击" in response.content.decode() and not MetricRow.objects.exists()
    saved = client.post(url, {"channel": "抖音", "cols": "1", "m0": "点击", "c0_0": "1.2万"})
    assert saved.status_code == 302 and last_message(saved) == zh("Saved %(n)s values.", n=1)
    assert MetricRow.objects.get().value == 12000


def test_the_grid_marks_the_refused_cells_and_keeps_what_was_typed(users, campaign):
    import re

    url = f"/campaigns/{campaign.id}/data/grid/?channel=抖音"
    client = client_for(users["member"])
    typed = {"channel": "抖音", "cols": "2", "m0": "点击", "m1": "曝光", "c0_0": "120", "c0_1": "abc", "c1_0": "-5"}
    html = client.post(url, typed).content.decode()
    refused = re.findall(r'<input name="(c\d+_\d+)" value="([^"]*)"[^>]*aria-invalid="true"', html)
    assert refused == [("c0_1", "abc"), ("c1_0", "-5")]
    assert 'name="c0_0" value="120"' in html and 'id="grid-errors"' in html  # kept; the messages described
