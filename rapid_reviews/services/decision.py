"""The learning meeting, the chair's approval, the partners' sign-off, informing the
family, sending the report and the Panel's response (R3, R5)."""

from django.db import transaction
from django.utils import timezone

from cspr import access
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import AgencyType, EventKind, Role, Stage
from cspr.services.audit import record_event, stamp
from cspr.services.cases import case_move_stage
from cspr.services.deadlines import deadline_set, deadline_settle
from rapid_reviews.models import (
    FamilyContact,
    ImmediateAction,
    LearningMeeting,
    PanelOutcome,
    PanelResponse,
    Partner,
    PartnerSignOff,
    RapidReview,
    Recommendation,
)

PARTNER_FOR_AGENCY = {
    AgencyType.LOCAL_AUTHORITY: Partner.LOCAL_AUTHORITY,
    AgencyType.POLICE: Partner.POLICE,
    AgencyType.INTEGRATED_CARE_BOARD: Partner.INTEGRATED_CARE_BOARD,
}
MEETING_FIELDS = [
    "held_on",
    "attendees",
    "recommendation",
    "other_review_type",
    "criteria_rationale",
    "circumstances_rationale",
    "rationale",
    "lived_experience",
    "equality_considerations",
    "learning",
    "parallel_processes",
]


def _fmt(day):
    return f"{day:%-d %B %Y}"


def _lock(review):
    return (
        RapidReview.objects.select_for_update(of=("self",))
        .select_related("case__partnership", "meeting_deadline", "report_deadline")
        .get(pk=review.pk)
    )


def _guard_business_unit(review, by, what):
    if not access.can(by, access.CHANGE, review.case):
        raise TransitionNotAllowed(f"Only the business unit can {what}.")


def meeting_record(*, rapid_review, data, actions, by):
    """Record the learning meeting, its immediate actions and the panel's recommendation.
    Warns (does not refuse) when held outside the 6-10 working-day window. Once."""
    with transaction.atomic():
        review = _lock(rapid_review)
        _guard_business_unit(review, by, "record the learning meeting")
        recorded = (
            LearningMeeting.objects.filter(rapid_review=review)
            .select_related("recorded_by")
            .first()
        )
        if recorded:
            # Two people may write it up at once: say who was first and keep the rest's text.
            raise TransitionNotAllowed(
                f"{recorded.recorded_by} already recorded the learning meeting at "
                f"{timezone.localtime(recorded.recorded_at):%H:%M on %-d %B %Y}. What you "
                "typed is below, not saved: check the recorded meeting on the rapid review page."
            )
        missing = {}
        if data["held_on"] > timezone.localdate():
            missing["held_on"] = "The meeting date must be today or in the past"
        if (
            data["recommendation"] == Recommendation.OTHER_REVIEW
            and not data.get("other_review_type", "").strip()
        ):
            missing["other_review_type"] = "Say which other type of review"
        if not any(text.strip() for text in data["criteria_rationale"].values()):
            missing["criteria_rationale"] = "Give the rationale against at least one criterion"
        if missing:
            raise Incomplete(missing)
        window = review.meeting_deadline
        warning = ""
        if not (window.opens_on <= data["held_on"] <= window.due_on):
            warning = (
                f"Held {_fmt(data['held_on'])}, outside the window of {_fmt(window.opens_on)} "
                f"to {_fmt(window.due_on)}."
            )
        meeting = stamp(
            LearningMeeting(
                rapid_review=review,
                window_warning=warning,
                recorded_by=by,
                **{name: data.get(name, "") for name in MEETING_FIELDS},
            ),
            by=by,
            reason="Recorded",
        )
        meeting.save()
        for description, agency in actions:
            stamp(
                ImmediateAction(meeting=meeting, description=description, agency=agency),
                by=by,
                reason="Recorded",
            ).save()
        deadline_settle(deadline=window, on=data["held_on"], by=by)
        record_event(
            case=review.case,
            kind=EventKind.MEETING_RECORDED,
            by=by,
            summary=f"Learning meeting held {_fmt(data['held_on'])}: recommends "
            f"{meeting.get_recommendation_display().lower()}",
            note=warning,
        )
    return meeting


