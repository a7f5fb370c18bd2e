"""The pure CPM: hand-checked cases for every link type with lags, and properties on random plans."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaignflow.planning.domain.schedule import TYPES, DependencyCycle, Link, cpm, find_cycle, forecast


def times(result, t):
    x = result.tasks[t]
    return (x.early_start, x.early_finish, x.late_start, x.late_finish, x.slack)


def test_fs_chain_with_lag_and_a_parallel_task_with_slack():
    # A(3) -FS+2-> B(4); C(2) alone. Project: A 0-3, lag 2, B 5-9 → finish 9.
    r = cpm({1: 3, 2: 4, 3: 2}, [Link(1, 2, "FS", 2)])
    assert times(r, 1) == (0, 3, 0, 3, 0)
    assert times(r, 2) == (5, 9, 5, 9, 0)
    assert times(r, 3) == (0, 2, 7, 9, 7)
    assert r.critical_path == [1, 2]
    assert r.project_finish == 9


def test_ss_with_lag():
    # A(5) -SS+2-> B(2): B starts 2, finishes 4; A drives the end (5); B has 1 day slack.
    r = cpm({1: 5, 2: 2}, [Link(1, 2, "SS", 2)])
    assert times(r, 2) == (2, 4, 3, 5, 1)
    assert times(r, 1) == (0, 5, 0, 5, 0)
    assert r.critical_path == [1]


def test_ff_with_lag():
    # A(4) -FF+3-> B(2): B must finish ≥ 7, so it starts at 5.
    r = cpm({1: 4, 2: 2}, [Link(1, 2, "FF", 3)])
    assert times(r, 2) == (5, 7, 5, 7, 0)
    assert times(r, 1) == (0, 4, 0, 4, 0)
    assert r.critical_path == [1, 2]


def test_sf_with_lag():
    # A(3) starts 0; B(2) -- SF+4: B finishes ≥ A.start + 4 = 4, so B is 2-4 and ends the project.
    # A starting a day later would push B's finish to 5: LS(A) = LF(B) - 4 = 0, so A is critical too.
    r = cpm({1: 3, 2: 2}, [Link(1, 2, "SF", 4)])
    assert times(r, 2) == (2, 4, 2, 4, 0)
    assert times(r, 1) == (0, 3, 0, 3, 0)
    assert r.critical_path == [1, 2]
    # With a longer parallel task (C, 6 days) A and B both get 2 days of slack.
    r = cpm({1: 3, 2: 2, 3: 6}, [Link(1, 2, "SF", 4)])
    assert times(r, 1) == (0, 3, 2, 5, 2)
    assert times(r, 2) == (2, 4, 4, 6, 2)
    assert r.critical_path == [3]


def test_negative_lag_lead_and_start_constraints():
    # FS-2 (lead): B may start 2 days before A ends. Starts give "not before" dates.
    r = cpm({1: 5, 2: 3}, [Link(1, 2, "FS", -2)], starts={1: 10, 2: 0})
    assert times(r, 2) == (13, 16, 13, 16, 0)
    assert r.project_start == 10


def test_milestone_zero_duration():
    r = cpm({1: 3, 2: 0}, [Link(1, 2, "FS", 0)])
    assert times(r, 2) == (3, 3, 3, 3, 0)


def test_cycle_is_reported_with_its_tasks():
    with pytest.raises(DependencyCycle) as exc:
        cpm({1: 1, 2: 1, 3: 1}, [Link(1, 2), Link(2, 3), Link(3, 1)])
    assert set(exc.value.cycle) == {1, 2, 3}
    assert find_cycle([], [(1, 2), (2, 1)]) in ([1, 2, 1], [2, 1, 2])
    assert find_cycle([1, 2], [(1, 2)]) is None


def test_forecast_pushes_dependants_and_overdue_tasks():
    # A [0,3) → B planned [2,4): B is pushed to [3,5) (slip 1). C overdue: cannot finish before 10.
    planned = {1: (0, 3), 2: (2, 4), 3: (0, 2)}
    fc = forecast(planned, [Link(1, 2)], finished_not_before={3: 10})
    assert fc == {1: (0, 3), 2: (3, 5), 3: (8, 10)}


@st.composite
def plans(draw):
    n = draw(st.integers(1, 25))
    durations = {i: draw(st.integers(0, 10)) for i in range(n)}
    starts = {i: draw(st.integers(0, 30)) for i in range(n)}
    pairs = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    links = [
        Link(a, b, draw(st.sampled_from(TYPES)), draw(st.integers(-5, 5))) for a, b in pairs if a < b
    ]  # a < b: always acyclic
    return durations, starts, links


@settings(max_examples=300, deadline=None)
@given(plans())
def test_properties(plan):
    durations, starts, links = plan
    r = cpm(durations, links, starts=starts)
    assert r.critical_path, "some task always ends the project with zero slack"
    for t, x in r.tasks.items():
        assert x.slack >= 0
        assert x.early_start >= starts[t]
        assert x.early_finish - x.early_start == durations[t]
        assert x.late_finish <= r.project_finish
    assert all(r.tasks[t].slack == 0 for t in r.critical_path)
    assert {t for t, x in r.tasks.items() if x.slack == 0} == set(r.critical_path)
    # The early schedule satisfies every link.
    for link in links:
        p, s = r.tasks[link.pred], r.tasks[link.succ]
        bound = {
            "FS": (s.early_start, p.early_finish),
            "SS": (s.early_start, p.early_start),
            "FF": (s.early_finish, p.early_finish),
            "SF": (s.early_finish, p.early_start),
        }[link.type]
        assert bound[0] >= bound[1] + link.lag
    assert max(x.early_finish for x in r.tasks.values()) == r.project_finish


def spine_plan(spine: int, pairs: int, seed: int = 7):
    """A plan whose answer is known by construction: a spine of tasks linked finish-to-start (the
    critical path), and pairs of side tasks a → b hung between spine task i and spine task i + 2, shorter
    together than spine task i + 1, so each pair has that difference as slack. Some side tasks are also
    tied to spine task i by a start-to-start link that never binds. Ids and links are shuffled, so the
    topological sort has work to do. Returns durations, links, the spine and each side task's slack."""
    rng = random.Random(seed)
    ids = rng.sample(range(1, 10 * (spine + 2 * pairs)), spine + 2 * pairs)
    chain, side = ids[:spine], ids[spine:]
    durations = {t: rng.randint(2, 9) for t in chain}
    links = [Link(a, b, "FS", 0) for a, b in itertools.pairwise(chain)]
    slack = {}
    for k in range(pairs):
        i = rng.randrange(spine - 2)
        a, b = side[2 * k], side[2 * k + 1]
        room = durations[chain[i + 1]]
        durations[a] = rng.randint(0, room - 1)
        durations[b] = rng.randint(0, room - 1 - durations[a])
        slack[a] = slack[b] = room - durations[a] - durations[b]
        links += [Link(chain[i], a, "FS", 0), Link(a, b, "FS", 0), Link(b, chain[i + 2], "FS", 0)]
        if k % 2:
            links.append(Link(chain[i], a, "SS", rng.randint(0, durations[chain[i]])))
    rng.shuffle(links)
    order = list(durations)
    rng.shuffle(order)
    return {t: durations[t] for t in order}, links, chain, slack


def test_a_100k_task_plan_has_its_known_critical_path():
    durations, links, chain, slack = spine_plan(spine=20_000, pairs=40_000)
    assert len(durations) == 100_000 and len(links) > 150_000
    r = cpm(durations, links)
    assert r.critical_path == chain
    assert (r.project_start, r.project_finish) == (0, sum(durations[t] for t in chain))
    assert all(r.tasks[t].slack == s for t, s in slack.items())
    assert all(r.tasks[t].slack == 0 for t in chain)
