"""Action plans (R11): each rapid review and local review has one; each action answers a
finding, belongs to one agency and has a named owner, a due date (a deadline with
reminders), progress updates, evidence and, once complete, an assurance of its impact.
A barrier to completing one is escalated to the executive, whose response is kept."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models.themes import Theme
from cspr import uploads
from cspr.models import Agency, Case, Deadline


class PlanSource(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    LOCAL_REVIEW = "local_review", "Local child safeguarding practice review"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OVERDUE = "overdue", "Overdue"
    COMPLETE = "complete", "Complete"
    IMPACT_ASSURED = "impact_assured", "Impact assured"


# What a person reports; "overdue" is never stored but worked out from the due date
# (`Action.status_on`), so it cannot go stale.
REPORTED_STATUSES = [
    ActionStatus.NOT_STARTED,
    ActionStatus.ON_TRACK,
    ActionStatus.AT_RISK,
    ActionStatus.COMPLETE,
    ActionStatus.IMPACT_ASSURED,
]
OPEN_STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.ON_TRACK, ActionStatus.AT_RISK]


class ActionPlan(models.Model):
    """The action plan of one review of a case: the rapid review's (which also takes the
    learning meeting's immediate actions) or the local review's."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="action_plans")
    source = models.CharField(max_length=16, choices=PlanSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "source"]
        constraints = [
            models.UniqueConstraint(fields=["case", "source"], name="one_plan_per_review")
        ]

    def __str__(self):
        return f"{self.case}: {self.get_source_display()} action plan"


class Action(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField(help_text="Its number within the plan.")
    finding = models.TextField("The finding it answers")
    change = models.TextField("What will change")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField("Named owner", max_length=200)
    due_on = models.DateField("Due date")
    deadline = models.OneToOneField(
        Deadline, null=True, blank=True, on_delete=models.PROTECT, related_name="action"
    )
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    impact_how = models.TextField("How its impact was assured", blank=True)
    impact_assured_on = models.DateField(null=True, blank=True)
    impact_assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    immediate_action = models.OneToOneField(
        "rapid_reviews.ImmediateAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action",
        help_text="The learning meeting's immediate action this carries on, if any.",
    )
    themes = models.ManyToManyField(Theme, through="ActionTheme", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_action_number_each"),
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.OVERDUE), name="overdue_is_never_stored"
            ),
        ]

    def __str__(self):
        return f"Action {self.number}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def status_on(self, today):
        """The status people see: what was last reported, or overdue once an open action
        is past its due date."""
        if self.is_open and self.due_on < today:
            return ActionStatus.OVERDUE
        return ActionStatus(self.status)


class ActionTheme(models.Model):
    """A theme applied to an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="action_themes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "theme"], name="action_theme_once")
        ]

    def __str__(self):
        return f"{self.theme} on {self.action}"


class ProgressUpdate(models.Model):
    """A note of progress, with the status it reported; never edited."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField("Progress")
    status = models.CharField(max_length=16, choices=ActionStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Progress on {self.action}"


class Evidence(models.Model):
    """Evidence of an action's progress or impact: an uploaded file (checked and stored
    by cspr.uploads) or a link. Removing it deletes the file and keeps the row."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    description = models.CharField(max_length=200)
    link = models.URLField(max_length=500, blank=True)
    file = models.FileField(
        storage=uploads.private_storage,
        upload_to=uploads.RandomName("evidence"),
        max_length=200,
        blank=True,
    )
    original_name = models.CharField("File name", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    scan_result = models.CharField(max_length=16, choices=uploads.ScanResult.CHOICES, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.description


class Barrier(models.Model):
    """Something stopping an action being completed. Raising it escalates it to the
    partnership's executives; the executive's response is recorded, then the business
    unit closes it once it no longer stands in the way."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="barriers")
    description = models.TextField("What stops the action being completed")
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField("The executive's response", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self):
        return f"Barrier to {self.action}"

    @property
    def is_open(self):
        return self.closed_at is None
