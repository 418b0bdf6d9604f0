"""Reminders about deadlines: what is to be sent to whom, the daily e-mail digest that
carries them, and the in-app notification each one becomes.

A reminder is a row written in the same transaction as the change that causes it (a
deadline set, moved, paused or done), unique on (deadline, kind, recipient, day), so that
a retried or doubled sweep can never send it twice. See ADR 0005.
"""

from django.conf import settings
from django.db import models

from cspr.models.cases import Case
from cspr.models.deadlines import Deadline


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    MISSED = "missed", "Missed"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting for its day"
    QUEUED = "queued", "In the notifications list, e-mail to follow"
    SENT = "sent", "Sent"
    WITHHELD = "withheld", "Not sent"


class Reminder(models.Model):
    """One message about one deadline for one person on one day.

    `due_on` is the due date it was planned against: if the deadline has moved since,
    the sweep withholds it (a new one was planned with the move)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    days_before = models.PositiveSmallIntegerField(default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
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
    collected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["for_day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "recipient", "for_day"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["status", "for_day"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.deadline_id} to {self.recipient_id}"

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
    FAILED = "failed", "Failed"


class Digest(models.Model):
    """One e-mail to one person carrying every reminder collected for them in a sweep.
    Sent while its row is locked, and marked sent in the same transaction."""

    MAX_ATTEMPTS = 12

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="digests"
    )
    day = models.DateField()
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


class Notification(models.Model):
    """What a person sees in their notifications list. Shown only while they may still
    see the case it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reminder = models.OneToOneField(
        Reminder, null=True, blank=True, on_delete=models.CASCADE, related_name="notification"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title
