"""A stored deadline per statutory or local time limit on a case."""

import datetime

from django.db import models
from simple_history.models import HistoricalRecords

from cspr.deadline_rules import RULES, Rule, Unit
from cspr.models.cases import Case
from cspr.models.tenancy import Agency


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    PAUSED = "paused", "Paused"
    WAIVED = "waived", "Waived"


# The moves a deadline's status allows. "Missed" from the daily sweep is provisional until
# the work is recorded: done by the due date it becomes met (entered late, not done late),
# after it stays missed. Once done, or waived, a deadline is final.
ALLOWED_DEADLINE_MOVES = {
    DeadlineStatus.OPEN: {
        DeadlineStatus.MET,
        DeadlineStatus.MISSED,
        DeadlineStatus.PAUSED,
        DeadlineStatus.WAIVED,
    },
    DeadlineStatus.PAUSED: {DeadlineStatus.OPEN, DeadlineStatus.WAIVED},
    DeadlineStatus.MISSED: {DeadlineStatus.MET, DeadlineStatus.MISSED, DeadlineStatus.WAIVED},
    DeadlineStatus.MET: set(),
    DeadlineStatus.WAIVED: set(),
}
PENDING_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.PAUSED)


class Deadline(models.Model):
    """Computed once from its rule and anchor by `cspr.deadline_rules` and stored.
    Lists and sweeps read `due_on`; only a calendar change or an explicit extension
    moves it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(max_length=40, choices=Rule.choices)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency that owes it (an information return, an action), if one does.",
    )
    title = models.CharField(max_length=200)
    period = models.PositiveSmallIntegerField(
        default=0, help_text="The number of days or months the rule counts."
    )
    anchor_event = models.CharField(
        max_length=200, help_text='What starts the clock, e.g. "the local authority became aware".'
    )
    anchor_date = models.DateField()
    opens_on = models.DateField(null=True, blank=True, help_text="Earliest day, for a window.")
    due_on = models.DateField(db_index=True)
    original_due_on = models.DateField()
    is_fixed = models.BooleanField(
        default=False,
        help_text="Set by hand or extended: a calendar change does not move it.",
    )
    status = models.CharField(
        max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    paused_on = models.DateField(null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(
        default=0, help_text="Working days the clock was stopped; they push the dates on."
    )
    reason = models.TextField(blank=True, help_text="Why it was last paused, extended or waived.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.title} (due {self.due_on:%d %b %Y})"

    @property
    def spec(self):
        return RULES[Rule(self.rule)]

    @property
    def is_pending(self):
        return self.status in PENDING_STATUSES

    @property
    def follows_calendar(self):
        """Whether a calendar change can move it."""
        return not self.is_fixed and (
            self.spec.unit in (Unit.WORKING_DAYS_AFTER, Unit.WORKING_DAYS_BEFORE)
            or self.paused_working_days > 0
        )

    @property
    def is_outstanding(self):
        """Still to be done: open, or missed and not yet done."""
        return self.status == DeadlineStatus.OPEN or (
            self.status == DeadlineStatus.MISSED and self.completed_on is None
        )

    @property
    def is_final(self):
        return self.status in (DeadlineStatus.MET, DeadlineStatus.WAIVED) or bool(self.completed_on)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == DeadlineStatus.OPEN and self.due_on < today

    def explanation(self) -> str:
        """Why it is due when it is, in words a user can check."""
        spec = self.spec
        if spec.unit == Unit.AS_SET:
            basis = f"set for {self.anchor_event} ({self.anchor_date:%-d %B %Y})"
        else:
            basis = (
                f"{spec.explain_period(self.period)} {self.anchor_event} "
                f"({self.anchor_date:%-d %B %Y})"
            )
        text = f"Due {self.due_on:%-d %B %Y}: {basis}. Source: {spec.source}."
        if self.opens_on:
            text += f" Not before {self.opens_on:%-d %B %Y}."
        if self.paused_working_days:
            days = self.paused_working_days
            text += f" Paused for {days} working day{'s' if days != 1 else ''}."
        if self.due_on != self.original_due_on:
            text += f" Originally due {self.original_due_on:%-d %B %Y}."
        return text
