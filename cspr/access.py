"""The one access policy: who may see or do what with a case and what hangs off it.

Views and selectors call this module; nothing else calls django-guardian.

- Business unit, sub-group members and chairs, and executives see every case of
  their own partnership. Only the business unit changes cases and deadlines.
- An agency contributor sees a case only when their agency has been granted it
  (a referral from the agency, an information request to it): a guardian object
  permission for the agency's group, in the direct foreign-key table.
- An independent reviewer sees only the case they were commissioned for: a
  guardian object permission for the reviewer.
- The child's identifying details are for the business unit and for whoever holds
  a `view_child` grant on the case; everyone else sees the pseudonym.
- An administrator runs the system and sees no case data.
- Nobody sees a case of another partnership, whatever grants exist.

An object the user may not see is a 404; one they see but may not act on, a 403.
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from cspr import access_log
from cspr.deadline_rules import Rule
from cspr.models import (
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Role,
)

VIEW = "view"
VIEW_TIMELINE = "view_timeline"
VIEW_CHILD = "view_child"
CHANGE = "change"

PARTNERSHIP_WIDE = (Role.BUSINESS_UNIT, Role.SUBGROUP_MEMBER, Role.SUBGROUP_CHAIR, Role.EXECUTIVE)

# Guardian permission codenames on Case, by what they let a grantee do.
GRANT_VIEW = "view_case"
GRANT_VIEW_CHILD = "view_child"


def _is_active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_member(user) -> bool:
    """Signed in, active and belonging to a partnership: the start of every case rule."""
    return _is_active(user) and bool(user.partnership_id)


def _permission_ids(*codenames):
    return Permission.objects.filter(
        content_type__app_label="cspr", content_type__model="case", codename__in=codenames
    ).values("pk")


def _granted(user, codename):
    """An `Exists` over both direct-FK permission tables for the outer case."""
    permission = _permission_ids(codename)
    by_user = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__in=permission
    )
    by_group = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group__user=user, permission__in=permission
    )
    return Exists(by_user) | Exists(by_group)


def cases_visible_to(user):
    """Every case the user may see, filtered in SQL (constant queries for any number)."""
    if not _is_active(user) or not user.partnership_id:
        return Case.objects.none()
    mine = Case.objects.filter(partnership_id=user.partnership_id)
    if user.has_role(*PARTNERSHIP_WIDE):
        return mine
    return mine.filter(_granted(user, GRANT_VIEW))


def may_see_case_q(user_field, case_field) -> Q:
    """The rule of `cases_visible_to` for many (person, case) pairs at once: a Q over a
    model with a person at `user_field` and a case at `case_field`, true where that person
    may see that case now. Reminders use it so that nobody is told about a case they may
    not see, in one query however many there are."""
    person, case = OuterRef(user_field), OuterRef(case_field)
    wide = _wide_q(user_field)
    permission = _permission_ids(GRANT_VIEW)
    by_user = Exists(
        CaseUserObjectPermission.objects.filter(
            user_id=person, content_object_id=case, permission__in=permission
        )
    )
    by_group = Exists(
        CaseGroupObjectPermission.objects.filter(
            content_object_id=case, group__user=person, permission__in=permission
        )
    )
    same_partnership = Q(
        **{
            f"{user_field}__is_active": True,
            f"{user_field}__partnership_id": F(f"{case_field}__partnership_id"),
        }
    )
    return same_partnership & (wide | by_user | by_group)


def _wide_q(user_field):
    """An `Exists`: the person at `user_field` holds a partnership-wide role."""
    from cspr.models import User

    return Exists(
        User.groups.through.objects.filter(
            user_id=OuterRef(user_field),
            group__name__in=[Role.group_name(role) for role in PARTNERSHIP_WIDE],
        )
    )


def may_be_reminded_q(user_field, deadline_field) -> Q:
    """A Q over reminders: the person may see the deadline's case now, and, unless they
    work across the partnership, the deadline is their own agency's (a contributor who
    moves agency stops hearing about the old agency's returns)."""
    own_agency = Q(**{f"{deadline_field}__agency__isnull": True}) | Q(
        **{f"{deadline_field}__agency_id": F(f"{user_field}__agency_id")}
    )
    return (
        may_see_case_q(user_field, f"{deadline_field}__case") & (_wide_q(user_field) | own_agency)
    ) | _own_agency_action_q(user_field, deadline_field)


