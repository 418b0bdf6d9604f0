"""Publication (R10): the plan, the final copy to the Panel and the Secretary of State,
the learning briefing, and a national review recorded by the partnership."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cspr.models import Case, Deadline
from reviews.models.review import LocalReview


class PublicationPlan(models.Model):
    """How and when the report will be published, and what was considered first. Its
    planned date anchors the deadline for the final copy (7 working days before)."""

    review = models.OneToOneField(
        LocalReview, on_delete=models.PROTECT, related_name="publication_plan"
    )
    legal_advice_taken = models.BooleanField(default=False)
    legal_advice_on = models.DateField("Date of the legal advice", null=True, blank=True)
    legal_advice = models.TextField("What the legal advice was", blank=True)
    communications_advice = models.TextField(blank=True)
    wider_agencies_informed = models.TextField("Wider agencies informed of the plan", blank=True)
    impact_on_family = models.TextField("Impact on the child's family", blank=True)
    impact_on_practitioners = models.TextField(blank=True)
    impact_on_others = models.TextField("Impact on others closely affected", blank=True)
    family_named_contact = models.CharField(
        "The family's named contact",
        max_length=200,
        blank=True,
        help_text="Usually the Business Manager.",
    )
    planned_on = models.DateField("Planned publication date")
    notice_deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="+")
    # The final copy, no later than 7 working days before publication.
    panel_copy_sent_on = models.DateField("Sent to the Panel", null=True, blank=True)
    secretary_of_state_copy_sent_on = models.DateField(
        "Sent to the Secretary of State", null=True, blank=True
    )
    copies_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Open parallel processes block publication unless the sub-group overrides, with reasons.
    override_reason = models.TextField(blank=True)
    override_at = models.DateTimeField(null=True, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Publication plan for {self.review.case}"

    @property
    def copies_sent(self):
        return bool(self.panel_copy_sent_on and self.secretary_of_state_copy_sent_on)

    @property
    def copies_sent_on(self):
        """The day the last of the two copies went: when the notice was given."""
        if not self.copies_sent:
            return None
        return max(self.panel_copy_sent_on, self.secretary_of_state_copy_sent_on)


class ReviewBriefing(models.Model):
    """The anonymised learning briefing of a local review: required for each one, and
    the only way its learning is shared when the report is not published."""

    review = models.OneToOneField(LocalReview, on_delete=models.PROTECT, related_name="briefing")
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.title


class NationalStatus(models.TextChoices):
    UNDER_WAY = "under_way", "Under way"
    PUBLISHED = "published", "Published"


class NationalReview(models.Model):
    """A national review the Panel took the case into: run by the Panel, recorded here
    with the local partnership's part in it."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="national_review")
    panel_reference = models.CharField(max_length=100, blank=True)
    title = models.CharField(
        max_length=200, blank=True, help_text="The national review's name, if it is thematic."
    )
    panel_contact = models.CharField("The Panel's contact", max_length=200, blank=True)
    partnership_part = models.TextField(
        "The partnership's part in it",
        help_text="What the partnership and its agencies provide, and who takes part.",
    )
    local_lead = models.CharField("Local lead", max_length=200)
    status = models.CharField(
        max_length=16, choices=NationalStatus.choices, default=NationalStatus.UNDER_WAY
    )
    published_on = models.DateField(null=True, blank=True)
    publication_address = models.URLField("Web address", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"National review of {self.case}"
