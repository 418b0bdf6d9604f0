"""Fixtures for the local review tests: uploads kept in a folder of the test's own, and a
fixed "today" for the tests that ask for one."""

from tests.support.clock import LONDON, TODAY, media, today, travel  # noqa: F401


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
