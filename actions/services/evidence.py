"""Evidence of an action's progress or impact: an uploaded file, checked and scanned
before anything is stored (`cspr.uploads`), or a web link. Removing evidence keeps the
row (who removed it, and when) and deletes the file."""

import logging
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from actions import access
from actions.models import Action, Evidence
from actions.services.plans import action_label, blank, guard, guard_not_settled, lock_action
from cspr import uploads
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind
from cspr.services.audit import record_event, stamp

# PDF, Word, images and text: what an agency has to show for an action.
EVIDENCE_KINDS = (*uploads.DOCUMENTS, *uploads.IMAGES, *uploads.TEXTS)
LINK_SCHEMES = ("https", "http")

logger = logging.getLogger(__name__)


def link_problem(link):
    """Why `link` is not a web address evidence may point to, or None. Only http and https
    (never javascript:, data: or file:), with a host, and no password in it."""
    if len(link) > 500:
        return "Enter a web address of 500 characters or fewer"
    try:
        parts = urlsplit(link)
        hostname = parts.hostname
    except ValueError:
        return "Enter a real web address, like https://www.example.org/report"
    if parts.scheme.lower() not in LINK_SCHEMES or not hostname:
        return "Enter a web address starting with https:// or http://"
    if parts.username or parts.password:
        return "Enter a web address without a user name or password in it"
    try:
        URLValidator(schemes=list(LINK_SCHEMES))(link)
    except ValidationError:
        return "Enter a real web address, like https://www.example.org/report"
    return None


def _check(action, description, by, upload, link):
    guard(action, by, access.UPDATE, "Only the owning agency or the business unit adds evidence.")
    guard_not_settled(action)
    missing = {}
    if blank(description):
        missing["description"] = "Describe what the evidence shows"
    elif len(description.strip()) > 200:
        missing["description"] = "Describe the evidence in 200 characters or fewer"
    if upload is None and not link:
        missing["upload"] = "Choose a file or enter a link"
    elif upload is not None and link:
        missing["link"] = "Give a file or a link, not both"
    elif link:
        problem = link_problem(link)
        if problem:
            missing["link"] = problem
    return missing


def evidence_add(*, action, description, by, upload=None, link=""):
    """Add evidence to an action: a file (PDF, Word, image or text, checked by kind,
    content and size, and scanned) or a link (http or https only), with a description of
    what it shows. The owning agency or the business unit, until the action's impact is
    assured. A refused file is not stored (`Incomplete` on "upload")."""
    link = (link or "").strip()
    missing = _check(lock_free(action), description, by, upload, link)
    checked = None
    if upload is not None and not missing:
        try:  # before any lock: reading and scanning a file takes time
            checked = uploads.accept(upload, kinds=EVIDENCE_KINDS, user=by)
        except uploads.UploadRefused as refused:
            missing["upload"] = refused.message
    if missing:
        raise Incomplete(missing)
    with transaction.atomic():
        action = lock_action(action)
        missing = _check(action, description, by, upload, link)
        if missing:
            raise Incomplete(missing)
        evidence = Evidence(action=action, description=description.strip(), added_by=by)
        if checked is None:
            evidence.link = link
        else:
            evidence.original_name = checked.name
            evidence.content_type = checked.content_type
            evidence.size = checked.size
            evidence.sha256 = checked.sha256
            evidence.scan_result = checked.scan_result
            evidence.file.save(checked.name, upload, save=False)
        try:
            stamp(evidence, by=by, reason="Added").save()
        except BaseException:  # the row was not written: do not keep its bytes
            if checked is not None:
                evidence.file.delete(save=False)
            raise
        record_event(
            case=action.plan.case,
            kind=EventKind.EVIDENCE_ADDED,
            by=by,
            summary=f"{action_label(action)}: evidence added ({evidence.description})",
            note=evidence.original_name or evidence.link,
        )
    return evidence


def lock_free(action):
    """The action as it is now, with what the guards read, without a lock."""
    return Action.objects.select_related("plan__case__partnership", "agency").get(pk=action.pk)


def evidence_remove(*, evidence, by):
    """Remove evidence: the row stays (who removed it, and when) and the file is deleted
    once the removal is saved. The person who added it or the business unit, until the
    action's impact is assured."""
    with transaction.atomic():
        action = lock_action(evidence.action)
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        allowed = access.action_permissions(by, action) if by is not None else frozenset()
        own = access.UPDATE in allowed and evidence.added_by_id == by.pk
        if not (own or access.MAINTAIN in allowed):
            raise TransitionNotAllowed(
                "Only the person who added the evidence or the business unit removes it."
            )
        guard_not_settled(action)
        if evidence.removed_at is not None:
            raise TransitionNotAllowed("This evidence was already removed.")
        stored = evidence.file.name
        evidence.removed_at, evidence.removed_by = timezone.now(), by
        evidence.file = ""
        stamp(evidence, by=by, reason="Removed").save()
        if stored:
            transaction.on_commit(lambda: _delete_stored(stored))
        record_event(
            case=action.plan.case,
            kind=EventKind.EVIDENCE_REMOVED,
            by=by,
            summary=f"{action_label(action)}: evidence removed ({evidence.description})",
            note=evidence.original_name or evidence.link,
        )
    return evidence


def _delete_stored(name):
    try:
        uploads.private_storage().delete(name)
    except OSError:
        logger.exception("Could not delete a removed piece of evidence's file %s", name)
