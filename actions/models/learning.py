"""Learning events (R11): the partnership's events, about twice a year, where the
learning of its reviews is shared."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cspr.models import Case, Partnership


class LearningEvent(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="learning_events"
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField("Date")
    audience = models.TextField("Who it is for")
    attendance = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many attended, once it has been held."
    )
    notes = models.TextField(blank=True)
    cases = models.ManyToManyField(
        Case, through="LearningEventCase", blank=True, related_name="learning_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class LearningEventCase(models.Model):
    """A case whose learning an event shared."""

    event = models.ForeignKey(LearningEvent, on_delete=models.CASCADE, related_name="shared")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "case"], name="event_case_once")]

    def __str__(self):
        return f"{self.case} at {self.event}"
