"""The Business Manager's letters that the review has started, to the referrer and the key
agencies (R6): prepared, made as a PDF from the case, and recorded as sent with the copy."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind, User
from cspr.pdf import render_pdf
from cspr.services.audit import record_event, stamp
from reviews import access
from reviews.models import GroupMember, LetterKind, StartLetter
from reviews.services.appointment import current_appointment
from reviews.services.common import blank, fmt, guard, lock, not_future


def letter_prepare(*, review, kind, agency, addressee, organisation, by):
    """Prepare a letter to the referrer or a key agency. Business unit; once the review
    has started (the letter says so)."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit writes the letters.")
        if not review.is_started:
            raise TransitionNotAllowed("The letters go once the review has started.")
        missing = {}
        if kind not in LetterKind.values:
            missing["kind"] = "Choose who the letter is to"
        if kind == LetterKind.AGENCY and (
            agency is None or agency.partnership_id != review.case.partnership_id
        ):
            missing["agency"] = "Choose the agency"
        if blank(addressee):
            missing["addressee"] = "Enter who the letter is addressed to"
        if missing:
            raise Incomplete(missing)
        if kind != LetterKind.AGENCY:
            agency = None
        letter = stamp(
            StartLetter(
                review=review,
                kind=kind,
                agency=agency,
                addressee=addressee.strip(),
                organisation=(organisation or "").strip() or (agency.name if agency else ""),
                created_by=by,
            ),
            by=by,
            reason="Prepared",
        )
        letter.save()
    return letter


def letter_context(letter, *, dated):
    """What a letter says, from the case as it stands. The child is named by the case's
    pseudonym only: the letter leaves the partnership."""
    review = letter.review
    case = review.case
    appointment = current_appointment(review)
    manager = (
        User.objects.filter(
            partnership=case.partnership, is_business_manager=True, is_active=True
        ).first()
        or letter.created_by
    )
    members = []
    if letter.agency_id:
        members = GroupMember.objects.filter(
            review=review, agency=letter.agency, removed_at__isnull=True
        ).order_by("group", "name")
    return {
        "letter": letter,
        "review": review,
        "case": case,
        "partnership": case.partnership,
        "dated": dated,
        "reviewer": appointment.reviewer if appointment else None,
        "completion": review.completion_deadline,
        "members": members,
        "manager": manager,
    }


def letter_render(letter, *, dated=None):
    """The letter as PDF bytes, dated `dated` (today by default)."""
    dated = dated or letter.sent_on or timezone.localdate()
    return render_pdf("reviews/letter_pdf.html", letter_context(letter, dated=dated))


def letter_record_sent(*, letter, sent_on, by):
    """Record the letter as sent on `sent_on`: the PDF, dated that day, is kept as the copy
    sent (it no longer changes with the case). Business unit; once."""
    with transaction.atomic():
        review = lock(letter.review)
        guard(review, by, access.MANAGE, "Only the business unit records the letters.")
        letter = StartLetter.objects.select_for_update().get(pk=letter.pk)
        letter.review = review
        if letter.is_sent:
            raise TransitionNotAllowed(
                f"This letter was recorded as sent on {fmt(letter.sent_on)} by {letter.sent_by}."
            )
        missing = not_future(sent_on, "sent_on", "The date sent")
        if sent_on is None:
            missing["sent_on"] = "Enter the date it was sent"
        elif sent_on < review.started_on:
            missing["sent_on"] = "The letter says the review has started: it went after that"
        if missing:
            raise Incomplete(missing)
        pdf = letter_render(letter, dated=sent_on)
        letter.sent_on, letter.sent_by = sent_on, by
        letter.copy_sha256 = hashlib.sha256(pdf).hexdigest()
        letter.copy.save(f"letter-{letter.pk}.pdf", ContentFile(pdf), save=False)
        stored = letter.copy.name
        try:
            stamp(letter, by=by, reason="Sent").save()
            record_event(
                case=review.case,
                kind=EventKind.LETTER_SENT,
                by=by,
                summary=f"Letter that the review has started sent to {letter.addressee}"
                + (f", {letter.organisation}" if letter.organisation else "")
                + f", on {fmt(sent_on)}",
            )
        except BaseException:  # the row was not written: do not keep the copy
            letter.copy.storage.delete(stored)
            raise
    return letter
