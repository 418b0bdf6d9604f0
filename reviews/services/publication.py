"""Publication (R10): the plan, the final copy, publishing or not, the learning briefing,
and a national review."""

from django.db import transaction
from django.utils import timezone

from cspr.concurrency import check_version, saved_values, version_of
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind, Stage
from cspr.selectors import briefing_problems
from cspr.services.audit import record_event, stamp
from cspr.services.cases import case_move_stage
from cspr.services.deadlines import (
    deadline_reanchor,
    deadline_set,
    deadline_settle,
    deadline_withdraw,
)
from cspr.working_days import load_calendar
from reviews import access
from reviews.models import (
    ParallelProcess,
    ProcessStatus,
    PublicationPlan,
    ReviewBriefing,
    ReviewStatus,
)
from reviews.services.common import (
    FINISHED,
    blank,
    fmt,
    guard,
    guard_status,
    lock,
    move,
    not_future,
)

NOTICE_DAYS = 7
PLAN_FIELDS = [
    "legal_advice_taken",
    "legal_advice_on",
    "legal_advice",
    "communications_advice",
    "wider_agencies_informed",
    "impact_on_family",
    "impact_on_practitioners",
    "impact_on_others",
    "family_named_contact",
    "planned_on",
]
# What a field left out of `data` is saved as (text fields: "").
PLAN_DEFAULTS = {"legal_advice_taken": False, "legal_advice_on": None, "planned_on": None}
# The plan is made while the report is finished and approved; not once it is out.
PLANNING = (ReviewStatus.UNDER_WAY, ReviewStatus.READY_FOR_EXECUTIVE, ReviewStatus.APPROVED)


def plan_version(plan):
    """The version of the plan its page carries (None before there is one)."""
    return version_of(None if plan is None else saved_values(plan, exclude=("id", "updated_at")))


def open_processes(case):
    return ParallelProcess.objects.filter(case=case, status=ProcessStatus.OPEN)


def uncovered_processes(review, plan):
    """Open processes the sub-group chair has not agreed to publish despite: all of them,
    or those recorded since the chair's last decision (which never covers what came after)."""
    processes = open_processes(review.case)
    if plan is not None and plan.override_at:
        processes = processes.filter(recorded_at__gt=plan.override_at)
    return list(processes)


def earliest_publication(copies_sent_on, calendar=None):
    """The first day a report may be published when its final copy went on that day."""
    calendar = calendar or load_calendar()
    return calendar.add_working_days(copies_sent_on, NOTICE_DAYS)


def publication_plan_save(*, review, data, by, version=None):
    """Make or change the publication plan. Its planned date anchors the deadline for the
    final copy to the Panel and the Secretary of State (7 working days before); moving the
    date moves the deadline, but never to before a copy already sent. Business unit."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit plans publication.")
        guard_status(
            review,
            PLANNING,
            "Publication is planned once the review is under way, until it is published.",
        )
        plan = PublicationPlan.objects.select_for_update().filter(review=review).first()
        check_version(
            version,
            current=plan_version(plan),
            what="the publication plan",
            by=by,
            histories=[PublicationPlan.history.filter(review_id=review.pk)],
        )
        planned_on = data.get("planned_on")
        missing = not_future(data.get("legal_advice_on"), "legal_advice_on", "The date of advice")
        if planned_on is None:
            missing["planned_on"] = "Enter the planned publication date"
        elif planned_on < timezone.localdate() and (plan is None or plan.planned_on != planned_on):
            missing["planned_on"] = "The planned publication date must be today or later"
        if data.get("legal_advice_taken") and not data.get("legal_advice_on"):
            missing["legal_advice_on"] = "Enter the date legal advice was taken"
        if not missing and plan and plan.copies_sent:
            earliest = earliest_publication(plan.copies_sent_on)
            if planned_on < earliest:
                missing["planned_on"] = (
                    f"The final copy went on {fmt(plan.copies_sent_on)}: publication can be no "
                    f"earlier than {fmt(earliest)}"
                )
        if missing:
            raise Incomplete(missing)
        moved_from = plan.planned_on if plan else None
        if plan is None:
            notice = deadline_set(
                case=review.case,
                rule=Rule.PUBLICATION_NOTICE,
                anchor_date=planned_on,
                anchor_event="the planned publication date",
                by=by,
            )
            plan = PublicationPlan(review=review, notice_deadline=notice, updated_by=by)
        for name in PLAN_FIELDS:
            value = data.get(name)
            setattr(plan, name, PLAN_DEFAULTS.get(name, "") if value is None else value)
        if not plan.legal_advice_taken:
            plan.legal_advice_on, plan.legal_advice = None, ""
        plan.updated_by = by
        stamp(plan, by=by, reason="Saved").save()
        if moved_from and moved_from != planned_on:
            deadline_reanchor(
                deadline=plan.notice_deadline,
                anchor_date=planned_on,
                by=by,
                reason=f"The publication date moved from {fmt(moved_from)} to {fmt(planned_on)}.",
            )
            plan.notice_deadline.refresh_from_db()
        summary = f"Publication planned for {fmt(planned_on)}"
        if moved_from and moved_from != planned_on:
            summary = f"Publication moved from {fmt(moved_from)} to {fmt(planned_on)}"
        record_event(
            case=review.case,
            kind=EventKind.PUBLICATION_PLANNED,
            by=by,
            summary=f"{summary}; the final copy is due by {fmt(plan.notice_deadline.due_on)}",
        )
    return plan


def _plan(review):
    plan = PublicationPlan.objects.select_for_update().filter(review=review).first()
    if plan is None:
        raise TransitionNotAllowed("Make the publication plan first.")
    return plan


def publication_override(*, review, reason, by):
    """The sub-group agrees to publish although parallel processes are still open, with its
    reasons (legal advice, say). It covers the processes open now: one recorded later holds
    publication again until the chair decides on it too. Recorded by the sub-group chair."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.CHAIR, "The sub-group chair records this decision.")
        guard_status(review, PLANNING, "The review is not being prepared for publication.")
        plan = _plan(review)
        processes = uncovered_processes(review, plan)
        if not processes:
            raise TransitionNotAllowed(
                "No parallel process holds publication: none is open, or the sub-group has "
                "already agreed to publish despite those that are."
            )
        if blank(reason):
            raise Incomplete({"reason": "Give the sub-group's reasons"})
        plan.override_reason, plan.override_at, plan.override_by = reason, timezone.now(), by
        stamp(plan, by=by, reason="Override").save()
        record_event(
            case=review.case,
            kind=EventKind.PUBLICATION_OVERRIDE,
            by=by,
            summary="The sub-group agreed to publish while parallel processes are open: "
            + ", ".join(str(process) for process in processes),
            note=reason,
        )
    return plan


