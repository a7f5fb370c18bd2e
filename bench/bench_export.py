"""Benchmark (issue #10): XLSX/PDF export time and peak memory for a campaign with 100,000 metric rows.

Goal (export issue): "Large exports (100,000 metric rows) stream or run in the background with progress:
≤ 10 s and ≤ 200 MB peak memory, measured in a benchmark."

What is measured: the four document endpoints, each as a full HTTP request through django.test.Client with
a Bearer token, the response read to its last byte (so the response assembly and streaming are included):
  - GET /api/v1/campaigns/{id}/export.xlsx                (streamed while it is written, reports/xlsx_stream)
  - GET /api/v1/campaigns/{id}/report.pdf?kind=weekly     (built in memory, one response)
  - GET /api/v1/campaigns/{id}/report.pdf?kind=evaluation (built in memory, one response)
  - GET /api/v1/campaigns/{id}/metrics.csv                (streamed row by row)
None of them goes to the background worker: all four answer within the request.

The campaign: `rows` metric rows (10 metrics × 40 channels × rows/400 days, a funnel per channel, written
through tracking's ingestion service as one import batch) and what the reports draw besides, written through
the apps' services: a playbook plan plus per-channel tasks with owners and states, team members, KPIs with
targets (sums and ratios) and evaluation notes, the 40 channels with targets, an approved budget with lines
and expenses, issues, risks, stand-ups, this week's weekly report and a retrospective draft.

Figures per export (one record each, goals ≤ 10 s and ≤ 200 MB; the workbook, issue #25: ≤ 1.5 s, streamed,
RSS growth ≤ 50 MB, beside its anchor, the metrics CSV of the same rows measured in the same run):
  - time: median of 3 requests, without tracemalloc (CPU time and the first byte's time in the note);
  - the workbook's first byte: streamed means the first chunk leaves within 25 % of the whole request
    (or 0.25 s, for QUICK sizes where the whole is short)
    (what comes before it is the view reading the small sheets; the metric rows are read while it streams);
  - peak Python memory: tracemalloc's peak during one more request (in this process; SQLite run only: what
    Python allocates to build a file does not depend on the database, and traced it takes 3–4 × as long; not in
    QUICK runs, where the four traced requests were a third of the step; the RSS growth below is measured there);
  - peak RSS growth: in a fresh child process (`--child`, same database through the inherited environment),
    the resident-memory high-water mark during the request minus the resident memory just before it (the
    mark is reset first through /proc/self/clear_refs; getrusage's max RSS where that is refused). Before
    it the child has made the same request on a small campaign (code, the PDF font loaded), so the figure
    is what the large export adds to a warm worker; the note gives the absolute figures. QUICK: one child
    (`--forks`) sets up (Django, the URLconf) while the campaigns are built, and each export's measurement runs
    in a process forked from it (a fresh copy of a process just set up, with no request made and no database
    connection open), all at once, once the timed requests are done.
(MB here are MiB.) Takes ~50 s for 100,000 rows (building the data: ~4 s).

`run(user, rows=100_000)` returns records shaped like bench/__main__.py's `record(...)` keyword arguments;
it expects Django set up against a migrated private database (as `python -m bench` does) and adds two
campaigns to it (the large one, and a small one for the warm-up requests). Standalone:
`.venv/bin/python -m bench.bench_export [--rows N] [--keep DIR]` uses a throw-away SQLite file in a temporary
directory (never the project database) and prints the records; `--keep DIR` also writes the four documents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import traceback
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import quick, verdict  # noqa: E402  (after the path: run as a script too)

GOAL_S = 10
GOAL_MB = 200
RUNS = 3  # plus a fresh-process run per export (and a tracemalloc run on SQLite)
EXPORTS = [  # (label, path after /api/v1/campaigns/{id}/, file name for --keep, goal s, goal MB)
    ("export.xlsx workbook", "export.xlsx", "export.xlsx", 1.5, 50),  # issue #25
    ("weekly PDF report", "report.pdf?kind=weekly", "weekly.pdf", GOAL_S, GOAL_MB),
    ("evaluation PDF report", "report.pdf?kind=evaluation", "evaluation.pdf", GOAL_S, GOAL_MB),
    ("metrics CSV", "metrics.csv", "metrics.csv", GOAL_S, GOAL_MB),
]
ANCHOR = {"export.xlsx workbook": "metrics CSV"}  # the same metric rows, streamed as CSV
# "streamed": the first byte within a quarter of the whole request (before: all of it), or within
# STREAMED_FLOOR_S when the whole is short (QUICK sizes: the view reading the small sheets is most of it)
STREAMED_SHARE = 0.25
STREAMED_FLOOR_S = 0.25

PLATFORMS = ["抖音", "小红书", "微信公众号", "视频号", "微博", "B站", "快手", "天猫旗舰店"]
CITIES = [
    "北京朝阳", "北京海淀", "上海徐汇", "上海浦东", "广州天河", "深圳南山", "杭州西湖", "南京新街口",
    "成都春熙路", "重庆解放碑", "武汉光谷", "西安小寨", "长沙五一广场", "苏州观前街", "天津滨江道", "郑州二七",
    "青岛香港中路", "厦门中山路", "宁波天一", "合肥淮河路", "沈阳中街", "大连西安路", "济南泉城路", "福州东街口",
    "昆明南屏街", "南宁朝阳", "哈尔滨中央大街", "石家庄北国", "无锡崇安寺", "佛山祖庙", "东莞南城", "贵阳喷水池",
]  # fmt: skip
CHANNELS = PLATFORMS + [f"门店·{c}" for c in CITIES]  # 40
METRICS = ["曝光", "点击", "转化", "购买", "销售额", "新增会员", "报名", "推广费", "分享", "收藏"]  # 10
TEAM = [  # username, display name, global role, campaign role, what the playbook calls them
    ("exp_wangjl", "王经理", "member", "manager", "总负责人"),
    ("exp_lich", "李策划", "member", "manager", "策划组"),
    ("exp_zhangzy", "张专员", "member", "member", "宣传组"),
    ("exp_chensj", "陈设计", "member", "member", "设计"),
    ("exp_zhaocw", "赵财务", "finance", "member", "财务"),
    ("exp_sunzj", "孙总监", "director", "viewer", ""),
]
ROLE_OWNERS = {
    "财务": "exp_zhaocw",
    "策划": "exp_lich",
    "市场": "exp_zhangzy",
    "宣传": "exp_zhangzy",
    "设计": "exp_chensj",
}


# --- the campaign -----------------------------------------------------------------------------------


def metric_rows(n: int, start: dt.date) -> list[tuple]:
    """n rows (date, channel, metric, value text): a day's 40 channels × 10 metrics, day after day; each
    channel's funnel (exposure → click → conversion → purchase → sales) with its own rates and noise."""
    from campaignflow.tracking.domain.parsers import Row

    rng = random.Random(10)
    per_day = len(CHANNELS) * len(METRICS)
    days = -(-n // per_day)
    scale = {ch: (8.0 - i * 0.6 if i < len(PLATFORMS) else 0.35 + 0.01 * i) for i, ch in enumerate(CHANNELS)}
    rates = {ch: (rng.uniform(0.02, 0.12), rng.uniform(0.05, 0.15), rng.uniform(0.4, 0.65)) for ch in CHANNELS}
    rows: list = []
    for d in range(days):
        day = (start + dt.timedelta(days=d)).isoformat()
        x = d / max(1, days - 1)
        shape = 0.7 + 0.8 * (0.3 < x < 0.75) + 0.3 * (x >= 0.75)  # warm-up → burst → tail
        for ch in CHANNELS:
            ctr, cvr, buy = rates[ch]
            exposure = int(20000 * scale[ch] * shape * rng.uniform(0.8, 1.2))
            clicks = int(exposure * ctr * rng.uniform(0.9, 1.1))
            conversions = int(clicks * cvr * rng.uniform(0.9, 1.1))
            purchases = int(conversions * buy * rng.uniform(0.9, 1.1))
            sales = Decimal(int(purchases * rng.uniform(89, 199) * 100)) / 100
            values = {
                "曝光": exposure,
                "点击": clicks,
                "转化": conversions,
                "购买": purchases,
                "销售额": sales,
                "新增会员": int(purchases * rng.uniform(0.3, 0.5)),
                "报名": int(clicks * rng.uniform(0.05, 0.1)),
                "推广费": Decimal(int(exposure * rng.uniform(0.8, 2.0))) / 100 if ch in PLATFORMS else 0,
                "分享": int(exposure * rng.uniform(0.002, 0.006)),
                "收藏": int(exposure * rng.uniform(0.004, 0.01)),
            }
            for m in METRICS:
                rows.append(
                    Row(day, ch, m, format(values[m], "f") if isinstance(values[m], Decimal) else str(values[m]))
                )
    return rows[:n]


def _team(campaign) -> dict:
    from campaignflow.accounts.models import User
    from campaignflow.campaigns.models import Membership

    users = {}
    for username, display, role, member_role, _what in TEAM:
        u, _c = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "role": role, "email": f"{username}@example.cn"}
        )
        users[username] = u
        if campaign is not None:
            Membership.objects.get_or_create(campaign=campaign, user=u, defaults={"role": member_role})
    return users


