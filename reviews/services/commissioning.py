"""Commissioning a local review (R6): from the Panel's agreement to the day it starts."""

import datetime

from django.db import transaction
from django.utils import timezone

from cspr import access as case_access
from cspr.concurrency import check_version, version_of
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, EventKind, Stage
from cspr.services.audit import record_event, stamp
from cspr.services.deadlines import deadline_set
from cspr.working_days import load_calendar
from reviews import access
from reviews.models import (
    COMMITMENTS,
    EngagementKind,
    FamilyEngagement,
    GroupKind,
    GroupMember,
    LocalReview,
    Methodology,
    MonitoringCheckpoint,
    ParallelProcess,
    ProcessStatus,
    ReviewStatus,
)
from reviews.services.appointment import current_appointment
from reviews.services.common import (
    RUNNING,
    blank,
    fmt,
    guard,
    guard_status,
    lock,
    move,
    not_future,
)
from reviews.services.terms import agreed_terms

METHODOLOGY_FIELDS = ["methodology", "methodology_detail", *COMMITMENTS, "joint_review_note"]
CHRONOLOGY_FIELDS = ["chronology_from", "chronology_to", "chronology_guidance"]


# ---------------------------------------------------------------------------- commissioning


def local_review_commission(*, case, by):
    """Commission the local review of a case. Business unit; only once the Panel's latest
    response agrees a local review (R5) and the case is at that stage; once."""
    from rapid_reviews.services import may_start_local_review

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case_access.can(by, case_access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit commissions a local review.")
        if case.stage != Stage.LOCAL_REVIEW or not may_start_local_review(case):
            raise TransitionNotAllowed(
                "A local review starts only after the Panel's response agreeing one."
            )
        if LocalReview.objects.filter(case=case).exists():
            raise TransitionNotAllowed("The local review has already been commissioned.")
        review = stamp(LocalReview(case=case, commissioned_by=by), by=by, reason="Commissioned")
        review.save()
        record_event(
            case=case,
            kind=EventKind.LOCAL_REVIEW_COMMISSIONED,
            by=by,
            summary="Local review commissioned",
        )
    return review


# ------------------------------------------------------------------- methodology, chronology


def fields_version(review, names):
    """The version of some of the review's own fields an edit page carries."""
    return version_of({name: getattr(review, name) for name in names})


def has_joint_review(case):
    return ParallelProcess.objects.filter(
        case=case, is_joint_review=True, status=ProcessStatus.OPEN
    ).exists()


def methodology_agree(*, review, data, by, version=None):
    """Record the methodology agreed with the reviewer and how it meets each commitment
    (family, practitioners, a no-blame systems approach, the NSPCC quality markers); a
    bespoke or hybrid approach says how it works, and a joint review how it meets both
    reviews' requirements. Business unit; while commissioning (it is fixed at the start)."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit records the methodology.")
        guard_status(
            review,
            (ReviewStatus.COMMISSIONING,),
            "The methodology was fixed when the review started.",
        )
        check_version(
            version,
            current=fields_version(review, METHODOLOGY_FIELDS),
            what="the methodology",
            by=by,
            histories=[review.history.all()],
        )
        missing = {}
        if data.get("methodology") not in Methodology.values:
            missing["methodology"] = "Choose the methodology"
        elif data["methodology"] in (Methodology.BESPOKE, Methodology.HYBRID) and blank(
            data.get("methodology_detail")
        ):
            missing["methodology_detail"] = "Say how the bespoke or hybrid approach works"
        for name, label in COMMITMENTS.items():
            if blank(data.get(name)):
                missing[name] = f"Say how the review meets this commitment: {label.lower()}"
        if has_joint_review(review.case) and blank(data.get("joint_review_note")):
            missing["joint_review_note"] = (
                "This is a joint review: say how the methodology meets both reviews' requirements"
            )
        if missing:
            raise Incomplete(missing)
        for name in METHODOLOGY_FIELDS:
            setattr(review, name, data.get(name, "") or "")
        review.methodology_agreed_at, review.methodology_agreed_by = timezone.now(), by
        stamp(review, by=by, reason="Methodology agreed").save()
        record_event(
            case=review.case,
            kind=EventKind.METHODOLOGY_AGREED,
            by=by,
            summary=f"Methodology agreed: {review.get_methodology_display()}",
        )
    return review


def chronology_template_agree(
    *, review, chronology_from, chronology_to, guidance, by, version=None
):
    """Agree the chronology template: the rapid review's chronology row (date, source,
    event, significance, action) over the period agreed, with guidance for agencies.
    Business unit; while commissioning."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit agrees the chronology template.")
        guard_status(
            review,
            (ReviewStatus.COMMISSIONING,),
            "The chronology template was fixed when the review started.",
        )
        check_version(
            version,
            current=fields_version(review, CHRONOLOGY_FIELDS),
            what="the chronology template",
            by=by,
            histories=[review.history.all()],
        )
        missing = {}
        if not chronology_from:
            missing["chronology_from"] = "Enter the date the chronology starts"
        if not chronology_to:
            missing["chronology_to"] = "Enter the date the chronology ends"
        if chronology_from and chronology_to and chronology_from > chronology_to:
            missing["chronology_to"] = "The chronology must end after it starts"
        if missing:
            raise Incomplete(missing)
        review.chronology_from, review.chronology_to = chronology_from, chronology_to
        review.chronology_guidance = guidance
        review.chronology_agreed_at, review.chronology_agreed_by = timezone.now(), by
        stamp(review, by=by, reason="Chronology template agreed").save()
        record_event(
            case=review.case,
            kind=EventKind.CHRONOLOGY_TEMPLATE_AGREED,
            by=by,
            summary=f"Chronology template agreed: {fmt(chronology_from)} to {fmt(chronology_to)}",
            note=guidance,
        )
    return review


