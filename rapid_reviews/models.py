"""Rapid reviews (DOMAIN.md R3, R4): opened after a notification (or the sub-group's
decision to convene one), with information requests to agencies."""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
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


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class InformationReturn(models.Model):
    """An agency's information return for one request, with its chronology rows.

    The agency's group holds the guardian `change_informationreturn` permission on it
    while it is a draft; submitting removes it (the return is locked), and only the
    business unit can unlock it, with a reason.
    """

    request = models.OneToOneField(
        InformationRequest, on_delete=models.PROTECT, related_name="information_return"
    )
    status = models.CharField(
        max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    involvement_period = models.CharField("Period of involvement", max_length=200, blank=True)
    involvement_extent = models.TextField("Extent of involvement", blank=True)
    key_practice_episodes = models.TextField(blank=True)
    analysis = models.TextField("Analysis against the criteria", blank=True)
    immediate_actions = models.TextField("Immediate actions already taken", blank=True)
    author_name = models.CharField("Author", max_length=200, blank=True)
    signed_off_by = models.CharField(
        "Signed off by",
        max_length=200,
        blank=True,
        help_text="Name and role of the senior manager.",
    )
    signed_off_on = models.DateField("Date signed off", null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Return from {self.request.agency}"


class ChronologyEntry(models.Model):
    """One row of an agency's chronology. The source of information is mandatory."""

    information_return = models.ForeignKey(
        InformationReturn, on_delete=models.CASCADE, related_name="entries"
    )
    position = models.PositiveIntegerField(default=0)
    date = models.DateField()
    date_is_approximate = models.BooleanField("Approximate date", default=False)
    source = models.CharField("Source of information", max_length=300)
    event = models.TextField()
    significance = models.TextField(blank=True)
    action = models.TextField("Action taken", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "position", "id"]
        verbose_name_plural = "chronology entries"

    def __str__(self):
        return f"{self.date}: {self.event[:40]}"


class InformationReturnGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InformationReturn, on_delete=models.CASCADE)


class InformationReturnUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InformationReturn, on_delete=models.CASCADE)
