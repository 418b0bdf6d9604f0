"""Referrals (DOMAIN.md R1): an agency or individual tells the partnership about a
serious child safeguarding incident; the business unit triages it; the sub-group decides."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cspr.models import Agency, Case, Partnership, Sex


class Nature(models.TextChoices):
    DEATH = "death", "The child died"
    SERIOUS_HARM = "serious_harm", "The child was seriously harmed"


class Criterion(models.TextChoices):
    """The four criteria partners must take into account (reg 11; Working Together)."""

    IMPROVEMENTS = (
        "improvements",
        "Highlights improvements needed, including ones identified before",
    )
    RECURRENT_THEMES = "recurrent_themes", "Highlights recurrent themes"
    WORKING_TOGETHER = (
        "working_together",
        "Highlights concerns about two or more agencies working together",
    )
    PANEL_CONCLUDED_LOCAL = (
        "panel_concluded_local",
        "The national Panel has concluded a local review may be more appropriate",
    )


class Circumstance(models.TextChoices):
    SINGLE_AGENCY = "single_agency", "Concern about the actions of a single agency"
    NO_AGENCY_INVOLVEMENT = "no_agency_involvement", "No agency involvement, which is a concern"
    SEVERAL_AREAS = (
        "several_areas",
        "More than one local authority, police area or integrated care board involved",
    )
    INSTITUTIONAL = "institutional", "Issues about safeguarding in an institutional setting"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    TRIAGED = "triaged", "Triaged, awaiting the sub-group"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


ALLOWED_REFERRAL_MOVES = {
    ReferralStatus.DRAFT: {ReferralStatus.SUBMITTED, ReferralStatus.WITHDRAWN},
    ReferralStatus.SUBMITTED: {ReferralStatus.TRIAGED, ReferralStatus.WITHDRAWN},
    ReferralStatus.TRIAGED: {ReferralStatus.DECIDED, ReferralStatus.WITHDRAWN},
    ReferralStatus.DECIDED: set(),
    ReferralStatus.WITHDRAWN: set(),
}


class Decision(models.TextChoices):
    NOTIFY = "notify", "Ask the local authority to notify the Panel"
    RAPID_REVIEW = "rapid_review", "Convene a rapid review without a notification"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Referral(models.Model):
    """One referral. The child's identifying details are in `ReferralChild`."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Who refers: a signed-in agency contributor, or an individual the business unit
    # records on behalf of (then the name and contact are required).
    referring_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField("Referrer's role", max_length=200, blank=True)
    referrer_contact = models.CharField("How to contact the referrer", max_length=300, blank=True)

    incident_date = models.DateField(null=True, blank=True)
    nature = models.CharField(max_length=16, choices=Nature.choices, blank=True)
    looked_after = models.BooleanField("The child is looked after", default=False)
    care_leaver = models.BooleanField("The young person is a care leaver", default=False)
    abuse_or_neglect = models.BooleanField("Abuse or neglect is known or suspected", default=False)
    agencies_involved = models.ManyToManyField(Agency, blank=True, related_name="+")
    other_agencies = models.TextField("Other agencies involved", blank=True)
    case_outline = models.TextField(blank=True)
    criteria = models.JSONField(default=list, blank=True)
    circumstances = models.JSONField(default=list, blank=True)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE)
    media_interest = models.BooleanField(default=False)
    media_details = models.TextField(blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    triage_note = models.TextField(blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    decision = models.CharField(max_length=24, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self):
        return f"Referral {self.pk}"

    @property
    def is_notifiable_whatever_the_cause(self):
        """A looked-after child's or care leaver's death is always notified (R2)."""
        return self.nature == Nature.DEATH and (self.looked_after or self.care_leaver)

    def criteria_labels(self):
        return [Criterion(value).label for value in self.criteria if value in Criterion.values]

    def circumstance_labels(self):
        known = Circumstance.values
        return [Circumstance(value).label for value in self.circumstances if value in known]


class ReferralChild(models.Model):
    """The child's identifying details as the referrer gave them: for the referrer and
    the business unit only. Copied to the case's restricted record at triage."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="child")
    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    address = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.given_names} {self.family_name}".strip()


class Notification(models.Model):
    """The local authority's serious incident notification to the national Panel (R2).

    Due within 5 working days of the local authority becoming aware; the partnership must
    be told before or immediately after. One per case.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="notification")
    date_aware = models.DateField("Date the local authority became aware")
    deadline = models.OneToOneField(
        "cspr.Deadline", on_delete=models.PROTECT, related_name="notification"
    )
    sent_on = models.DateField("Date sent to the Panel", null=True, blank=True)
    panel_reference = models.CharField(max_length=60, blank=True)
    notified_by = models.CharField(
        "Who notified",
        max_length=200,
        blank=True,
        help_text="Name and role at the local authority.",
    )
    partnership_told_on = models.DateField("Date the partnership was told", null=True, blank=True)
    late_reason = models.TextField("Why it was late", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Notification for {self.case}"

    @property
    def is_sent(self):
        return self.sent_on is not None

    @property
    def is_late(self):
        return self.sent_on is not None and self.sent_on > self.deadline.due_on
