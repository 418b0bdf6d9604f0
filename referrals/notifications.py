"""Writes to the serious incident notification (R2)."""

from django.db import transaction
from django.utils import timezone

from cspr import access
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, EventKind
from cspr.services.audit import record_event, stamp
from cspr.services.deadlines import deadline_set, deadline_settle
from referrals.models import Notification


def _fmt(day):
    return f"{day:%-d %B %Y}"


def notification_open(*, case, date_aware, by):
    """Record the day the local authority became aware; sets the 5-working-day deadline.
    Business unit only; once per case."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can record a notification.")
        if Notification.objects.filter(case=case).exists():
            raise TransitionNotAllowed("This case already has a notification.")
        if date_aware > timezone.localdate():
            raise Incomplete({"date_aware": "The date aware must be today or in the past"})
        deadline = deadline_set(
            case=case,
            rule=Rule.NOTIFICATION,
            anchor_date=date_aware,
            anchor_event="the local authority became aware",
            by=by,
        )
        notification = stamp(
            Notification(case=case, date_aware=date_aware, deadline=deadline, created_by=by),
            by=by,
            reason="Awareness recorded",
        )
        notification.save()
        record_event(
            case=case,
            kind=EventKind.NOTIFICATION_AWARE,
            by=by,
            summary=f"The local authority became aware on {_fmt(date_aware)}",
        )
    return notification


def notification_record_sent(
    *, notification, sent_on, panel_reference, notified_by, partnership_told_on, late_reason, by
):
    """Record the notification as sent. A late one needs its reason; the deadline is
    marked met or missed."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("case", "deadline")
            .get(pk=notification.pk)
        )
        case = notification.case
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can record a notification.")
        if notification.is_sent:
            raise TransitionNotAllowed(
                f"The notification was already recorded as sent on {_fmt(notification.sent_on)}."
            )
        missing = {}
        if sent_on < notification.date_aware:
            missing["sent_on"] = "The date sent cannot be before the date aware"
        if sent_on > timezone.localdate():
            missing["sent_on"] = "The date sent must be today or in the past"
        if not panel_reference.strip():
            missing["panel_reference"] = "Enter the Panel's reference"
        if not notified_by.strip():
            missing["notified_by"] = "Enter who notified the Panel"
        if partnership_told_on and partnership_told_on > timezone.localdate():
            missing["partnership_told_on"] = "The date must be today or in the past"
        late = sent_on > notification.deadline.due_on
        if late and not late_reason.strip():
            missing["late_reason"] = (
                f"It was due by {_fmt(notification.deadline.due_on)}: say why it was late"
            )
        if missing:
            raise Incomplete(missing)
        notification.sent_on, notification.panel_reference = sent_on, panel_reference.strip()
        notification.notified_by, notification.late_reason = notified_by.strip(), late_reason
        notification.partnership_told_on = partnership_told_on
        stamp(notification, by=by, reason="Sent").save()
        deadline_settle(deadline=notification.deadline, on=sent_on, by=by, note=late_reason)
        record_event(
            case=case,
            kind=EventKind.NOTIFICATION_SENT,
            by=by,
            summary=f"Notification sent to the Panel on {_fmt(sent_on)}"
            + (" (late)" if late else "")
            + f", reference {notification.panel_reference}",
            note=late_reason,
        )
    return notification
