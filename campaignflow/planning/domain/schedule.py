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
"slip" a dependant inherits). Both are one pass over the links each way, after a topological sort
(Kahn's, linear, but the links are grouped by predecessor with one C-level sort: O(links log links) with
a small constant, cheaper up to millions of links than a counting sort in Python).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

TYPES = ("FS", "SS", "FF", "SF")
# per type: (does the bound use the predecessor's finish, does it bind the successor's finish)
_ENDS = {"FS": (1, 0), "SS": (0, 0), "FF": (1, 1), "SF": (0, 1)}
_PRED_FINISH = {kind: ends[0] for kind, ends in _ENDS.items()}
_SUCC_FINISH = {kind: ends[1] for kind, ends in _ENDS.items()}


class Link(NamedTuple):  # a tuple: 20,000 of them are built per Gantt, and unpacked, not read by name
    pred: int
    succ: int
    type: str = "FS"
    lag: int = 0


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 4× as much
class TaskTimes:
    id: int
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int

    @property
    def slack(self) -> int:
        return self.late_start - self.early_start


class _Times(Mapping):
    """task id → TaskTimes, made when asked: the schedule itself is kept as lists of ints (100,000
    objects built up front cost more than the whole forward sweep)."""

    __slots__ = ("_durations", "_es", "_index", "_ls")

    def __init__(self, index: dict[int, int], durations: list[int], es: list[int], ls: list[int]):
        self._index, self._durations, self._es, self._ls = index, durations, es, ls

    def __getitem__(self, t: int) -> TaskTimes:
        i = self._index[t]
        e, late, d = self._es[i], self._ls[i], self._durations[i]
        return TaskTimes(t, e, e + d, late, late + d)

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass(frozen=True, slots=True)
class Schedule:
    tasks: Mapping[int, TaskTimes]
    critical_path: list[int]  # zero-slack tasks in order of early start
    project_start: int
    project_finish: int


@dataclass(frozen=True, slots=True)
class Prepared:
    """What `cpm` and `forecast` both start from. Every task gets a place (0, 1, 2, … in `ids`), and the
    sweeps index lists of ints by it rather than dicts by task id. The links are five parallel lists
    (pred's place, succ's place, lag, does the bound use pred's finish, does it bind succ's finish),
    ordered by their predecessor's place in a topological order of the tasks: one forward sweep over
    them sees every predecessor's dates final, and one backward sweep every successor's. Plain ints in
    lists, no object per task or link: a 100,000-task plan would otherwise spend a third of its time
    in the garbage collector, set off by the allocations."""

    ids: list[int]
    index: dict[int, int]
    pred: list[int]
    succ: list[int]
    lag: list[int]
    pred_finish: list[int]
    succ_finish: list[int]


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


def _link_columns(index: dict[int, int], links: Iterable[Link]) -> tuple[list[int], ...]:
    """The links as parallel lists: pred's place, succ's place, lag, uses pred's finish, binds succ's
    finish. Built by map() over C-level lookups: a Python loop per link would cost twice as much."""
    links = list(links)
    kinds = list(map(itemgetter(2), links))
    try:
        pred = list(map(index.__getitem__, map(itemgetter(0), links)))
        succ = list(map(index.__getitem__, map(itemgetter(1), links)))
        pred_finish = list(map(_PRED_FINISH.__getitem__, kinds))
    except KeyError:
        for p, s, kind, _lag in links:
            if p not in index or s not in index:
                raise KeyError(f"link {p} -> {s} names an unknown task") from None
            if kind not in _ENDS:
                raise ValueError(f"unknown dependency type {kind!r}") from None
        raise  # pragma: no cover
    return pred, succ, list(map(itemgetter(3), links)), pred_finish, list(map(_SUCC_FINISH.__getitem__, kinds))