def final_copy_record(*, review, panel_sent_on, secretary_of_state_sent_on, by):
    """Record the final report sent to the Panel and to the Secretary of State (either now,
    the other later). Once both have gone, the notice deadline is met, or missed if the
    later went after it. Business unit; the report must be the approved final version."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit records the final copy.")
        guard_status(
            review,
            (ReviewStatus.APPROVED,),
            "The final copy is the report the executive approved: approve it first.",
        )
        plan = _plan(review)
        missing = {}
        missing |= not_future(panel_sent_on, "panel_sent_on")
        missing |= not_future(secretary_of_state_sent_on, "secretary_of_state_sent_on")
        approved_on = timezone.localtime(review.approved_at).date()
        for field, day in (
            ("panel_sent_on", panel_sent_on),
            ("secretary_of_state_sent_on", secretary_of_state_sent_on),
        ):
            if day and day < approved_on and field not in missing:
                missing[field] = (
                    f"The final copy is the report approved on {fmt(approved_on)}: it cannot "
                    "have gone before that"
                )
        recorded = []
        for name, day, label in (
            ("panel_copy_sent_on", panel_sent_on, "the Panel"),
            (
                "secretary_of_state_copy_sent_on",
                secretary_of_state_sent_on,
                "the Secretary of State",
            ),
        ):
            if day is None:
                continue
            already = getattr(plan, name)
            if already and already != day:
                field = (
                    "panel_sent_on" if name.startswith("panel") else "secretary_of_state_sent_on"
                )
                missing[field] = f"The copy to {label} was recorded as sent on {fmt(already)}"
            elif not already:
                recorded.append((name, day, label))
        if not recorded and not missing:
            if plan.copies_sent:
                raise TransitionNotAllowed(
                    f"Both copies are already recorded as sent: to the Panel on "
                    f"{fmt(plan.panel_copy_sent_on)}, to the Secretary of State on "
                    f"{fmt(plan.secretary_of_state_copy_sent_on)}."
                )
            missing["panel_sent_on"] = "Enter the date a copy was sent"
        if missing:
            raise Incomplete(missing)
        for name, day, _label in recorded:
            setattr(plan, name, day)
        plan.copies_recorded_by = by
        stamp(plan, by=by, reason="Final copy sent").save()
        if plan.copies_sent:
            deadline_settle(deadline=plan.notice_deadline, on=plan.copies_sent_on, by=by)
        record_event(
            case=review.case,
            kind=EventKind.FINAL_COPY_SENT,
            by=by,
            summary="; ".join(
                f"Final report sent to {label} on {fmt(day)}" for _n, day, label in recorded
            ),
        )
    return plan


def publication_blockers(review, plan):
    """Why the review cannot be published now: [reason], empty when it can."""
    reasons = []
    if review.status != ReviewStatus.APPROVED:
        reasons.append("the sub-group must quality assure the report and the executive approve it")
    if plan is None:
        reasons.append("there is no publication plan")
    elif not plan.copies_sent:
        reasons.append(
            "the final copy must be recorded as sent to the Panel and the Secretary of State"
        )
    processes = uncovered_processes(review, plan)
    if processes:
        reasons.append(
            "parallel processes are open ("
            + ", ".join(str(p) for p in processes)
            + "): conclude them, or the sub-group chair records why publication goes ahead"
        )
    return reasons


def review_publish(*, review, published_on, address, nspcc_sent_on, by):
    """Record the report's publication (date and address). Refused without quality
    assurance and the executive's approval, with an open parallel process the sub-group
    has not agreed to publish despite, or before the 7-working-day notice to the Panel and
    the Secretary of State. The case moves on to learning and actions. Business unit."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit records publication.")
        plan = PublicationPlan.objects.select_for_update().filter(review=review).first()
        blockers = publication_blockers(review, plan)
        if blockers:
            raise TransitionNotAllowed("It cannot be published yet: " + "; ".join(blockers) + ".")
        missing = not_future(published_on, "published_on", "The publication date")
        missing |= not_future(nspcc_sent_on, "nspcc_sent_on")
        if published_on is None:
            missing["published_on"] = "Enter the date it was published"
        else:
            earliest = earliest_publication(plan.copies_sent_on)
            if published_on < earliest:
                missing["published_on"] = (
                    f"The final copy went on {fmt(plan.copies_sent_on)}: 7 working days' "
                    f"notice means publishing on {fmt(earliest)} or later"
                )
        if blank(address):
            missing["address"] = "Enter the web address where it is published"
        if missing:
            raise Incomplete(missing)
        review.published_on, review.publication_address = published_on, address.strip()
        review.nspcc_sent_on = nspcc_sent_on
        review.publication_recorded_at, review.publication_recorded_by = timezone.now(), by
        move(review, ReviewStatus.PUBLISHED, by=by, reason="Published")
        record_event(
            case=review.case,
            kind=EventKind.REVIEW_PUBLISHED,
            by=by,
            summary=f"Local review published on {fmt(published_on)}",
            note=review.publication_address,
        )
        case_move_stage(case=review.case, to=Stage.LEARNING, by=by, note="Review published")
    return review


