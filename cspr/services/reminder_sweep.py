"""The reminder sweep: collect the reminders whose day has come, then e-mail each person
one digest. Run by Celery beat every few minutes (`cspr.tasks.send_reminders`), or by
`manage.py send_reminders` on the embedded default.

Never twice, never lost:
- Collecting claims due rows with `SELECT … FOR UPDATE SKIP LOCKED` and, in one
  transaction, withholds what may no longer go, files the rest into a digest per person
  and adds each to that person's notifications list. A second sweep at the same moment
  claims none of the same rows; a crash rolls the whole step back.
- Delivering takes one digest at a time, locked the same way, sends it and marks it
  sent in the same transaction. A worker killed before the commit leaves the digest
  unsent (the lock goes with its connection) and the next sweep sends it. The mail
  server accepting a message and the commit that follows are microseconds apart; a
  crash there can repeat one e-mail (with the same Message-ID), never lose one.
- The access policy is applied when collecting and again when sending: nobody is told
  about a case they may no longer see.
"""

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cspr.access import may_see_case_q
from cspr.models import (
    DeadlineStatus,
    Digest,
    DigestStatus,
    Notification,
    Reminder,
    ReminderKind,
    ReminderStatus,
)

log = logging.getLogger(__name__)

CHUNK = 2000
MOST_IN_ONE_EMAIL = 50
NO_LONGER_DUE = "By its day the deadline was done, paused, waived, moved or already past."
SUPERSEDED = "A later reminder about the same deadline went instead."
# The key of the PostgreSQL advisory lock that lets one sweep collect at a time.
COLLECT_LOCK = 0x43535052
NOT_ALLOWED = "The person may no longer see this case."


@dataclass
class SweepResult:
    collected: int = 0
    withheld: int = 0
    digests_sent: int = 0
    digests_not_sent: int = 0
    digests_failed: int = 0
    too_early: bool = False

    def as_dict(self):
        return asdict(self)


def _still_due(today):
    """Q over reminders: what it is about is still to be done, on the day it was planned for."""
    planned_for = Q(deadline__due_on=F("due_on"))
    ahead = Q(
        kind__in=[ReminderKind.BEFORE, ReminderKind.DUE_TODAY],
        deadline__status=DeadlineStatus.OPEN,
        deadline__due_on__gte=today,
    )
    missed = Q(kind=ReminderKind.MISSED, deadline__due_on__lt=today) & (
        Q(deadline__status=DeadlineStatus.OPEN)
        | Q(deadline__status=DeadlineStatus.MISSED, deadline__completed_on__isnull=True)
    )
    return planned_for & (ahead | missed)


def _may_be_told():
    return may_see_case_q("recipient", "deadline__case")


def reminder_headline(kind, days_before, title, due_on, pseudonym, today, for_day=None):
    """One line for a reminder, in the notifications list and the e-mail: the case by its
    pseudonym, never the child's name. A reminder sent after its day (the sweep could
    not run) does not count the days."""
    due = f"{due_on:%A %-d %B %Y}"
    if kind == ReminderKind.BEFORE and for_day is not None and for_day < today:
        return f"{pseudonym}: {title} is due soon, on {due}"
    if kind == ReminderKind.BEFORE:
        days = f"{days_before} working day{'s' if days_before != 1 else ''}"
        return f"{pseudonym}: {title} is due in {days}, on {due}"
    if kind == ReminderKind.DUE_TODAY:
        return f"{pseudonym}: {title} is due {'today, ' if due_on == today else 'on '}{due}"
    return f"{pseudonym}: {title} was missed. It was due on {due} and is not yet done"


