"""The reminder sweep: collect the reminders whose day has come, then e-mail each person
one digest. Run by Celery beat every few minutes (`cspr.tasks.send_reminders`), or by
`manage.py send_reminders` on the embedded default.

Never twice, never lost:
- Collecting claims due rows with `SELECT … FOR UPDATE SKIP LOCKED` and, in one
  transaction, withholds what may no longer go and files the rest into a digest per
  person, which also puts each in that person's notifications list. One sweep collects
  at a time (an advisory lock), and the row locks keep any other off the same rows; a
  crash rolls the whole step back.
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
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cspr.access import may_see_case_q
from cspr.models import (
    DeadlineStatus,
    Digest,
    DigestStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from cspr.models.reminders import reminder_headline

log = logging.getLogger(__name__)

CHUNK = 5000
DIGEST_BATCH = 50
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
            chunk = claimed[start : start + CHUNK]
            found, held = _sort_out(Reminder.objects.filter(pk__in=chunk), today)
            for because, pks in held.items():
                withheld += Reminder.objects.filter(pk__in=pks).update(
                    status=ReminderStatus.WITHHELD, withheld_because=because, collected_at=now
                )
            collected += _file(found, digests, today, now)
    return collected, withheld


def _sort_out(rows, today):
    """Split claimed rows into those to send and those to withhold, by reason. Every
    statement here and after goes by primary key: the planner's idea of how many rows
    have a status is stale in the middle of a sweep."""
    not_due = set(rows.exclude(_still_due(today)).values_list("pk", flat=True))
    not_allowed = set(rows.exclude(_may_be_told()).values_list("pk", flat=True)) - not_due
    # After an outage several reminders about one deadline can be due for one person at
    # once: only the latest goes.
    latest, superseded = {}, []
    for pk, deadline_id, recipient_id in rows.order_by("for_day", "pk").values_list(
        "pk", "deadline_id", "recipient_id"
    ):
        if pk in not_due or pk in not_allowed:
            continue
        key = (deadline_id, recipient_id)
        if key in latest:
            superseded.append(latest[key])
        latest[key] = pk
    held = {NO_LONGER_DUE: not_due, NOT_ALLOWED: not_allowed, SUPERSEDED: superseded}
    return sorted(latest.values()), {reason: pks for reason, pks in held.items() if pks}


def _file(pks, digests, today, now):
    """Put the reminders `pks` into each person's digest for this sweep (and so into
    their notifications list). Returns how many."""
    if not pks:
        return 0
    rows = Reminder.objects.filter(pk__in=pks)
    people = set(rows.values_list("recipient_id", flat=True).distinct())
    new = [Digest(recipient_id=person, day=today) for person in people if person not in digests]
    for digest in Digest.objects.bulk_create(new):
        digests[digest.recipient_id] = digest
    # One statement files the whole chunk, each reminder into its person's digest of this
    # sweep (collecting is single-flight, so those are the newest, from the first on).
    first = min(digest.pk for digest in digests.values())
    return rows.update(
        status=ReminderStatus.NOTIFIED,
        collected_at=now,
        digest_id=Subquery(
            Digest.objects.filter(recipient_id=OuterRef("recipient_id"), pk__gte=first)
            .order_by("pk")
            .values("pk")[:1]
        ),
    )


def _site():
    return settings.SITE_URL.rstrip("/")


# What a digest needs of each reminder, read as plain values (a digest can carry hundreds).
DIGEST_FIELDS = (
    "pk",
    "kind",
    "days_before",
    "for_day",
    "deadline__title",
    "deadline__due_on",
    "deadline__case__pseudonym",
    "allowed",
)


def _message(digest, rows):
    items = [
        {
            "kind": kind,
            "headline": reminder_headline(
                kind, days, title, due_on, pseudonym, digest.day, for_day
            ),
        }
        for _, kind, days, for_day, title, due_on, pseudonym, _ in rows
    ]
    by_kind = defaultdict(list)
    for item in items:
        by_kind[item["kind"]].append(item)
    context = {
        "person": digest.recipient,
        "day": digest.day,
        "missed": by_kind[ReminderKind.MISSED][:MOST_IN_ONE_EMAIL],
        "today": by_kind[ReminderKind.DUE_TODAY][:MOST_IN_ONE_EMAIL],
        "soon": by_kind[ReminderKind.BEFORE][:MOST_IN_ONE_EMAIL],
        "count": len(items),
        "counts": {
            "missed": len(by_kind[ReminderKind.MISSED]),
            "today": len(by_kind[ReminderKind.DUE_TODAY]),
            "soon": len(by_kind[ReminderKind.BEFORE]),
        },
        "link": _site() + reverse("notification-list"),
        "service_name": digest.recipient.partnership.name
        if digest.recipient.partnership_id
        else settings.SERVICE_NAME,
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


def _read_batch(digest_ids):
    """{digest id: rows} for a batch of digests, with the access policy applied again in
    the same query (`allowed`). By key alone: a digest's reminders change only when it is
    delivered."""
    rows = defaultdict(list)
    found = (
        Reminder.objects.filter(digest_id__in=digest_ids, status=ReminderStatus.NOTIFIED)
        .annotate(allowed=ExpressionWrapper(_may_be_told(), output_field=BooleanField()))
        .order_by("deadline__due_on", "pk")
        .values_list("digest_id", *DIGEST_FIELDS)
    )
    for digest_id, *row in found:
        rows[digest_id].append(row)
    return rows


def _deliver_one(digest, rows, connection, now):
    """Send one locked digest, or record why not. In the caller's transaction."""
    hidden = [row[0] for row in rows if not row[-1]]
    if hidden:
        Reminder.objects.filter(pk__in=hidden).update(
            status=ReminderStatus.WITHHELD, withheld_because=NOT_ALLOWED
        )
        rows = [row for row in rows if row[-1]]
    if not rows or not digest.recipient.email:
        digest.status = DigestStatus.NOT_SENT
        digest.last_error = (
            "Nothing left to send." if not rows else "No e-mail address: notifications only."
        )
        digest.save(update_fields=["status", "last_error"])
        return DigestStatus.NOT_SENT
    digest.attempts += 1
    try:
        connection.send_messages([_message(digest, rows)])
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
    return DigestStatus.SENT


def digests_deliver(*, now=None):
    """Send every digest waiting, one locked row and one transaction each, so that any
    number of sweeps can run at once: each skips the rows another holds. What each
    carries is read (and checked against the access policy) for a batch of digests at a
    time, just before they go. Returns {status: count} for this run."""
    now = now or timezone.now()
    counts = defaultdict(int)
    after = 0  # in key order, so a digest that failed waits for the next sweep
    waiting = Digest.objects.filter(status=DigestStatus.PENDING).order_by("pk")
    connection = mail.get_connection()
    try:
        while batch := list(
            waiting.filter(pk__gt=after).values_list("pk", flat=True)[:DIGEST_BATCH]
        ):
            after = batch[-1]
            rows = _read_batch(batch)
            for pk in batch:
                with transaction.atomic():
                    digest = (
                        waiting.select_for_update(skip_locked=True, of=("self",))
                        .select_related("recipient__partnership")
                        .filter(pk=pk)
                        .first()
                    )
                    if digest is not None:  # else another sweep has it, or has sent it
                        counts[_deliver_one(digest, rows[pk], connection, now)] += 1
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
