"""Reminders: who is told what and on which day, and the sweep that tells them once."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from cspr import access
from cspr.deadline_rules import Rule
from cspr.models import (
    Deadline,
    DeadlineStatus,
    Digest,
    DigestStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
)
from cspr.services.calendar import calendar_day_set
from cspr.services.deadlines import (
    deadline_complete,
    deadline_extend,
    deadline_pause,
    deadline_resume,
    deadline_set,
    deadline_waive,
)
from cspr.services.reminder_sweep import reminders_sweep
from cspr.services.reminders import reminders_plan_for_person
from tests.factories import UserFactory

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=9, minute=0):
    """A moment in London time, for time-machine and the sweep."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def plan_of(deadline, person):
    """{(kind, days_before, day)} of the reminders still to go to `person`."""
    return set(
        deadline.reminders.filter(recipient=person, status=ReminderStatus.PENDING).values_list(
            "kind", "days_before", "for_day"
        )
    )


def set_deadline(world, *, due_on, rule=Rule.OTHER, agency=None, title="Local deadline"):
    return deadline_set(
        case=world.case,
        rule=rule,
        anchor_date=D(2027, 3, 1),
        anchor_event="the business unit set it",
        due_on=due_on,
        title=title,
        agency=agency,
        by=world["business_manager"],
    )


def notification_deadline(world):
    """The 5-working-day statutory deadline to notify the Panel, aware Monday 1 March 2027."""
    return deadline_set(
        case=world.case,
        rule=Rule.NOTIFICATION,
        anchor_date=D(2027, 3, 1),
        anchor_event="the local authority became aware",
        by=world["business_manager"],
    )


def holiday(world, day):
    """An administrator makes `day` a one-off bank holiday."""
    calendar_day_set(
        day=day,
        is_working=False,
        title="One-off bank holiday",
        reason="Announced",
        by=world["administrator"],
    )


@pytest.fixture
def police_lead(world):
    return UserFactory(
        username="police-lead",
        partnership=world.partnership,
        agency=world.police,
        roles=[Role.AGENCY_CONTRIBUTOR],
        is_agency_lead=True,
        email="police-lead@example.org",
    )


@pytest.fixture
def emails(world):
    for person in world.people.values():
        person.email = f"{person.username}@example.org"
        person.save(update_fields=["email"])


# Planning: which days


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_easter_and_the_clocks_changing_give_the_right_reminder_days(world):
    # Due Wednesday 31 March 2027: Good Friday (26th) and Easter Monday (29th) are not
    # working days, and the clocks go forward on Sunday 28th.
    deadline = set_deadline(world, due_on=D(2027, 3, 31))
    assert plan_of(deadline, world["business_manager"]) == {
        (ReminderKind.BEFORE, 3, D(2027, 3, 24)),
        (ReminderKind.BEFORE, 1, D(2027, 3, 30)),
        (ReminderKind.DUE_TODAY, 0, D(2027, 3, 31)),
        (ReminderKind.MISSED, 0, D(2027, 4, 1)),
    }


@time_machine.travel(at(2026, 12, 1), tick=False)
def test_christmas_and_new_year_bank_holidays_are_skipped(world):
    # Due Monday 4 January 2027: 1 January and the substitute Boxing Day (28 December
    # 2026) are bank holidays.
    deadline = set_deadline(world, due_on=D(2027, 1, 4))
    assert plan_of(deadline, world["business_manager"]) == {
        (ReminderKind.BEFORE, 3, D(2026, 12, 29)),
        (ReminderKind.BEFORE, 1, D(2026, 12, 31)),
        (ReminderKind.DUE_TODAY, 0, D(2027, 1, 4)),
        (ReminderKind.MISSED, 0, D(2027, 1, 5)),
    }


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_the_partnership_chooses_how_many_working_days_before(world):
    world.partnership.reminder_working_days = "5, 2"
    world.partnership.save()
    deadline = set_deadline(world, due_on=D(2027, 3, 19))
    days = {(kind, n) for kind, n, _ in plan_of(deadline, world["business_manager"])}
    assert days == {
        (ReminderKind.BEFORE, 5),
        (ReminderKind.BEFORE, 2),
        (ReminderKind.DUE_TODAY, 0),
        (ReminderKind.MISSED, 0),
    }


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_a_deadline_on_a_saturday_is_reminded_on_the_friday_once(world):
    deadline = set_deadline(world, due_on=D(2027, 3, 13))
    assert plan_of(deadline, world["business_manager"]) == {
        (ReminderKind.BEFORE, 3, D(2027, 3, 10)),
        (ReminderKind.DUE_TODAY, 0, D(2027, 3, 12)),
        (ReminderKind.MISSED, 0, D(2027, 3, 15)),
    }


