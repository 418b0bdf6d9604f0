"""Writes to referrals: start, save as draft, submit, triage, decide, withdraw."""

from django.db import transaction
from django.utils import timezone

from cspr.concurrency import check_version, saved_values, version_of
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, EventKind, Role
from cspr.services.audit import record_event, stamp
from cspr.services.cases import case_open
from referrals import access
from referrals.models import (
    ALLOWED_REFERRAL_MOVES,
    Decision,
    Referral,
    ReferralChild,
    ReferralStatus,
)

REFERRAL_FIELDS = [
    "referring_agency",
    "referrer_name",
    "referrer_role",
    "referrer_contact",
    "incident_date",
    "nature",
    "looked_after",
    "care_leaver",
    "abuse_or_neglect",
    "other_agencies",
    "case_outline",
    "criteria",
    "circumstances",
    "urgency",
    "media_interest",
    "media_details",
]
CHILD_FIELDS = ["given_names", "family_name", "date_of_birth", "sex", "address"]


def _lock(referral):
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _move(referral, to):
    if to not in ALLOWED_REFERRAL_MOVES[ReferralStatus(referral.status)]:
        raise TransitionNotAllowed(
            f"This referral is {referral.get_status_display().lower()}; "
            f"it cannot be {ReferralStatus(to).label.lower()} now."
        )
    referral.status = to


def referral_start(*, by):
    """An empty draft in the referrer's partnership, from their agency if they have one."""
    if not access.may_refer(by):
        raise TransitionNotAllowed("You cannot make referrals.")
    with transaction.atomic():
        referral = stamp(
            Referral(partnership_id=by.partnership_id, created_by=by, referring_agency=by.agency),
            by=by,
            reason="Referral started",
        )
        referral.save()
        stamp(ReferralChild(referral=referral), by=by, reason="Referral started").save()
    return referral


def referral_version(referral):
    """The version of a referral and its child's details an edit page carries
    (cspr.concurrency)."""
    child = ReferralChild.objects.get(referral=referral)
    return version_of(
        {
            "referral": saved_values(referral, exclude=("id", "updated_at")),
            "agencies_involved": sorted(referral.agencies_involved.values_list("pk", flat=True)),
            "child": saved_values(child, exclude=("id", "referral")),
        }
    )


def referral_save_draft(*, referral, fields, child, agencies_involved, by, version=None):
    """Save whatever the author has entered so far; nothing is required yet. Refuses
    (`EditConflict`) when the referral changed after `version` was read."""
    with transaction.atomic():
        referral = _lock(referral)
        if not access.can(by, access.EDIT, referral):
            raise TransitionNotAllowed("Only its author can change a draft referral.")
        check_version(
            version,
            current=referral_version(referral),
            what="this referral",
            by=by,
            histories=[
                referral.history.all(),
                ReferralChild.history.filter(referral_id=referral.pk),
            ],
        )
        agency = fields.get("referring_agency")
        if agency is not None and agency.partnership_id != referral.partnership_id:
            raise TransitionNotAllowed("That agency belongs to another partnership.")
        if (
            "referring_agency" in fields
            and not by.has_role(Role.BUSINESS_UNIT)
            and agency != by.agency
        ):
            # Only the business unit refers on behalf of someone else.
            raise Incomplete({"referring_agency": "You can refer only for your own agency"})
        if any(a.partnership_id != referral.partnership_id for a in agencies_involved):
            raise TransitionNotAllowed("An agency listed belongs to another partnership.")
        for name in REFERRAL_FIELDS:
            if name in fields:
                setattr(referral, name, fields[name])
        stamp(referral, by=by, reason="Draft saved").save()
        referral.agencies_involved.set(agencies_involved)
        record = ReferralChild.objects.select_for_update().get(referral=referral)
        for name in CHILD_FIELDS:
            if name in child:
                setattr(record, name, child[name])
        stamp(record, by=by, reason="Draft saved").save()
    return referral


