"""The England and Wales calendar against the official list, and working-day arithmetic."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cspr.models import CalendarDay
from cspr.working_days import (
    WorkingDayCalendar,
    _workalendar_holidays,
    add_working_days,
    is_working_day,
    load_calendar,
    read_official_list,
    subtract_working_days,
    working_days_between,
)

D = datetime.date

# The official England and Wales bank holidays (GOV.UK), typed out independently of
# the shipped JSON so that a wrong file is caught too.
OFFICIAL = {
    2020: "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28",
    2021: "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28",
    2022: "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
    2023: "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    2024: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    2025: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2026: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    2027: "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
    2028: "01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
}


def official(year):
    return {D.fromisoformat(f"{year}-{md}") for md in OFFICIAL[year].split()}


def weekdays(year):
    day = D(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_non_working_weekdays_are_exactly_the_official_bank_holidays(year):
    calendar = load_calendar()
    non_working = {day for day in weekdays(year) if not calendar.is_working_day(day)}
    assert non_working == official(year)


def test_workalendar_alone_misses_the_coronation_which_is_why_the_list_is_checked():
    # If this starts failing, workalendar has caught up; the check above still guards.
    assert D(2023, 5, 8) not in _workalendar_holidays(2023)
    assert WorkingDayCalendar().is_working_day(D(2023, 5, 8))


@pytest.mark.django_db
def test_the_shipped_file_matches_the_official_list():
    from cspr.working_days import SHIPPED_LIST

    shipped = read_official_list(SHIPPED_LIST.read_text(encoding="utf-8"))
    assert set(shipped) == set().union(*(official(year) for year in OFFICIAL))


@pytest.mark.django_db
def test_add_working_days_skips_weekends_and_the_day_itself():
    # Friday 20 Nov 2026 + 1 working day is Monday 23 Nov.
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)
    assert add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)
    assert add_working_days(D(2026, 11, 21), 1) == D(2026, 11, 23)  # from a Saturday


@pytest.mark.django_db
def test_add_working_days_skips_christmas_and_the_boxing_day_substitute():
    # 24 Dec 2026 is a Thursday; 25 (Fri) and 28 (Mon, substitute) are holidays.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    # 29, 30, 31 Dec, then 1 Jan 2027 is a holiday: 4 and 5 Jan.
    assert add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 5)


@pytest.mark.django_db
def test_a_one_off_holiday_in_the_official_list_is_skipped():
    # Friday 5 May 2023 + 1 skips the weekend and the Coronation Monday.
    assert add_working_days(D(2023, 5, 5), 1) == D(2023, 5, 9)
    assert not is_working_day(D(2022, 9, 19))  # the State Funeral


@pytest.mark.django_db
def test_subtract_working_days_counts_back_over_easter():
    assert subtract_working_days(D(2026, 4, 14), 7) == D(2026, 4, 1)  # over 3 and 6 April
    assert subtract_working_days(D(2026, 11, 23), 1) == D(2026, 11, 20)


@pytest.mark.django_db
def test_n_zero_is_the_day_itself_and_negative_counts_the_other_way():
    assert add_working_days(D(2026, 11, 24), 0) == D(2026, 11, 24)
    assert add_working_days(D(2026, 11, 24), -1) == D(2026, 11, 23)


@pytest.mark.django_db
def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1


@pytest.mark.django_db
def test_an_administrator_day_changes_the_arithmetic():
    CalendarDay.objects.create(
        day=D(2026, 11, 25), is_working=False, title="One-off holiday", source="administrator"
    )
    assert add_working_days(D(2026, 11, 24), 1) == D(2026, 11, 26)


@pytest.mark.django_db
def test_a_removed_holiday_becomes_a_working_day():
    CalendarDay.objects.update_or_create(
        day=D(2026, 12, 28),
        defaults={"is_working": True, "title": "Moved", "source": "administrator"},
    )
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 28)


def test_weekends_are_never_working_days_whatever_the_rows_say():
    saturday = D(2026, 11, 28)
    assert not WorkingDayCalendar(working=frozenset({saturday})).is_working_day(saturday)


def test_years_beyond_the_official_list_fall_back_to_workalendar():
    calendar = WorkingDayCalendar()
    assert not calendar.is_working_day(D(2030, 12, 25))
    assert not calendar.is_working_day(D(2030, 4, 19))  # Good Friday 2030


def test_read_official_list_refuses_a_file_without_england_and_wales():
    with pytest.raises(ValueError, match="england-and-wales"):
        read_official_list('{"scotland": {"events": []}}')
    with pytest.raises(ValueError):
        read_official_list("not json")


def _count_day_by_day(calendar, start, end):
    """The definition, one day at a time: working days after start up to and including end."""
    step, count = (1, 0) if end >= start else (-1, 0)
    first, last = (start, end) if end >= start else (end, start)
    day = first
    while day < last:
        day += datetime.timedelta(days=1)
        count += calendar.is_working_day(day)
    return step * count


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(datetime.date(2019, 1, 1), datetime.date(2031, 12, 31)),
    span=st.integers(-900, 900),
    closed=st.sets(st.dates(datetime.date(2019, 1, 1), datetime.date(2031, 12, 31)), max_size=8),
    opened=st.sets(st.dates(datetime.date(2019, 1, 1), datetime.date(2031, 12, 31)), max_size=8),
)
def test_working_days_between_agrees_with_counting_each_day(start, span, closed, opened):
    """The quick count (by whole weeks, less the closed weekdays) gives what counting one
    day at a time gives, over bank holidays, administrator days and weekends, either way."""
    calendar = WorkingDayCalendar(non_working=frozenset(closed), working=frozenset(opened - closed))
    end = start + datetime.timedelta(days=span)
    assert calendar.working_days_between(start, end) == _count_day_by_day(calendar, start, end)
