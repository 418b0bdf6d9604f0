"""Who may see or act on a local review: the reviews part of the access policy.

- A review's pages are for those who see the case's timeline: the partnership's business
  unit, sub-group and executives, and the independent reviewer while appointed to it (the
  appointment grants them this case and no other). Agency contributors do not see them:
  their agencies take part through the review and practitioner groups.
- The business unit runs the review (MANAGE) and may upload a draft the reviewer sent.
- The business unit and the sub-group draft the terms of reference (DRAFT_TERMS).
- The sub-group chair agrees the terms for the sub-group, quality-assures the report and
  may agree to publish despite an open parallel process (CHAIR).
- The reviewer appointed now agrees the terms, uploads drafts and replies to the
  partners' written requests (REVIEWER).
- An executive approves the final report, or decides it is not published (EXECUTIVE).

Objects a URL names (a draft, a letter, a request) are looked up within the review the
person reached, so an id from another review is a 404 like an id nobody has.
"""

from django.http import Http404

from cspr import access as case_access
from cspr.models import Role
from reviews.models import LocalReview, ReviewerAppointment

VIEW = case_access.VIEW
MANAGE = "manage"
DRAFT_TERMS = "draft_terms"
CHAIR = "chair"
REVIEWER = "reviewer"
EXECUTIVE = "executive"
UPLOAD = "upload"


def is_current_reviewer(user, review) -> bool:
    return (
        review is not None
        and user.has_role(Role.INDEPENDENT_REVIEWER)
        and ReviewerAppointment.objects.filter(
            review=review, reviewer=user, ended_on__isnull=True
        ).exists()
    )


def review_permissions(user, case, review=None) -> frozenset:
    """What the user may do with the case's local review (or, with `review` None, with
    review records that hang off the case itself, such as parallel processes)."""
    case_allowed = case_access.case_permissions(user, case)
    if case_access.VIEW_TIMELINE not in case_allowed:
        return frozenset()
    allowed = {VIEW}
    if case_access.CHANGE in case_allowed:
        allowed |= {MANAGE, DRAFT_TERMS, UPLOAD}
    if user.has_role(Role.SUBGROUP_MEMBER, Role.SUBGROUP_CHAIR):
        allowed.add(DRAFT_TERMS)
    if user.has_role(Role.SUBGROUP_CHAIR):
        allowed.add(CHAIR)
    if user.has_role(Role.EXECUTIVE):
        allowed.add(EXECUTIVE)
    if is_current_reviewer(user, review):
        allowed |= {REVIEWER, UPLOAD}
    return frozenset(allowed)


def may(user, action, review) -> bool:
    return action in review_permissions(user, review.case, review)


def access_case(user, case_pk, action=VIEW):
    """The case, for review pages that hang off the case (parallel processes, a national
    review): 404 unless the user sees its timeline, 403 when they may not do `action`
    (MANAGE: the business unit)."""
    case = case_access.access_case(user, case_pk, case_access.VIEW)
    allowed = review_permissions(user, case)
    return case_access.resolve(case if allowed else None, allowed, action, what="case", log=False)


def access_review(user, case_pk, action=VIEW):
    """The case's local review: 404 when the user may not see it (or there is none yet),
    403 when they see it but may not do `action`. `review.permissions` is what they may do."""
    case = case_access.access_case(user, case_pk, case_access.VIEW)
    review = LocalReview.objects.filter(case=case).first()
    allowed = review_permissions(user, case, review) if review else frozenset()
    if review is not None:
        review.case = case
    return case_access.resolve(review, allowed, action, what="local review")


def review_object(review, queryset, pk):
    """The object `pk` of `queryset` that belongs to this review, or a 404."""
    found = queryset.filter(review=review, pk=pk).first()
    if found is None:
        raise Http404("Nothing here.")
    found.review = review
    return found
