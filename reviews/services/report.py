"""The report: drafts uploaded as versions, quality assurance and approval (R9)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cspr import uploads
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind
from cspr.services.audit import record_event, stamp
from cspr.services.deadlines import deadline_settle, deadline_withdraw
from reviews import access
from reviews.models import QADecision, QAPoint, QualityAssurance, ReportDraft, ReviewStatus
from reviews.services.common import blank, guard, guard_status, lock, move
from reviews.services.conduct import draft_requests_answer

# A report is a PDF or a Word document.
DRAFT_KINDS = uploads.DOCUMENTS


def latest_draft(review):
    return ReportDraft.objects.filter(review=review).order_by("-number").first()


def report_draft_upload(*, review, upload, note, by):
    """Add a version of the report. The reviewer appointed uploads (or the business unit,
    for a draft sent another way), while the review is under way. The file is checked and,
    with ClamAV set up, scanned before anything is stored (refused as `Incomplete` on
    "file"); it answers any open written request for a draft."""
    guard(review, by, access.UPLOAD, "Only the reviewer, or the business unit, uploads drafts.")
    guard_status(
        review,
        (ReviewStatus.UNDER_WAY,),
        "Drafts are uploaded while the review is under way.",
    )
    try:
        checked = uploads.accept(upload, kinds=DRAFT_KINDS, user=by)
    except uploads.UploadRefused as refused:
        raise Incomplete({"file": refused.message}) from refused
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.UPLOAD, "Only the reviewer, or the business unit, uploads drafts.")
        guard_status(
            review, (ReviewStatus.UNDER_WAY,), "Drafts are uploaded while the review is under way."
        )
        number = (review.drafts.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = ReportDraft(
            review=review,
            number=number,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            scan_result=checked.scan_result,
            note=note,
            uploaded_by=by,
        )
        draft.file.save(checked.name, upload, save=False)
        stored = draft.file.name
        try:
            stamp(draft, by=by, reason="Uploaded").save()
            draft_requests_answer(review=review, draft=draft, by=by)
            record_event(
                case=review.case,
                kind=EventKind.DRAFT_UPLOADED,
                by=by,
                summary=f"Report version {number} uploaded by {by}",
                note=note,
            )
        except BaseException:  # the row was not written: do not keep its bytes
            draft.file.storage.delete(stored)
            raise
    return draft


def quality_assurance_record(*, review, draft, answers, decision, note, by):
    """The sub-group's quality assurance of the newest draft: each of the seven points
    answered, met or not, with a comment; then ready for the executive (every point met)
    or back to the reviewer (with a note). Recorded by the sub-group chair."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.CHAIR, "The sub-group chair records the quality assurance.")
        guard_status(
            review,
            (ReviewStatus.UNDER_WAY,),
            "Quality assurance comes when the reviewer has a draft ready, before the executive.",
        )
        newest = latest_draft(review)
        if newest is None or newest.pk != draft.pk:
            raise TransitionNotAllowed(
                f"Check the newest version, {newest.number}." if newest else "No draft yet."
            )
        missing = {}
        cleaned = {}
        for point in QAPoint.values:
            answer = answers.get(point) or {}
            if answer.get("met") not in (True, False):
                missing[f"{point}_met"] = f"Say whether this is met: {QAPoint(point).label.lower()}"
            if blank(answer.get("comment")):
                missing[f"{point}_comment"] = "Add a comment on this point"
            cleaned[point] = {"met": answer.get("met"), "comment": answer.get("comment", "")}
        if decision not in QADecision.values:
            missing["decision"] = "Choose the decision"
        elif decision == QADecision.BACK and blank(note):
            missing["note"] = "Tell the reviewer what needs to change"
        if missing:
            raise Incomplete(missing)
        unmet = [QAPoint(p).label for p, a in cleaned.items() if not a["met"]]
        if decision == QADecision.READY and unmet:
            raise TransitionNotAllowed(
                "Every point must be met before the report goes to the executive: send it "
                "back to the reviewer instead. Not met: " + "; ".join(unmet).lower() + "."
            )
        check = stamp(
            QualityAssurance(
                review=review,
                draft=draft,
                answers=cleaned,
                decision=decision,
                note=note,
                recorded_by=by,
            ),
            by=by,
            reason="Recorded",
        )
        check.save()
        if decision == QADecision.READY:
            move(review, ReviewStatus.READY_FOR_EXECUTIVE, by=by, reason="Quality assured")
        record_event(
            case=review.case,
            kind=EventKind.QUALITY_ASSURED,
            by=by,
            summary=f"Version {draft.number} quality assured: "
            f"{check.get_decision_display().lower()}",
            note=note,
        )
    return check


def report_approve(*, review, by):
    """An executive approves the version the sub-group passed as the final report: the
    review is complete (its completion target met or missed) and can be published."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.EXECUTIVE, "Only the executive approves the final report.")
        guard_status(
            review,
            (ReviewStatus.READY_FOR_EXECUTIVE,),
            "The executive approves a report the sub-group has quality assured.",
        )
        passed = review.quality_assurance.filter(decision=QADecision.READY).first()
        review.approved_draft = passed.draft
        review.approved_at, review.approved_by = timezone.now(), by
        move(review, ReviewStatus.APPROVED, by=by, reason="Approved")
        if review.completion_deadline:
            deadline_settle(deadline=review.completion_deadline, on=timezone.localdate(), by=by)
        # Monitoring ends with the approval: a checkpoint or a request still waiting lapses.
        for checkpoint in review.checkpoints.filter(held_on__isnull=True):
            deadline_withdraw(
                deadline=checkpoint.deadline, by=by, reason="The final report is approved."
            )
        for waiting in review.reviewer_requests.filter(answered_on__isnull=True):
            deadline_withdraw(
                deadline=waiting.deadline, by=by, reason="The final report is approved."
            )
        record_event(
            case=review.case,
            kind=EventKind.REPORT_APPROVED,
            by=by,
            summary=f"The executive approved version {passed.draft.number} as the final report",
        )
    return review


def report_return(*, review, reason, by):
    """An executive sends the report back to the reviewer, with the reason."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.EXECUTIVE, "Only the executive sends the report back.")
        if blank(reason):
            raise Incomplete({"reason": "Say what needs to change"})
        guard_status(
            review,
            (ReviewStatus.READY_FOR_EXECUTIVE,),
            "Only a report waiting for the executive can be sent back.",
        )
        move(review, ReviewStatus.UNDER_WAY, by=by, reason="Sent back")
        record_event(
            case=review.case,
            kind=EventKind.REPORT_RETURNED,
            by=by,
            summary="The executive sent the report back to the reviewer",
            note=reason,
        )
    return review
