"""The demo data loads, gives every role a sign-in, and loads only once."""

import datetime
import zoneinfo

import time_machine
from django.core.management import call_command
from django.test import override_settings

from cspr.models import Case, Digest, Reminder, ReminderStatus, Role, User


def test_the_demo_has_a_sign_in_for_every_role_and_loads_once(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    roles = set().union(*(user.roles for user in User.objects.all()))
    assert roles == set(Role.values)
    assert Case.objects.filter(partnership__name__startswith="Northbridge").count() == 4
    assert "westmoor" in capsys.readouterr().out


# Reminders fall on working days only: on a weekend or a bank holiday none is due, so
# the demo is loaded and swept on a Wednesday.
A_WORKING_DAY = datetime.datetime(2026, 11, 25, 10, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def test_the_demo_has_deadlines_that_produce_reminders_today(db):
    with time_machine.travel(A_WORKING_DAY, tick=False):
        call_command("load_demo")
        with override_settings(REMINDER_SEND_FROM_HOUR=0):
            call_command("send_reminders")
    told = set(
        Reminder.objects.filter(status=ReminderStatus.NOTIFIED).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"manager", "officer", "police"} <= told
    assert Digest.objects.filter(recipient__username="manager", status="sent").exists()


def test_a_demo_person_signs_in_with_the_code_the_demo_command_prints(db, client, capsys):
    call_command("load_demo")
    capsys.readouterr()
    call_command("demo_code", "manager")
    code = capsys.readouterr().out.strip()
    client.post("/sign-in/", {"username": "manager", "password": "demo-password"})
    response = client.post("/account/second-factor/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