def recommendation_approve(*, rapid_review, by):
    """The sub-group chair approves the panel's recommendation."""
    with transaction.atomic():
        review = _lock(rapid_review)
        if not (by.has_role(Role.SUBGROUP_CHAIR) and access.can(by, access.VIEW, review.case)):
            raise TransitionNotAllowed("Only the sub-group chair can approve the recommendation.")
        meeting = LearningMeeting.objects.select_for_update().filter(rapid_review=review).first()
        if meeting is None:
            raise TransitionNotAllowed("Record the learning meeting first.")
        if meeting.approved_at:
            raise TransitionNotAllowed("The chair has already approved the recommendation.")
        meeting.approved_at, meeting.approved_by = timezone.now(), by
        stamp(meeting, by=by, reason="Approved").save()
        record_event(
            case=review.case,
            kind=EventKind.RECOMMENDATION_APPROVED,
            by=by,
            summary="The sub-group chair approved the recommendation",
        )
    return meeting


def partner_for(user):
    """The safeguarding partner an executive signs for, from their agency's type."""
    if not user.has_role(Role.EXECUTIVE) or user.agency is None:
        return None
    return PARTNER_FOR_AGENCY.get(user.agency.type)


def partner_sign_off(*, rapid_review, by, note=""):
    """An executive of one of the three safeguarding partners signs off the final decision.
    Needs the chair's approval first; each partner signs once."""
    with transaction.atomic():
        review = _lock(rapid_review)
        partner = partner_for(by)
        if partner is None or not access.can(by, access.VIEW, review.case):
            raise TransitionNotAllowed(
                "Only an executive of the local authority, police or integrated care board "
                "can sign off the decision."
            )
        meeting = LearningMeeting.objects.filter(rapid_review=review).first()
        if meeting is None or not meeting.approved_at:
            raise TransitionNotAllowed("The sub-group chair must approve the recommendation first.")
        if review.sign_offs.filter(partner=partner).exists():
            raise TransitionNotAllowed(
                f"The {Partner(partner).label.lower()} has already signed off."
            )
        sign_off = stamp(
            PartnerSignOff(rapid_review=review, partner=partner, signed_by=by, note=note),
            by=by,
            reason="Signed off",
        )
        sign_off.save()
        record_event(
            case=review.case,
            kind=EventKind.PARTNER_SIGNED_OFF,
            by=by,
            summary=f"{Partner(partner).label} signed off the decision",
            note=note,
        )
    return sign_off


def family_informed(*, rapid_review, informed_on, informed_by, method, note, by):
    """Record that the partnership informed the family (who, when, how). Business unit."""
    with transaction.atomic():
        review = _lock(rapid_review)
        _guard_business_unit(review, by, "record informing the family")
        if informed_on > timezone.localdate():
            raise Incomplete({"informed_on": "The date must be today or in the past"})
        contact = stamp(
            FamilyContact(
                rapid_review=review,
                informed_on=informed_on,
                informed_by=informed_by,
                method=method,
                note=note,
                recorded_by=by,
            ),
            by=by,
            reason="Recorded",
        )
        contact.save()
        record_event(
            case=review.case,
            kind=EventKind.FAMILY_INFORMED,
            by=by,
            summary=f"The family was informed on {_fmt(informed_on)} by {informed_by}",
            note=method,
        )
    return contact


