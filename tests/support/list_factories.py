"""Data factories for the list endpoints' query counts (issue #10), shared by `bench/bench_lists.py`
(10 vs 1,000 items) and `tests/test_list_query_counts.py` (2 vs 12 items).

Each `ListCase` builds, for one GET endpoint that returns a collection, a container with `n` items of
that kind (bulk inserts), with the related rows the endpoint's serialiser walks filled in (owners,
actors, budget lines of expenses, partner companies, …), and returns the path to ask and who asks.
`count_queries(case, n, admin)` builds it inside a transaction that is rolled back afterwards (the
bench's database keeps nothing), asks once to warm up (a token's first request records its last use;
process-wide state is set up), then counts the queries of a second identical GET, which must answer
200. Django's cache is a dummy one meanwhile, so cached reads are counted as they are built.

`CASES` is the list of covered endpoints, one line each in `list_cases.txt` naming its factory here
(their items are described in `bench/bench_lists.py`'s docstring), `LEFT_OUT` the GET endpoints without
a case and why; the test checks that together they name every GET route of the OpenAPI document.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from tests.support.tables import read_table

START = dt.date(2025, 3, 3)  # a Monday; campaigns run START … START + 119 days
DAYS = 120
CHANNELS = ["抖音", "小红书", "微信公众号", "视频号", "微博", "B站", "快手", "线下门店"]
METRICS = ["曝光", "点击", "转化", "购买", "销售额", "新增会员"]
_SEQ = itertools.count(1)


@dataclass(frozen=True)
class Target:
    path: str  # below /api/v1
    user: object = None  # who asks; None: the admin passed to count_queries


@dataclass(frozen=True)
class ListCase:
    name: str  # the bench figure is "list /{name} query count"
    route: str  # the endpoint's path in the OpenAPI document, below /api/v1
    items: str  # what an item is, for the note
    build: Callable[[Env, int], Target]


class Env:
    """One measurement's data: a unique tag for names, the admin, a pool of people."""

    def __init__(self, admin):
        self.admin = admin
        self.tag = f"lq{next(_SEQ)}{secrets.token_hex(3)}"
        self._people = None

    def users(self, count: int, prefix: str = "u", **fields) -> list:
        from campaignflow.accounts.models import User

        objs = [
            User(username=f"{self.tag}{prefix}{i}", display_name=f"{prefix} 用户{i}", password="!", **fields)
            for i in range(count)
        ]
        return bulk(User, objs)

    @property
    def people(self) -> list:
        """Five users (owners, authors, assignees): items point to different people, as in real data."""
        if self._people is None:
            self._people = self.users(5, "p")
        return self._people

    def person(self, i: int):
        return self.people[i % len(self.people)]

    def campaign(self, *, status: str | None = None, playbook: str | None = None, members: bool = True, **data):
        """A campaign made by the admin (the service: owner membership, audit), the people as members."""
        from campaignflow.campaigns.models import Campaign, Membership
        from campaignflow.campaigns.services import campaign_create

        fields = {
            "name": data.pop("name", f"{self.tag} 活动"),
            "start_date": data.pop("start_date", START.isoformat()),
            "end_date": data.pop("end_date", (START + dt.timedelta(days=DAYS - 1)).isoformat()),
            "budget_total": data.pop("budget_total", "500000"),
            "description": "销售额提升30%，新增会员3000人",
            **data,
        }
        campaign, _warnings = campaign_create(actor=self.admin, data=fields, playbook_key=playbook)
        if status:
            Campaign.objects.filter(pk=campaign.pk).update(status=status)
            campaign.refresh_from_db()
        if members:
            bulk(Membership, [Membership(campaign=campaign, user=p, role="member") for p in self.people])
        return campaign

    def playbook(self, steps: int = 6, **fields):
        """A custom playbook (not built-in) with one version of `steps` steps, ten per phase."""
        from campaignflow.campaigns.models import Playbook, PlaybookVersion

        playbook = Playbook.objects.create(
            key=fields.pop("key", f"{self.tag}-pb"),
            name=fields.pop("name", f"{self.tag} 流程"),
            created_by=self.admin,
            **fields,
        )
        PlaybookVersion.objects.create(playbook=playbook, number=1, phases=phases(steps), created_by=self.admin)
        return playbook


def bulk(model, objs: list, batch_size: int = 500) -> list:
    model.objects.bulk_create(objs, batch_size=batch_size)
    if objs and objs[0].pk is None:  # a backend that does not return ids from bulk inserts
        raise RuntimeError(f"bulk_create of {model.__name__} returned no ids")
    return objs


def phases(steps: int) -> list[dict]:
    """Playbook phases with `steps` steps in all (ten per phase), anchored on the start and the end."""
    out = []
    for i in range(steps):
        if i % 10 == 0:
            out.append({"name": f"阶段{i // 10 + 1}", "goal": "目标", "steps": []})
        out[-1]["steps"].append(
            {
                "name": f"步骤{i + 1}",
                "owner_role": ["活动负责人", "市场专员", "财务", "设计"][i % 4],
                "anchor": "start" if i % 3 else "end",
                "offset_days": (i % 60) - 30,
                "workdays": i % 2 == 0,
                "output": f"《交付物{i + 1}》",
                "remark": "",
            }
        )
    return out


def days(i: int, span: int = DAYS) -> dt.date:
    return START + dt.timedelta(days=i % span)


def now():
    return timezone.now()


# --- shared builders ---------------------------------------------------------------------------


def _list_at(path: str, campaign_with: Callable[[Env, int], object]) -> Callable[[Env, int], Target]:
    """The factory of a campaign's list at `path`, the campaign and its n items made by `campaign_with(env, n)`."""
    return lambda env, n: Target(f"/campaigns/{campaign_with(env, n).pk}/{path}")


def _with(build: Callable, **options) -> Callable[[Env, int], object]:
    """`campaign_with` for `_list_at`: a new campaign, its items made by `build(env, campaign, n, **options)`."""

    def campaign_with(env, n):
        campaign = env.campaign()
        build(env, campaign, n, **options)
        return campaign

    return campaign_with


def _owners_and_member(camps: list, user) -> None:
    """Each campaign's owner as its owner, and `user` a member of every one."""
    from campaignflow.campaigns.models import Membership

    bulk(
        Membership,
        [Membership(campaign=c, user=user, role="member") for c in camps]
        + [Membership(campaign=c, user=c.owner, role="owner") for c in camps],
    )


