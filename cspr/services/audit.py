"""Helpers every service uses to leave both layers of history."""

from cspr.models import CaseEvent


def stamp(obj, *, by, reason):
    """Attribute the next save of `obj` in django-simple-history to `by`, with a reason."""
    obj._history_user = by
    obj._change_reason = reason[:100]
    return obj


def record_event(*, case, kind, by, summary, note=""):
    """Add a row to the case timeline."""
    return CaseEvent.objects.create(case=case, kind=kind, by=by, summary=summary, note=note)