@time_machine.travel(at(2027, 3, 10), tick=False)
def test_days_already_past_are_not_planned_but_an_overdue_deadline_escalates_today(world):
    soon = set_deadline(world, due_on=D(2027, 3, 11))
    assert plan_of(soon, world["business_manager"]) == {
        (ReminderKind.BEFORE, 1, D(2027, 3, 10)),
        (ReminderKind.DUE_TODAY, 0, D(2027, 3, 11)),
        (ReminderKind.MISSED, 0, D(2027, 3, 12)),
    }
    late = set_deadline(world, due_on=D(2027, 3, 3))
    assert plan_of(late, world["business_manager"]) == {(ReminderKind.MISSED, 0, D(2027, 3, 10))}


def test_the_setting_must_be_working_days_from_1_to_20(world):
    from django.core.exceptions import ValidationError

    world.partnership.reminder_working_days = "3, 0"
    with pytest.raises(ValidationError, match="each from 1 to 20"):
        world.partnership.full_clean()
    world.partnership.reminder_working_days = "three"
    with pytest.raises(ValidationError, match="whole numbers"):
        world.partnership.full_clean()


# Planning: who


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_a_statutory_deadline_reminds_the_business_unit_and_escalates_to_the_chair(world):
    deadline = notification_deadline(world)
    told = set(deadline.reminders.values_list("recipient__username", "kind"))
    assert told == {
        ("manager", ReminderKind.BEFORE),
        ("manager", ReminderKind.DUE_TODAY),
        ("manager", ReminderKind.MISSED),
        ("chair", ReminderKind.MISSED),
    }


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_a_local_deadline_is_not_escalated_to_the_chair(world):
    deadline = set_deadline(world, due_on=D(2027, 3, 19))
    assert not deadline.reminders.filter(recipient=world["subgroup_chair"]).exists()


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_an_agencys_return_reminds_its_contributors_and_escalates_to_its_lead(world, police_lead):
    deadline = set_deadline(
        world,
        due_on=D(2027, 3, 19),
        rule=Rule.AGENCY_RETURN,
        agency=world.police,
        title="Northtown Police information return",
    )
    told = set(deadline.reminders.values_list("recipient__username", "kind"))
    assert ("police", ReminderKind.BEFORE) in told
    assert ("police", ReminderKind.MISSED) not in told
    assert ("police-lead", ReminderKind.MISSED) in told
    assert ("manager", ReminderKind.MISSED) in told
    assert not {"health", "member", "executive", "reviewer", "stranger", "admin"} & {
        username for username, _ in told
    }


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_someone_joining_the_business_unit_is_reminded_of_open_deadlines(world):
    deadline = set_deadline(world, due_on=D(2027, 3, 19))
    newcomer = UserFactory(username="newcomer", partnership=world.partnership)
    from cspr.services.people import person_sync_groups

    person_sync_groups(user=newcomer, roles={Role.BUSINESS_UNIT})
    reminders_plan_for_person(user=newcomer)
    assert len(plan_of(deadline, newcomer)) == 4
    person_sync_groups(user=newcomer, roles=set())
    reminders_plan_for_person(user=newcomer)
    assert plan_of(deadline, newcomer) == set()


