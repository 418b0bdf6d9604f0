"""Local and national reviews as `reviews.services` leaves them: commissioning (the
reviewer's appointment and its grant on the case, terms, methodology, groups, family,
chronology template), the start (completion target, monitoring checkpoints), the report
(one version, quality assured, approved), publication or not, the learning briefing."""

import datetime

from cspr.deadline_rules import Rule, add_calendar_months
from cspr.models import CaseUserObjectPermission, EventKind
from cspr.scale.publication import publication, report_approve
from cspr.scale.timeline import fmt
from reviews.models import (
    EngagementKind,
    FamilyEngagement,
    GroupKind,
    GroupMember,
    LocalReview,
    Methodology,
    MonitoringCheckpoint,
    Rating,
    ReviewerAppointment,
    ReviewStatus,
    TermsOfReference,
)

FICTIONAL = "Fictional: recorded for the benchmark dataset."


def local_review(ctx, log, plan, place):
    """The case's local review, as far as it has gone by today. Returns its row."""
    days, today, writer = plan.days, ctx.today, ctx.writer
    manager, reviewer = place.manager, place.reviewer
    name = place.names[reviewer]
    commissioned = log.at(days["commissioned"])
    review = {
        "id": writer.new_id(LocalReview),
        "case_id": log.case_id,
        "status": ReviewStatus.COMMISSIONING,
        "commissioned_at": commissioned,
        "commissioned_by_id": manager,
        "monitoring_interval_weeks": 4,
    }
    log.event(
        EventKind.LOCAL_REVIEW_COMMISSIONED, commissioned, manager, "Local review commissioned"
    )

    def happened(step):
        return plan.done(step, today)

    appointment = None
    if happened("appointed"):
        appointment = _appoint(ctx, log, review, days["appointed"], manager, reviewer, name, place)
    if happened("terms"):
        _terms(ctx, log, plan, review, manager, place)
    if happened("started"):
        _start(ctx, log, plan, review, manager)
    if happened("approved_report"):
        report_approve(ctx, log, plan, review, place, name)
    if happened("publication_planned"):
        publication(ctx, log, plan, review, place, appointment, name)
    writer.add(LocalReview, review)
    if appointment is not None:
        writer.add(ReviewerAppointment, appointment)
        if appointment.get("ended_on") is None:  # `case_grant_reviewer`, not yet revoked
            for codename in ("view_case", "view_child"):
                writer.add(
                    CaseUserObjectPermission,
                    {
                        "permission_id": ctx.perms[codename],
                        "user_id": reviewer,
                        "content_object_id": log.case_id,
                    },
                )
    return review


def _appoint(ctx, log, review, day, manager, reviewer, name, place):
    at = log.at(day)
    log.event(
        EventKind.ACCESS_GRANTED,
        at,
        manager,
        f"{name} (independent reviewer) can see this case",
        "Appointed to the local review",
    )
    log.event(
        EventKind.REVIEWER_APPOINTED,
        at,
        manager,
        f"{name} appointed as the independent reviewer from {fmt(day)}",
        "No conflict of interest declared.",
    )
    for group, agency, role, seniority in (
        (GroupKind.REVIEW, place.agencies[0], "Deputy Director", "Deputy Director"),
        (GroupKind.REVIEW, place.agencies[1], "Superintendent", "Head of public protection"),
        (GroupKind.PRACTITIONER, place.agencies[3], "Health visitor", ""),
    ):
        person = f"{place.names[agency.contributors[0]]}"
        ctx.writer.add(
            GroupMember,
            {
                "review_id": review["id"],
                "group": group,
                "name": person,
                "role": role,
                "agency_id": agency.id,
                "seniority": seniority,
                "involvement": "" if seniority else "Fictional: visited the family weekly.",
                "added_at": at,
                "added_by_id": manager,
            },
        )
        log.event(
            EventKind.GROUP_CHANGED,
            at,
            manager,
            f"{person}, {role} ({agency.name}) joined the {GroupKind(group).label.lower()}",
        )
    summary = "Fictional: told about the review at a home visit."
    ctx.writer.add(
        FamilyEngagement,
        {
            "review_id": review["id"],
            "kind": EngagementKind.INFORMED,
            "on": day,
            "family_member": "Mother",
            "by_whom": f"{place.names[manager]}, Business Manager",
            "summary": summary,
            "recorded_at": at,
            "recorded_by_id": manager,
        },
    )
    log.event(
        EventKind.FAMILY_ENGAGEMENT,
        at,
        manager,
        f"Family engagement, {fmt(day)}: {EngagementKind.INFORMED.label}",
        summary,
    )
    return {
        "review_id": review["id"],
        "reviewer_id": reviewer,
        "knowledge_and_engagement": FICTIONAL,
        "research_knowledge": FICTIONAL,
        "complex_circumstances": FICTIONAL,
        "communicating_findings": FICTIONAL,
        "appointed_on": day,
        "appointed_at": at,
        "appointed_by_id": manager,
    }


