"""`manage.py load_demo`: demo users and campaigns across the lifecycle, built from the seeds.

Idempotent: a second run changes nothing and prints the logins again.
"""

import datetime as dt
import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from campaignflow.accounts.models import Role, User
from campaignflow.campaigns import services
from campaignflow.campaigns.models import Campaign, MemberRole, Membership
from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks
from campaignflow.planning.models import Task, TaskStatus

DEMO_PASSWORD = "CampaignFlow2025"

USERS = [
    # username, display name, global role, what they do
    ("admin", "系统管理员", Role.ADMIN, "administrator"),
    ("wangjl", "王经理", Role.MEMBER, "campaign owner (总负责人)"),
    ("lich", "李策划", Role.MEMBER, "planner (策划组)"),
    ("zhangzy", "张专员", Role.MEMBER, "marketing specialist (宣传组)"),
    ("chensj", "陈设计", Role.MEMBER, "designer"),
    ("zhaocw", "赵财务", Role.FINANCE, "finance approver"),
    ("sunzj", "孙总监", Role.DIRECTOR, "director"),
    ("zhougl", "周管理层", Role.MANAGEMENT, "management, read-only"),
    ("partner", "健康科技合作方·刘", Role.MEMBER, "partner contact"),
]

# Which demo user takes a task, by the playbook step's owner role.
ROLE_OWNERS = {"财务": "zhaocw", "策划组": "lich", "市场专员": "zhangzy", "宣传组": "zhangzy", "设计": "chensj"}

CAMPAIGNS = [
    {
        "name": "2024年夏季新品促销",
        "playbook": "enterprise-campaign",
        "start": "2024-06-01",
        "end": "2024-06-30",
        "budget": "500000",
        "industry": "快消零售",
        "tags": ["新品", "促销", "夏季"],
        "to": "archived",
        "description": "活动期间销售额30万（核心），新增会员3000人，社交曝光100万+。关键利益相关方：销售部（对接渠道）、产品部（提供样品）。",
    },
    {
        "name": "618直播带货专场",
        "playbook": "online-event",
        "start": "2026-06-01",
        "end": "2026-06-18",
        "budget": "300000",
        "industry": "美妆护肤",
        "tags": ["直播", "618"],
        "to": "archived",
        "description": "抖音官方账号直播3场，场均GMV20万元；报名5000人，转化率5%。",
    },
    {
        "name": "Q3新品营销策略执行",
        "playbook": "strategy-execution",
        "start": "2026-07-01",
        "end": "2026-09-30",
        "budget": "1450000",
        "industry": "美妆护肤",
        "tags": ["新品", "小红书", "私域"],
        "to": "reviewing",
        "description": "3个月内新品销售额达到500万元，新客占比不低于40%；小红书笔记总曝光500万次，社群新增3000人。",
    },
    {
        "name": "冬季新品焕新季促销",
        "playbook": "enterprise-campaign",
        "start": "2026-11-10",
        "end": "2026-12-10",
        "budget": "500000",
        "industry": "快消零售",
        "tags": ["新品", "冬季", "会员"],
        "to": "executing",
        "description": "活动期间销售额提升30%（目标30万），新增会员3000人，社交媒体曝光量100万+。",
    },
    {
        "name": "焕新上市·美力绽放 新品线上发布会",
        "playbook": "online-event",
        "start": "2026-12-18",
        "end": "2026-12-18",
        "budget": "200000",
        "industry": "美妆护肤",
        "tags": ["发布会", "直播"],
        "to": "planning",
        "description": "Q4新品上市：10万次曝光、5000人报名、转化率5%。目标人群：25-35岁女性、对美妆护肤感兴趣的中高收入人群。",
    },
    {
        "name": "科技+健康跨界联名活动",
        "playbook": "cross-industry",
        "start": "2027-01-11",
        "end": "2027-03-31",
        "budget": "",
        "industry": "科技/健康",
        "tags": ["跨界", "联名"],
        "to": "preparing",
        "description": "3个月内触达100万目标用户，双方品牌声量提升30%，合作产品销量增长20%。",
    },
]

PATH = ["planning", "executing", "reviewing", "archived"]

# Modules with `extend_demo(*, campaigns, users, specs)`, run in this order after the campaigns exist, and/or
# `after_demo(...)`, run after the campaigns have moved to their stage.
DEMO_EXTENSIONS = [
    "campaignflow.planning.demo",
    "campaignflow.goals.demo",
    "campaignflow.tracking.demo",
    "campaignflow.events.demo",
    "campaignflow.budgets.demo",
    "campaignflow.execution.demo",
    "campaignflow.materials.demo",  # before the alerts: what arrived is accepted before late materials are checked
    "campaignflow.alerts.demo",
    "campaignflow.review.demo",
]


