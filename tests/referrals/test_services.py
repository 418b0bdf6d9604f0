"""Referral services: every transition and guard."""

import datetime

import pytest

from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, EventKind
from referrals import services
from referrals.models import Referral, ReferralStatus
from tests.referrals.conftest import make_draft


def test_a_draft_starts_in_the_referrers_partnership_and_agency(world):
    referral = services.referral_start(by=world["police_contributor"])
    assert referral.status == ReferralStatus.DRAFT
    assert referral.partnership == world.partnership
    assert referral.referring_agency == world.police


@pytest.mark.parametrize("persona", ["administrator", "reviewer"])
def test_administrators_and_reviewers_do_not_refer(world, persona):
    with pytest.raises(TransitionNotAllowed):
        services.referral_start(by=world[persona])


def test_a_half_filled_draft_saves_and_cannot_be_submitted_until_complete(world):
    referral = make_draft(world, fields={"case_outline": "Started"}, child={})
    with pytest.raises(Incomplete) as refused:
        services.referral_submit(referral=referral, by=world["police_contributor"])
    assert set(refused.value.fields) == {"given_names", "incident_date", "nature"}
    referral.refresh_from_db()
    assert (referral.status, referral.case_outline) == (ReferralStatus.DRAFT, "Started")


def test_an_individuals_referral_needs_their_name_and_contact(world):
    referral = make_draft(world, persona="business_manager")
    with pytest.raises(Incomplete) as refused:
        services.referral_submit(referral=referral, by=world["business_manager"])
    assert set(refused.value.fields) == {"referrer_name", "referrer_contact"}


def test_an_incident_in_the_future_is_refused(world):
    fields = {"incident_date": datetime.date(2099, 1, 1), "nature": "death", "case_outline": "x"}
    referral = make_draft(world, fields=fields)
    with pytest.raises(Incomplete, match="today or in the past"):
        services.referral_submit(referral=referral, by=world["police_contributor"])


def test_submitting_twice_is_refused(world, submitted):
    with pytest.raises(TransitionNotAllowed):
        services.referral_submit(referral=submitted, by=world["police_contributor"])


def test_only_the_author_edits_or_submits_a_draft(world, draft):
    with pytest.raises(TransitionNotAllowed):
        services.referral_save_draft(
            referral=draft, fields={}, child={}, agencies_involved=[], by=world["business_manager"]
        )
    with pytest.raises(TransitionNotAllowed):
        services.referral_submit(referral=draft, by=world["health_contributor"])


def test_a_submitted_referral_can_no_longer_be_edited(world, submitted):
    with pytest.raises(TransitionNotAllowed):
        services.referral_save_draft(
            referral=submitted,
            fields={},
            child={},
            agencies_involved=[],
            by=world["police_contributor"],
        )


def test_an_agency_of_another_partnership_cannot_be_named(world, draft):
    from tests.factories import AgencyFactory

    elsewhere = AgencyFactory(partnership=world.other_partnership)
    with pytest.raises(TransitionNotAllowed):
        services.referral_save_draft(
            referral=draft,
            fields={},
            child={},
            agencies_involved=[elsewhere],
            by=world["police_contributor"],
        )


def test_triage_opens_a_case_with_the_childs_details_and_a_timeline_row(world, triaged):
    case = triaged.case
    assert (case.pseudonym, case.partnership) == ("Child R", world.partnership)
    assert case.child.family_name == "Fictional"
    event = case.events.get(kind=EventKind.REFERRAL_RECEIVED)
    assert "Northtown Police" in event.summary
    assert event.by == world["business_manager"]
    assert triaged.status == ReferralStatus.TRIAGED


def test_triage_can_attach_to_an_existing_case(world, submitted):
    referral = services.referral_triage(
        referral=submitted, case=world.case, note="Same child", by=world["business_manager"]
    )
    assert referral.case == world.case
    assert Case.objects.filter(partnership=world.partnership).count() == 1


def test_triage_needs_a_case_or_a_name(world, submitted):
    with pytest.raises(Incomplete):
        services.referral_triage(referral=submitted, note="x", by=world["business_manager"])


