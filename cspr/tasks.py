"""Scheduled kernel work. Tasks are thin: ids in (or nothing), a service does the work.

Every one is idempotent and safe to run twice at once, so a retry, a redelivered message
after a lost worker, or a second beat does no harm.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from cspr.services.deadlines import deadlines_mark_missed, deadlines_recompute
from cspr.services.reminder_sweep import reminders_sweep

# A database that restarts under a task is worth a few more tries.
RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "max_retries": 5,
}


@shared_task(**RETRY)
def mark_missed_deadlines():
    """Daily: mark open deadlines whose day has passed as missed. Returns how many."""
    return deadlines_mark_missed()


# A sweep normally takes seconds; one stuck longer than beat's interval is stopped, and
# what it had not finished waits, unharmed, for the next.
@shared_task(**RETRY, soft_time_limit=540, time_limit=600)
def send_reminders():
    """Every few minutes: collect the reminders whose day has come and e-mail each person
    their digest (`cspr.services.reminder_sweep`). Returns the sweep's figures."""
    return reminders_sweep().as_dict()


@shared_task(**RETRY)
def recompute_deadlines():
    """Daily: recompute every pending deadline against the calendar in force and re-plan
    the reminders of any that moved. Calendar changes already do this at once; this
    catches a list imported outside the application. Returns how many moved."""
    return len(deadlines_recompute(by=None, reason="the daily check against the calendar"))
