from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cspr import access, selectors
from cspr.forms import CHILD_FIELDS, CaseFilterForm, CaseOpenForm, ChildRecordForm
from cspr.models import Case, Stage
from cspr.pagination import CountedPaginator
from cspr.services.cases import case_open, child_record_update, child_record_version
from cspr.views.common import run_service
from cspr.working_days import load_calendar

PAGE_SIZE = 25
# Events on one page of a case's timeline: a case open for years has hundreds.
TIMELINE_PAGE_SIZE = 50


def _next_due(case, today, calendar):
    if not case.next_due_on:
        return None
    deadline = SimpleNamespace(
        status=case.next_due_status, due_on=case.next_due_on, completed_on=None
    )
    return selectors.due_text(deadline, today=today, calendar=calendar)


@login_required
@require_http_methods(["GET"])
def case_list(request):
    """Every case the person may see, filtered and paginated."""
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today, calendar = timezone.localdate(), load_calendar()
    cases = selectors.case_list(
        request.user,
        q=filters.get("q", ""),
        stage=filters.get("stage", ""),
        deadline=filters.get("deadline", ""),
        today=today,
        calendar=calendar,
    )
    page = CountedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    show_deadlines = access.may_see_deadlines(request.user)
    rows = [(case, _next_due(case, today, calendar) if show_deadlines else None) for case in page]
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "cspr/case_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "querystring": urlencode(params),
            "show_deadlines": show_deadlines,
            "may_open_case": access.may_manage_cases(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open_view(request):
    """The business unit opens a case with the child's record."""
    if not access.may_manage_cases(request.user):
        raise PermissionDenied("Only the business unit can open a case.")
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_service(
            request,
            form,
            lambda: case_open(
                partnership=request.user.partnership,
                pseudonym=data["pseudonym"],
                child={name: data[name] for name in CHILD_FIELDS},
                by=request.user,
            ),
            success="Case opened",
            redirect_to=lambda case: reverse("case-detail", args=[case.pk]),
        )
        if response:
            return response
    return render(request, "cspr/case_open.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def case_detail(request, pk):
    """The case page: summary, the child (for those who may see them), deadlines, and the
    timeline a page of events at a time, newest first."""
    case = access.access_case(request.user, pk, access.VIEW)
    today, calendar = timezone.localdate(), load_calendar()
    context = {"case": case, "today": today}
    if access.VIEW_CHILD in case.permissions:
        context["child"] = case.child
    if access.VIEW_TIMELINE in case.permissions:
        context["deadlines"] = [
            (d, selectors.due_text(d, today=today, calendar=calendar))
            for d in selectors.case_deadlines(case)
        ]
        page = CountedPaginator(selectors.case_timeline(case), TIMELINE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["timeline"] = page.object_list
        context["page_obj"] = page
        context["agencies"] = access.agencies_granted(case)
        context["stage_pages"] = _stage_pages(case, request.user)
    elif _has_own_actions(request.user, case):
        context["stage_pages"] = [("action-plans", "Your agency's actions on this case")]
    return render(request, "cspr/case_detail.html", context)


def _has_own_actions(user, case):
    from actions.access import actions_visible_to

    return actions_visible_to(user).filter(plan__case=case).exists()


def _stage_pages(case, user):
    """(URL name, link text) of the stage pages this case has reached, in lifecycle order."""
    from actions.models import ActionPlan
    from rapid_reviews.models import RapidReview
    from reviews.models import LocalReview, NationalReview

    # What the case has, in one query.
    has = (
        Case.objects.filter(pk=case.pk)
        .values(
            local=Exists(LocalReview.objects.filter(case=OuterRef("pk"))),
            national=Exists(NationalReview.objects.filter(case=OuterRef("pk"))),
            plans=Exists(ActionPlan.objects.filter(case=OuterRef("pk")))
            | Exists(RapidReview.objects.filter(case=OuterRef("pk"))),
        )
        .get()
    )
    pages = [
        ("notification-detail", "Serious incident notification"),
        ("rapid-review-detail", "Rapid review"),
    ]
    if case.stage == Stage.LOCAL_REVIEW or has["local"]:
        pages.append(("local-review-detail", "Local review"))
    if case.stage == Stage.NATIONAL_REVIEW or has["national"]:
        pages.append(("national-review", "National review"))
    pages.append(("parallel-processes", "Parallel processes"))
    if user.has_role(*access.PARTNERSHIP_WIDE) and has["plans"]:
        pages.append(("action-plans", "Action plans"))
    pages.append(("case-themes", "Learning themes"))
    return pages


@login_required
@require_http_methods(["GET", "POST"])
def child_record_edit(request, pk):
    """The business unit corrects the child's identifying details."""
    case = access.access_case(request.user, pk, access.CHANGE)
    child = case.child
    form = ChildRecordForm(
        request.POST or None, instance=child, initial={"version": child_record_version(child)}
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in CHILD_FIELDS}
        response = run_service(
            request,
            form,
            lambda: child_record_update(
                case=case, changes=changes, by=request.user, version=form.cleaned_data["version"]
            ),
            success="The child's details were saved",
            redirect_to=reverse("case-detail", args=[case.pk]),
        )
        if response:
            return response
    return render(request, "cspr/child_record_edit.html", {"case": case, "form": form})
