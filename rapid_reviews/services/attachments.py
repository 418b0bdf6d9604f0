"""Supporting documents an agency sends with its information return."""

import logging

from django.db import transaction
from django.utils import timezone

from cspr import uploads
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.services.audit import stamp
from rapid_reviews import access as request_access
from rapid_reviews.models import InformationReturn, ReturnAttachment

logger = logging.getLogger(__name__)

# What an agency may send: documents, plain text and CSV, and photographs or scans.
ATTACHMENT_KINDS = (*uploads.DOCUMENTS, *uploads.TEXTS, *uploads.IMAGES)
LOCKED = "This return is locked: ask the business unit to unlock it."


def _lock_return(information_return):
    return (
        InformationReturn.objects.select_for_update(of=("self",))
        .select_related("request__agency__group", "request__rapid_review__case")
        .get(pk=information_return.pk)
    )


def _guard_editable(information_return, by):
    if request_access.EDIT_RETURN not in request_access.return_permissions(by, information_return):
        raise TransitionNotAllowed(LOCKED)


def return_attachment_add(*, information_return, upload, by):
    """Attach a file to the agency's draft return. Only the asked agency's contributors,
    while the return is editable (ADR 4). The file is checked and, when ClamAV is set up,
    scanned first (refused as `Incomplete` on "file" if not clean or not checkable); it
    is stored under a random name. No timeline event: like the draft's rows, it is the
    agency's own until the return is submitted (the submission event counts it)."""
    _guard_editable(information_return, by)  # before the upload is read or sent to clamd
    try:
        checked = uploads.accept(upload, kinds=ATTACHMENT_KINDS, user=by)
    except uploads.UploadRefused as refused:
        raise Incomplete({"file": refused.message}) from refused
    with transaction.atomic():
        information_return = _lock_return(information_return)
        _guard_editable(information_return, by)
        attachment = ReturnAttachment(
            information_return=information_return,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            scan_result=checked.scan_result,
            uploaded_by=by,
        )
        attachment.file.save(checked.name, upload, save=False)
        try:
            stamp(attachment, by=by, reason="Attachment added").save()
        except BaseException:  # the row was not written: do not keep its bytes
            attachment.file.delete(save=False)
            raise
    return attachment


def return_attachment_remove(*, attachment, by):
    """Remove an attachment from the agency's draft return: the file is deleted once the
    change is committed; the row stays, with who removed it and when (and its history).
    Only the asked agency's contributors, while the return is editable."""
    with transaction.atomic():
        information_return = _lock_return(attachment.information_return)
        _guard_editable(information_return, by)
        attachment = ReturnAttachment.objects.select_for_update().get(pk=attachment.pk)
        if attachment.is_removed:
            raise TransitionNotAllowed("This file has already been removed.")
        stored = attachment.file.name
        attachment.removed_at, attachment.removed_by = timezone.now(), by
        attachment.file = ""
        stamp(attachment, by=by, reason="Attachment removed").save()
        transaction.on_commit(lambda: _delete_stored(attachment.file.storage, stored))
    return attachment


def _delete_stored(storage, name):
    try:
        storage.delete(name)
    except OSError:
        logger.exception("Could not delete a removed attachment's file %s", name)
