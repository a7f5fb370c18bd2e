import datetime as dt
from decimal import Decimal

import pytest

from campaignflow.budgets.models import BudgetLine, CampaignPartner, Partner
from campaignflow.campaigns.access import forget_rows
from campaignflow.campaigns.models import Campaign, Playbook
from campaignflow.core.models import AuditEntry
from campaignflow.goals.models import Channel, Kpi
from campaignflow.planning.models import Task
from campaignflow.review.models import EvaluationNote, Retrospective
from conftest import move_to

pytestmark = pytest.mark.django_db


def rows_by_kpi(response):
    assert response.status_code == 200, response.content
    return {r["kpi"]: r for r in response.json()["rows"]}


def test_evaluation_has_the_seeds_numbers(seeded, api_for, users):
    rows = rows_by_kpi(api_for(users["viewer"]).get(f"/campaigns/{seeded.pk}/evaluation"))
    sales = rows["销售额"]
    assert (sales["target"], sales["actual"]) == (5000000, 6200000)
    assert Decimal(str(sales["achievement_rate"])) == Decimal("1.24")
    assert sales["cause"] == "success"
    assert Decimal(str(rows["直播场均GMV"]["achievement_rate"])) == Decimal("0.75")
    assert rows["直播场均GMV"]["cause"] == "shortfall"
    assert Decimal(str(rows["新增会员"]["achievement_rate"])) == Decimal("0.9333")
    assert all(r["analysis"] == "" and r["version"] == 0 for r in rows.values())


def test_patching_a_row_is_versioned_and_audited(seeded, api_for, users):
    api = api_for(users["member"])
    kpi = Kpi.objects.get(campaign=seeded, name="直播场均GMV")
    url = f"/campaigns/{seeded.pk}/evaluation/{kpi.pk}"
    before = AuditEntry.objects.count()
    body = {"version": 0, "analysis": "活动话术未突出新品核心卖点，福袋吸引力不足", "improvement": "优化直播脚本"}
    response = api.patch(url, body)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1 and response.json()["analysis"].startswith("活动话术")
    assert AuditEntry.objects.count() == before + 1
    # a second writer with the stale version 0 is refused and nothing changes
    assert api.patch(url, {"version": 0, "analysis": "覆盖"}).status_code == 409
    assert (
        api.patch(url, {"version": 1, "improvement": "增加“限时限量”话术"}).json()["improvement"]
        == "增加“限时限量”话术"
    )
    assert EvaluationNote.objects.get(kpi=kpi).analysis.startswith("活动话术")
    assert AuditEntry.objects.count() == before + 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 0, "analysis": "x" * 5001}, "analysis"),
        ({"version": "a", "analysis": "x"}, "version"),
        ({"analysis": "x"}, "version"),
        ({"version": 0, "analysis": 5}, "analysis"),
    ],
)
def test_bad_rows_are_refused_naming_the_field(seeded, api_for, users, body, field):
    kpi = Kpi.objects.get(campaign=seeded, name="销售额")
    response = api_for(users["owner"]).patch(f"/campaigns/{seeded.pk}/evaluation/{kpi.pk}", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert not EvaluationNote.objects.exists()


def test_a_kpi_of_another_campaign_is_not_patched(seeded, api_for, users, campaign):
    other = Campaign.objects.create(name="别的活动", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 2))
    foreign = Kpi.objects.create(campaign=other, name="x", metric="x", target=1)
    response = api_for(users["owner"]).patch(
        f"/campaigns/{seeded.pk}/evaluation/{foreign.pk}", {"version": 0, "analysis": "x"}
    )
    assert response.status_code == 422 and "kpi" in response.json()["detail"]
    assert not EvaluationNote.objects.exists()


def test_retrospective_due_in_three_china_working_days(campaign, api_for, users):
    Campaign.objects.filter(pk=campaign.pk).update(end_date=dt.date(2025, 9, 30))
    data = api_for(users["viewer"]).get(f"/campaigns/{campaign.pk}/retrospective").json()
    # National Day holiday: 3 working days after 2025-09-30 is the make-up Saturday 2025-10-11
    assert data["due_date"] == "2025-10-11"
    assert data["completed"] is False and data["days_late"] > 0  # today is long after


