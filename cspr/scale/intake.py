"""How a case comes in: the referral (`referral_start` to `referral_decide`), the case and
its child record (`case_open`), the serious incident notification (`notification_open`,
`notification_record_sent`), and referrals still waiting for the business unit."""

import datetime

from cspr.deadline_rules import Rule
from cspr.models import ChildRecord, Disabled, EthnicGroup, EventKind, Sex, Stage
from cspr.scale.text import FAMILY, GIVEN, STREETS
from cspr.scale.timeline import fmt
from referrals.models import (
    Criterion,
    Decision,
    Nature,
    Notification,
    Referral,
    ReferralChild,
    ReferralStatus,
    Urgency,
)

OUTLINES = [
    "Fictional: an infant admitted to hospital with unexplained injuries.",
    "Fictional: a teenager seriously harmed after going missing from home.",
    "Fictional: a child who died at home; neglect is suspected.",
    "Fictional: a toddler with a serious head injury; the explanation does not fit.",
    "Fictional: a young person seriously harmed through criminal exploitation.",
]
RATIONALES = {
    Decision.NOTIFY: "The criteria for a serious incident notification are met.",
    Decision.RAPID_REVIEW: "Not notifiable, but learning for agencies working together.",
    Decision.NO_FURTHER_ACTION: "Abuse or neglect is not suspected; no further action.",
}


def child_details(plan, area):
    """The child's identifying details (fictional), as a case and a referral hold them."""
    rng = plan.rng
    age_days = int(rng.choice((0.3, 0.8, 1.5, 3, 6, 10, 14, 16)) * 365 * rng.uniform(0.5, 1))
    return {
        "given_names": rng.choice(GIVEN),
        "family_name": rng.choice(FAMILY),
        "date_of_birth": plan.aware - datetime.timedelta(days=age_days + 30),
        "sex": rng.choice((Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.NOT_KNOWN)),
        "address": f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {area}",
    }


def open_case(log, plan, ctx, place, child, *, at, by):
    """`case_open`: the case, its restricted child record and the first timeline row."""
    rng = plan.rng
    ctx.writer.add(
        ChildRecord,
        {
            "case_id": log.case_id,
            **child,
            "ethnic_group": rng.choice(EthnicGroup.values),
            "disabled": rng.choice((Disabled.NO, Disabled.NO, Disabled.YES, Disabled.NOT_KNOWN)),
            "nhs_number": f"999{rng.randint(0, 9_999_999):07d}",  # the NHS's test range
            "local_authority_reference": f"LA{place.number:02d}-{plan.index:05d}",
            "updated_at": at,
        },
    )
    log.event(EventKind.CASE_OPENED, at, by, "Case opened")


def referral(log, plan, ctx, place, child):
    """The agency's referral, submitted, triaged (which opens the case) and decided."""
    rng, days, writer = plan.rng, plan.days, ctx.writer
    agency = place.agencies[rng.choice((0, 1, 3, 3, 4, 6, 7))]
    author = agency.contributors[0]
    submitted = log.at(days["referral"], minutes=rng.randint(0, 60))
    manager = rng.choice(place.business_unit)
    triaged = log.at(days["case"], minutes=rng.randint(60, 200))
    decided_at = log.at(days["decided"], minutes=rng.randint(200, 400))
    note = "Meets the threshold for the sub-group to consider."
    decision = Decision(plan.decision)
    referral_id = writer.add(
        Referral,
        {
            "partnership_id": place.id,
            "status": ReferralStatus.DECIDED,
            "created_by_id": author,
            "created_at": submitted - datetime.timedelta(minutes=40),
            "updated_at": decided_at,
            "referring_agency_id": agency.id,
            "incident_date": plan.aware - datetime.timedelta(days=rng.randint(0, 5)),
            "nature": Nature.DEATH if rng.random() < 0.3 else Nature.SERIOUS_HARM,
            "looked_after": rng.random() < 0.12,
            "abuse_or_neglect": decision != Decision.NO_FURTHER_ACTION,
            "case_outline": rng.choice(OUTLINES),
            "criteria": rng.sample(Criterion.values[:3], rng.randint(1, 3)),
            "circumstances": [],
            "urgency": Urgency.URGENT if rng.random() < 0.3 else Urgency.ROUTINE,
            "media_interest": rng.random() < 0.1,
            "submitted_at": submitted,
            "submitted_by_id": author,
            "case_id": log.case_id,
            "triage_note": note,
            "triaged_at": triaged,
            "triaged_by_id": manager,
            "decision": decision,
            "decision_rationale": RATIONALES[decision],
            "decided_at": decided_at,
            "decided_by_id": place.chair,
        },
    )
    writer.add(ReferralChild, {"referral_id": referral_id, **child})
    for other in rng.sample(place.agencies, 3):
        writer.add(
            Referral.agencies_involved.through,
            {"referral_id": referral_id, "agency_id": other.id},
        )
    log.created_at, log.created_by = triaged, manager
    open_case(log, plan, ctx, place, child, at=triaged, by=manager)
    log.event(
        EventKind.REFERRAL_RECEIVED,
        log.at(days["case"]),
        manager,
        f"Referral from {agency.name} triaged and passed to the sub-group",
        note,
    )
    log.event(
        EventKind.REFERRAL_DECIDED,
        decided_at,
        place.chair,
        f"Sub-group decision on the referral: {decision.label}",
        RATIONALES[decision],
    )
    if decision == Decision.NO_FURTHER_ACTION and plan.done("closed", ctx.today):
        log.move(Stage.CLOSED, log.at(days["closed"]), manager, "No further action")


