"""Who may edit a partner company and read its contacts (issue #18, item 1).

Editing needs a right over the company: its creator, an admin, or an owner/manager of a (not deleted)
campaign that uses it. Contacts are shown only to those who see the company in a campaign of theirs or
created it; partner contacts see only their own company (others are 404 to them).
"""

import pytest
from django.test import Client
from django.utils import timezone

from campaignflow.budgets.models import CampaignPartner, Partner, PartnerContact
from campaignflow.campaigns.models import Campaign
from campaignflow.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PHONE = "刘经理 138-0000-0000 liu@example.cn"


@pytest.fixture
def companies(bc, users):
    """健康科技 (admin's, a candidate of the campaign, partner1 acts for it), 运动装备 (outsider1's own),
    零售集团 (admin's, in no campaign)."""
    health = Partner.objects.create(name="健康科技", contacts=PHONE, note="内部备注", created_by=users["admin"])
    sports = Partner.objects.create(name="运动装备", contacts="张三 139", created_by=users["outsider"])
    retail = Partner.objects.create(name="零售集团", contacts="李四 137", created_by=users["admin"])
    PartnerContact.objects.create(user=users["partner"], partner=health)
    CampaignPartner.objects.create(campaign=bc, partner=health)
    return {"health": health, "sports": sports, "retail": retail}


def _patch(client, company, **changes):
    version = Partner.objects.get(pk=company.pk).version
    return client.patch(f"/partners/{company.pk}", {"version": version, **changes})


def test_editing_a_company_needs_a_right_over_it(api, companies, bc):
    health = companies["health"]
    for key in ("outsider", "member", "viewer", "finance", "director", "partner", "owner", "manager", "admin"):
        api(key)  # each client's token is an audited write of its own
    audits = AuditEntry.objects.count()
    # No link to the company or to a campaign that uses it; a member/viewer of such a campaign is not enough.
    for key in ("outsider", "member", "viewer", "finance", "director"):
        response = _patch(api(key), health, name=f"{key} 改名")
        assert response.status_code == 403, (key, response.content)
        assert "detail" in response.json()
    assert Partner.objects.get(pk=health.pk).name == "健康科技"
    assert AuditEntry.objects.count() == audits
    # The company's own contact sees it but may not edit it; other companies do not exist for them.
    assert _patch(api("partner"), health, note="改").status_code == 403
    assert _patch(api("partner"), companies["retail"], note="改").status_code == 404
    assert (
        api("partner").post(f"/partners/{companies['retail'].pk}/contacts", {"username": "member1"}).status_code == 404
    )
    # Owner and manager of a campaign that uses it, the admin, and the creator may; each edit is audited.
    for key in ("owner", "manager", "admin"):
        response = _patch(api(key), health, note=f"{key} 备注")
        assert response.status_code == 200, (key, response.content)
        assert response.json()["contacts"] == PHONE
    assert _patch(api("outsider"), companies["sports"], industry="运动").status_code == 200
    assert AuditEntry.objects.count() == audits + 4
    # A deleted campaign no longer gives its managers a right over the company.
    Campaign.objects.filter(pk=bc.pk).update(deleted_at=timezone.now())
    assert _patch(api("owner"), health, note="删除后").status_code == 403


def test_contacts_are_shown_only_for_companies_of_ones_campaigns_or_own(api, companies):
    def listed(key):
        return {p["name"]: (p["contacts"], p["note"]) for p in api(key).get("/partners").json()}

    # Every internal user still sees every company's name (to pick one for a campaign)...
    assert listed("outsider") == {"健康科技": ("", ""), "运动装备": ("张三 139", ""), "零售集团": ("", "")}
    # ...the contacts only where the company is in a campaign of theirs, or they created it.
    assert listed("viewer") == {"健康科技": (PHONE, "内部备注"), "运动装备": ("", ""), "零售集团": ("", "")}
    assert listed("admin") == {
        "健康科技": (PHONE, "内部备注"),
        "运动装备": ("张三 139", ""),
        "零售集团": ("李四 137", ""),
    }
    assert listed("partner") == {"健康科技": (PHONE, "内部备注")}
    body = api("outsider").get("/partners").content.decode()
    assert "138-0000-0000" not in body and "liu@example.cn" not in body


def test_a_partner_contact_cannot_pull_another_company_into_a_campaign_of_their_own(api, companies, users):
    """Adding a company to a campaign they manage would show its contacts on that campaign's partners page. (A
    partner contact creates no campaign, campaigns.access.may_create_campaigns: the team made them a manager.)"""
    partner = api("partner")
    new = {"name": "合作方自建活动", "start_date": "2025-07-01", "end_date": "2025-07-31"}
    assert partner.post("/campaigns", new).status_code == 403
    own = api("owner").post("/campaigns", new)
    assert own.status_code == 201
    cid = own.json()["id"]
    added = api("owner").post(f"/campaigns/{cid}/members", {"username": users["partner"].username, "role": "manager"})
    assert added.status_code == 201
    refused = partner.post(f"/campaigns/{cid}/partners", {"partner": companies["retail"].pk})
    assert refused.status_code == 422 and "partner" in refused.json()["detail"]
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(users["partner"])
    page = web.post(f"/campaigns/{cid}/partners/add/", {"name": "零售集团"})
    assert page.status_code == 200 and "李四 137" not in page.content.decode()
    assert not CampaignPartner.objects.filter(campaign_id=cid).exists()
    # Their own company they may add.
    assert partner.post(f"/campaigns/{cid}/partners", {"partner": companies["health"].pk}).status_code == 201


