"""Who may see or act on action plans: the actions part of the access policy.

- The partnership's business unit, sub-group and executives see every plan and action of
  their partnership's cases. The business unit maintains the plans (MAINTAIN: opens a
  plan, adds, edits and reopens actions, takes in the learning meeting's immediate
  actions, closes barriers) and may do anything an agency may (UPDATE).
- The sub-group monitors the plans; its chair, like the business unit, records how an
  action's impact was assured (ASSURE).
- Executives read the plans and respond to the barriers escalated to them (RESPOND).
- An agency contributor sees and updates only their own agency's actions, on any case of
  their partnership (UPDATE: progress, completion, evidence, barriers), and nothing else
  of the plan: not another agency's actions, not the immediate actions still to be taken
  in, not the case's other records. They reach a case's plans page only when their agency
  owns an action there or was granted the case; seeing an action gives no grant on the case.
- Independent reviewers and administrators see no action.
- Nobody sees anything of another partnership.

Objects a URL names (a plan, an action, a piece of evidence, a barrier, an immediate
action) are looked up within the case, plan or action the person reached, so an id from
another case answers exactly like an id nobody has.
"""

from django.db.models import Q
from django.http import Http404

from actions.models import Action, ActionPlan, Barrier, Evidence
from cspr import access as case_access
from cspr.models import Case, Role

VIEW = case_access.VIEW
MAINTAIN = "maintain"
UPDATE = "update"
ASSURE = "assure"
RESPOND = "respond"

ACTIONS = (MAINTAIN, UPDATE, ASSURE, RESPOND)


def _contributor_agency(user):
    """The agency whose actions a contributor sees, or None."""
    if user.has_role(Role.AGENCY_CONTRIBUTOR) and user.agency_id:
        return user.agency_id
    return None


def actions_visible_to(user):
    """Every action the user may see, filtered in SQL."""
    if not case_access.is_member(user):
        return Action.objects.none()
    mine = Action.objects.filter(plan__case__partnership_id=user.partnership_id)
    if user.has_role(*case_access.PARTNERSHIP_WIDE):
        return mine
    agency_id = _contributor_agency(user)
    if agency_id:
        return mine.filter(Q(agency_id=agency_id))
    return Action.objects.none()


def _wide_permissions(user) -> set:
    """What a partnership-wide role gives over every plan and action of the partnership."""
    allowed = set()
    if user.has_role(*case_access.PARTNERSHIP_WIDE):
        allowed.add(VIEW)
    if user.has_role(Role.BUSINESS_UNIT):
        allowed |= {MAINTAIN, UPDATE, ASSURE}
    if user.has_role(Role.SUBGROUP_CHAIR):
        allowed.add(ASSURE)
    if user.has_role(Role.EXECUTIVE):
        allowed.add(RESPOND)
    return allowed


def plans_permissions(user, case) -> frozenset:
    """What the user may do with the case's action plans as a whole. An agency contributor
    gets VIEW (of their own agency's actions only) where their agency owns an action of
    the case or was granted the case; nothing more at this level."""
    if case is None or not case_access.is_member(user):
        return frozenset()
    if case.partnership_id != user.partnership_id:
        return frozenset()
    allowed = _wide_permissions(user)
    agency_id = _contributor_agency(user)
    if VIEW not in allowed and agency_id:
        owns_one = Action.objects.filter(plan__case=case, agency_id=agency_id).exists()
        if owns_one or case_access.can(user, VIEW, case):
            allowed.add(VIEW)
    return frozenset(allowed)


def is_wide(user) -> bool:
    """Sees every action of the partnership (not only one agency's)."""
    return user.has_role(*case_access.PARTNERSHIP_WIDE)


def action_permissions(user, action) -> frozenset:
    """What the user may do with one action (whose `plan.case` is loaded)."""
    case = action.plan.case
    if not case_access.is_member(user) or case.partnership_id != user.partnership_id:
        return frozenset()
    allowed = _wide_permissions(user)
    if _contributor_agency(user) == action.agency_id:
        allowed |= {VIEW, UPDATE}
    if VIEW not in allowed:
        return frozenset()
    return frozenset(allowed)


def may(user, what, action) -> bool:
    return what in action_permissions(user, action)


def _case(case_pk):
    return Case.objects.select_related("partnership").filter(pk=case_pk).first()


def access_plans(user, case_pk, what=VIEW):
    """The case, for its action plans pages: 404 when the user may not see them, 403 when
    they may but not do `what` (MAINTAIN: the business unit). `case.permissions` is what
    they may do."""
    case = _case(case_pk)
    allowed = plans_permissions(user, case)
    return case_access.resolve(case, allowed, what, what="case")


def access_plan(user, case_pk, pk, what=VIEW):
    """One of the case's plans, looked up within the case."""
    case = access_plans(user, case_pk, VIEW)
    plan = ActionPlan.objects.filter(case=case, pk=pk).first()
    if plan is not None:
        plan.case = case
    return case_access.resolve(plan, case.permissions if plan else frozenset(), what, what="plan")


def access_action(user, case_pk, pk, what=VIEW):
    """One action of the case: 404 when the user may not see it (another agency's, another
    case's, another partnership's), 403 when they see it but may not do `what`."""
    action = (
        Action.objects.select_related(
            "plan__case__partnership", "agency", "deadline", "immediate_action"
        )
        .filter(plan__case_id=case_pk, pk=pk)
        .first()
    )
    allowed = action_permissions(user, action) if action else frozenset()
    return case_access.resolve(action, allowed, what, what="action")


def _action_object(user, case_pk, action_pk, queryset, pk, what, label):
    action = access_action(user, case_pk, action_pk)
    found = queryset.filter(action=action, pk=pk).first()
    if found is None:
        raise Http404("Nothing here.")
    found.action = action
    return case_access.resolve(found, action.permissions, what, what=label)


def access_evidence(user, case_pk, action_pk, pk, what=VIEW):
    """Evidence of the action, not removed: 404 otherwise."""
    queryset = Evidence.objects.filter(removed_at__isnull=True).select_related("added_by")
    return _action_object(user, case_pk, action_pk, queryset, pk, what, "evidence")


def access_barrier(user, case_pk, action_pk, pk, what=VIEW):
    return _action_object(user, case_pk, action_pk, Barrier.objects, pk, what, "barrier")


def may_see_barriers(user) -> bool:
    """The partnership's barriers page: the partnership-wide roles (executives respond
    there; the business unit closes; the sub-group monitors)."""
    return case_access.is_member(user) and is_wide(user)


def may_list_actions(user) -> bool:
    """The partnership-wide actions list: everyone who may see some action."""
    return case_access.is_member(user) and (is_wide(user) or _contributor_agency(user) is not None)
