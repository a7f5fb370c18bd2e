"""The error paths of the data page's buttons: undoing an import twice or confirming an upload that has
expired is a message, and nothing is written."""

import pytest

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