def plan(env: Env, campaign, n: int) -> list:
    """n tasks with owners, phases, modules, dates, milestones, actual dates, statuses; links along the
    plan: finish-to-start, every fifth start-to-start with a lag in working days (the first link too, so
    that a plan of two tasks has one), and every fifth task a second predecessor."""
    from campaignflow.planning.models import Task, TaskDependency

    statuses = ["not_started", "in_progress", "done", "delayed", "blocked"]
    tasks = []
    for i in range(n):
        start = days(i, DAYS - 10)
        tasks.append(
            Task(
                campaign=campaign,
                code=f"T{i + 1:04d}",
                name=f"任务{i + 1}",
                phase=f"阶段{i // 50 + 1}",
                module=f"模块{i // 10 + 1}",
                owner=env.person(i),
                owner_role="" if i % 3 == 0 else "市场专员",  # blank: the owner stands in
                start_date=start,
                end_date=start + dt.timedelta(days=i % 5),
                status=statuses[i % 5],
                progress=(i * 17) % 101,
                milestone=i % 10 == 9,
                deliverable=f"交付物{i}",
                acceptance="验收",
                delay_reason="物料延迟" if i % 5 == 3 else "",
                actual_start=start if i % 5 in (1, 2) else None,
                actual_finish=start + dt.timedelta(days=1) if i % 5 == 2 else None,
                sort_order=i,
            )
        )
    bulk(Task, tasks)
    links = []
    for i in range(1, n):
        workdays = i % 5 == 1
        links.append(
            TaskDependency(
                campaign=campaign,
                predecessor=tasks[i - 1],
                successor=tasks[i],
                type="SS" if workdays else "FS",
                lag_days=1 if workdays else 0,
                workdays=workdays,
            )
        )
        if i >= 5 and i % 5 == 0:
            links.append(TaskDependency(campaign=campaign, predecessor=tasks[i - 5], successor=tasks[i]))
    bulk(TaskDependency, links)
    return tasks


def baseline(env: Env, campaign, tasks: list, name: str = "基线"):
    from campaignflow.planning.models import Baseline, BaselineItem

    b = Baseline.objects.create(campaign=campaign, name=name, created_by=env.person(0))
    bulk(
        BaselineItem,
        [
            BaselineItem(
                baseline=b,
                task=t,
                start_date=t.start_date - dt.timedelta(days=i % 3),
                end_date=t.end_date - dt.timedelta(days=i % 2),
            )
            for i, t in enumerate(tasks)
            if i % 7  # tasks added after the baseline have no baseline dates
        ],
    )
    return b


def periods(campaign) -> None:
    from campaignflow.planning.models import CampaignPeriod

    bulk(
        CampaignPeriod,
        [
            CampaignPeriod(campaign=campaign, kind="warmup", start_date=days(0), end_date=days(29)),
            CampaignPeriod(campaign=campaign, kind="burst", start_date=days(30), end_date=days(89)),
            CampaignPeriod(campaign=campaign, kind="extension", start_date=days(90), end_date=days(119)),
        ],
    )


def metric_rows(env: Env, campaign, channels: list[str], metrics: list[str], n_days: int) -> int:
    """Metric rows for every channel × metric × day (one import batch), with the board's totals."""
    from campaignflow.tracking import rollups
    from campaignflow.tracking.models import ImportBatch, MetricRow

    batch = ImportBatch.objects.create(campaign=campaign, actor=env.admin, source="api")
    rows = [
        MetricRow(
            campaign_id=campaign.pk,
            batch_id=batch.pk,
            date=START + dt.timedelta(days=d),
            channel=ch,
            metric=m,
            value=Decimal(100 + (i * 7919) % 9000),
        )
        for i, (d, ch, m) in enumerate(itertools.product(range(n_days), channels, metrics))
    ]
    bulk(MetricRow, rows, batch_size=2000)
    rollups.refresh(campaign.pk)
    return len(rows)


def kpis(env: Env, campaign, n: int) -> list:
    """n KPIs with owners: base KPIs on the metrics, every fifth a ratio (点击/曝光), the first core."""
    from campaignflow.goals.models import Kpi

    items = []
    for i in range(n):
        ratio = i % 5 == 4
        items.append(
            Kpi(
                campaign=campaign,
                name=f"KPI{i + 1}",
                metric="" if ratio else METRICS[i % len(METRICS)],
                numerator="点击" if ratio else "",
                denominator="曝光" if ratio else "",
                unit="%" if ratio else "元",
                target=Decimal(10_000 + i),
                priority="core" if i == 0 else "auxiliary",
                direction="down" if i % 7 == 6 else "up",
                owner=env.person(i),
                specific="具体",
                deadline=days(DAYS - 1),
                position=i,
                shared_with_partners=i % 2 == 0,
            )
        )
    return bulk(Kpi, items)


def channels(env: Env, campaign, n: int) -> list:
    from campaignflow.goals.models import Channel

    return bulk(
        Channel,
        [
            Channel(
                campaign=campaign,
                name=CHANNELS[i] if i < len(CHANNELS) else f"渠道{i}",
                content_form="短视频",
                start_date=days(0),
                end_date=days(DAYS - 1),
                owner=env.person(i),
                targets={"曝光": 100_000 + i},
                benchmarks={"点击率": "0.03"},
                note="备注",
                shared_with_partners=i % 2 == 0,
            )
            for i in range(n)
        ],
    )