class Command(BaseCommand):
    help = "Load demo users and campaigns (idempotent) and print the logins."

    def handle(self, *args, **options):
        sync_builtin_playbooks()
        with transaction.atomic():
            users = self._users()
            created = [spec for spec in CAMPAIGNS if not Campaign.objects.filter(name=spec["name"]).exists()]
            for spec in created:
                self._campaign(spec, users)
            campaigns = {c.name: c for c in Campaign.objects.filter(name__in=[s["name"] for s in CAMPAIGNS])}
            modules = [importlib.import_module(name) for name in DEMO_EXTENSIONS]
            for module in modules:
                # Each capability adds its own demo data (KPIs, metrics, budget …) before the campaigns
                # move through their stage gates; each extension is idempotent.
                if hasattr(module, "extend_demo"):
                    module.extend_demo(campaigns=campaigns, users=users, specs=CAMPAIGNS)
            for spec in created:
                self._advance(campaigns[spec["name"]], spec["to"], users["wangjl"])
            for module in modules:
                # what only a campaign at its stage has (stand-ups and issues of a running campaign, alerts)
                if hasattr(module, "after_demo"):
                    module.after_demo(campaigns=campaigns, users=users, specs=CAMPAIGNS)
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, display, role, what in USERS:
            self.stdout.write(f"  {username:<9} {display:<10} {role:<9} {what}")

    def _users(self) -> dict[str, User]:
        users = {}
        for username, display, role, _what in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    display_name=display,
                    role=role,
                    email=f"{username}@example.cn",
                    is_staff=role == Role.ADMIN,
                    is_superuser=role == Role.ADMIN,
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        return users

    def _campaign(self, spec: dict, users: dict[str, User]) -> None:
        owner = users["wangjl"]
        campaign, _w = services.campaign_create(
            actor=owner,
            playbook_key=spec["playbook"],
            data={
                "name": spec["name"],
                "start_date": spec["start"],
                "end_date": spec["end"],
                "budget_total": spec["budget"] or None,
                "industry": spec["industry"],
                "tags": spec["tags"],
                "description": spec["description"],
                "owner": owner,
            },
        )
        roles = {
            "lich": MemberRole.MANAGER,
            "zhangzy": MemberRole.MEMBER,
            "chensj": MemberRole.MEMBER,
            "zhaocw": MemberRole.MEMBER,
            "sunzj": MemberRole.VIEWER,
            "zhougl": MemberRole.VIEWER,
        }
        if spec["playbook"] == "cross-industry":
            roles["partner"] = MemberRole.PARTNER
        for username, role in roles.items():
            Membership.objects.get_or_create(campaign=campaign, user=users[username], defaults={"role": role})
        today = timezone.localdate()
        for i, task in enumerate(Task.objects.filter(campaign=campaign).order_by("sort_order", "id")):
            username = next((u for key, u in ROLE_OWNERS.items() if key in task.owner_role), "wangjl")
            task.owner = users[username]
            if task.end_date and task.end_date < today:
                task.status, task.progress = TaskStatus.DONE, 100
                # the plan's "actual" column: started on time; every fourth finished a day after its end
                late = dt.timedelta(days=1 if i % 4 == 3 and task.end_date + dt.timedelta(days=1) < today else 0)
                task.actual_start, task.actual_finish = task.start_date, task.end_date + late
            elif task.start_date and task.start_date <= today:
                task.status, task.progress, task.actual_start = TaskStatus.IN_PROGRESS, 50, task.start_date
            task.save()
        if spec["name"] == "冬季新品焕新季促销":
            late = Task.objects.filter(campaign=campaign, status=TaskStatus.IN_PROGRESS).first()
            if late:
                late.status, late.delay_reason, late.progress = TaskStatus.DELAYED, "KOL档期调整，延后1天", 60
                late.save()

    def _advance(self, campaign: Campaign, target: str, owner: User) -> None:
        """Move a demo campaign through its stage gates to where the demo wants it."""
        if target == "preparing":
            return
        for status in PATH[: PATH.index(target) + 1]:
            note = "启动会已召开" if status == "executing" else ""
            services.campaign_transition(campaign=campaign, to=status, actor=owner, note=note)
