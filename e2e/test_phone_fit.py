"""Every page of the product fits a phone (#23): at 360×740 with touch, as the campaign's owner, a member, a viewer
and a partner (the administrator for their own pages, a visitor for the open ones), no page scrolls sideways itself, every control is at least
40×40 px, no text is under 14 px and no action shows only on hover (e2e/phone_fit.js measures).

The pages are read from Django's URL resolver, each path parameter filled with a real id of the demo, so a new
page is checked as soon as it has a route: a route is either visited or skipped below with its reason."""

import inspect
import io
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from e2e.conftest import SCREENSHOTS, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "CampaignFlow2025"
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}
SHOTS = [w for w in os.environ.get("PHONE_FIT_SHOTS", "").split(",") if w]
SHOTS_TAG = os.environ.get("PHONE_FIT_TAG", "now")
CHECK = (Path(__file__).parent / "phone_fit.js").read_text(encoding="utf-8")
MAIN = "冬季新品焕新季促销"  # the running campaign: the most of every kind of row
PARTNERS = "科技+健康跨界联名活动"  # the campaign the demo's partner works on

# Whole URL trees that are no pages of ours.
SKIPPED_TREES = {
    "api/v1/": "the REST API (JSON)",
    "admin/": "Django's admin, a desktop tool for administrators",
}
# Routes not visited, each with its reason. Routes that take POST only (`@page(..., post=True)` or
# `require_POST`) are found from their decorator and skipped as "POST-only action"; every other route is visited.
SKIPPED = {
    ":healthz": "health check (plain text for the load balancer)",
    ":set_language": "Django's language switch (POST, redirects)",
    ":javascript-catalog": "Django's translation catalogue (JavaScript)",
    ":logout": "logs out (POST; GET only redirects)",
    "signin:oidc-start": "redirect to the company's OIDC provider (not configured in the demo)",
    "signin:oidc-callback": "redirect target of the OIDC provider (no page)",
    "signin:in-app": "sign-in inside a chat app (redirects an ordinary browser to the login page)",
    "signin:chat-callback": "redirect target of a chat platform's sign-in (no page)",
    "signin:chat-start": "redirect to a chat platform's sign-in (not configured in the demo)",
    "campaigns:preview": "htmx partial: the plan's preview on the new-campaign page (checked inside that page)",
    "planning:gantt-data": "JSON of the Gantt chart",
    "tracking:job-progress": "htmx partial: an import job's progress bar",
    "budgets:receipt": "file download (an expense's receipt)",
    "budgets:settlement-xlsx": "file download (Excel)",
    "budgets:settlement-pdf": "file download (PDF)",
    "materials:preview": "htmx partial: a material file's preview (checked inside the material's page)",
    "events:ticket-ics": "file download (calendar entry)",
    "events:poster-qr": "image (the poster's QR code, SVG)",
    "chatcards:wecom-callback": "WeCom's server callback (no page)",
    "pwa:manifest": "the installable app's manifest (JSON)",
    "pwa:service-worker": "the service worker (JavaScript)",
}
# Who reads the pages: the campaign's owner, a member (edits), a viewer (management), the partner's contact.
READERS = {"owner": "wangjl", "member": "zhangzy", "viewer": "zhougl", "partner": "partner"}
# The administrator's own pages, seen by the demo's administrator (with the campaign list, as they see it).
ADMIN_PAGES = ("assistant:settings", "campaigns:list")
# Open pages, seen by someone who is not signed in.
PUBLIC = (":login", "events:public", "events:ticket", "pwa:offline")
# Pages that finish drawing after `load`: what to wait for.
READY = {"planning:gantt": "#gantt-app[data-loaded]"}
SETTLING = {"campaigns:create"}  # the plan's preview comes by htmx on load


def _methods(view) -> list[str] | None:
    """The methods a view takes when it is wrapped by require_http_methods (require_POST), else None."""
    while view is not None:
        taken = inspect.getclosurevars(view).nonlocals.get("request_method_list")
        if taken is not None:
            return list(taken)
        view = getattr(view, "__wrapped__", None)
    return None


