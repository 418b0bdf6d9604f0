"""Reads for referral pages, scoped to the person asking."""

from referrals.access import referrals_visible_to


def referral_list(user):
    return (
        referrals_visible_to(user)
        .select_related("referring_agency", "created_by", "case")
        .order_by("-created_at", "-id")
    )