# Planning: moves


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_extending_a_deadline_moves_its_reminders(world):
    deadline = set_deadline(world, due_on=D(2027, 3, 19))
    deadline_extend(
        deadline=deadline, due_on=D(2027, 3, 24), reason="Agreed", by=world["business_manager"]
    )
    assert (ReminderKind.DUE_TODAY, 0, D(2027, 3, 24)) in plan_of(
        deadline, world["business_manager"]
    )
    assert not deadline.reminders.filter(due_on=D(2027, 3, 19)).exists()


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_a_deadline_done_or_waived_or_paused_has_nothing_left_to_remind(world):
    done = set_deadline(world, due_on=D(2027, 3, 19), title="Done")
    deadline_complete(deadline=done, on=D(2027, 3, 1), by=world["business_manager"])
    waived = set_deadline(world, due_on=D(2027, 3, 19), title="Waived")
    deadline_waive(deadline=waived, reason="Case closed", by=world["business_manager"])
    paused = set_deadline(world, due_on=D(2027, 3, 19), title="Paused")
    deadline_pause(deadline=paused, on=D(2027, 3, 1), reason="Panel", by=world["business_manager"])
    for deadline in (done, waived, paused):
        assert not deadline.reminders.filter(status=ReminderStatus.PENDING).exists()


def test_resuming_plans_the_reminders_for_the_new_day(world):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = set_deadline(world, due_on=D(2027, 3, 19))
        deadline_pause(
            deadline=deadline, on=D(2027, 3, 1), reason="Panel", by=world["business_manager"]
        )
    with time_machine.travel(at(2027, 3, 8), tick=False):
        deadline = deadline_resume(
            deadline=deadline, on=D(2027, 3, 8), by=world["business_manager"]
        )
    # 5 working days paused: Good Friday and Easter Monday fall in between.
    assert deadline.due_on == D(2027, 3, 30)
    assert (ReminderKind.DUE_TODAY, 0, D(2027, 3, 30)) in plan_of(
        deadline, world["business_manager"]
    )


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_a_new_non_working_day_moves_the_deadline_and_its_reminders(world):
    deadline = notification_deadline(world)
    assert deadline.due_on == D(2027, 3, 8)
    holiday(world, D(2027, 3, 4))
    deadline.refresh_from_db()
    assert deadline.due_on == D(2027, 3, 9)
    assert plan_of(deadline, world["business_manager"]) == {
        (ReminderKind.BEFORE, 3, D(2027, 3, 3)),
        (ReminderKind.BEFORE, 1, D(2027, 3, 8)),
        (ReminderKind.DUE_TODAY, 0, D(2027, 3, 9)),
        (ReminderKind.MISSED, 0, D(2027, 3, 10)),
    }


# The sweep


def test_nothing_goes_before_seven_in_the_morning_london_time_in_winter(world, emails):
    with time_machine.travel(at(2026, 10, 19), tick=False):
        set_deadline(world, due_on=D(2026, 10, 26))
    # The clocks went back on Sunday 25 October: 06:30 UTC is 06:30 in London.
    early = datetime.datetime(2026, 10, 26, 6, 30, tzinfo=datetime.UTC)
    assert reminders_sweep(now=early).too_early
    assert mail.outbox == []
    on_time = datetime.datetime(2026, 10, 26, 7, 0, tzinfo=datetime.UTC)
    assert reminders_sweep(now=on_time).digests_sent == 1
    assert "due today" in mail.outbox[0].body


def test_in_summer_seven_in_london_is_six_utc(world, emails):
    with time_machine.travel(at(2027, 3, 22), tick=False):
        set_deadline(world, due_on=D(2027, 3, 31))
    # Tuesday 30 March 2027, the first working day after the clocks went forward.
    # The 3-days-before reminder (Wednesday 24th) never went: the sweep did not run.
    result = reminders_sweep(now=datetime.datetime(2027, 3, 30, 6, 0, tzinfo=datetime.UTC))
    assert (result.collected, result.withheld, result.digests_sent) == (1, 1, 1)
    assert "due in 1 working day" in mail.outbox[0].body
    assert "3 working days" not in mail.outbox[0].body


