"""Rapid reviews (DOMAIN.md R3, R4): opened after a notification (or the sub-group's
decision to convene one), with information requests to agencies."""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cspr import uploads
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
    report_sent_on = models.DateField("Report sent to the Panel", null=True, blank=True)
    report_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chase_deadline = models.OneToOneField(
        Deadline, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Rapid review for {self.case}"

    @property
    def is_decided(self):
        """All three safeguarding partners have signed off the decision."""
        return self.sign_offs.count() == len(Partner)


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


class Recommendation(models.TextChoices):
    LOCAL_CSPR = "local_cspr", "A local child safeguarding practice review"
    NATIONAL_REVIEW = "national_review", "A national review"
    NO_CSPR = "no_cspr", "No child safeguarding practice review"
    OTHER_REVIEW = "other_review", "Another type of review"


class LearningMeeting(models.Model):
    """The rapid review's learning meeting and the panel's recommendation (R3)."""

    rapid_review = models.OneToOneField(
        RapidReview, on_delete=models.PROTECT, related_name="meeting"
    )
    held_on = models.DateField()
    attendees = models.TextField(help_text="One attendee a line: name, role and agency.")
    window_warning = models.CharField(max_length=300, blank=True)
    recommendation = models.CharField(max_length=24, choices=Recommendation.choices)
    other_review_type = models.CharField(max_length=200, blank=True)
    criteria_rationale = models.JSONField(
        default=dict, help_text="For each reg 11 criterion, the panel's reasoning."
    )
    circumstances_rationale = models.JSONField(default=dict)
    rationale = models.TextField("Overall rationale")
    lived_experience = models.TextField("The child's lived experience", blank=True)
    equality_considerations = models.TextField(blank=True)
    learning = models.TextField("Learning identified", blank=True)
    parallel_processes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Learning meeting for {self.rapid_review.case}"


class ImmediateAction(models.Model):
    """An immediate action the learning meeting identified (picked up by the actions app)."""

    meeting = models.ForeignKey(
        LearningMeeting, on_delete=models.CASCADE, related_name="immediate_actions"
    )
    description = models.TextField()
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return self.description[:60]


class Partner(models.TextChoices):
    """The three statutory safeguarding partners, by the agency type that signs for each."""

    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    INTEGRATED_CARE_BOARD = "icb", "Integrated care board"


class PartnerSignOff(models.Model):
    """One safeguarding partner's sign-off of the final decision."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.PROTECT, related_name="sign_offs"
    )
    partner = models.CharField(max_length=24, choices=Partner.choices)
    signed_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner"]
        constraints = [
            models.UniqueConstraint(fields=["rapid_review", "partner"], name="one_sign_off_each")
        ]

    def __str__(self):
        return f"{self.get_partner_display()} sign-off"


class FamilyContact(models.Model):
    """The partnership (never an agency) informing the family."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.PROTECT, related_name="family_contacts"
    )
    informed_on = models.DateField()
    informed_by = models.CharField(max_length=200, help_text="Name and role.")
    method = models.CharField("How", max_length=200)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["informed_on", "id"]

    def __str__(self):
        return f"Family informed {self.informed_on}"


class PanelOutcome(models.TextChoices):
    AGREES_LOCAL_CSPR = "agrees_local_cspr", "Agrees a local CSPR"
    AGREES_NO_CSPR = "agrees_no_cspr", "Agrees no CSPR"
    MORE_INFORMATION = "more_information", "Asks for more information"
    RECONSIDER = "reconsider", "Asks the partnership to reconsider"
    NATIONAL_REVIEW = "national_review", "Takes the case into a national review"


class PanelResponse(models.Model):
    """The national Panel's letter in reply to the rapid review report (R5)."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.PROTECT, related_name="panel_responses"
    )
    outcome = models.CharField(max_length=24, choices=PanelOutcome.choices)
    letter_date = models.DateField()
    received_on = models.DateField()
    text = models.TextField("The letter's text")
    information_due_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"Panel response: {self.get_outcome_display()}"


class DistributionEntry(models.Model):
    """A named professional on the partnership's list for rapid review reports."""

    partnership = models.ForeignKey(
        "cspr.Partnership", on_delete=models.PROTECT, related_name="distribution_list"
    )
    role = models.CharField(max_length=200, help_text='For example "Designated Doctor".')
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "role"]
        verbose_name_plural = "distribution list"

    def __str__(self):
        return f"{self.role}: {self.name}" if self.name else self.role


class Circulation(models.Model):
    """One recipient of the rapid review report: from the distribution list, or wider
    dissemination approved by the sub-group chair, an executive or the Business Manager."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.PROTECT, related_name="circulation"
    )
    recipient = models.CharField(max_length=300)
    is_wider = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self):
        return self.recipient


class LearningBriefing(models.Model):
    """The anonymised learning briefing for a rapid review: published, unlike the report."""

    rapid_review = models.OneToOneField(
        RapidReview, on_delete=models.PROTECT, related_name="briefing"
    )
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


class ReturnAddendum(models.Model):
    """Material an agency adds after its return is locked: the return itself never changes."""

    information_return = models.ForeignKey(
        InformationReturn, on_delete=models.PROTECT, related_name="addenda"
    )
    text = models.TextField()
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "return addenda"

    def __str__(self):
        return f"Addendum to {self.information_return}"


class ReturnAttachment(models.Model):
    """A supporting document an agency sends with its information return.

    Added and removed only while the return is editable (its agency group holds the lock
    permission, ADR 4). The file is stored under a random name (cspr.uploads); the name it
    was uploaded with is kept here for display and downloads only. Removing one deletes
    the file and keeps this row, with who removed it and when.
    """

    information_return = models.ForeignKey(
        InformationReturn, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(
        storage=uploads.private_storage,
        upload_to=uploads.RandomName("returns"),
        max_length=200,
        blank=True,
    )
    original_name = models.CharField("File name", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_result = models.CharField(max_length=16, choices=uploads.ScanResult.CHOICES)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_removed(self):
        return self.removed_at is not None


class PackPdf(models.Model):
    """The whole collated pack as a PDF, kept so that a download need not wait for it: a
    pack of a thousand chronology rows takes WeasyPrint several seconds.

    `fingerprint` is the SHA-256 of the pack's HTML the PDF was made from, less the line
    saying when and by whom. A download renders that HTML again (quick) and serves this
    file only when the fingerprints agree, so a kept PDF is never out of date; otherwise
    it makes and keeps a new one (`rapid_reviews.services.pack`). A worker makes it in
    the background when a return is submitted, unlocked or added to.
    """

    rapid_review = models.OneToOneField(
        RapidReview, on_delete=models.CASCADE, related_name="pack_pdf"
    )
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(
        storage=uploads.private_storage, upload_to=uploads.RandomName("packs"), max_length=200
    )
    made_at = models.DateTimeField()

    def __str__(self):
        return f"Collated pack PDF of {self.rapid_review}"
