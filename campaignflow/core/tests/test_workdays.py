"""Pure tests: China's working-day calendar (holidays, make-up days, overrides, unknown years)."""

import datetime as dt

import pytest

from campaignflow.core.domain.workdays import WorkdayCalendar, known_years

D = dt.date.fromisoformat


# --- WorkdayCalendar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-09-30", 3, "2025-10-11"),  # over the National Day holiday onto the make-up Saturday
        ("2025-09-30", 1, "2025-10-09"),
        ("2025-09-30", 2, "2025-10-10"),
        ("2025-09-30", 4, "2025-10-13"),  # Sunday 10-12 is off
        ("2025-10-01", 0, "2025-10-09"),  # a deadline on a holiday moves to the next working day
        ("2025-10-11", 0, "2025-10-11"),  # a make-up Saturday is a working day
        ("2025-09-30", 0, "2025-09-30"),
        ("2025-09-27", 0, "2025-09-28"),  # Saturday → the make-up Sunday
        ("2025-09-26", 1, "2025-09-28"),  # Friday + 1 → the make-up Sunday
        ("2025-06-06", 1, "2025-06-09"),  # an ordinary weekend
        ("2025-10-09", -1, "2025-09-30"),  # backwards over the holiday
        ("2025-10-11", -1, "2025-10-10"),
        ("2025-09-29", -1, "2025-09-28"),  # the make-up Sunday counts backwards too
        ("2025-09-29", -2, "2025-09-26"),
        ("2025-10-13", -3, "2025-10-09"),
        ("2026-01-05", -1, "2026-01-04"),  # 2026's New Year make-up Sunday
    ],
)
def test_add_workdays(start, days, expected):
    calendar = WorkdayCalendar()
    assert calendar.add_workdays(D(start), days) == D(expected)
    assert calendar.guessed == set()


def test_holidays_and_make_up_days():
    calendar = WorkdayCalendar()
    assert not calendar.is_workday(D("2025-10-01"))
    assert not calendar.is_workday(D("2025-10-08"))
    assert calendar.is_workday(D("2025-10-11"))  # Saturday
    assert calendar.is_workday(D("2025-09-28"))  # Sunday
    assert not calendar.is_workday(D("2025-09-27"))  # an ordinary Saturday


def test_overrides_win_over_the_holiday_data():
    moved = WorkdayCalendar(overrides={D("2025-10-11"): False})
    assert moved.add_workdays(D("2025-09-30"), 3) == D("2025-10-13")
    extra = WorkdayCalendar(overrides={D("2025-10-01"): True})
    assert extra.add_workdays(D("2025-09-30"), 1) == D("2025-10-01")
    assert extra.add_workdays(D("2025-10-01"), 0) == D("2025-10-01")
    assert WorkdayCalendar(overrides={D("2025-06-09"): False}).add_workdays(D("2025-06-06"), 1) == D("2025-06-10")


def test_years_the_package_does_not_know_are_guessed_monday_to_friday():
    first, last = known_years()
    assert first <= 2025 <= last < 2030
    calendar = WorkdayCalendar()
    assert calendar.is_workday(D("2030-01-01"))  # a Tuesday: guessed a working day (really New Year's Day)
    assert calendar.guessed == {D("2030-01-01")}
    assert calendar.add_workdays(D("2030-01-04"), 1) == D("2030-01-07")  # Friday + 1 → Monday
    assert {D("2030-01-05"), D("2030-01-06"), D("2030-01-07")} <= calendar.guessed
    assert not calendar.is_workday(D("2030-01-05"))
    assert calendar.add_workdays(D("2030-01-07"), -1) == D("2030-01-04")
    assert all(d.year == 2030 for d in calendar.guessed)
    # Known years are never recorded as guesses, and each calendar keeps its own record.
    calendar.is_workday(D("2025-10-01"))
    assert all(d.year == 2030 for d in calendar.guessed)
    assert WorkdayCalendar().guessed == set()


def test_an_override_in_an_unknown_year_is_not_a_guess():
    calendar = WorkdayCalendar(overrides={D("2030-01-01"): False, D("2030-01-05"): True})
    assert not calendar.is_workday(D("2030-01-01"))
    assert calendar.is_workday(D("2030-01-05"))
    assert calendar.guessed == set()
    assert calendar.add_workdays(D("2030-01-04"), 1) == D("2030-01-05")


def test_workdays_between():
    calendar = WorkdayCalendar()
    assert calendar.workdays_between(D("2025-09-30"), D("2025-10-11")) == 3
    assert calendar.workdays_between(D("2025-10-11"), D("2025-09-30")) == -3
    assert calendar.workdays_between(D("2025-06-02"), D("2025-06-02")) == 0
    assert calendar.workdays_between(D("2025-06-06"), D("2025-06-09")) == 1
    for days in (-7, -1, 1, 5, 20):
        start = D("2025-09-30")
        assert calendar.workdays_between(start, calendar.add_workdays(start, days)) == days


@pytest.mark.django_db
def test_the_database_calendar_loads_overrides_and_warns_about_guesses():
    from campaignflow.core.models import WorkdayOverride
    from campaignflow.core.workdays import china_calendar, unknown_year_warning

    WorkdayOverride.objects.create(date=D("2030-01-01"), is_workday=False, note="元旦")
    WorkdayOverride.objects.create(date=D("2035-01-01"), is_workday=True)
    calendar = china_calendar(around=(D("2030-01-01"), D("2030-01-31")))
    assert calendar.overrides == {D("2030-01-01"): False}  # only overrides near the campaign are loaded
    assert unknown_year_warning(calendar) is None
    assert calendar.add_workdays(D("2029-12-31"), 1) == D("2030-01-02")
    warning = unknown_year_warning(calendar)
    assert warning is not None and "2030" in warning and "2029" not in warning  # 12-31 itself is not counted
    known = china_calendar(around=(D("2025-09-01"), D("2025-09-30")))
    known.add_workdays(D("2025-09-30"), 3)
    assert unknown_year_warning(known) is None
