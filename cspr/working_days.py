"""Working days in England and Wales (DOMAIN.md R13).

A working day is Monday to Friday and not a bank holiday in England and Wales.
The calendar is workalendar's United Kingdom calendar, corrected by `CalendarDay`
rows: the official GOV.UK list (imported with `manage.py import_bank_holidays`, and
shipped for 2020-2028 in `cspr/data/`) and days an administrator adds or removes.

`add_working_days(start, n)` is the n-th working day after `start`;
`subtract_working_days(end, n)` the n-th working day before `end`. The day itself
never counts. Each loads the calendar from the database unless given one; code
that computes many dates builds one `WorkingDayCalendar` and passes it.
"""

import datetime
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from workalendar.europe import UnitedKingdom

DIVISION = "england-and-wales"


@cache
def _workalendar():
    return UnitedKingdom()


@cache
def _workalendar_holidays(year: int) -> frozenset:
    return frozenset(day for day, _ in _workalendar().holidays(year))


@dataclass(frozen=True)
class WorkingDayCalendar:
    """A pure calendar: workalendar's holidays, corrected by two sets of days."""

    non_working: frozenset = field(default_factory=frozenset)
    working: frozenset = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5:
            return False
        if day in self.non_working:
            return False
        if day in self.working:
            return True
        return day not in _workalendar_holidays(day.year)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (n >= 0; n = 0 gives `start`)."""
        if n < 0:
            return self.subtract_working_days(start, -n)
        day = start
        while n:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def subtract_working_days(self, end: datetime.date, n: int) -> datetime.date:
        """The n-th working day before `end` (n >= 0; n = 0 gives `end`)."""
        if n < 0:
            return self.add_working_days(end, -n)
        day = end
        while n:
            day -= datetime.timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days after `start` up to and including `end`.

        Negative when `end` is before `start`: `working_days_between(due, today)` is
        how many working days a deadline is overdue by.
        """
        if end < start:
            return -self.working_days_between(end, start)
        # Weekdays first, by whole weeks (lists of deadlines a year or two overdue ask
        # this hundreds of times a page), then less each weekday in between that is not
        # a working day: a bank holiday or a day the administrator closed.
        weeks, extra = divmod((end - start).days, 7)
        count = weeks * 5
        day = start
        for _ in range(extra):
            day += datetime.timedelta(days=1)
            count += day.weekday() < 5
        closed = {d for d in self.non_working if start < d <= end}
        for year in range(start.year, end.year + 1):
            closed |= {d for d in _workalendar_holidays(year) if start < d <= end}
        return count - sum(1 for d in closed if d.weekday() < 5 and not self.is_working_day(d))


# England and Wales have eight bank holidays a year; a year with fewer in a file is taken
# as partly listed, so only its listed days are added.
FULL_YEAR_EVENTS = 8


def covered_years(holidays) -> set:
    """The years an official list gives in full."""
    counts = {}
    for day in holidays:
        counts[day.year] = counts.get(day.year, 0) + 1
    return {year for year, count in counts.items() if count >= FULL_YEAR_EVENTS}


def official_adjustments(holidays) -> dict:
    """{day: (is_working, title)} that makes an official list ({day: title}) win over
    workalendar for every year the list gives in full; a partly listed year only adds
    its listed days. Weekends are left out."""
    wanted = {day: (False, title) for day, title in holidays.items() if day.weekday() < 5}
    for year in covered_years(holidays):
        for day in _workalendar_holidays(year):
            if day.weekday() < 5 and day not in wanted:
                wanted[day] = (True, "Not a bank holiday in the official list")
    return wanted


def read_official_list(text) -> dict:
    """The England and Wales events of a GOV.UK bank-holidays.json, as {day: title}.

    Raises ValueError when the text is not such a file.
    """
    try:
        events = json.loads(text)[DIVISION]["events"]
        return {datetime.date.fromisoformat(e["date"]): e["title"].strip() for e in events}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(
            f"That is not a GOV.UK bank holidays file with an {DIVISION} list ({error})."
        ) from error


SHIPPED_LIST = Path(__file__).resolve().parent / "data" / "bank-holidays.json"


def load_calendar() -> WorkingDayCalendar:
    """The calendar in force: workalendar corrected by every `CalendarDay` row."""
    from cspr.models import CalendarDay

    non_working, working = set(), set()
    for day, is_working in CalendarDay.objects.values_list("day", "is_working"):
        (working if is_working else non_working).add(day)
    return WorkingDayCalendar(frozenset(non_working), frozenset(working))


def is_working_day(day, *, calendar=None) -> bool:
    return (calendar or load_calendar()).is_working_day(day)


def add_working_days(start, n, *, calendar=None):
    return (calendar or load_calendar()).add_working_days(start, n)


def subtract_working_days(end, n, *, calendar=None):
    return (calendar or load_calendar()).subtract_working_days(end, n)


def working_days_between(start, end, *, calendar=None) -> int:
    return (calendar or load_calendar()).working_days_between(start, end)
