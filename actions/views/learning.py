"""Themes on a case, the equality analysis, and learning events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions.forms.learning import CaseThemesForm, LearningEventForm, PeriodForm
from actions.models import CaseTheme
from actions.services import learning, themes
from cspr import access
from cspr.csv_export import csv_response
from cspr.errors import TransitionNotAllowed
from cspr.views.common import show_refusal


def _posted(request):
    """The posted data, even when empty (unticking every box posts nothing), or None."""
    return request.POST if request.method == "POST" else None


# ------------------------------------------------------------------------- themes on a case


@login_required
@require_http_methods(["GET", "POST"])
def case_themes(request, case_pk):
    """The themes applied to a case, with who applied them; the business unit and the
    sub-group tick the themes to apply and untick those to remove."""
    case = themes.access_case_themes(request.user, case_pk)
    may_apply = themes.APPLY_THEMES in case.permissions
    if request.method == "POST" and not may_apply:
        raise PermissionDenied("Only the business unit and the sub-group apply themes.")
    applied = CaseTheme.objects.filter(case=case).select_related("theme", "added_by")
    form = None
    if may_apply:
        initial = {"themes": [row.theme_id for row in applied if row.theme.is_active]}
        form = CaseThemesForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = themes.case_themes_set(
                case=case, themes=form.cleaned_data["themes"], by=request.user
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Themes saved" if added or removed else "No change")
            return redirect("case-themes", case_pk=case.pk)
    return render(
        request,
        "actions/learning/case_themes.html",
        {"case": case, "applied": applied, "form": form},
    )


# ------------------------------------------------------------------- the equality analysis


def _period(request, today):
    """(form, start, end, label) of the period asked for: a financial year (this one
    unless another is chosen) or all time."""
    this_year = themes.financial_year(today)
    starts = [this_year.replace(year=this_year.year - back) for back in range(6)]
    years = [(str(start.year), themes.financial_year_label(start)) for start in starts]
    form = PeriodForm(request.GET or None, years=years)
    chosen = form.cleaned_data.get("period") if form.is_valid() else ""
    if chosen == PeriodForm.ALL:
        return form, None, None, "all time"
    start = this_year
    if chosen:
        start = this_year.replace(year=int(chosen))
    else:  # nothing chosen, or not a year on offer: this year
        form = PeriodForm(initial={"period": str(this_year.year)}, years=years)
    label = f"the financial year {themes.financial_year_label(start)}"
    return form, start, themes.financial_year_end(start), label


def _guard_analysis(user):
    if not themes.may_analyse(user):
        raise PermissionDenied("The equality analysis is for the business unit only.")


@login_required
@require_GET
def equality_analysis(request):
    """Themes by the children's protected characteristics, across the partnership's cases:
    the business unit only."""
    _guard_analysis(request.user)
    form, start, end, label = _period(request, timezone.localdate())
    context = {
        "form": form,
        "period_label": label,
        "breakdowns": themes.equality_analysis(request.user.partnership, start=start, end=end),
        "query": request.GET.urlencode(),
    }
    return render(request, "actions/learning/equality_analysis.html", context)


@login_required
@require_GET
def equality_analysis_csv(request):
    _guard_analysis(request.user)
    _, start, end, label = _period(request, timezone.localdate())
    breakdowns = themes.equality_analysis(request.user.partnership, start=start, end=end)
    suffix = f"{start.year}" if start else "all-time"
    return csv_response(
        f"themes-by-characteristic-{suffix}.csv",
        ["Characteristic", "Group", "Theme", "Number of cases"],
        themes.equality_csv_rows(breakdowns),
    )


# ------------------------------------------------------------------------- learning events


@login_required
@require_GET
def learning_event_list(request):
    """The partnership's learning events, newest first, and how many were held in each of
    the last two financial years against the twice a year the protocol asks for."""
    learning.access_events(request.user)
    today = timezone.localdate()
    context = {
        "events": learning.events_visible_to(request.user),
        "by_year": learning.events_held_by_year(request.user.partnership, today=today),
        "a_year": learning.EVENTS_A_YEAR,
        "today": today,
        "may_record": learning.may_record_events(request.user),
        "may_analyse": themes.may_analyse(request.user),
    }
    return render(request, "actions/learning/event_list.html", context)


@login_required
@require_GET
def learning_event_list_csv(request):
    learning.access_events(request.user)
    rows = (
        (
            event.title,
            event.held_on,
            event.audience,
            event.attendance,
            "; ".join(case.pseudonym for case in event.cases.all()),
            event.notes,
        )
        for event in learning.events_visible_to(request.user)
    )
    return csv_response(
        "learning-events.csv",
        [
            "Title",
            "Date",
            "Who it is for",
            "Attendance",
            "Cases whose learning was shared",
            "Notes",
        ],
        rows,
    )


def _save(request, form, call, success):
    """Call the service for a valid form: redirect to the list, or show its refusal."""
    if not form.is_valid():
        return None
    try:
        call(form.cleaned_data)
    except TransitionNotAllowed as error:
        show_refusal(form, error)
        return None
    messages.success(request, success)
    return redirect("learning-event-list")


@login_required
@require_http_methods(["GET", "POST"])
def learning_event_new(request):
    """The business unit records a learning event."""
    learning.access_events(request.user, access.CHANGE)
    cases = learning.cases_to_share(request.user.partnership)
    form = LearningEventForm(_posted(request), cases=cases)
    if request.method == "POST":
        response = _save(
            request,
            form,
            lambda data: learning.learning_event_record(
                partnership=request.user.partnership,
                data=data,
                cases=data["cases"],
                by=request.user,
            ),
            "Learning event recorded",
        )
        if response:
            return response
    return render(request, "actions/learning/event_edit.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def learning_event_edit(request, pk):
    """The business unit changes a learning event: its attendance once held, the cases
    whose learning it shared."""
    event = learning.access_event(request.user, pk, access.CHANGE)
    cases = learning.cases_to_share(request.user.partnership)
    initial = {name: getattr(event, name) for name in learning.EVENT_FIELDS}
    initial["cases"] = list(event.shared.values_list("case_id", flat=True))
    initial["version"] = learning.event_version(event)
    form = LearningEventForm(_posted(request), cases=cases, initial=initial)
    if request.method == "POST":
        response = _save(
            request,
            form,
            lambda data: learning.learning_event_update(
                event=event,
                data=data,
                cases=data["cases"],
                by=request.user,
                version=data["version"],
            ),
            "Learning event saved",
        )
        if response:
            return response
    return render(request, "actions/learning/event_edit.html", {"form": form, "event": event})