def review_not_publish(*, review, reason, by):
    """The executive decides the report is not published, with the reason. A learning
    briefing is then the way its learning is shared: the case moves on once it is out."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.EXECUTIVE, "Only the executive decides not to publish.")
        guard_status(
            review,
            (ReviewStatus.APPROVED,),
            "The decision is made on the approved final report.",
        )
        if blank(reason):
            raise Incomplete({"reason": "Give the reason the report is not published"})
        review.not_published_reason = reason
        review.publication_recorded_at, review.publication_recorded_by = timezone.now(), by
        move(review, ReviewStatus.NOT_PUBLISHED, by=by, reason="Not published")
        plan = PublicationPlan.objects.filter(review=review).first()
        if plan:
            deadline_withdraw(
                deadline=plan.notice_deadline, by=by, reason="The report is not published."
            )
        record_event(
            case=review.case,
            kind=EventKind.REVIEW_NOT_PUBLISHED,
            by=by,
            summary="The executive decided the report is not published: a learning briefing "
            "shares its learning",
            note=reason,
        )
    return review


def briefing_version(briefing):
    if briefing is None:
        return version_of(None)
    return version_of(saved_values(briefing, exclude=("id", "updated_at")))


def review_briefing_save(*, review, title, body, publish, by, version=None):
    """Write (and, when `publish`, publish) the review's anonymised learning briefing.
    Business unit. Refused when it names the child, when publishing before the report is
    published or the executive has decided it is not, and (`EditConflict`) when it changed
    after `version` was read. Publishing it after a decision not to publish the report
    moves the case on to learning."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit writes the learning briefing.")
        briefing = ReviewBriefing.objects.select_for_update().filter(review=review).first()
        if briefing and briefing.published_on:
            raise TransitionNotAllowed("The briefing is published; it can no longer change.")
        check_version(
            version,
            current=briefing_version(briefing),
            what="the briefing",
            by=by,
            histories=[ReviewBriefing.history.filter(review_id=review.pk)],
        )
        missing = briefing_problems(title, body, review.case)
        if missing:
            raise Incomplete(missing)
        if publish and review.status not in FINISHED:
            raise TransitionNotAllowed(
                "The briefing is published once the report is published, or the executive "
                "has decided it is not: save it until then."
            )
        briefing = briefing or ReviewBriefing(review=review)
        briefing.title, briefing.body = title.strip(), body
        if publish:
            briefing.published_on, briefing.published_by = timezone.localdate(), by
        stamp(briefing, by=by, reason="Published" if publish else "Saved").save()
        if publish:
            record_event(
                case=review.case,
                kind=EventKind.BRIEFING_PUBLISHED,
                by=by,
                summary=f"Local review learning briefing published: {briefing.title}",
            )
            if (
                review.status == ReviewStatus.NOT_PUBLISHED
                and review.case.stage == Stage.LOCAL_REVIEW
            ):
                case_move_stage(
                    case=review.case,
                    to=Stage.LEARNING,
                    by=by,
                    note="Report not published; learning briefing published",
                )
    return briefing
