"""An action's page: its details, progress history, evidence and barriers, with the forms
for what the viewer may do (report progress, complete, reopen, assure its impact, add or
remove evidence, raise, answer or close a barrier). Every change is POST-only; a refused
form is shown again on the page with its message and what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from actions import access
from actions.forms.plans import (
    BarrierCloseForm,
    BarrierForm,
    BarrierResponseForm,
    CompleteForm,
    EvidenceForm,
    ImpactForm,
    ProgressForm,
    ReopenForm,
)
from actions.models import ActionStatus
from actions.services import barriers as barrier_services
from actions.services import evidence as evidence_services
from actions.services import progress
from actions.views.plan_common import STATUS_TAGS, attempt, page
from cspr import access as case_access
from cspr import selectors, uploads
from cspr.errors import TransitionNotAllowed
from cspr.working_days import load_calendar

FORMS = {
    "progress": ProgressForm,
    "complete": CompleteForm,
    "reopen": ReopenForm,
    "impact": ImpactForm,
    "evidence": EvidenceForm,
    "barrier": BarrierForm,
}


def _offered(action, allowed):
    """Which of the action's forms the person is offered now."""
    settled = action.status == ActionStatus.IMPACT_ASSURED
    is_open, complete = action.is_open, action.status == ActionStatus.COMPLETE
    return {
        "progress": access.UPDATE in allowed and is_open,
        "complete": access.UPDATE in allowed and is_open,
        "reopen": access.MAINTAIN in allowed and complete,
        "impact": access.ASSURE in allowed and complete,
        "evidence": access.UPDATE in allowed and not settled,
        "barrier": access.UPDATE in allowed and is_open,
    }


def _action_page(request, action, *, refused=None, respond=None, close=None):
    """The action's page. `refused` is (form name, bound form) for a refused form, shown
    again whatever has changed meanwhile; `respond` and `close` are (barrier id, form)."""
    allowed = action.permissions
    case, today = action.plan.case, timezone.localdate()
    status = action.status_on(today)
    offered = _offered(action, allowed)
    forms = {name: FORMS[name](prefix=name) for name, shown in offered.items() if shown}
    if refused is not None:
        forms[refused[0]] = refused[1]
    barriers = list(
        action.barriers.select_related("raised_by", "responded_by", "closed_by").order_by(
            "raised_at", "id"
        )
    )
    respond_forms, close_forms = {}, {}
    for barrier in barriers:
        if barrier.is_open and access.RESPOND in allowed and barrier.responded_at is None:
            respond_forms[barrier.pk] = BarrierResponseForm(prefix=f"respond-{barrier.pk}")
        if barrier.is_open and access.MAINTAIN in allowed:
            close_forms[barrier.pk] = BarrierCloseForm(prefix=f"close-{barrier.pk}")
    if respond is not None:
        respond_forms[respond[0]] = respond[1]
    if close is not None:
        close_forms[close[0]] = close[1]
    settled = action.status == ActionStatus.IMPACT_ASSURED
    evidence = list(action.evidence.select_related("added_by", "removed_by"))
    removable = {
        item.pk
        for item in evidence
        if item.removed_at is None
        and not settled
        and (
            access.MAINTAIN in allowed
            or (access.UPDATE in allowed and item.added_by_id == request.user.pk)
        )
    }
    due = None
    if action.deadline_id and action.is_open:
        due = selectors.due_text(action.deadline, today=today, calendar=load_calendar())
    return page(
        request,
        "actions/plans/action_detail.html",
        {
            "case": case,
            "plan": action.plan,
            "action": action,
            "status": status,
            "tag": STATUS_TAGS[status.value],
            "due": due,
            "themes": list(action.themes.order_by("name")),
            "updates": list(action.updates.select_related("by")),
            "evidence": evidence,
            "removable": removable,
            "barriers": barriers,
            "respond_forms": respond_forms,
            "close_forms": close_forms,
            "may_edit": access.MAINTAIN in allowed and not settled,
            "sees_case": case_access.can(request.user, case_access.VIEW, case),
            **{f"{name}_form": form for name, form in forms.items()},
        },
    )


@login_required
@require_GET
def action_detail(request, case_pk, pk):
    return _action_page(request, access.access_action(request.user, case_pk, pk))