# ---------------------------------------------------------------------- groups and family


def _guard_groups(review, by):
    guard(review, by, access.MANAGE, "Only the business unit changes the groups.")
    guard_status(
        review,
        (*RUNNING, ReviewStatus.READY_FOR_EXECUTIVE),
        "The groups can no longer change: the report is approved.",
    )


def group_member_add(*, review, group, name, role, agency, seniority, involvement, by):
    """Add someone to the review group (a manager of sufficient seniority from a key
    agency) or the practitioner group (staff who worked with the child and family).
    Business unit; until the report is approved."""
    with transaction.atomic():
        review = lock(review)
        _guard_groups(review, by)
        missing = {}
        if group not in GroupKind.values:
            missing["group"] = "Choose the group"
        if blank(name):
            missing["name"] = "Enter the person's name"
        if blank(role):
            missing["role"] = "Enter their role"
        if agency is None or agency.partnership_id != review.case.partnership_id:
            missing["agency"] = "Choose their agency"
        if group == GroupKind.REVIEW and blank(seniority):
            missing["seniority"] = "Say how senior they are: the review group needs managers"
        if group == GroupKind.PRACTITIONER and blank(involvement):
            missing["involvement"] = "Say how they worked with the child and family"
        if missing:
            raise Incomplete(missing)
        member = stamp(
            GroupMember(
                review=review,
                group=group,
                name=name.strip(),
                role=role.strip(),
                agency=agency,
                seniority=seniority.strip() if group == GroupKind.REVIEW else "",
                involvement=involvement if group == GroupKind.PRACTITIONER else "",
                added_by=by,
            ),
            by=by,
            reason="Added",
        )
        member.save()
        record_event(
            case=review.case,
            kind=EventKind.GROUP_CHANGED,
            by=by,
            summary=f"{member} ({agency}) joined the {member.get_group_display().lower()}",
        )
    return member


def group_member_remove(*, member, by):
    """Take someone off a group; the row stays, with who removed them and when. Business
    unit; until the report is approved."""
    with transaction.atomic():
        review = lock(member.review)
        _guard_groups(review, by)
        member = GroupMember.objects.select_for_update().get(pk=member.pk)
        if member.removed_at:
            raise TransitionNotAllowed(f"{member.name} has already left the group.")
        member.removed_at, member.removed_by = timezone.now(), by
        stamp(member, by=by, reason="Removed").save()
        record_event(
            case=review.case,
            kind=EventKind.GROUP_CHANGED,
            by=by,
            summary=f"{member} left the {member.get_group_display().lower()}",
        )
    return member