def missing_for_submission(referral):
    """{field: message} for what a referral needs before it can be submitted."""
    child = referral.child
    missing = {}
    if not (child.given_names or child.family_name):
        missing["given_names"] = "Enter the child's name, or as much of it as you know"
    if not referral.incident_date:
        missing["incident_date"] = "Enter the date of the incident"
    elif referral.incident_date > timezone.localdate():
        missing["incident_date"] = "The date of the incident must be today or in the past"
    if not referral.nature:
        missing["nature"] = "Say whether the child died or was seriously harmed"
    if not referral.case_outline.strip():
        missing["case_outline"] = "Give an outline of the case"
    if not referral.referring_agency_id and not referral.referrer_name.strip():
        missing["referrer_name"] = "Enter the name of the person referring"
    if not referral.referring_agency_id and not referral.referrer_contact.strip():
        missing["referrer_contact"] = "Enter how to contact the person referring"
    return missing


def referral_submit(*, referral, by):
    """Send a complete draft to the business unit. Author only; refuses an incomplete one
    (with each missing field named) and a second submission."""
    with transaction.atomic():
        referral = _lock(referral)
        if referral.created_by_id != by.pk:
            raise TransitionNotAllowed("Only its author can submit a referral.")
        missing = missing_for_submission(referral)
        if missing:
            raise Incomplete(missing)
        _move(referral, ReferralStatus.SUBMITTED)
        referral.submitted_at, referral.submitted_by = timezone.now(), by
        stamp(referral, by=by, reason="Submitted").save()
    return referral


def referral_triage(*, referral, by, note, case=None, pseudonym=""):
    """The business unit attaches the referral to an existing case of the partnership or
    opens a new case (copying the child's details to its restricted record), and passes
    it to the sub-group."""
    with transaction.atomic():
        referral = _lock(referral)
        if not access.can(by, access.TRIAGE, referral):
            raise TransitionNotAllowed("Only the business unit can triage a submitted referral.")
        if case is None and not pseudonym.strip():
            raise Incomplete({"pseudonym": "Enter a case name, or choose an existing case"})
        if case is not None and case.partnership_id != referral.partnership_id:
            raise TransitionNotAllowed("That case belongs to another partnership.")
        if case is None:
            child = referral.child
            case = case_open(
                partnership=referral.partnership,
                pseudonym=pseudonym,
                child={
                    "given_names": child.given_names,
                    "family_name": child.family_name,
                    "date_of_birth": child.date_of_birth,
                    "sex": child.sex,
                    "address": child.address,
                },
                by=by,
            )
        _move(referral, ReferralStatus.TRIAGED)
        referral.case = case
        referral.triage_note, referral.triaged_at, referral.triaged_by = note, timezone.now(), by
        stamp(referral, by=by, reason="Triaged").save()
        source = referral.referring_agency or referral.referrer_name
        record_event(
            case=case,
            kind=EventKind.REFERRAL_RECEIVED,
            by=by,
            summary=f"Referral from {source} triaged and passed to the sub-group",
            note=note,
        )
    return referral


def referral_decide(*, referral, decision, rationale, by):
    """The sub-group's decision, recorded by its chair, with the rationale."""
    if not rationale.strip():
        raise Incomplete({"rationale": "Give the rationale for the decision"})
    decision = Decision(decision)
    with transaction.atomic():
        referral = _lock(referral)
        if not access.can(by, access.DECIDE, referral):
            raise TransitionNotAllowed("Only the sub-group chair can record the decision.")
        _move(referral, ReferralStatus.DECIDED)
        referral.decision, referral.decision_rationale = decision, rationale
        referral.decided_at, referral.decided_by = timezone.now(), by
        stamp(referral, by=by, reason="Decided").save()
        record_event(
            case=Case.objects.get(pk=referral.case_id),
            kind=EventKind.REFERRAL_DECIDED,
            by=by,
            summary=f"Sub-group decision on the referral: {decision.label}",
            note=rationale,
        )
    return referral


def referral_withdraw(*, referral, reason, by):
    """Withdraw a referral that has not been decided, with the reason."""
    if not reason.strip():
        raise Incomplete({"reason": "Say why the referral is withdrawn"})
    with transaction.atomic():
        referral = _lock(referral)
        if not access.can(by, access.WITHDRAW, referral):
            raise TransitionNotAllowed("You cannot withdraw this referral.")
        _move(referral, ReferralStatus.WITHDRAWN)
        referral.withdrawn_reason = reason
        stamp(referral, by=by, reason="Withdrawn").save()
        if referral.case_id:
            record_event(
                case=Case.objects.get(pk=referral.case_id),
                kind=EventKind.REFERRAL_WITHDRAWN,
                by=by,
                summary="Referral withdrawn",
                note=reason,
            )
    return referral
