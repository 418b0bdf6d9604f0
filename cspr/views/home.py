from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cspr import access, selectors
from cspr.models import OPEN_STAGES, Role
from cspr.working_days import load_calendar

# Rows of each deadline list on the home page; the case list's deadline filters have them all.
SHOWN = 20


@login_required
@require_GET
def home(request):
    """A home page per role: what needs the person's attention first."""
    user = request.user
    today, calendar = timezone.localdate(), load_calendar()
    context = {"today": today, "roles": user.roles}
    if user.has_role(*access.PARTNERSHIP_WIDE, Role.INDEPENDENT_REVIEWER):
        due, context["due_total"] = selectors.first_rows(
            selectors.deadlines_due(user, today=today, calendar=calendar), SHOWN
        )
        context["due"] = [(d, selectors.due_text(d, today=today, calendar=calendar)) for d in due]
        context["missed"], context["missed_total"] = selectors.first_rows(
            selectors.missed_unfinished(user), SHOWN
        )
    if user.has_role(*access.PARTNERSHIP_WIDE):
        context["by_stage"] = selectors.cases_by_stage(user)
    if user.has_role(Role.AGENCY_CONTRIBUTOR, Role.INDEPENDENT_REVIEWER):
        context["my_cases"] = list(access.cases_visible_to(user).filter(stage__in=OPEN_STAGES)[:50])
    context["referrals_waiting"] = _referrals_waiting(user)
    context["decisions_waiting"] = _decisions_waiting(user)
    context["reviews_waiting"] = _reviews_waiting(user)
    if user.has_role(Role.AGENCY_CONTRIBUTOR):
        from rapid_reviews.access import requests_visible_to

        context["my_requests"] = list(
            requests_visible_to(user)
            .filter(status="requested")
            .select_related("rapid_review__case", "deadline")
            .order_by("deadline__due_on")[:50]
        )
    context["learning_links"] = _learning_links(user)
    context["may_open_case"] = access.may_manage_cases(user)
    context["may_administer"] = access.may_administer(user)
    return render(request, "cspr/home.html", context)


def _learning_links(user):
    """(URL name, link text) of the partnership's action and learning pages the person may use."""
    if not access.is_member(user):
        return []
    links = []
    if user.has_role(*access.PARTNERSHIP_WIDE):
        links += [
            ("action-list", "Actions from every review"),
            ("barrier-list", "Barriers to actions, escalated to the executive"),
            ("exception-report", "Exception report for the oversight group"),
            ("annual-report", "Annual report figures"),
            ("learning-event-list", "Learning events"),
        ]
    elif user.has_role(Role.AGENCY_CONTRIBUTOR) and user.agency_id:
        links.append(("action-list", f"{user.agency.name}'s actions"))
    if user.has_role(Role.BUSINESS_UNIT):
        links.append(("equality-analysis", "Themes by protected characteristic"))
    return links


def _decisions_waiting(user):
    """Rapid reviews waiting on this person: the chair's approval, a partner's sign-off."""
    from rapid_reviews.models import RapidReview
    from rapid_reviews.services import partner_for

    mine = RapidReview.objects.filter(case__in=access.cases_visible_to(user)).select_related("case")
    waiting = []
    if user.has_role(Role.SUBGROUP_CHAIR):
        for review in mine.filter(meeting__isnull=False, meeting__approved_at__isnull=True):
            waiting.append((review.case, "the recommendation needs your approval"))
    partner = partner_for(user)
    if partner:
        approved = mine.filter(meeting__approved_at__isnull=False).exclude(
            sign_offs__partner=partner
        )
        for review in approved:
            waiting.append((review.case, "the decision needs your sign-off"))
    return waiting[:50]


def _reviews_waiting(user):
    """Local reviews waiting on this person (see `reviews.selectors.reviews_waiting_for`)."""
    from reviews.selectors import reviews_waiting_for

    if not access.is_member(user):
        return []
    return reviews_waiting_for(user)


def _referrals_waiting(user):
    """Referrals waiting on this person: triage for the business unit, a decision for the chair."""
    from referrals.access import referrals_visible_to
    from referrals.models import ReferralStatus

    waiting = []
    if user.has_role(Role.BUSINESS_UNIT):
        waiting.append(ReferralStatus.SUBMITTED)
    if user.has_role(Role.SUBGROUP_CHAIR):
        waiting.append(ReferralStatus.TRIAGED)
    if not waiting:
        return []
    return list(referrals_visible_to(user).filter(status__in=waiting)[:50])


@require_GET
def healthz(request):
    """For the load balancer and docker compose: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