def build_campaign(user, rows: int, *, name: str = "全国门店焕新季整合营销"):
    """A campaign ending two weeks from today whose metric rows run up to today (so this week's report and
    the daily tracking have data), with the content the workbook and the reports draw. Returns it."""
    from django.utils import timezone

    from campaignflow.budgets import services as budgets
    from campaignflow.campaigns.models import Campaign
    from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks
    from campaignflow.campaigns.services import campaign_create, campaign_transition
    from campaignflow.execution import services as execution
    from campaignflow.goals import services as goals
    from campaignflow.planning.models import RaciAssignment, Task, TaskStatus
    from campaignflow.review import services as review
    from campaignflow.review.demo import NOTES, RETRO
    from campaignflow.tracking.domain.parsers import ParseResult
    from campaignflow.tracking.services import metrics_ingest

    today = timezone.localdate()
    per_day = len(CHANNELS) * len(METRICS)
    days = -(-rows // per_day)
    start = today - dt.timedelta(days=days - 1)
    end = today + dt.timedelta(days=14)
    data = metric_rows(rows, start)
    totals: dict[str, Decimal] = {}
    cost: dict[str, Decimal] = {}
    for r in data:
        totals[r.metric] = totals.get(r.metric, Decimal(0)) + Decimal(r.value)
        if r.metric == "推广费":
            cost[r.channel] = cost.get(r.channel, Decimal(0)) + Decimal(r.value)

    sync_builtin_playbooks()
    users = _team(None)
    manager = users["exp_wangjl"]
    channel_budget = {ch: (cost.get(ch, Decimal(0)) * Decimal("1.15")).quantize(Decimal(1000)) for ch in PLATFORMS}
    lines = [
        *[("channel", f"{ch}投放", channel_budget[ch], "exp_zhangzy", "按效果结算，月结", ch) for ch in PLATFORMS],
        ("materials", "门店物料制作", Decimal(320000), "exp_chensj", "海报、展架、试用装包装（32家门店）", ""),
        ("prizes", "会员礼品", Decimal(150000), "exp_zhangzy", "新会员礼包，15元/份", ""),
        ("people", "门店地推兼职", Decimal(480000), "exp_lich", "每店2人，周末", ""),
        ("venue", "商场中庭快闪", Decimal(260000), "exp_wangjl", "8个城市各1场", ""),
    ]
    planned = sum(x[2] for x in lines)
    lines.append(
        (
            "contingency",
            "应急预备金",
            (planned * Decimal("0.1")).quantize(Decimal(1000)),
            "exp_wangjl",
            "预留10%应急资金",
            "",
        )
    )
    budget_total = sum(x[2] for x in lines)
    campaign, _w = campaign_create(
        actor=user,
        playbook_key="enterprise-campaign",
        data={
            "name": f"{name}（{rows:,}行）",
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "budget_total": str(budget_total),
            "industry": "快消零售",
            "tags": ["新品", "全渠道", "会员"],
            "description": "活动期间线上线下销售额达成目标（核心），新增会员、社交曝光与点击率同步提升，获客成本不高于目标。",
            "owner": manager,
        },
    )
    users = _team(campaign)

    # the plan: the playbook's tasks plus three per channel, with owners and states as of today
    tasks = list(Task.objects.filter(campaign=campaign))
    extra, n = [], len(tasks)
    span = (end - start).days
    for i, ch in enumerate(CHANNELS):
        module = "线上投放" if ch in PLATFORMS else "门店活动"
        for j, (what, deliverable, frac) in enumerate(
            [
                ("素材制作与审核", "素材包（主图/短视频）", (0.05, 0.25)),
                ("投放执行", "投放日报", (0.25, 0.85)),
                ("效果复盘", "渠道复盘报告", (0.85, 0.97)),
            ]
        ):
            n += 1
            s = start + dt.timedelta(days=int(span * frac[0]) + i % 5)
            e = min(end, start + dt.timedelta(days=int(span * frac[1]) + i % 5))
            extra.append(
                Task(
                    campaign=campaign,
                    code=f"T{n:03d}",
                    name=f"{ch}{what}",
                    phase="执行阶段",
                    module=module,
                    owner_role="宣传组" if j < 2 else "策划组",
                    start_date=s,
                    end_date=e,
                    deliverable=deliverable,
                    acceptance="按渠道目标验收",
                    sort_order=1000 + n,
                )
            )
    Task.objects.bulk_create(extra)
    running = 0
    for task in Task.objects.filter(campaign=campaign).order_by("sort_order", "id"):
        username = next((u for key, u in ROLE_OWNERS.items() if key in task.owner_role), "exp_wangjl")
        task.owner = users[username]
        if task.end_date and task.end_date < today:
            task.status, task.progress = TaskStatus.DONE, 100
        elif task.start_date and task.start_date <= today:
            running += 1
            task.status, task.progress = TaskStatus.IN_PROGRESS, 30 + running * 7 % 60
            if running % 6 == 0:  # some running tasks are late, with a reason
                task.status, task.delay_reason = TaskStatus.DELAYED, "KOL档期调整，素材延后2天"
        task.save()
    raci = []  # the owner is responsible (R), the campaign manager accountable (A), as the demo's plans
    for task in Task.objects.filter(campaign=campaign):
        if task.owner_id != manager.pk:
            raci.append(RaciAssignment(task=task, user_id=task.owner_id, role="R"))
        raci.append(RaciAssignment(task=task, user=manager, role="A"))
    RaciAssignment.objects.bulk_create(raci)

    # goals: KPIs with targets around the actuals, channels with targets and benchmarks
    kpis = [
        (
            "销售额",
            {"metric": "销售额"},
            "元",
            (totals["销售额"] / Decimal("0.93")).quantize(Decimal(10000)),
            "core",
            "up",
        ),
        (
            "新增会员",
            {"metric": "新增会员"},
            "人",
            (totals["新增会员"] / Decimal("0.86")).quantize(Decimal(100)),
            "auxiliary",
            "up",
        ),
        (
            "社交曝光",
            {"metric": "曝光"},
            "次",
            (totals["曝光"] / Decimal("1.08")).quantize(Decimal(10000)),
            "auxiliary",
            "up",
        ),
        ("点击率", {"numerator": "点击", "denominator": "曝光"}, "", Decimal("0.08"), "auxiliary", "up"),
        (
            "获客成本",
            {"numerator": "推广费", "denominator": "新增会员"},
            "元/人",
            (totals["推广费"] / totals["新增会员"] * Decimal("1.1")).quantize(Decimal("0.1")),
            "auxiliary",
            "down",
        ),
    ]
    made = []
    for kpi_name, metric, unit, target, priority, direction in kpis:
        made.append(
            goals.kpi_create(
                actor=user,
                campaign=campaign,
                data={
                    "name": kpi_name,
                    **metric,
                    "unit": unit,
                    "target": str(target),
                    "priority": priority,
                    "direction": direction,
                    "owner": "exp_wangjl",
                    "deadline": end.isoformat(),
                    "specific": f"{kpi_name}达到 {target}{unit}",
                },
            )
        )
    for i, ch in enumerate(CHANNELS):
        goals.channel_create(
            actor=user,
            campaign=campaign,
            data={
                "name": ch,
                "content_form": "短视频+直播" if ch in PLATFORMS else "地推+体验活动",
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "owner": "exp_zhangzy" if i % 2 else "exp_lich",
                "targets": {"曝光": str(20000 * days), "点击": str(1500 * days)},
                "benchmarks": {"点击率": "3%", "转化率": "8%"},
            },
        )

    # the metric rows, as one import batch
    metrics_ingest(actor=user, campaign=campaign, parsed=ParseResult(rows=data), source="demo", filename="bench")
    del data

    # budget: lines, submitted and approved, expenses (approved while under plan)
    by_item = {}
    for category, item, amount, owner, note, ch in lines:
        data = {"category": category, "item": item, "planned": str(amount), "owner": owner, "note": note, "channel": ch}
        by_item[item] = budgets.line_create(actor=manager, campaign=campaign, data=data)
    budgets.budget_submit(actor=manager, campaign=campaign, comment="按预算分配表提交")
    budgets.budget_decide(actor=users["exp_zhaocw"], campaign=campaign, approve=True, comment="同意")
    for ch in PLATFORMS:
        spent, month = cost.get(ch, Decimal(0)), 0
        parts = max(1, days // 30)
        for month in range(parts):
            budgets.expense_create(
                actor=users["exp_zhangzy"],
                campaign=campaign,
                data={
                    "budget_line": by_item[f"{ch}投放"].pk,
                    "amount": str((spent / parts).quantize(Decimal("0.01"))),
                    "date": (start + dt.timedelta(days=30 * month + 29 if parts > 1 else 0)).isoformat(),
                    "payee": f"{ch}广告平台",
                    "note": f"第{month + 1}期投放结算",
                },
            )
    for item, amount, payee in [
        ("门店物料制作", "186000", "华东印务有限公司"),
        ("会员礼品", "92000", "华东包装厂"),
        ("门店地推兼职", "251000", "兼职人员（32家门店）"),
        ("商场中庭快闪", "130000", "北京光影舞美有限公司"),
    ]:
        budgets.expense_create(
            actor=users["exp_zhangzy"],
            campaign=campaign,
            data={
                "budget_line": by_item[item].pk,
                "amount": amount,
                "date": (start + dt.timedelta(days=20)).isoformat(),
                "payee": payee,
                "note": "",
            },
        )

    # execution: issues, risks, stand-ups of the last four weeks, this week's report
    now = timezone.now()
    issues = [
        ("抖音直播间推流卡顿，观众流失明显", "high", "resolved", "更换推流设备并增加备用线路"),
        ("小红书KOC笔记被平台限流", "medium", "in_progress", ""),
        ("门店·上海徐汇 试用装库存不足", "high", "resolved", "从门店·上海浦东调拨300份"),
        ("优惠券门槛过高，核销率低", "medium", "resolved", "门槛由满50减5调整为满30减5"),
        ("微信公众号推文发布延迟1天", "low", "resolved", "提前一天排版审核"),
        ("门店·成都春熙路 兼职地推人员未到岗", "medium", "open", ""),
        ("天猫旗舰店页面加载慢，跳出率高", "high", "in_progress", ""),
        ("快闪活动场地临时变更", "medium", "resolved", "改至同商场三层中庭，现场加导视"),
        ("B站UP主视频审核未通过", "low", "open", ""),
        ("会员礼包物流延误", "medium", "in_progress", ""),
    ]
    for i, (text, severity, status, solution) in enumerate(issues):
        execution.issue_create(
            actor=manager,
            campaign=campaign,
            data={
                "description": text,
                "severity": severity,
                "status": status,
                "solution": solution,
                "owner": users[TEAM[i % 4][0]],
                "found_at": (now - dt.timedelta(days=3 * i + 1)).isoformat(),
            },
        )
    risks = [
        ("直播设备故障", "technical", 2, 4, "推流中断超过1分钟", "提前测试设备", "启用备用设备与备用网络"),
        ("KOL档期变动", "partner", 3, 3, "合作KOL提前3天未确认", "签约时锁定档期", "启用备选KOL名单"),
        ("物料延期交付", "resource", 3, 3, "交付前5天未验收", "物料提前5天验收", "就近门店调拨"),
        ("平台流量政策变化", "market", 2, 4, "投放成本上升20%以上", "分散投放渠道", "预算向高ROI渠道倾斜"),
        ("广告法合规风险", "compliance", 1, 5, "文案含绝对化用语", "文案法务审核", "立即下线并替换素材"),
        ("天气影响线下活动", "other", 2, 2, "暴雨/高温预警", "关注天气预报", "改为室内场地或延期"),
    ]
    for i, (title, category, likelihood, impact, trigger, mitigation, plan) in enumerate(risks):
        execution.risk_create(
            actor=manager,
            campaign=campaign,
            data={
                "title": title,
                "category": category,
                "likelihood": likelihood,
                "impact": impact,
                "trigger": trigger,
                "mitigation": mitigation,
                "contingency_plan": plan,
                "owner": users[TEAM[i % 4][0]],
                "status": "monitoring" if i % 2 else "open",
            },
        )
    for d in range(min(days, 28)):
        day = today - dt.timedelta(days=d)
        for j, username in enumerate(("exp_lich", "exp_zhangzy", "exp_chensj")):
            execution.standup_save(
                actor=users[username],
                campaign=campaign,
                data={
                    "date": day.isoformat(),
                    "done": f"完成{CHANNELS[(d + j) % len(CHANNELS)]}当日投放与数据回收",
                    "need_support": "需要设计支持门店海报改版" if (d + j) % 5 == 0 else "",
                },
            )
    execution.weekly_report_generate(actor=manager, campaign=campaign, week_start=today)

    # review: evaluation notes for every KPI, a retrospective draft
    for kpi in made:
        dimension, analysis, improvement = NOTES.get(
            kpi.name, ("其他", f"{kpi.name}：执行到位，达成情况见数据看板", "总结经验，纳入下次活动方案")
        )
        review.evaluation_note_save(
            actor=manager,
            campaign=campaign,
            kpi_id=kpi.pk,
            data={"version": 0, "dimension": dimension, "analysis": analysis, "improvement": improvement},
        )
    review.retrospective_save(
        actor=manager, campaign=campaign, data={"version": 0, "worked": RETRO["worked"], "improve": RETRO["improve"]}
    )

    # the campaign is running: through its gates to "executing" (when they pass)
    for status in ("planning", "executing"):
        try:
            campaign_transition(campaign=campaign, to=status, actor=user, note="启动会已召开")
        except Exception as exc:  # a gate not met: the documents do not depend on the status
            print(f"  (campaign stays {campaign.status}: {type(exc).__name__} {exc})", flush=True)
            break
    return Campaign.objects.get(pk=campaign.pk)


# --- measuring ----------------------------------------------------------------------------------------


def _client(user):
    from django.test import Client

    from campaignflow.accounts.services import token_create

    _t, raw = token_create(user=user, name="bench export")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/campaigns")  # the token's first use records it (one UPDATE): not timed
    return client, raw


def fetch(client, url: str, sink=None, timing: dict | None = None) -> int:
    """One request, read to the last byte (written to `sink` when given); returns the body's size.
    `timing` gets the seconds until the first byte of the body ("first"), and the request's CPU time
    ("cpu") and wall time ("wall")."""
    c0, w0 = time.process_time(), time.perf_counter()
    response = client.get(url)
    try:
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code} {bytes(response.content[:300])!r}")
        chunks = response.streaming_content if response.streaming else [response.content]
        size, first = 0, None
        for chunk in chunks:
            if first is None:
                first = time.perf_counter() - w0
            size += len(chunk)
            if sink is not None:
                sink.write(chunk)
        if timing is not None:
            timing.update(first=first, cpu=time.process_time() - c0, wall=time.perf_counter() - w0)
        return size
    finally:
        response.close()


def _rss_mb() -> dict:
    """The process's resident memory now and its high-water mark (MB), from /proc/self/status."""
    status = Path("/proc/self/status").read_text()
    return {k: int(re.search(rf"^{k}:\s+(\d+) kB", status, re.M).group(1)) / 1024 for k in ("VmRSS", "VmHWM")}


def child(url: str, warmup: str, token: str) -> dict:
    """In a fresh process: the warm-up request (same export, small campaign), then the measured one. The
    high-water mark is reset just before it (Linux: "5" into /proc/self/clear_refs), so its peak is the
    request's own; without the reset, getrusage's max RSS (a mark the start-up may already have set higher)."""
    from django.test import Client

    started = _rss_mb()["VmRSS"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    fetch(client, warmup)
    gc.collect()
    before = _rss_mb()["VmRSS"]
    try:
        Path("/proc/self/clear_refs").write_text("5")
        how = "VmHWM reset before the request"
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        how = "getrusage max RSS"
    t0 = time.perf_counter()
    size = fetch(client, url)
    seconds = time.perf_counter() - t0
    peak = _rss_mb()["VmHWM"] if how.startswith("VmHWM") else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"started_mb": started, "before_mb": before, "peak_mb": peak, "bytes": size, "seconds": seconds, "how": how}


def forked(jobs: list[list[str]], token: str) -> list[dict]:
    """`child(url, warmup, token)` for each [url, warmup] of `jobs`, each in a process forked from this one (set up,
    no request made, no database connection open), all at once: each measures its own resident memory, which the
    others do not change, and nothing is timed while they run."""
    from django.db import connections

    connections.close_all()
    running = []
    for url, warmup in jobs:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the measuring process
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "w") as out:
                    out.write(json.dumps(child(url, warmup, token)))
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(write)
        running.append((url, pid, read))
    results = []
    for url, pid, read in running:
        with os.fdopen(read) as answer:
            text = answer.read()
        _pid, status = os.waitpid(pid, 0)
        if status:
            raise RuntimeError(f"forked measurement of {url} failed ({status})")
        results.append(json.loads(text))
    return results


