"""The action plans pages of a case (both plans, their actions with the status worked out
for today, and the immediate actions still to take in), adding and editing actions, and
the partnership-wide pages: every action the person may see, with filters and a CSV, and
the barriers awaiting the executive."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import access
from actions.forms.plans import ActionFilterForm, ActionForm, PlanOpenForm
from actions.models import OPEN_STATUSES, ActionPlan, ActionStatus, PlanSource
from actions.services import plans as services
from actions.services.barriers import barriers_open
from actions.views.plan_common import attempt, page, status_rows
from cspr.csv_export import csv_response
from cspr.errors import TransitionNotAllowed
from cspr.models import Agency, Case, Role

PAGE_SIZE = 25


def _plan_actions(plan, user):
    """The plan's actions the user may see (a contributor: their agency's only)."""
    actions = (
        plan.actions.select_related("agency")
        .annotate(open_barriers=Count("barriers", filter=Q(barriers__closed_at__isnull=True)))
        .order_by("number")
    )
    if not access.is_wide(user):
        actions = actions.filter(agency_id=user.agency_id)
    return actions


@login_required
@require_GET
def action_plans(request, case_pk):
    """The case's action plans: the rapid review's and the local review's, each with its
    actions (status, due date, owner, agency) and, for the partnership, the learning
    meeting's immediate actions not yet taken in."""
    case = access.access_plans(request.user, case_pk)
    today = timezone.localdate()
    plans = {plan.source: plan for plan in ActionPlan.objects.filter(case=case)}
    maintain = access.MAINTAIN in case.permissions
    wide = access.is_wide(request.user)
    sections = []
    for source in PlanSource:
        plan = plans.get(source)
        section = {"source": source, "plan": plan}
        if plan is None:
            if maintain:
                section["why_not"] = services.plan_source_ready(case, source)
        else:
            plan.case = case
            section["rows"] = status_rows(_plan_actions(plan, request.user), today)
            if wide:
                section["waiting"] = list(services.immediate_actions_waiting(plan))
        sections.append(section)
    return page(
        request,
        "actions/plans/plans.html",
        {"case": case, "sections": sections, "maintain": maintain, "wide": wide},
    )


@login_required
@require_POST
def action_plan_open(request, case_pk):
    case = access.access_plans(request.user, case_pk, access.MAINTAIN)
    form = PlanOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose which plan to open.")
        return redirect("action-plans", case.pk)
    try:
        plan = services.action_plan_open(
            case=case, source=form.cleaned_data["source"], by=request.user
        )
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{plan.get_source_display()} action plan opened")
    return redirect("action-plans", case.pk)


