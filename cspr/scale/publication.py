"""The end of a review: the local review's report approved (`reviews.services.report`),
its publication (`reviews.services.publication`: the plan and its 7-working-day notice,
the final copy, publication or the executive's decision not to publish, the learning
briefing, the end of the reviewer's appointment), and a national review recorded."""

from cspr.deadline_rules import Rule
from cspr.models import EventKind, Stage
from cspr.scale.timeline import fmt
from reviews.models import (
    NationalReview,
    NationalStatus,
    PublicationPlan,
    QADecision,
    QAPoint,
    QualityAssurance,
    ReportDraft,
    ReviewBriefing,
    ReviewStatus,
)

BRIEFING = "Learning from a local review (fictional)"


def publication(ctx, log, plan, review, place, appointment, name):
    days, today, manager = plan.days, ctx.today, place.manager
    planned = log.at(days["publication_planned"])
    publish_on = days["publish_on"]
    notice = log.deadline(
        Rule.PUBLICATION_NOTICE,
        at=planned,
        by=manager,
        anchor_date=publish_on,
        anchor_event="the planned publication date",
    )
    row = {
        "review_id": review["id"],
        "communications_advice": "Fictional: a press statement is ready.",
        "impact_on_family": "Fictional: the family has seen the report.",
        "family_named_contact": f"{place.names[manager]}, Business Manager",
        "planned_on": publish_on,
        "notice_deadline_id": notice.id,
        "updated_at": planned,
        "updated_by_id": manager,
    }
    log.event(
        EventKind.PUBLICATION_PLANNED,
        planned,
        manager,
        f"Publication planned for {fmt(publish_on)}; the final copy is due by {fmt(notice.due_on)}",
    )
    finished = None
    if days["published"] and plan.done("copies", today):
        copies = days["copies"]
        at = log.at(copies)
        row |= {
            "panel_copy_sent_on": copies,
            "secretary_of_state_copy_sent_on": copies,
            "copies_recorded_by_id": manager,
            "updated_at": at,
        }
        log.settle(notice, on=copies, at=at, by=manager)
        log.event(
            EventKind.FINAL_COPY_SENT,
            at,
            manager,
            f"Final report sent to the Panel on {fmt(copies)}; "
            f"Final report sent to the Secretary of State on {fmt(copies)}",
        )
        if plan.done("published", today):
            finished = _published(ctx, log, review, days["published"], manager)
    elif days["not_published"] and plan.done("not_published", today):
        finished = _not_published(ctx, log, plan, review, notice, place)
    ctx.writer.add(PublicationPlan, row)
    if finished and appointment is not None:
        _end_appointment(ctx, log, appointment, finished, manager, name)


def _published(ctx, log, review, day, manager):
    at = log.at(day)
    address = f"https://www.example.org/reviews/{review['id']}"
    review |= {
        "status": ReviewStatus.PUBLISHED,
        "published_on": day,
        "publication_address": address,
        "nspcc_sent_on": day,
        "publication_recorded_at": at,
        "publication_recorded_by_id": manager,
    }
    log.event(
        EventKind.REVIEW_PUBLISHED, at, manager, f"Local review published on {fmt(day)}", address
    )
    log.move(Stage.LEARNING, at, manager, "Review published")
    _briefing(ctx, log, review, day, at, manager)
    return day


def _not_published(ctx, log, plan, review, notice, place):
    day = plan.days["not_published"]
    executive = place.executives["local_authority"]
    at = log.at(day)
    reason = "Fictional: publishing would identify the child's siblings."
    review |= {
        "status": ReviewStatus.NOT_PUBLISHED,
        "not_published_reason": reason,
        "publication_recorded_at": at,
        "publication_recorded_by_id": executive,
    }
    log.withdraw(notice, at=at, by=executive, reason="The report is not published.")
    log.event(
        EventKind.REVIEW_NOT_PUBLISHED,
        at,
        executive,
        "The executive decided the report is not published: a learning briefing shares its "
        "learning",
        reason,
    )
    briefing_day = ctx.cal.add_working_days(day, 5)
    if briefing_day >= ctx.today:
        return None
    at = log.at(briefing_day)
    _briefing(ctx, log, review, briefing_day, at, place.manager)
    log.move(Stage.LEARNING, at, place.manager, "Report not published; learning briefing published")
    return briefing_day


