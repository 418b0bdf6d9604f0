"""Fixtures for the actions, learning and reporting tests: uploads kept in a folder of
the test's own, and a fixed "today" for the tests that ask for one."""

import datetime
import zoneinfo

import pytest
import time_machine

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Friday 4 December 2026, a working day.
TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence files go under the test's own MEDIA_ROOT, so a test can see what is
    stored and nothing is left behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today():
    """Pin the clock to TODAY (mid-morning in London) for the whole test; `travel(day)`
    moves it on from inside the test."""
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON), tick=True):
        yield TODAY


def travel(day):
    """Move "today" to `day` (mid-morning in London), for a `with` block."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON), tick=True
    )
