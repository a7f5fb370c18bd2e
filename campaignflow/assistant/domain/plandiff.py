"""A plan draft shown against the playbook's plan: what it adds (KPIs, channels, budget lines) and which
tasks it moves. The rows are what the apply step creates or changes, one for one."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DiffRow:
    kind: str  # kpi | channel | budget | task
    action: str  # add | change
    key: str  # the KPI/channel name, "category · item", the task code
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)


def plan_diff(*, draft: dict, tasks: dict[str, dict], kpis: set[str], channels: set[str]) -> list[DiffRow]:
    """`draft`: a validated plan draft as plain values; `tasks`: the campaign's tasks by code (with
    start_date, end_date as ISO text, name); `kpis`/`channels`: names already in the campaign (a draft row
    with the same name is a change the apply step refuses, so it is listed as such)."""
    rows: list[DiffRow] = []
    for k in draft.get("kpis", []):
        rows.append(DiffRow("kpi", "change" if k["name"] in kpis else "add", k["name"], after=k))
    for c in draft.get("channels", []):
        rows.append(DiffRow("channel", "change" if c["name"] in channels else "add", c["name"], after=c))
    for line in draft.get("budget", []):
        rows.append(DiffRow("budget", "add", f"{line['category']} · {line['item']}", after=line))
    for adj in draft.get("task_adjustments", []):
        current = tasks.get(adj["code"], {})
        before = {
            "name": current.get("name", ""),
            "start_date": current.get("start_date"),
            "end_date": current.get("end_date"),
        }
        after = {"name": current.get("name", ""), "start_date": adj.get("start_date") or before["start_date"],
                 "end_date": adj.get("end_date") or before["end_date"], "remark": adj.get("remark", "")}  # fmt: skip
        rows.append(DiffRow("task", "change", adj["code"], before=before, after=after))
    return rows


def contingency_share(budget: list[dict]) -> float | None:
    """The contingency lines' share of the draft's budget (None for an empty budget)."""
    total = sum(float(line["planned"]) for line in budget)
    if total <= 0:
        return None
    return sum(float(line["planned"]) for line in budget if line["category"] == "contingency") / total
