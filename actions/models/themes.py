"""The learning theme taxonomy, applied to cases and to actions (R12)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cspr.models import Case


class Theme(models.Model):
    """One theme of the taxonomy every partnership shares (seeded by a migration, kept by
    administrators). A theme no longer offered is made inactive, never deleted, so the
    cases and actions it was applied to still say so."""

    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CaseTheme(models.Model):
    """A theme applied to a case: who applied it, and when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_themes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="case_themes")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__name"]
        constraints = [models.UniqueConstraint(fields=["case", "theme"], name="case_theme_once")]

    def __str__(self):
        return f"{self.theme} on {self.case}"
