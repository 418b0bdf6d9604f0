"""Circulating the rapid review report, wider dissemination, and the learning briefing."""

from django.db import transaction
from django.utils import timezone

from cspr import access
from cspr.concurrency import check_version, saved_values, version_of
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind, Role
from cspr.selectors import briefing_problems
from cspr.services.audit import record_event, stamp
from rapid_reviews.models import Circulation, DistributionEntry, LearningBriefing, RapidReview


def _lock(review):
    return (
        RapidReview.objects.select_for_update(of=("self",))
        .select_related("case__partnership")
        .get(pk=review.pk)
    )


def report_circulate(*, rapid_review, by):
    """Send the report to the partnership's distribution list, recording each recipient.
    Business unit; after the partners' decision; once."""
    with transaction.atomic():
        review = _lock(rapid_review)
        if not access.can(by, access.CHANGE, review.case):
            raise TransitionNotAllowed("Only the business unit circulates the report.")
        if not review.is_decided:
            raise TransitionNotAllowed("Circulate the report once the partners have signed off.")
        if review.circulation.filter(is_wider=False).exists():
            raise TransitionNotAllowed("The report has already gone to the distribution list.")
        entries = DistributionEntry.objects.filter(
            partnership=review.case.partnership, is_active=True
        )
        if not entries:
            raise TransitionNotAllowed(
                "The partnership has no distribution list: an administrator sets one up."
            )
        for entry in entries:
            stamp(
                Circulation(rapid_review=review, recipient=str(entry), sent_by=by),
                by=by,
                reason="Circulated",
            ).save()
        record_event(
            case=review.case,
            kind=EventKind.REPORT_CIRCULATED,
            by=by,
            summary=f"Report circulated to {len(entries)} named professionals",
            note="\n".join(str(entry) for entry in entries),
        )
    return len(entries)


def may_approve_dissemination(user) -> bool:
    """The sub-group chair, an executive or the Business Manager."""
    return user.has_role(Role.SUBGROUP_CHAIR, Role.EXECUTIVE) or (
        user.has_role(Role.BUSINESS_UNIT) and user.is_business_manager
    )


def dissemination_record(*, rapid_review, recipient, reason, by):
    """Wider dissemination of the report: approved (and so recorded) by the sub-group
    chair, an executive or the Business Manager, with the reason; logged."""
    missing = {}
    if not recipient.strip():
        missing["recipient"] = "Enter who receives the report"
    if not reason.strip():
        missing["reason"] = "Give the reason for sharing it more widely"
    if missing:
        raise Incomplete(missing)
    with transaction.atomic():
        review = _lock(rapid_review)
        if not (access.can(by, access.VIEW, review.case) and may_approve_dissemination(by)):
            raise TransitionNotAllowed(
                "Wider dissemination needs the sub-group chair, an executive or the "
                "Business Manager."
            )
        if not review.is_decided:
            raise TransitionNotAllowed(
                "The report can be shared once the partners have signed off."
            )
        entry = stamp(
            Circulation(
                rapid_review=review,
                recipient=recipient.strip(),
                is_wider=True,
                reason=reason,
                approved_by=by,
                sent_by=by,
            ),
            by=by,
            reason="Wider dissemination",
        )
        entry.save()
        record_event(
            case=review.case,
            kind=EventKind.REPORT_CIRCULATED,
            by=by,
            summary=f"Report shared more widely with {entry.recipient}",
            note=reason,
        )
    return entry


def briefing_version(briefing):
    """The version of the briefing (None before one is written) an edit page carries."""
    if briefing is None:
        return version_of(None)
    return version_of(saved_values(briefing, exclude=("id", "updated_at")))


def briefing_save(*, rapid_review, title, body, publish, by, version=None):
    """Write (and, when `publish`, publish) the anonymised learning briefing. Business
    unit. Refuses to publish text that names the child, and (`EditConflict`) when the
    briefing changed after `version` was read."""
    with transaction.atomic():
        review = _lock(rapid_review)
        if not access.can(by, access.CHANGE, review.case):
            raise TransitionNotAllowed("Only the business unit writes the learning briefing.")
        briefing = LearningBriefing.objects.select_for_update().filter(rapid_review=review).first()
        if briefing and briefing.published_on:
            raise TransitionNotAllowed("The briefing is published; it can no longer change.")
        check_version(
            version,
            current=briefing_version(briefing),
            what="the briefing",
            by=by,
            histories=[LearningBriefing.history.filter(rapid_review_id=review.pk)],
        )
        missing = briefing_problems(title, body, review.case)
        if missing:
            raise Incomplete(missing)
        briefing = briefing or LearningBriefing(rapid_review=review)
        briefing.title, briefing.body = title.strip(), body
        if publish:
            briefing.published_on, briefing.published_by = timezone.localdate(), by
        stamp(briefing, by=by, reason="Published" if publish else "Saved").save()
        if publish:
            record_event(
                case=review.case,
                kind=EventKind.BRIEFING_PUBLISHED,
                by=by,
                summary=f"Learning briefing published: {briefing.title}",
            )
    return briefing
