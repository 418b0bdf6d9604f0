"""Reminders through real Celery workers and a real Redis: never twice, never lost."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cspr.deadline_rules import Rule
from cspr.models import (
    Digest,
    DigestStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
)
from cspr.services.deadlines import deadline_set
from cspr.services.reminders import reminders_plan_for_person
from cspr.working_days import load_calendar
from tests.factories import UserFactory
from tests.support.mail import sent_message_ids
from tests.worker.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PEOPLE = 10


def due_today(world, people=PEOPLE):
    """`people` in the business unit, each with one reminder due today about Child Q."""
    today = timezone.localdate()
    deadline = deadline_set(
        case=world.case,
        rule=Rule.OTHER,
        anchor_date=today,
        anchor_event="the business unit set it",
        due_on=load_calendar().add_working_days(today, 10),
        title="Chronology template agreed",
        by=world["business_manager"],
    )
    for n in range(people - 1):
        person = UserFactory(
            partnership=world.partnership, roles=[Role.BUSINESS_UNIT], email=f"bu{n}@example.org"
        )
        reminders_plan_for_person(user=person)
    world["business_manager"].email = "manager@example.org"
    world["business_manager"].save()
    # Whatever day the test runs on, the 3-days-before reminders are for today.
    Reminder.objects.filter(deadline=deadline, kind=ReminderKind.BEFORE, days_before=3).update(
        for_day=today
    )
    return deadline


def all_sent():
    return (
        not Reminder.objects.filter(for_day__lte=timezone.localdate(), status="pending").exists()
        and not Digest.objects.filter(status=DigestStatus.PENDING).exists()
    )


def assert_each_sent_once(mail_dir, people=PEOPLE):
    ids = sent_message_ids(mail_dir)
    assert len(ids) == len(set(ids)) == people
    digests = Digest.objects.filter(status=DigestStatus.SENT)
    assert digests.count() == people
    assert {d.message_id("127.0.0.1") for d in digests} == set(ids)
    sent = Reminder.objects.filter(digest__status=DigestStatus.SENT)
    assert sent.count() == people
    assert Reminder.objects.filter(status=ReminderStatus.NOTIFIED).count() == people


def sweep_twice(workers, *, how_many, mail_dir):
    """Start `how_many` workers, queue two sweeps, wait for the digests."""
    for _ in range(how_many):
        workers.start()
    workers.send()
    workers.send()
    wait_for(lambda: len(sent_message_ids(mail_dir)) >= PEOPLE and all_sent(), what="the digests")


def test_a_sweep_run_twice_sends_each_reminder_once(
    kernel_rows, world, workers_on, redis_url, mail_dir
):
    due_today(world)
    sweep_twice(workers_on(redis_url), how_many=1, mail_dir=mail_dir)
    assert_each_sent_once(mail_dir)


def test_two_workers_sweeping_at_once_send_each_reminder_once(
    kernel_rows, world, workers_on, redis_url, mail_dir
):
    due_today(world)
    sweep_twice(workers_on(redis_url, delay=0.2), how_many=2, mail_dir=mail_dir)
    assert_each_sent_once(mail_dir)


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(
    kernel_rows, world, workers_on, redis_url, mail_dir
):
    due_today(world)
    workers = workers_on(redis_url, delay=0.5)
    first = workers.start()
    workers.send()
    wait_for(lambda: len(sent_message_ids(mail_dir)) >= 3, what="the first messages")
    workers.kill(first)
    assert len(sent_message_ids(mail_dir)) < PEOPLE
    assert Digest.objects.filter(status=DigestStatus.PENDING).exists()
    # The next sweep (beat sends one every few minutes) finishes the batch.
    workers.start()
    workers.send()
    wait_for(lambda: all_sent(), what="the rest of the digests")
    assert_each_sent_once(mail_dir)


def test_with_redis_down_pages_work_and_reminders_go_when_it_returns(
    kernel_rows, world, workers_on, own_redis, mail_dir, client
):
    from cspr.celery import app

    people = 1
    broker = app.conf.broker_url
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": own_redis.url,
            }
        },
        CELERY_BROKER_URL=own_redis.url,
    ):
        app.conf.broker_url = own_redis.url
        try:
            own_redis.stop()
            client.force_login(world["business_manager"])
            for url in (
                reverse("home"),
                reverse("case-list"),
                reverse("case-detail", args=[world.case.pk]),
                reverse("notification-list"),
                reverse("calendar"),
            ):
                assert client.get(url).status_code == 200, url
            # A change that plans reminders, made while Redis is down.
            response = client.post(
                reverse("notification-aware", args=[world.case.pk]),
                {"date_aware": (timezone.localdate() - timezone.timedelta(days=21)).isoformat()},
            )
            assert response.status_code == 302
            deadline = world.case.deadlines.get(rule=Rule.NOTIFICATION)
            escalation = deadline.reminders.get(
                kind=ReminderKind.MISSED, recipient=world["business_manager"]
            )
            assert escalation.status == ReminderStatus.PENDING
        finally:
            app.conf.broker_url = broker
            caches["default"].close()
    Reminder.objects.exclude(pk=escalation.pk).delete()  # only the business manager's
    Reminder.objects.filter(pk=escalation.pk).update(for_day=timezone.localdate())
    world["business_manager"].email = "manager@example.org"
    world["business_manager"].save()

    own_redis.start()
    workers = workers_on(own_redis.url)
    workers.start()
    workers.send()
    wait_for(lambda: len(sent_message_ids(mail_dir)) >= people and all_sent(), what="the digest")
    assert len(sent_message_ids(mail_dir)) == people
    escalation.refresh_from_db()
    assert escalation.digest.status == DigestStatus.SENT