def _action_form_page(request, case, plan, form, *, action=None, immediate=None):
    return page(
        request,
        "actions/plans/action_form.html",
        {"case": case, "plan": plan, "form": form, "action": action, "immediate": immediate},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, case_pk, plan_pk):
    """The business unit adds an action to the plan."""
    plan = access.access_plan(request.user, case_pk, plan_pk, access.MAINTAIN)
    case = plan.case
    form = ActionForm(request.POST or None, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        result = attempt(
            request,
            form,
            lambda: services.action_add(plan=plan, data=form.cleaned_data, by=request.user),
            lambda action: f"Action {action.number} added",
        )
        if result is not None:
            return redirect("action-detail", case.pk, result.pk)
    return _action_form_page(request, case, plan, form)


@login_required
@require_http_methods(["GET", "POST"])
def immediate_action_take_in(request, case_pk, plan_pk, pk):
    """The business unit takes one of the learning meeting's immediate actions into the
    rapid review's plan, giving it an owner, agency and due date."""
    plan = access.access_plan(request.user, case_pk, plan_pk, access.MAINTAIN)
    case = plan.case
    immediate = services.immediate_actions_waiting(plan).filter(pk=pk).first()
    if immediate is None:
        raise Http404("No such immediate action waiting.")
    initial = {
        "finding": f"Immediate action from the learning meeting of "
        f"{immediate.meeting.held_on:%-d %B %Y}",
        "change": immediate.description,
        "agency": immediate.agency_id,
    }
    form = ActionForm(request.POST or None, initial=initial, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        result = attempt(
            request,
            form,
            lambda: services.immediate_action_take_in(
                plan=plan, immediate_action=immediate, data=form.cleaned_data, by=request.user
            ),
            lambda action: f"Immediate action taken into the plan as action {action.number}",
        )
        if result is not None:
            return redirect("action-detail", case.pk, result.pk)
    return _action_form_page(request, case, plan, form, immediate=immediate)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, case_pk, pk):
    """The business unit changes an action; the page carries the version it showed."""
    action = access.access_action(request.user, case_pk, pk, access.MAINTAIN)
    case, plan = action.plan.case, action.plan
    themes = list(action.themes.all())
    if request.method == "GET":
        form = ActionForm(
            initial={
                "finding": action.finding,
                "change": action.change,
                "agency": action.agency_id,
                "owner_name": action.owner_name,
                "due_on": action.due_on,
                "themes": [theme.pk for theme in themes],
                "version": services.action_version(action),
            },
            partnership=case.partnership,
            current_themes=themes,
        )
        return _action_form_page(request, case, plan, form, action=action)
    form = ActionForm(request.POST, partnership=case.partnership, current_themes=themes)
    if form.is_valid():
        data = form.cleaned_data
        result = attempt(
            request,
            form,
            lambda: services.action_edit(
                action=action, data=data, version=data.get("version"), by=request.user
            ),
            f"Action {action.number} saved",
        )
        if result is not None:
            return redirect("action-detail", case.pk, action.pk)
    return _action_form_page(request, case, plan, form, action=action)


# ------------------------------------------------------------ across the partnership


def _filtered(user, filters, today):
    actions = access.actions_visible_to(user)
    if filters.get("case"):
        actions = actions.filter(plan__case_id=filters["case"])
    if filters.get("agency"):
        actions = actions.filter(agency_id=filters["agency"])
    status = filters.get("status")
    if status == ActionStatus.OVERDUE:
        actions = actions.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif status in OPEN_STATUSES:
        actions = actions.filter(status=status, due_on__gte=today)
    elif status:
        actions = actions.filter(status=status)
    return actions.select_related("plan__case", "agency").order_by(
        "due_on", "plan__case__pseudonym", "plan__source", "number"
    )


def _filter_form(request):
    user = request.user
    visible = access.actions_visible_to(user)
    cases = (
        Case.objects.filter(action_plans__actions__in=visible)
        .distinct()
        .order_by("pseudonym")
        .values_list("pk", "pseudonym")
    )
    agencies = Agency.objects.filter(partnership_id=user.partnership_id)
    if not access.is_wide(user):
        agencies = agencies.filter(pk=user.agency_id)
    form = ActionFilterForm(
        request.GET or None,
        cases=list(cases),
        agencies=list(agencies.order_by("name").values_list("pk", "name")),
    )
    return form, (form.cleaned_data if form.is_valid() else {})


def _guard_list(user):
    if not access.may_list_actions(user):
        raise PermissionDenied("Only the partnership and the agencies with actions see them.")


@login_required
@require_GET
def action_list(request):
    """Every action the person may see (a contributor: their agency's), filtered by case,
    agency and status (overdue worked out for today), a page at a time."""
    _guard_list(request.user)
    today = timezone.localdate()
    form, filters = _filter_form(request)
    paginator = Paginator(_filtered(request.user, filters, today), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return page(
        request,
        "actions/plans/action_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": status_rows(page_obj, today),
            "querystring": urlencode(params),
            "csv_query": urlencode(params),
        },
    )


CSV_HEADER = [
    "Case",
    "Plan",
    "Action",
    "Finding",
    "What will change",
    "Agency",
    "Named owner",
    "Due date",
    "Status",
    "Completed on",
    "Impact assured on",
]


@login_required
@require_GET
def action_list_csv(request):
    """The filtered list as a CSV (every row, not one page)."""
    _guard_list(request.user)
    today = timezone.localdate()
    _, filters = _filter_form(request)
    rows = (
        [
            action.plan.case.pseudonym,
            action.plan.get_source_display(),
            action.number,
            action.finding,
            action.change,
            action.agency.name,
            action.owner_name,
            action.due_on,
            ActionStatus(action.status_on(today)).label,
            action.completed_on,
            action.impact_assured_on,
        ]
        for action in _filtered(request.user, filters, today)
    )
    return csv_response(f"actions-{today:%Y-%m-%d}.csv", CSV_HEADER, rows)


@login_required
@require_GET
def barrier_list(request):
    """The partnership's open barriers: those awaiting the executive's response first,
    then those answered and waiting for the business unit to close them."""
    if not access.may_see_barriers(request.user):
        raise PermissionDenied(
            "Only the partnership's business unit, sub-group and executives see its barriers."
        )
    barriers = list(barriers_open(request.user))
    return page(
        request,
        "actions/plans/barrier_list.html",
        {
            "awaiting": [b for b in barriers if b.responded_at is None],
            "answered": [b for b in barriers if b.responded_at is not None],
            "may_respond": request.user.has_role(*Role.EXECUTIVE),
        },
    )
