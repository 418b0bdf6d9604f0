"""Reminders about deadlines: what is to be sent to whom, the daily e-mail digest that
carries them, and the in-app notification each one becomes.

A reminder is a row written in the same transaction as the change that causes it (a
deadline set, moved, paused or done), unique on (deadline, kind, recipient, day), so that
a retried or doubled sweep can never send it twice. Once collected it is also the
person's in-app notification. See ADR 0005.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cspr.models.deadlines import Deadline


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    MISSED = "missed", "Missed"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting for its day"
    NOTIFIED = "notified", "In the notifications list (its digest says how the e-mail went)"
    WITHHELD = "withheld", "Not sent"


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


class Reminder(models.Model):
    """One message about one deadline for one person on one day; once collected, also an
    entry in that person's notifications list (`read_at`).

    `due_on` is the due date it was planned against: if the deadline has moved since,
    the sweep withholds it (a new one was planned with the move)."""

    # Both keys lead an index below, so neither needs one of its own.
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    days_before = models.PositiveSmallIntegerField(default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders", db_index=False
    )
    for_day = models.DateField(help_text="The day it is to go out.")
    due_on = models.DateField(help_text="The due date it was planned against.")
    status = models.CharField(
        max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    withheld_because = models.CharField(max_length=200, blank=True)
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    collected_at = models.DateTimeField(
        null=True, blank=True, help_text="When it reached the notifications list."
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["for_day", "id"]
        constraints = [
            # The key (deadline, kind, recipient, day) with the due date it is
            # about: a deadline moved after a reminder went can be reminded again.
            models.UniqueConstraint(
                fields=["deadline", "kind", "recipient", "for_day", "due_on"],
                name="reminder_once",
            )
        ]
        indexes = [
            models.Index(fields=["status", "for_day"]),
            models.Index(fields=["recipient", "-collected_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.deadline_id} to {self.recipient_id}"

    @property
    def headline(self):
        """For the notifications list; needs `deadline__case` loaded."""
        return reminder_headline(
            self.kind,
            self.days_before,
            self.deadline.title,
            self.due_on,
            self.deadline.case.pseudonym,
            timezone.localdate(self.collected_at),
            self.for_day,
        )

    @property
    def describe(self):
        if self.kind == ReminderKind.BEFORE:
            days = self.days_before
            return f"{days} working day{'s' if days != 1 else ''} before"
        return self.get_kind_display()


class DigestStatus(models.TextChoices):
    PENDING = "pending", "To send"
    SENT = "sent", "Sent"
    NOT_SENT = "not_sent", "Not sent"


class Digest(models.Model):
    """One e-mail to one person carrying every reminder collected for them in a sweep.
    Sent while its row is locked, and marked sent in the same transaction: a reminder
    was e-mailed when its digest was."""

    MAX_ATTEMPTS = 12

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="digests"
    )
    day = models.DateField(help_text="The day it is to go: a later one when it is held over.")
    status = models.CharField(
        max_length=16, choices=DigestStatus.choices, default=DigestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self):
        return f"Digest {self.pk} for {self.recipient_id} on {self.day}"

    def message_id(self, domain):
        """The same on every retry, so a mail server can drop a repeat."""
        return f"<cspr-digest-{self.pk}-{self.day:%Y%m%d}@{domain}>"
