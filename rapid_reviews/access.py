"""Who may see or act on an information request: the rapid-review part of the access policy.

- The partnership's business unit, sub-group and executives see every request of a case.
- An agency contributor sees only their own agency's requests, never another's.
- Only the business unit sends requests; only the requested agency's contributors
  confirm their records are secured (and, later, write the return).
"""

from cspr import access as case_access
from cspr.access import PARTNERSHIP_WIDE, cases_visible_to
from cspr.models import Role
from rapid_reviews.models import InformationRequest

VIEW, RESPOND = "view", "respond"


def requests_visible_to(user):
    if not case_access.is_member(user):
        return InformationRequest.objects.none()
    mine = InformationRequest.objects.filter(rapid_review__case__partnership_id=user.partnership_id)
    if user.has_role(*PARTNERSHIP_WIDE):
        return mine
    if user.has_role(Role.AGENCY_CONTRIBUTOR) and user.agency_id:
        # Only while the agency may still see the case: revoking access hides the request.
        return mine.filter(agency_id=user.agency_id, rapid_review__case__in=cases_visible_to(user))
    return mine.none()


def request_permissions(user, request_obj) -> frozenset:
    if not case_access.is_member(user):
        return frozenset()
    if request_obj.rapid_review.case.partnership_id != user.partnership_id:
        return frozenset()
    own_agency = (
        user.has_role(Role.AGENCY_CONTRIBUTOR)
        and user.agency_id == request_obj.agency_id
        and case_access.can(user, case_access.VIEW, request_obj.rapid_review.case)
    )
    allowed = set()
    if own_agency or user.has_role(*PARTNERSHIP_WIDE):
        allowed.add(VIEW)
    if own_agency:
        allowed.add(RESPOND)
    return frozenset(allowed)


def access_request(user, pk, action=VIEW):
    """The request, 404 when the user may not see it, 403 when they may not do `action`."""
    found = (
        InformationRequest.objects.select_related(
            "agency", "rapid_review__case", "deadline", "information_return"
        )
        .filter(pk=pk)
        .order_by()
        .first()
    )
    allowed = request_permissions(user, found) if found else frozenset()
    found = case_access.resolve(found, allowed, action, what="request")
    _attach_people(found)
    return found


def _attach_people(information_request):
    """The people the request page names (who sent it, who secured the records, who
    submitted the return), read in one query. Joined into the request's own query, their
    three outer joins took PostgreSQL longer to plan than the page's other queries took."""
    from cspr.models import User

    information_return = getattr(information_request, "information_return", None)
    named = [
        (information_request, "sent_by"),
        (information_request, "records_secured_by"),
        *([(information_return, "submitted_by")] if information_return else []),
    ]
    ids = {getattr(owner, f"{field}_id") for owner, field in named} - {None}
    people = User.objects.in_bulk(ids) if ids else {}
    for owner, field in named:
        person_id = getattr(owner, f"{field}_id")
        if person_id is not None:
            setattr(owner, field, people[person_id])


EDIT_RETURN = "edit_return"
RETURN_PERMISSION = "rapid_reviews.change_informationreturn"


def return_permissions(user, information_return, *, request_allowed=None) -> frozenset:
    """VIEW for whoever sees the request; EDIT_RETURN for the asked agency's contributors
    while they or their group hold the guardian change permission (removed when it locks).
    Being a superuser gives nothing more: a locked return is locked for everyone.

    `request_allowed` is the request's permissions when the caller has just worked them
    out (`access_request` sets them on the request), so a page does not ask twice; a
    service checking under its lock leaves it out."""
    if request_allowed is None:
        request_allowed = request_permissions(user, information_return.request)
    allowed = set(request_allowed)
    if RESPOND in allowed and user.is_active and _holds_change(user, information_return):
        allowed.add(EDIT_RETURN)
    return frozenset(allowed)


def _holds_change(user, information_return) -> bool:
    """Whether the user holds the return's guardian change permission, directly or through
    a group: one query, where `user.has_perm` takes two."""
    from rapid_reviews.models import (
        InformationReturnGroupObjectPermission,
        InformationReturnUserObjectPermission,
    )

    codename = RETURN_PERMISSION.split(".")[1]
    by_user = InformationReturnUserObjectPermission.objects.filter(
        user=user, content_object=information_return, permission__codename=codename
    ).values("pk")
    by_group = InformationReturnGroupObjectPermission.objects.filter(
        group__user=user, content_object=information_return, permission__codename=codename
    ).values("pk")
    return by_user.union(by_group).exists()


def grant_return(information_return):
    from guardian.shortcuts import assign_perm

    assign_perm(RETURN_PERMISSION, information_return.request.agency.group, information_return)


def lock_return(information_return):
    from guardian.shortcuts import remove_perm

    remove_perm(RETURN_PERMISSION, information_return.request.agency.group, information_return)


def attachments_visible(user, found):
    """The return's attachments the user may see, for `found` (a request from
    `access_request`): the agency's own always, everyone else's once the return is
    submitted (like its chronology rows, a draft's documents are the agency's own)."""
    from rapid_reviews.models import ReturnAttachment, ReturnStatus

    information_return = found.information_return
    if RESPOND not in found.permissions and information_return.status != ReturnStatus.SUBMITTED:
        return ReturnAttachment.objects.none()
    return information_return.attachments.filter(removed_at__isnull=True).select_related(
        "uploaded_by"
    )


def access_attachment(user, request_pk, pk, action=VIEW):
    """An attachment of the request's return: 404 when the user may not see the request or
    the attachment (another agency's, removed, a draft's for the business unit), 403 when
    they may see it but not do `action` (EDIT_RETURN to remove it)."""
    found = access_request(user, request_pk)
    attachment = attachments_visible(user, found).filter(pk=pk).first()
    allowed = return_permissions(user, found.information_return) if attachment else frozenset()
    if attachment is not None:
        attachment.request = found
    return case_access.resolve(attachment, allowed, action, what="attachment")
