"""The scheduled tasks: thin wrappers that beat runs, each doing its service's work."""

import datetime

import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings

from cspr import tasks
from cspr.celery import app
from cspr.models import CalendarDay, ReminderKind
from tests.cspr.test_reminders import at, notification_deadline, set_deadline

D = datetime.date


def test_beat_runs_the_sweep_every_ten_minutes_and_the_daily_jobs_after_midnight():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["cspr.tasks.send_reminders"].minute == set(range(0, 60, 10))
    for daily in ("cspr.tasks.recompute_deadlines", "cspr.tasks.mark_missed_deadlines"):
        assert schedule[daily].hour == {0}
    registered = set(app.tasks)
    assert set(schedule) <= registered


@override_settings(REMINDER_SEND_FROM_HOUR=0)
def test_the_send_reminders_task_sends_what_is_due(world):
    world["business_manager"].email = "manager@example.org"
    world["business_manager"].save()
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4))
    with time_machine.travel(at(2027, 3, 1, 7, 30), tick=False):
        result = tasks.send_reminders.apply().get()
    assert result["collected"] == 1 and result["digests_sent"] == 1
    assert len(mail.outbox) == 1


def test_the_daily_recompute_catches_a_calendar_changed_outside_the_application(world):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = notification_deadline(world)
        assert deadline.due_on == D(2027, 3, 8)
        # A row written straight into the calendar table, not through the calendar page.
        CalendarDay.objects.create(
            day=D(2027, 3, 3), is_working=False, title="One-off", source="administrator"
        )
        assert tasks.recompute_deadlines.apply().get() == 1
    deadline.refresh_from_db()
    assert deadline.due_on == D(2027, 3, 9)
    assert deadline.reminders.filter(kind=ReminderKind.DUE_TODAY, for_day=D(2027, 3, 9)).exists()


def test_plan_reminders_plans_deadlines_from_before_reminders_existed(world, capsys):
    from django.core.management import call_command

    from cspr.models import Reminder

    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = notification_deadline(world)
        Reminder.objects.all().delete()  # as if set before this release
        call_command("plan_reminders")
        assert deadline.reminders.count() == 5  # manager: 3 days, 1 day, due, missed; chair
        call_command("plan_reminders")
    assert deadline.reminders.count() == 5
    assert "0 reminders planned" in capsys.readouterr().out