@override_settings(REMINDER_SEND_FROM_HOUR=0)
def test_the_day_is_londons_not_utcs(world, emails):
    with time_machine.travel(at(2027, 3, 22), tick=False):
        set_deadline(world, due_on=D(2027, 3, 31))
    # 23:30 UTC on Monday 29 March is 00:30 on Tuesday 30 March in London.
    result = reminders_sweep(now=datetime.datetime(2027, 3, 29, 23, 30, tzinfo=datetime.UTC))
    assert result.collected == 1
    collected = Reminder.objects.get(status=ReminderStatus.NOTIFIED)
    assert collected.for_day == D(2027, 3, 30)


def test_a_reminder_is_sent_exactly_once_when_the_sweep_runs_twice(world, emails):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4), title="First")
        set_deadline(world, due_on=D(2027, 3, 4), title="Second")
    first = reminders_sweep(now=at(2027, 3, 1, 8))
    second = reminders_sweep(now=at(2027, 3, 1, 8, 10))
    assert (first.collected, first.digests_sent) == (2, 1)
    assert (second.collected, second.digests_sent) == (0, 0)
    assert len(mail.outbox) == 1  # one digest for the business manager with both
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert (
        Reminder.objects.filter(status=ReminderStatus.NOTIFIED)
        .filter(recipient=world["business_manager"])
        .count()
        == 2
    )


def test_the_digest_names_the_case_by_its_pseudonym_only(world, emails):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4))
    reminders_sweep(now=at(2027, 3, 1, 8))
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Child Q" in message.body and "Child Q" in html
    child = world.case.child
    for text in (message.subject, message.body, html):
        assert child.family_name not in text
    assert message.extra_headers["Message-ID"].startswith("<cspr-digest-")
    assert "/notifications/" in message.body


def test_nobody_is_told_about_a_case_they_may_no_longer_see(world, emails):
    from cspr.services.reminder_sweep import reminders_collect

    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = set_deadline(
            world, due_on=D(2027, 3, 4), rule=Rule.AGENCY_RETURN, agency=world.police
        )
    access.revoke_agency(world.case, world.police)
    # Withheld when collected: it never reaches the notifications list or a digest.
    reminders_collect(now=at(2027, 3, 1, 8))
    police = deadline.reminders.get(recipient=world["police_contributor"], for_day=D(2027, 3, 1))
    assert police.status == ReminderStatus.WITHHELD
    assert "may no longer see" in police.withheld_because
    assert police.digest is None
    reminders_sweep(now=at(2027, 3, 1, 8))
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]


def test_a_contributor_who_moves_agency_stops_hearing_of_the_old_agencys_return(world, emails):
    from cspr.services.people import person_sync_groups

    access.grant_agency(world.case, world.health)  # both agencies see Child Q
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = set_deadline(
            world, due_on=D(2027, 3, 4), rule=Rule.AGENCY_RETURN, agency=world.police
        )
    mover = world["police_contributor"]
    mover.agency = world.health
    mover.save()
    person_sync_groups(user=mover, roles={Role.AGENCY_CONTRIBUTOR})
    reminders_sweep(now=at(2027, 3, 1, 8))
    told = deadline.reminders.get(recipient=mover, for_day=D(2027, 3, 1))
    assert told.status == ReminderStatus.WITHHELD
    assert "police@example.org" not in [m.to[0] for m in mail.outbox]