def _single_flight():
    """On PostgreSQL, whether this transaction may collect: one sweep collects at a time,
    so each person gets one digest however many sweeps run. SQLite runs one writer at a
    time anyway."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [COLLECT_LOCK])
        return cursor.fetchone()[0]


def reminders_collect(*, now=None):
    """Claim every pending reminder whose day has come; withhold those that may no longer
    go; file the rest in one new digest per person and in their notifications list.
    One transaction; while one sweep collects another skips this step (and the row locks
    would keep it off the same rows anyway). Returns (collected, withheld)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        if not _single_flight():
            return 0, 0
        claimed = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=ReminderStatus.PENDING, for_day__lte=today)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        digests = {}
        collected = withheld = 0
        for start in range(0, len(claimed), CHUNK):
            rows = Reminder.objects.filter(
                pk__in=claimed[start : start + CHUNK], status=ReminderStatus.PENDING
            )
            withheld += rows.exclude(_still_due(today)).update(
                status=ReminderStatus.WITHHELD, withheld_because=NO_LONGER_DUE, collected_at=now
            )
            withheld += rows.exclude(_may_be_told()).update(
                status=ReminderStatus.WITHHELD, withheld_because=NOT_ALLOWED, collected_at=now
            )
            withheld += _withhold_superseded(rows, now)
            collected += _file(rows, digests, today, now)
    return collected, withheld


def _withhold_superseded(rows, now):
    """After an outage several reminders about one deadline can be due for one person at
    once: only the latest goes. Returns how many were withheld."""
    latest = {}
    older = []
    found = rows.order_by("for_day", "pk").values_list("pk", "deadline_id", "recipient_id")
    for pk, deadline_id, recipient_id in found:
        key = (deadline_id, recipient_id)
        if key in latest:
            older.append(latest[key])
        latest[key] = pk
    if not older:
        return 0
    return Reminder.objects.filter(pk__in=older).update(
        status=ReminderStatus.WITHHELD, withheld_because=SUPERSEDED, collected_at=now
    )


def _file(rows, digests, today, now):
    """Put the reminders left in `rows` into each person's digest and notifications."""
    found = list(
        rows.values_list(
            "pk",
            "recipient_id",
            "kind",
            "days_before",
            "deadline__title",
            "deadline__due_on",
            "deadline__case_id",
            "deadline__case__pseudonym",
            "for_day",
        )
    )
    by_person = defaultdict(list)
    for row in found:
        by_person[row[1]].append(row)
    new = [Digest(recipient_id=person, day=today) for person in by_person if person not in digests]
    for digest in Digest.objects.bulk_create(new):
        digests[digest.recipient_id] = digest
    notifications = []
    for person, person_rows in by_person.items():
        Reminder.objects.filter(pk__in=[row[0] for row in person_rows]).update(
            status=ReminderStatus.QUEUED, digest=digests[person], collected_at=now
        )
        for pk, _, kind, days, title, due_on, case_id, pseudonym, for_day in person_rows:
            notifications.append(
                Notification(
                    recipient_id=person,
                    case_id=case_id,
                    reminder_id=pk,
                    title=reminder_headline(kind, days, title, due_on, pseudonym, today, for_day),
                )
            )
    Notification.objects.bulk_create(notifications, batch_size=CHUNK)
    return len(found)


def _site():
    return settings.SITE_URL.rstrip("/")


