"""Issue #19: a user named in a form or API field is looked up one way (accounts.selectors.user_input,
campaigns.selectors.member_input): spaces around the username are ignored, an unknown or deactivated
user is "Unknown user …", and where the rule is a campaign member, anyone else is "… is not a member of
this campaign." — the same two messages for a task, a KPI, a budget line, a risk and a new member."""

import pytest

pytestmark = pytest.mark.django_db

UNKNOWN = "未知用户 %s。"
NOT_MEMBER = "%s 不是该活动的成员。"


def _member_fields(campaign):
    """(path, payload without the user, user field) where the user must be a member of the campaign."""
    c = campaign.id
    return {
        "task owner": (f"/campaigns/{c}/tasks", {"name": "排期", "start_date": "2025-06-02"}, "owner"),
        "kpi owner": (f"/campaigns/{c}/kpis", {"name": "曝光", "metric": "曝光", "target": 100}, "owner"),
        "risk owner": (f"/campaigns/{c}/risks", {"title": "主播临时缺席"}, "owner"),
    }


def _assert_refused(response, field: str, message: str) -> None:
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": field, "message": message}]


@pytest.mark.parametrize("kind", ["task owner", "kpi owner", "risk owner"])
def test_a_member_field_refuses_a_non_member_and_an_unknown_user(campaign, users, api_for, kind):
    client = api_for(users["owner"])
    path, payload, field = _member_fields(campaign)[kind]
    _assert_refused(client.post(path, {**payload, field: "outsider1"}), field, NOT_MEMBER % "outsider1")
    _assert_refused(client.post(path, {**payload, field: "nobody"}), field, UNKNOWN % "nobody")


@pytest.mark.parametrize("kind", ["task owner", "kpi owner", "risk owner"])
def test_a_member_field_ignores_spaces_and_refuses_a_deactivated_member(campaign, users, api_for, kind):
    client = api_for(users["owner"])
    path, payload, field = _member_fields(campaign)[kind]
    ok = client.post(path, {**payload, field: " member1 "})
    assert ok.status_code == 201, ok.content
    users["viewer"].is_active = False
    users["viewer"].save(update_fields=["is_active"])
    _assert_refused(client.post(path, {**payload, field: "viewer1"}), field, UNKNOWN % "viewer1")


def test_any_user_fields_ignore_spaces_and_name_an_unknown_user(campaign, users, api_for):
    client = api_for(users["owner"])
    line = client.post(
        f"/campaigns/{campaign.id}/budget-lines",
        {"category": "channel", "item": "投放", "planned": 100, "owner": " outsider1 "},
    )
    assert line.status_code == 201, line.content
    member = client.post(f"/campaigns/{campaign.id}/members", {"username": "ghost", "role": "member"})
    _assert_refused(member, "username", UNKNOWN % "ghost")
