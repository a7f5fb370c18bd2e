"""The campaign lookup behind every campaign request (access.campaign_for_user, one query written as SQL text)
gives what the ORM gave: typed fields, the owner and playbook joined, the caller's role; and the change stamp
it carries (core.stamps) is never used once the process has written, nor in a later request."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.signals import request_started
from django.db import close_old_connections, connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from campaignflow.accounts.services import token_create, token_revoke, user_for_token
from campaignflow.campaigns import read_cache
from campaignflow.campaigns.access import campaign_for_user, role_in
from campaignflow.campaigns.models import Campaign, Playbook
from campaignflow.campaigns.services import campaign_update
from campaignflow.core import stamps

pytestmark = pytest.mark.django_db


def test_lookup_reads_what_the_orm_reads_in_one_query(campaign, users):
    playbook = Playbook.objects.first()
    Campaign.objects.filter(pk=campaign.pk).update(
        playbook_version=playbook.latest(), budget_total=Decimal("300000.50"), tags=["618", "新品"]
    )
    expected = Campaign.objects.select_related("owner", "playbook_version__playbook").get(pk=campaign.pk)
    with CaptureQueriesContext(connection) as queries:
        found = campaign_for_user(users["member"], campaign.pk)
        seen = (found.owner.username, found.playbook_version.number, found.playbook_version.playbook.name)
        role = role_in(users["member"], found)
        stamp = stamps.change_stamp(found)
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert seen == (expected.owner.username, expected.playbook_version.number, playbook.name)
    assert role == "member"
    assert stamp == stamps.change_stamp(found.pk) > 0
    for field in Campaign._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert isinstance(found.budget_total, Decimal) and isinstance(found.start_date, dt.date)
    assert found.tags == ["618", "新品"] and found.created_at.tzinfo is not None
    assert found.playbook_version.phases == expected.playbook_version.phases


def test_lookup_keeps_the_visibility_rules(campaign, users):
    with pytest.raises(Http404):
        campaign_for_user(users["outsider"], campaign.pk)
    assert campaign_for_user(users["admin"], campaign.pk).pk == campaign.pk  # not a member: sees every campaign
    Campaign.objects.filter(pk=campaign.pk).update(deleted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(Http404):
        campaign_for_user(users["owner"], campaign.pk)
    with pytest.raises(Http404):
        campaign_for_user(users["owner"], campaign.pk, include_deleted=True)  # only administrators see deleted ones
    assert campaign_for_user(users["admin"], campaign.pk, include_deleted=True).pk == campaign.pk
    with pytest.raises(Http404):
        campaign_for_user(users["admin"], campaign.pk)


def test_a_campaign_without_owner_or_playbook(campaign, users):
    Campaign.objects.filter(pk=campaign.pk).update(owner=None, playbook_version=None)
    with CaptureQueriesContext(connection) as queries:
        found = campaign_for_user(users["member"], campaign.pk)
        assert found.owner is None and found.playbook_version is None
    assert len(queries) == 1


def test_a_read_after_a_write_in_the_same_request_sees_the_write(campaign, users):
    owner = users["owner"]
    found = campaign_for_user(owner, campaign.pk)
    assert read_cache.cached(found, owner, "name", lambda: found.name) == campaign.name
    # the write records an audit entry
    campaign_update(actor=owner, campaign=found, version=found.version, data={"name": "夏季促销"})
    fresh = Campaign.objects.get(pk=campaign.pk)
    assert read_cache.cached(found, owner, "name", lambda: fresh.name) == "夏季促销"  # a new stamp: rebuilt


def test_a_carried_stamp_is_not_used_in_a_later_request(campaign, users):
    found = campaign_for_user(users["owner"], campaign.pk)
    with CaptureQueriesContext(connection) as queries:
        stamps.change_stamp(found)
    assert len(queries) == 0  # carried
    request_started.disconnect(close_old_connections)  # (it would close the test's transaction)
    try:
        request_started.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
    with CaptureQueriesContext(connection) as queries:
        stamps.change_stamp(found)
    assert len(queries) == 1  # read again


def test_token_lookup(users):
    token, raw = token_create(user=users["member"])
    found = user_for_token(raw)
    assert found.pk == users["member"].pk and found.username == users["member"].username
    token.refresh_from_db()
    assert token.last_used_at is not None
    with CaptureQueriesContext(connection) as queries:
        found = user_for_token(raw)
        stamp = stamps.global_stamp(found)  # carried: the reads across campaigns need no query of their own
    assert found.pk == users["member"].pk
    assert len(queries) == 1  # used a moment ago: no write
    assert stamp == stamps.global_stamp() > 0
    assert user_for_token(raw + "x") is None and user_for_token("nonsense") is None
    token_revoke(user=users["member"], token_id=token.pk)
    assert user_for_token(raw) is None
    _t, other = token_create(user=users["viewer"])
    type(users["viewer"]).objects.filter(pk=users["viewer"].pk).update(is_active=False)
    assert user_for_token(other) is None


# --- the lookup's rows kept by the stamp of all (access._campaign_row) ----------------------------------------


def _queries(call) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert call().status_code == 200
    return [q["sql"] for q in queries]


def test_an_api_read_just_after_another_asks_the_database_only_for_the_token(campaign, users, api_for):
    """Nothing was recorded anywhere since the last read of this campaign (the token's query brings the stamp of
    all): its row is kept, and a cached read costs the database one query."""
    api = api_for(users["member"])
    kpis = f"/campaigns/{campaign.id}/kpis"
    first, second = _queries(lambda: api.get(kpis)), _queries(lambda: api.get(kpis))
    lookup = [sql for sql in first if "campaigns_membership" in sql and "MAX(a.id)" in sql]
    assert len(lookup) == 1 and len(second) == 1 and "token_hash" in second[0], second  # the token's query only


def test_a_member_removed_meanwhile_is_refused_at_once(campaign, users, api_for):
    from campaignflow.campaigns.models import Membership
    from campaignflow.campaigns.services import member_remove

    api = api_for(users["member"])
    kpis = f"/campaigns/{campaign.id}/kpis"
    assert api.get(kpis).status_code == 200
    membership = Membership.objects.get(campaign=campaign, user=users["member"])
    member_remove(actor=users["owner"], campaign=campaign, membership_id=membership.pk)  # recorded: a new stamp
    assert api.get(kpis).status_code == 404


def test_a_change_made_outside_the_services_is_seen_once_the_row_is_old(campaign, users, api_for, monkeypatch):
    """The Django admin records no audit entry: a kept row is then served for ROW_SECONDS at most."""
    from campaignflow.campaigns import access
    from campaignflow.campaigns.models import Membership

    api = api_for(users["member"])
    kpis = f"/campaigns/{campaign.id}/kpis"
    assert api.get(kpis).status_code == 200
    Membership.objects.filter(campaign=campaign, user=users["member"]).delete()  # no audit entry
    monkeypatch.setattr(access, "ROW_SECONDS", 0.0)
    assert api.get(kpis).status_code == 404


def test_a_page_read_with_the_session_is_not_answered_from_a_kept_row(campaign, users):
    """Signed-in pages have no token query to bring the stamp of all: their lookup asks the database each time."""
    from conftest import logged_in

    client = logged_in(users["member"])
    url = f"/campaigns/{campaign.id}/"
    first, second = _queries(lambda: client.get(url)), _queries(lambda: client.get(url))
    assert any("campaigns_membership" in sql and "MAX(a.id)" in sql for sql in second)
    assert len(first) == len(second)


def test_campaigns_built_from_one_kept_row_share_no_mutable_value(campaign, users):
    """A kept row serves many requests: each builds its own instances, so one that changes a list in place (a
    campaign's tags, its playbook's phases) never changes what the next request reads."""
    from campaignflow.campaigns.access import _CAMPAIGN_PARTS, _campaign_sql
    from campaignflow.core.joined_rows import fetch_row, instances_from

    Campaign.objects.filter(pk=campaign.pk).update(tags=["618"], playbook_version=Playbook.objects.first().latest())
    row = fetch_row(_campaign_sql(connection.vendor, False, False), [users["member"].pk, campaign.pk])
    (first, _extra), (second, _same) = instances_from(row, _CAMPAIGN_PARTS), instances_from(row, _CAMPAIGN_PARTS)
    first.tags.append("新品")
    first.playbook_version.phases.append({"name": "x"})
    assert second.tags == ["618"] and {"name": "x"} not in second.playbook_version.phases
