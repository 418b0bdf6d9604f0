"""Learning events (R11): the partnership's events, about twice a year, where the
learning of its reviews is shared.

The partnership-wide roles (business unit, sub-group, executives) see the events; only
the business unit records and changes them. Agency contributors, reviewers and
administrators see none; nobody sees another partnership's.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from actions.models import LearningEvent, LearningEventCase
from actions.services.themes import financial_year, financial_year_end, financial_year_label
from cspr import access
from cspr.concurrency import check_version, saved_values, version_of
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, EventKind, Role
from cspr.services.audit import record_event, stamp

EVENT_FIELDS = ["title", "held_on", "audience", "notes", "attendance"]
# The statutory guidance's expectation, as the partnership's protocol puts it.
EVENTS_A_YEAR = 2


def may_see_events(user) -> bool:
    return access.is_member(user) and user.has_role(*access.PARTNERSHIP_WIDE)


def may_record_events(user) -> bool:
    return access.is_member(user) and user.has_role(Role.BUSINESS_UNIT)


def events_visible_to(user):
    """The learning events of the user's partnership, newest first, for the roles that
    see them; none for anyone else."""
    if not may_see_events(user):
        return LearningEvent.objects.none()
    return LearningEvent.objects.filter(partnership_id=user.partnership_id).prefetch_related(
        "cases"
    )


def access_events(user, action=access.VIEW):
    """Refuse (403) whoever may not see, or (action CHANGE) record, learning events."""
    if not may_see_events(user):
        raise PermissionDenied("Learning events are for the partnership's own people.")
    if action == access.CHANGE and not may_record_events(user):
        raise PermissionDenied("Only the business unit records learning events.")


def access_event(user, pk, action=access.VIEW):
    """One event: 403 for those who see no events (or may not do `action`), 404 for an
    event of another partnership or none."""
    access_events(user, action)
    event = LearningEvent.objects.filter(pk=pk, partnership_id=user.partnership_id).first()
    if event is None:
        raise Http404("No such learning event.")
    return event


def cases_to_share(partnership):
    """The cases whose learning an event of the partnership may share: its own only."""
    return Case.objects.filter(partnership=partnership).order_by("pseudonym")


def event_version(event):
    """The version of the event (with the cases it shared) an edit page carries."""
    values = saved_values(event, exclude=("id", "updated_at"))
    values["cases"] = sorted(event.shared.values_list("case_id", flat=True))
    return version_of(values)


def _guard(event_partnership, cases, data, by):
    if not may_record_events(by) or by.partnership_id != event_partnership.pk:
        raise TransitionNotAllowed("Only the business unit records learning events.")
    foreign = [case for case in cases if case.partnership_id != event_partnership.pk]
    if foreign:
        raise Incomplete({"cases": "Choose only your partnership's cases"})
    problems = {}
    for name, message in [
        ("title", "Enter the event's title"),
        ("audience", "Say who the event is for"),
    ]:
        if not (data.get(name) or "").strip():
            problems[name] = message
    if data.get("held_on") is None:
        problems["held_on"] = "Enter the date of the event"
    elif data.get("attendance") is not None and data["held_on"] > timezone.localdate():
        problems["attendance"] = "Attendance can be recorded once the event has been held"
    if problems:
        raise Incomplete(problems)


def _share(event, cases, by):
    """Link the event to exactly `cases`: a timeline row on each case newly linked."""
    linked = {row.case_id: row for row in event.shared.select_for_update()}
    wanted = {case.pk: case for case in cases}
    for case_id, row in linked.items():
        if case_id not in wanted:
            stamp(row, by=by, reason="No longer linked")
            row.delete()
    for case_id, case in wanted.items():
        if case_id in linked:
            continue
        stamp(LearningEventCase(event=event, case=case), by=by, reason="Linked").save()
        record_event(
            case=case,
            kind=EventKind.LEARNING_SHARED,
            by=by,
            summary=f"Learning shared at {event.title} ({event.held_on:%-d %B %Y})",
            note=f"Audience: {event.audience}",
        )


def learning_event_record(*, partnership, data, cases, by):
    """Record a learning event of the business unit's own partnership, with the cases
    whose learning it shared (each gets a timeline row). `data` holds EVENT_FIELDS.
    Refuses a case of another partnership, and attendance for an event not yet held."""
    cases = list(cases)
    with transaction.atomic():
        _guard(partnership, cases, data, by)
        event = LearningEvent(partnership=partnership, created_by=by)
        for name in EVENT_FIELDS:
            setattr(event, name, _clean(name, data.get(name)))
        stamp(event, by=by, reason="Recorded").save()
        _share(event, cases, by)
    return event


def learning_event_update(*, event, data, cases, by, version=None):
    """Change a learning event (attendance, once it has been held) and the cases it
    shared: a timeline row on each case newly linked. Business unit of its partnership.
    Refuses (`EditConflict`) when it changed after `version` was read."""
    cases = list(cases)
    with transaction.atomic():
        event = LearningEvent.objects.select_for_update().get(pk=event.pk)
        _guard(event.partnership, cases, data, by)
        check_version(
            version,
            current=event_version(event),
            what="the learning event",
            by=by,
            histories=[
                event.history.all(),
                LearningEventCase.history.filter(event_id=event.pk),
            ],
        )
        for name in EVENT_FIELDS:
            setattr(event, name, _clean(name, data.get(name)))
        stamp(event, by=by, reason="Changed").save()
        _share(event, cases, by)
    return event


def _clean(name, value):
    if name in ("held_on", "attendance"):
        return value
    return (value or "").strip()


def events_held_by_year(partnership, *, today):
    """[(label, held, planned)] for this financial year and the one before: how many of
    the partnership's events were held by `today`, and (this year) how many are planned."""
    this_year = financial_year(today)
    last_year = this_year.replace(year=this_year.year - 1)
    found = []
    for start in (this_year, last_year):
        events = LearningEvent.objects.filter(
            partnership=partnership, held_on__gte=start, held_on__lte=financial_year_end(start)
        )
        held = events.filter(held_on__lte=today).count()
        planned = events.filter(held_on__gt=today).count()
        found.append((financial_year_label(start), held, planned))
    return found
