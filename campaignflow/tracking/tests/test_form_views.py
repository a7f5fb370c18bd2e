"""The error paths of the data page's buttons: undoing an import twice or confirming an upload that has
expired is a message, and nothing is written."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils.translation import gettext as _
from django.utils.translation import override

from campaignflow.tracking.models import ImportBatch, MetricRow

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def last_message(response) -> str:
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def zh(text: str, **params) -> str:
    with override("zh-hans"):
        return _(text) % params if params else _(text)


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