def _message(digest, reminders):
    items = [
        {
            "kind": r.kind,
            "headline": reminder_headline(
                r.kind,
                r.days_before,
                r.deadline.title,
                r.deadline.due_on,
                r.deadline.case.pseudonym,
                digest.day,
                r.for_day,
            ),
        }
        for r in reminders
    ]
    context = {
        "person": digest.recipient,
        "day": digest.day,
        "missed": [i for i in items if i["kind"] == ReminderKind.MISSED][:MOST_IN_ONE_EMAIL],
        "today": [i for i in items if i["kind"] == ReminderKind.DUE_TODAY][:MOST_IN_ONE_EMAIL],
        "soon": [i for i in items if i["kind"] == ReminderKind.BEFORE][:MOST_IN_ONE_EMAIL],
        "count": len(items),
        "link": _site() + reverse("notification-list"),
        "service_name": digest.recipient.partnership.name
        if digest.recipient.partnership_id
        else settings.SERVICE_NAME,
    }
    context["counts"] = {
        "missed": sum(1 for i in items if i["kind"] == ReminderKind.MISSED),
        "today": sum(1 for i in items if i["kind"] == ReminderKind.DUE_TODAY),
        "soon": sum(1 for i in items if i["kind"] == ReminderKind.BEFORE),
    }
    subject = " ".join(render_to_string("emails/reminder_digest_subject.txt", context).split())
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/reminder_digest_body.txt", context),
        to=[digest.recipient.email],
        headers={"Message-ID": digest.message_id(urlsplit(_site()).hostname or "localhost")},
    )
    message.attach_alternative(
        render_to_string("emails/reminder_digest_body.html", context), "text/html"
    )
    return message


def _deliver_one(digest, connection, now):
    """Send one locked digest, or record why not. In the caller's transaction."""
    queued = digest.reminders.filter(status=ReminderStatus.QUEUED)
    queued.exclude(_may_be_told()).update(
        status=ReminderStatus.WITHHELD, withheld_because=NOT_ALLOWED
    )
    reminders = list(queued.select_related("deadline__case").order_by("deadline__due_on", "pk"))
    if not reminders or not digest.recipient.email:
        digest.status = DigestStatus.NOT_SENT
        digest.last_error = (
            "Nothing left to send." if not reminders else "No e-mail address: notifications only."
        )
        digest.save(update_fields=["status", "last_error"])
        queued.update(status=ReminderStatus.SENT)
        return DigestStatus.NOT_SENT
    digest.attempts += 1
    try:
        connection.send_messages([_message(digest, reminders)])
    except Exception as error:  # any mail failure: keep the digest for the next sweep
        log.warning("Reminder digest %s not sent: %s", digest.pk, error)
        connection.close()
        digest.status = (
            DigestStatus.FAILED if digest.attempts >= Digest.MAX_ATTEMPTS else DigestStatus.PENDING
        )
        digest.last_error = str(error)[:300]
        digest.save(update_fields=["status", "attempts", "last_error"])
        return DigestStatus.FAILED
    digest.status, digest.sent_at, digest.last_error = DigestStatus.SENT, now, ""
    digest.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    queued.update(status=ReminderStatus.SENT)
    return DigestStatus.SENT


def digests_deliver(*, now=None):
    """Send every digest waiting, one locked row and one transaction each, so that any
    number of sweeps can run at once. Returns {status: count} for this run."""
    now = now or timezone.now()
    counts = defaultdict(int)
    tried = []
    connection = mail.get_connection()
    try:
        while True:
            with transaction.atomic():
                digest = (
                    Digest.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient__partnership")
                    .filter(status=DigestStatus.PENDING)
                    .exclude(pk__in=tried)
                    .order_by("pk")
                    .first()
                )
                if digest is None:
                    break
                tried.append(digest.pk)
                counts[_deliver_one(digest, connection, now)] += 1
    finally:
        connection.close()
    return counts


def reminders_sweep(*, now=None):
    """Collect and deliver. Before the partnership's sending hour (settings
    `REMINDER_SEND_FROM_HOUR`, Europe/London) it does nothing, so nobody gets e-mail in
    the night; the first sweep after it catches up on everything due."""
    now = now or timezone.now()
    result = SweepResult()
    if timezone.localtime(now).hour < settings.REMINDER_SEND_FROM_HOUR:
        result.too_early = True
        return result
    result.collected, result.withheld = reminders_collect(now=now)
    counts = digests_deliver(now=now)
    result.digests_sent = counts[DigestStatus.SENT]
    result.digests_not_sent = counts[DigestStatus.NOT_SENT]
    result.digests_failed = counts[DigestStatus.FAILED]
    return result
