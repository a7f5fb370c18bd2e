"""Pure tests: playbook steps → dated tasks on the working-day calendar, the lifecycle state machine."""

import datetime as dt

import pytest

from campaignflow.campaigns.domain import lifecycle as lc
from campaignflow.campaigns.domain.builtin_playbooks import BUILTIN_PLAYBOOKS
from campaignflow.campaigns.domain.playbooks import (
    MAX_OFFSET,
    Phase,
    PlaybookInvalid,
    Step,
    due_date,
    generate_tasks,
    parse_phases,
    phases_to_json,
    task_code,
)
from campaignflow.core.domain.workdays import WorkdayCalendar

D = dt.date.fromisoformat


# --- playbook steps ------------------------------------------------------------------------------


def _steps(*steps, name="筹备阶段"):
    return {"name": name, "steps": list(steps)}


def _errors(raw) -> list[tuple[str, str]]:
    with pytest.raises(PlaybookInvalid) as info:
        parse_phases(raw)
    return info.value.errors


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        (None, "phases"),
        ([], "phases"),
        ({"name": "x"}, "phases"),
        (["not an object"], "phases[0]"),
        ([{"steps": [{"name": "a"}]}], "phases[0].name"),
        ([{"name": "  ", "steps": [{"name": "a"}]}], "phases[0].name"),
        ([{"name": "p"}], "phases[0].steps"),
        ([{"name": "p", "steps": []}], "phases[0].steps"),
        ([_steps({"name": "a"}, "b")], "phases[0].steps[1]"),
        ([_steps({"name": "a"}, {"name": "b", "offset_days": "3"})], "phases[0].steps[1].offset_days"),
        ([_steps({"name": "a"}, {"name": "b", "offset_days": 1.5})], "phases[0].steps[1].offset_days"),
        ([_steps({"name": "a", "offset_days": True})], "phases[0].steps[0].offset_days"),
        ([_steps({"name": "a", "offset_days": MAX_OFFSET + 1})], "phases[0].steps[0].offset_days"),
        ([_steps({"name": "a", "anchor": "middle"})], "phases[0].steps[0].anchor"),
        ([_steps({"name": "a", "workdays": "yes"})], "phases[0].steps[0].workdays"),
        ([_steps({"name": ""})], "phases[0].steps[0].name"),
        ([_steps({"name": "x" * 201})], "phases[0].steps[0].name"),
        ([_steps({"name": "a", "owner_role": 5})], "phases[0].steps[0].owner_role"),
        ([_steps({"name": "a", "output": "x" * 501})], "phases[0].steps[0].output"),
        ([_steps({"name": "a"}), _steps({"name": "b", "remark": ["x"]})], "phases[1].steps[0].remark"),
    ],
)
def test_parse_phases_names_the_path_of_the_bad_field(raw, path):
    errors = _errors(raw)
    assert [p for p, _m in errors] == [path]
    assert all(message for _p, message in errors)


def test_parse_phases_reports_every_error_at_once():
    raw = [
        {"name": "", "steps": [{"name": "a", "anchor": "middle", "workdays": "yes", "offset_days": -4000}]},
        "x",
        {"name": "p", "steps": []},
    ]
    with pytest.raises(PlaybookInvalid) as info:
        parse_phases(raw)
    paths = [p for p, _m in info.value.errors]
    assert paths == [
        "phases[0].name",
        "phases[0].steps[0].anchor",
        "phases[0].steps[0].offset_days",
        "phases[0].steps[0].workdays",
        "phases[1]",
        "phases[2].steps",
    ]
    assert "phases[0].steps[0].offset_days" in str(info.value)


def test_parse_phases_normalises_and_round_trips():
    phases = parse_phases(
        [
            {
                "name": " 筹备阶段 ",
                "goal": "明确目标",
                "steps": [
                    {
                        "name": " 需求发起与目标确认 ",
                        "owner_role": "活动负责人",
                        "offset_days": -30,
                        "output": "《活动目标确认书》",
                    },
                    {"name": "复盘", "anchor": "end", "offset_days": 3, "workdays": True, "remark": None},
                ],
            }
        ]
    )
    assert phases == [
        Phase(
            name="筹备阶段",
            goal="明确目标",
            steps=(
                Step(name="需求发起与目标确认", owner_role="活动负责人", offset_days=-30, output="《活动目标确认书》"),
                Step(name="复盘", anchor="end", offset_days=3, workdays=True),
            ),
        )
    ]
    assert phases[0].steps[0].anchor == "start" and phases[0].steps[0].workdays is False
    assert parse_phases(phases_to_json(phases)) == phases


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=[p["key"] for p in BUILTIN_PLAYBOOKS])
def test_every_builtin_playbook_parses(playbook):
    phases = parse_phases(playbook["phases"])
    assert len(phases) == len(playbook["phases"])
    specs = generate_tasks(phases, D("2025-06-01"), D("2025-06-30"), WorkdayCalendar())
    assert [s.code for s in specs] == [task_code(i) for i in range(1, len(specs) + 1)]
    assert all(s.start_date <= s.end_date for s in specs)


