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
- The access policy is applied when collecting, and again no more than a second
  (`FRESH_FOR`) before each digest goes: nobody is told about a case they may no longer
  see.
"""

import datetime
import logging
import smtplib
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cspr.access import may_be_reminded_q
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
    digests_held: int = 0
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
    return may_be_reminded_q("recipient", "deadline")


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
    go; file the rest in each person's digest (the one still waiting to go, else a new
    one) and so in their notifications list.
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
            found, held = _sort_out(Reminder.objects.filter(pk__in=chunk).order_by(), today)
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
    in_order = sorted(
        rows.values_list("for_day", "pk", "deadline_id", "recipient_id")
    )  # sorted here, not by the database: see above
    for _, pk, deadline_id, recipient_id in in_order:
        if pk in not_due or pk in not_allowed:
            continue
        key = (deadline_id, recipient_id)
        if key in latest:
            superseded.append(latest[key])
        latest[key] = pk
    held = {NO_LONGER_DUE: not_due, NOT_ALLOWED: not_allowed, SUPERSEDED: superseded}
    return sorted(latest.values()), {reason: pks for reason, pks in held.items() if pks}


def _file(pks, digests, today, now):
    """Put the reminders `pks` into each person's digest (and so into their notifications
    list): the digest of theirs still waiting to go, if this sweep can lock it, else a new
    one. Returns how many."""
    if not pks:
        return 0
    rows = Reminder.objects.filter(pk__in=pks).order_by()
    wanted = set(rows.values_list("recipient_id", flat=True).distinct())
    people = wanted - digests.keys()
    if people:
        # A digest being sent by another sweep is locked: it is left alone.
        for digest in (
            Digest.objects.select_for_update(skip_locked=True)
            .filter(recipient_id__in=people, status=DigestStatus.PENDING)
            .order_by("pk")
        ):
            digests.setdefault(digest.recipient_id, digest)
        new = [Digest(recipient_id=person, day=today) for person in people - digests.keys()]
        for digest in Digest.objects.bulk_create(new):
            digests[digest.recipient_id] = digest
        # One held over from an earlier day goes with today's.
        Digest.objects.filter(pk__in=[d.pk for d in digests.values()], day__gt=today).update(
            day=today
        )
    return rows.update(
        status=ReminderStatus.NOTIFIED,
        collected_at=now,
        digest_id=Case(
            *[When(recipient_id=person, then=Value(digests[person].pk)) for person in wanted],
            output_field=BigIntegerField(),
        ),
    )


def _site():
    return settings.SITE_URL.rstrip("/")


# What a digest needs of each reminder, read as plain values (a digest can carry hundreds).
@dataclass(frozen=True)
class _Row:
    pk: int
    kind: str
    days_before: int
    for_day: object
    title: str
    due_on: object
    pseudonym: str
    case_id: int
    agency_id: int | None
    status: str
    allowed: bool


ROW_FIELDS = (
    "pk",
    "kind",
    "days_before",
    "for_day",
    "deadline__title",
    "deadline__due_on",
    "deadline__case__pseudonym",
    "deadline__case_id",
    "deadline__agency_id",
    "status",
    "allowed",
)
DIGEST_BATCH = 20
# The access policy is read for a batch of digests at once, and again for what is left of
# the batch once this long has passed: no e-mail goes on a reading older than this.
FRESH_FOR = 1.0  # seconds


def _message(digest, rows):
    items = [
        {
            "kind": r.kind,
            "headline": reminder_headline(
                r.kind, r.days_before, r.title, r.due_on, r.pseudonym, digest.day, r.for_day
            ),
        }
        for r in rows
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
    """{digest id: [_Row]} for a batch of digests in one query, with the access policy
    applied now (`allowed`). By the digests' keys alone: in the middle of a sweep the
    planner's idea of how many rows have a status is stale, and with a status in the
    query it scans every reminder of that status."""
    rows = defaultdict(list)
    found = (
        Reminder.objects.filter(digest_id__in=digest_ids)
        .annotate(allowed=ExpressionWrapper(_may_be_told(), output_field=BooleanField()))
        .order_by("deadline__due_on", "pk")
        .values_list("digest_id", *ROW_FIELDS)
    )
    for digest_id, *values in found:
        rows[digest_id].append(_Row(*values))
    return rows


def _still_to_send(digest, rows):
    """Once the digest is locked: its rows still in the notifications list (another sweep
    may have withheld some, or filed more, since the batch was read), less those its
    person may no longer be told of, which are withheld."""
    notified = {
        pk
        for pk, status in Reminder.objects.filter(digest=digest).values_list("pk", "status")
        if status == ReminderStatus.NOTIFIED
    }
    if notified != {r.pk for r in rows if r.status == ReminderStatus.NOTIFIED}:
        rows = _read_batch([digest.pk])[digest.pk]
    rows = [r for r in rows if r.pk in notified]
    hidden = [r.pk for r in rows if not r.allowed]
    if hidden:
        Reminder.objects.filter(pk__in=hidden).update(
            status=ReminderStatus.WITHHELD, withheld_because=NOT_ALLOWED
        )
    return [r for r in rows if r.allowed]


URGENT = (ReminderKind.DUE_TODAY, ReminderKind.MISSED)
FAILED = "failed"  # a try that failed this sweep; the digest waits for the next


SERVER_DOWN = "server down"  # the mail server failed, not one address: stop this run


def _deliver_one(digest, rows, connection, now):
    """Send one locked digest, hold it for tomorrow, or record why not. In the caller's
    transaction. Returns what happened; `SERVER_DOWN` stops the run."""
    today = timezone.localdate(now)
    rows = _still_to_send(digest, rows)
    if not rows or not digest.recipient.email:
        digest.status = DigestStatus.NOT_SENT
        digest.last_error = (
            "Nothing left to send." if not rows else "No e-mail address: notifications only."
        )
        digest.save(update_fields=["status", "last_error"])
        return DigestStatus.NOT_SENT
    # A daily digest: once a person has had today's, more today waits for tomorrow's,
    # unless something is due today or missed.
    if not any(r.kind in URGENT for r in rows) and _emailed_today(digest.recipient_id, now):
        digest.day = today + datetime.timedelta(days=1)
        digest.save(update_fields=["day"])
        return "held"
    digest.attempts += 1
    try:
        connection.send_messages([_message(digest, rows)])
    except smtplib.SMTPRecipientsRefused as error:
        return _failed(digest, error, connection, give_up=digest.attempts >= Digest.MAX_ATTEMPTS)
    except Exception as error:  # the server is down, slow or failing: keep for the next sweep
        _failed(digest, error, connection, give_up=False)
        return SERVER_DOWN
    digest.status, digest.sent_at, digest.last_error = DigestStatus.SENT, now, ""
    digest.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return DigestStatus.SENT


def _emailed_today(person, now):
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return Digest.objects.filter(
        recipient_id=person, status=DigestStatus.SENT, sent_at__gte=start
    ).exists()


def _failed(digest, error, connection, *, give_up):
    connection.close()
    text = f"{type(error).__name__}: {error}"[:300]
    if give_up:
        digest.status = DigestStatus.NOT_SENT
        text = f"The mail server refused the address: {text}"[:300]
        log.error("Reminder digest %s not sent, given up: %s", digest.pk, text)
    else:
        log.log(
            logging.ERROR if digest.attempts % 6 == 0 else logging.WARNING,
            "Reminder digest %s not sent (try %s): %s",
            digest.pk,
            digest.attempts,
            text,
        )
    digest.last_error = text
    digest.save(update_fields=["status", "attempts", "last_error"])
    return FAILED


def digests_deliver(*, now=None):
    """Send every digest waiting for today, one locked row and one transaction each, so
    that any number of sweeps can run at once: each skips the rows another holds. A mail
    server that fails stops the run (the rest wait for the next sweep, never given up);
    an address the server refuses is tried again up to `Digest.MAX_ATTEMPTS` times.
    Returns {outcome: count} for this run."""
    now = now or timezone.now()
    counts = defaultdict(int)
    after = 0  # in key order, so a digest that failed waits for the next sweep
    waiting = Digest.objects.filter(status=DigestStatus.PENDING, day__lte=timezone.localdate(now))
    connection = mail.get_connection()
    try:
        outcome = None
        while outcome != SERVER_DOWN and (
            batch := list(
                waiting.filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", flat=True)[:DIGEST_BATCH]
            )
        ):
            after = batch[-1]
            rows, read_at = _read_batch(batch), time.monotonic()
            for n, pk in enumerate(batch):
                if time.monotonic() - read_at > FRESH_FOR:
                    rows, read_at = _read_batch(batch[n:]), time.monotonic()
                with transaction.atomic():
                    digest = (
                        waiting.select_for_update(skip_locked=True, of=("self",))
                        .select_related("recipient__partnership")
                        .filter(pk=pk)
                        .first()
                    )
                    if digest is None:  # another sweep has it, or has sent it
                        continue
                    outcome = _deliver_one(digest, rows[pk], connection, now)
                    counts[FAILED if outcome == SERVER_DOWN else outcome] += 1
                if outcome == SERVER_DOWN:
                    break
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
    result.digests_failed = counts[FAILED]
    result.digests_held = counts["held"]
    return result
