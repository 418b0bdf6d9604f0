"""Who may see or act on a referral: the referral part of the access policy.

- The author sees their own referral, drafts included, and its outcome; nothing else.
- The business unit, the sub-group and executives of the partnership see every
  submitted referral; drafts stay private to their author.
- The child's identifying details: the author and the business unit.
- Edit and submit: the author, while it is a draft. Triage: the business unit, once
  submitted. Decide: the sub-group chair, once triaged. Withdraw: the author before
  triage, or the business unit before the decision.
"""

from django.db.models import Q

from cspr.access import PARTNERSHIP_WIDE, is_member, resolve
from cspr.models import Role
from referrals.models import Referral, ReferralStatus

VIEW, VIEW_CHILD, EDIT, TRIAGE, DECIDE, WITHDRAW = (
    "view",
    "view_child",
    "edit",
    "triage",
    "decide",
    "withdraw",
)

MAY_REFER = (
    Role.AGENCY_CONTRIBUTOR,
    Role.BUSINESS_UNIT,
    Role.SUBGROUP_MEMBER,
    Role.SUBGROUP_CHAIR,
    Role.EXECUTIVE,
)


def may_refer(user) -> bool:
    return is_member(user) and user.has_role(*MAY_REFER)


def referrals_visible_to(user):
    if not is_member(user):
        return Referral.objects.none()
    mine = Referral.objects.filter(partnership_id=user.partnership_id)
    own = Q(created_by=user)
    if user.has_role(*PARTNERSHIP_WIDE):
        return mine.filter(own | ~Q(status=ReferralStatus.DRAFT))
    return mine.filter(own)


def referral_permissions(user, referral) -> frozenset:
    if not is_member(user) or referral.partnership_id != user.partnership_id:
        return frozenset()
    status = referral.status
    is_author = referral.created_by_id == user.pk
    wide = user.has_role(*PARTNERSHIP_WIDE)
    business_unit = user.has_role(Role.BUSINESS_UNIT)
    allowed = set()
    if is_author or (wide and status != ReferralStatus.DRAFT):
        allowed.add(VIEW)
    if VIEW in allowed and (is_author or business_unit):
        allowed.add(VIEW_CHILD)
    if is_author and status == ReferralStatus.DRAFT:
        allowed.add(EDIT)
    if business_unit and status == ReferralStatus.SUBMITTED:
        allowed.add(TRIAGE)
    if user.has_role(Role.SUBGROUP_CHAIR) and status == ReferralStatus.TRIAGED:
        allowed.add(DECIDE)
    if (is_author and status in (ReferralStatus.DRAFT, ReferralStatus.SUBMITTED)) or (
        business_unit and status in (ReferralStatus.SUBMITTED, ReferralStatus.TRIAGED)
    ):
        allowed.add(WITHDRAW)
    return frozenset(allowed)


def can(user, action, referral) -> bool:
    return action in referral_permissions(user, referral)


def access_referral(user, pk, action=VIEW):
    """The referral, 404 when the user may not see it, 403 when they may not do `action`."""
    referral = Referral.objects.select_related("partnership", "case").filter(pk=pk).first()
    allowed = referral_permissions(user, referral) if referral else frozenset()
    return resolve(referral, allowed, action, what="referral")
