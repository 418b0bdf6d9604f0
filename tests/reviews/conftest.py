"""Fixtures for the local review tests: uploads kept in a folder of the test's own, and a
fixed "today" for the tests that ask for one."""

import datetime
import zoneinfo

import pytest
import time_machine

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Friday 4 December 2026, a working day after the builders' rapid review (November 2026).
TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and letters go under the test's own MEDIA_ROOT, so a test can see what is
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


def stored_files(root):
    """Every file under MEDIA_ROOT."""
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def refused(*allowed):
    """Every persona but `allowed`: those a service must turn away."""
    from tests.conftest import PERSONAS

    return [persona for persona in PERSONAS if persona not in allowed]


def events(case, kind):
    """The case's timeline rows of one kind, oldest first."""
    from cspr.models import CaseEvent

    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("id"))


def last_event(case, kind):
    found = events(case, kind)
    return found[-1] if found else None


def changed_by(obj):
    """Who django-simple-history says made the row's latest change."""
    return obj.history.first().history_user
