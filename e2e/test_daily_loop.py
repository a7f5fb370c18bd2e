"""The daily loop in the browser: names with markup stay text in both Gantts, a running campaign's Gantt
opens on today, the metric grid opens on today and on the user's own channels."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_user
from e2e.conftest import login, new_campaign, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK_NAME = '<b id="injected">粗</b><img src=x onerror=window.__pwned=1>'
CAMPAIGN_NAME = 'A & B <i id="injected-campaign">斜</i><img src=y onerror=window.__pwned=2>'


def _running_campaign(owner, name: str, tasks: int = 6):
    """A campaign in execution, 40 days in, 30 to go; `tasks` tasks spread over its whole span."""
    from campaignflow.campaigns.models import Campaign
    from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks
    from campaignflow.planning import services

    sync_builtin_playbooks()
    today = dt.date.today()
    start, end = today - dt.timedelta(days=40), today + dt.timedelta(days=30)
    campaign = new_campaign(owner, name, start, end, "500000")
    Campaign.objects.filter(pk=campaign.pk).update(status="executing")
    span = (end - start).days
    for i in range(tasks):
        first = start + dt.timedelta(days=span * i // tasks)
        services.task_create(
            actor=owner,
            campaign=campaign,
            data={
                "name": f"任务{i + 1}",
                "phase": "执行期",
                "owner": owner,
                "start_date": first,
                "end_date": first + dt.timedelta(days=3),
            },
        )
    return campaign


# the text of grid headers and date cells cut short, of scale labels wider than their cell
CLIPPED = """() => {
    const cut = (el) => el.scrollWidth > el.clientWidth + 1;
    const grid = [...document.querySelectorAll(
        '.gantt_grid_head_cell, .gantt_grid_data .gantt_cell[data-column-name$=_date]')]
        .filter((c) => c.offsetWidth && (cut(c) || [...c.querySelectorAll('*')].some(cut)));
    const scale = [...document.querySelectorAll('.gantt_scale_cell')].filter((c) => {
        const range = document.createRange();
        range.selectNodeContents(c);
        return c.offsetWidth && range.getBoundingClientRect().width > c.clientWidth;
    });
    return [...grid, ...scale].map((c) => c.textContent);
}"""


def _chart_loaded(page) -> None:
    # (not wait_for_function: its polling evaluates a string, which the site's CSP refuses)
    page.locator("#gantt-app[data-loaded]").wait_for(state="attached")


def test_markup_in_task_and_campaign_names_stays_text(page, transactional_db):
    from campaignflow.planning import services

    owner = make_user("wangjl", display_name='王<b id="injected-owner">经理</b>')
    campaign = _running_campaign(owner, CAMPAIGN_NAME, tasks=2)
    services.task_create(
        actor=owner,
        campaign=campaign,
        data={
            "name": TASK_NAME,
            "phase": '<u id="injected-phase">预热期</u>',
            "owner": owner,
            "start_date": dt.date.today(),
            "end_date": dt.date.today() + dt.timedelta(days=2),
        },
    )
    services.task_create(
        actor=owner,
        campaign=campaign,
        data={"name": TASK_NAME + " 上线", "end_date": dt.date.today() + dt.timedelta(days=4), "milestone": True},
    )
    login(page, "wangjl", PASSWORD)

    page.goto(f"{page.base}/campaigns/{campaign.id}/gantt/")
    _chart_loaded(page)
    chart = page.locator("[data-testid=gantt]")
    expect(chart.locator(".gantt_grid_data")).to_contain_text(TASK_NAME)  # the grid's name column
    expect(chart.locator(".gantt_task_line .gantt_task_content").filter(has_text=TASK_NAME)).to_have_count(1)
    expect(chart.locator(".gantt_side_content").filter(has_text=TASK_NAME + " 上线")).to_have_count(1)  # milestone
    expect(chart).to_contain_text('王<b id="injected-owner">经理</b>')
    expect(chart).to_contain_text('<u id="injected-phase">预热期</u>')
    # the link tooltip and the "delete this dependency?" text are built from names too
    descriptions = page.evaluate(
        """() => { const ids = []; gantt.eachTask((t) => { if (t.type !== 'project') ids.push(t.id); });
                   return [gantt.templates.link_description({source: ids[0], target: ids[1]}),
                           gantt.templates.drag_link(ids[2], true, ids[3], false)]; }"""
    )
    for html in descriptions:
        assert "<b id=" not in html and "<img" not in html
    shot(page, "daily-01-gantt-markup")
    _assert_no_markup(page)

    page.goto(f"{page.base}/portfolio/")
    portfolio = page.locator("[data-testid=portfolio]")
    expect(portfolio.locator(".gantt_grid_data")).to_contain_text(CAMPAIGN_NAME)
    expect(portfolio.locator(".gantt_task_content").filter(has_text=CAMPAIGN_NAME)).to_have_count(1)
    shot(page, "daily-02-portfolio-markup")
    _assert_no_markup(page)
    assert page.console_errors == []


def _assert_no_markup(page) -> None:
    page.wait_for_timeout(300)  # an injected <img> fails to load and runs its onerror within a moment
    for sel in ("#injected", "#injected-campaign", "#injected-owner", "#injected-phase", "img[src=x]", "img[src=y]"):
        assert page.locator(sel).count() == 0, sel
    assert page.evaluate("window.__pwned") is None


@pytest.mark.parametrize("tasks", [6, 320], ids=["small", "drawn-in-two-steps"])
def test_gantt_of_a_running_campaign_opens_on_today(page, transactional_db, tasks):
    owner = make_user("wangjl", display_name="王经理")
    campaign = _running_campaign(owner, "冬季新品焕新季促销", tasks=tasks)
    login(page, "wangjl", PASSWORD)
    for width, height, name, language in (
        (1366, 768, "desktop", "zh-hans"),
        (390, 844, "phone", "zh-hans"),
        (1366, 768, "en", "en"),
    ):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base}])
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{page.base}/campaigns/{campaign.id}/gantt/")
        _chart_loaded(page)
        _assert_today_in_view(page, name)
        # The chart draws itself again when its box changes (a rotated phone, a resized window, a full-page
        # screenshot): today stays in view (dhtmlx's own first scroll, left pending by the staged load, once took
        # the timeline back to the first task here).
        page.set_viewport_size({"width": width, "height": height - 120})
        page.wait_for_timeout(150)  # the chart's resize watcher redraws 20 ms after the change
        _assert_today_in_view(page, f"{name}, resized")
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"daily-03-gantt-today-{name}-{tasks}")
        _assert_today_in_view(page, f"{name}, after a full-page screenshot")
        first_start = page.locator(".gantt_grid_data .gantt_cell[data-column-name=start_date]").nth(1).inner_text()
        assert re.fullmatch(r"\d{1,2}月\d{1,2}日" if language == "zh-hans" else r"[A-Z][a-z]{2} \d{1,2}", first_start)
        # Readable: no grid header or date cell cuts its text short, each scale label fits its cell.
        clipped = page.evaluate(CLIPPED)
        assert clipped == [], f"{name}: clipped {clipped[:5]}"
        if name != "phone":
            page.click("[data-testid=zoom-week]")
            assert page.evaluate(CLIPPED) == [], f"{name}, by week"
    assert page.console_errors == []


def test_scale_labels_fit_where_a_month_is_cut_short(page, transactional_db):
    """The month (or year) at each end of the timeline shows only a few days: its label takes the short form
    ("1月", "Jan") there instead of being cut, at every zoom, in both languages, and on the portfolio; where the
    chart stretches its columns to fill a wide screen, the same few days have room for the long form."""
    owner = make_user("wangjl", display_name="王经理")
    # the timeline starts two days before the campaign: 28 January, in the week of Monday 25 January
    campaign = new_campaign(owner, "春节档", dt.date(2027, 1, 30), dt.date(2027, 3, 1), "300000")
    login(page, "wangjl", PASSWORD)
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base}])
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 768})
            page.goto(f"{page.base}/campaigns/{campaign.id}/gantt/")
            _chart_loaded(page)
            for zoom in ("day", "week", "month"):
                page.click(f"[data-testid=zoom-{zoom}]")
                assert page.evaluate(CLIPPED) == [], (language, width, zoom)
                labels = page.locator(".gantt_task_scale .gantt_scale_line").first.locator(".gantt_scale_cell")
                first = labels.first.inner_text()
                if zoom == "week" and width == 390:  # 28–31 January at the least week width: 34 px
                    assert first.upper() == ("1月" if language == "zh-hans" else "JAN"), first
                else:  # (on the wide screen the weeks are stretched: the same four days are ~80 px)
                    assert "2027" in first, (width, zoom, first)
                if zoom == "week" and language == "zh-hans":
                    shot(page, f"daily-05-gantt-scale-labels-{width}")
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{page.base}/portfolio/")
        expect(page.locator("[data-testid=portfolio] .gantt_scale_cell").first).to_be_visible()
        assert page.evaluate(CLIPPED) == [], (language, "portfolio")
    assert page.console_errors == []


def _assert_today_in_view(page, name: str) -> None:
    timeline = page.locator("[data-testid=gantt] .gantt_task").bounding_box()
    today = page.locator(".cf-today-line").bounding_box()
    assert timeline["width"] >= 150, f"{name}: the timeline is {timeline['width']} px wide"
    assert timeline["x"] <= today["x"] <= timeline["x"] + timeline["width"] - 20, (name, timeline, today)


def test_grid_opens_on_today_and_on_my_channels(page, transactional_db):
    from campaignflow.goals.models import Channel

    owner = make_user("wangjl", display_name="王经理")
    me = make_user("lixy", display_name="李小雨")
    campaign = _running_campaign(owner, "冬季新品焕新季促销", tasks=1)
    from campaignflow.campaigns.models import Membership

    Membership.objects.create(campaign=campaign, user=me, role="member")
    for name, who in (("抖音", owner), ("小红书", me), ("微信", None), ("微博", me)):
        Channel.objects.create(campaign=campaign, name=name, owner=who)
    today = dt.date.today()

    login(page, "lixy", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{page.base}/campaigns/{campaign.id}/data/grid/")
    # my first channel is open, and the channel switcher offers only mine
    expect(page.locator("[data-testid=grid-channel]")).to_have_text("小红书")
    picker = page.locator("[data-testid=grid-channels]")
    expect(picker.locator("[data-channel]")).to_have_text(["小红书", "微博"])
    # today's row is there and in view, its first cell focused for typing
    row = page.locator("[data-testid=grid-today]")
    expect(row).to_contain_text(today.isoformat())
    expect(row).to_be_in_viewport()
    assert page.evaluate("document.activeElement.closest('tr')?.dataset.testid") == "grid-today"
    shot(page, "daily-04-grid-today")

    page.click("[data-testid=grid-all-channels]")
    expect(picker.locator("[data-channel]")).to_have_text(["抖音", "小红书", "微信", "微博"])
    expect(page.locator("[data-testid=grid-channel]")).to_have_text("小红书")
    page.click("[data-testid=grid-channels] >> text=微信")
    expect(page.locator("[data-testid=grid-channel]")).to_have_text("微信")
    expect(page.locator("[data-testid=grid-today]")).to_be_in_viewport()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("[data-testid=grid-today]")).to_be_in_viewport()
    shot(page, "daily-05-grid-phone")

    assert page.console_errors == []

    # someone responsible for no channel sees them all, and the first is open
    viewer = make_user("zhaol", display_name="赵磊")
    Membership.objects.create(campaign=campaign, user=viewer, role="viewer")
    page.context.clear_cookies()
    login(page, "zhaol", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/data/grid/")
    expect(page.locator("[data-testid=grid-channel]")).to_have_text("抖音")
    expect(picker.locator("[data-channel]")).to_have_text(["抖音", "小红书", "微信", "微博"])
    expect(page.locator("[data-testid=grid-all-channels]")).to_have_count(0)
