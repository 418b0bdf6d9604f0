"""The local review itself and its commissioning (R6): the reviewer's appointment, the
terms of reference, the methodology, the two groups, the family and the letters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cspr import uploads
from cspr.models import Agency, Case, Deadline


class ReviewStatus(models.TextChoices):
    COMMISSIONING = "commissioning", "Commissioning"
    UNDER_WAY = "under_way", "Under way"
    READY_FOR_EXECUTIVE = "ready_for_executive", "Quality assured, awaiting the executive"
    APPROVED = "approved", "Approved by the executive"
    PUBLISHED = "published", "Published"
    NOT_PUBLISHED = "not_published", "Not published"


# The moves a review's status allows. The sub-group's quality assurance sends a draft on to
# the executive; the executive approves it or sends it back to the reviewer.
ALLOWED_REVIEW_MOVES = {
    ReviewStatus.COMMISSIONING: {ReviewStatus.UNDER_WAY},
    ReviewStatus.UNDER_WAY: {ReviewStatus.READY_FOR_EXECUTIVE},
    ReviewStatus.READY_FOR_EXECUTIVE: {ReviewStatus.UNDER_WAY, ReviewStatus.APPROVED},
    ReviewStatus.APPROVED: {ReviewStatus.PUBLISHED, ReviewStatus.NOT_PUBLISHED},
    ReviewStatus.PUBLISHED: set(),
    ReviewStatus.NOT_PUBLISHED: set(),
}


class Methodology(models.TextChoices):
    LEARNING_TOGETHER = "learning_together", "SCIE Learning Together"
    SILP = "silp", "Significant Incident Learning Process (SILP)"
    BESPOKE = "bespoke", "A bespoke approach"
    HYBRID = "hybrid", "A hybrid approach"


# What every methodology must show it does (the protocol), by field name.
COMMITMENTS = {
    "family_engagement": "Engagement with the family and carers",
    "practitioner_engagement": "Engagement with frontline practitioners",
    "systems_approach": "A no-blame, systems learning approach",
    "quality_markers": "Conducted in line with the NSPCC quality markers",
}


class LocalReview(models.Model):
    """The local child safeguarding practice review of a case, commissioned once the Panel
    agrees one (R5, R6). Its status moves along `ALLOWED_REVIEW_MOVES`."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="local_review")
    status = models.CharField(
        max_length=24, choices=ReviewStatus.choices, default=ReviewStatus.COMMISSIONING
    )
    commissioned_at = models.DateTimeField(auto_now_add=True)
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The methodology and how it meets each commitment (COMMITMENTS).
    methodology = models.CharField(max_length=24, choices=Methodology.choices, blank=True)
    methodology_detail = models.TextField(
        "How the approach works", blank=True, help_text="Needed for a bespoke or hybrid approach."
    )
    family_engagement = models.TextField(blank=True)
    practitioner_engagement = models.TextField(blank=True)
    systems_approach = models.TextField(blank=True)
    quality_markers = models.TextField(blank=True)
    joint_review_note = models.TextField(
        "How the methodology meets the other review's requirements too",
        blank=True,
        help_text="For a joint review with a domestic homicide or safeguarding adult review.",
    )
    methodology_agreed_at = models.DateTimeField(null=True, blank=True)
    methodology_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The agreed chronology template: the rapid review's chronology row (date, source,
    # event, significance, action) over an agreed period.
    chronology_from = models.DateField("Chronology starts", null=True, blank=True)
    chronology_to = models.DateField("Chronology ends", null=True, blank=True)
    chronology_guidance = models.TextField("Guidance for agencies", blank=True)
    chronology_agreed_at = models.DateTimeField(null=True, blank=True)
    chronology_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Starting the review: the initiation date sets the six-month completion target.
    started_on = models.DateField("Initiated on", null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_deadline = models.OneToOneField(
        Deadline, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    monitoring_interval_weeks = models.PositiveSmallIntegerField(
        default=4, help_text="Weeks between the partners' checkpoints on time and quality."
    )
    # The executive's approval of the final report.
    # SET_NULL: the draft and the review point at each other; a purge deletes both.
    approved_draft = models.ForeignKey(
        "reviews.ReportDraft", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Publication, or the decision not to publish.
    published_on = models.DateField(null=True, blank=True)
    publication_address = models.URLField("Web address", max_length=500, blank=True)
    nspcc_sent_on = models.DateField("Sent to the NSPCC repository", null=True, blank=True)
    not_published_reason = models.TextField(blank=True)
    publication_recorded_at = models.DateTimeField(null=True, blank=True)
    publication_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Local review for {self.case}"

    @property
    def is_started(self):
        return self.started_on is not None

    @property
    def methodology_is_agreed(self):
        return self.methodology_agreed_at is not None

    @property
    def chronology_is_agreed(self):
        return self.chronology_agreed_at is not None


class ReviewerAppointment(models.Model):
    """The independent reviewer's appointment, with the protocol's five considerations.
    While it is current the reviewer sees this case (and no other); ending it removes that."""

    review = models.ForeignKey(LocalReview, on_delete=models.PROTECT, related_name="appointments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    knowledge_and_engagement = models.TextField(
        "Knowledge of reviews and ability to engage practitioners, children and families"
    )
    research_knowledge = models.TextField("Knowledge of research on safeguarding children")
    complex_circumstances = models.TextField(
        "Grasp of the complex circumstances in which practitioners work together"
    )
    communicating_findings = models.TextField("Ability to communicate findings")
    conflict_declared = models.BooleanField(
        "A real or perceived conflict of interest", default=False
    )
    conflict_details = models.TextField("The conflict declared", blank=True)
    conflict_decision = models.TextField("The appointing group's decision on it", blank=True)
    appointed_on = models.DateField()
    appointed_at = models.DateTimeField(auto_now_add=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["appointed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(ended_on__isnull=True),
                name="one_current_reviewer",
            )
        ]

    def __str__(self):
        return f"{self.reviewer} for {self.review.case}"

    @property
    def is_current(self):
        return self.ended_on is None


class TermsOfReference(models.Model):
    """One version of the terms of reference. Versions are never edited: a change is a new
    version. A version is agreed when both the sub-group chair and the reviewer have agreed
    it; the agreed version is then frozen as the review's terms."""

    review = models.ForeignKey(LocalReview, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField()
    period_from = models.DateField("Period the review looks at: from", null=True, blank=True)
    period_to = models.DateField("to", null=True, blank=True)
    key_lines_of_enquiry = models.TextField("Research questions and key lines of enquiry")
    scope = models.TextField("Scope: agencies and matters in and out", blank=True)
    equality_considerations = models.TextField(
        "Equality and human rights",
        blank=True,
        help_text="How race, disability and other protected characteristics will be considered.",
    )
    change_note = models.CharField("What changed", max_length=300, blank=True)
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chair_agreed_at = models.DateTimeField(null=True, blank=True)
    chair_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_agreed_at = models.DateTimeField(null=True, blank=True)
    reviewer_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_terms_version_each")
        ]

    def __str__(self):
        return f"Terms of reference, version {self.number}"

    @property
    def is_agreed(self):
        return bool(self.chair_agreed_at and self.reviewer_agreed_at)


class GroupKind(models.TextChoices):
    REVIEW = "review", "Review group"
    PRACTITIONER = "practitioner", "Practitioner group"


class GroupMember(models.Model):
    """A member of the review group (a manager of sufficient seniority from a key agency)
    or of the practitioner group (staff who worked with the child and family). Removing
    one keeps the row, with who removed it and when."""

    review = models.ForeignKey(LocalReview, on_delete=models.PROTECT, related_name="members")
    group = models.CharField(max_length=16, choices=GroupKind.choices)
    name = models.CharField(max_length=200)
    role = models.CharField("Role", max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    seniority = models.CharField(
        max_length=200, blank=True, help_text='For the review group, e.g. "Head of service".'
    )
    involvement = models.TextField(
        "Their work with the child and family", blank=True, help_text="For the practitioner group."
    )
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
        ordering = ["agency__name", "name", "id"]

    def __str__(self):
        return f"{self.name}, {self.role}"


class EngagementKind(models.TextChoices):
    INFORMED = "informed", "Family told about the review"
    NOT_CONTACTED = "not_contacted", "Decided not to contact the family yet"
    CONTACT = "contact", "Contact"
    MEETING = "meeting", "Meeting"
    CONSENT = "consent", "Consent to publish"


class Consent(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    PARTIAL = "partial", "Consent with conditions"


class FamilyEngagement(models.Model):
    """One entry in the family engagement log. The partnership, never an agency, contacts
    the family; not contacting them (on police advice, say) is recorded with the reason."""

    review = models.ForeignKey(LocalReview, on_delete=models.PROTECT, related_name="family_log")
    kind = models.CharField(max_length=16, choices=EngagementKind.choices)
    on = models.DateField("Date")
    family_member = models.CharField(
        "Family member", max_length=200, blank=True, help_text='For example "Mother".'
    )
    by_whom = models.CharField("Who made contact", max_length=200, blank=True)
    summary = models.TextField()
    consent = models.CharField(max_length=16, choices=Consent.choices, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["on", "id"]
        verbose_name_plural = "family engagement"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on}"


class LetterKind(models.TextChoices):
    REFERRER = "referrer", "The referrer"
    AGENCY = "agency", "A key agency"


class StartLetter(models.Model):
    """A "review has started" letter from the Business Manager. The PDF is made from the
    case while the letter is unsent; recording it as sent keeps that PDF as the copy sent."""

    review = models.ForeignKey(LocalReview, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=16, choices=LetterKind.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    addressee = models.CharField(max_length=200, help_text="Name and role.")
    organisation = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    copy = models.FileField(
        "The letter as sent",
        storage=uploads.private_storage,
        upload_to=uploads.RandomName("letters"),
        max_length=200,
        blank=True,
    )
    copy_sha256 = models.CharField(max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Letter to {self.addressee}"

    @property
    def is_sent(self):
        return self.sent_on is not None
