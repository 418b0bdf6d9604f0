"""The case spine: a case, its restricted child record and its timeline."""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cspr.models.tenancy import Partnership


class Stage(models.TextChoices):
    REFERRAL = "referral", "Referral"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    PANEL_RESPONSE = "panel_response", "Awaiting the Panel's response"
    LOCAL_REVIEW = "local_review", "Local review"
    NATIONAL_REVIEW = "national_review", "National review"
    LEARNING = "learning", "Learning and actions"
    CLOSED = "closed", "Closed"


OPEN_STAGES = [stage for stage in Stage if stage != Stage.CLOSED]

# The moves a case's stage allows. A case may close from any open stage
# (no further action, or the Panel agrees no review); reopening is a move back.
ALLOWED_STAGE_MOVES = {
    Stage.REFERRAL: {Stage.RAPID_REVIEW, Stage.CLOSED},
    Stage.RAPID_REVIEW: {Stage.PANEL_RESPONSE, Stage.CLOSED},
    Stage.PANEL_RESPONSE: {
        Stage.RAPID_REVIEW,
        Stage.LOCAL_REVIEW,
        Stage.NATIONAL_REVIEW,
        Stage.LEARNING,
        Stage.CLOSED,
    },
    Stage.LOCAL_REVIEW: {Stage.LEARNING, Stage.CLOSED},
    Stage.NATIONAL_REVIEW: {Stage.LEARNING, Stage.CLOSED},
    Stage.LEARNING: {Stage.CLOSED},
    Stage.CLOSED: {Stage.REFERRAL},
}


