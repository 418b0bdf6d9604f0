"""The rapid review's decision as `rapid_reviews.services.decision` leaves it: the
learning meeting (its immediate actions, the case's themes), the chair's approval, the
partners' sign-off, the family informed, the report sent and the Panel's response."""

from cspr.deadline_rules import Rule
from cspr.models import EventKind, Stage
from cspr.scale.plans import apply_themes
from cspr.scale.timeline import fmt
from rapid_reviews.models import (
    FamilyContact,
    ImmediateAction,
    LearningMeeting,
    PanelOutcome,
    PanelResponse,
    Partner,
    PartnerSignOff,
    Recommendation,
)
from rapid_reviews.services.decision import STAGE_AFTER

PARTNER_TYPES = {
    Partner.LOCAL_AUTHORITY: "local_authority",
    Partner.POLICE: "police",
    Partner.INTEGRATED_CARE_BOARD: "icb",
}


def decision(ctx, log, plan, place, review, meeting_deadline, report_deadline):
    """The learning meeting and what follows it, as far as it has gone by today."""
    days, rng, today, writer = plan.days, plan.rng, ctx.today, ctx.writer
    manager = rng.choice(place.business_unit)
    held = days["meeting"]
    recorded = log.at(held, minutes=420)
    warning = ""
    if not (meeting_deadline.opens_on <= held <= meeting_deadline.due_on):
        warning = (
            f"Held {fmt(held)}, outside the window of {fmt(meeting_deadline.opens_on)} "
            f"to {fmt(meeting_deadline.due_on)}."
        )
    recommendation = Recommendation(plan.recommendation)
    meeting = {
        "id": writer.new_id(LearningMeeting),
        "rapid_review_id": review["id"],
        "held_on": held,
        "attendees": "\n".join(
            f"{place.names[p]}, {role}"
            for p, role in ((place.chair, "chair"), (place.manager, "Business Manager"))
        ),
        "window_warning": warning,
        "recommendation": recommendation,
        "other_review_type": "Domestic homicide review"
        if recommendation == Recommendation.OTHER_REVIEW
        else "",
        "criteria_rationale": {"working_together": "Fictional: agencies did not share concerns."},
        "circumstances_rationale": {},
        "rationale": "Fictional: learning about information sharing between agencies.",
        "lived_experience": "Fictional: the child's voice was rarely heard.",
        "learning": "Fictional: professional curiosity; escalation.",
        "recorded_at": recorded,
        "recorded_by_id": manager,
    }
    plan.immediate = []
    for _ in range(rng.randint(1, 3)):
        agency = rng.choice(place.agencies[:6])
        plan.immediate.append(
            (
                writer.add(
                    ImmediateAction,
                    {
                        "meeting_id": meeting["id"],
                        "description": "Fictional: brief staff on the information sharing "
                        "protocol.",
                        "agency_id": agency.id,
                    },
                ),
                agency,
            )
        )
    log.settle(meeting_deadline, on=held, at=recorded, by=manager)
    log.event(
        EventKind.MEETING_RECORDED,
        recorded,
        manager,
        f"Learning meeting held {fmt(held)}: recommends {recommendation.label.lower()}",
        warning,
    )
    apply_themes(ctx, log, plan, at=log.at(held, minutes=440), by=manager)
    if plan.done("approved", today):
        approved = log.at(days["approved"])
        meeting |= {"approved_at": approved, "approved_by_id": place.chair}
        log.event(
            EventKind.RECOMMENDATION_APPROVED,
            approved,
            place.chair,
            "The sub-group chair approved the recommendation",
        )
        signed = [(day, partner) for day, partner in zip(days["signed"], Partner, strict=True)]
        for day, partner in sorted(signed, key=lambda pair: pair[0]):
            if day < today:
                executive = place.executives[PARTNER_TYPES[partner]]
                at = log.at(day)
                writer.add(
                    PartnerSignOff,
                    {
                        "rapid_review_id": review["id"],
                        "partner": partner,
                        "signed_at": at,
                        "signed_by_id": executive,
                    },
                )
                log.event(
                    EventKind.PARTNER_SIGNED_OFF,
                    at,
                    executive,
                    f"{Partner(partner).label} signed off the decision",
                )
    writer.add(LearningMeeting, meeting)
    if days.get("family") and days["family"] < today:
        _family(ctx, log, plan, place, review, manager)
    if plan.done("report", today):
        _report_and_response(ctx, log, plan, place, review, report_deadline, manager)


def _family(ctx, log, plan, place, review, manager):
    day = plan.days["family"]
    at = log.at(day)
    informed_by = f"{place.names[place.manager]}, Business Manager"
    method = "A home visit with the lead professional"
    ctx.writer.add(
        FamilyContact,
        {
            "rapid_review_id": review["id"],
            "informed_on": day,
            "informed_by": informed_by,
            "method": method,
            "recorded_by_id": manager,
            "recorded_at": at,
        },
    )
    log.event(
        EventKind.FAMILY_INFORMED,
        at,
        manager,
        f"The family was informed on {fmt(day)} by {informed_by}",
        method,
    )


def _report_and_response(ctx, log, plan, place, review, report_deadline, manager):
    days, today = plan.days, ctx.today
    sent = days["report"]
    at = log.at(sent)
    log.settle(report_deadline, on=sent, at=at, by=manager)
    chase = log.deadline(
        Rule.PANEL_RESPONSE_CHASE,
        at=at,
        by=manager,
        anchor_date=sent,
        anchor_event="the report was sent to the Panel",
        period=10,
    )
    review |= {"report_sent_on": sent, "report_sent_by_id": manager, "chase_deadline_id": chase.id}
    log.move(Stage.PANEL_RESPONSE, at, manager, "Report sent")
    log.event(
        EventKind.REPORT_SENT, at, manager, f"Rapid review report sent to the Panel on {fmt(sent)}"
    )
    if not plan.done("response", today):
        return
    received = days["response"]
    outcome = PanelOutcome(plan.outcome)
    at = log.at(received)
    text = f"Fictional: the Panel {outcome.label.lower()}."
    ctx.writer.add(
        PanelResponse,
        {
            "rapid_review_id": review["id"],
            "outcome": outcome,
            "letter_date": received,
            "received_on": received,
            "text": text,
            "recorded_by_id": manager,
            "recorded_at": at,
        },
    )
    log.settle(chase, on=received, at=at, by=manager)
    log.move(STAGE_AFTER[outcome], at, manager, outcome.label)
    log.event(
        EventKind.PANEL_RESPONDED,
        at,
        manager,
        f"The Panel's response: {outcome.label.lower()}",
        text,
    )
