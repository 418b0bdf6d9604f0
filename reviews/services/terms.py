"""The terms of reference: drafted by the sub-group while the reviewer is appointed,
then agreed by the sub-group chair and the reviewer; versions are never edited (R6)."""

from django.db import transaction
from django.utils import timezone

from cspr.concurrency import check_version, version_of
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind
from cspr.services.audit import record_event, stamp
from reviews import access
from reviews.models import ReviewStatus, TermsOfReference
from reviews.services.common import RUNNING, blank, guard, guard_status, lock

TEXTS = ["key_lines_of_enquiry", "scope", "equality_considerations"]
TERMS_FIELDS = ["period_from", "period_to", *TEXTS]


def latest_terms(review):
    return TermsOfReference.objects.filter(review=review).order_by("-number").first()


def agreed_terms(review):
    """The version in force: the newest one both the chair and the reviewer agreed."""
    return (
        TermsOfReference.objects.filter(
            review=review, chair_agreed_at__isnull=False, reviewer_agreed_at__isnull=False
        )
        .order_by("-number")
        .first()
    )


def terms_version(review):
    """What the terms page carries (cspr.concurrency): the newest version's number."""
    latest = latest_terms(review)
    return version_of(latest.number if latest else 0)


def terms_save(*, review, fields, change_note, by, version=None):
    """Save the terms of reference as a new version (versions are never edited). The
    business unit and the sub-group draft them, in parallel with the appointment. Refused
    when nothing changed, or (`EditConflict`) when someone saved a version after the page
    was opened."""
    with transaction.atomic():
        review = lock(review)
        guard(
            review,
            by,
            access.DRAFT_TERMS,
            "Only the business unit and the sub-group draft the terms of reference.",
        )
        guard_status(
            review,
            (*RUNNING, ReviewStatus.READY_FOR_EXECUTIVE),
            "The terms of reference can no longer change: the report is approved.",
        )
        check_version(
            version,
            current=terms_version(review),
            what="a new version of the terms of reference",
            by=by,
            histories=[TermsOfReference.history.filter(review_id=review.pk)],
        )
        missing = {}
        if blank(fields.get("key_lines_of_enquiry")):
            missing["key_lines_of_enquiry"] = "Enter the research questions or key lines of enquiry"
        start, end = fields.get("period_from"), fields.get("period_to")
        if start and end and start > end:
            missing["period_to"] = "The period must end after it starts"
        if missing:
            raise Incomplete(missing)
        latest = latest_terms(review)
        values = {
            name: fields.get(name) or ("" if name in TEXTS else None) for name in TERMS_FIELDS
        }
        if latest and all(getattr(latest, name) == value for name, value in values.items()):
            raise TransitionNotAllowed(
                f"Nothing has changed since version {latest.number}: it is saved already."
            )
        number = (latest.number if latest else 0) + 1
        terms = stamp(
            TermsOfReference(
                review=review, number=number, change_note=change_note.strip(), saved_by=by, **values
            ),
            by=by,
            reason="Saved",
        )
        terms.save()
        record_event(
            case=review.case,
            kind=EventKind.TERMS_DRAFTED,
            by=by,
            summary=f"Terms of reference: version {number} saved",
            note=terms.change_note,
        )
    return terms


def terms_agree(*, terms, by):
    """Agree a version of the terms of reference: the sub-group chair for the sub-group,
    the reviewer appointed for themself. Only the newest version; it is agreed (and frozen
    as the review's terms) once both have."""
    with transaction.atomic():
        review = lock(terms.review)
        allowed = access.review_permissions(by, review.case, review)
        if access.REVIEWER in allowed:
            side, label = "reviewer", "The reviewer"
        elif access.CHAIR in allowed:
            side, label = "chair", "The sub-group chair"
        else:
            raise TransitionNotAllowed(
                "The terms of reference are agreed by the sub-group chair and the reviewer."
            )
        guard_status(
            review,
            (*RUNNING, ReviewStatus.READY_FOR_EXECUTIVE),
            "The terms of reference can no longer change: the report is approved.",
        )
        terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
        latest = latest_terms(review)
        if latest.pk != terms.pk:
            raise TransitionNotAllowed(
                f"Version {latest.number} is newer: agree that one, not version {terms.number}."
            )
        if getattr(terms, f"{side}_agreed_at"):
            raise TransitionNotAllowed(f"{label} has already agreed version {terms.number}.")
        setattr(terms, f"{side}_agreed_at", timezone.now())
        setattr(terms, f"{side}_agreed_by", by)
        stamp(terms, by=by, reason=f"Agreed by the {side}").save()
        summary = f"{label} agreed the terms of reference, version {terms.number}"
        if terms.is_agreed:
            summary = f"Terms of reference agreed: version {terms.number} is now the review's"
        record_event(case=review.case, kind=EventKind.TERMS_AGREED, by=by, summary=summary)
    return terms
