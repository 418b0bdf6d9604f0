"""Scheduled kernel work. Tasks are thin: a service does the work."""

from celery import shared_task

from cspr.services.deadlines import deadlines_mark_missed


@shared_task(acks_late=True)
def mark_missed_deadlines():
    """Daily: mark open deadlines whose day has passed as missed. Idempotent, so a retry
    or a second beat does no harm. Returns how many were marked."""
    return deadlines_mark_missed()
