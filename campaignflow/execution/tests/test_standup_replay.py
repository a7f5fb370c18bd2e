"""A stand-up sent again by the phone's offline queue (ADR 0017): the same client_key is saved once; a version
older than the stored one is a conflict, never an overwrite."""

import pytest
from django.test import Client

from campaignflow.core.errors import InvalidInput, StaleVersion
from campaignflow.core.models import AuditEntry
from campaignflow.execution import services
from campaignflow.execution.models import Standup

pytestmark = pytest.mark.django_db

DAY = "2025-06-10"


def standup_audits() -> int:
    return AuditEntry.objects.filter(object_type="execution.standup").count()


def save(users, campaign, **data):
    return services.standup_save(actor=users["owner"], campaign=campaign, data={"date": DAY, **data})


def test_the_same_client_key_twice_is_one_save(users, campaign):
    first, created = save(users, campaign, done="场地布置完成", client_key="k-1")
    again, created_again = save(users, campaign, done="场地布置完成", client_key="k-1")
    assert created and not created_again
    assert again.pk == first.pk and again.version == 1 and again.client_key == "k-1"
    assert Standup.objects.count() == 1 and standup_audits() == 1


def test_a_replayed_update_is_not_a_conflict_and_writes_nothing(users, campaign):
    save(users, campaign, done="第一版")
    updated, _ = save(users, campaign, done="第二版", version=1, client_key="k-2")
    assert updated.version == 2
    replayed, _ = save(users, campaign, done="第二版", version=1, client_key="k-2")  # its version is now stale
    assert replayed.version == 2 and replayed.done == "第二版"
    assert standup_audits() == 2


def test_another_client_key_with_a_stale_version_is_a_conflict(users, campaign):
    save(users, campaign, done="第一版", client_key="k-1")
    save(users, campaign, done="别处改过", version=1)
    with pytest.raises(StaleVersion):
        save(users, campaign, done="离线写的", version=1, client_key="k-3")
    assert Standup.objects.get().done == "别处改过"


def test_a_key_is_per_person_and_day(users, campaign):
    save(users, campaign, done="我的", client_key="k-1")
    services.standup_save(
        actor=users["member"], campaign=campaign, data={"date": DAY, "done": "她的", "client_key": "k-1"}
    )
    save(users, campaign, done="次日", client_key="k-1", date="2025-06-11")
    assert Standup.objects.count() == 3


@pytest.mark.parametrize("key", ["x" * 65, " padded", "tab\there", 7])
def test_a_bad_client_key_is_named_and_nothing_is_written(users, campaign, key):
    with pytest.raises(InvalidInput) as refused:
        save(users, campaign, done="x", client_key=key)
    assert "client_key" in refused.value.as_field_dict()
    assert not Standup.objects.exists()


# --- the page's form, as offline.js sends it -------------------------------------------------------------------


@pytest.fixture
def owner(users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["owner"])
    return client


@pytest.fixture
def url(campaign):
    return f"/campaigns/{campaign.id}/execution/?date={DAY}"


def test_the_form_posted_twice_with_one_key_saves_once(owner, url):
    form = {"date": DAY, "done": "直播脚本定稿", "version": "0", "client_key": "2f1c"}
    first = owner.post(url, form, HTTP_X_CF_SUBMIT="fetch")
    second = owner.post(url, form, HTTP_X_CF_SUBMIT="fetch")
    assert first.status_code == second.status_code == 204
    assert first["X-CF-Location"] == f"/campaigns/{Standup.objects.get().campaign_id}/execution/?date={DAY}"
    assert Standup.objects.count() == 1 and standup_audits() == 1


def test_a_stand_up_written_meanwhile_is_a_conflict_shown_in_the_form(owner, url, users, campaign):
    services.standup_save(actor=users["owner"], campaign=campaign, data={"date": DAY, "done": "电脑上写的"})
    # the page was opened before that stand-up existed: it posts version 0
    stale = owner.post(url, {"date": DAY, "done": "手机上写的", "version": "0", "client_key": "k-9"})
    assert stale.status_code == 409
    assert 'data-testid="conflict"' in stale.content.decode()
    assert Standup.objects.get().done == "电脑上写的" and standup_audits() == 1


def test_the_form_carries_the_version_it_shows_and_the_offline_attributes(owner, url, users, campaign):
    page = owner.get(url).content.decode()
    assert 'data-offline-queue="standup"' in page
    assert f'data-draft="standup-{campaign.id}-{DAY}"' in page
    assert 'name="version" value="0"' in page
    services.standup_save(actor=users["owner"], campaign=campaign, data={"date": DAY, "done": "x"})
    assert 'name="version" value="1"' in owner.get(url).content.decode()


def test_a_text_version_is_stale_not_an_error(owner, url, users, campaign):
    services.standup_save(actor=users["owner"], campaign=campaign, data={"date": DAY, "done": "原文"})
    response = owner.post(url, {"date": DAY, "done": "改写", "version": "abc"})
    assert response.status_code == 409
    assert Standup.objects.get().done == "原文"


def test_an_invalid_form_answers_422_to_the_queue(owner, url):
    response = owner.post(url, {"date": DAY, "not_done": "物料未到", "version": "0"}, HTTP_X_CF_SUBMIT="fetch")
    assert response.status_code == 422
    assert "Say why it was not done." in response.content.decode()
    assert not Standup.objects.exists()
