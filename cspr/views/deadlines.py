from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cspr import access, selectors
from cspr.forms import DoneForm, ExtendForm, PauseForm, ResumeForm, WaiveForm
from cspr.services import deadlines as services
from cspr.views.common import run_service
from cspr.working_days import load_calendar

# action: (form, service call, success message)
ACTIONS = {
    "complete": (
        DoneForm,
        lambda d, data, by: services.deadline_complete(
            deadline=d, on=data["on"], note=data["note"], by=by, version=data["version"]
        ),
        "Recorded as done",
    ),
    "pause": (
        PauseForm,
        lambda d, data, by: services.deadline_pause(
            deadline=d, on=data["on"], reason=data["reason"], by=by, version=data["version"]
        ),
        "Deadline paused",
    ),
    "resume": (
        ResumeForm,
        lambda d, data, by: services.deadline_resume(
            deadline=d, on=data["on"], by=by, version=data["version"]
        ),
        "Deadline resumed",
    ),
    "extend": (
        ExtendForm,
        lambda d, data, by: services.deadline_extend(
            deadline=d,
            due_on=data["due_on"],
            reason=data["reason"],
            by=by,
            version=data["version"],
        ),
        "Deadline extended",
    ),
    "waive": (
        WaiveForm,
        lambda d, data, by: services.deadline_waive(
            deadline=d, reason=data["reason"], by=by, version=data["version"]
        ),
        "Deadline waived",
    ),
}


def _access_deadline(user, case_pk, pk, action):
    case = access.access_case(user, case_pk, access.VIEW)
    if access.VIEW_TIMELINE not in case.permissions:
        raise Http404("No such deadline.")
    deadline = case.deadlines.filter(pk=pk).first()
    if deadline is None:
        raise Http404("No such deadline.")
    if action not in case.permissions:
        raise PermissionDenied("Only the business unit can change deadlines.")
    deadline.case = case
    return deadline


def _page(request, deadline, forms=None):
    today = timezone.localdate()
    forms = forms or {}
    may_change = access.CHANGE in deadline.case.permissions
    initial = {"on": today, "version": services.deadline_version(deadline)}
    context = {
        "case": deadline.case,
        "deadline": deadline,
        "due": selectors.due_text(deadline, today=today, calendar=load_calendar()),
        "history": deadline.history.select_related("history_user").order_by("-history_date")[:50],
        "reminders": selectors.reminders_for_deadline(deadline) if may_change else (),
        "may_change": may_change,
        "forms": {
            name: forms.get(name) or form_class(prefix=name, initial=initial)
            for name, (form_class, _, _) in ACTIONS.items()
        }
        if may_change
        else {},
    }
    return render(request, "cspr/deadline_detail.html", context)


@login_required
@require_GET
def deadline_detail(request, case_pk, pk):
    """Why a deadline is due when it is, what happened to it, and (business unit) what to do."""
    return _page(request, _access_deadline(request.user, case_pk, pk, access.VIEW))


@login_required
@require_POST
def deadline_action(request, case_pk, pk, action):
    """Complete, pause, resume, extend or waive a deadline. Business unit only."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    deadline = _access_deadline(request.user, case_pk, pk, access.CHANGE)
    form_class, call, success = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        response = run_service(
            request,
            form,
            lambda: call(deadline, form.cleaned_data, request.user),
            success=success,
            redirect_to=reverse("deadline-detail", args=[deadline.case_id, deadline.pk]),
        )
        if response:
            return response
    return _page(request, deadline, forms={action: form})