def budget(env: Env, campaign, n_lines: int, *, expenses: bool = True) -> list:
    """A submitted revision of an approved budget (so GET /budget shows a diff) and n lines with owners,
    each with an approved expense, every fourth also a held one."""
    from campaignflow.budgets.models import Budget, BudgetLine, Category, Expense

    cats = [c.value for c in Category]
    lines = bulk(
        BudgetLine,
        [
            BudgetLine(
                campaign=campaign,
                category=cats[i % len(cats)],
                item=f"{CHANNELS[i % len(CHANNELS)]}投放{i + 1}",
                planned=Decimal(10_000 + 100 * i),
                owner=env.person(i),
                note="说明",
                channel=CHANNELS[i % len(CHANNELS)] if i % 2 else "",
                shared_with_partners=i % 3 == 0,
            )
            for i in range(n_lines)
        ],
    )
    approved = [
        {"id": ln.id, "category": ln.category, "item": ln.item, "planned": str(ln.planned + (i % 2))}
        for i, ln in enumerate(lines[: max(1, n_lines // 2)])
    ]
    Budget.objects.update_or_create(
        campaign=campaign,
        defaults={
            "status": "submitted",
            "submitted_by": env.person(1),
            "submitted_at": now(),
            "approved_lines": approved,
            "revision": 1,
        },
    )
    if expenses:
        rows = []
        for i, ln in enumerate(lines):
            rows.append(
                Expense(
                    campaign=campaign,
                    line=ln,
                    amount=Decimal(5_000 + i),
                    date=days(i),
                    payee=f"供应商{i}",
                    status="approved",
                    created_by=env.person(i),
                )
            )
            if i % 4 == 0:
                rows.append(
                    Expense(
                        campaign=campaign,
                        line=ln,
                        amount=ln.planned,
                        date=days(i),
                        status="held",
                        over_reason="超支",
                        created_by=env.person(i + 1),
                    )
                )
        bulk(Expense, rows)
    return lines


def partners(env: Env, campaign, n: int, *, state: str | None = None, responsibilities: int = 0) -> list:
    """n partner companies taking part in the campaign (candidates and participants), with scores."""
    from campaignflow.budgets.models import CampaignPartner, Partner, Responsibility

    companies = bulk(
        Partner,
        [
            Partner(name=f"{env.tag} 合作方{i}", industry="零售", contacts="张三 138", created_by=env.admin)
            for i in range(n)
        ],
    )
    cps = bulk(
        CampaignPartner,
        [
            CampaignPartner(
                campaign=campaign,
                partner=p,
                state=state or ("participating" if i % 2 else "candidate"),
                industry_relevance=Decimal(i % 10),
                audience_overlap=Decimal((i * 3) % 10),
                resource_strength=Decimal((i * 7) % 10),
                brand_fit=Decimal(5),
                resources="资源",
                role_note="联合推广",
            )
            for i, p in enumerate(companies)
        ],
    )
    if responsibilities:
        bulk(
            Responsibility,
            [
                Responsibility(campaign_partner=cp, text=f"职责{j}", due_date=days(j), done=j == 0)
                for cp in cps
                for j in range(responsibilities)
            ],
        )
    return cps


# --- the cases ---------------------------------------------------------------------------------


def _users(env, n):
    env.users(n, "list")
    return Target(f"/users?q={env.tag}list")


def _tokens(env, n):
    from campaignflow.accounts.models import ApiToken

    user = env.users(1, "tok")[0]
    bulk(
        ApiToken,
        [
            ApiToken(user=user, name=f"token {i}", prefix=f"cf_{i:07d}", token_hash=secrets.token_hex(32))
            for i in range(n - 1)  # plus the one that asks
        ],
    )
    return Target("/me/tokens", user)


def _playbooks(env, n):
    from campaignflow.campaigns.models import Playbook, PlaybookVersion

    books = bulk(
        Playbook,
        [Playbook(key=f"{env.tag}-{i}", name=f"流程{i}", created_by=env.person(i), version=2) for i in range(n)],
    )
    versions = [
        PlaybookVersion(playbook=p, number=number, phases=phases(3), created_by=env.person(i))
        for i, p in enumerate(books)
        for number in (1, 2)
    ]
    bulk(PlaybookVersion, versions)
    return Target("/playbooks")


def _playbook(env, n):
    return Target(f"/playbooks/{env.playbook(n).key}")


def _playbook_preview(env, n):
    key = env.playbook(n).key
    return Target(f"/playbooks/{key}/preview?start_date=2025-03-03&end_date=2025-06-30")


def _campaigns(env, n):
    """A member of n campaigns (owners, a playbook, tags, two tasks each, one done)."""
    from campaignflow.campaigns.models import Campaign
    from campaignflow.planning.models import Task

    user = env.users(1, "member")[0]
    version = env.playbook(3).versions.get()
    camps = bulk(
        Campaign,
        [
            Campaign(
                name=f"活动{i}",
                start_date=days(i),
                end_date=days(i) + dt.timedelta(days=30),
                budget_total=Decimal(100_000),
                owner=env.person(i),
                created_by=env.admin,
                tags=["促销", f"标签{i % 3}"],
                industry="零售",
                status=["preparing", "planning", "executing", "reviewing"][i % 4],
                playbook_version=version if i % 2 else None,
            )
            for i in range(n)
        ],
    )
    _owners_and_member(camps, user)
    bulk(
        Task,
        [
            Task(campaign=c, code=f"T{j}", name=f"任务{j}", owner=c.owner, status="done" if j else "in_progress")
            for c in camps
            for j in range(2)
        ],
    )
    return Target("/campaigns?limit=1000", user)


def _lifecycle(env, n):
    from campaignflow.campaigns.models import StatusChange

    campaign = env.campaign(status="executing")
    moves = [("preparing", "planning"), ("planning", "executing"), ("executing", "planning")]
    bulk(
        StatusChange,
        [
            StatusChange(
                campaign=campaign,
                from_status=moves[i % 3][0],
                to_status=moves[i % 3][1],
                actor=env.person(i),
                note="阶段评审",
            )
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/lifecycle")


def _members(env, n):
    from campaignflow.campaigns.models import Membership

    campaign = env.campaign(members=False)
    roles = ["manager", "member", "viewer", "partner"]
    users = env.users(n - 1, "m")  # plus the owner
    bulk(Membership, [Membership(campaign=campaign, user=u, role=roles[i % 4]) for i, u in enumerate(users)])
    return Target(f"/campaigns/{campaign.pk}/members")


def _history(env, n):
    from campaignflow.core.models import AuditEntry

    campaign = env.campaign()
    AuditEntry.objects.filter(campaign=campaign).delete()  # campaign_create's entry: exactly n
    bulk(
        AuditEntry,
        [
            AuditEntry(
                actor=env.person(i),
                action="update",
                object_type="planning.task",
                object_id=str(i),
                object_repr=f"T{i:04d} 任务",
                campaign=campaign,
                before={"status": "not_started"},
                after={"status": "in_progress"},
            )
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/history")


def _planned(env, n, **extra):
    campaign = env.campaign(**extra)
    return campaign, plan(env, campaign, n)


def _plan_campaign(env, n):
    return _planned(env, n)[0]


_tasks, _schedule, _campaign_calendar, _plan_xlsx, _tasks_csv = (
    _list_at(path, _plan_campaign) for path in ("tasks", "schedule", "calendar.ics", "plan.xlsx", "tasks.csv")
)


def _task(env, n):
    _campaign, tasks = _planned(env, n)
    return Target(f"/tasks/{tasks[-1].pk}")


def _gantt(env, n):
    from campaignflow.materials.models import Material

    campaign, tasks = _planned(env, n)
    baseline(env, campaign, tasks)
    periods(campaign)
    # n materials: milestones on their due dates (planning.gantt_markers), late ones among them; one
    # in six has no due date and is not drawn
    statuses = ["draft", "in_review", "approved", "accepted"]
    bulk(
        Material,
        [
            Material(
                campaign=campaign,
                code=f"M{i + 1:03d}",
                name=f"物料{i}",
                due_date=None if i % 6 == 5 else days(i),
                status=statuses[i % 4],
                task=tasks[i % len(tasks)] if tasks else None,
                sort_order=i,
            )
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/gantt")


def _raci(env, n):
    from campaignflow.planning.models import RaciAssignment

    campaign, tasks = _planned(env, n)
    cells = []
    for i, t in enumerate(tasks):
        if i % 6 == 5:
            continue  # tasks without an A are listed
        cells.append(RaciAssignment(task=t, user=env.person(i), role="A"))
        cells.append(RaciAssignment(task=t, user=env.person(i + 1), role="R"))
        cells.append(RaciAssignment(task=t, user=env.person(i + 2), role="I"))
    bulk(RaciAssignment, cells)
    return Target(f"/campaigns/{campaign.pk}/raci")


def _baselines(env, n):
    from campaignflow.planning.models import Baseline

    campaign, _tasks = _planned(env, 3)
    bulk(Baseline, [Baseline(campaign=campaign, name=f"基线{i}", created_by=env.person(i)) for i in range(n)])
    return Target(f"/campaigns/{campaign.pk}/baselines")


def _variance(env, n):
    campaign, tasks = _planned(env, n)
    b = baseline(env, campaign, tasks)
    return Target(f"/campaigns/{campaign.pk}/baselines/{b.pk}/variance")


def _my_task_owner(env, n):
    """A member of five campaigns owning n open tasks due overdue, today, this week and later."""
    from campaignflow.campaigns.models import Membership
    from campaignflow.planning.models import Task

    user = env.users(1, "me")[0]
    camps = [env.campaign(name=f"{env.tag} 活动{j}") for j in range(5)]
    bulk(Membership, [Membership(campaign=c, user=user, role="member") for c in camps])
    today = timezone.localdate()
    bulk(
        Task,
        [
            Task(
                campaign=camps[i % 5],
                code=f"M{i:04d}",
                name=f"我的任务{i}",
                owner=user,
                start_date=today - dt.timedelta(days=3),
                end_date=today + dt.timedelta(days=(i % 20) - 5),
                status=["not_started", "in_progress", "delayed"][i % 3],
                milestone=i % 10 == 0,
                sort_order=i,
            )
            for i in range(n)
        ],
    )
    return user


def _my_tasks(env, n):
    return Target("/me/tasks", _my_task_owner(env, n))


def _personal_calendar(env, n):
    from campaignflow.planning.services import calendar_feed_create

    user = _my_task_owner(env, n)
    return Target(f"/calendar/{calendar_feed_create(actor=user)}.ics", user)


def _kpis(env, n):
    campaign = env.campaign()
    kpis(env, campaign, n)
    metric_rows(env, campaign, CHANNELS[:3], METRICS, 5)
    return Target(f"/campaigns/{campaign.pk}/kpis")


def _kpi_plan(env, n):
    from campaignflow.goals.models import KpiPlan

    campaign = env.campaign()
    kpi = kpis(env, campaign, 1)[0]
    start = dt.date(2020, 1, 1)
    bulk(
        KpiPlan,
        [
            KpiPlan(kpi=kpi, granularity="day", key=(start + dt.timedelta(days=i)).isoformat(), value=Decimal(100 + i))
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/kpis/{kpi.pk}/plan?granularity=day")


_channels = _list_at("channels", _with(channels))


def _daily_rows(env, campaign, n):
    """n rows: n days × one channel × one metric, the rest of a day on other metrics."""
    metric_rows(env, campaign, ["抖音"], ["曝光"], n)


_metrics, _metrics_csv = (_list_at(path, _with(_daily_rows)) for path in ("metrics", "metrics.csv"))


def _import_batches(env, n):
    from campaignflow.tracking.models import ImportBatch

    campaign = env.campaign()
    bulk(
        ImportBatch,
        [
            ImportBatch(
                campaign=campaign,
                actor=env.person(i),
                source=["api", "upload", "grid"][i % 3],
                filename=f"data{i}.xlsx" if i % 3 == 1 else "",
                rows_total=100,
                created=80,
                updated=20,
                status="undone" if i % 4 == 3 else "applied",
                undone_at=now() if i % 4 == 3 else None,
                undone_by=env.person(i + 1) if i % 4 == 3 else None,
            )
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/import-batches")


def _board(env, n):
    """n KPIs (with daily plans on some) and n channels with data on three days."""
    from campaignflow.goals.models import KpiPlan

    campaign = env.campaign()
    items = kpis(env, campaign, n)
    names = [c.name for c in channels(env, campaign, n)]
    metric_rows(env, campaign, names, METRICS[:5], 3)
    bulk(
        KpiPlan,
        [
            KpiPlan(kpi=k, granularity="day", key=days(d).isoformat(), value=Decimal(1000))
            for k in items[:: max(1, n // 5)]
            for d in range(10)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/board")


_budget, _budget_lines = (_list_at(path, _with(budget)) for path in ("budget", "budget-lines"))


def _budget_history(env, n):
    from campaignflow.budgets.models import Budget, BudgetEvent

    campaign = env.campaign()
    b, _created = Budget.objects.get_or_create(campaign=campaign)
    actions = ["submit", "approve", "reject", "revise"]
    bulk(
        BudgetEvent,
        [
            BudgetEvent(
                budget=b,
                action=actions[i % 4],
                actor=env.person(i),
                comment="意见",
                diff=[{"id": i, "change": "planned", "before": "1000", "after": "1200"}],
            )
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/budget/history")


def _expense_rows(env, n):
    """n expenses on n/5 lines: paid by us or a participating partner; approved, held (with the reason),
    rejected (decided by a director); every third with a receipt."""
    from campaignflow.budgets.models import Expense

    campaign = env.campaign()
    lines = budget(env, campaign, max(1, n // 5), expenses=False)
    payers = partners(env, campaign, 2, state="participating")
    statuses = ["approved", "held", "rejected", "approved"]
    bulk(
        Expense,
        [
            Expense(
                campaign=campaign,
                line=lines[i % len(lines)],
                amount=Decimal(1_000 + i),
                date=days(i),
                payee=f"供应商{i}",
                note="说明",
                paid_by=payers[i % 2] if i % 3 == 0 else None,
                status=statuses[i % 4],
                over_reason="超支" if statuses[i % 4] != "approved" else "",
                decided_by=env.person(i) if i % 4 == 2 else None,
                decided_at=now() if i % 4 == 2 else None,
                decision_comment="不符合" if i % 4 == 2 else "",
                receipt=f"receipts/2025/03/r{i}.pdf" if i % 3 == 1 else "",
                receipt_name=f"r{i}.pdf" if i % 3 == 1 else "",
                created_by=env.person(i + 1),
            )
            for i in range(n)
        ],
    )
    return campaign


_expenses, _expenses_csv = (_list_at(path, _expense_rows) for path in ("expenses", "expenses.csv"))


def _overruns(env, n):
    """A director, member of three campaigns with n held overruns between them."""
    from campaignflow.budgets.models import Expense
    from campaignflow.campaigns.models import Membership

    director = env.users(1, "dir", role="director")[0]
    camps = [env.campaign(name=f"{env.tag} 活动{j}") for j in range(3)]
    bulk(Membership, [Membership(campaign=c, user=director, role="viewer") for c in camps])
    lines = [budget(env, c, 2, expenses=False) for c in camps]
    bulk(
        Expense,
        [
            Expense(
                campaign=camps[i % 3],
                line=lines[i % 3][i % 2],
                amount=Decimal(50_000 + i),
                date=days(i),
                payee=f"供应商{i}",
                status="held",
                over_reason="超出预算",
                created_by=env.person(i),
            )
            for i in range(n)
        ],
    )
    return Target("/overruns", director)


def _my_today(env, n):
    """A director who manages n campaigns being executed today, each with one of everything Today lists:
    a task due today, a channel without today's numbers, an open alert, a submitted budget, a held
    overrun and a material in review."""
    from campaignflow.alerts.models import Alert
    from campaignflow.budgets.models import Budget, Expense
    from campaignflow.campaigns.models import Membership
    from campaignflow.goals.models import Channel
    from campaignflow.materials.models import Material
    from campaignflow.planning.models import Task

    today = timezone.localdate()
    director = env.users(1, "today", role="director")[0]
    camps = [
        env.campaign(name=f"{env.tag} 活动{j}", status="executing", start_date=str(today), end_date=str(today))
        for j in range(n)
    ]
    bulk(Membership, [Membership(campaign=c, user=director, role="manager") for c in camps])
    bulk(Task, [Task(campaign=c, code="T900", name="今日任务", owner=director, end_date=today) for c in camps])
    bulk(Channel, [Channel(campaign=c, name="抖音", owner=director, targets={"曝光": "1000"}) for c in camps])
    bulk(Alert, [Alert(campaign=c, rule="task_overdue", subject="task:T900", message="T900 已逾期") for c in camps])
    for c in camps:
        Budget.objects.update_or_create(campaign=c, defaults={"status": "submitted", "submitted_by": env.admin})
    lines = [budget(env, c, 1, expenses=False)[0] for c in camps]
    bulk(
        Expense,
        [
            Expense(campaign=c, line=line, amount=Decimal(5000), date=today, status="held", created_by=env.person(0))
            for c, line in zip(camps, lines, strict=True)
        ],
    )
    bulk(
        Material,
        [
            Material(campaign=c, code="M001", name="海报", status="in_review", revision=1, owner=env.person(1))
            for c in camps
        ],
    )
    return Target("/me/today", director)


def _partners(env, n):
    from campaignflow.budgets.models import Partner

    bulk(Partner, [Partner(name=f"{env.tag} 公司{i}", industry="零售", created_by=env.admin) for i in range(n)])
    return Target("/partners")


_campaign_partners = _list_at("partners", _with(partners, responsibilities=2))


def _cost_shares(env, n):
    """n cost shares: campaign-wide (host and two partners) and per line (one party each)."""
    from campaignflow.budgets.models import CostShare

    campaign = env.campaign()
    parties = partners(env, campaign, 2, state="participating")
    lines = budget(env, campaign, max(1, n - 3), expenses=False)
    shares = [
        CostShare(campaign=campaign, line=None, party=None, ratio=Decimal("0.5")),
        CostShare(campaign=campaign, line=None, party=parties[0], ratio=Decimal("0.3")),
        CostShare(campaign=campaign, line=None, party=parties[1], ratio=Decimal("0.2")),
    ][: min(3, n)]
    shares += [
        CostShare(campaign=campaign, line=ln, party=[None, *parties][i % 3], ratio=Decimal(1))
        for i, ln in enumerate(lines[: n - len(shares)])
    ]
    bulk(CostShare, shares)
    return Target(f"/campaigns/{campaign.pk}/cost-shares")


def _settlement_campaign(env, n):
    """n participating partners, each paying one approved expense (we pay one too, and bear the costs:
    n transfers); half of the parties signed an earlier statement."""
    from campaignflow.budgets.models import Expense, SettlementSignoff

    campaign = env.campaign()
    parties = partners(env, campaign, n, state="participating")
    lines = budget(env, campaign, 3, expenses=False)
    bulk(
        Expense,
        [
            Expense(
                campaign=campaign,
                line=lines[i % 3],
                amount=Decimal(1_000 + i),
                date=days(i),
                paid_by=cp,
                status="approved",
                created_by=env.person(i),
            )
            for i, cp in enumerate([None, *parties])
        ],
    )
    bulk(
        SettlementSignoff,
        [SettlementSignoff(campaign=campaign, party=None, user=env.person(0), digest="0" * 64)]
        + [
            SettlementSignoff(campaign=campaign, party=cp, user=env.person(i), digest="0" * 64)
            for i, cp in enumerate(parties)
            if i % 2 == 0
        ],
    )
    return campaign


_settlement, _settlement_xlsx, _settlement_pdf = (
    _list_at(path, _settlement_campaign) for path in ("settlement", "settlement.xlsx", "settlement.pdf")
)


def _executing_list(env, model, path: str, n: int, row: Callable[[int], dict], code: str = "") -> Target:
    """n `model` rows, the fields of the i-th `row(i)` (with `code`, the codes `code`001, `code`002, …), in a new
    executing campaign; its list at `path`."""
    campaign = env.campaign(status="executing")
    numbered = [row(i) | ({"code": f"{code}{i + 1:03d}"} if code else {}) for i in range(n)]
    bulk(model, [model(campaign=campaign, **fields) for fields in numbered])
    return Target(f"/campaigns/{campaign.pk}/{path}")


def _risks(env, n):
    from campaignflow.execution.models import Risk, RiskCategory

    def row(i):
        return dict(
            title=f"风险{i}",
            category=RiskCategory.values[i % 6],
            likelihood=i % 5 + 1,
            impact=(i * 3) % 5 + 1,
            mitigation="预案",
            trigger="触发",
            owner=env.person(i),
            status=["open", "monitoring", "occurred", "closed"][i % 4],
        )

    return _executing_list(env, Risk, "risks", n, row, code="R")


def _materials(env, n):
    from campaignflow.materials.models import Material

    kinds = ["poster", "h5", "video", "invitation", "stand", "gift"]

    def row(i):
        return dict(
            name=f"物料{i}",
            kind=kinds[i % 6],
            quantity=100 + i,
            unit="份",
            owner=env.person(i),
            due_date=days(i),
            status=["draft", "in_review", "approved", "accepted"][i % 4],
            accepted_by=env.person(i + 1) if i % 4 == 3 else None,
            sort_order=i,
        )

    return _executing_list(env, Material, "materials", n, row, code="M")


def _one_material(env, n, *, files: int = 0, comments: int = 0, reviews: int = 0) -> Target:
    """One material of a new executing campaign with n revisions / comments / review entries."""
    from campaignflow.materials.models import Material, MaterialComment, MaterialFile, MaterialReview

    campaign = env.campaign(status="executing")
    material = Material.objects.create(campaign=campaign, code="M001", name="主视觉海报", revision=max(files, 1))
    revisions = bulk(
        MaterialFile,
        [
            MaterialFile(
                material=material,
                revision=i + 1,
                filename=f"poster-v{i + 1}.png",
                size=1000 + i,
                sha256=f"{i:064d}",
                content_type="image/png",
                kind="image",
                blob=f"materials/00/{i:064d}",
                preview_status="ready",
                uploaded_by=env.person(i),
            )
            for i in range(max(files, 1))
        ],
    )
    bulk(
        MaterialComment,
        [
            MaterialComment(
                material=material, file=revisions[0], body=f"意见{i}", author=env.person(i), x=0.1, y=0.1, w=0.2, h=0.2
            )
            for i in range(comments)
        ],
    )
    bulk(
        MaterialReview,
        [
            MaterialReview(material=material, revision=1, side="host", decision="approve", actor=env.person(i))
            for i in range(reviews)
        ],
    )
    return material


def _material_files(env, n):
    return Target(f"/materials/{_one_material(env, n, files=n).pk}/files")


def _material_comments(env, n):
    return Target(f"/materials/{_one_material(env, n, comments=n).pk}/comments")


def _material_history(env, n):
    return Target(f"/materials/{_one_material(env, n, reviews=n).pk}/history")


def _event_of(campaign, i: int = 0):
    from django.utils import timezone

    from campaignflow.events.models import Event

    return Event.objects.create(
        campaign=campaign,
        name=f"发布会{i}",
        slug=f"list-{campaign.pk}-{i}",
        starts_at=timezone.now() + dt.timedelta(days=30 + i),
        consent_text="同意",
        channels=CHANNELS[:2],
    )


def _registrations_of(event, n: int, *, checked_every: int = 3):
    from django.utils import timezone

    from campaignflow.events.models import Registration

    bulk(
        Registration,
        [
            Registration(
                event=event,
                name=f"报名者{i}",
                phone=f"138{event.pk % 100:02d}{i:06d}",
                channel=CHANNELS[i % 3],
                ticket_code=f"T{event.pk:05d}{i:08d}",
                consent_version=1,
                consented_at=timezone.now(),
                checked_in_at=timezone.now() if i % checked_every == 0 else None,
            )
            for i in range(n)
        ],
    )


def _events(env, n):
    campaign = env.campaign(status="executing")
    for i in range(n):
        _registrations_of(_event_of(campaign, i), 2)
    return Target(f"/campaigns/{campaign.pk}/events")


def _event_registrations(env, n):
    event = _event_of(env.campaign(status="executing"))
    _registrations_of(event, n)
    return Target(f"/events/{event.pk}/registrations")


def _event_reminders(env, n):
    from campaignflow.events.models import Reminder

    event = _event_of(env.campaign(status="executing"))
    bulk(Reminder, [Reminder(event=event, status="done", recipients=i, created_by=env.person(i)) for i in range(n)])
    return Target(f"/events/{event.pk}/reminders")


def _event_funnel(env, n):
    """n registrations (and as many visits) spread over the channels: the funnel counts them in two queries."""
    from campaignflow.events.models import Visit

    event = _event_of(env.campaign(status="executing"))
    _registrations_of(event, n)
    bulk(Visit, [Visit(event=event, channel=CHANNELS[i % 3]) for i in range(n)])
    return Target(f"/events/{event.pk}/funnel")


def _issues(env, n):
    from campaignflow.execution.models import Issue

    t0 = now() - dt.timedelta(days=3)

    def row(i):
        return dict(
            description=f"问题{i}",
            found_at=t0 + dt.timedelta(minutes=i),
            owner=env.person(i),
            severity=["high", "medium", "low"][i % 3],
            status=["open", "in_progress", "resolved"][i % 3],
            solution="方案" if i % 3 == 2 else "",
            first_response_at=t0 + dt.timedelta(hours=2) if i % 3 else None,
            resolved_at=t0 + dt.timedelta(hours=30) if i % 3 == 2 else None,
        )

    return _executing_list(env, Issue, "issues", n, row, code="Q")


def _logs(env, n):
    from campaignflow.execution.models import ExecutionLogEntry

    def row(i):
        return dict(
            at=now() - dt.timedelta(minutes=i),
            event=f"事件{i}",
            handling="处理",
            result="结果",
            author=env.person(i),
        )

    return _executing_list(env, ExecutionLogEntry, "logs", n, row)


def _run_of_show(env, n):
    from campaignflow.execution.models import RunOfShowItem

    t0 = now()

    def row(i):
        return dict(
            starts_at=t0 + dt.timedelta(minutes=5 * i),
            minutes=5,
            segment=f"环节{i}",
            owner=env.person(i),
            notes="备注",
            done_at=t0 if i % 3 == 0 else None,
        )

    return _executing_list(env, RunOfShowItem, "run-of-show", n, row)


def _standups(env, n):
    from campaignflow.execution.models import Standup

    people = env.people

    def row(i):
        return dict(
            user=people[i % len(people)],
            date=days(i // len(people), 10_000),
            done="完成",
            not_done="未完成",
            not_done_reason="原因",
            need_support="支持",
        )

    return _executing_list(env, Standup, "standups", n, row)


def _weekly_reports(env, n):
    from campaignflow.execution.models import WeeklyReport

    published = now()

    def row(i):
        return dict(
            week_start=START + dt.timedelta(weeks=i),
            status="published" if i % 2 else "draft",
            key_results="成果",
            delayed_tasks="滞后",
            next_week_plan="计划",
            resources="资源",
            published_at=published if i % 2 else None,
            published_by=env.person(i) if i % 2 else None,
        )

    return _executing_list(env, WeeklyReport, "weekly-reports", n, row)


def _notifications(env, n):
    from campaignflow.notifications.models import Notification

    user = env.users(1, "inbox")[0]
    campaign = env.campaign()
    kinds = ["alert", "approval", "task_due", "task_overdue", "sla_breach", "report", "other"]
    bulk(
        Notification,
        [
            Notification(
                recipient=user,
                campaign=campaign if i % 2 else None,
                kind=kinds[i % len(kinds)],
                title=f"通知{i}",
                body="内容",
                url=f"/campaigns/{campaign.pk}/",
                read_at=now() if i % 3 == 0 else None,
            )
            for i in range(n)
        ],
    )
    return Target("/me/notifications?limit=500", user)


def _webhook_endpoints(env, campaign, n) -> list:
    from campaignflow.notifications.models import WebhookEndpoint

    kinds = ["dingtalk", "wecom", "feishu", "slack", "generic"]
    return bulk(
        WebhookEndpoint,
        [
            WebhookEndpoint(
                campaign=campaign,
                name=f"机器人{i}",
                kind=kinds[i % 5],
                url=f"https://hooks.example.com/{i}",
                secret="s3cret" if i % 2 else "",
                events=["alert", "report"] if i % 3 else [],
                active=i % 4 != 3,
                created_by=env.person(i),
            )
            for i in range(n)
        ],
    )


_webhooks = _list_at("webhooks", _with(_webhook_endpoints))


def _deliveries(env, n):
    from campaignflow.notifications.models import Delivery

    campaign = env.campaign()
    hooks = _webhook_endpoints(env, campaign, 3)
    t = now()
    bulk(
        Delivery,
        [
            Delivery(
                channel="webhook" if i % 2 else "email",
                endpoint=hooks[i % 3] if i % 2 else None,
                recipient=None if i % 2 else env.person(i),
                campaign=campaign,
                kind="alert",
                title=f"预警{i}",
                body="内容",
                status=["pending", "sent", "failed", "dead"][i % 4],
                attempts=i % 4,
                next_attempt_at=t,
                last_error="timeout" if i % 4 == 2 else "",
                response_status=200 if i % 4 == 1 else None,
                sent_at=t if i % 4 == 1 else None,
            )
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/deliveries")


def _alerts(env, n):
    from campaignflow.alerts.models import Alert

    campaign = env.campaign(status="executing")
    follow_ups = plan(env, campaign, 3)
    t = now()
    statuses = ["open", "acknowledged", "resolved"]
    bulk(
        Alert,
        [
            Alert(
                campaign=campaign,
                rule=["kpi_deviation", "task_overdue", "budget_overrun"][i % 3],
                subject=f"对象{i}",
                severity=["high", "medium", "low"][i % 3],
                message=f"预警{i}",
                data={"value": i},
                status=statuses[i % 3],
                acknowledged_by=env.person(i) if i % 3 else None,
                acknowledged_at=t if i % 3 else None,
                resolved_by=env.person(i + 1) if i % 3 == 2 else None,
                resolved_at=t if i % 3 == 2 else None,
                evaluation="分析" if i % 3 == 2 else "",
                decision="adjust" if i % 3 == 2 else "",
                follow_up_task=follow_ups[i % 3] if i % 3 == 2 else None,
            )
            for i in range(n)
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/alerts")


def _evaluation(env, n):
    from campaignflow.review.models import EvaluationNote

    campaign = env.campaign(status="reviewing")
    items = kpis(env, campaign, n)
    metric_rows(env, campaign, CHANNELS[:3], METRICS, 5)
    bulk(
        EvaluationNote,
        [
            EvaluationNote(
                campaign=campaign,
                kpi=k,
                dimension="效果",
                analysis="原因",
                improvement="改进",
                updated_by=env.person(i),
            )
            for i, k in enumerate(items)
            if i % 2 == 0
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/evaluation")


def _attribution(env, n):
    """n channels with funnel and revenue data on three days, each with a budget line (half named by
    the channel field, half only in the item's text), every other line with an approved expense."""
    from campaignflow.budgets.models import BudgetLine, Expense

    campaign = env.campaign(status="reviewing")
    names = [c.name for c in channels(env, campaign, n)]
    metric_rows(env, campaign, names, ["曝光", "点击", "转化", "购买", "销售额"], 3)
    lines = bulk(
        BudgetLine,
        [
            BudgetLine(
                campaign=campaign,
                category="channel",
                item=f"{name}投放",
                planned=Decimal(10_000),
                owner=env.person(i),
                channel=name if i % 2 else "",
            )
            for i, name in enumerate(names)
        ],
    )
    bulk(
        Expense,
        [
            Expense(campaign=campaign, line=ln, amount=Decimal(8_000 + i), date=days(i), created_by=env.person(i))
            for i, ln in enumerate(lines)
            if i % 2 == 0
        ],
    )
    return Target(f"/campaigns/{campaign.pk}/attribution")


def _promotion(env, n):
    campaign = env.campaign(status="reviewing")
    from campaignflow.campaigns.models import Campaign

    Campaign.objects.filter(pk=campaign.pk).update(playbook_version=env.playbook(6).versions.get())
    plan(env, campaign, n)
    return Target(f"/campaigns/{campaign.pk}/playbook-promotion")


def _cases_for(env, n):
    """A member of n archived campaigns (cases), each with two KPIs and their data, two channels, an
    approved expense and a retrospective."""
    from campaignflow.budgets.models import BudgetLine, Expense
    from campaignflow.campaigns.models import Campaign
    from campaignflow.goals.models import Channel, Kpi
    from campaignflow.review.models import Retrospective
    from campaignflow.tracking import rollups
    from campaignflow.tracking.models import MetricRow

    user = env.users(1, "case")[0]
    camps = bulk(
        Campaign,
        [
            Campaign(
                name=f"{env.tag} 案例{i}",
                description="新品促销",
                start_date=days(i),
                end_date=days(i) + dt.timedelta(days=20 + i % 30),
                budget_total=Decimal(100_000 + i),
                owner=env.person(i),
                created_by=env.admin,
                type=["promotion", "launch", "general"][i % 3],
                industry="零售",
                tags=["促销", f"标签{i % 4}"],
                status="archived",
            )
            for i in range(n)
        ],
    )
    _owners_and_member(camps, user)
    bulk(
        Kpi,
        [
            Kpi(campaign=c, name=m, metric=m, target=Decimal(1_000), priority="core" if j == 0 else "auxiliary")
            for c in camps
            for j, m in enumerate(["销售额", "新增会员"])
        ],
    )
    bulk(
        Channel,
        [
            Channel(campaign=c, name=name, owner=c.owner)
            for i, c in enumerate(camps)
            for name in CHANNELS[i % 3 : i % 3 + 2]
        ],
    )
    bulk(
        MetricRow,
        [
            MetricRow(campaign_id=c.pk, date=c.start_date, channel=CHANNELS[i % 3], metric=m, value=Decimal(900 + i))
            for i, c in enumerate(camps)
            for m in ("销售额", "新增会员")
        ],
        batch_size=2000,
    )
    for c in camps:
        rollups.refresh(c.pk)
    lines = bulk(BudgetLine, [BudgetLine(campaign=c, category="channel", item="投放", planned=1000) for c in camps])
    bulk(Expense, [Expense(campaign=ln.campaign, line=ln, amount=Decimal(800), date=START) for ln in lines])
    bulk(
        Retrospective,
        [Retrospective(campaign=c, worked="直播带货效果好", lessons="提前备货", completed_at=now()) for c in camps],
    )
    return user, camps


def _cases(env, n):
    user, _camps = _cases_for(env, n)
    return Target("/cases?limit=200", user)


def _similar(env, n):
    user, camps = _cases_for(env, n + 1)
    return Target(f"/campaigns/{camps[0].pk}/similar", user)


C = "/campaigns/{campaign_id}"
CASES: list[ListCase] = [
    ListCase(name, route, items, globals()[factory])
    for name, route, factory, items in read_table(Path(__file__).with_name("list_cases.txt"), columns=4)
]

# GET endpoints without a case, and why (the test checks that every GET route is in CASES or here).
LEFT_OUT: dict[str, str] = {
    "/me": "one object",
    "/auth/methods": "the configured sign-in methods: read from the settings, no database query",
    C: "one object",
    "/campaigns/{campaign_id}/kpis/{kpi_id}": "one object",
    "/budget-lines/{line_id}": "one object",
    "/expenses/{expense_id}": "one object",
    f"{C}/plan-settings": "one object",
    f"{C}/execution-settings": "one object",
    f"{C}/retrospective": "one object (its assets are a JSON list in one row, at most 30)",
    "/import-jobs/{job_id}": "one object (its errors are a JSON list in one row)",
    f"{C}/periods": "at most three periods (one per kind), one query",
    f"{C}/alert-rules": "one entry per rule type the code defines, one query",
    "/expenses/{expense_id}/receipt": "one file",
    "/materials/{material_id}": "one object (its waiting sides from one query of its reviews)",
    "/material-files/{material_file_id}": "one file",
    "/material-files/{material_file_id}/preview": "one file",
    f"{C}/materials.xlsx": "the materials sheet, streamed from the same query as the list",
    "/events/{event_id}": "one object (its counts annotated in the same query)",
    "/events/{event_id}/registrations.xlsx": "the registrations sheet, from the same query as the list",
    f"{C}/export.xlsx": "the campaign workbook (every sheet), timed by bench/bench_export.py",
    f"{C}/report.pdf": "a document",
    "/weekly-reports/{report_id}/figures": "one report's figures: a row per KPI from three queries whatever the count",
    "/assist/drafts/{draft_id}": "one object (its draft and citations are JSON in one row; a plan draft's diff from "
    "three queries: the campaign's tasks, KPIs and channels)",
}


# --- counting ----------------------------------------------------------------------------------


def get_ok(client, path: str):
    """GET /api/v1{path}; the body read to the end (streamed CSVs run their queries while streaming)."""
    response = client.get(f"/api/v1{path}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, (path, response.status_code, body[:300])
    return response


_DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def count_queries(case: ListCase, n: int, admin) -> int:
    """The queries of one GET of `case`'s endpoint with `n` items, the data rolled back afterwards."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from campaignflow.accounts.services import token_create
    from campaignflow.campaigns.access import forget_rows

    # No response caching (a dummy cache for every alias settings name): a cached read (the board) is counted as
    # it is built, and an entry keyed by ids cannot outlive the rolled-back data whose ids the next measurement reuses.
    no_cache = dict.fromkeys(settings.CACHES, _DUMMY)
    with override_settings(CACHES=no_cache), transaction.atomic():
        target = case.build(Env(admin), n)
        _token, raw = token_create(user=target.user or admin, name="list query count")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        get_ok(client, target.path)  # warm-up: the token's last use, caches
        forget_rows()  # the read counted asks for all a process's first read asks for (no kept campaign row)
        with CaptureQueriesContext(connection) as queries:
            get_ok(client, target.path)
        transaction.set_rollback(True)
    return len(queries)