def report_sent(*, rapid_review, sent_on, by):
    """Record the rapid review report as sent to the Panel: the report deadline is met or
    missed, the chase deadline for the Panel's response is set, the case awaits the Panel.
    Needs all three partners' sign-off."""
    with transaction.atomic():
        review = _lock(rapid_review)
        _guard_business_unit(review, by, "record the report as sent")
        if review.report_sent_on:
            raise TransitionNotAllowed(
                f"The report was already sent on {_fmt(review.report_sent_on)}."
            )
        if not review.is_decided:
            raise TransitionNotAllowed("All three safeguarding partners must sign off first.")
        if sent_on > timezone.localdate():
            raise Incomplete({"sent_on": "The date sent must be today or in the past"})
        review.report_sent_on, review.report_sent_by = sent_on, by
        review.report_deadline = deadline_settle(deadline=review.report_deadline, on=sent_on, by=by)
        review.chase_deadline = deadline_set(
            case=review.case,
            rule=Rule.PANEL_RESPONSE_CHASE,
            anchor_date=sent_on,
            anchor_event="the report was sent to the Panel",
            period=review.case.partnership.panel_response_chase_days,
            by=by,
        )
        stamp(review, by=by, reason="Report sent").save()
        case_move_stage(case=review.case, to=Stage.PANEL_RESPONSE, by=by, note="Report sent")
        record_event(
            case=review.case,
            kind=EventKind.REPORT_SENT,
            by=by,
            summary=f"Rapid review report sent to the Panel on {_fmt(sent_on)}",
        )
    return review


# Where each Panel outcome takes the case.
STAGE_AFTER = {
    PanelOutcome.AGREES_LOCAL_CSPR: Stage.LOCAL_REVIEW,
    PanelOutcome.AGREES_NO_CSPR: Stage.LEARNING,
    PanelOutcome.NATIONAL_REVIEW: Stage.NATIONAL_REVIEW,
    PanelOutcome.MORE_INFORMATION: None,
    PanelOutcome.RECONSIDER: Stage.RAPID_REVIEW,
}


def panel_response_record(
    *, rapid_review, outcome, letter_date, received_on, text, information_due_on, by
):
    """Record the Panel's letter. Its outcome moves the case on; a local CSPR may start
    only after an agreeing response. A request for information gets its own deadline."""
    outcome = PanelOutcome(outcome)
    with transaction.atomic():
        review = _lock(rapid_review)
        _guard_business_unit(review, by, "record the Panel's response")
        if not review.report_sent_on:
            raise TransitionNotAllowed("Record the report as sent to the Panel first.")
        missing = {}
        if received_on > timezone.localdate():
            missing["received_on"] = "The date received must be today or in the past"
        if letter_date > received_on:
            missing["letter_date"] = "The letter cannot be dated after it was received"
        if outcome == PanelOutcome.MORE_INFORMATION and not information_due_on:
            missing["information_due_on"] = "Enter when the Panel wants the information"
        if not text.strip():
            missing["text"] = "Enter the text of the Panel's letter"
        if missing:
            raise Incomplete(missing)
        response = stamp(
            PanelResponse(
                rapid_review=review,
                outcome=outcome,
                letter_date=letter_date,
                received_on=received_on,
                text=text,
                information_due_on=information_due_on,
                recorded_by=by,
            ),
            by=by,
            reason="Recorded",
        )
        response.save()
        chase = review.chase_deadline
        if chase:
            deadline_settle(deadline=chase, on=received_on, by=by)
        if outcome == PanelOutcome.MORE_INFORMATION:
            deadline_set(
                case=review.case,
                rule=Rule.OTHER,
                title="Send the Panel the information it asked for",
                anchor_date=received_on,
                anchor_event="the Panel's letter",
                due_on=information_due_on,
                by=by,
            )
        to = STAGE_AFTER[outcome]
        if to and to != review.case.stage:
            case_move_stage(case=review.case, to=to, by=by, note=outcome.label)
        record_event(
            case=review.case,
            kind=EventKind.PANEL_RESPONDED,
            by=by,
            summary=f"The Panel's response: {outcome.label.lower()}",
            note=text,
        )
    return response


def may_start_local_review(case) -> bool:
    """A local CSPR may start only after the Panel's response agreeing one (R5)."""
    latest = (
        PanelResponse.objects.filter(rapid_review__case=case)
        .order_by("-received_on", "-id")
        .first()
    )
    return bool(latest and latest.outcome == PanelOutcome.AGREES_LOCAL_CSPR)
