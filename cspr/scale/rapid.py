"""The rapid review as `rapid_reviews.services.opening` and `.returns` leave it: opened
(its two deadlines), information requests (each a deadline owed by the agency, a view
grant on the case for the agency's group, a return the group may change while it is a
draft), records secured, returns submitted. The decision is `cspr.scale.decision`."""

from cspr.deadline_rules import Rule
from cspr.models import CaseGroupObjectPermission, EventKind, Stage
from cspr.scale.chronology import write_return
from cspr.scale.decision import decision
from cspr.scale.timeline import fmt
from rapid_reviews.models import (
    InformationRequest,
    InformationReturnGroupObjectPermission,
    RapidReview,
    RequestStatus,
)

COLLATION_WORKING_DAYS = 2
TOLD = "the partnership was told of the notification"
CONVENED = "the sub-group decided to convene a rapid review"


def grant_agency(ctx, log, agency, *, at, by, reason):
    """`case_grant_agency`: the agency's group may see the case and the child's details."""
    if agency.id in log.granted:
        return
    log.granted.add(agency.id)
    for codename in ("view_case", "view_child"):
        ctx.writer.add(
            CaseGroupObjectPermission,
            {
                "permission_id": ctx.perms[codename],
                "group_id": agency.group_id,
                "content_object_id": log.case_id,
            },
        )
    log.event(EventKind.ACCESS_GRANTED, at, by, f"{agency.name} can see this case", reason)


def rapid_review(ctx, log, plan, place):
    """Everything of the case's rapid review that has happened by today."""
    days, rng, today = plan.days, plan.rng, ctx.today
    manager = rng.choice(place.business_unit)
    opened = log.at(days["opened"])
    basis = CONVENED if days.get("told") is None else TOLD
    anchor, clock = days["anchor"], days["clock"]
    meeting = log.deadline(
        Rule.LEARNING_MEETING,
        at=opened,
        by=manager,
        anchor_date=anchor,
        anchor_event="the notification" if anchor != clock else basis,
    )
    report = log.deadline(
        Rule.RAPID_REVIEW_REPORT, at=opened, by=manager, anchor_date=clock, anchor_event=basis
    )
    log.move(Stage.RAPID_REVIEW, opened, manager, "Rapid review opened")
    log.event(
        EventKind.RAPID_REVIEW_OPENED,
        opened,
        manager,
        f"Rapid review opened: report due {fmt(report.due_on)}",
        f"Learning meeting between {fmt(meeting.opens_on)} and {fmt(meeting.due_on)}.",
    )
    review = {
        "id": ctx.writer.new_id(RapidReview),
        "case_id": log.case_id,
        "opened_at": opened,
        "opened_by_id": manager,
        "clock_start": clock,
        "clock_start_basis": basis,
        "meeting_deadline_id": meeting.id,
        "report_deadline_id": report.id,
    }
    _requests(ctx, log, plan, place, review, meeting, manager)
    if plan.done("meeting", today):
        decision(ctx, log, plan, place, review, meeting, report)
    ctx.writer.add(RapidReview, review)
    return review


def _requests(ctx, log, plan, place, review, meeting, manager):
    days, rng, today = plan.days, plan.rng, ctx.today
    sent_day, due = days["opened"], days["requests_due"]
    latest = ctx.cal.subtract_working_days(meeting.due_on, COLLATION_WORKING_DAYS)
    warning = ""
    if due > latest:
        warning = (
            f"Due {fmt(due)}: later than {fmt(latest)}, which leaves less than "
            f"{COLLATION_WORKING_DAYS} working days to collate the returns before the "
            f"learning meeting must be held (by {fmt(meeting.due_on)})."
        )
    for position, number in enumerate(plan.agencies):
        agency = place.agencies[number - 1]
        sent = log.at(sent_day)
        deadline = log.deadline(
            Rule.AGENCY_RETURN,
            at=sent,
            by=manager,
            title=f"{agency.name} information return",
            anchor_date=sent_day,
            anchor_event="the information request",
            due_on=due,
            agency=agency,
        )
        grant_agency(ctx, log, agency, at=sent, by=manager, reason="Information requested")
        log.event(
            EventKind.INFORMATION_REQUESTED,
            sent,
            manager,
            f"Information requested from {agency.name}, due {fmt(due)}",
            warning,
        )
        contributor = rng.choice(agency.contributors)
        request = {
            "id": ctx.writer.new_id(InformationRequest),
            "rapid_review_id": review["id"],
            "agency_id": agency.id,
            "status": RequestStatus.REQUESTED,
            "note": "Information return and chronology, please.",
            "deadline_id": deadline.id,
            "collation_warning": warning,
            "sent_at": sent,
            "sent_by_id": manager,
        }
        secured_day = ctx.cal.add_working_days(sent_day, rng.randint(0, 2))
        if rng.random() < 0.75 and secured_day < today:
            secured = log.at(secured_day)
            request |= {"records_secured_at": secured, "records_secured_by_id": contributor}
            log.event(
                EventKind.RECORDS_SECURED,
                secured,
                contributor,
                f"{agency.name} confirmed its case records are secured",
            )
        submitted_at = None
        if plan.submitted[position]:
            day = days["submitted"][position]
            submitted_at = log.at(day)
            request["status"] = RequestStatus.SUBMITTED
            log.settle(deadline, on=day, at=submitted_at, by=contributor)
            log.event(
                EventKind.RETURN_SUBMITTED,
                submitted_at,
                contributor,
                f"{agency.name} submitted its information return "
                f"({plan.rows[position]} chronology rows)",
            )
        ctx.writer.add(InformationRequest, request)
        return_id = write_return(
            ctx,
            plan,
            request["id"],
            agency,
            rows=plan.rows[position],
            submitted_at=submitted_at,
            submitted_by=contributor,
            author=place.names[contributor],
            signer=place.names[agency.contributors[0]],
        )
        if submitted_at is None:  # a draft: the agency may still change it
            ctx.writer.add(
                InformationReturnGroupObjectPermission,
                {
                    "permission_id": ctx.perms["change_informationreturn"],
                    "group_id": agency.group_id,
                    "content_object_id": return_id,
                },
            )
