"""The report: drafts uploaded as versions, the sub-group's quality assurance and the
executive's approval (R9)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cspr import uploads
from reviews.models.review import LocalReview


class ReportDraft(models.Model):
    """One version of the report, as the reviewer sent it. Stored under a random name
    (cspr.uploads) and downloaded only through the access check; never replaced."""

    review = models.ForeignKey(LocalReview, on_delete=models.PROTECT, related_name="drafts")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(
        storage=uploads.private_storage,
        upload_to=uploads.RandomName("reports"),
        max_length=200,
    )
    original_name = models.CharField("File name", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_result = models.CharField(max_length=16, choices=uploads.ScanResult.CHOICES)
    note = models.TextField("What this version changes", blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_draft_number_each")
        ]

    def __str__(self):
        return f"Version {self.number} ({self.original_name})"


class QAPoint(models.TextChoices):
    """The sub-group's seven checks of a final draft (the protocol)."""

    ANSWERED = "answered", "The research question is answered, or the terms of reference met"
    IN_SCOPE = "in_scope", "It stays within scope, focused on learning lessons"
    METHODOLOGY = "methodology", "The agreed methodology was followed"
    ACCURATE = "accurate", "There are no factual or typographical errors"
    EVIDENCED = "evidenced", "Conclusions are evidenced"
    LANGUAGE = "language", "Language is appropriate"
    PUBLISHABLE = (
        "publishable",
        ("It is publishable, with no personal detail that is not relevant to the review"),
    )


class QADecision(models.TextChoices):
    READY = "ready", "Ready for the executive"
    BACK = "back", "Back to the reviewer"


class QualityAssurance(models.Model):
    """The sub-group's quality assurance of one draft: each of the seven points answered
    (met or not) with a comment, and the decision. Recorded by the sub-group chair."""

    review = models.ForeignKey(
        LocalReview, on_delete=models.PROTECT, related_name="quality_assurance"
    )
    draft = models.ForeignKey(ReportDraft, on_delete=models.PROTECT, related_name="checks")
    answers = models.JSONField(
        default=dict, help_text='{point: {"met": true or false, "comment": text}}'
    )
    decision = models.CharField(max_length=8, choices=QADecision.choices)
    note = models.TextField("Note to the reviewer", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "quality assurance"

    def __str__(self):
        return f"Quality assurance of version {self.draft.number}"

    def rows(self):
        """[(label, met, comment)] in the protocol's order, for pages and PDFs."""
        return [
            (
                label,
                self.answers.get(point, {}).get("met"),
                self.answers.get(point, {}).get("comment", ""),
            )
            for point, label in QAPoint.choices
        ]