def prepare(ids: Iterable[int], links: Iterable[Link]) -> Prepared:
    """Kahn's algorithm over lists of ints indexed by each task's place (several times faster than
    graphlib); graphlib is only asked to name the cycle when there is one. A caller running both `cpm`
    and `forecast` on the same plan computes this once and passes it as `prepared`."""
    ids = list(ids)
    index = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    pred, succ, lag, pred_finish, succ_finish = _link_columns(index, links)
    # the links grouped by predecessor: those of task t are by_pred[first[t]:first[t + 1]]
    by_pred = sorted(range(len(pred)), key=pred.__getitem__)
    outgoing, incoming = Counter(pred), Counter(succ)
    first = [0, *accumulate(map(outgoing.__getitem__, range(n)))]
    indegree = list(map(incoming.__getitem__, range(n)))
    order = [t for t, d in enumerate(indegree) if not d]
    swept: list[int] = []
    for t in order:  # the list grows while it is walked: each task's turn comes after its predecessors
        a, b = first[t], first[t + 1]
        if a == b:
            continue
        edges = by_pred[a:b]
        swept += edges
        for k in edges:
            s = succ[k]
            d = indegree[s] - 1
            indegree[s] = d
            if not d:
                order.append(s)
    if len(order) == n:
        return Prepared(
            ids,
            index,
            *(list(map(column.__getitem__, swept)) for column in (pred, succ, lag, pred_finish, succ_finish)),
        )
    graph: dict[int, list[int]] = {t: [] for t in ids}
    for p, s in zip(pred, succ, strict=True):
        graph[ids[s]].append(ids[p])
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise DependencyCycle(list(reversed(exc.args[1]))) from None
    raise AssertionError("unreachable: Kahn's algorithm stopped without a cycle")  # pragma: no cover


def _forward(prepared: Prepared, duration: list[int], es: list[int]) -> list[int]:
    """Raise `es` (each task's lower bound on entry, by place) until every link holds; return each
    link's start-to-start offset, in `prepared`'s order, for a backward sweep."""
    offsets = [
        lag + (duration[p] if pf else 0) - (duration[s] if sf else 0)
        for p, s, lag, pf, sf in zip(
            prepared.pred, prepared.succ, prepared.lag, prepared.pred_finish, prepared.succ_finish, strict=True
        )
    ]
    for p, s, offset in zip(prepared.pred, prepared.succ, offsets, strict=True):
        bound = es[p] + offset
        if bound > es[s]:
            es[s] = bound
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
    if min(durations.values()) < 0:
        t = next(t for t, d in durations.items() if d < 0)
        raise ValueError(f"task {t} has a negative duration")
    prepared = prepared or prepare(durations, links)
    ids = prepared.ids
    dur = [durations[t] for t in ids]
    es = [starts[t] for t in ids] if starts is not None else [0] * len(ids)
    offsets = _forward(prepared, dur, es)
    project_start = min(es)
    project_finish = max(map(int.__add__, es, dur))

    ls = [project_finish - d for d in dur]
    for p, s, offset in zip(reversed(prepared.pred), reversed(prepared.succ), reversed(offsets), strict=True):
        bound = ls[s] - offset
        if bound < ls[p]:
            ls[p] = bound

    index = prepared.index
    critical = [t for t in durations if es[index[t]] == ls[index[t]]]  # the caller's order, then by dates
    critical.sort(key=lambda t: (es[index[t]], es[index[t]] + dur[index[t]]))
    return Schedule(
        tasks=_Times(index, dur, es, ls),
        critical_path=critical,
        project_start=project_start,
        project_finish=project_finish,
    )


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
    ids, index = prepared.ids, prepared.index
    es = [planned[t][0] for t in ids]
    duration = [planned[t][1] - s for t, s in zip(ids, es, strict=True)]
    if finished_not_before:
        for t, day in finished_not_before.items():
            i = index.get(t)
            if i is not None and day - duration[i] > es[i]:
                es[i] = day - duration[i]
    _forward(prepared, duration, es)
    return {t: (s, s + d) for t, s, d in zip(ids, es, duration, strict=True)}