def _own_agency_action_q(user_field, deadline_field) -> Q:
    """An action's due date, owed by the person's own agency on a case of their
    partnership: an agency sees and updates its own actions without a grant on the case
    (actions.access), so it is reminded of them without one too."""
    return Q(
        **{
            f"{deadline_field}__rule": Rule.ACTION,
            f"{deadline_field}__agency_id": F(f"{user_field}__agency_id"),
            f"{user_field}__is_active": True,
            f"{user_field}__partnership_id": F(f"{deadline_field}__case__partnership_id"),
        }
    )


def reminders_visible_to(user):
    """The person's own collected reminders they may still be told about: the rule of
    `may_be_reminded_q` for one person, for their notifications list."""
    from cspr.models import Reminder

    if not is_member(user):
        return Reminder.objects.none()
    own = Reminder.objects.filter(recipient=user)
    mine = own.filter(deadline__case__in=cases_visible_to(user))
    if not user.has_role(*PARTNERSHIP_WIDE):
        mine = mine.filter(Q(deadline__agency__isnull=True) | Q(deadline__agency_id=user.agency_id))
    if not user.agency_id:
        return mine
    actions = own.filter(
        deadline__rule=Rule.ACTION,
        deadline__agency_id=user.agency_id,
        deadline__case__partnership_id=user.partnership_id,
    )
    return mine | actions


def case_grants(user, case) -> frozenset:
    """The guardian codenames the user holds on this case, directly or through a group
    (one query: a page checks this on every request)."""
    by_user = CaseUserObjectPermission.objects.filter(user=user, content_object=case)
    by_group = CaseGroupObjectPermission.objects.filter(group__user=user, content_object=case)
    return frozenset(
        by_user.values_list("permission__codename", flat=True).union(
            by_group.values_list("permission__codename", flat=True)
        )
    )


# What a guardian grant on the case can add to what a person's roles allow.
GRANTABLE = frozenset({VIEW, VIEW_TIMELINE, VIEW_CHILD})


def case_permissions(user, case) -> frozenset:
    """What the user may do with this case: a subset of VIEW, VIEW_TIMELINE, VIEW_CHILD, CHANGE."""
    if not _is_active(user) or case.partnership_id != user.partnership_id:
        return frozenset()
    allowed = set()
    if user.has_role(*PARTNERSHIP_WIDE):
        allowed |= {VIEW, VIEW_TIMELINE}
    if user.has_role(Role.BUSINESS_UNIT):
        allowed |= {CHANGE, VIEW_CHILD}
    if allowed >= GRANTABLE:
        return frozenset(allowed)  # a grant could add nothing: no need to read them
    grants = case_grants(user, case)
    if GRANT_VIEW in grants:
        allowed.add(VIEW)
        if user.has_role(Role.INDEPENDENT_REVIEWER):
            allowed.add(VIEW_TIMELINE)
    if GRANT_VIEW_CHILD in grants and VIEW in allowed:
        allowed.add(VIEW_CHILD)
    return frozenset(allowed)


def can(user, action, case) -> bool:
    return action in case_permissions(user, case)


def resolve(obj, allowed, action, *, what, log=True):
    """The one 404/403 rule for every access helper: `obj` (or None) with the actions
    `allowed` to the user. Returns it with `obj.permissions` set for templates.

    Every object handed out or refused here is noted in the request's access log
    (`log=False` for objects that are not case data)."""
    if log:
        access_log.note(obj, allowed, action, what=what)
    if obj is None or VIEW not in allowed:
        raise Http404(f"No such {what}.")
    if action not in allowed:
        raise PermissionDenied(f"You cannot do that with this {what}.")
    obj.permissions = allowed
    return obj


