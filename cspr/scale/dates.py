"""Working days and moments for the seed: the calendar in force (`load_calendar`), indexed
so that adding working days to a hundred thousand dates stays cheap."""

import bisect
import datetime
import zoneinfo

from django.conf import settings

from cspr.working_days import load_calendar

ONE_DAY = datetime.timedelta(days=1)


class FastCalendar:
    """`add_working_days` and friends of the calendar in force, over a fixed span of
    days; the same answers as `cspr.working_days.WorkingDayCalendar`."""

    def __init__(self, first, last, calendar=None):
        self.calendar = calendar or load_calendar()
        self.days = []
        day = first
        while day <= last:
            if self.calendar.is_working_day(day):
                self.days.append(day)
            day += ONE_DAY

    def is_working_day(self, day):
        return self.calendar.is_working_day(day)

    def add_working_days(self, start, n):
        """The n-th working day after `start` (before it, for a negative n)."""
        if n == 0:
            return start
        if n > 0:
            return self.days[bisect.bisect_right(self.days, start) + n - 1]
        return self.days[bisect.bisect_left(self.days, start) + n]

    def subtract_working_days(self, end, n):
        return self.add_working_days(end, -n)

    def working_day_on_or_after(self, day):
        return self.days[bisect.bisect_left(self.days, day)]

    def working_days_between(self, start, end):
        return self.calendar.working_days_between(start, end)


class Clock:
    """Moments on given days, in the service's time zone, in a deterministic order:
    each `at(day)` is a little after the last one asked for on that day, from 09:00."""

    def __init__(self):
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self._last = {}

    def at(self, day, *, minutes=None, step=7):
        """A moment on `day`: `minutes` after 09:00, or `step` minutes after the previous
        one on that day. Never past 18:59."""
        if minutes is None:
            minutes = self._last.get(day, -step) + step
        minutes = min(minutes, 599)
        self._last[day] = max(self._last.get(day, 0), minutes)
        base = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=self.zone)
        return base + datetime.timedelta(minutes=minutes)

    def sweep(self, day):
        """When the nightly sweep ran on `day` (00:05): it marks missed deadlines."""
        return datetime.datetime(day.year, day.month, day.day, 0, 5, tzinfo=self.zone)
