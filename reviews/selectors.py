"""Reads for local review pages. Every list hangs off a review (or a case) the access
helpers have already handed to the person."""

from cspr import access as case_access
from reviews.models import (
    GroupKind,
    GroupMember,
    LocalReview,
    MonitoringCheckpoint,
    ParallelProcess,
    ReviewerRequest,
)


def group_members(review):
    """{"review": [...], "practitioner": [...]}: the people on each group now."""
    members = (
        GroupMember.objects.filter(review=review, removed_at__isnull=True)
        .select_related("agency")
        .order_by("agency__name", "name", "id")
    )
    grouped = {kind: [] for kind in GroupKind.values}
    for member in members:
        grouped[member.group].append(member)
    return grouped


def checkpoints(review):
    return MonitoringCheckpoint.objects.filter(review=review).select_related(
        "deadline", "recorded_by"
    )


def reviewer_requests(review):
    return ReviewerRequest.objects.filter(review=review).select_related(
        "deadline", "sent_by", "answered_by"
    )


def parallel_processes(case):
    return ParallelProcess.objects.filter(case=case).select_related("linked_case", "recorded_by")


def joint_reviews_with(case, user):
    """Open joint reviews recorded on other cases the user may see that link to this one."""
    return (
        ParallelProcess.objects.filter(linked_case=case, is_joint_review=True)
        .filter(case__in=case_access.cases_visible_to(user))
        .select_related("case")
    )


def linkable_cases(user, case):
    """Cases of the partnership the user may see, for linking a joint review."""
    return case_access.cases_visible_to(user).exclude(pk=case.pk).order_by("pseudonym")


def reviews_waiting_for(user):
    """[(case, what)] local reviews waiting on this person: the terms to agree (the chair,
    the reviewer), a draft to quality-assure (the chair), a report to approve (an
    executive), a written request to answer (the reviewer)."""
    from cspr.models import Role
    from reviews import access

    reviews = LocalReview.objects.filter(
        case__in=case_access.cases_visible_to(user)
    ).select_related("case")
    waiting = []
    if user.has_role(Role.SUBGROUP_CHAIR):
        for review in reviews.filter(
            terms__chair_agreed_at__isnull=True, status__in=["commissioning", "under_way"]
        ).distinct():
            newest = review.terms.order_by("-number").first()
            if newest and not newest.chair_agreed_at:
                waiting.append((review.case, "the terms of reference need your agreement"))
        drafted = reviews.filter(status="under_way", drafts__isnull=False).distinct()
        for review in drafted:
            newest = review.drafts.order_by("-number").first()
            if not newest.checks.exists():
                waiting.append((review.case, "a draft report needs quality assurance"))
    if user.has_role(Role.EXECUTIVE):
        for review in reviews.filter(status="ready_for_executive"):
            waiting.append((review.case, "the final report needs the executive's approval"))
    if user.has_role(Role.INDEPENDENT_REVIEWER):
        for review in reviews.filter(appointments__reviewer=user, appointments__ended_on=None):
            if not access.is_current_reviewer(user, review):
                continue
            newest = review.terms.order_by("-number").first()
            if newest and not newest.reviewer_agreed_at:
                waiting.append((review.case, "the terms of reference need your agreement"))
            open_requests = review.reviewer_requests.filter(answered_on__isnull=True).count()
            if open_requests:
                plural = "s" if open_requests > 1 else ""
                waiting.append((review.case, f"{open_requests} written request{plural} to answer"))
    return waiting[:50]


def suggested_recipients(review):
    """Who the "review has started" letters usually go to, and who has one already:
    [(kind, agency or None, addressee, organisation, has a letter)]. The referrer of the
    referral that became the case, and each agency with someone on a group."""
    from referrals.models import Referral, ReferralStatus

    written = set(review.letters.values_list("kind", "agency_id"))
    suggestions = []
    for referral in Referral.objects.filter(
        case=review.case, status=ReferralStatus.DECIDED
    ).select_related("referring_agency", "created_by"):
        name = referral.referrer_name or str(referral.created_by)
        organisation = referral.referring_agency.name if referral.referring_agency else ""
        role = f", {referral.referrer_role}" if referral.referrer_role else ""
        suggestions.append(
            ("referrer", None, f"{name}{role}", organisation, ("referrer", None) in written)
        )
    agencies = {m.agency for group in group_members(review).values() for m in group}
    for agency in sorted(agencies, key=lambda a: a.name):
        suggestions.append(("agency", agency, "", agency.name, ("agency", agency.pk) in written))
    return suggestions