# --- the company's page (campaigns/<id>/partners/<cp>/company/) ---------------------------------------------------


def _page(key, users, bc, companies):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users[key])
    cp = CampaignPartner.objects.get(campaign=bc, partner=companies["health"])
    return client, f"/campaigns/{bc.pk}/partners/{cp.pk}/company/"


def test_the_company_page_edits_it_versioned_and_audited(users, bc, companies):
    client, url = _page("owner", users, bc, companies)
    html = client.get(url).content.decode()
    assert 'name="name"' in html and "内部备注" in html and "partner1" in html  # its account is listed
    posted = {"name": "健康科技集团", "industry": "大健康", "contacts": PHONE, "note": "年度框架合作", "version": 1}
    response = client.post(url, posted, follow=True)
    assert "Partner company “健康科技” saved." in response.content.decode()
    health = Partner.objects.get(pk=companies["health"].pk)
    assert (health.name, health.industry, health.note, health.version) == ("健康科技集团", "大健康", "年度框架合作", 2)
    entry = AuditEntry.objects.filter(object_id=str(health.pk), action="update").latest("id")
    assert entry.before["name"] == "健康科技" and entry.after["name"] == "健康科技集团"
    # a stale version: the conflict with a reload link, nothing written
    stale = client.post(url, posted | {"note": "旧页面", "version": 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in stale.content.decode()
    # a name another company has: said on the field
    taken = client.post(url, posted | {"name": "运动装备", "version": 2})
    assert taken.status_code == 422 and "A partner company with this name exists already." in taken.content.decode()
    assert Partner.objects.get(pk=health.pk).note == "年度框架合作"


def test_who_may_not_edit_reads_the_company_and_is_refused_when_forcing(users, bc, companies):
    member, url = _page("member", users, bc, companies)
    html = member.get(url).content.decode()
    assert 'name="name"' not in html and "内部备注" in html  # read, no form
    assert member.post(url, {"name": "改名", "version": 1}).status_code == 403
    partner, _url = _page("partner", users, bc, companies)
    assert partner.get(url).status_code == 404  # a candidate company is not yet theirs to see in the campaign
    CampaignPartner.objects.filter(campaign=bc).update(state=CampaignPartner.State.PARTICIPATING)
    seen = partner.get(url)
    assert seen.status_code == 200 and 'name="name"' not in seen.content.decode()
    assert partner.post(url, {"name": "改名", "version": 1}).status_code == 403
    assert Partner.objects.get(pk=companies["health"].pk).name == "健康科技"


def test_an_approver_links_an_account_to_the_company_from_its_page(users, bc, companies):
    finance, url = _page("finance", users, bc, companies)
    assert 'data-testid="link-account"' in finance.get(url).content.decode()
    done = finance.post(url + "accounts/", {"username": "viewer1"}, follow=True)
    assert "viewer1 now acts for 健康科技." in done.content.decode()
    assert PartnerContact.objects.get(user=users["viewer"]).partner == companies["health"]
    unknown = finance.post(url + "accounts/", {"username": "nobody"}, follow=True)
    assert unknown.status_code == 200 and not PartnerContact.objects.filter(user__username="nobody").exists()
    owner, _url = _page("owner", users, bc, companies)
    assert 'data-testid="link-account"' not in owner.get(url).content.decode()  # the owner may edit, not link
    assert owner.post(url + "accounts/", {"username": "member1"}).status_code == 403


def test_management_reads_the_company_page_even_as_its_creator_and_may_not_edit(users, bc, companies):
    from campaignflow.accounts.models import Role
    from conftest import make_user

    boss = make_user("management1", Role.MANAGEMENT)
    Partner.objects.filter(pk=companies["health"].pk).update(created_by=boss)  # a right it would have otherwise
    bc.memberships.create(user=boss, role="owner")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(boss)
    cp = CampaignPartner.objects.get(campaign=bc, partner=companies["health"])
    url = f"/campaigns/{bc.pk}/partners/{cp.pk}/company/"
    html = client.get(url).content.decode()
    assert 'name="name"' not in html and 'data-testid="link-account"' not in html
    refused = client.post(url, {"name": "改名", "version": 1})
    assert refused.status_code == 403 and "管理层账号只能查看看板和报告，不能修改任何内容。" in refused.content.decode()
    assert client.post(url + "accounts/", {"username": "member1"}).status_code == 403
    assert Partner.objects.get(pk=companies["health"].pk).name == "健康科技"
    assert not PartnerContact.objects.filter(user=users["member"]).exists()
