"""Critical path method (CPM) and slip forecasting over task dependencies. Pure: no ORM, no dates.

Days are integers (day numbers). A task occupies the half-open interval [start, finish): a one-day
task that starts on day 5 finishes on day 6; a milestone has duration 0. A link says how the
successor's dates are bound to the predecessor's, with a lag (negative = lead):

    FS: succ.start  >= pred.finish + lag        SS: succ.start  >= pred.start + lag
    FF: succ.finish >= pred.finish + lag        SF: succ.finish >= pred.start + lag

`cpm()` computes early/late start/finish and total slack; tasks with zero slack form the critical
path. `forecast()` pushes the current plan forward where a predecessor's dates break a link (the
"slip" a dependant inherits). Both are one topological pass each way: O(tasks + links).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

TYPES = ("FS", "SS", "FF", "SF")


@dataclass(frozen=True, slots=True)
class Link:
    pred: int
    succ: int
    type: str = "FS"
    lag: int = 0


@dataclass(frozen=True, slots=True)
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


def _order(ids: list[int], links: list[Link]) -> list[int]:
    """A topological order (Kahn's algorithm: plain dicts and lists, several times faster than
    graphlib on 10,000-task plans); graphlib is only asked to name the cycle when there is one."""
    indegree = dict.fromkeys(ids, 0)
    children: dict[int, list[int]] = {}
    for link in links:
        if link.pred not in indegree or link.succ not in indegree:
            raise KeyError(f"link {link} names an unknown task")
        indegree[link.succ] += 1
        children.setdefault(link.pred, []).append(link.succ)
    order = [t for t, n in indegree.items() if n == 0]
    i = 0
    while i < len(order):
        for child in children.get(order[i], ()):
            indegree[child] -= 1
            if indegree[child] == 0:
                order.append(child)
        i += 1
    if len(order) == len(indegree):
        return order
    graph: dict[int, list[int]] = {t: [] for t in indegree}
    for link in links:
        graph[link.succ].append(link.pred)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise DependencyCycle(list(reversed(exc.args[1]))) from None
    raise AssertionError("unreachable: Kahn's algorithm stopped without a cycle")  # pragma: no cover


def _forward(order, duration, lower, incoming) -> dict[int, int]:
    """Earliest start of each task: at least `lower[t]` and every incoming link satisfied."""
    es: dict[int, int] = {}
    for t in order:
        start = lower[t]
        dur = duration[t]
        for pred, kind, lag in incoming.get(t, ()):
            ps = es[pred]
            if kind == "FS":
                bound = ps + duration[pred] + lag
            elif kind == "SS":
                bound = ps + lag
            elif kind == "FF":
                bound = ps + duration[pred] + lag - dur
            else:  # SF
                bound = ps + lag - dur
            if bound > start:
                start = bound
        es[t] = start
    return es


def _by_succ(links: list[Link]) -> dict[int, list[tuple[int, str, int]]]:
    incoming: dict[int, list[tuple[int, str, int]]] = {}
    for link in links:
        if link.type not in TYPES:
            raise ValueError(f"unknown dependency type {link.type!r}")
        incoming.setdefault(link.succ, []).append((link.pred, link.type, link.lag))
    return incoming


def prepare(ids: Iterable[int], links: Iterable[Link]) -> tuple[list[int], dict]:
    """The topological order and the incoming links per task: what `cpm` and `forecast` both start
    from; a caller running both on the same plan computes it once and passes it as `prepared`."""
    links = list(links)
    return _order(list(ids), links), _by_succ(links)


def cpm(
    durations: Mapping[int, int],
    links: Iterable[Link],
    *,
    starts: Mapping[int, int] | None = None,
    prepared: tuple[list[int], dict] | None = None,
) -> Schedule:
    """Early/late dates and slack. `starts` optionally gives each task's earliest possible start
    (e.g. "not before the campaign starts"); the default is day 0 for every task. `prepared`: see
    `prepare` (same tasks and links)."""
    links = list(links)
    ids = list(durations)
    if not ids:
        return Schedule(tasks={}, critical_path=[], project_start=0, project_finish=0)
    for t, d in durations.items():
        if d < 0:
            raise ValueError(f"task {t} has a negative duration")
    order, incoming = prepared or prepare(ids, links)
    lower = starts if starts is not None else dict.fromkeys(ids, 0)
    es = _forward(order, durations, lower, incoming)
    project_start = min(es.values())
    project_finish = max(es[t] + durations[t] for t in ids)

    outgoing: dict[int, list[tuple[int, str, int]]] = {}
    for link in links:
        outgoing.setdefault(link.pred, []).append((link.succ, link.type, link.lag))
    lf: dict[int, int] = {}
    for t in reversed(order):
        finish = project_finish
        dur = durations[t]
        for succ, kind, lag in outgoing.get(t, ()):
            s_lf = lf[succ]
            if kind == "FS":
                bound = s_lf - durations[succ] - lag
            elif kind == "SS":
                bound = s_lf - durations[succ] - lag + dur
            elif kind == "FF":
                bound = s_lf - lag
            else:  # SF
                bound = s_lf - lag + dur
            if bound < finish:
                finish = bound
        lf[t] = finish

    times = {
        t: TaskTimes(t, es[t], es[t] + durations[t], lf[t] - durations[t], lf[t])
        for t in ids  # keep the caller's order
    }
    critical = sorted((t for t in ids if times[t].slack == 0), key=lambda t: (es[t], es[t] + durations[t]))
    return Schedule(tasks=times, critical_path=critical, project_start=project_start, project_finish=project_finish)


def forecast(
    planned: Mapping[int, tuple[int, int]],
    links: Iterable[Link],
    *,
    finished_not_before: Mapping[int, int] | None = None,
    prepared: tuple[list[int], dict] | None = None,
) -> dict[int, tuple[int, int]]:
    """Where each task will really be, given the links: (start, finish) per task.

    `planned` is each task's current (start, finish). A task keeps its duration and starts no
    earlier than planned, but later when a predecessor (or its own `finished_not_before`, e.g. an
    overdue task that cannot finish before tomorrow) pushes it. A task whose forecast differs from
    its plan has slipped; a milestone whose forecast finish is after its planned finish is at risk.
    """
    links = list(links)
    ids = list(planned)
    order, incoming = prepared or prepare(ids, links)
    duration = {t: planned[t][1] - planned[t][0] for t in ids}
    lower = {t: planned[t][0] for t in ids}
    if finished_not_before:
        for t, day in finished_not_before.items():
            if t in lower and day - duration[t] > lower[t]:
                lower[t] = day - duration[t]
    es = _forward(order, duration, lower, incoming)
    return {t: (es[t], es[t] + duration[t]) for t in ids}
