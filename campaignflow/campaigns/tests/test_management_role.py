"""Management (the global role "management"): reads dashboards and reports, never edits (PRODUCT.md "Users").
Within a campaign it is a viewer whatever its role there (test_access_matrix); outside one it may neither start a
campaign nor change the team's shared things (partner companies, playbooks), and the pages offer none of it."""

import pytest

from campaignflow.accounts.models import Role
from conftest import logged_in, make_user

REFUSAL = "管理层账号只能查看看板和报告，不能修改任何内容。"


@pytest.fixture
def boss(db):
    return make_user("management1", Role.MANAGEMENT, display_name="周管理层")


def test_it_may_not_start_a_campaign_add_a_partner_company_or_copy_a_playbook(api_for, boss, playbooks):
    client = api_for(boss)
    create = client.post("/campaigns", {"name": "新活动", "start_date": "2026-07-01", "end_date": "2026-07-31"})
    assert create.status_code == 403
    partner = client.post("/partners", {"name": "运动装备公司"})
    assert partner.status_code == 403 and partner.json()["detail"] == REFUSAL
    copy = client.post("/playbooks/enterprise-campaign/copy", {"key": "my-copy", "name": "我的模板"})
    assert copy.status_code == 403 and copy.json()["detail"] == REFUSAL
    assert client.get("/playbooks/enterprise-campaign").status_code == 200  # it reads them


def test_the_pages_offer_it_nothing_to_start_or_copy(boss, users, playbooks):
    page = logged_in(boss).get("/campaigns/").content.decode()
    assert 'data-testid="new-campaign"' not in page
    playbook = logged_in(boss).get("/playbooks/enterprise-campaign/").content.decode()
    assert "复制流程模板" not in playbook and "用此模板新建活动" not in playbook
    assert logged_in(boss).get("/campaigns/new/").status_code == 403
    assert 'data-testid="new-campaign"' in logged_in(users["member"]).get("/campaigns/").content.decode()
