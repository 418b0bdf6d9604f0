"""Agencies' information returns and chronologies: draft, import, submit (lock), unlock."""

import math

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cspr import access
from cspr.concurrency import check_version, saved_values, version_of
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind
from cspr.services.audit import record_event, stamp
from cspr.services.deadlines import deadline_settle
from rapid_reviews import access as request_access
from rapid_reviews.models import (
    ChronologyEntry,
    InformationReturn,
    RequestStatus,
    ReturnAddendum,
    ReturnStatus,
)
from rapid_reviews.services.pack import pack_pdf_forget, pack_pdf_queue

RETURN_FIELDS = [
    "involvement_period",
    "involvement_extent",
    "key_practice_episodes",
    "analysis",
    "immediate_actions",
    "author_name",
    "signed_off_by",
    "signed_off_on",
]
ROW_FIELDS = ["date", "date_is_approximate", "source", "event", "significance", "action"]


def _lock_return(information_return):
    return (
        InformationReturn.objects.select_for_update(of=("self",))
        .select_related(
            "request__agency__group", "request__rapid_review__case", "request__deadline"
        )
        .get(pk=information_return.pk)
    )


def return_version(information_return):
    """The version of a return and its chronology an edit page carries (cspr.concurrency)."""
    entries = ChronologyEntry.objects.filter(information_return=information_return)
    return version_of(
        {
            "return": saved_values(information_return),
            "rows": [
                saved_values(entry, exclude=("id", "information_return"))
                for entry in entries.order_by("position", "id")
            ],
        }
    )


def return_save_draft(*, information_return, fields, rows, by, version=None):
    """Save the agency's draft return and its chronology rows (the rows replace the
    draft's rows, in the order given; a row that is one of the draft's names it by its
    id as `entry`). Only the asked agency, while it is unlocked.
    Refuses (`EditConflict`) when the return or its rows changed after `version` was read.

    Only what changed is written (`_replace_rows`): each history row records a real
    change to the row it names."""
    with transaction.atomic():
        information_return = _lock_return(information_return)
        if request_access.EDIT_RETURN not in request_access.return_permissions(
            by, information_return
        ):
            raise TransitionNotAllowed("This return is locked: ask the business unit to unlock it.")
        check_version(
            version,
            current=return_version(information_return),
            what="this return",
            by=by,
            histories=[
                information_return.history.all(),
                ChronologyEntry.history.filter(information_return_id=information_return.pk),
            ],
        )
        changed = {
            name: fields[name]
            for name in RETURN_FIELDS
            if name in fields and getattr(information_return, name) != fields[name]
        }
        if changed:
            for name, value in changed.items():
                setattr(information_return, name, value)
            stamp(information_return, by=by, reason="Draft saved").save()
        _replace_rows(information_return, rows, by=by)
    return information_return


def _replace_rows(information_return, rows, *, by):
    """Make the return's chronology `rows` (in the order the page shows them: by date,
    then as listed), writing only what differs, so each history row says what happened
    to the row it names. A posted row names the draft's row it shows by its id
    (`entry`, from the edit page):

    - a row posted as the draft has it is not written; a changed one is that row edited;
    - a row without an id, or naming a row that is not this draft's (or one already
      named), is the draft's row no other posted row names that says exactly the same
      if there is one (the same page posted twice, a page from before rows were named),
      else a new row; the draft's rows that no posted row names are deleted;
    - positions (which order rows of the same date) are kept while they give the posted
      order, else every row is renumbered."""
    contents = [tuple(row[name] for name in ROW_FIELDS) for row in rows]
    paired, unnamed = rows_paired(information_return.entries.all(), rows)
    slots, written = [], set()
    for index, (entry, content) in enumerate(zip(paired, contents, strict=True)):
        if entry is None:
            entry = ChronologyEntry(information_return=information_return, position=index)
        if entry.pk is None or row_key(_row_content(entry)) != row_key(content):
            for name, value in zip(ROW_FIELDS, content, strict=True):
                setattr(entry, name, value)
            written.add(id(entry))
        slots.append(entry)
    if not _in_order(slots):
        for position, entry in enumerate(slots):
            if entry.position != position:
                entry.position = position
                written.add(id(entry))
    for entry in slots:
        if id(entry) in written:
            stamp(entry, by=by, reason="Draft saved").save()
    for entry in unnamed:
        stamp(entry, by=by, reason="Draft saved").delete()


def rows_paired(entries, rows):
    """([the draft's row each posted row is, or None], [the draft's rows none is]): a
    posted row is the draft's row it names by id (`entry`), the first to name it; else
    the draft's row no posted row names that says exactly the same (`row_key`)."""
    unnamed = {entry.pk: entry for entry in entries}
    paired = [unnamed.pop(row.get("entry"), None) for row in rows]
    same = {}  # {what a row says: the unnamed rows that say it}
    for entry in unnamed.values():
        same.setdefault(row_key(_row_content(entry)), []).append(entry)
    for index, row in enumerate(rows):
        twins = same.get(row_key(tuple(row.get(name) for name in ROW_FIELDS)))
        if paired[index] is None and twins:
            paired[index] = twins.pop(0)
            del unnamed[paired[index].pk]
    return paired, list(unnamed.values())


def row_key(content):
    """What a row says (its ROW_FIELDS values), for telling whether two rows say the same:
    line breaks as LF (browsers post CR LF, imported files mostly LF)."""
    return tuple(v.replace("\r\n", "\n") if isinstance(v, str) else v for v in content)


def _row_content(entry):
    return tuple(getattr(entry, name) for name in ROW_FIELDS)