def test_a_person_who_left_is_not_told_but_their_colleagues_are(world, emails):
    colleague = UserFactory(
        partnership=world.partnership, roles=[Role.BUSINESS_UNIT], email="colleague@example.org"
    )
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = set_deadline(world, due_on=D(2027, 3, 4))
    world["business_manager"].is_active = False
    world["business_manager"].save()
    reminders_sweep(now=at(2027, 3, 1, 8))
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    left = deadline.reminders.get(recipient=world["business_manager"], for_day=D(2027, 3, 1))
    assert left.status == ReminderStatus.WITHHELD


def test_access_is_checked_again_when_the_e_mail_goes(world, emails):
    from cspr.services.reminder_sweep import digests_deliver, reminders_collect

    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4), rule=Rule.AGENCY_RETURN, agency=world.police)
    reminders_collect(now=at(2027, 3, 1, 8))
    access.revoke_agency(world.case, world.police)
    digests_deliver(now=at(2027, 3, 1, 8))
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]
    digest = Digest.objects.get(recipient=world["police_contributor"])
    assert digest.status == DigestStatus.NOT_SENT


def test_a_reminder_for_a_deadline_changed_after_planning_is_withheld(world, emails):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = set_deadline(world, due_on=D(2027, 3, 4))
    # A change that raced the sweep: the deadline is met, its reminders still waiting.
    Deadline.objects.filter(pk=deadline.pk).update(status=DeadlineStatus.MET)
    result = reminders_sweep(now=at(2027, 3, 1, 8))
    assert (result.collected, result.withheld) == (0, 1)
    assert mail.outbox == []


def test_a_missed_deadline_is_escalated_the_working_day_after(world, emails):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline_set(
            case=world.case,
            rule=Rule.NOTIFICATION,
            anchor_date=D(2027, 3, 1),
            anchor_event="the local authority became aware",
            by=world["business_manager"],
        )
    # Due Monday 8 March; nothing recorded. Tuesday 9 March, 08:00.
    reminders_sweep(now=at(2027, 3, 9, 8))
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["chair@example.org", "manager@example.org"]
    assert "missed" in mail.outbox[0].subject


class BrokenMail:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")

    def close(self):
        pass


class RefusingMail(BrokenMail):
    """A mail server that refuses the address."""

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})


def test_a_mail_server_outage_keeps_the_digests_for_the_next_sweep(world, emails):
    colleague = UserFactory(
        partnership=world.partnership, roles=[Role.BUSINESS_UNIT], email="colleague@example.org"
    )
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4))
    with override_settings(EMAIL_BACKEND="tests.cspr.test_reminders.BrokenMail"):
        failed = reminders_sweep(now=at(2027, 3, 1, 8))
    # The first failure stops the run: nobody else's digest is tried against a dead server.
    assert failed.digests_failed == 1
    tries = dict(Digest.objects.values_list("recipient__email", "attempts"))
    assert sorted(tries.values()) == [0, 1]
    assert all(d.status == DigestStatus.PENDING for d in Digest.objects.all())
    assert "Connection refused" in Digest.objects.get(attempts=1).last_error
    # The notifications list does not wait for the mail server.
    assert Reminder.objects.filter(status=ReminderStatus.NOTIFIED).count() == 2
    later = reminders_sweep(now=at(2027, 3, 1, 8, 10))
    assert later.digests_sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["manager@example.org", colleague.email])


def test_a_long_mail_server_outage_loses_nothing(world, emails):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4))
    with override_settings(EMAIL_BACKEND="tests.cspr.test_reminders.BrokenMail"):
        for minute in range(0, 60 * 3, 10):  # three hours of sweeps
            reminders_sweep(now=at(2027, 3, 1, 8) + datetime.timedelta(minutes=minute))
    assert Digest.objects.get().attempts == 18
    reminders_sweep(now=at(2027, 3, 1, 11, 10))
    assert len(mail.outbox) == 1