def test_due_date():
    start, end, calendar = D("2025-06-01"), D("2025-06-30"), WorkdayCalendar()
    assert due_date(Step(name="a", anchor="start", offset_days=-30), start, end, calendar) == D("2025-05-02")
    assert due_date(Step(name="a", anchor="start", offset_days=0), start, end, calendar) == start
    assert due_date(Step(name="a", anchor="end", offset_days=3), start, end, calendar) == D("2025-07-03")
    assert due_date(Step(name="a", anchor="end", offset_days=-1), start, end, calendar) == D("2025-06-29")
    workday_step = Step(name="a", anchor="end", offset_days=3, workdays=True)
    assert due_date(workday_step, D("2025-09-01"), D("2025-09-30"), calendar) == D("2025-10-11")
    assert due_date(Step(name="a", offset_days=-1, workdays=True), D("2025-10-09"), end, calendar) == D("2025-09-30")


def test_due_date_asks_the_calendar_only_for_working_days():
    class Recorder:
        def __init__(self):
            self.calls = []

        def add_workdays(self, start, days):
            self.calls.append((start, days))
            return D("2099-01-01")

    recorder = Recorder()
    start, end = D("2025-06-01"), D("2025-06-30")
    assert due_date(Step(name="a", anchor="end", offset_days=2, workdays=True), start, end, recorder) == D("2099-01-01")
    assert due_date(Step(name="a", anchor="start", offset_days=2), start, end, recorder) == D("2025-06-03")
    assert recorder.calls == [(end, 2)]


def test_generate_tasks():
    phases = parse_phases(
        [
            _steps(
                {"name": "a", "owner_role": "负责人", "offset_days": -30, "output": "《A》", "remark": "签字"},
                {"name": "b", "offset_days": -10},
                name="P1",
            ),
            _steps(
                {"name": "c", "anchor": "end", "offset_days": 3, "workdays": True},
                {"name": "d", "offset_days": -20},
                name="P2",
            ),
        ]
    )
    specs = generate_tasks(phases, D("2025-09-01"), D("2025-09-30"), WorkdayCalendar())
    assert [(s.code, s.phase, s.name, s.sort_order) for s in specs] == [
        ("T001", "P1", "a", 1),
        ("T002", "P1", "b", 2),
        ("T003", "P2", "c", 3),
        ("T004", "P2", "d", 4),
    ]
    assert [(s.start_date, s.end_date) for s in specs] == [
        (D("2025-08-02"), D("2025-08-02")),  # the first task starts on its due date
        (D("2025-08-03"), D("2025-08-22")),  # later ones start the day after the previous due date
        (D("2025-08-23"), D("2025-10-11")),
        (D("2025-08-12"), D("2025-08-12")),  # ...unless that is after their own due date
    ]
    assert (specs[0].deliverable, specs[0].owner_role, specs[0].remark) == ("《A》", "负责人", "签字")
    assert specs[1].deliverable == ""


def test_task_codes():
    assert [task_code(n) for n in (1, 9, 10, 99, 100, 999, 1000)] == [
        "T001",
        "T009",
        "T010",
        "T099",
        "T100",
        "T999",
        "T1000",
    ]


def test_time_node_labels():
    assert Step(name="a", offset_days=-30).time_node_label() == "活动开始前30天"
    assert Step(name="a", anchor="end", offset_days=3, workdays=True).time_node_label() == "活动结束后3个工作日"
    assert Step(name="a", anchor="end").time_node_label() == "活动结束当天"
    assert Step(name="a", offset_days=-30).time_node_label("en") == "30 days before start"
    assert (
        Step(name="a", anchor="end", offset_days=3, workdays=True).time_node_label("en") == "3 working days after end"
    )
    assert Step(name="a").time_node_label("en") == "on the start day"


# --- lifecycle ------------------------------------------------------------------------------------


def test_forward_moves_are_allowed_and_gated():
    for a, b in zip(lc.ORDER, lc.ORDER[1:], strict=False):
        assert lc.is_allowed(a, b)
        assert lc.is_gated(a, b)
        assert lc.next_status(a) == b
    assert lc.next_status(lc.ARCHIVED) is None
    assert lc.next_status(lc.CANCELLED) is None


@pytest.mark.parametrize(
    ("current", "target", "allowed", "gated"),
    [
        ("planning", "preparing", True, False),  # one step back reopens a stage
        ("reviewing", "executing", True, False),
        ("archived", "reviewing", False, False),  # archived is final
        ("preparing", "executing", False, False),  # no skipping
        ("preparing", "archived", False, False),
        ("planning", "reviewing", False, False),
        ("executing", "cancelled", True, False),
        ("reviewing", "cancelled", True, False),
        ("archived", "cancelled", False, False),
        ("cancelled", "preparing", True, False),
        ("cancelled", "planning", False, False),
        ("preparing", "preparing", False, False),
        ("preparing", "finished", False, False),
    ],
)
def test_is_allowed(current, target, allowed, gated):
    assert lc.is_allowed(current, target) is allowed
    assert lc.is_gated(current, target) is gated


def test_moves_from():
    assert lc.moves_from("preparing") == ["planning", "cancelled"]
    assert lc.moves_from("planning") == ["preparing", "executing", "cancelled"]
    assert lc.moves_from("executing") == ["planning", "reviewing", "cancelled"]
    assert lc.moves_from("reviewing") == ["executing", "archived", "cancelled"]
    assert lc.moves_from("archived") == []
    assert lc.moves_from("cancelled") == ["preparing"]
    assert lc.moves_from("nonsense") == []
    for status in lc.STATUSES:
        assert all(lc.is_allowed(status, to) for to in lc.moves_from(status))


def test_stage_index():
    assert [lc.stage_index(s) for s in lc.STATUSES] == [0, 1, 2, 3, 4, -1]
