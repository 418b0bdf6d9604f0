"""The access log (who read which case data) and the retention rules (how long records stay)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cspr.models.cases import Case
from cspr.models.tenancy import Agency, Partnership


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class AccessLogEntry(models.Model):
    """One read (or attempted read) of case data by a signed-in person. Append-only:
    written once by `cspr.access_log.AccessLogMiddleware`, never edited, so it has no
    django-simple-history of its own; it goes with its case when the case is purged."""

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so that the row still says who it was if the account goes.
    username = models.CharField(max_length=150)
    partnership = models.ForeignKey(
        Partnership, null=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, null=True, on_delete=models.CASCADE, related_name="access_log")
    # The agency whose material it is (an information request and its return, a referral
    # the agency made): what the agency's own access log page lists.
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=40, help_text='For example "case" or "request".')
    object_id = models.PositiveBigIntegerField(null=True)
    # The object's model ("rapid_reviews.informationrequest"): what the purge matches on.
    object_model = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=40)
    child_details = models.BooleanField(
        default=False, help_text="The person could see the child's identifying details."
    )
    url_name = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["case", "-at"], name="accesslog_case_newest"),
            models.Index(fields=["agency", "-at"], name="accesslog_agency_newest"),
            models.Index(fields=["user", "-at"], name="accesslog_user_newest"),
            models.Index(fields=["object_type", "object_id"], name="accesslog_object"),
        ]

    def __str__(self):
        return f"{self.username} {self.outcome} {self.object_type} {self.object_id}"


class RecordType(models.TextChoices):
    CASE = "case", "Closed case, with everything recorded on it"
    REFERRAL = "referral", "Referral that never became a case"
    ACCESS_LOG = "access_log", "Access log entry"


COUNTED_FROM = {
    RecordType.CASE: "the day the case closed",
    RecordType.REFERRAL: "the referral's last change (withdrawn or decided)",
    RecordType.ACCESS_LOG: "the day of the entry",
}


class RetentionRule(models.Model):
    """How long a type of record is kept. Administrators change it in the Django admin;
    `manage.py purge_expired` applies it. Cases on legal hold are never purged."""

    record_type = models.CharField(max_length=20, choices=RecordType.choices, unique=True)
    # At least a year: 0 would purge every closed case at the next run.
    years = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    note = models.TextField(blank=True, help_text="Where the period comes from.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["record_type"]

    def __str__(self):
        return f"{self.get_record_type_display()}: {self.years} years"

    @property
    def counted_from(self):
        return COUNTED_FROM[RecordType(self.record_type)]