def access_case(user, pk, action=VIEW, *, log=True):
    """The case, or 404 when the user may not see it, or 403 when they may not do `action`.
    `log=False` only for a check made before anything of the case is shown."""
    case = Case.objects.select_related("partnership").filter(pk=pk).first()
    allowed = case_permissions(user, case) if case else frozenset()
    return resolve(case, allowed, action, what="case", log=log)


VIEW_ACCESS_LOG = "view_access_log"


def access_case_log(user, pk):
    """The case, for its access log page: the business unit of its partnership only
    (404 when the user may not see the case, 403 when they see it but are not the unit)."""
    case = Case.objects.select_related("partnership").filter(pk=pk).first()
    allowed = set(case_permissions(user, case)) if case else set()
    if VIEW in allowed and user.has_role(Role.BUSINESS_UNIT):
        allowed.add(VIEW_ACCESS_LOG)
    return resolve(case, frozenset(allowed), VIEW_ACCESS_LOG, what="case")


def access_agency_log(user, pk):
    """The agency, for the page listing who read its requests, returns and referrals: its
    own contributors only. Anyone else of the partnership sees the agency exists (403);
    outside it, 404. The page itself shows no case content, so it is not logged."""
    from cspr.models import Agency

    agency = Agency.objects.filter(pk=pk).first()
    allowed = set()
    if agency is not None and is_member(user) and agency.partnership_id == user.partnership_id:
        allowed.add(VIEW)
        if user.has_role(Role.AGENCY_CONTRIBUTOR) and user.agency_id == agency.pk:
            allowed.add(VIEW_ACCESS_LOG)
    return resolve(agency, frozenset(allowed), VIEW_ACCESS_LOG, what="agency", log=False)


def grant_agency(case, agency, *, child_details=True):
    """Let an agency's contributors see the case (and, usually, the child's details).
    Callers record the event; see `cspr.services.cases.case_grant_agency`."""
    assign_perm(f"cspr.{GRANT_VIEW}", agency.group, case)
    if child_details:
        assign_perm(f"cspr.{GRANT_VIEW_CHILD}", agency.group, case)


def revoke_agency(case, agency):
    remove_perm(f"cspr.{GRANT_VIEW}", agency.group, case)
    remove_perm(f"cspr.{GRANT_VIEW_CHILD}", agency.group, case)


def grant_person(case, user, *, child_details=True):
    assign_perm(f"cspr.{GRANT_VIEW}", user, case)
    if child_details:
        assign_perm(f"cspr.{GRANT_VIEW_CHILD}", user, case)


def revoke_person(case, user):
    remove_perm(f"cspr.{GRANT_VIEW}", user, case)
    remove_perm(f"cspr.{GRANT_VIEW_CHILD}", user, case)


def agencies_granted(case):
    """The agencies whose contributors may see the case."""
    from cspr.models import Agency

    return Agency.objects.filter(
        Exists(
            CaseGroupObjectPermission.objects.filter(
                content_object=case,
                group=OuterRef("group"),
                permission__in=_permission_ids(GRANT_VIEW),
            )
        )
    )


def may_administer(user) -> bool:
    return _is_active(user) and user.has_role(Role.ADMINISTRATOR)


def may_manage_cases(user) -> bool:
    """May open new cases in their partnership."""
    return _is_active(user) and bool(user.partnership_id) and user.has_role(Role.BUSINESS_UNIT)


def may_see_deadlines(user) -> bool:
    """Deadlines and timelines are for the partnership-wide roles and the reviewer;
    an agency sees only its own requests."""
    return _is_active(user) and user.has_role(*PARTNERSHIP_WIDE, Role.INDEPENDENT_REVIEWER)


def deadlines_visible_to(user):
    """Deadlines on cases whose timeline the user may see (for home pages and lists)."""
    from cspr.models import Deadline

    if not _is_active(user) or not user.partnership_id:
        return Deadline.objects.none()
    mine = Deadline.objects.filter(case__partnership_id=user.partnership_id)
    if user.has_role(*PARTNERSHIP_WIDE):
        return mine
    if user.has_role(Role.INDEPENDENT_REVIEWER):
        return mine.filter(case__in=cases_visible_to(user))
    return mine.none()