def _post(request, case_pk, pk, name, what, call, success):
    """A form of the action's page posted: `call(action, cleaned_data)` on a valid form."""
    action = access.access_action(request.user, case_pk, pk, what)
    form = FORMS[name](request.POST, request.FILES, prefix=name)
    if form.is_valid() and attempt(request, form, lambda: call(action, form.cleaned_data), success):
        return redirect("action-detail", case_pk, pk)
    return _action_page(request, action, refused=(name, form))


@login_required
@require_POST
def action_progress(request, case_pk, pk):
    return _post(
        request,
        case_pk,
        pk,
        "progress",
        access.UPDATE,
        lambda action, data: progress.progress_add(action=action, by=request.user, **data),
        "Progress recorded",
    )


@login_required
@require_POST
def action_complete(request, case_pk, pk):
    return _post(
        request,
        case_pk,
        pk,
        "complete",
        access.UPDATE,
        lambda action, data: progress.action_complete(action=action, by=request.user, **data),
        "Action recorded as complete",
    )


@login_required
@require_POST
def action_reopen(request, case_pk, pk):
    return _post(
        request,
        case_pk,
        pk,
        "reopen",
        access.MAINTAIN,
        lambda action, data: progress.action_reopen(action=action, by=request.user, **data),
        "Action reopened",
    )


@login_required
@require_POST
def action_impact(request, case_pk, pk):
    return _post(
        request,
        case_pk,
        pk,
        "impact",
        access.ASSURE,
        lambda action, data: progress.impact_assure(action=action, by=request.user, **data),
        "Assurance of the action's impact recorded",
    )


@login_required
@require_POST
def evidence_add(request, case_pk, pk):
    return _post(
        request,
        case_pk,
        pk,
        "evidence",
        access.UPDATE,
        lambda action, data: evidence_services.evidence_add(
            action=action,
            description=data["description"],
            upload=data.get("upload"),
            link=data.get("link", ""),
            by=request.user,
        ),
        "Evidence added",
    )


@login_required
@require_GET
def evidence_download(request, case_pk, pk, evidence_pk):
    """An evidence file, as a download (never shown in the browser)."""
    evidence = access.access_evidence(request.user, case_pk, pk, evidence_pk)
    if not evidence.file:
        return redirect("action-detail", case_pk, pk)
    return uploads.attachment_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


@login_required
@require_POST
def evidence_remove(request, case_pk, pk, evidence_pk):
    evidence = access.access_evidence(request.user, case_pk, pk, evidence_pk, access.UPDATE)
    allowed = evidence.action.permissions
    if access.MAINTAIN not in allowed and evidence.added_by_id != request.user.pk:
        raise PermissionDenied("Only the person who added it or the business unit removes it.")
    try:
        evidence_services.evidence_remove(evidence=evidence, by=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Evidence removed: {evidence.description}")
    return redirect("action-detail", case_pk, pk)


@login_required
@require_POST
def barrier_raise(request, case_pk, pk):
    return _post(
        request,
        case_pk,
        pk,
        "barrier",
        access.UPDATE,
        lambda action, data: barrier_services.barrier_raise(action=action, by=request.user, **data),
        "Barrier raised and escalated to the executive",
    )


def _barrier_post(request, case_pk, pk, barrier_pk, what, form_class, prefix, call, success):
    barrier = access.access_barrier(request.user, case_pk, pk, barrier_pk, what)
    action = barrier.action
    form = form_class(request.POST, prefix=f"{prefix}-{barrier.pk}")
    if form.is_valid() and attempt(
        request, form, lambda: call(barrier, form.cleaned_data), success
    ):
        return redirect("action-detail", case_pk, pk)
    return _action_page(request, action, **{prefix: (barrier.pk, form)})


@login_required
@require_POST
def barrier_respond(request, case_pk, pk, barrier_pk):
    return _barrier_post(
        request,
        case_pk,
        pk,
        barrier_pk,
        access.RESPOND,
        BarrierResponseForm,
        "respond",
        lambda barrier, data: barrier_services.barrier_respond(
            barrier=barrier, by=request.user, **data
        ),
        "Response recorded",
    )


@login_required
@require_POST
def barrier_close(request, case_pk, pk, barrier_pk):
    return _barrier_post(
        request,
        case_pk,
        pk,
        barrier_pk,
        access.MAINTAIN,
        BarrierCloseForm,
        "close",
        lambda barrier, data: barrier_services.barrier_close(
            barrier=barrier, by=request.user, **data
        ),
        "Barrier closed",
    )