def _routes(resolver=None, prefix="", namespace=""):
    """(route, 'namespace:name', pattern) of every URL pattern outside the skipped trees."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in SKIPPED_TREES:
                continue
            yield from _routes(pattern, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}", pattern


def _plan():
    """The routes to visit (name → its parameters) and the skipped ones (name → reason)."""
    visit, skipped = {}, {}
    for _route, name, pattern in _routes():
        if name in SKIPPED:
            skipped[name] = SKIPPED[name]
        elif _methods(pattern.callback) == ["POST"]:
            skipped[name] = "POST-only action"
        else:
            visit[name] = list(pattern.pattern.converters)
    unknown = set(SKIPPED) - set(skipped)
    assert not unknown, f"skipped routes that no longer exist: {unknown}"
    return visit, skipped


def _ids(campaign, reader=None):
    """A real id of the demo for each path parameter of the visited pages, from `campaign` when it has one."""
    from campaignflow.budgets.models import BudgetLine, CampaignPartner, Expense
    from campaignflow.chatcards import services as card_services
    from campaignflow.chatcards.actions import ACTIONS
    from campaignflow.events.models import Event, Registration
    from campaignflow.execution.models import ExecutionLogEntry, Issue, Risk, RunOfShowItem, WeeklyReport
    from campaignflow.goals.models import Channel, Kpi
    from campaignflow.materials.models import Material

    def one(model, **where):
        here = model.objects.filter(campaign=campaign, **where).order_by("pk").first()
        return here or model.objects.filter(**where).order_by("pk").first()

    event = Event.objects.filter(registrations__isnull=False).order_by("pk").first()
    ids = {
        "pk": campaign.pk,
        "kpi_id": one(Kpi),
        "channel_id": one(Channel),
        "cp_id": one(CampaignPartner),
        "risk_id": one(Risk),
        "issue_id": one(Issue),
        "entry_id": one(ExecutionLogEntry),
        "item_id": one(RunOfShowItem),
        "line_id": one(BudgetLine),
        "expense_id": one(Expense),
        "report_id": one(WeeklyReport),
        "material_id": one(Material, files__isnull=False) or one(Material),
        "event_id": event,
        "slug": event.slug,
        "code": Registration.objects.filter(event=event).order_by("pk").first().ticket_code,
        "key": "phone-fit-copy",  # the owner's own copy (a built-in playbook cannot be edited)
    }
    expense = ids["expense_id"]
    ids["token"] = card_services.issue(
        card=card_services.new_card_id(),
        action=ACTIONS["expense.approve"],
        target=expense,
        recipient=reader,
        platform="robot",
        title="超支待审批",
    )
    return ids


def _url(name: str, params: list[str], ids: dict) -> str:
    kwargs = {}
    for param in params:
        value = ids[param]
        if hasattr(value, "pk"):
            if "pk" in params and hasattr(value, "campaign_id"):
                kwargs["pk"] = value.campaign_id  # a row's page lives under its own campaign
            value = value.pk
        kwargs.setdefault(param, value)
    return reverse(name.lstrip(":"), kwargs=kwargs)


@pytest.fixture
def demo(transactional_db, settings):
    """The demo, with a playbook of the owner's own and the assistant switched on (its pages show a form; nothing
    here asks its endpoint)."""
    call_command("load_demo", stdout=io.StringIO())
    from campaignflow.accounts.models import User
    from campaignflow.campaigns.models import Campaign, Playbook
    from campaignflow.campaigns.services import playbook_copy

    owner = User.objects.get(username=READERS["owner"])
    playbook_copy(
        actor=owner, source=Playbook.objects.get(key="enterprise-campaign"), name="手机检查用", key="phone-fit-copy"
    )
    settings.AI_BASE_URL, settings.AI_API_KEY, settings.AI_MODEL = "http://127.0.0.1:9/v1", "sk-phone-fit", "none"
    return {name: Campaign.objects.get(name=name) for name in (MAIN, PARTNERS)}


def _check(page, url: str, name: str):
    """Open `url`; (status, problems, is a full page)."""
    response = page.goto(url, wait_until="load")
    if name in READY and response.status == 200:
        page.locator(READY[name]).wait_for(state="attached", timeout=30_000)
    if name in SETTLING:
        page.wait_for_load_state("networkidle")
    full = page.locator("body > main.page, body main").count() > 0
    return response.status, page.evaluate(CHECK), full


def test_every_page_fits_a_phone(browser, live_server, demo, settings):
    from campaignflow.accounts.models import User

    settings.AXES_ENABLED = False
    started = time.monotonic()
    visit, skipped = _plan()
    problems, statuses, routes_seen, partials, visits = [], Counter(), set(), [], []

    def look(page, who: str, name: str, url: str):
        status, found, full = _check(page, live_server.url + url, name)
        routes_seen.add(name)
        statuses[status] += 1
        visits.append(f"{who} {status} {name} {url} {len(found)}")
        if not full and status < 400:
            partials.append(f"{name} ({url}) is not a full page: skip it with its reason")
        for problem in found:
            problems.append(f"{who} {url} [{status}] {problem['kind']}: {problem['what']} — {problem['detail']}")

    # a visitor: the open pages (the signed-in pages send them to the login page, checked once here)
    ids = _ids(demo[MAIN])
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    for name in PUBLIC:
        look(page, "visitor", name, _url(name, visit[name], ids))
    context.close()

    # the owner once more in English, whose words are longer than the Chinese ones
    for who, username in [*READERS.items(), ("owner-en", READERS["owner"]), ("admin", "admin")]:
        campaign = demo[PARTNERS] if who == "partner" else demo[MAIN]
        ids = _ids(campaign, User.objects.get(username=username))
        context = browser.new_context(**PHONE)
        if who == "owner-en":
            context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + "/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        for name, params in visit.items():
            if who == "admin" and name not in ADMIN_PAGES:
                continue
            if name in ("events:public", "events:ticket", ":login") and who != "owner":
                continue  # the open pages: seen by the visitor, and once signed in by the owner
            look(page, who, name, _url(name, params, ids))
            if SHOTS and who in SHOTS:  # PHONE_FIT_SHOTS=owner,partner: a screenshot of each page (to look at)
                shot(page, f"fit-{SHOTS_TAG}-{who}-{name.replace(':', '-').strip('-')}")
        context.close()

    elapsed = time.monotonic() - started
    report = "\n".join(problems)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "phone-fit-report.txt").write_text(report + "\n\n" + "\n".join(visits) + "\n", encoding="utf-8")
    print(f"\n{len(routes_seen)} routes, {sum(statuses.values())} pages {dict(statuses)}, {elapsed:.0f} s")
    print(f"skipped {len(skipped)}: " + "; ".join(f"{k} ({v})" for k, v in sorted(skipped.items())))
    assert not partials, partials
    assert not set(visit) - routes_seen, f"routes never visited: {set(visit) - routes_seen}"
    assert len(routes_seen) >= 60, f"only {len(routes_seen)} routes visited"
    assert statuses[200] >= 40, f"only {statuses[200]} pages rendered: {dict(statuses)}"
    assert not problems, f"{len(problems)} problems on phones:\n{report}"


def test_the_measure_finds_each_kind_of_problem(browser):
    """phone_fit.js on a page made of the problems it looks for: it finds each one, and passes what is allowed (a link
    in a sentence, a checkbox inside its label, a wide table in its own scrolling box)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_content(
        """<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><style>
        body { margin: 0; font-size: 16px; } .wide { width: 500px; } .tiny { font-size: 11px; }
        .row .act { opacity: 0; } .row:hover .act { opacity: 1; } .scroll { overflow-x: auto; }
        label { display: block; min-height: 44px; } .big { display: inline-block; min-width: 44px; min-height: 44px; }
        </style></head><body>
        <div class="wide" id="wide">too wide</div>
        <a href="#x" id="small-link">x</a>
        <p class="tiny" id="tiny">small print</p>
        <div class="row"><button class="act" id="hover-only">delete</button></div>
        <p>Read <a href="#t" id="inline">the terms</a> before you sign the form below, please.</p>
        <label><input type="checkbox"> a checkbox in its label</label>
        <div class="scroll"><table><tr><td style="width: 900px">a wide table in its box</td></tr></table></div>
        <a class="big" href="#b">ok</a>
        </body></html>"""
    )
    found = page.evaluate(CHECK)
    context.close()
    kinds = {(p["kind"], p["what"].split(" ")[0]) for p in found}
    assert ("overflow", "html") in kinds and ("overflow", "div#wide.wide") in kinds, found
    assert ("tap", "a#small-link") in kinds, found
    assert ("text", "p#tiny.tiny") in kinds, found
    assert ("hover", "button#hover-only.act") in kinds, found
    assert not [p for p in found if "inline" in p["what"] or "checkbox" in p["what"] or p["what"].startswith("td")], (
        found
    )
    assert not [p for p in found if p["what"].startswith(("a.big", "label"))], found