def _fork_server() -> subprocess.Popen:
    """QUICK: the child that forks a process per RSS measurement (`--forks`), started before the campaigns are built
    so that its set-up overlaps theirs; it prints READY once set up, then reads its jobs (JSON) on its input."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")}
    return subprocess.Popen(
        [sys.executable, "-m", "bench.bench_export", "--forks"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _forks_ready(server: subprocess.Popen) -> None:
    """Wait until the fork server is set up (nothing is timed while it sets up)."""
    line = server.stdout.readline()
    if line.strip() != "READY":
        server.kill()
        raise RuntimeError(f"the fork server failed: {line!r}")


def _forks_run(server: subprocess.Popen, jobs: list[list[str]], token: str) -> list[dict]:
    out, _err = server.communicate(json.dumps({"jobs": jobs, "token": token}) + "\n", timeout=600)
    if server.returncode != 0:
        raise RuntimeError(f"the fork server failed ({server.returncode})")
    line = [x for x in out.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def _in_child(url: str, warmup: str, token: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")}
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_export", "--child", url, "--warmup", warmup, "--token", token],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child failed: {out.stderr[-500:]}")
    line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def run(user, rows: int = 100_000, *, keep: Path | None = None) -> list[dict]:
    """Records for bench/__main__.py's `record(**r)`: per export, time, peak Python memory, peak RSS growth."""
    from django.db import connection

    t0 = time.perf_counter()
    forks = _fork_server() if quick() else None  # QUICK: sets up while the campaigns are built
    campaign = build_campaign(user, rows)
    small = build_campaign(user, len(CHANNELS) * len(METRICS), name="导出基准预热活动")
    if forks is not None:
        _forks_ready(forks)
    print(f"  campaigns built in {time.perf_counter() - t0:.1f} s", flush=True)
    client, raw = _client(user)
    per_day = len(CHANNELS) * len(METRICS)
    size = f"{rows:,} metric rows (40 channels × 10 metrics × {-(-rows // per_day)} days), full campaign content"
    measured = {}
    jobs = {}  # QUICK: label: [url, warm-up url] of the RSS measurements, made together at the end
    for label, path, filename, goal_s, goal_mb in EXPORTS:
        url = f"/api/v1/campaigns/{campaign.pk}/{path}"
        warm = f"/api/v1/campaigns/{small.pk}/{path}"
        fetch(client, warm)  # imports, font, caches: not the large export's cost
        if keep is not None:
            with open(keep / filename, "wb") as fh:
                fetch(client, url, fh)
        runs = []
        for _ in range(RUNS):
            timing: dict = {}
            nbytes = fetch(client, url, timing=timing)
            runs.append(timing)
        peak = None
        if connection.vendor == "sqlite" and not quick():
            tracemalloc.start()
            tracemalloc.reset_peak()
            fetch(client, url)
            _cur, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peak /= 2**20  # MB as the RSS figures (/proc counts KiB)
        if quick():
            jobs[label], rss = [url, warm], None
        else:
            rss = _in_child(url, warm, raw)
            rss["process"] = "fresh process"
        measured[label] = {
            "path": path,
            "goal_s": goal_s,
            "goal_mb": goal_mb,
            "bytes": nbytes,
            "runs": runs,
            "seconds": statistics.median(r["wall"] for r in runs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "first": statistics.median(r["first"] for r in runs),
            "peak": peak,
            "rss": rss,
        }
        if rss is not None:
            _say(label, measured[label])
    if jobs:
        for label, rss in zip(jobs, _forks_run(forks, list(jobs.values()), raw), strict=True):
            measured[label]["rss"] = {
                **rss,
                "process": "a process forked from one set up for the four (QUICK; URLconf imported before the fork)",
            }
            _say(label, measured[label])
    return [r for label, m in measured.items() for r in _records(label, m, measured, size)]


def _say(label: str, m: dict) -> None:
    traced = "—" if m["peak"] is None else f"{m['peak']:.1f} MB"
    print(
        f"  {label}: {m['seconds']:.2f} s (CPU {m['cpu']:.2f} s, first byte {m['first']:.2f} s), tracemalloc {traced}, "
        f"RSS +{m['rss']['peak_mb'] - m['rss']['before_mb']:.1f} MB, {_mb(m['bytes'])}",
        flush=True,
    )


def _records(label: str, m: dict, measured: dict, size: str) -> list[dict]:
    """time (with the anchor's time and the first byte), peak Python memory, peak RSS growth."""
    seconds, goal_s, goal_mb, rss = m["seconds"], m["goal_s"], m["goal_mb"], m["rss"]
    anchor = measured.get(ANCHOR.get(label, ""))
    spread = ", ".join(f"{r['wall']:.2f}" for r in m["runs"])
    out = [
        {
            "name": f"{label}: time",
            "value": round(seconds, 2),
            "unit": "s",
            "goal": f"≤ {goal_s} s",
            "ok": seconds <= goal_s,
            "reference": f"{ANCHOR[label]} {anchor['seconds']:.2f} s" if anchor else None,
            "ratio": seconds / anchor["seconds"] if anchor else None,
            "size": size,
            "note": f"GET …/{m['path']}, read to the end; median of {RUNS} ({spread} s), CPU {m['cpu']:.2f} s"
            + (f" (anchor's CPU {anchor['cpu']:.2f} s)" if anchor else "")
            + f"; first byte after {m['first']:.2f} s; output {_mb(m['bytes'])}",
        }
    ]
    if label in ANCHOR:  # the goal says streamed: the download starts before the file is built
        out.append(
            {
                "name": f"{label}: first byte",
                "value": round(m["first"], 2),
                "unit": "s",
                "goal": f"streamed (≤ {STREAMED_SHARE:.0%} of the whole or ≤ {STREAMED_FLOOR_S} s)",
                "ok": m["first"] <= max(STREAMED_SHARE * seconds, STREAMED_FLOOR_S),
                "reference": f"whole request {seconds:.2f} s",
                "ratio": m["first"] / seconds,
                "size": size,
                "note": "seconds until the response's first chunk, median of the timed runs",
            }
        )
    if m["peak"] is not None:
        out.append(
            {
                "name": f"{label}: peak Python memory",
                "value": round(m["peak"], 1),
                "unit": "MB",
                "goal": f"≤ {goal_mb} MB",
                "ok": m["peak"] <= goal_mb,
                "size": size,
                "note": "tracemalloc peak during one request",
            }
        )
    growth = rss["peak_mb"] - rss["before_mb"]
    out.append(
        {
            "name": f"{label}: peak RSS growth",
            "value": round(growth, 1),
            "unit": "MB",
            "goal": f"≤ {goal_mb} MB",
            "ok": growth <= goal_mb,
            "size": size,
            "note": f"{rss['process']}, after django.setup {rss['started_mb']:.0f} MB and a warm-up request (small "
            f"campaign) {rss['before_mb']:.0f} MB; peak during the request {rss['peak_mb']:.0f} MB "
            f"({rss['how']}; request {rss['seconds']:.2f} s)",
        }
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the four documents into this directory")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--forks", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.forks:  # QUICK's RSS measurements: one process set up, a fork of it for each
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018  (the views imported once, not in each fork)
        print("READY", flush=True)
        task = json.loads(sys.stdin.readline())
        print("RESULT " + json.dumps(forked(task["jobs"], task["token"])), flush=True)
        return 0
    if args.child:  # the RSS measurement: the parent's environment names the database
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        print("RESULT " + json.dumps(child(args.child, args.warmup, args.token)), flush=True)
        return 0
    from bench.data import standalone

    with standalone("cf-bench-export-", sqlite=True) as (_tmp, user):
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        records = run(user, args.rows, keep=args.keep)
        print(f"\n{len(records)} records in {time.perf_counter() - t0:.0f} s")
        for r in records:
            flag = verdict(r["ok"])
            print(f"[{flag:4}] {r['name']}: {r['value']} {r['unit']} (goal {r['goal']}) [{r['size']}] {r['note']}")
        return 0 if all(r["ok"] for r in records) else 1


if __name__ == "__main__":
    sys.exit(main())
