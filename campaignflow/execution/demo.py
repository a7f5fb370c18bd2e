"""Demo execution records (seed 002: table 3 daily tracking, table 4 issues and risks, the weekly report),
for the campaigns that are running or have run. Dates sit inside each campaign's own period and never in
the future, so the SLA clocks, the stand-up rule and the weekly report read as they would in real use.
Idempotent: records are found by their code, stand-ups by person and day, reports by week."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import ExecutionLogEntry, Issue, IssueStatus, Risk, RunOfShowItem, Standup, WeeklyReport
from .services import (
    issue_create,
    log_create,
    risk_create,
    segment_create,
    standup_save,
    weekly_report_generate,
    weekly_report_publish,
)

RUNNING = ("executing", "reviewing", "archived")

# seed 002 §风险预案 and seed 001 §风险预案: (title, category, likelihood, impact, owner, mitigation, contingency)
RISKS = [
    (
        "线下物料延迟（印刷厂产能不足）",
        "resource",
        3,
        4,
        "zhangzy",
        "提前5天验收物料，每日跟进印刷进度",
        "启用备用供应商对接流程",
    ),
    (
        "雨雪天气导致线下到场率低",
        "market",
        3,
        3,
        "wangjl",
        "关注天气预报，提前发布到场提醒",
        "线下转线上直播，增加线上优惠",
    ),
    ("KOL档期调整导致内容延期", "partner", 2, 3, "lich", "KOL档期提前1-2个月锁定，签约写明交付时间", "启用备选KOL名单"),
]
# seed 002 table 4: (code, description, days after start, owner, severity, status, solution)
ISSUES = [
    ("Q001", "线下活动到场率低于预期", 11, "wangjl", "medium", "in_progress", "增加“扫码领小礼品”引流"),
    ("Q002", "优惠券核销率仅15%", 12, "zhangzy", "high", "resolved", "降低门槛（满50减10→满30减5）"),
]
# seed 002 table 3: (days after start, event, handling, result)
LOG = [
    (9, "线下场地布置完成", "按布置图验收，补齐2处展架", "场地可用"),
    (10, "今日销售额目标5万，实际3.8万", "复盘渠道数据，增加1名地推人员", "次日实际4.2万"),
    (11, "KOL首篇内容发布", "同步社群转发，跟踪互动数据", "首日曝光12万"),
]
# the stand-up of the last three days before today (seed 002 §会议同步: 昨日完成/未完成/需支持)
STANDUPS = {
    "zhangzy": ("KOL首篇内容发布，社群转发3次", "第二篇KOL稿件", "KOL档期调整，顺延1天", "需要设计今天出2张社群海报"),
    "chensj": ("3张预热海报终稿", "", "", ""),
    "lich": ("线上广告投放优化，调整人群包", "", "", "需要财务确认追加投放预算"),
}

# seed 003 §关键节点把控, the online launch's run-of-show from 19:30: (minutes after the start, minutes, segment,
# owner, notes): the opening brings in the theme within 5 minutes, the demo and the guest take 20–30 minutes each,
# a lucky draw every 15 minutes keeps viewers there, and the close leaves 5 minutes for questions
LAUNCH = "焕新上市·美力绽放 新品线上发布会"
RUN_OF_SHOW = [
    (0, 5, "开场：主持人引入主题", "wangjl", "准时开始，5分钟内引入主题"),
    (5, 25, "新品演示", "lich", "演示3款新品，弹幕同步答疑"),
    (30, 5, "互动抽奖①", "zhangzy", "抽10名送新品小样"),
    (35, 25, "嘉宾分享：KOL试用体验", "zhangzy", "备选嘉宾已确认，缺席则改为产品经理分享"),
    (60, 5, "互动抽奖②", "zhangzy", ""),
    (65, 15, "限时秒杀", "lich", "秒杀链接由技术组在 20:35 上架"),
    (80, 5, "总结亮点，引导下单", "wangjl", ""),
    (85, 5, "问答", "wangjl", "客服组汇总弹幕问题"),
]


def _run_of_show(campaign, owner) -> None:
    if RunOfShowItem.objects.filter(campaign=campaign).exists():
        return
    start = timezone.make_aware(dt.datetime.combine(campaign.start_date, dt.time(19, 30)))
    for after, minutes, segment, who, notes in RUN_OF_SHOW:
        at = (start + dt.timedelta(minutes=after)).isoformat()
        data = {"starts_at": at, "minutes": minutes, "segment": segment, "owner": who, "notes": notes}
        segment_create(actor=owner, campaign=campaign, data=data)


def _day(campaign, offset: int) -> dt.date:
    return min(campaign.start_date + dt.timedelta(days=offset), timezone.localdate())


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _risks(campaign, owner) -> None:
    if Risk.objects.filter(campaign=campaign).exists():
        return
    closed = campaign.status != "executing"
    for title, category, likelihood, impact, who, mitigation, contingency in RISKS:
        data = {"title": title, "category": category, "likelihood": likelihood, "impact": impact, "owner": who}
        data |= {"mitigation": mitigation, "contingency_plan": contingency, "status": "closed" if closed else "open"}
        risk_create(actor=owner, campaign=campaign, data=data)


def _issues(campaign, owner) -> None:
    for code, description, offset, who, severity, status, solution in ISSUES:
        if Issue.objects.filter(campaign=campaign, code=code).exists():
            continue
        if campaign.status != "executing":
            status = IssueStatus.RESOLVED
        data = {"description": description, "owner": who, "severity": severity, "status": status}
        data |= {"solution": solution, "found_at": _at(_day(campaign, offset)).isoformat()}
        issue_create(actor=owner, campaign=campaign, data=data)


def _log(campaign, owner) -> None:
    if ExecutionLogEntry.objects.filter(campaign=campaign).exists():
        return
    for offset, event, handling, result in LOG:
        data = {"at": _at(_day(campaign, offset), 18).isoformat(), "event": event, "handling": handling}
        log_create(actor=owner, campaign=campaign, data=data | {"result": result})


def _standups(campaign, users) -> None:
    today = timezone.localdate()
    last = min(today - dt.timedelta(days=1), campaign.end_date)
    for back in range(3):
        day = last - dt.timedelta(days=back)
        if day < campaign.start_date:
            break
        for username, (done, not_done, reason, support) in STANDUPS.items():
            user = users[username]
            if Standup.objects.filter(campaign=campaign, user=user, date=day).exists():
                continue
            data = {"date": day.isoformat(), "done": done, "not_done": not_done, "not_done_reason": reason}
            standup_save(actor=user, campaign=campaign, data=data | {"need_support": support})


def _weekly_report(campaign, owner) -> None:
    """Last week's report, published (the current week's draft is left to the team)."""
    week = timezone.localdate() - dt.timedelta(days=7)
    week -= dt.timedelta(days=week.weekday())
    if week < campaign.start_date - dt.timedelta(days=6) or WeeklyReport.objects.filter(campaign=campaign).exists():
        return
    report = weekly_report_generate(actor=owner, campaign=campaign, week_start=week)
    weekly_report_publish(actor=owner, report=report, version=report.version)


def after_demo(*, campaigns, users, specs) -> None:
    """Runs once the campaigns have reached their stage: the records of a running campaign."""
    owner = users["wangjl"]
    if LAUNCH in campaigns:  # prepared before the day, whatever its stage
        _run_of_show(campaigns[LAUNCH], owner)
    for campaign in campaigns.values():
        if campaign.status not in RUNNING or campaign.start_date > timezone.localdate():
            continue
        _risks(campaign, owner)
        _issues(campaign, owner)
        _log(campaign, owner)
        if campaign.status == "executing":
            _standups(campaign, users)
            _weekly_report(campaign, owner)
