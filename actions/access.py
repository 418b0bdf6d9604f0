"""Who may see or act on action plans: the actions part of the access policy.

- The partnership's business unit, sub-group and executives see every plan and action of
  their partnership's cases. The business unit maintains the plans (MAINTAIN); the
  sub-group monitors them.
- An agency contributor sees and updates only their own agency's actions, on any case of
  their partnership, and nothing else of the plan: not another agency's actions, not the
  case's other records (seeing an action needs no grant on the case, and gives none).
- Independent reviewers and administrators see no action.
- Nobody sees anything of another partnership.

(Being completed by the action-plans part; `actions_visible_to` is the contract the
dashboards use.)
"""

from django.db.models import Q

from actions.models import Action
from cspr import access as case_access
from cspr.models import Role


def actions_visible_to(user):
    """Every action the user may see, filtered in SQL."""
    if not case_access.is_member(user):
        return Action.objects.none()
    mine = Action.objects.filter(plan__case__partnership_id=user.partnership_id)
    if user.has_role(*case_access.PARTNERSHIP_WIDE):
        return mine
    if user.has_role(Role.AGENCY_CONTRIBUTOR) and user.agency_id:
        return mine.filter(Q(agency_id=user.agency_id))
    return Action.objects.none()
