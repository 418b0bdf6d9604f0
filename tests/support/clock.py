"""A fixed "today" for the stage tests that ask for one, and a way to move it on.

Friday 4 December 2026, mid-morning in London: a working day after the builders' rapid
review (November 2026). Uploads go under the test's own MEDIA_ROOT (`media`: a conftest
that imports it has it for every test of its folder), so a test can see what is stored
and nothing is left behind."""

import datetime
import zoneinfo

import pytest
import time_machine

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 12, 4)


def travel(day):
    """Move "today" to `day` (mid-morning in London), for a `with` block."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON), tick=True
    )


@pytest.fixture
def today():
    """Pin the clock to TODAY for the whole test; `travel(day)` moves it on from inside."""
    with travel(TODAY):
        yield TODAY


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