def _terms(ctx, log, plan, review, manager, place):
    days, today = plan.days, ctx.today
    saved = log.at(days["terms"])
    terms = {
        "review_id": review["id"],
        "number": 1,
        "period_from": plan.aware - datetime.timedelta(days=730),
        "period_to": plan.aware,
        "key_lines_of_enquiry": "Fictional: how did agencies share what they knew?",
        "scope": "Fictional: police, health, children's services and the school.",
        "change_note": "First draft",
        "saved_at": saved,
        "saved_by_id": place.chair,
    }
    log.event(
        EventKind.TERMS_DRAFTED,
        saved,
        place.chair,
        "Terms of reference: version 1 saved",
        "First draft",
    )
    if plan.done("terms_chair", today):
        at = log.at(days["terms_chair"])
        terms |= {"chair_agreed_at": at, "chair_agreed_by_id": place.chair}
        log.event(
            EventKind.TERMS_AGREED,
            at,
            place.chair,
            "The sub-group chair agreed the terms of reference, version 1",
        )
    if plan.done("terms_reviewer", today):
        day = days["terms_reviewer"]
        at = log.at(day)
        terms |= {"reviewer_agreed_at": at, "reviewer_agreed_by_id": place.reviewer}
        log.event(
            EventKind.TERMS_AGREED,
            at,
            place.reviewer,
            "Terms of reference agreed: version 1 is now the review's",
        )
        agreed = log.at(day)
        review |= {
            "methodology": Methodology.SILP,
            "family_engagement": FICTIONAL,
            "practitioner_engagement": FICTIONAL,
            "systems_approach": FICTIONAL,
            "quality_markers": FICTIONAL,
            "methodology_agreed_at": agreed,
            "methodology_agreed_by_id": manager,
            "chronology_from": terms["period_from"],
            "chronology_to": terms["period_to"],
            "chronology_guidance": "Fictional: one row per contact; say where each fact is from.",
            "chronology_agreed_at": agreed,
            "chronology_agreed_by_id": manager,
        }
        log.event(
            EventKind.METHODOLOGY_AGREED,
            agreed,
            manager,
            f"Methodology agreed: {Methodology.SILP.label}",
        )
        log.event(
            EventKind.CHRONOLOGY_TEMPLATE_AGREED,
            agreed,
            manager,
            f"Chronology template agreed: {fmt(terms['period_from'])} to {fmt(terms['period_to'])}",
            review["chronology_guidance"],
        )
    ctx.writer.add(TermsOfReference, terms)


def _start(ctx, log, plan, review, manager):
    days, today, cal = plan.days, ctx.today, ctx.cal
    started = days["started"]
    at = log.at(started)
    completion = log.deadline(
        Rule.CSPR_COMPLETION,
        at=at,
        by=manager,
        anchor_date=started,
        anchor_event="the review was initiated",
    )
    review |= {
        "status": ReviewStatus.UNDER_WAY,
        "started_on": started,
        "started_by_id": manager,
        "completion_deadline_id": completion.id,
    }
    plan.completion = completion
    end = days["approved_report"] if plan.done("approved_report", today) else today
    after, anchor_event = started, "the review's start"
    while True:
        due = cal.working_day_on_or_after(after + datetime.timedelta(weeks=4))
        deadline = log.deadline(
            Rule.MONITORING_CHECKPOINT,
            at=log.at(after),
            by=manager,
            anchor_date=after,
            anchor_event=anchor_event,
            due_on=due,
        )
        checkpoint = {"review_id": review["id"], "deadline_id": deadline.id}
        held = cal.subtract_working_days(due, plan.rng.randint(0, 2))
        if held >= end or held >= today:
            plan.open_checkpoint = deadline
            ctx.writer.add(MonitoringCheckpoint, checkpoint)
            break
        recorded = log.at(held)
        checkpoint |= {
            "held_on": held,
            "time_rating": Rating.ON_TRACK,
            "time_comment": FICTIONAL,
            "quality_rating": Rating.ON_TRACK,
            "quality_comment": FICTIONAL,
            "recorded_at": recorded,
            "recorded_by_id": manager,
        }
        ctx.writer.add(MonitoringCheckpoint, checkpoint)
        log.settle(deadline, on=held, at=recorded, by=manager)
        log.event(
            EventKind.CHECKPOINT_RECORDED,
            recorded,
            manager,
            f"Monitoring checkpoint held on {fmt(held)}",
        )
        after, anchor_event = held, "the last checkpoint"
    log.event(
        EventKind.LOCAL_REVIEW_STARTED,
        at,
        manager,
        f"Local review started on {fmt(started)}; the target is to complete it by "
        f"{fmt(add_calendar_months(started, 6))}",
    )
