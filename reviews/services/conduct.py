"""Conducting and monitoring the review (R7) and its parallel processes (R8)."""

from django.db import transaction
from django.utils import timezone

from cspr import access as case_access
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, EventKind
from cspr.services.audit import record_event, stamp
from cspr.services.deadlines import deadline_set, deadline_settle
from reviews import access
from reviews.models import (
    REFERRED_KINDS,
    MonitoringCheckpoint,
    ParallelProcess,
    ProcessKind,
    ProcessStatus,
    Rating,
    RequestKind,
    ReviewerRequest,
    ReviewStatus,
)
from reviews.services.appointment import current_appointment
from reviews.services.commissioning import checkpoint_plan
from reviews.services.common import blank, fmt, guard, guard_status, lock, not_future

# While the report is being written or checked, the partners keep monitoring it.
MONITORED = (ReviewStatus.UNDER_WAY, ReviewStatus.READY_FOR_EXECUTIVE)


def checkpoint_record(*, checkpoint, data, by):
    """Record the partners' checkpoint on the review's time and quality (regulation 14),
    which plans the next one an interval later while the review is still being monitored.
    Business unit, for the partners."""
    with transaction.atomic():
        review = lock(checkpoint.review)
        guard(review, by, access.MANAGE, "Only the business unit records a checkpoint.")
        checkpoint = MonitoringCheckpoint.objects.select_for_update().get(pk=checkpoint.pk)
        if checkpoint.is_held:
            raise TransitionNotAllowed(
                f"This checkpoint was recorded on {fmt(checkpoint.held_on)} by "
                f"{checkpoint.recorded_by}."
            )
        held_on = data.get("held_on")
        missing = not_future(held_on, "held_on", "The date it was held")
        if held_on is None:
            missing["held_on"] = "Enter the date of the checkpoint"
        elif review.started_on and held_on < review.started_on:
            missing["held_on"] = "A checkpoint is held after the review started"
        for name, label in (("time", "time"), ("quality", "quality")):
            if data.get(f"{name}_rating") not in Rating.values:
                missing[f"{name}_rating"] = f"Rate the review's {label}"
            if blank(data.get(f"{name}_comment")):
                missing[f"{name}_comment"] = f"Comment on the review's {label}"
        if missing:
            raise Incomplete(missing)
        for name in ("held_on", "time_rating", "time_comment", "quality_rating"):
            setattr(checkpoint, name, data[name])
        checkpoint.quality_comment = data["quality_comment"]
        checkpoint.actions = data.get("actions", "")
        checkpoint.recorded_at, checkpoint.recorded_by = timezone.now(), by
        stamp(checkpoint, by=by, reason="Recorded").save()
        deadline_settle(deadline=checkpoint.deadline, on=held_on, by=by)
        # The ratings are the partners' own: the reviewer reads the timeline, so it says
        # only that the checkpoint was held (the monitoring page has the rest).
        record_event(
            case=review.case,
            kind=EventKind.CHECKPOINT_RECORDED,
            by=by,
            summary=f"Monitoring checkpoint held on {fmt(held_on)}",
        )
        if (
            review.status in MONITORED
            and not review.checkpoints.filter(held_on__isnull=True).exists()
        ):
            checkpoint_plan(review, held_on, by)
    return checkpoint


