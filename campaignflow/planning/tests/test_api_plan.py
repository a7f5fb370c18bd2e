"""Plan API: dependencies (cycles refused), schedule, slips, RACI, periods, baselines, files."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from campaignflow.core.models import AuditEntry
from campaignflow.planning.models import RaciAssignment, Task, TaskDependency
from conftest import satisfy_gates

from .factories import linked_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_for, users):
    return lambda who="owner": api_for(users[who])


def make(client, cid, **data):
    r = client.post(f"/campaigns/{cid}/tasks", {"name": data.pop("name", "任务"), **data})
    assert r.status_code == 201, r.content
    return r.json()


@pytest.fixture
def plan(api, campaign):
    """Three fresh tasks: A (6/1-6/3) → B (6/4-6/6) → M milestone 6/8."""
    Task.objects.filter(campaign=campaign).delete()
    c = api()
    a = make(c, campaign.id, name="预热海报设计", start_date="2030-06-01", end_date="2030-06-03")
    b = make(
        c,
        campaign.id,
        name="KOL内容对接",
        start_date="2030-06-04",
        end_date="2030-06-06",
        depends_on=[{"task": a["id"], "type": "FS", "lag_days": 0}],
    )
    m = make(
        c,
        campaign.id,
        name="上线",
        end_date="2030-06-08",
        milestone=True,
        depends_on=[{"task": "T002", "type": "FS", "lag_days": 1}],
    )
    return a, b, m


def test_create_and_read_dependencies(api, campaign, plan):
    a, b, m = plan
    assert b["depends_on"] == [{"task": a["id"], "type": "FS", "lag_days": 0, "workdays": False}]
    assert m["depends_on"][0]["task"] == b["id"]
    listed = {t["code"]: t for t in api("viewer").get(f"/campaigns/{campaign.id}/tasks").json()}
    assert listed["T003"]["depends_on"] == [{"task": b["id"], "type": "FS", "lag_days": 1, "workdays": False}]
    assert [t["code"] for t in listed.values()] == ["T001", "T002", "T003"]


def test_patch_replaces_the_list_and_bumps_version_with_one_audit_entry(api, plan):
    a, b, _m = plan
    c = api()
    before = AuditEntry.objects.count()
    r = c.patch(
        f"/tasks/{b['id']}", {"version": b["version"], "depends_on": [{"task": a["id"], "type": "SS", "lag_days": 2}]}
    )
    assert r.status_code == 200, r.content
    assert r.json()["depends_on"] == [{"task": a["id"], "type": "SS", "lag_days": 2, "workdays": False}]
    assert r.json()["version"] == b["version"] + 1
    assert AuditEntry.objects.count() == before + 1, list(AuditEntry.objects.values_list("action", "object_type")[:3])
    entry = AuditEntry.objects.first()
    assert entry.before["depends_on"][0]["type"] == "FS" and entry.after["depends_on"][0]["type"] == "SS"
    # Replace with an empty list removes them.
    r = c.patch(f"/tasks/{b['id']}", {"version": r.json()["version"], "depends_on": []})
    assert r.json()["depends_on"] == []


def test_cycle_is_refused_naming_the_tasks_and_nothing_changes(api, plan):
    a, _b, m = plan
    r = api().patch(f"/tasks/{a['id']}", {"version": a["version"], "depends_on": [{"task": m["id"]}], "name": "改名"})
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert "T001" in detail and "T002" in detail and "T003" in detail
    task = Task.objects.get(pk=a["id"])
    assert (task.name, task.version) == ("预热海报设计", a["version"])
    assert TaskDependency.objects.count() == 2


def test_self_cross_campaign_unknown_and_bad_type_are_422(api, api_for, users, campaign, plan):
    a, b, _m = plan
    c = api()
    r = c.patch(f"/tasks/{a['id']}", {"version": a["version"], "depends_on": [{"task": a["id"]}]})
    assert r.status_code == 422 and "depends_on[0].task" in r.json()["detail"] and "T001" in r.json()["detail"]
    other = c.post("/campaigns", {"name": "另一个活动", "start_date": "2025-07-01", "end_date": "2025-07-10"}).json()
    foreign = make(c, other["id"], name="外部任务")
    r = c.patch(
        f"/tasks/{a['id']}",
        {"version": a["version"], "depends_on": [{"task": foreign["id"]}]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 422 and "not in this campaign" in r.json()["detail"]
    r = c.patch(f"/tasks/{a['id']}", {"version": a["version"], "depends_on": [{"task": b["id"], "type": "XX"}]})
    assert r.status_code == 422 and "depends_on[0].type" in r.json()["detail"]
    r = c.patch(
        f"/tasks/{b['id']}",
        {"version": b["version"], "depends_on": [{"task": a["id"]}, {"task": "T001"}]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 422 and "twice" in r.json()["detail"]
    r = c.patch(f"/tasks/{a['id']}", {"version": a["version"], "depends_on": [{"task": 2**70}]})
    assert r.status_code == 422
    assert Task.objects.get(pk=a["id"]).version == a["version"]


def test_stale_version_is_409(api, plan):
    a, _b, _m = plan
    c = api()
    assert c.patch(f"/tasks/{a['id']}", {"version": a["version"], "name": "新名"}).status_code == 200
    r = c.patch(f"/tasks/{a['id']}", {"version": a["version"], "end_date": "2030-06-09"})
    assert r.status_code == 409
    assert Task.objects.get(pk=a["id"]).end_date == dt.date(2030, 6, 3)


def test_schedule_endpoint(api, campaign, plan):
    a, b, m = plan
    Task.objects.filter(campaign=campaign).exclude(pk__in=[a["id"], b["id"], m["id"]]).delete()
    r = api("viewer").get(f"/campaigns/{campaign.id}/schedule")
    assert r.status_code == 200
    body = r.json()
    rows = {t["id"]: t for t in body["tasks"]}
    # Planned dates are "not earlier than" constraints: the milestone (6/8) ends the plan, and
    # A → B → (+1 day) reaches 6/7, so A and B may each slip one day without moving it.
    assert body["critical_path"] == [m["id"]]
    assert rows[a["id"]]["early_start"] == "2030-06-01" and rows[a["id"]]["early_finish"] == "2030-06-03"
    assert rows[a["id"]]["late_finish"] == "2030-06-04" and rows[a["id"]]["slack_days"] == 1
    assert rows[b["id"]]["early_start"] == "2030-06-04" and rows[b["id"]]["slack_days"] == 1
    assert rows[m["id"]]["early_finish"] == "2030-06-08" and rows[m["id"]]["slack_days"] == 0
    # One more day of lag on the milestone's link: now the chain is critical end to end.
    mt = Task.objects.get(pk=m["id"])
    api().patch(
        f"/tasks/{m['id']}",
        {"version": mt.version, "depends_on": [{"task": b["id"], "lag_days": 1}], "end_date": "2030-06-07"},
    )
    body = api("viewer").get(f"/campaigns/{campaign.id}/schedule").json()
    assert body["critical_path"] == [a["id"], b["id"], m["id"]]
    assert rows[m["id"]]["at_risk"] is False


def test_slip_flags_dependants_and_milestone_at_risk(api, campaign, plan):
    a, b, m = plan
    r = api().patch(f"/tasks/{a['id']}", {"version": a["version"], "end_date": "2030-06-06"})
    assert r.status_code == 200
    # auto-schedule is off: B keeps its dates but is flagged; the milestone is at risk.
    assert Task.objects.get(pk=b["id"]).start_date == dt.date(2030, 6, 4)
    tasks = {t["code"]: t for t in api().get(f"/campaigns/{campaign.id}/tasks").json()}
    assert tasks["T002"]["slip_days"] == 3
    assert tasks["T003"]["at_risk"] is True and tasks["T003"]["slip_days"] == 2
    schedule = api().get(f"/campaigns/{campaign.id}/schedule").json()
    assert schedule["at_risk_milestones"] == [m["id"]]
    page = api().client
    page.force_login(campaign.owner)
    html = page.get(f"/campaigns/{campaign.id}/plan/").content.decode()
    assert 'data-testid="milestones-at-risk"' in html and 'data-testid="at-risk-T003"' in html


def test_auto_schedule_moves_dependants(api, campaign, plan):
    a, b, m = plan
    c = api()
    settings = c.get(f"/campaigns/{campaign.id}/plan-settings").json()
    assert (
        c.patch(
            f"/campaigns/{campaign.id}/plan-settings", {"version": settings["version"] + 5, "auto_schedule": True}
        ).status_code
        == 409
    )
    assert c.patch(
        f"/campaigns/{campaign.id}/plan-settings", {"version": settings["version"], "auto_schedule": True}
    ).json()["auto_schedule"]
    assert (
        api("member")
        .patch(f"/campaigns/{campaign.id}/plan-settings", {"version": 2, "auto_schedule": False})
        .status_code
        == 403
    )
    r = c.patch(f"/tasks/{a['id']}", {"version": a["version"], "end_date": "2030-06-06"})
    assert r.status_code == 200
    moved_b = Task.objects.get(pk=b["id"])
    assert (moved_b.start_date, moved_b.end_date) == (dt.date(2030, 6, 7), dt.date(2030, 6, 9))
    assert Task.objects.get(pk=m["id"]).end_date == dt.date(2030, 6, 10)
    assert AuditEntry.objects.filter(action="reschedule").count() == 2
    # Earlier end: nothing moves back.
    a2 = Task.objects.get(pk=a["id"])
    c.patch(f"/tasks/{a['id']}", {"version": a2.version, "end_date": "2030-06-02"})
    assert Task.objects.get(pk=b["id"]).start_date == dt.date(2030, 6, 7)


def test_dependency_endpoints(api, campaign, plan):
    a, b, m = plan
    c = api()
    bv = Task.objects.get(pk=b["id"]).version
    r = c.post(f"/campaigns/{campaign.id}/dependencies", {"predecessor": a["id"], "successor": m["id"], "type": "FF"})
    assert r.status_code == 201, r.content
    link = r.json()
    assert link["successor_version"] == Task.objects.get(pk=m["id"]).version
    assert (
        c.post(f"/campaigns/{campaign.id}/dependencies", {"predecessor": m["id"], "successor": a["id"]}).status_code
        == 409
    )
    assert (
        c.post(
            f"/campaigns/{campaign.id}/dependencies", {"predecessor": a["id"], "successor": b["id"], "version": bv - 1}
        ).status_code
        == 409
    )
    assert api("viewer").delete(f"/dependencies/{link['id']}").status_code == 403
    assert api("outsider").delete(f"/dependencies/{link['id']}").status_code == 404
    assert c.delete(f"/dependencies/{link['id']}").status_code == 204
    assert not TaskDependency.objects.filter(pk=link["id"]).exists()


def test_delayed_needs_reason_and_actual_dates_are_recorded(api, plan):
    a, _b, _m = plan
    c = api()
    r = c.patch(f"/tasks/{a['id']}", {"version": a["version"], "status": "delayed"})
    assert r.status_code == 422 and "delay_reason" in r.json()["detail"]
    r = c.patch(f"/tasks/{a['id']}", {"version": a["version"], "status": "in_progress"})
    assert r.json()["actual_start"] is not None and r.json()["actual_finish"] is None
    r = c.patch(f"/tasks/{a['id']}", {"version": r.json()["version"], "status": "done"})
    assert r.json()["actual_finish"] is not None and r.json()["progress"] == 100
    # set back to not started (marked done by mistake): the work has not started, so no actual dates either
    r = c.patch(f"/tasks/{a['id']}", {"version": r.json()["version"], "status": "not_started", "progress": 0})
    assert (r.json()["actual_start"], r.json()["actual_finish"]) == (None, None)


# --- RACI ------------------------------------------------------------------------------------


def test_raci_put_get_and_one_a_rule(api, users, campaign, plan):
    a, _b, _m = plan
    c = api()
    got = c.get(f"/campaigns/{campaign.id}/raci").json()
    assert set(got["tasks_without_a"]) >= {"T001", "T002", "T003"}
    cells = [
        {"task": a["id"], "user": "member1", "role": "R"},
        {"task": a["id"], "user": "owner1", "role": "A"},
        {"task": "T002", "user": "manager1", "role": "A"},
        {"task": "T002", "user": "viewer1", "role": "I"},
    ]
    r = c._call("put", f"/campaigns/{campaign.id}/raci", {"version": got["version"], "assignments": cells})
    assert r.status_code == 200, r.content
    assert "T001" not in r.json()["tasks_without_a"] and "T003" in r.json()["tasks_without_a"]
    # A second A on T001 → 422 naming the task; nothing written.
    bad = [*cells, {"task": a["id"], "user": "manager1", "role": "A"}]
    r2 = c._call("put", f"/campaigns/{campaign.id}/raci", {"version": r.json()["version"], "assignments": bad})
    assert r2.status_code == 422 and "T001" in r2.json()["detail"]
    assert RaciAssignment.objects.filter(task_id=a["id"], role="A").count() == 1
    # Stale version → 409; non-member → 422; viewer → 403.
    assert (
        c._call("put", f"/campaigns/{campaign.id}/raci", {"version": got["version"], "assignments": []}).status_code
        == 409
    )
    r3 = c._call(
        "put",
        f"/campaigns/{campaign.id}/raci",
        {"version": r.json()["version"], "assignments": [{"task": a["id"], "user": "outsider1", "role": "R"}]},
    )
    assert r3.status_code == 422 and "outsider1" in r3.json()["detail"]
    assert (
        api("viewer")
        ._call("put", f"/campaigns/{campaign.id}/raci", {"version": r.json()["version"], "assignments": []})
        .status_code
        == 403
    )


def test_gate_needs_owner_and_exactly_one_a(api, users, campaign):
    c = api()
    satisfy_gates(campaign, "planning")
    assert c.post(f"/campaigns/{campaign.id}/transition", {"to": "planning"}).status_code == 200
    campaign.tasks.update(owner=users["member"])
    from campaignflow.campaigns.gates import unmet_conditions

    campaign.refresh_from_db()
    with translation.override("en"):
        unmet = unmet_conditions(campaign, "executing")
    assert any("accountable person (A)" in u and "T001" in u for u in unmet)
    for t in campaign.tasks.all():
        RaciAssignment.objects.create(task=t, user=users["owner"], role="A")
    with translation.override("en"):
        assert not any("accountable" in u for u in unmet_conditions(campaign, "executing"))


# --- periods, baselines ------------------------------------------------------------------------


def test_periods(api, campaign):
    c = api()
    v = c.get(f"/campaigns/{campaign.id}/periods").json()["version"]
    body = {
        "version": v,
        "periods": [
            {"kind": "warmup", "start_date": "2025-05-25", "end_date": "2025-05-31"},
            {"kind": "burst", "start_date": "2030-06-01", "end_date": "2030-06-18"},
            {"kind": "extension", "start_date": "2030-06-19", "end_date": "2030-06-30"},
        ],
    }
    r = c._call("put", f"/campaigns/{campaign.id}/periods", body)
    assert r.status_code == 200 and len(r.json()["periods"]) == 3
    bad = {
        "version": r.json()["version"],
        "periods": [{"kind": "burst", "start_date": "2030-06-10", "end_date": "2030-06-01"}],
    }
    r2 = c._call("put", f"/campaigns/{campaign.id}/periods", bad)
    assert r2.status_code == 422 and "periods[0].end_date" in r2.json()["detail"]
    assert len(c.get(f"/campaigns/{campaign.id}/periods").json()["periods"]) == 3
    gantt = c.get(f"/campaigns/{campaign.id}/gantt").json()
    assert [p["kind"] for p in gantt["periods"]] == ["warmup", "burst", "extension"]


def test_baseline_and_variance(api, campaign, plan):
    _a, b, _m = plan
    c = api()
    r = c.post(f"/campaigns/{campaign.id}/baselines", {"name": "V1.0 批准版"})
    assert r.status_code == 201
    bid = r.json()["id"]
    assert c.post(f"/campaigns/{campaign.id}/baselines", {"name": "  "}).status_code == 422
    c.patch(f"/tasks/{b['id']}", {"version": b["version"], "end_date": "2030-06-09", "status": "done"})
    rows = {r["code"]: r for r in c.get(f"/campaigns/{campaign.id}/baselines/{bid}/variance").json()}
    assert rows["T002"]["baseline_end"] == "2030-06-06" and rows["T002"]["end_date"] == "2030-06-09"
    assert rows["T002"]["finish_variance_days"] == 3
    assert rows["T002"]["actual_finish"] is not None
    assert rows["T001"]["finish_variance_days"] == 0
    gantt = c.get(f"/campaigns/{campaign.id}/gantt").json()
    bar = next(t for t in gantt["data"] if t["id"] == b["id"])
    assert (bar["baseline_start"], bar["baseline_end"]) == ("2030-06-04", "2030-06-07")
    assert api("outsider").get(f"/campaigns/{campaign.id}/baselines/{bid}/variance").status_code == 404


# --- Gantt query count ----------------------------------------------------------------------------


def _bulk(campaign, n):
    Task.objects.filter(campaign=campaign).delete()
    linked_tasks(
        campaign,
        n,
        link_type="SS",
        phase=lambda i: f"阶段{i % 4}",
        start_date=lambda i: dt.date(2030, 6, 1) + dt.timedelta(days=i % 20),
        end_date=lambda i: dt.date(2030, 6, 3) + dt.timedelta(days=i % 20),
        owner=campaign.owner,
    )


@pytest.mark.parametrize("n", [10, 1000])
def test_gantt_query_count_is_constant(api, campaign, django_assert_num_queries, n):
    _bulk(campaign, n)
    c = api()
    c.post(f"/campaigns/{campaign.id}/baselines", {"name": "V1"})
    # built: token, campaign with the caller's role and the change stamp (one query), 5 + the materials' markers
    with django_assert_num_queries(8):
        r = c.get(f"/campaigns/{campaign.id}/gantt")
    assert r.status_code == 200
    assert len([t for t in r.json()["data"] if t.get("type") != "project"]) == n
    assert len(r.json()["links"]) == n - 1
    # token; tasks; links: the campaign's row, with the caller's role and stamp, is the one read just before,
    # nothing having been recorded since (ADR 0027)
    with django_assert_num_queries(3):
        assert len(c.get(f"/campaigns/{campaign.id}/tasks").json()) == n
    with django_assert_num_queries(1):  # unchanged since: the token's query only
        again = c.get(f"/campaigns/{campaign.id}/gantt")
    assert again.content == r.content


# --- files ------------------------------------------------------------------------------------------

SEED_CSV = """任务ID,任务名称,所属阶段,负责人,起止时间,交付物,进度状态（未开始/进行中/已完成/滞后）,滞后原因（若适用）
T001,预热海报设计,预热期,member1,6.1-6.5,3张海报终稿,已完成,-
T002,KOL内容对接,预热期,王经理,6.3-6.8,2篇KOL种草稿件,滞后1天,KOL档期调整
T003,线下物料准备,执行期,,6.10-6.20,"500份宣传单、100件赠品",进行中,印刷厂产能不足
"""


def upload(client, cid, content: bytes, name="wbs.csv", confirm=False):
    data = {"file": SimpleUploadedFile(name, content)}
    if confirm:
        data["confirm"] = "true"
    return client.client.post(f"/api/v1/campaigns/{cid}/tasks/import", data, **client.headers)


def test_import_seed_table_preview_then_confirm(api, campaign):
    Task.objects.filter(campaign=campaign).delete()
    c = api()
    r = upload(c, campaign.id, SEED_CSV.encode())
    assert r.status_code == 200, r.content
    assert r.json()["rows"] == 3 and Task.objects.filter(campaign=campaign).count() == 0
    r = upload(c, campaign.id, SEED_CSV.encode(), confirm=True)
    assert r.status_code == 200 and r.json()["created"] == 3
    t2 = Task.objects.get(campaign=campaign, code="T002")
    assert (t2.status, t2.delay_reason, t2.owner.username) == ("delayed", "KOL档期调整", "owner1")
    assert (t2.start_date, t2.end_date) == (dt.date(2025, 6, 3), dt.date(2025, 6, 8))
    # Re-import updates by code, creates nothing.
    r = upload(c, campaign.id, SEED_CSV.replace("KOL档期调整", "KOL档期再调整").encode(), confirm=True)
    assert r.json()["updated"] == 3 and Task.objects.filter(campaign=campaign).count() == 3


def test_import_bad_rows_are_named_and_nothing_is_written(api, campaign):
    before = Task.objects.count()
    bad = SEED_CSV + "T004,,执行期,陌生人,6.40-6.2,,什么,\nT001,重复,执行期,,2025-06-01~2025-06-02,,未开始,\n"
    r = upload(api(), campaign.id, bad.encode(), confirm=True)
    assert r.status_code == 422
    errors = {(e["row"], e["column"]) for e in r.json()["errors"]}
    assert {(5, "name"), (5, "period"), (5, "status"), (6, "code")} <= errors
    assert Task.objects.count() == before
    # Unknown owner row named.
    r = upload(api(), campaign.id, "任务名称,负责人\n海报,陌生人\n".encode("gb18030"))
    error = r.json()["errors"][0]
    assert r.status_code == 422 and (error["row"], error["column"], error["header"]) == (2, "owner", "负责人")
    # Garbage, corrupt XLSX, oversized, no name column.
    assert upload(api(), campaign.id, b"PK\x03\x04garbage", name="x.xlsx").status_code == 422
    assert upload(api(), campaign.id, b"\xff\xfe\x00\x00\x01", name="x.csv").status_code == 422
    assert upload(api(), campaign.id, b"a" * (5 * 1024 * 1024 + 10)).status_code == 413
    assert upload(api(), campaign.id, b"code,foo\nT1,x\n").status_code == 422
    assert upload(api("viewer"), campaign.id, SEED_CSV.encode()).status_code == 403
    assert Task.objects.count() == before


def test_import_xlsx_with_english_headers(api, campaign):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name", "phase", "owner", "start", "end", "deliverable", "status", "delay_reason"])
    ws.append(
        [
            "X1",
            "Poster",
            "Warm-up",
            "member1",
            dt.date(2025, 6, 1),
            dt.date(2025, 6, 2),
            "3 posters",
            "in_progress",
            None,
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    r = upload(api(), campaign.id, buf.getvalue(), name="wbs.xlsx", confirm=True)
    assert r.status_code == 200, r.content
    t = Task.objects.get(campaign=campaign, code="X1")
    assert (t.end_date, t.status, t.owner.username) == (dt.date(2025, 6, 2), "in_progress", "member1")


def test_export_xlsx_neutralises_formulas(api, campaign):
    from openpyxl import load_workbook

    Task.objects.filter(campaign=campaign, code="T001").update(name='=HYPERLINK("http://x")', deliverable="@SUM(1)")
    r = api("viewer").get(f"/campaigns/{campaign.id}/plan.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A2"].value == "任务ID"
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "T001")
    # the text as typed, in string cells (never evaluated), quote-prefixed as Excel stores a typed "'"
    assert row[1].value == '=HYPERLINK("http://x")' and row[8].value == "@SUM(1)"
    assert all(c.data_type == "s" and c.quotePrefix for c in (row[1], row[8]))
    assert not row[0].quotePrefix


def test_calendar_ics_and_personal_feed(api, users, campaign):
    from icalendar import Calendar

    Task.objects.filter(campaign=campaign, code="T002").update(milestone=True, owner=users["member"])
    r = api("viewer").get(f"/campaigns/{campaign.id}/calendar.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(r.content).walk("VEVENT")
    assert len(events) == campaign.tasks.exclude(end_date=None).count()
    assert any(str(e["summary"]).startswith("◆") for e in events)
    assert api("outsider").get(f"/campaigns/{campaign.id}/calendar.ics").status_code == 404
    # Personal feed: works without login, only the owner's tasks, revocable.
    feed = api("member").post("/me/calendar-feed")
    assert feed.status_code == 201
    token = feed.json()["token"]
    from django.test import Client

    anon = Client()
    r = anon.get(f"/api/v1/calendar/{token}.ics")
    assert r.status_code == 200
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == 1
    assert anon.get("/api/v1/calendar/wrong.ics").status_code == 404
    assert api("member").delete("/me/calendar-feed").status_code == 204
    assert anon.get(f"/api/v1/calendar/{token}.ics").status_code == 404


def test_my_tasks_api_buckets(api, users, campaign):
    from django.utils import timezone

    today = timezone.localdate()
    Task.objects.filter(campaign=campaign).update(owner=users["member"], end_date=today + dt.timedelta(days=30))
    Task.objects.filter(campaign=campaign, code="T001").update(end_date=today - dt.timedelta(days=1))
    Task.objects.filter(campaign=campaign, code="T002").update(end_date=today)
    Task.objects.filter(campaign=campaign, code="T003").update(end_date=today, status="done")
    rows = {t["code"]: t["bucket"] for t in api("member").get("/me/tasks").json()}
    assert rows["T001"] == "overdue" and rows["T002"] == "today" and "T003" not in rows
    assert api("owner").get("/me/tasks").json() == []


def test_bulk_status(api, campaign, plan):
    a, b, _m = plan
    c = api()
    r = c.post(
        f"/campaigns/{campaign.id}/tasks/bulk",
        {
            "tasks": [{"id": a["id"], "version": a["version"]}, {"id": b["id"], "version": b["version"]}],
            "status": "delayed",
        },
    )
    assert r.status_code == 422 and "delay_reason" in r.json()["detail"]
    r = c.post(
        f"/campaigns/{campaign.id}/tasks/bulk",
        {
            "tasks": [{"id": a["id"], "version": a["version"]}, {"id": b["id"], "version": b["version"] - 1}],
            "status": "done",
        },
    )
    assert r.status_code == 409
    assert Task.objects.get(pk=a["id"]).status == "not_started"  # all or nothing
    r = c.post(
        f"/campaigns/{campaign.id}/tasks/bulk",
        {
            "tasks": [{"id": a["id"], "version": a["version"]}, {"id": b["id"], "version": b["version"]}],
            "status": "done",
        },
    )
    assert r.status_code == 200
    assert set(Task.objects.filter(pk__in=[a["id"], b["id"]]).values_list("status", flat=True)) == {"done"}


# --- the lists served without a schema pass still match their documented schema -----------------------


def test_lists_served_directly_match_their_documented_schema(api, users, campaign, plan):
    """The task list, one task, the schedule, the variance, the RACI matrix and my tasks are serialised
    without pydantic (it was most of their time at 10,000 tasks): check them against the OpenAPI document."""
    import jsonschema_rs

    from config.api import api as ninja_api

    a, _b, m = plan
    doc = ninja_api.get_openapi_schema()
    c = api()
    Task.objects.filter(pk=a["id"]).update(owner=users["owner"], actual_start=dt.date(2030, 6, 2))
    baseline = c.post(f"/campaigns/{campaign.id}/baselines", {"name": "V1"}).json()["id"]
    RaciAssignment.objects.create(task_id=a["id"], user=users["member"], role="A")
    cid = campaign.id
    for path, url in (
        ("/api/v1/campaigns/{campaign_id}/tasks", f"/campaigns/{cid}/tasks"),
        ("/api/v1/tasks/{task_id}", f"/tasks/{m['id']}"),
        ("/api/v1/campaigns/{campaign_id}/schedule", f"/campaigns/{cid}/schedule"),
        (
            "/api/v1/campaigns/{campaign_id}/baselines/{baseline_id}/variance",
            f"/campaigns/{cid}/baselines/{baseline}/variance",
        ),
        ("/api/v1/campaigns/{campaign_id}/raci", f"/campaigns/{cid}/raci"),
        ("/api/v1/me/tasks", "/me/tasks"),
    ):
        schema = doc["paths"][path]["get"]["responses"][200]["content"]["application/json"]["schema"]
        validator = jsonschema_rs.validator_for({**schema, "components": doc["components"]}, validate_formats=True)
        response = c.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        body = response.json()
        assert body, url
        errors = [e.message for e in validator.iter_errors(body)]
        assert not errors, (url, errors[:3])
    listed = c.get(f"/campaigns/{cid}/tasks").json()
    assert listed[0]["owner"] == "owner1" and listed[0]["actual_start"] == "2030-06-02"
    assert listed[2]["milestone"] is True and listed[2]["depends_on"][0]["lag_days"] == 1