def _in_order(entries):
    """Whether the rows' own order (date, position, id; a new row's id comes last) is
    the order of the list."""
    keys = [(e.date, e.position, e.pk if e.pk is not None else math.inf) for e in entries]
    return all(a < b for a, b in zip(keys, keys[1:], strict=False))


def return_append_rows(*, information_return, rows, by, source_name=""):
    """Add imported chronology rows after the draft's own. Only the asked agency, unlocked."""
    with transaction.atomic():
        information_return = _lock_return(information_return)
        if request_access.EDIT_RETURN not in request_access.return_permissions(
            by, information_return
        ):
            raise TransitionNotAllowed("This return is locked: ask the business unit to unlock it.")
        # After the draft's own rows (positions may have gaps: a save keeps them).
        last = information_return.entries.aggregate(last=Max("position"))["last"]
        start = 0 if last is None else last + 1
        reason = f"Imported from {source_name}"[:100] if source_name else "Imported"
        for offset, row in enumerate(rows):
            stamp(
                ChronologyEntry(
                    information_return=information_return,
                    position=start + offset,
                    **{name: row[name] for name in ROW_FIELDS},
                ),
                by=by,
                reason=reason,
            ).save()
    return len(rows)


def missing_for_return(information_return):
    missing = {}
    for name, message in [
        ("involvement_extent", "Describe the extent of your agency's involvement"),
        ("key_practice_episodes", "Describe the key practice episodes"),
        ("analysis", "Give your analysis against the criteria"),
        ("immediate_actions", "Say what immediate actions have been taken, or that none were"),
        ("author_name", "Enter the author's name"),
        ("signed_off_by", "Enter who signed the return off"),
    ]:
        if not str(getattr(information_return, name)).strip():
            missing[name] = message
    if not information_return.signed_off_on:
        missing["signed_off_on"] = "Enter the date the return was signed off"
    return missing


def return_submit(*, information_return, by):
    """Submit the return: it locks (read-only to the agency), the request is answered and
    its deadline marked met or missed. Refuses an incomplete or already submitted one."""
    with transaction.atomic():
        information_return = _lock_return(information_return)
        if request_access.EDIT_RETURN not in request_access.return_permissions(
            by, information_return
        ):
            raise TransitionNotAllowed("This return is locked: ask the business unit to unlock it.")
        missing = missing_for_return(information_return)
        if missing:
            raise Incomplete(missing)
        information_return.status = ReturnStatus.SUBMITTED
        information_return.submitted_at, information_return.submitted_by = timezone.now(), by
        stamp(information_return, by=by, reason="Submitted").save()
        request_access.lock_return(information_return)
        request = information_return.request
        request.status = RequestStatus.SUBMITTED
        stamp(request, by=by, reason="Return submitted").save(update_fields=["status"])
        deadline_settle(deadline=request.deadline, on=timezone.localdate(), by=by)
        record_event(
            case=request.rapid_review.case,
            kind=EventKind.RETURN_SUBMITTED,
            by=by,
            summary=f"{request.agency} submitted its information return "
            f"({information_return.entries.count()} chronology rows"
            f"{_documents(information_return)})",
        )
        pack_pdf_queue(review=request.rapid_review)
    return information_return


def _documents(information_return):
    """For the submission's timeline row: ", 2 supporting documents", or nothing."""
    count = information_return.attachments.filter(removed_at__isnull=True).count()
    if not count:
        return ""
    return f", {count} supporting document{'s' if count != 1 else ''}"


def return_unlock(*, information_return, reason, by):
    """The business unit reopens a submitted return for the agency, with the reason."""
    if not reason.strip():
        raise Incomplete({"reason": "Say why the return is unlocked"})
    with transaction.atomic():
        information_return = _lock_return(information_return)
        request = information_return.request
        if not access.can(by, access.CHANGE, request.rapid_review.case):
            raise TransitionNotAllowed("Only the business unit can unlock a return.")
        if information_return.status != ReturnStatus.SUBMITTED:
            raise TransitionNotAllowed("Only a submitted return can be unlocked.")
        information_return.status = ReturnStatus.DRAFT
        stamp(information_return, by=by, reason="Unlocked").save()
        request_access.grant_return(information_return)
        request.status = RequestStatus.REQUESTED
        stamp(request, by=by, reason="Return unlocked").save(update_fields=["status"])
        record_event(
            case=request.rapid_review.case,
            kind=EventKind.RETURN_UNLOCKED,
            by=by,
            summary=f"{request.agency}'s information return unlocked",
            note=reason,
        )
        pack_pdf_forget(review=request.rapid_review)
        pack_pdf_queue(review=request.rapid_review)
    return information_return


def return_add_addendum(*, information_return, text, by):
    """The asked agency adds later material to its locked return, as an addendum."""
    if not text.strip():
        raise Incomplete({"text": "Write the addendum"})
    with transaction.atomic():
        information_return = _lock_return(information_return)
        request = information_return.request
        allowed = request_access.return_permissions(by, information_return)
        if request_access.RESPOND not in allowed:
            raise TransitionNotAllowed("Only the agency asked can add to its return.")
        if information_return.status != ReturnStatus.SUBMITTED:
            raise TransitionNotAllowed("The return is still a draft: change it instead.")
        addendum = stamp(
            ReturnAddendum(information_return=information_return, text=text, added_by=by),
            by=by,
            reason="Addendum",
        )
        addendum.save()
        record_event(
            case=request.rapid_review.case,
            kind=EventKind.RETURN_ADDENDUM,
            by=by,
            summary=f"{request.agency} added an addendum to its information return",
        )
        pack_pdf_queue(review=request.rapid_review)
    return addendum
