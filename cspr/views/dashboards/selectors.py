"""The dashboard's reads, one function for each list or table, every one scoped to the
person asking (see the package's docstring). Each takes a fixed number of queries.

A long list's read takes `first`: the page asks for its first rows and how many there are
in all (`cspr.selectors.first_rows`), in one query, so that a partnership with hundreds
of open deadlines does not build and date every one of them to show twenty. The CSV asks
for them all."""

import datetime
from dataclasses import dataclass

from django.db.models import Case as Switch
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone

from cspr import access, periods, selectors
from cspr.models import OPEN_STAGES, Role, Stage
from cspr.selectors import Rows, first_rows

BUSINESS_UNIT, CHAIR, EXECUTIVE, AGENCY = "business_unit", "chair", "executive", "agency"
SECTION_ROLES = {
    BUSINESS_UNIT: Role.BUSINESS_UNIT,
    CHAIR: Role.SUBGROUP_CHAIR,
    EXECUTIVE: Role.EXECUTIVE,
    AGENCY: Role.AGENCY_CONTRIBUTOR,
}
THEME_YEARS = 3


def sections_for(user):
    """The dashboard sections the person has, in page order: empty for anyone with none of
    the roles, or outside a partnership."""
    if not access.is_member(user):
        return []
    sections = [name for name, role in SECTION_ROLES.items() if user.has_role(role)]
    if AGENCY in sections and not user.agency_id:
        sections.remove(AGENCY)
    return sections


# The business unit.


def open_cases(user, *, today, calendar, first=None):
    """Open cases the person may see, by stage then pseudonym, each with its next
    outstanding deadline."""
    stage_order = Switch(
        *(When(stage=stage.value, then=Value(n)) for n, stage in enumerate(Stage)),
        output_field=IntegerField(),
    )
    cases = selectors.case_list(user, today=today, calendar=calendar)
    return first_rows(
        cases.filter(stage__in=OPEN_STAGES)
        .annotate(stage_order=stage_order)
        .order_by("stage_order", "pseudonym", "pk"),
        first,
    )


def open_by_stage(user):
    """[(Stage, count)] of open cases, every open stage listed."""
    return [(stage, n) for stage, n in selectors.cases_by_stage(user) if stage in OPEN_STAGES]


def deadlines_to_watch(user, *, today, calendar, first=None):
    """[(deadline, DueText)]: open deadlines overdue or due in the next 10 working days, and
    deadlines marked missed that are still not done, soonest first. Both reads are in that
    order, so the first rows of the two together are among each one's first rows."""
    due = first_rows(selectors.deadlines_due(user, today=today, calendar=calendar), first)
    missed = first_rows(selectors.missed_unfinished(user), first)
    rows = sorted(due.items + missed.items, key=lambda d: (d.due_on, d.pk))[:first]
    return Rows(
        [(d, selectors.due_text(d, today=today, calendar=calendar)) for d in rows],
        due.total + missed.total,
    )


def _requests(queryset):
    from rapid_reviews.models import RequestStatus

    return (
        queryset.filter(status=RequestStatus.REQUESTED)
        .select_related("agency", "rapid_review__case", "deadline")
        .order_by("deadline__due_on", "agency__name", "pk")
    )


def returns_outstanding(user, *, today, calendar, first=None):
    """[(request, DueText)]: information requests still waiting for the agency's return."""
    from rapid_reviews.access import requests_visible_to

    rows = first_rows(_requests(requests_visible_to(user)), first)
    return Rows(
        [(r, selectors.due_text(r.deadline, today=today, calendar=calendar)) for r in rows.items],
        rows.total,
    )


def returns_by_agency(user, *, today):
    """[(agency name, outstanding, of which overdue)] of the requests `returns_outstanding`
    lists, counted in SQL."""
    from rapid_reviews.access import requests_visible_to

    rows = (
        _requests(requests_visible_to(user))
        .values_list("agency__name")
        .annotate(owed=Count("pk"), late=Count("pk", filter=Q(deadline__due_on__lt=today)))
        .order_by("agency__name")
    )
    return list(rows)


# The sub-group chair.


@dataclass(frozen=True)
class Waiting:
    """Something waiting for the chair: what it is about, what it needs, since when."""

    about: str
    what: str
    since: datetime.datetime | None
    url: str


def chair_waiting(user):
    """Referrals to decide, rapid review recommendations to approve, terms of reference to
    agree and draft reports to quality-assure, oldest first. Four queries."""
    from rapid_reviews.models import RapidReview
    from referrals.access import referrals_visible_to
    from referrals.models import ReferralStatus
    from reviews.models import LocalReview, QualityAssurance, ReviewStatus

    cases = access.cases_visible_to(user)
    waiting = []
    for referral in referrals_visible_to(user).filter(status=ReferralStatus.TRIAGED):
        waiting.append(
            Waiting(
                f"Referral {referral.pk}",
                "the referral needs your decision",
                referral.triaged_at or referral.submitted_at,
                reverse("referral-detail", args=[referral.pk]),
            )
        )
    for review in RapidReview.objects.filter(
        case__in=cases, meeting__isnull=False, meeting__approved_at__isnull=True
    ).select_related("case", "meeting"):
        waiting.append(
            Waiting(
                review.case.pseudonym,
                "the rapid review's recommendation needs your approval",
                review.meeting.recorded_at,
                reverse("rapid-review-detail", args=[review.case_id]),
            )
        )
    reviews = LocalReview.objects.filter(case__in=cases).select_related("case")
    newest_terms = _newest("reviews", "TermsOfReference", "-number")
    for review in (
        reviews.filter(status__in=[ReviewStatus.COMMISSIONING, ReviewStatus.UNDER_WAY])
        .annotate(
            terms_pk=Subquery(newest_terms.values("pk")[:1]),
            terms_agreed=Subquery(newest_terms.values("chair_agreed_at")[:1]),
            terms_saved=Subquery(newest_terms.values("saved_at")[:1]),
        )
        .filter(terms_pk__isnull=False, terms_agreed__isnull=True)
    ):
        waiting.append(
            Waiting(
                review.case.pseudonym,
                "the terms of reference need your agreement",
                review.terms_saved,
                reverse("local-review-detail", args=[review.case_id]),
            )
        )
    newest_draft = _newest("reviews", "ReportDraft", "-number")
    checked = QualityAssurance.objects.filter(draft_id=OuterRef("draft_pk"))
    for review in (
        reviews.filter(status=ReviewStatus.UNDER_WAY)
        .annotate(
            draft_pk=Subquery(newest_draft.values("pk")[:1]),
            draft_at=Subquery(newest_draft.values("uploaded_at")[:1]),
        )
        .filter(draft_pk__isnull=False)
        .exclude(Exists(checked))
    ):
        waiting.append(
            Waiting(
                review.case.pseudonym,
                "a draft report needs quality assurance",
                review.draft_at,
                reverse("review-report", args=[review.case_id]),
            )
        )
    oldest = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(waiting, key=lambda w: (w.since or oldest, w.about))


