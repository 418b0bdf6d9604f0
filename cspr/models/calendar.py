"""Adjustments to the England and Wales working-day calendar."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class CalendarSource(models.TextChoices):
    OFFICIAL = "official", "Official England and Wales list"
    ADMINISTRATOR = "administrator", "Administrator"


class CalendarDay(models.Model):
    """A day whose status differs from, or is confirmed against, workalendar's.

    `is_working=False` makes a weekday a non-working day (a bank holiday, a one-off
    holiday); `is_working=True` makes a day that workalendar calls a holiday a working
    day. Weekends are never working days. Administrator rows win over official ones.
    """

    day = models.DateField(unique=True)
    is_working = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=16, choices=CalendarSource.choices)
    reason = models.TextField(blank=True)
    # What the official list says of the day, kept when an administrator overrides it, so
    # that undoing the override restores the official entry.
    official_is_working = models.BooleanField(null=True, blank=True)
    official_title = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]

    def __str__(self):
        state = "working day" if self.is_working else "non-working day"
        return f"{self.day:%d %b %Y}: {self.title} ({state})"