def test_an_address_the_server_refuses_is_given_up_on_with_the_reason(world, emails):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4))
    with override_settings(EMAIL_BACKEND="tests.cspr.test_reminders.RefusingMail"):
        for minute in range(0, 10 * Digest.MAX_ATTEMPTS, 10):
            reminders_sweep(now=at(2027, 3, 1, 8) + datetime.timedelta(minutes=minute))
    digest = Digest.objects.get()
    assert (digest.status, digest.attempts) == (DigestStatus.NOT_SENT, Digest.MAX_ATTEMPTS)
    assert "refused the address" in digest.last_error
    assert Reminder.objects.get(digest=digest).status == ReminderStatus.NOTIFIED


def test_someone_with_no_e_mail_address_still_gets_the_notification(world):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4))
    result = reminders_sweep(now=at(2027, 3, 1, 8))
    assert (result.digests_sent, result.digests_not_sent) == (0, 1)
    assert (
        Reminder.objects.filter(status=ReminderStatus.NOTIFIED)
        .filter(recipient=world["business_manager"])
        .count()
        == 1
    )
    assert Reminder.objects.get(for_day=D(2027, 3, 1)).status == ReminderStatus.NOTIFIED


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(kernel_rows, world, emails):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite runs one writer at a time.")
    with time_machine.travel(at(2027, 3, 1), tick=False):
        for n in range(30):
            set_deadline(world, due_on=D(2027, 3, 4), title=f"Deadline {n}")
    for n in range(8):
        person = UserFactory(partnership=world.partnership, roles=[Role.BUSINESS_UNIT])
        person.email = f"colleague{n}@example.org"
        person.save()
        reminders_plan_for_person(user=person, today=D(2027, 3, 1))
    start = threading.Barrier(2)

    def sweep():
        start.wait()
        try:
            reminders_sweep(now=at(2027, 3, 1, 8))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Reminder.objects.filter(digest__status=DigestStatus.SENT).count() == 9 * 30
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(set(recipients))  # nobody got two
    assert len(recipients) == 9
    assert Reminder.objects.filter(status=ReminderStatus.NOTIFIED).count() == 9 * 30


def test_a_person_gets_one_digest_a_day_and_a_second_only_for_something_urgent(world, emails):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4), title="First")
    reminders_sweep(now=at(2027, 3, 1, 8))
    assert len(mail.outbox) == 1
    # Set in the afternoon: due in 3 working days, so its first reminder is today.
    with time_machine.travel(at(2027, 3, 1, 14), tick=False):
        set_deadline(world, due_on=D(2027, 3, 4), title="Second")
    held = reminders_sweep(now=at(2027, 3, 1, 14, 10))
    assert (held.collected, held.digests_sent, held.digests_held) == (1, 0, 1)
    assert (
        "Second" in Reminder.objects.get(deadline__title="Second", for_day=D(2027, 3, 1)).headline
    )
    # Something due today goes the same day, and takes the held one with it.
    with time_machine.travel(at(2027, 3, 1, 15), tick=False):
        set_deadline(world, due_on=D(2027, 3, 1), title="Third")
    urgent = reminders_sweep(now=at(2027, 3, 1, 15, 10))
    assert (urgent.digests_sent, len(mail.outbox)) == (1, 2)
    assert "Child Q: Third is due today" in mail.outbox[1].body
    assert "Child Q: Second is due in 3 working days" in mail.outbox[1].body
    assert "First" not in mail.outbox[1].body
    # The next morning: the escalation of the third, alone.
    reminders_sweep(now=at(2027, 3, 2, 7, 10))
    assert len(mail.outbox) == 3
    assert "Child Q: Third was missed" in mail.outbox[2].body
    assert "Second" not in mail.outbox[2].body


