"""Chat card fixtures: the conftest campaign with finance and director members, an overrun waiting for the
director, and the product pointed at a real local DingTalk / Feishu / WeCom server (tests/support/chat_platforms)
with the director, the manager and the member linked there."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from campaignflow.budgets import services as budget_services
from campaignflow.campaigns.models import Membership
from campaignflow.notifications.delivery import deliver_due
from campaignflow.signin.models import ExternalIdentity
from tests.support.identity_fixtures import dingtalk_server, feishu_server, wecom_server  # noqa: F401

PEOPLE = {"director": "zhangwei", "manager": "lina", "member": "wangfang", "finance": "liuyang"}


@pytest.fixture
def team(campaign, users):
    """The campaign; finance1 and director1 are members (viewers) so they can see and decide."""
    for key in ("finance", "director"):
        Membership.objects.create(campaign=campaign, user=users[key], role="viewer")
    return campaign


def overrun(campaign, actor, amount: int = 12000):
    """An expense over its line's plan: held for a director's approval."""
    line = budget_services.line_create(
        actor=campaign.owner, campaign=campaign, data={"category": "channel", "item": "抖音投放", "planned": 10000}
    )
    return budget_services.expense_create(
        actor=actor,
        campaign=campaign,
        data={"budget_line": line.pk, "amount": amount, "date": "2025-06-05", "payee": "星图代理"},
    )


@dataclass
class Platform:
    id: str
    server: object

    def subject(self, userid: str) -> str:
        """What the product stores as the person's id there (ADR 0015): the union id, WeCom's userid."""
        return userid if self.id == "wecom" else self.server.users[userid].unionid

    def link(self, user, userid: str) -> None:
        ExternalIdentity.objects.create(user=user, method=self.id, subject=self.subject(userid))


def connect(request, settings, users, platform: str) -> Platform:
    server = request.getfixturevalue(f"{platform}_server")
    settings.SITE_URL = "http://testserver"
    for name, value in server.settings().items():
        setattr(settings, name, value)
    chat = Platform(platform, server)
    for key, userid in PEOPLE.items():
        server.add_user(userid, name=users[key].display_name)
        chat.link(users[key], userid)
    return chat


@pytest.fixture(params=["dingtalk", "feishu", "wecom"])
def platform(request, settings, users) -> Platform:
    return connect(request, settings, users, request.param)


@pytest.fixture
def feishu(request, settings, users) -> Platform:
    return connect(request, settings, users, "feishu")


@pytest.fixture
def wecom(request, settings, users) -> Platform:
    return connect(request, settings, users, "wecom")


@pytest.fixture
def dingtalk(request, settings, users) -> Platform:
    return connect(request, settings, users, "dingtalk")


@pytest.fixture
def send_cards(django_capture_on_commit_callbacks):
    """Run what the write queued after its commit (notify), then send every due delivery."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            result = write()
        deliver_due()
        return result

    return run
