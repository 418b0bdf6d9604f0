"""Conducting and monitoring the review (R7) and the parallel processes around it (R8)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cspr.models import Case, Deadline
from reviews.models.review import LocalReview


class Rating(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class MonitoringCheckpoint(models.Model):
    """The partners' regular check of the review's time and quality (regulation 14). Each
    is planned as a deadline; recording it plans the next one, an interval later."""

    review = models.ForeignKey(LocalReview, on_delete=models.PROTECT, related_name="checkpoints")
    deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(null=True, blank=True)
    time_rating = models.CharField("Time", max_length=16, choices=Rating.choices, blank=True)
    time_comment = models.TextField("On time", blank=True)
    quality_rating = models.CharField("Quality", max_length=16, choices=Rating.choices, blank=True)
    quality_comment = models.TextField("On quality", blank=True)
    actions = models.TextField("Actions agreed", blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline__due_on", "id"]

    def __str__(self):
        return f"Checkpoint due {self.deadline.due_on}"

    @property
    def is_held(self):
        return self.held_on is not None


class RequestKind(models.TextChoices):
    INFORMATION = "information", "Information"
    DRAFT = "draft", "A draft of the report"


class ReviewerRequest(models.Model):
    """A written request to the reviewer for information or a draft (regulation 14), with
    its due date as a deadline. The reviewer's reply (or a draft uploaded, for a request
    for one) settles it."""

    review = models.ForeignKey(
        LocalReview, on_delete=models.PROTECT, related_name="reviewer_requests"
    )
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    text = models.TextField("The request")
    sent_on = models.DateField()
    deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField("The reply", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self):
        return f"Request for {self.get_kind_display().lower()} of {self.sent_on}"

    @property
    def is_answered(self):
        return self.answered_on is not None


class ProcessKind(models.TextChoices):
    POLICE_INVESTIGATION = "police_investigation", "Police investigation"
    CRIMINAL_PROCEEDINGS = "criminal_proceedings", "Criminal proceedings"
    INQUEST = "inquest", "Inquest"
    CHILD_DEATH_REVIEW = "child_death_review", "Child death review"
    DISCIPLINARY = "disciplinary", "Disciplinary process"
    DOMESTIC_HOMICIDE_REVIEW = "dhr", "Domestic homicide review"
    SAFEGUARDING_ADULT_REVIEW = "sar", "Safeguarding adult review"
    OTHER = "other", "Another process"


# The review types a case may be referred for, and so be reviewed jointly with.
REFERRED_KINDS = {ProcessKind.DOMESTIC_HOMICIDE_REVIEW, ProcessKind.SAFEGUARDING_ADULT_REVIEW}


class ProcessStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONCLUDED = "concluded", "Concluded"


class ParallelProcess(models.Model):
    """A process running beside the review. An open one blocks publication unless the
    sub-group records an override with its reasons (on the publication plan)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parallel_processes")
    kind = models.CharField(max_length=24, choices=ProcessKind.choices)
    description = models.CharField(
        max_length=200, blank=True, help_text="For another process: what it is."
    )
    lead_body = models.CharField(max_length=200, help_text="Who leads it.")
    reference = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=16, choices=ProcessStatus.choices, default=ProcessStatus.OPEN
    )
    # A domestic homicide or safeguarding adult review: the referral, and any joint review.
    victim_aged_16_or_over = models.BooleanField("The victim was 16 or over", default=False)
    referred_on = models.DateField(null=True, blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    is_joint_review = models.BooleanField("Reviewed jointly with the CSPR", default=False)
    # SET_NULL: purging the other case leaves this record, without the link.
    linked_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "recorded_at", "id"]
        verbose_name_plural = "parallel processes"

    def __str__(self):
        return self.description or self.get_kind_display()

    @property
    def is_open(self):
        return self.status == ProcessStatus.OPEN