def test_triage_refuses_another_partnerships_case(world, submitted):
    with pytest.raises(TransitionNotAllowed):
        services.referral_triage(
            referral=submitted, case=world.other_case, note="x", by=world["business_manager"]
        )


@pytest.mark.parametrize("persona", ["subgroup_chair", "police_contributor", "stranger"])
def test_only_the_business_unit_triages(world, submitted, persona):
    with pytest.raises(TransitionNotAllowed):
        services.referral_triage(
            referral=submitted, pseudonym="Child S", note="x", by=world[persona]
        )


def test_the_chair_records_the_decision_with_a_rationale(world, decided):
    assert decided.status == ReferralStatus.DECIDED
    assert decided.decided_by == world["subgroup_chair"]
    event = decided.case.events.get(kind=EventKind.REFERRAL_DECIDED)
    assert "Ask the local authority to notify the Panel" in event.summary
    assert decided.history.first().history_user == world["subgroup_chair"]


def test_a_decision_needs_a_rationale_and_a_triaged_referral(world, submitted):
    with pytest.raises(Incomplete):
        services.referral_decide(
            referral=submitted, decision="notify", rationale=" ", by=world["subgroup_chair"]
        )
    with pytest.raises(TransitionNotAllowed):
        services.referral_decide(
            referral=submitted, decision="notify", rationale="x", by=world["subgroup_chair"]
        )


@pytest.mark.parametrize("persona", ["subgroup_member", "business_manager", "executive"])
def test_only_the_chair_records_the_decision(world, triaged, persona):
    with pytest.raises(TransitionNotAllowed):
        services.referral_decide(
            referral=triaged, decision="no_further_action", rationale="x", by=world[persona]
        )


def test_a_decided_referral_cannot_be_decided_again_or_withdrawn(world, decided):
    with pytest.raises(TransitionNotAllowed):
        services.referral_decide(
            referral=decided, decision="rapid_review", rationale="x", by=world["subgroup_chair"]
        )
    with pytest.raises(TransitionNotAllowed):
        services.referral_withdraw(referral=decided, reason="x", by=world["business_manager"])


def test_the_author_withdraws_before_triage_with_a_reason(world, submitted):
    referral = services.referral_withdraw(
        referral=submitted, reason="Sent in error", by=world["police_contributor"]
    )
    assert referral.status == ReferralStatus.WITHDRAWN
    assert Referral.objects.get(pk=referral.pk).withdrawn_reason == "Sent in error"


def test_withdrawing_after_triage_is_the_business_units_and_shows_on_the_case(world, triaged):
    with pytest.raises(TransitionNotAllowed):
        services.referral_withdraw(referral=triaged, reason="x", by=world["police_contributor"])
    services.referral_withdraw(referral=triaged, reason="Duplicate", by=world["business_manager"])
    assert triaged.case.events.filter(kind=EventKind.REFERRAL_WITHDRAWN).exists()


def test_a_looked_after_childs_death_is_always_notifiable(world):
    fields = {"nature": "death", "looked_after": True, "abuse_or_neglect": False}
    assert make_draft(world, fields=fields).is_notifiable_whatever_the_cause
    fields = {"nature": "serious_harm", "looked_after": True}
    assert not make_draft(world, fields=fields).is_notifiable_whatever_the_cause


def test_an_agency_contributor_refers_only_for_their_own_agency(world, draft):
    with pytest.raises(Incomplete, match="your own agency"):
        services.referral_save_draft(
            referral=draft,
            fields={"referring_agency": world.health},
            child={},
            agencies_involved=[],
            by=world["police_contributor"],
        )


def test_the_business_unit_refers_for_an_agency_or_an_individual(world):
    referral = make_draft(world, persona="business_manager")
    services.referral_save_draft(
        referral=referral,
        fields={"referring_agency": world.health},
        child={},
        agencies_involved=[],
        by=world["business_manager"],
    )
    referral.refresh_from_db()
    assert referral.referring_agency == world.health