def test_completing_the_retrospective_needs_its_text(campaign, api_for, users):
    api = api_for(users["member"])
    url = f"/campaigns/{campaign.pk}/retrospective"
    response = api.patch(url, {"version": 0, "worked": "短视频+KOL组合推广效果显著", "complete": True})
    assert response.status_code == 422 and "improve" in response.json()["detail"]
    assert not Retrospective.objects.exists()
    response = api.patch(
        url,
        {
            "version": 0,
            "worked": "短视频+KOL组合推广效果显著",
            "improve": "物料准备需提前5天验收",
            "assets": [{"title": "KOL合作协议模板", "url": "https://example.com/kol.docx"}],
            "complete": True,
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["completed"] is True and response.json()["version"] == 1
    bad = api.patch(url, {"version": 1, "assets": [{"title": "x", "url": "javascript:alert(1)"}]})
    assert bad.status_code == 422 and "assets[0].url" in bad.json()["detail"]


def test_the_archive_gate_needs_evaluation_retrospective_and_settlement(seeded, api_for, users):
    owner = api_for(users["owner"])
    move_to(seeded, owner, "planning", "executing", "reviewing")
    response = owner.post(f"/campaigns/{seeded.pk}/transition", {"to": "archived"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    unmet = " ".join(response.json()["unmet"])
    assert "3" in unmet and "retrospective" in unmet
    for kpi in Kpi.objects.filter(campaign=seeded):
        assert (
            owner.patch(
                f"/campaigns/{seeded.pk}/evaluation/{kpi.pk}", {"version": 0, "analysis": "原因", "improvement": "建议"}
            ).status_code
            == 200
        )
    owner.patch(
        f"/campaigns/{seeded.pk}/retrospective", {"version": 0, "worked": "好", "improve": "改", "complete": True}
    )
    # a participating partner: the settlement must be signed by every party
    partner = Partner.objects.create(name="健康科技")
    CampaignPartner.objects.create(campaign=seeded, partner=partner, state=CampaignPartner.State.PARTICIPATING)
    response = owner.post(f"/campaigns/{seeded.pk}/transition", {"to": "archived"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "settlement" in " ".join(response.json()["unmet"])
    CampaignPartner.objects.all().delete()
    response = owner.post(f"/campaigns/{seeded.pk}/transition", {"to": "archived"})
    assert response.status_code == 200, response.content
    # archived: the campaign is read-only (403), the evaluation final
    kpi = Kpi.objects.filter(campaign=seeded).first()
    response = owner.patch(f"/campaigns/{seeded.pk}/evaluation/{kpi.pk}", {"version": 1, "analysis": "改"})
    assert (
        response.status_code == 403
        and "archived"
        in owner.patch(
            f"/campaigns/{seeded.pk}/evaluation/{kpi.pk}", {"version": 1, "analysis": "改"}, HTTP_ACCEPT_LANGUAGE="en"
        ).json()["detail"]
    )


def _archived(users, name, **fields):
    c = Campaign.objects.create(
        name=name,
        start_date=fields.pop("start", dt.date(2025, 6, 1)),
        end_date=fields.pop("end", dt.date(2025, 6, 18)),
        status="archived",
        owner=users["owner"],
        **fields,
    )
    c.memberships.create(user=users["owner"], role="owner")
    return c


def test_the_case_library_finds_chinese_text(users, api_for):
    live = _archived(users, "618直播带货专场", type="online_event", industry="美妆护肤", budget_total=Decimal("300000"))
    Channel.objects.create(campaign=live, name="抖音")
    _archived(users, "2024年夏季新品促销", type="promotion", industry="快消零售")
    Campaign.objects.create(
        name="直播未归档", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 2), owner=users["owner"]
    ).memberships.create(user=users["owner"], role="owner")
    api = api_for(users["owner"])
    names = lambda r: [c["name"] for c in r.json()]  # noqa: E731
    assert names(api.get("/cases", {"q": "直播"})) == ["618直播带货专场"]
    assert names(api.get("/cases", {"q": "带货"})) == ["618直播带货专场"]
    assert names(api.get("/cases", {"q": "美妆"})) == ["618直播带货专场"]
    assert names(api.get("/cases", {"q": "团购"})) == []
    assert names(api.get("/cases", {"channel": "抖音"})) == ["618直播带货专场"]
    assert names(api.get("/cases", {"type": "promotion"})) == ["2024年夏季新品促销"]
    assert set(names(api.get("/cases"))) == {"618直播带货专场", "2024年夏季新品促销"}
    assert names(api.get("/cases", {"date_from": "2026-01-01"})) == []
    assert api_for(users["outsider"]).get("/cases", {"q": "直播"}).json() == []
    live.memberships.create(user=users["partner"], role="partner")
    assert api_for(users["partner"]).get("/cases").json() == []
    similar = api.get(f"/campaigns/{live.pk}/similar").json()
    assert [c["name"] for c in similar] == ["2024年夏季新品促销"]


def test_start_from_a_case_copies_plan_kpis_channels_and_budget(campaign, api_for, users):
    Campaign.objects.filter(pk=campaign.pk).update(status="archived")
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=Decimal("300000"))
    Channel.objects.create(campaign=campaign, name="抖音", content_form="短视频+直播")
    BudgetLine.objects.create(campaign=campaign, category="channel", item="小红书KOC合作", planned=Decimal("80000"))
    first = Task.objects.filter(campaign=campaign).order_by("sort_order").first()
    api = api_for(users["member"])
    bad = api.post(f"/campaigns/{campaign.pk}/start-from-case", {"name": "新", "start_date": "2026-13-01"})
    assert bad.status_code == 422 and "start_date" in bad.json()["detail"]
    count = Campaign.objects.count()
    response = api.post(
        f"/campaigns/{campaign.pk}/start-from-case", {"name": "2026年夏季新品促销", "start_date": "2026-06-01"}
    )
    assert response.status_code == 201, response.content
    assert Campaign.objects.count() == count + 1
    new = Campaign.objects.get(pk=response.json()["id"])
    assert (new.start_date, new.end_date, new.status, new.owner) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 30),
        "preparing",
        users["member"],
    )
    shift = new.start_date - campaign.start_date
    copied = Task.objects.get(campaign=new, code=first.code)
    assert copied.name == first.name and copied.end_date == first.end_date + shift
    assert Task.objects.filter(campaign=new).count() == Task.objects.filter(campaign=campaign).count()
    assert list(new.kpis.values_list("name", "target")) == [("销售额", Decimal("300000"))]
    assert list(new.channels.values_list("name", flat=True)) == ["抖音"]
    assert list(new.budget_lines.values_list("item", "planned")) == [("小红书KOC合作", Decimal("80000"))]
    # only archived campaigns are cases
    response = api.post(f"/campaigns/{new.pk}/start-from-case", {"name": "x", "start_date": "2026-06-01"})
    assert response.status_code in (404, 409)


def test_promoting_the_plan_into_a_playbook_shows_a_diff_then_saves(campaign, api_for, users):
    owner = api_for(users["owner"])
    url = f"/campaigns/{campaign.pk}/playbook-promotion"
    assert owner.get(url).status_code == 409  # not finished yet
    Campaign.objects.filter(pk=campaign.pk).update(status="reviewing")
    forget_rows()  # a change recorded nowhere: the kept campaign row would show it only after ROW_SECONDS (ADR 0027)
    task = Task.objects.filter(campaign=campaign).order_by("sort_order").first()
    Task.objects.filter(pk=task.pk).update(name="需求发起与目标确认（含销售部）")
    Retrospective.objects.create(campaign=campaign, worked="好", improve="改", lessons="物料准备需提前5天验收")
    preview = owner.get(url).json()
    assert preview["builtin"] is True and preview["playbook"] == "enterprise-campaign"
    changes = {(d["change"], d["step"]) for d in preview["diff"]}
    assert ("added", "需求发起与目标确认（含销售部）") in changes
    assert ("removed", "需求发起与目标确认") in changes
    assert ("added", "复盘经验（上次活动沉淀）") in changes
    missing = owner.post(url, {})
    assert missing.status_code == 422 and "name" in missing.json()["detail"]
    assert owner.post(url, {"name": "夏季促销模板", "key": "summer-promo"}).status_code == 201
    playbook = Playbook.objects.get(key="summer-promo")
    steps = [s["name"] for p in playbook.latest().phases for s in p["steps"]]
    assert (
        steps[0] == "需求发起与目标确认（含销售部）"
        and "物料准备需提前5天验收" in playbook.latest().phases[-1]["steps"][-1]["remark"]
    )
    assert playbook.based_on.key == "enterprise-campaign"
    # a campaign on an own playbook gets a new version of it, version-checked
    from campaignflow.campaigns.services import campaign_create

    c2, _w = campaign_create(
        actor=users["owner"],
        data={"name": "冬季促销", "start_date": "2025-11-01", "end_date": "2025-11-30"},
        playbook_key="summer-promo",
    )
    Campaign.objects.filter(pk=c2.pk).update(status="archived")
    Task.objects.filter(campaign=c2, code="T002").update(owner_role="市场部")
    url2 = f"/campaigns/{c2.pk}/playbook-promotion"
    assert [d["change"] for d in owner.get(url2).json()["diff"]] == ["changed"]
    assert owner.post(url2, {"version": 9}).status_code == 409
    response = owner.post(url2, {"version": 1})
    assert response.status_code == 201 and response.json()["version"] == 2
    c2.memberships.create(user=users["member"], role="member")
    assert api_for(users["member"]).post(url2, {"version": 2}).status_code == 403
