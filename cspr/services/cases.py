"""Writes to the case spine: opening a case, moving its stage, the child record, access."""

from django.db import transaction

from cspr import access
from cspr.concurrency import check_version, saved_values, version_of
from cspr.errors import TransitionNotAllowed
from cspr.models import ALLOWED_STAGE_MOVES, Case, ChildRecord, EventKind, Partnership, Stage
from cspr.services.audit import record_event, stamp


def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk)


def case_open(*, partnership, pseudonym, child, by):
    """Open a case in the business unit's own partnership with the child's record.

    `child` is a dict of ChildRecord fields. Only the business unit of that partnership.
    """
    if not access.may_manage_cases(by) or by.partnership_id != partnership.pk:
        raise TransitionNotAllowed("Only the partnership's business unit can open a case.")
    pseudonym = pseudonym.strip()
    with transaction.atomic():
        # One case opening at a time per partnership, so two people choosing the same
        # name at the same moment get the message, not a database error.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        if Case.objects.filter(partnership=partnership, pseudonym__iexact=pseudonym).exists():
            raise TransitionNotAllowed(f'There is already a case called "{pseudonym}".')
        case = stamp(
            Case(partnership=partnership, pseudonym=pseudonym, created_by=by),
            by=by,
            reason="Case opened",
        )
        case.save()
        stamp(ChildRecord(case=case, **child), by=by, reason="Case opened").save()
        record_event(case=case, kind=EventKind.CASE_OPENED, by=by, summary="Case opened")
    return case


# Conditions a stage app sets on entering a stage: {stage: [check(case) -> refusal or ""]}.
# The kernel does not know the stages' records; the apps register these in `ready()`.
STAGE_ENTRY_CHECKS = {}


def register_stage_entry_check(stage, check):
    """Let a stage app refuse a move into `stage` (for example, no local review before the
    Panel agrees one). `check(case)` returns the refusal message, or "" to allow."""
    STAGE_ENTRY_CHECKS.setdefault(Stage(stage), []).append(check)


def case_move_stage(*, case, to, by, note=""):
    """Move a case to another stage along `ALLOWED_STAGE_MOVES`, subject to the stage apps'
    entry checks. Business unit only."""
    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can move a case on.")
        if to not in ALLOWED_STAGE_MOVES[Stage(case.stage)]:
            raise TransitionNotAllowed(
                f"A case at {case.get_stage_display().lower()} cannot move to "
                f"{Stage(to).label.lower()}."
            )
        for check in STAGE_ENTRY_CHECKS.get(Stage(to), []):
            refusal = check(case)
            if refusal:
                raise TransitionNotAllowed(refusal)
        before = case.get_stage_display()
        case.stage = to
        stamp(case, by=by, reason=f"Stage: {to}").save(update_fields=["stage"])
        record_event(
            case=case,
            kind=EventKind.STAGE_CHANGED,
            by=by,
            summary=f"Moved from {before.lower()} to {case.get_stage_display().lower()}",
            note=note,
        )
    return case


def child_record_version(child):
    """The version of the child's record an edit page carries (cspr.concurrency)."""
    return version_of(saved_values(child, exclude=("id", "case", "updated_at")))


def child_record_update(*, case, changes, by, version=None):
    """Change the child's identifying details; the timeline says which fields, never the values.
    Refuses (`EditConflict`) when the record changed after `version` was read."""
    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can change the child's details.")
        child = ChildRecord.objects.select_for_update().get(case=case)
        check_version(
            version,
            current=child_record_version(child),
            what="the child's details",
            by=by,
            histories=[child.history.all()],
        )
        changed = [name for name, value in changes.items() if getattr(child, name) != value]
        if not changed:
            return child
        for name in changed:
            setattr(child, name, changes[name])
        labels = ", ".join(str(ChildRecord._meta.get_field(n).verbose_name) for n in changed)
        stamp(child, by=by, reason="Child's details changed").save()
        record_event(
            case=case,
            kind=EventKind.CHILD_RECORD_CHANGED,
            by=by,
            summary=f"Child's details changed: {labels}",
        )
    return child


def case_grant_agency(*, case, agency, by, reason, child_details=True):
    """Let an agency's contributors see the case. Business unit only; same partnership only."""
    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can give an agency access.")
        if agency.partnership_id != case.partnership_id:
            raise TransitionNotAllowed("That agency belongs to another partnership.")
        access.grant_agency(case, agency, child_details=child_details)
        record_event(
            case=case,
            kind=EventKind.ACCESS_GRANTED,
            by=by,
            summary=f"{agency.name} can see this case",
            note=reason,
        )


def case_revoke_agency(*, case, agency, by, reason):
    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can remove an agency's access.")
        access.revoke_agency(case, agency)
        record_event(
            case=case,
            kind=EventKind.ACCESS_REVOKED,
            by=by,
            summary=f"{agency.name} can no longer see this case",
            note=reason,
        )


def case_grant_reviewer(*, case, reviewer, by, reason):
    """Let an independent reviewer (of the same partnership) see this case only."""
    from cspr.models import Role

    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can give a reviewer access.")
        if reviewer.partnership_id != case.partnership_id or not reviewer.has_role(
            Role.INDEPENDENT_REVIEWER
        ):
            raise TransitionNotAllowed("That person is not a reviewer for this partnership.")
        access.grant_person(case, reviewer)
        record_event(
            case=case,
            kind=EventKind.ACCESS_GRANTED,
            by=by,
            summary=f"{reviewer} (independent reviewer) can see this case",
            note=reason,
        )


def case_revoke_reviewer(*, case, reviewer, by, reason):
    """The independent reviewer no longer sees this case (their appointment ended)."""
    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can remove a reviewer's access.")
        access.revoke_person(case, reviewer)
        record_event(
            case=case,
            kind=EventKind.ACCESS_REVOKED,
            by=by,
            summary=f"{reviewer} (independent reviewer) can no longer see this case",
            note=reason,
        )