class Case(models.Model):
    """One child's case. Everywhere but the child record it is known by its pseudonym."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    pseudonym = models.CharField(max_length=60, help_text='For example "Child Q".')
    stage = models.CharField(max_length=32, choices=Stage.choices, default=Stage.REFERRAL)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A legal hold keeps the case (and everything on it) past its retention period.
    # Set and cleared by the business unit through cspr.services.retention.
    legal_hold = models.BooleanField(default=False, editable=False)
    legal_hold_reason = models.TextField(blank=True, editable=False)
    legal_hold_at = models.DateTimeField(null=True, blank=True, editable=False)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_child", "Can see the child's identifying details")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "pseudonym"], name="case_unique_pseudonym"
            )
        ]
        indexes = [models.Index(fields=["partnership", "stage"])]

    def __str__(self):
        return self.pseudonym

    @property
    def is_open(self):
        return self.stage != Stage.CLOSED


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class EthnicGroup(models.TextChoices):
    """The high-level ethnic groups of the 2021 census for England and Wales, so that
    learning themes can be analysed across cases (R12); the detail stays in `ethnicity`."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class Disabled(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class ChildRecord(models.Model):
    """The child's identifying details, kept apart from the case so that only the
    people who need them (see cspr.access) can read them."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="child")
    given_names = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnic_group = models.CharField(
        max_length=16, choices=EthnicGroup.choices, default=EthnicGroup.NOT_KNOWN
    )
    ethnicity = models.CharField(max_length=120, blank=True)
    disabled = models.CharField(
        "Disabled", max_length=16, choices=Disabled.choices, default=Disabled.NOT_KNOWN
    )
    disability = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField("NHS number", max_length=12, blank=True)
    local_authority_reference = models.CharField(max_length=60, blank=True)
    address = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.given_names} {self.family_name}"


class EventKind(models.TextChoices):
    CASE_OPENED = "case_opened", "Case opened"
    STAGE_CHANGED = "stage_changed", "Stage changed"
    CHILD_RECORD_CHANGED = "child_record_changed", "Child's details changed"
    ACCESS_GRANTED = "access_granted", "Access granted"
    ACCESS_REVOKED = "access_revoked", "Access removed"
    DEADLINE_SET = "deadline_set", "Deadline set"
    DEADLINE_MET = "deadline_met", "Deadline met"
    DEADLINE_MISSED = "deadline_missed", "Deadline missed"
    DEADLINE_PAUSED = "deadline_paused", "Deadline paused"
    DEADLINE_RESUMED = "deadline_resumed", "Deadline resumed"
    DEADLINE_EXTENDED = "deadline_extended", "Deadline extended"
    DEADLINE_WAIVED = "deadline_waived", "Deadline waived"
    DEADLINE_RECOMPUTED = "deadline_recomputed", "Deadline moved by a calendar change"
    DEADLINE_REANCHORED = "deadline_reanchored", "Deadline moved with the date it counts from"
    REFERRAL_RECEIVED = "referral_received", "Referral received"
    REFERRAL_DECIDED = "referral_decided", "Referral decided"
    REFERRAL_WITHDRAWN = "referral_withdrawn", "Referral withdrawn"
    NOTIFICATION_AWARE = "notification_aware", "Local authority aware of the incident"
    NOTIFICATION_SENT = "notification_sent", "Notification sent to the Panel"
    RAPID_REVIEW_OPENED = "rapid_review_opened", "Rapid review opened"
    INFORMATION_REQUESTED = "information_requested", "Information requested from an agency"
    RECORDS_SECURED = "records_secured", "Agency confirmed its records are secured"
    RETURN_SUBMITTED = "return_submitted", "Information return submitted"
    RETURN_UNLOCKED = "return_unlocked", "Information return unlocked"
    RETURN_ADDENDUM = "return_addendum", "Addendum added to an information return"
    MEETING_RECORDED = "meeting_recorded", "Learning meeting recorded"
    RECOMMENDATION_APPROVED = "recommendation_approved", "Recommendation approved by the chair"
    PARTNER_SIGNED_OFF = "partner_signed_off", "Safeguarding partner signed off"
    FAMILY_INFORMED = "family_informed", "Family informed"
    REPORT_SENT = "report_sent", "Rapid review report sent to the Panel"
    PANEL_RESPONDED = "panel_responded", "Panel's response recorded"
    REPORT_CIRCULATED = "report_circulated", "Rapid review report circulated"
    BRIEFING_PUBLISHED = "briefing_published", "Learning briefing published"
    LOCAL_REVIEW_COMMISSIONED = "local_review_commissioned", "Local review commissioned"
    REVIEWER_APPOINTED = "reviewer_appointed", "Independent reviewer appointed"
    REVIEWER_APPOINTMENT_ENDED = "reviewer_appointment_ended", "Reviewer's appointment ended"
    TERMS_DRAFTED = "terms_drafted", "Terms of reference drafted"
    TERMS_AGREED = "terms_agreed", "Terms of reference agreed"
    METHODOLOGY_AGREED = "methodology_agreed", "Methodology agreed"
    GROUP_CHANGED = "group_changed", "Review or practitioner group changed"
    FAMILY_ENGAGEMENT = "family_engagement", "Family engagement recorded"
    CHRONOLOGY_TEMPLATE_AGREED = "chronology_template_agreed", "Chronology template agreed"
    LOCAL_REVIEW_STARTED = "local_review_started", "Local review started"
    LETTER_SENT = "letter_sent", "Letter sent"
    CHECKPOINT_RECORDED = "checkpoint_recorded", "Monitoring checkpoint recorded"
    REVIEWER_REQUESTED = "reviewer_requested", "Written request to the reviewer"
    REVIEWER_REPLIED = "reviewer_replied", "The reviewer replied"
    PARALLEL_PROCESS = "parallel_process", "Parallel process recorded"
    DRAFT_UPLOADED = "draft_uploaded", "Report draft uploaded"
    QUALITY_ASSURED = "quality_assured", "Report quality assured"
    REPORT_APPROVED = "report_approved", "Final report approved"
    REPORT_RETURNED = "report_returned", "Report sent back to the reviewer"
    PUBLICATION_PLANNED = "publication_planned", "Publication planned"
    PUBLICATION_OVERRIDE = "publication_override", "Publication despite open processes agreed"
    FINAL_COPY_SENT = "final_copy_sent", "Final report sent to the Panel and Secretary of State"
    REVIEW_PUBLISHED = "review_published", "Local review published"
    REVIEW_NOT_PUBLISHED = "review_not_published", "Decision not to publish"
    NATIONAL_REVIEW = "national_review", "National review recorded"
    ACTION_PLAN_OPENED = "action_plan_opened", "Action plan opened"
    ACTION_ADDED = "action_added", "Action added"
    ACTION_CHANGED = "action_changed", "Action changed"
    ACTION_PROGRESS = "action_progress", "Progress on an action"
    ACTION_COMPLETED = "action_completed", "Action complete"
    ACTION_IMPACT_ASSURED = "action_impact_assured", "Action's impact assured"
    EVIDENCE_ADDED = "evidence_added", "Evidence added to an action"
    EVIDENCE_REMOVED = "evidence_removed", "Evidence removed from an action"
    BARRIER_RAISED = "barrier_raised", "Barrier raised and escalated to the executive"
    BARRIER_RESPONDED = "barrier_responded", "Executive responded to a barrier"
    BARRIER_CLOSED = "barrier_closed", "Barrier closed"
    THEMES_CHANGED = "themes_changed", "Learning themes changed"
    LEARNING_SHARED = "learning_shared", "Learning shared at a learning event"
    LEGAL_HOLD_SET = "legal_hold_set", "Legal hold set"
    LEGAL_HOLD_CLEARED = "legal_hold_cleared", "Legal hold cleared"


class CaseEvent(models.Model):
    """One row per state change: who did what to the case, when. Append-only;
    it feeds the case timeline and the PDFs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]

    def __str__(self):
        return self.summary


# django-guardian object permissions in direct foreign-key tables, so that access
# checks and list filters join on an indexed integer, not a text object id.
class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