def family_engagement_record(*, review, kind, on, family_member, by_whom, summary, consent, by):
    """Add to the family engagement log: telling the family about the review (or deciding
    not to contact them yet, with the reason), contacts, meetings and their consent to
    publish. The partnership does this, never an agency. Business unit."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit records contact with the family.")
        missing = not_future(on, "on")
        if kind not in EngagementKind.values:
            missing["kind"] = "Choose what happened"
        if blank(summary):
            missing["summary"] = (
                "Say why the family is not contacted yet"
                if kind == EngagementKind.NOT_CONTACTED
                else "Summarise what happened"
            )
        if kind == EngagementKind.CONSENT and not consent:
            missing["consent"] = "Say whether the family consented to publication"
        if missing:
            raise Incomplete(missing)
        entry = stamp(
            FamilyEngagement(
                review=review,
                kind=kind,
                on=on,
                family_member=family_member.strip(),
                by_whom=by_whom.strip(),
                summary=summary,
                consent=consent if kind == EngagementKind.CONSENT else "",
                recorded_by=by,
            ),
            by=by,
            reason="Recorded",
        )
        entry.save()
        what = entry.get_kind_display()
        if entry.consent:
            what = f"{what}: {entry.get_consent_display().lower()}"
        record_event(
            case=review.case,
            kind=EventKind.FAMILY_ENGAGEMENT,
            by=by,
            summary=f"Family engagement, {fmt(on)}: {what}",
            note=summary,
        )
    return entry


# --------------------------------------------------------------------------------- start


def start_checklist(review):
    """[(what, done)] that commissioning needs before the review starts."""
    appointment = current_appointment(review)
    members = GroupMember.objects.filter(review=review, removed_at__isnull=True)
    family = FamilyEngagement.objects.filter(
        review=review, kind__in=[EngagementKind.INFORMED, EngagementKind.NOT_CONTACTED]
    )
    joint = has_joint_review(review.case)
    items = [
        ("Appoint the independent reviewer", appointment is not None),
        ("Agree the terms of reference with the reviewer", agreed_terms(review) is not None),
        ("Agree the methodology", review.methodology_is_agreed),
        (
            "Form the review group",
            members.filter(group=GroupKind.REVIEW).exists(),
        ),
        ("Tell the family about the review, or record why not yet", family.exists()),
        ("Agree the chronology template", review.chronology_is_agreed),
    ]
    if joint:
        items.append(
            (
                "Say how the methodology meets both reviews' requirements (a joint review)",
                bool(review.joint_review_note.strip()),
            )
        )
    return items


def checkpoint_plan(review, after, by):
    """Plan the next monitoring checkpoint, the review's interval after `after`."""
    due_on = after + datetime.timedelta(weeks=review.monitoring_interval_weeks)
    calendar = load_calendar()
    if not calendar.is_working_day(due_on):
        due_on = calendar.add_working_days(due_on, 1)
    deadline = deadline_set(
        case=review.case,
        rule=Rule.MONITORING_CHECKPOINT,
        anchor_date=after,
        anchor_event="the last checkpoint" if review.checkpoints.exists() else "the review's start",
        due_on=due_on,
        by=by,
        calendar=calendar,
    )
    checkpoint = stamp(
        MonitoringCheckpoint(review=review, deadline=deadline), by=by, reason="Planned"
    )
    checkpoint.save()
    return checkpoint


def local_review_start(*, review, started_on, monitoring_interval_weeks, by):
    """Start the review once commissioning is complete (`start_checklist`): the initiation
    date sets the six-month completion target (a target to report against, not a block)
    and the first monitoring checkpoint. Business unit."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit starts the review.")
        guard_status(review, (ReviewStatus.COMMISSIONING,), "The review has already started.")
        to_do = [what for what, done in start_checklist(review) if not done]
        if to_do:
            raise TransitionNotAllowed(
                "Before the review starts: "
                + "; ".join(what[0].lower() + what[1:] for what in to_do)
                + "."
            )
        missing = not_future(started_on, "started_on", "The start date")
        if started_on is None:
            missing["started_on"] = "Enter the date the review started"
        elif started_on < timezone.localtime(review.commissioned_at).date():
            missing["started_on"] = "The review cannot start before it was commissioned"
        if not 1 <= monitoring_interval_weeks <= 26:
            missing["monitoring_interval_weeks"] = "Enter a number of weeks from 1 to 26"
        if missing:
            raise Incomplete(missing)
        review.started_on, review.started_by = started_on, by
        review.monitoring_interval_weeks = monitoring_interval_weeks
        review.completion_deadline = deadline_set(
            case=review.case,
            rule=Rule.CSPR_COMPLETION,
            anchor_date=started_on,
            anchor_event="the review was initiated",
            by=by,
        )
        move(review, ReviewStatus.UNDER_WAY, by=by, reason="Started")
        checkpoint_plan(review, started_on, by)
        record_event(
            case=review.case,
            kind=EventKind.LOCAL_REVIEW_STARTED,
            by=by,
            summary=f"Local review started on {fmt(started_on)}; the target is to complete "
            f"it by {fmt(review.completion_deadline.due_on)}",
        )
    return review
