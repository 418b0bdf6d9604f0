"""Referrals in each workflow state, made through the services as people would."""

import datetime

import pytest

from referrals import services
from referrals.models import Nature

COMPLETE = {
    "incident_date": datetime.date(2026, 11, 2),
    "nature": Nature.SERIOUS_HARM,
    "case_outline": "A fictional outline of the incident.",
    "abuse_or_neglect": True,
    "criteria": ["working_together"],
}
CHILD = {"given_names": "Robin", "family_name": "Fictional"}


def make_draft(world, persona="police_contributor", fields=None, child=None):
    by = world[persona]
    referral = services.referral_start(by=by)
    return services.referral_save_draft(
        referral=referral,
        fields=COMPLETE if fields is None else fields,
        child=CHILD if child is None else child,
        agencies_involved=[world.police],
        by=by,
    )


@pytest.fixture
def draft(world):
    return make_draft(world)


@pytest.fixture
def submitted(world, draft):
    return services.referral_submit(referral=draft, by=world["police_contributor"])


@pytest.fixture
def triaged(world, submitted):
    return services.referral_triage(
        referral=submitted,
        pseudonym="Child R",
        note="Meets the threshold",
        by=world["business_manager"],
    )


@pytest.fixture
def decided(world, triaged):
    return services.referral_decide(
        referral=triaged,
        decision="notify",
        rationale="Serious harm; agencies involved",
        by=world["subgroup_chair"],
    )
