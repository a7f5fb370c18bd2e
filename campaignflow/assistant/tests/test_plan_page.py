"""The plan-from-brief page, through the Django client against the fake endpoint: a brief → the draft's diff
(KPIs with targets, channel split, budget lines, task date changes, the model, the sources) → applied once;
stale or repeated applies are 409 with a message, a refused row is 422 and named on the page."""

import datetime as dt

from campaignflow.assistant.models import Draft
from campaignflow.budgets.models import BudgetLine
from campaignflow.goals.models import Channel, Kpi
from campaignflow.planning.models import Task
from conftest import logged_in

from .test_drafts import _plan


def _url(campaign, suffix=""):
    return f"/campaigns/{campaign.pk}/assist/plan/{suffix}"


def _generate(client, campaign, fake_ai, plan=None, brief="夏季新品促销，目标年轻女性，预算50万。"):
    task = Task.objects.filter(campaign=campaign).order_by("sort_order").first()
    plan = plan or _plan(task.code)
    fake_ai.answer_json(plan)
    response = client.post(_url(campaign), {"brief": brief})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Draft.objects.latest("id")
    assert response["Location"] == _url(campaign) + f"?draft={draft.pk}"
    return draft, task


def test_the_plan_page_links_to_it_only_for_editors_when_configured(campaign, users, fake_ai, settings):
    page = logged_in(users["owner"]).get(f"/campaigns/{campaign.pk}/plan/").content.decode()
    assert 'data-testid="plan-from-brief-link"' in page and "按简报生成方案" in page
    viewer_page = logged_in(users["viewer"]).get(f"/campaigns/{campaign.pk}/plan/").content.decode()
    assert "plan-from-brief-link" not in viewer_page
    assert logged_in(users["viewer"]).get(_url(campaign)).status_code == 403
    assert logged_in(users["partner"]).get(_url(campaign)).status_code == 403
    form = logged_in(users["member"]).get(_url(campaign))
    assert form.status_code == 200 and 'data-testid="plan-brief-text"' in form.content.decode()
    assert "企业营销活动通用流程" in form.content.decode()  # the playbook it plans from
    settings.AI_BASE_URL = ""
    assert (
        "plan-from-brief-link" not in logged_in(users["owner"]).get(f"/campaigns/{campaign.pk}/plan/").content.decode()
    )
    assert logged_in(users["owner"]).get(_url(campaign)).status_code == 404


def test_generate_shows_the_diff_then_apply_creates_it(campaign, users, fake_ai):
    client = logged_in(users["owner"])
    draft, task = _generate(client, campaign, fake_ai)
    assert "夏季新品促销" in fake_ai.prompt_text()
    page = client.get(_url(campaign) + f"?draft={draft.pk}").content.decode()
    for text in ("新增会员", "3,000 人", "2025-06-30", "60%", "短视频", "¥25.5万", "¥50万", "应急预备金",
                 "2025-05-20 → 2025-05-25", "提前", "渠道推广 · 抖音投放", "fake-gpt", "新增", "生成草稿", "应用"):  # fmt: skip
        assert text in page, text
    assert 'data-testid="plan-diff-task"' in page and "NOPE" not in page
    assert Kpi.objects.count() == 0  # nothing written before the apply

    applied = client.post(_url(campaign, f"{draft.pk}/apply/"), {"version": draft.version}, follow=True)
    assert applied.status_code == 200
    body = applied.content.decode()
    assert 'data-testid="plan-applied"' in body and 'data-testid="plan-apply"' not in body
    assert "已应用" in body and ">修改<" not in body  # the applied rows are not shown as changes of themselves
    assert sorted(Kpi.objects.values_list("name", flat=True)) == ["新增会员", "销售额目标"]
    assert sorted(Channel.objects.values_list("name", flat=True)) == ["小红书", "抖音"]
    assert BudgetLine.objects.count() == 3
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (dt.date(2025, 5, 20), dt.date(2025, 5, 25))

    again = client.post(_url(campaign, f"{draft.pk}/apply/"), {"version": draft.version})
    assert again.status_code == 409 and "已应用" in again.content.decode()
    assert Kpi.objects.count() == 2


def test_a_stale_version_is_refused_with_a_message(campaign, users, fake_ai):
    client = logged_in(users["owner"])
    draft, _task = _generate(client, campaign, fake_ai)
    response = client.post(_url(campaign, f"{draft.pk}/apply/"), {"version": draft.version + 5})
    assert response.status_code == 409 and 'data-testid="plan-error"' in response.content.decode()
    assert Kpi.objects.count() == 0
    assert client.post(_url(campaign, f"{draft.pk}/apply/"), {"version": "x"}).status_code == 422