def _newest(app_label, model_name, order):
    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    return model.objects.filter(review_id=OuterRef("pk")).order_by(order)


# The executive.


def _year_ago(today):
    try:
        return today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)


def timeliness(user, *, today):
    """The statutory deadlines' record over the 12 months to today (actions.figures)."""
    from actions import figures

    start = _year_ago(today)
    return start, figures.timeliness(access.cases_visible_to(user), start=start, end=today)


def _overdue(user, *, today):
    from actions.access import actions_visible_to
    from actions.models import OPEN_STATUSES

    return actions_visible_to(user).filter(status__in=OPEN_STATUSES, due_on__lt=today)


def overdue_actions(user, *, today, first=None):
    """Open actions past their due date, oldest first."""
    return first_rows(
        _overdue(user, today=today)
        .select_related("plan__case", "agency")
        .order_by("due_on", "agency__name", "pk"),
        first,
    )


def overdue_by_agency(user, *, today):
    """[(agency name, overdue actions)], counted in SQL; agencies with none left out."""
    rows = (
        _overdue(user, today=today)
        .values_list("agency__name")
        .annotate(number=Count("id"))
        .order_by("agency__name")
    )
    return list(rows)


def financial_years(today, count=THEME_YEARS):
    """[(label, start, end)] of the last `count` financial years (1 April to 31 March),
    oldest first, the current one last."""
    first = periods.financial_year_of(today)
    return [
        (
            periods.financial_year_words(year),
            periods.financial_year_start(year),
            periods.financial_year_start(year + 1),
        )
        for year in range(first - count + 1, first + 1)
    ]


def themes_over_time(user, *, today):
    """(year labels, [(theme name, [cases in each year])]): for each theme, the cases it is
    applied to by the financial year the case was opened in, over the last three years.
    Themes on no case in those years are left out. One query."""
    from actions.models import CaseTheme

    years = financial_years(today)
    zone = timezone.get_current_timezone()

    def moment(day):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

    year_of = Switch(
        *(
            When(
                case__created_at__gte=moment(start), case__created_at__lt=moment(end), then=Value(n)
            )
            for n, (_, start, end) in enumerate(years)
        ),
        output_field=IntegerField(),
    )
    rows = (
        CaseTheme.objects.filter(
            case__in=access.cases_visible_to(user),
            case__created_at__gte=moment(years[0][1]),
            case__created_at__lt=moment(years[-1][2]),
        )
        .annotate(year=year_of)
        .values_list("theme__name", "year")
        .annotate(number=Count("case", distinct=True))
        .order_by()
    )
    counts = {}
    for name, year, number in rows:
        counts.setdefault(name, [0] * len(years))[year] = number
    return [label for label, _, _ in years], sorted(counts.items())


def barriers_waiting(user, *, first=None):
    """Barriers raised and escalated to the executive with no response yet, oldest first."""
    from actions.access import actions_visible_to
    from actions.models import Barrier

    return first_rows(
        Barrier.objects.filter(
            action__in=actions_visible_to(user),
            responded_at__isnull=True,
            closed_at__isnull=True,
        )
        .select_related("action__plan__case", "action__agency")
        .order_by("raised_at", "pk"),
        first,
    )


# The agency contributor.


def agency_requests(user, *, today, calendar, first=None):
    """[(request, DueText)]: the contributor's own agency's requests still to answer."""
    from rapid_reviews.access import requests_visible_to

    own = first_rows(_requests(requests_visible_to(user).filter(agency_id=user.agency_id)), first)
    return Rows(
        [(r, selectors.due_text(r.deadline, today=today, calendar=calendar)) for r in own.items],
        own.total,
    )


def agency_actions(user, *, today, first=None):
    """[(action, status shown today)]: the contributor's own agency's open actions."""
    from actions.access import actions_visible_to
    from actions.models import OPEN_STATUSES

    actions = first_rows(
        actions_visible_to(user)
        .filter(agency_id=user.agency_id, status__in=OPEN_STATUSES)
        .select_related("plan__case", "agency")
        .order_by("due_on", "pk"),
        first,
    )
    return Rows([(action, action.status_on(today)) for action in actions.items], actions.total)


def action_url(action):
    """The action's page (which shows its barriers and where the executive responds)."""
    return reverse("action-detail", args=[action.plan.case_id, action.pk])
