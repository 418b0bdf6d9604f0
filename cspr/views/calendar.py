from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cspr import access
from cspr.forms import CalendarDayForm, CalendarUndoForm
from cspr.models import CalendarDay
from cspr.services.calendar import calendar_day_remove, calendar_day_set
from cspr.views.common import run_service
from cspr.working_days import _workalendar_holidays, load_calendar


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


def _page(request, *, year, day_form=None, undo_form=None, undo_day=None):
    calendar = load_calendar()
    entries = {entry.day: entry for entry in CalendarDay.objects.filter(day__year=year)}
    candidates = set(entries) | {d for d in _workalendar_holidays(year) if d.weekday() < 5}
    non_working = [
        (day, entries.get(day)) for day in sorted(candidates) if not calendar.is_working_day(day)
    ]
    made_working = [entry for entry in entries.values() if entry.is_working]
    may_administer = access.may_administer(request.user)
    return render(
        request,
        "cspr/calendar.html",
        {
            "year": year,
            "non_working": non_working,
            "made_working": sorted(made_working, key=lambda e: e.day),
            "may_administer": may_administer,
            "day_form": day_form or (CalendarDayForm() if may_administer else None),
            "undo_form": undo_form,
            "undo_day": undo_day,
            "years": range(timezone.localdate().year - 1, timezone.localdate().year + 3),
        },
    )


@login_required
@require_GET
def calendar_view(request):
    """A year's non-working weekdays and where each comes from; administrators change them."""
    return _page(request, year=_year(request))


def _guard(request):
    if not access.may_administer(request.user):
        raise PermissionDenied("Only an administrator can change the calendar.")


def _moved_message(moved, what):
    count = len(moved)
    return f"{what}. {count} open deadline{'s' if count != 1 else ''} moved."


@login_required
@require_POST
def calendar_day_set_view(request):
    """Add a non-working day or make a holiday a working day (administrator)."""
    _guard(request)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        response = run_service(
            request,
            form,
            lambda: calendar_day_set(
                day=data["day"],
                is_working=data["is_working"],
                title=data["title"],
                reason=data["reason"],
                by=request.user,
            ),
            success=lambda moved: _moved_message(moved, "The calendar was changed"),
            redirect_to=f"{reverse('calendar')}?year={data['day'].year}",
        )
        if response:
            return response
    year = form.cleaned_data["day"].year if form.is_valid() else _year(request)
    return _page(request, year=year, day_form=form)


@login_required
@require_POST
def calendar_day_undo_view(request, day):
    """Undo an administrator's change to a day (administrator)."""
    _guard(request)
    form = CalendarUndoForm(request.POST, auto_id=f"undo-%s-{day.isoformat()}")
    if form.is_valid():
        response = run_service(
            request,
            form,
            lambda: calendar_day_remove(
                day=day, reason=form.cleaned_data["reason"], by=request.user
            ),
            success=lambda moved: _moved_message(moved, "The change was undone"),
            redirect_to=f"{reverse('calendar')}?year={day.year}",
        )
        if response:
            return response
    return _page(request, year=day.year, undo_form=form, undo_day=day)
