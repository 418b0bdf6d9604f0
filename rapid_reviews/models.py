"""Rapid reviews (DOMAIN.md R3, R4): opened after a notification (or the sub-group's
decision to convene one), with information requests to agencies."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cspr.models import Agency, Case, Deadline


class RapidReviewStatus(models.TextChoices):
    OPEN = "open", "Gathering information"
    CLOSED = "closed", "Closed"


class RapidReview(models.Model):
    """One per case. Its clock start follows the partnership's setting."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="rapid_review")
    status = models.CharField(
        max_length=16, choices=RapidReviewStatus.choices, default=RapidReviewStatus.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clock_start = models.DateField(help_text="The day the 15 working days count from.")
    clock_start_basis = models.CharField(max_length=200)
    meeting_deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="+")
    report_deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self):
        return f"Rapid review for {self.case}"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUBMITTED = "submitted", "Return submitted"
    CANCELLED = "cancelled", "Cancelled"


class InformationRequest(models.Model):
    """The business unit's request to one agency for an information return and chronology."""

    rapid_review = models.ForeignKey(RapidReview, on_delete=models.PROTECT, related_name="requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    note = models.TextField("What the agency is asked for", blank=True)
    deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="+")
    collation_warning = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    records_secured_at = models.DateTimeField(null=True, blank=True)
    records_secured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "agency"], name="one_request_per_agency"
            )
        ]

    def __str__(self):
        return f"Request to {self.agency} for {self.rapid_review.case}"