def test_a_refused_row_is_named_on_the_page_and_nothing_is_applied(campaign, users, fake_ai):
    client = logged_in(users["owner"])
    client.post(f"/campaigns/{campaign.pk}/goals/channels/new/", {"name": "小红书"})
    Channel.objects.get_or_create(campaign=campaign, name="小红书")
    draft, _task = _generate(client, campaign, fake_ai)
    page = client.get(_url(campaign) + f"?draft={draft.pk}").content.decode()
    assert "修改" in page  # 小红书 already exists: a change, which the apply step refuses
    response = client.post(_url(campaign, f"{draft.pk}/apply/"), {"version": draft.version})
    body = response.content.decode()
    assert response.status_code == 422 and 'data-testid="plan-row-error"' in body and "row-error" in body
    assert 'data-testid="plan-apply-errors"' in body
    assert Kpi.objects.count() == 0 and BudgetLine.objects.count() == 0


def test_bad_briefs_and_failed_calls_are_shown_not_500(campaign, users, fake_ai):
    from tests.support.openai_server import Reply

    client = logged_in(users["owner"])
    empty = client.post(_url(campaign), {"brief": "   "})
    assert empty.status_code == 422 and 'data-testid="plan-field-error"' in empty.content.decode()
    fake_ai.answer(Reply(content="这不是JSON"))
    failed = client.post(_url(campaign), {"brief": "夏季促销"})
    assert failed.status_code == 502 and 'data-testid="plan-error"' in failed.content.decode()
    assert Draft.objects.count() == 0
    assert client.get(_url(campaign) + "?draft=999999").status_code == 404


def test_english_page(campaign, users, fake_ai):
    client = logged_in(users["owner"], language="en")
    draft, _task = _generate(client, campaign, fake_ai)
    page = client.get(_url(campaign) + f"?draft={draft.pk}").content.decode()
    assert "Plan from a brief" in page and "Channel split" in page and "Apply" in page


def test_another_playbook_can_be_chosen(campaign, users, fake_ai):
    from campaignflow.campaigns.models import PlaybookVersion

    other = PlaybookVersion.objects.exclude(pk=campaign.playbook_version_id).select_related("playbook").first()
    client = logged_in(users["owner"])
    form = client.get(_url(campaign)).content.decode()
    assert f'<option value="{campaign.playbook_version_id}" selected>' in form and f'value="{other.pk}"' in form
    fake_ai.answer_json(_plan("T001"))
    response = client.post(_url(campaign), {"brief": "夏季促销", "playbook": str(other.pk)})
    assert response.status_code == 302
    assert other.playbook.name in fake_ai.prompt_text()
    draft = Draft.objects.get()
    assert draft.draft["playbook"]["id"] == other.pk
    assert other.playbook.name in client.get(response["Location"]).content.decode()
    for bad in ("999999", "abc"):
        refused = client.post(_url(campaign), {"brief": "夏季促销", "playbook": bad})
        assert refused.status_code == 422 and "请从列出的流程模板中选择一个" in refused.content.decode(), bad
    assert Draft.objects.count() == 1


def test_the_api_takes_a_playbook(owner_api, campaign, fake_ai):
    fake_ai.answer_json(_plan("T001"))
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/assist", {"task": "plan_from_brief", "brief": "b", "playbook": 999999}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "playbook"


def test_a_campaign_without_a_playbook_plans_from_a_chosen_one(users, playbooks, fake_ai):
    from campaignflow.campaigns.models import PlaybookVersion
    from conftest import make_campaign

    bare = make_campaign(users)
    assert bare.playbook_version_id is None
    chosen = PlaybookVersion.objects.select_related("playbook").first()
    client = logged_in(users["owner"])
    assert f'value="{chosen.pk}"' in client.get(_url(bare)).content.decode()
    no_choice = client.post(_url(bare), {"brief": "夏季促销"})
    assert no_choice.status_code == 422 and "请选择一个" in no_choice.content.decode()
    plan = _plan("T001")
    plan["task_adjustments"] = []
    fake_ai.answer_json(plan)
    response = client.post(_url(bare), {"brief": "夏季促销", "playbook": str(chosen.pk)})
    assert response.status_code == 302 and chosen.playbook.name in fake_ai.prompt_text()
