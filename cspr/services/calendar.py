"""Writes to the working-day calendar. Every change recomputes the open deadlines."""

from django.db import transaction

from cspr import access
from cspr.errors import TransitionNotAllowed
from cspr.models import CalendarDay, CalendarSource
from cspr.services.audit import stamp
from cspr.services.deadlines import deadlines_recompute
from cspr.working_days import official_adjustments


def _guard_admin(by):
    if not access.may_administer(by):
        raise TransitionNotAllowed("Only an administrator can change the calendar.")


def calendar_day_set(*, day, is_working, title, reason, by):
    """Make a weekday a non-working day (a one-off holiday) or a working day (a bank
    holiday that was moved). Administrator only; recomputes open deadlines.

    Returns the deadlines that moved.
    """
    _guard_admin(by)
    if day.weekday() >= 5:
        raise TransitionNotAllowed("Saturdays and Sundays are never working days.")
    if not reason.strip():
        raise TransitionNotAllowed("Say why the day is changing, for the record.")
    if not title.strip():
        raise TransitionNotAllowed("Give the day a name, such as the holiday's.")
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().filter(day=day).first()
        if entry is None:
            entry = CalendarDay(day=day)
        elif entry.source == CalendarSource.OFFICIAL:
            entry.official_is_working, entry.official_title = entry.is_working, entry.title
        entry.is_working, entry.title, entry.reason = is_working, title.strip(), reason.strip()
        entry.source, entry.changed_by = CalendarSource.ADMINISTRATOR, by
        stamp(entry, by=by, reason="Changed by an administrator").save()
        state = "a working day" if is_working else "a non-working day"
        return deadlines_recompute(
            by=by, reason=f"{day:%-d %B %Y} made {state} ({title.strip()}): {reason.strip()}"
        )


def calendar_day_remove(*, day, reason, by):
    """Undo an administrator's change to a day, so the official list or workalendar
    decides again. Administrator only; recomputes open deadlines."""
    _guard_admin(by)
    if not reason.strip():
        raise TransitionNotAllowed("Say why the change is being undone, for the record.")
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().filter(day=day).first()
        if entry is None or entry.source != CalendarSource.ADMINISTRATOR:
            raise TransitionNotAllowed("Only a day changed by an administrator can be undone.")
        stamp(entry, by=by, reason="Undone by an administrator")
        if entry.official_is_working is None:
            entry.delete()
        else:  # the official list spoke of this day: it decides again
            entry.is_working, entry.title = entry.official_is_working, entry.official_title
            entry.source, entry.reason, entry.changed_by = CalendarSource.OFFICIAL, "", by
            entry.save()
        return deadlines_recompute(
            by=by, reason=f"the change to {day:%-d %B %Y} was undone: {reason.strip()}"
        )


def calendar_import_official(*, holidays, by=None):
    """Make the official list authoritative for the years it covers.

    For each covered year: every listed day is a non-working day; a day workalendar
    calls a holiday that the list does not is a working day. Administrator rows are
    left alone (reported as kept). Recomputes open deadlines. Returns a summary dict.
    """
    if by is not None:
        _guard_admin(by)
    if not holidays:
        raise TransitionNotAllowed("The file lists no England and Wales bank holidays.")
    years = {day.year for day in holidays}
    wanted = official_adjustments(holidays)
    summary = {"years": sorted(years), "added": 0, "updated": 0, "removed": 0, "kept": []}
    with transaction.atomic():
        existing = {
            entry.day: entry
            for entry in CalendarDay.objects.select_for_update().filter(day__year__in=years)
        }
        for day, (is_working, title) in sorted(wanted.items()):
            entry = existing.pop(day, None)
            if entry is not None and entry.source == CalendarSource.ADMINISTRATOR:
                # The administrator's day stands; remember what the list says of it.
                entry.official_is_working, entry.official_title = is_working, title
                stamp(entry, by=by, reason="Official list imported").save()
                summary["kept"].append(day)
                continue
            if entry is not None and (
                entry.is_working,
                entry.title,
                entry.official_is_working,
            ) == (is_working, title, is_working):
                continue
            summary["updated" if entry else "added"] += 1
            entry = entry or CalendarDay(day=day)
            entry.is_working, entry.title = is_working, title
            entry.official_is_working, entry.official_title = is_working, title
            entry.source, entry.changed_by, entry.reason = CalendarSource.OFFICIAL, by, ""
            stamp(entry, by=by, reason="Official list imported").save()
        for entry in existing.values():
            if entry.source == CalendarSource.OFFICIAL:
                stamp(entry, by=by, reason="No longer in the official list")
                entry.delete()
                summary["removed"] += 1
        changed = summary["added"] or summary["updated"] or summary["removed"]
        summary["moved"] = (
            deadlines_recompute(by=by, reason="the official bank holiday list was imported")
            if changed
            else []
        )
    return summary