def test_many_people_and_reminders_each_reach_the_right_digest(world, emails, monkeypatch):
    from cspr.services import reminder_sweep

    monkeypatch.setattr(reminder_sweep, "CHUNK", 7)  # many chunks in one collection
    people = [
        UserFactory(
            partnership=world.partnership, roles=[Role.BUSINESS_UNIT], email=f"bu{n}@example.org"
        )
        for n in range(4)
    ]
    with time_machine.travel(at(2027, 3, 1), tick=False):
        for n in range(6):
            set_deadline(world, due_on=D(2027, 3, 4), title=f"Deadline {n}")
    result = reminders_sweep(now=at(2027, 3, 1, 8))
    assert (result.collected, result.digests_sent) == (5 * 6, 5)
    for person in [world["business_manager"], *people]:
        digest = Digest.objects.get(recipient=person)
        assert set(digest.reminders.values_list("recipient_id", flat=True)) == {person.pk}
        assert digest.reminders.count() == 6
    assert len({m.to[0] for m in mail.outbox}) == 5


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_a_new_holiday_moves_the_reminders_of_a_deadline_whose_date_is_fixed(world):
    deadline = set_deadline(
        world, due_on=D(2027, 3, 12), rule=Rule.AGENCY_RETURN, agency=world.police
    )
    assert (ReminderKind.BEFORE, 3, D(2027, 3, 9)) in plan_of(deadline, world["business_manager"])
    holiday(world, D(2027, 3, 9))
    deadline.refresh_from_db()
    assert deadline.due_on == D(2027, 3, 12)
    assert (ReminderKind.BEFORE, 3, D(2027, 3, 8)) in plan_of(deadline, world["business_manager"])
    assert not deadline.reminders.filter(for_day=D(2027, 3, 9)).exists()


@time_machine.travel(at(2027, 3, 6), tick=False)
def test_a_deadline_set_at_the_weekend_for_the_sunday_is_not_reminded_on_the_saturday(world):
    deadline = set_deadline(world, due_on=D(2027, 3, 7))
    assert plan_of(deadline, world["business_manager"]) == {(ReminderKind.MISSED, 0, D(2027, 3, 8))}


def test_a_deadline_extended_after_its_reminder_went_is_reminded_of_the_new_day(world, emails):
    with time_machine.travel(at(2027, 3, 4), tick=False):
        deadline = set_deadline(world, due_on=D(2027, 3, 5))
    reminders_sweep(now=at(2027, 3, 4, 8))  # "due in 1 working day" went on Thursday
    with time_machine.travel(at(2027, 3, 4, 9), tick=False):
        deadline_extend(
            deadline=deadline, due_on=D(2027, 3, 9), reason="Agreed", by=world["business_manager"]
        )
    # 3 working days before Tuesday 9 March is that same Thursday: it goes too.
    assert (ReminderKind.BEFORE, 3, D(2027, 3, 4)) in plan_of(deadline, world["business_manager"])
    result = reminders_sweep(now=at(2027, 3, 4, 9, 10))
    assert result.collected == 1


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_someone_joining_is_not_told_of_deadlines_missed_before_they_came(world):
    from cspr.services.people import person_sync_groups

    old = set_deadline(world, due_on=D(2026, 6, 1), title="Long missed")
    newcomer = UserFactory(username="newcomer", partnership=world.partnership)
    person_sync_groups(user=newcomer, roles={Role.BUSINESS_UNIT})
    reminders_plan_for_person(user=newcomer)
    assert plan_of(old, newcomer) == set()
    assert plan_of(old, world["business_manager"]) == {(ReminderKind.MISSED, 0, D(2027, 3, 1))}


@time_machine.travel(at(2027, 3, 1), tick=False)
def test_changing_the_partnerships_reminder_days_replans_open_deadlines(world):
    from cspr.services.reminders import reminders_plan_for_partnership

    deadline = set_deadline(world, due_on=D(2027, 3, 19))
    world.partnership.reminder_working_days = "5"
    world.partnership.save()
    reminders_plan_for_partnership(partnership=world.partnership)
    days = {(kind, n) for kind, n, _ in plan_of(deadline, world["business_manager"])}
    assert days == {(ReminderKind.BEFORE, 5), (ReminderKind.DUE_TODAY, 0), (ReminderKind.MISSED, 0)}