def reviewer_request_send(*, review, kind, text, due_on, by):
    """A written request to the reviewer for information or a draft (regulation 14), due
    by a set date. Business unit; the review must have a reviewer."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit writes to the reviewer.")
        guard_status(
            review,
            (ReviewStatus.COMMISSIONING, *MONITORED),
            "The report is approved: there is nothing more to ask the reviewer for.",
        )
        if current_appointment(review) is None:
            raise TransitionNotAllowed("Appoint the reviewer first.")
        today = timezone.localdate()
        missing = {}
        if kind not in RequestKind.values:
            missing["kind"] = "Choose what is asked for"
        if blank(text):
            missing["text"] = "Write the request"
        if due_on is None:
            missing["due_on"] = "Enter the date the reply is due"
        elif due_on < today:
            missing["due_on"] = "The reply cannot be due before today"
        if missing:
            raise Incomplete(missing)
        label = RequestKind(kind).label.lower()
        deadline = deadline_set(
            case=review.case,
            rule=Rule.REVIEWER_REQUEST,
            title=f"The reviewer's reply: {label}",
            anchor_date=today,
            anchor_event="the written request to the reviewer",
            due_on=due_on,
            by=by,
        )
        request = stamp(
            ReviewerRequest(
                review=review, kind=kind, text=text, sent_on=today, deadline=deadline, sent_by=by
            ),
            by=by,
            reason="Sent",
        )
        request.save()
        record_event(
            case=review.case,
            kind=EventKind.REVIEWER_REQUESTED,
            by=by,
            summary=f"Written request to the reviewer for {label}, due {fmt(due_on)}",
            note=text,
        )
    return request


def reviewer_request_answer(*, request, answered_on, answer, by):
    """Record the reply to a written request: the reviewer replies themself, or the
    business unit records a reply that came another way."""
    with transaction.atomic():
        review = lock(request.review)
        allowed = access.review_permissions(by, review.case, review)
        if not allowed & {access.REVIEWER, access.MANAGE}:
            raise TransitionNotAllowed(
                "Only the reviewer, or the business unit for them, records a reply."
            )
        request = ReviewerRequest.objects.select_for_update().get(pk=request.pk)
        if request.is_answered:
            raise TransitionNotAllowed(
                f"This request was answered on {fmt(request.answered_on)} by {request.answered_by}."
            )
        missing = not_future(answered_on, "answered_on", "The date of the reply")
        if answered_on is None:
            missing["answered_on"] = "Enter the date of the reply"
        elif answered_on < request.sent_on:
            missing["answered_on"] = "The reply cannot come before the request"
        if blank(answer):
            missing["answer"] = "Enter the reply"
        if missing:
            raise Incomplete(missing)
        _answer(request, answered_on, answer, by)
    return request


def _answer(request, answered_on, answer, by):
    request.answered_on, request.answer, request.answered_by = answered_on, answer, by
    stamp(request, by=by, reason="Answered").save()
    deadline_settle(deadline=request.deadline, on=answered_on, by=by)
    record_event(
        case=request.review.case,
        kind=EventKind.REVIEWER_REPLIED,
        by=by,
        summary=f"Reply to the request of {fmt(request.sent_on)} for "
        f"{request.get_kind_display().lower()}",
        note=answer,
    )


def draft_requests_answer(*, review, draft, by):
    """A draft uploaded answers every open request for one (inside the upload's transaction)."""
    today = timezone.localdate()
    waiting = ReviewerRequest.objects.select_for_update().filter(
        review=review, kind=RequestKind.DRAFT, answered_on__isnull=True
    )
    for request in waiting:
        request.review = review
        _answer(request, today, f"Version {draft.number} of the report uploaded.", by)


# ---------------------------------------------------------------------- parallel processes


def parallel_process_record(*, case, data, by):
    """Record a process running beside the review: police investigation or proceedings,
    inquest, child death review, disciplinary, a domestic homicide review (victim 16 or
    over) or safeguarding adult review with its referral, and whether it is reviewed
    jointly (then linked to the other case, if it is one here). Business unit."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case_access.can(by, case_access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit records parallel processes.")
        kind = data.get("kind")
        missing = not_future(data.get("referred_on"), "referred_on", "The date of the referral")
        if kind not in ProcessKind.values:
            missing["kind"] = "Choose the kind of process"
        if kind == ProcessKind.OTHER and blank(data.get("description")):
            missing["description"] = "Say what the process is"
        if blank(data.get("lead_body")):
            missing["lead_body"] = "Enter who leads it"
        if kind == ProcessKind.DOMESTIC_HOMICIDE_REVIEW and not data.get("victim_aged_16_or_over"):
            missing["victim_aged_16_or_over"] = (
                "A domestic homicide review is for a victim aged 16 or over"
            )
        referred = kind in REFERRED_KINDS
        if data.get("is_joint_review") and not referred:
            missing["is_joint_review"] = (
                "Only a domestic homicide or safeguarding adult review is reviewed jointly"
            )
        linked = data.get("linked_case")
        if linked is not None and (
            linked.pk == case.pk
            or linked.partnership_id != case.partnership_id
            or not case_access.can(by, case_access.VIEW, linked)
        ):
            missing["linked_case"] = "Choose another case of this partnership"
        if missing:
            raise Incomplete(missing)
        process = stamp(
            ParallelProcess(
                case=case,
                kind=kind,
                description=(data.get("description") or "").strip(),
                lead_body=data["lead_body"].strip(),
                reference=(data.get("reference") or "").strip(),
                victim_aged_16_or_over=bool(data.get("victim_aged_16_or_over")),
                referred_on=data.get("referred_on") if referred else None,
                referred_to=(data.get("referred_to") or "").strip() if referred else "",
                is_joint_review=bool(data.get("is_joint_review")),
                linked_case=linked if referred else None,
                notes=data.get("notes") or "",
                recorded_by=by,
            ),
            by=by,
            reason="Recorded",
        )
        process.save()
        note = process.notes
        if process.is_joint_review:
            note = (
                "A joint review: the methodology must meet the requirements of both reviews."
                f"\n{note}"
            ).strip()
        record_event(
            case=case,
            kind=EventKind.PARALLEL_PROCESS,
            by=by,
            summary=f"Parallel process: {process} ({process.lead_body}), open",
            note=note,
        )
    return process


def parallel_process_conclude(*, process, concluded_on, outcome, by):
    """Record that a parallel process has concluded, with its outcome. Business unit."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=process.case_id)
        if not case_access.can(by, case_access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit records parallel processes.")
        process = ParallelProcess.objects.select_for_update().get(pk=process.pk)
        if not process.is_open:
            raise TransitionNotAllowed(f"This process concluded on {fmt(process.concluded_on)}.")
        missing = not_future(concluded_on, "concluded_on", "The date it concluded")
        if concluded_on is None:
            missing["concluded_on"] = "Enter the date it concluded"
        if blank(outcome):
            missing["outcome"] = "Enter the outcome"
        if missing:
            raise Incomplete(missing)
        process.status, process.concluded_on, process.outcome = (
            ProcessStatus.CONCLUDED,
            concluded_on,
            outcome,
        )
        stamp(process, by=by, reason="Concluded").save()
        record_event(
            case=case,
            kind=EventKind.PARALLEL_PROCESS,
            by=by,
            summary=f"Parallel process concluded on {fmt(concluded_on)}: {process}",
            note=outcome,
        )
    return process
