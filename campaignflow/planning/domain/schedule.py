"""Critical path method (CPM) and slip forecasting over task dependencies. Pure: no ORM, no dates.

Days are integers (day numbers). A task occupies the half-open interval [start, finish): a one-day
task that starts on day 5 finishes on day 6; a milestone has duration 0. A link says how the
successor's dates are bound to the predecessor's, with a lag (negative = lead):

    FS: succ.start  >= pred.finish + lag        SS: succ.start  >= pred.start + lag
    FF: succ.finish >= pred.finish + lag        SF: succ.finish >= pred.start + lag

Every type is a bound between the two starts: succ.start >= pred.start + lag (+ pred's duration
when it binds the predecessor's finish) (- succ's duration when it binds the successor's finish).

`cpm()` computes early/late start/finish and total slack; tasks with zero slack form the critical
path. `forecast()` pushes the current plan forward where a predecessor's dates break a link (the
"slip" a dependant inherits). Both are one pass over the links each way: O(tasks + links).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from typing import NamedTuple

TYPES = ("FS", "SS", "FF", "SF")
# per type: (does the bound use the predecessor's finish, does it bind the successor's finish)
_ENDS = {"FS": (1, 0), "SS": (0, 0), "FF": (1, 1), "SF": (0, 1)}


class Link(NamedTuple):  # a tuple: 20,000 of them are built per Gantt, and unpacked, not read by name
    pred: int
    succ: int
    type: str = "FS"
    lag: int = 0


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 4× as much (10,000 per plan)
class TaskTimes:
    id: int
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int

    @property
    def slack(self) -> int:
        return self.late_start - self.early_start


@dataclass(frozen=True, slots=True)
class Schedule:
    tasks: dict[int, TaskTimes]
    critical_path: list[int]  # zero-slack tasks in order of early start
    project_start: int
    project_finish: int


@dataclass(frozen=True, slots=True)
class Prepared:
    """What `cpm` and `forecast` both start from: the links as (pred, succ, lag, uses pred's finish,
    binds succ's finish), ordered by their predecessor's place in a topological order of the tasks.
    So one forward sweep over the links sees every predecessor's dates final, and one backward sweep
    every successor's."""

    links: list[tuple[int, int, int, int, int]]


class DependencyCycle(ValueError):
    def __init__(self, cycle: list[int]):
        super().__init__(f"dependency cycle: {' -> '.join(map(str, cycle))}")
        self.cycle = cycle


def find_cycle(nodes: Iterable[int], links: Iterable[tuple[int, int]]) -> list[int] | None:
    """A cycle (first node repeated at the end) if the links have one, else None."""
    graph: dict[int, set[int]] = {n: set() for n in nodes}
    for pred, succ in links:
        graph.setdefault(succ, set()).add(pred)
        graph.setdefault(pred, set())
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        # graphlib reports the cycle walking predecessor edges: reverse it to read pred → succ.
        return list(reversed(exc.args[1]))
    return None


def prepare(ids: Iterable[int], links: Iterable[Link]) -> Prepared:
    """Kahn's algorithm over plain dicts and lists (several times faster than graphlib on
    10,000-task plans); graphlib is only asked to name the cycle when there is one. A caller running
    both `cpm` and `forecast` on the same plan computes this once and passes it as `prepared`."""
    indegree = dict.fromkeys(ids, 0)
    children: dict[int, list] = {}
    for pred, succ, kind, lag in links:
        if pred not in indegree or succ not in indegree:
            raise KeyError(f"link {pred} -> {succ} names an unknown task")
        ends = _ENDS.get(kind)
        if ends is None:
            raise ValueError(f"unknown dependency type {kind!r}")
        indegree[succ] += 1
        edge = (pred, succ, lag, *ends)
        if pred in children:
            children[pred].append(edge)
        else:
            children[pred] = [edge]
    order = [t for t, n in indegree.items() if n == 0]
    swept: list[tuple[int, int, int, int, int]] = []
    for t in order:  # the list grows while it is walked: each task's turn comes after its predecessors
        edges = children.get(t)
        if edges:
            swept += edges
            for edge in edges:
                succ = edge[1]
                n = indegree[succ] - 1
                indegree[succ] = n
                if not n:
                    order.append(succ)
    if len(order) == len(indegree):
        return Prepared(swept)
    graph: dict[int, list[int]] = {t: [] for t in indegree}
    for edges in children.values():
        for pred, succ, *_ in edges:
            graph[succ].append(pred)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise DependencyCycle(list(reversed(exc.args[1]))) from None
    raise AssertionError("unreachable: Kahn's algorithm stopped without a cycle")  # pragma: no cover


def _forward(prepared: Prepared, duration: Mapping[int, int], es: dict[int, int]) -> list[int]:
    """Raise `es` (each task's lower bound on entry) until every link holds; return each link's
    start-to-start offset, in `prepared.links` order, for a backward sweep."""
    offsets = []
    add = offsets.append
    for pred, succ, lag, pred_finish, succ_finish in prepared.links:
        offset = lag
        if pred_finish:
            offset += duration[pred]
        if succ_finish:
            offset -= duration[succ]
        add(offset)
        bound = es[pred] + offset
        if bound > es[succ]:
            es[succ] = bound
    return offsets


def cpm(
    durations: Mapping[int, int],
    links: Iterable[Link],
    *,
    starts: Mapping[int, int] | None = None,
    prepared: Prepared | None = None,
) -> Schedule:
    """Early/late dates and slack. `starts` optionally gives each task's earliest possible start
    (e.g. "not before the campaign starts"); the default is day 0 for every task. `prepared`: see
    `prepare` (same tasks and links)."""
    if not durations:
        return Schedule(tasks={}, critical_path=[], project_start=0, project_finish=0)
    for t, d in durations.items():
        if d < 0:
            raise ValueError(f"task {t} has a negative duration")
    prepared = prepared or prepare(durations, links)
    es = {t: starts[t] for t in durations} if starts is not None else dict.fromkeys(durations, 0)
    offsets = _forward(prepared, durations, es)
    project_start = min(es.values())
    project_finish = max(es[t] + d for t, d in durations.items())

    ls = {t: project_finish - d for t, d in durations.items()}
    i = len(offsets)
    for pred, succ, *_ in reversed(prepared.links):
        i -= 1
        bound = ls[succ] - offsets[i]
        if bound < ls[pred]:
            ls[pred] = bound

    times = {}
    critical = []
    for t, d in durations.items():  # the caller's order
        e, late = es[t], ls[t]
        times[t] = TaskTimes(t, e, e + d, late, late + d)
        if e == late:
            critical.append(t)
    critical.sort(key=lambda t: (es[t], es[t] + durations[t]))
    return Schedule(tasks=times, critical_path=critical, project_start=project_start, project_finish=project_finish)


def forecast(
    planned: Mapping[int, tuple[int, int]],
    links: Iterable[Link],
    *,
    finished_not_before: Mapping[int, int] | None = None,
    prepared: Prepared | None = None,
) -> dict[int, tuple[int, int]]:
    """Where each task will really be, given the links: (start, finish) per task.

    `planned` is each task's current (start, finish). A task keeps its duration and starts no
    earlier than planned, but later when a predecessor (or its own `finished_not_before`, e.g. an
    overdue task that cannot finish before tomorrow) pushes it. A task whose forecast differs from
    its plan has slipped; a milestone whose forecast finish is after its planned finish is at risk.
    """
    prepared = prepared or prepare(planned, links)
    duration = {t: f - s for t, (s, f) in planned.items()}
    es = {t: s for t, (s, _f) in planned.items()}
    if finished_not_before:
        for t, day in finished_not_before.items():
            if t in es and day - duration[t] > es[t]:
                es[t] = day - duration[t]
    _forward(prepared, duration, es)
    return {t: (es[t], es[t] + duration[t]) for t in planned}