def notification(log, plan, ctx, place):
    """Awareness recorded (the 5-working-day deadline), then the notification sent."""
    rng, days, today = plan.rng, plan.days, ctx.today
    manager = rng.choice(place.business_unit)
    opened_at = log.at(days["notification"])
    deadline = log.deadline(
        Rule.NOTIFICATION,
        at=opened_at,
        by=manager,
        anchor_date=plan.aware,
        anchor_event="the local authority became aware",
    )
    log.event(
        EventKind.NOTIFICATION_AWARE,
        opened_at,
        manager,
        f"The local authority became aware on {fmt(plan.aware)}",
    )
    row = {
        "case_id": log.case_id,
        "date_aware": plan.aware,
        "deadline_id": deadline.id,
        "created_at": opened_at,
        "created_by_id": manager,
    }
    if plan.done("sent", today):
        sent = days["sent"]
        late = sent > deadline.due_on
        reason = "Fictional: the local authority's manager was on leave." if late else ""
        reference = f"SIN-{sent.year}-{place.number:02d}{plan.index:04d}"
        recorded = log.at(sent)
        row |= {
            "sent_on": sent,
            "panel_reference": reference,
            "notified_by": f"{place.names[place.executives['local_authority']]}, Director",
            "partnership_told_on": days["told"],
            "late_reason": reason,
        }
        log.settle(deadline, on=sent, at=recorded, by=manager, note=reason)
        log.event(
            EventKind.NOTIFICATION_SENT,
            recorded,
            manager,
            f"Notification sent to the Panel on {fmt(sent)}"
            + (" (late)" if late else "")
            + f", reference {reference}",
            reason,
        )
    ctx.writer.add(Notification, row)


def waiting_referrals(ctx, place, rng):
    """Referrals with no case yet: two submitted, waiting for triage, and a draft."""
    for number, status in enumerate((ReferralStatus.SUBMITTED,) * 2 + (ReferralStatus.DRAFT,)):
        agency = place.agencies[(number * 5) % len(place.agencies)]
        author = agency.contributors[0]
        day = ctx.cal.subtract_working_days(ctx.today, number + 1)
        at = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=ctx.zone)
        submitted = status == ReferralStatus.SUBMITTED
        referral_id = ctx.writer.add(
            Referral,
            {
                "partnership_id": place.id,
                "status": status,
                "created_by_id": author,
                "created_at": at,
                "updated_at": at,
                "referring_agency_id": agency.id,
                "incident_date": day - datetime.timedelta(days=2),
                "nature": Nature.SERIOUS_HARM,
                "abuse_or_neglect": True,
                "case_outline": rng.choice(OUTLINES),
                "criteria": [Criterion.WORKING_TOGETHER.value],
                "circumstances": [],
                "submitted_at": at if submitted else None,
                "submitted_by_id": author if submitted else None,
            },
        )
        ctx.writer.add(
            ReferralChild,
            {
                "referral_id": referral_id,
                "given_names": rng.choice(GIVEN),
                "family_name": rng.choice(FAMILY),
                "sex": Sex.NOT_KNOWN,
            },
        )
