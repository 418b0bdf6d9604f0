"""Writes to a person's own notifications list (their collected reminders): marking read."""

from django.utils import timezone

from cspr import selectors


def notification_mark_read(*, notification, by):
    """Mark one of `by`'s own notifications read. The view has found it through
    `notifications_for(by)`, so it is theirs and about a case they may see."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by):
    """Mark every unread notification of `by` read. Returns how many."""
    return (
        selectors.notifications_for(by).filter(read_at__isnull=True).update(read_at=timezone.now())
    )
