"""Who may ask for which draft: the access matrix (campaigns/tests/test_access_matrix.py) has one row per
endpoint, so one task each; here every task × actor. Partners get weekly summaries only (of what is shared with
them); the alert analysis and the retrospective are internal to the campaign team; a plan needs the edit right."""

import pytest

from campaignflow.alerts.models import Alert
from campaignflow.assistant.models import Draft

pytestmark = pytest.mark.django_db

ACTORS = ("admin", "owner", "manager", "member", "viewer", "partner", "outsider", "anonymous")
# task              admin owner manager member viewer partner outsider anonymous
TABLE = {
    "weekly_summary": (200, 200, 200, 200, 200, 200, 404, 401),
    "alert_analysis": (200, 200, 200, 200, 200, 403, 404, 401),
    "retro_draft": (200, 200, 200, 200, 200, 403, 404, 401),
    "plan_from_brief": (200, 200, 200, 200, 403, 403, 404, 401),
}
CASES = [
    pytest.param(task, actor, statuses[i], id=f"{task}-{actor}")
    for task, statuses in TABLE.items()
    for i, actor in enumerate(ACTORS)
]


@pytest.mark.parametrize(("task", "actor", "expected"), CASES)
def test_who_may_ask_for_which_draft(api_for, users, campaign, fake_ai, task, actor, expected):
    from campaignflow.assistant.tests.fake_endpoint import ANSWER

    fake_ai.answer_json(ANSWER)
    alert = Alert.objects.create(campaign=campaign, rule="deviation", subject="点击", message="点击低于计划 30%")
    body = {"task": task, "alert": alert.pk, "brief": "夏季新品促销：提升销售额，拉新会员。"}
    response = api_for(None if actor == "anonymous" else users[actor]).post(f"/campaigns/{campaign.pk}/assist", body)
    assert response.status_code == expected, response.content
    if expected == 200:
        assert Draft.objects.get().task == task and len(fake_ai.chat_requests()) == 1
    else:
        assert "detail" in response.json()
        assert Draft.objects.count() == 0 and fake_ai.chat_requests() == []
