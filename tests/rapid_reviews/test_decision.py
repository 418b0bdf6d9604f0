"""The learning meeting, approval, the three partners' sign-off, the family, the report
and the Panel's response."""

import datetime

import pytest

from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind, Stage
from rapid_reviews import services
from rapid_reviews.models import PanelOutcome

D = datetime.date
MEETING = {
    "held_on": D(2026, 11, 18),  # inside the window 17 to 23 November
    "attendees": "Chair (fictional)\nPolice lead (fictional)",
    "recommendation": "local_cspr",
    "other_review_type": "",
    "criteria_rationale": {"working_together": "Agencies did not share information."},
    "circumstances_rationale": {},
    "rationale": "Learning about information sharing.",
    "lived_experience": "",
    "equality_considerations": "",
    "learning": "",
    "parallel_processes": "",
}


def meet(world, review, **overrides):
    return services.meeting_record(
        rapid_review=review,
        data={**MEETING, **overrides},
        actions=[("Brief all staff on information sharing", world.police)],
        by=world["business_manager"],
    )


@pytest.fixture
def decided(world, review, executives):
    meet(world, review)
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    for executive in executives.values():
        services.partner_sign_off(rapid_review=review, by=executive)
    return review


def test_the_meeting_meets_its_window_and_records_actions(world, review):
    meeting = meet(world, review)
    review.meeting_deadline.refresh_from_db()
    assert review.meeting_deadline.status == DeadlineStatus.MET
    assert meeting.window_warning == ""
    assert meeting.immediate_actions.get().agency == world.police


def test_a_meeting_outside_the_window_is_recorded_with_a_warning(world, review):
    meeting = meet(world, review, held_on=D(2026, 11, 12))
    assert "outside the window of 17 November 2026 to 23 November 2026" in meeting.window_warning


def test_the_recommendation_needs_a_rationale_against_the_criteria(world, review):
    with pytest.raises(Incomplete, match="at least one criterion"):
        meet(world, review, criteria_rationale={"working_together": " "})
    with pytest.raises(Incomplete, match="which other type"):
        meet(world, review, recommendation="other_review")


@pytest.mark.parametrize("persona", ["subgroup_member", "executive", "business_manager"])
def test_only_the_chair_approves(world, review, persona):
    meet(world, review)
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_approve(rapid_review=review, by=world[persona])


def test_partners_sign_only_after_approval_once_each_and_only_executives_of_the_three(
    world, review, executives
):
    meet(world, review)
    with pytest.raises(TransitionNotAllowed, match="approve the recommendation first"):
        services.partner_sign_off(rapid_review=review, by=executives["police"])
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    services.partner_sign_off(rapid_review=review, by=executives["police"])
    with pytest.raises(TransitionNotAllowed, match="already signed off"):
        services.partner_sign_off(rapid_review=review, by=executives["police"])
    for persona in ("subgroup_chair", "police_contributor", "business_manager"):
        with pytest.raises(TransitionNotAllowed):
            services.partner_sign_off(rapid_review=review, by=world[persona])
    assert not review.is_decided


def test_the_report_goes_only_after_all_three_sign_and_then_the_case_awaits_the_panel(
    world, review, executives
):
    meet(world, review)
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    services.partner_sign_off(rapid_review=review, by=executives["police"])
    with pytest.raises(TransitionNotAllowed, match="All three"):
        services.report_sent(
            rapid_review=review, sent_on=D(2026, 11, 20), by=world["business_manager"]
        )
    for key in ("local_authority", "icb"):
        services.partner_sign_off(rapid_review=review, by=executives[key])
    review = services.report_sent(
        rapid_review=review, sent_on=D(2026, 11, 20), by=world["business_manager"]
    )
    assert review.report_deadline.status == DeadlineStatus.MET
    # The chase: 10 working days after Friday 20 November is Friday 4 December.
    assert review.chase_deadline.due_on == D(2026, 12, 4)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.PANEL_RESPONSE


def test_family_informed_is_recorded_by_the_business_unit_only(world, review):
    with pytest.raises(TransitionNotAllowed):
        services.family_informed(
            rapid_review=review,
            informed_on=D(2026, 11, 12),
            informed_by="x",
            method="Visit",
            note="",
            by=world["police_contributor"],
        )
    services.family_informed(
        rapid_review=review,
        informed_on=D(2026, 11, 12),
        informed_by="Lead social worker (fictional)",
        method="Home visit",
        note="",
        by=world["business_manager"],
    )
    assert world.case.events.filter(kind=EventKind.FAMILY_INFORMED).exists()


def respond(world, review, outcome, **extra):
    return services.panel_response_record(
        rapid_review=review,
        outcome=outcome,
        letter_date=D(2026, 11, 23),
        received_on=D(2026, 11, 23),
        text="The Panel agrees (fictional letter).",
        information_due_on=extra.get("information_due_on"),
        by=world["business_manager"],
    )


def test_the_panels_agreement_allows_a_local_review_and_meets_the_chase(world, decided):
    services.report_sent(
        rapid_review=decided, sent_on=D(2026, 11, 20), by=world["business_manager"]
    )
    assert not services.may_start_local_review(world.case)
    respond(world, decided, PanelOutcome.AGREES_LOCAL_CSPR)
    decided.refresh_from_db()
    assert decided.chase_deadline.status == DeadlineStatus.MET
    world.case.refresh_from_db()
    assert world.case.stage == Stage.LOCAL_REVIEW
    assert services.may_start_local_review(world.case)


def test_a_request_for_information_sets_its_own_deadline(world, decided):
    services.report_sent(
        rapid_review=decided, sent_on=D(2026, 11, 20), by=world["business_manager"]
    )
    with pytest.raises(Incomplete, match="when the Panel wants"):
        respond(world, decided, PanelOutcome.MORE_INFORMATION)
    respond(world, decided, PanelOutcome.MORE_INFORMATION, information_due_on=D(2026, 12, 7))
    assert world.case.deadlines.filter(title__startswith="Send the Panel the information").exists()
    assert not services.may_start_local_review(world.case)


def test_no_response_before_the_report_is_sent(world, decided):
    with pytest.raises(TransitionNotAllowed, match="report as sent"):
        respond(world, decided, PanelOutcome.AGREES_NO_CSPR)


def test_a_case_cannot_move_to_a_local_review_before_the_panel_agrees(world, decided):
    from cspr.services.cases import case_move_stage

    services.report_sent(
        rapid_review=decided, sent_on=D(2026, 11, 20), by=world["business_manager"]
    )
    with pytest.raises(TransitionNotAllowed, match="only after the Panel's response"):
        case_move_stage(case=world.case, to=Stage.LOCAL_REVIEW, by=world["business_manager"])