def _briefing(ctx, log, review, day, at, by):
    ctx.writer.add(
        ReviewBriefing,
        {
            "review_id": review["id"],
            "title": BRIEFING,
            "body": "Fictional: what agencies learned, without naming the child.",
            "published_on": day,
            "published_by_id": by,
            "updated_at": at,
        },
    )
    log.event(
        EventKind.BRIEFING_PUBLISHED,
        at,
        by,
        f"Local review learning briefing published: {BRIEFING}",
    )


def _end_appointment(ctx, log, appointment, finished, manager, name):
    """The business unit ends the reviewer's appointment a week after the review is
    finished: the reviewer no longer sees the case (`appointment_end`)."""
    day = ctx.cal.add_working_days(finished, 5)
    if day >= ctx.today:
        return
    at = log.at(day)
    reason = "The review is finished."
    appointment |= {"ended_on": day, "ended_reason": reason, "ended_by_id": manager}
    log.event(
        EventKind.ACCESS_REVOKED,
        at,
        manager,
        f"{name} (independent reviewer) can no longer see this case",
        reason,
    )
    log.event(
        EventKind.REVIEWER_APPOINTMENT_ENDED,
        at,
        manager,
        f"{name}'s appointment as reviewer ended on {fmt(day)}",
        reason,
    )


def report_approve(ctx, log, plan, review, place, name):
    """One version, quality assured by the chair, approved by an executive. The version's
    file is not seeded: its row names a file that is not there."""
    cal, day = ctx.cal, plan.days["approved_report"]
    uploaded = log.at(cal.subtract_working_days(day, 15))
    draft_id = ctx.writer.add(
        ReportDraft,
        {
            "review_id": review["id"],
            "number": 1,
            "file": f"reports/scale-fictional-{review['id']}.pdf",
            "original_name": "Final report (fictional).pdf",
            "content_type": "application/pdf",
            "size": 250_000,
            "sha256": "0" * 64,
            "scan_result": "not_scanned",
            "uploaded_at": uploaded,
            "uploaded_by_id": place.reviewer,
        },
    )
    log.event(
        EventKind.DRAFT_UPLOADED, uploaded, place.reviewer, f"Report version 1 uploaded by {name}"
    )
    checked = log.at(cal.subtract_working_days(day, 5))
    ctx.writer.add(
        QualityAssurance,
        {
            "review_id": review["id"],
            "draft_id": draft_id,
            "answers": {point: {"met": True, "comment": "Met."} for point in QAPoint.values},
            "decision": QADecision.READY,
            "recorded_at": checked,
            "recorded_by_id": place.chair,
        },
    )
    log.event(
        EventKind.QUALITY_ASSURED,
        checked,
        place.chair,
        f"Version 1 quality assured: {QADecision.READY.label.lower()}",
    )
    executive = place.executives["local_authority"]
    at = log.at(day)
    review |= {
        "status": ReviewStatus.APPROVED,
        "approved_draft_id": draft_id,
        "approved_at": at,
        "approved_by_id": executive,
    }
    log.settle(plan.completion, on=day, at=at, by=executive)
    log.withdraw(plan.open_checkpoint, at=at, by=executive, reason="The final report is approved.")
    log.event(
        EventKind.REPORT_APPROVED,
        at,
        executive,
        "The executive approved version 1 as the final report",
    )


def national_review(ctx, log, plan, place):
    days, today = plan.days, ctx.today
    at = log.at(days["national"])
    part = "Fictional: the partnership's agencies give the Panel their records."
    row = {
        "case_id": log.case_id,
        "panel_reference": f"NR-{days['national'].year}-{place.number:02d}",
        "title": "Fictional thematic review",
        "panel_contact": "The Panel's secretariat (fictional)",
        "partnership_part": part,
        "local_lead": f"{place.names[place.manager]}, Business Manager",
        "updated_at": at,
        "updated_by_id": place.manager,
    }
    log.event(
        EventKind.NATIONAL_REVIEW,
        at,
        place.manager,
        "National review recorded, with the partnership's part in it",
        part,
    )
    if plan.done("national_published", today):
        day = days["national_published"]
        at = log.at(day)
        row |= {
            "status": NationalStatus.PUBLISHED,
            "published_on": day,
            "publication_address": "https://www.example.org/national-review",
            "updated_at": at,
        }
        log.event(
            EventKind.NATIONAL_REVIEW,
            at,
            place.manager,
            f"National review published on {fmt(day)}",
            part,
        )
        log.move(Stage.LEARNING, at, place.manager, "National review published")
    ctx.writer.add(NationalReview, row)
