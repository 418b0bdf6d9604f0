"""Forms for local review pages. Forms check shape; services check the rules."""

from django import forms

from cspr import uploads
from cspr.concurrency import VersionField
from cspr.forms import DateField, GovukForm
from cspr.models import Agency, Case, Role, User
from reviews.models import (
    COMMITMENTS,
    Consent,
    EngagementKind,
    GroupKind,
    LetterKind,
    Methodology,
    ProcessKind,
    QADecision,
    QAPoint,
    Rating,
    RequestKind,
)
from reviews.services.report import DRAFT_KINDS

YES_NO = [("yes", "Yes"), ("no", "No")]


def text_field(label, *, required=True, rows=3, message=None, help_text="", max_length=None):
    kwargs = {"label": label, "required": required, "help_text": help_text}
    if max_length:
        kwargs["max_length"] = max_length
    else:
        kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
    if message:
        kwargs["error_messages"] = {"required": message}
    return forms.CharField(**kwargs)


def radios(label, choices, message, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message},
        **kwargs,
    )


def agencies_of(partnership):
    return Agency.objects.filter(partnership=partnership, is_active=True)


# ----------------------------------------------------------------------- the reviewer


class AppointmentForm(GovukForm):
    reviewer = forms.ModelChoiceField(
        label="Independent reviewer",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the reviewer"},
    )
    appointed_on = DateField(
        label="Date of appointment", error_messages={"required": "Enter the date of appointment"}
    )
    knowledge_and_engagement = text_field(
        "Knowledge of reviews, and ability to engage practitioners, children and families",
        message="Record how the reviewer meets this consideration",
    )
    research_knowledge = text_field(
        "Knowledge of research on safeguarding children",
        message="Record how the reviewer meets this consideration",
    )
    complex_circumstances = text_field(
        "Grasp of the complex circumstances in which practitioners work together",
        message="Record how the reviewer meets this consideration",
    )
    communicating_findings = text_field(
        "Ability to communicate findings",
        message="Record how the reviewer meets this consideration",
    )
    conflict_declared = radios(
        "Has the reviewer any real or perceived conflict of interest?",
        YES_NO,
        "Say whether there is a conflict of interest",
    )
    conflict_details = text_field("If yes, the conflict declared", required=False)
    conflict_decision = text_field(
        "If yes, the appointing group's decision and why",
        required=False,
        help_text="For example, why it does not stop the appointment, and what safeguards apply.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            partnership=partnership,
            is_active=True,
            groups__name=Role.group_name(Role.INDEPENDENT_REVIEWER),
        ).order_by("last_name", "first_name")

    def considerations(self):
        from reviews.services.appointment import CONSIDERATIONS

        return {name: self.cleaned_data[name] for name in CONSIDERATIONS}

    def conflict(self):
        data = self.cleaned_data
        return {
            "declared": data["conflict_declared"] == "yes",
            "details": data["conflict_details"],
            "decision": data["conflict_decision"],
        }


class ReviewerAccountForm(GovukForm):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter the last name"}
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="They are sent a link to choose a password; it works for an hour.",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address like name@example.org",
        },
    )


class AppointmentEndForm(GovukForm):
    ended_on = DateField(label="Date it ends", error_messages={"required": "Enter the date"})
    reason = text_field("Why it ends", message="Say why the appointment ends", rows=2)


# ------------------------------------------------------------------ terms and methodology


class TermsForm(GovukForm):
    period_from = DateField(label="The review looks at the period from", required=False)
    period_to = DateField(label="to", required=False)
    key_lines_of_enquiry = text_field(
        "Research questions and key lines of enquiry",
        rows=8,
        message="Enter the research questions or key lines of enquiry",
    )
    scope = text_field("Scope: agencies and matters in and out", required=False, rows=4)
    equality_considerations = text_field(
        "Equality and human rights",
        required=False,
        rows=3,
        help_text="How race, disability and other protected characteristics will be considered.",
    )
    change_note = forms.CharField(
        label="What this version changes (optional)", required=False, max_length=300
    )
    version = VersionField()


class MethodologyForm(GovukForm):
    methodology = radios("Methodology", Methodology.choices, "Choose the methodology")
    methodology_detail = text_field(
        "How the approach works",
        required=False,
        help_text="Needed for a bespoke or hybrid approach.",
    )
    family_engagement = text_field(COMMITMENTS["family_engagement"], required=False)
    practitioner_engagement = text_field(COMMITMENTS["practitioner_engagement"], required=False)
    systems_approach = text_field(COMMITMENTS["systems_approach"], required=False)
    quality_markers = text_field(COMMITMENTS["quality_markers"], required=False)
    joint_review_note = text_field(
        "How the methodology meets the other review's requirements too",
        required=False,
        help_text="For a joint review with a domestic homicide or safeguarding adult review.",
    )
    version = VersionField()


class ChronologyTemplateForm(GovukForm):
    chronology_from = DateField(label="The chronology starts on", required=False)
    chronology_to = DateField(label="and ends on", required=False)
    chronology_guidance = text_field("Guidance for agencies", required=False, rows=4)
    version = VersionField()


# ------------------------------------------------------------------------ groups and family


class GroupMemberForm(GovukForm):
    group = radios("Group", GroupKind.choices, "Choose the group")
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the person's name"}
    )
    role = forms.CharField(
        label="Role", max_length=200, error_messages={"required": "Enter their role"}
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Choose their agency"},
    )
    seniority = forms.CharField(
        label="Seniority (review group)",
        required=False,
        max_length=200,
        help_text='For example "Head of service".',
    )
    involvement = text_field(
        "Their work with the child and family (practitioner group)", required=False
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_of(partnership)


class FamilyEngagementForm(GovukForm):
    kind = radios("What happened", EngagementKind.choices, "Choose what happened")
    on = DateField(label="Date", error_messages={"required": "Enter the date"})
    family_member = forms.CharField(
        label="Family member (optional)",
        required=False,
        max_length=200,
        help_text='For example "Mother".',
    )
    by_whom = forms.CharField(label="Who made contact (optional)", required=False, max_length=200)
    summary = text_field(
        "Summary",
        help_text="If the family is not contacted yet, say why (on police advice, say).",
        message="Summarise what happened",
    )
    consent = forms.ChoiceField(
        label="Consent to publish",
        required=False,
        choices=[("", "Not asked here"), *Consent.choices],
    )


# ----------------------------------------------------------------------- start and letters


class StartForm(GovukForm):
    started_on = DateField(
        label="Date the review started", error_messages={"required": "Enter the start date"}
    )
    monitoring_interval_weeks = forms.IntegerField(
        label="Weeks between monitoring checkpoints",
        initial=4,
        min_value=1,
        max_value=26,
        error_messages={
            "required": "Enter a number of weeks",
            "invalid": "Enter a whole number of weeks",
            "min_value": "Enter a number of weeks from 1 to 26",
            "max_value": "Enter a number of weeks from 1 to 26",
        },
    )


class LetterForm(GovukForm):
    kind = radios("Who the letter is to", LetterKind.choices, "Choose who the letter is to")
    agency = forms.ModelChoiceField(
        label="The agency (for a key agency)", queryset=Agency.objects.none(), required=False
    )
    addressee = forms.CharField(
        label="Addressed to",
        max_length=200,
        help_text='Name and role, for example "Sam Fictional, Designated Safeguarding Lead".',
        error_messages={"required": "Enter who the letter is addressed to"},
    )
    organisation = forms.CharField(label="Organisation (optional)", required=False, max_length=200)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_of(partnership)


class SentOnForm(GovukForm):
    sent_on = DateField(
        label="Date sent", error_messages={"required": "Enter the date it was sent"}
    )


# -------------------------------------------------------------------------------- monitoring


class CheckpointForm(GovukForm):
    held_on = DateField(
        label="Date of the checkpoint", error_messages={"required": "Enter the date"}
    )
    time_rating = radios("Time", Rating.choices, "Rate the review's time")
    time_comment = text_field("On time", message="Comment on the review's time", rows=2)
    quality_rating = radios("Quality", Rating.choices, "Rate the review's quality")
    quality_comment = text_field("On quality", message="Comment on the review's quality", rows=2)
    actions = text_field("Actions agreed (optional)", required=False, rows=2)


class ReviewerRequestForm(GovukForm):
    kind = radios("Asking for", RequestKind.choices, "Choose what is asked for")
    text = text_field("The request", message="Write the request", rows=4)
    due_on = DateField(label="Reply due by", error_messages={"required": "Enter the date"})


class RequestAnswerForm(GovukForm):
    answered_on = DateField(
        label="Date of the reply", error_messages={"required": "Enter the date"}
    )
    answer = text_field("The reply", message="Enter the reply", rows=4)


# ------------------------------------------------------------------------ parallel processes


class ParallelProcessForm(GovukForm):
    kind = forms.ChoiceField(
        label="Process",
        choices=[("", "Choose"), *ProcessKind.choices],
        error_messages={"required": "Choose the kind of process"},
    )
    description = forms.CharField(
        label="For another process, what it is", required=False, max_length=200
    )
    lead_body = forms.CharField(
        label="Who leads it",
        max_length=200,
        help_text="For example the police force, HM Coroner, the community safety partnership.",
        error_messages={"required": "Enter who leads it"},
    )
    reference = forms.CharField(label="Reference (optional)", required=False, max_length=100)
    victim_aged_16_or_over = forms.BooleanField(
        label="The victim was 16 or over (a domestic homicide review)", required=False
    )
    referred_on = DateField(
        label="Date referred (a domestic homicide or adult review)", required=False
    )
    referred_to = forms.CharField(label="Referred to", required=False, max_length=200)
    is_joint_review = forms.BooleanField(label="Reviewed jointly with this review", required=False)
    linked_case = forms.ModelChoiceField(
        label="The other review's case here, if there is one",
        queryset=Case.objects.none(),
        required=False,
    )
    notes = text_field("Notes (optional)", required=False, rows=2)

    def __init__(self, *args, case, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked_case"].queryset = cases.exclude(pk=case.pk)


class ConcludeForm(GovukForm):
    concluded_on = DateField(
        label="Date it concluded", error_messages={"required": "Enter the date"}
    )
    outcome = text_field("Outcome", message="Enter the outcome", rows=2)


# ------------------------------------------------------------------------------------ report


class DraftUploadForm(GovukForm):
    file = uploads.UploadField(
        kinds=DRAFT_KINDS,
        label="The report",
        help_text="A PDF or Word document, smaller than 20 MB.",
        error_messages={"required": "Select the report to upload"},
    )
    note = text_field("What this version changes (optional)", required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text.replace(
            "20 MB", uploads.size_label(uploads.max_bytes())
        )


class QualityAssuranceForm(GovukForm):
    decision = radios("Decision", QADecision.choices, "Choose the decision")
    note = text_field(
        "Note to the reviewer",
        required=False,
        rows=3,
        help_text="Needed when it goes back: what needs to change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for point, label in QAPoint.choices:
            fields[f"{point}_met"] = radios(label, YES_NO, "Say whether this is met")
            fields[f"{point}_comment"] = text_field(
                "Comment", message="Add a comment on this point", rows=2
            )
        self.fields = {**fields, **self.fields}

    def points(self):
        """[(met field, comment field)] in the protocol's order, for the template."""
        return [(self[f"{p}_met"], self[f"{p}_comment"]) for p in QAPoint.values]

    def answers(self):
        data = self.cleaned_data
        return {
            point: {"met": data[f"{point}_met"] == "yes", "comment": data[f"{point}_comment"]}
            for point in QAPoint.values
        }


class ReasonForm(GovukForm):
    reason = text_field("Reason", message="Give the reason", rows=3)


# ------------------------------------------------------------------------------- publication


class PublicationPlanForm(GovukForm):
    planned_on = DateField(
        label="Planned publication date",
        help_text="The final copy must reach the Panel and the Secretary of State 7 working "
        "days before.",
        error_messages={"required": "Enter the planned publication date"},
    )
    legal_advice_taken = forms.BooleanField(label="Legal advice was taken", required=False)
    legal_advice_on = DateField(label="Date of the legal advice", required=False)
    legal_advice = text_field("What the legal advice was", required=False, rows=2)
    communications_advice = text_field("Communications advice", required=False, rows=2)
    wider_agencies_informed = text_field(
        "Wider agencies informed of the plan", required=False, rows=2
    )
    impact_on_family = text_field("Impact on the child's family", required=False, rows=2)
    impact_on_practitioners = text_field("Impact on practitioners", required=False, rows=2)
    impact_on_others = text_field("Impact on others closely affected", required=False, rows=2)
    family_named_contact = forms.CharField(
        label="The family's named contact",
        required=False,
        max_length=200,
        help_text="Usually the Business Manager.",
    )
    version = VersionField()


class FinalCopyForm(GovukForm):
    panel_sent_on = DateField(label="Sent to the Panel", required=False)
    secretary_of_state_sent_on = DateField(label="Sent to the Secretary of State", required=False)


class PublishForm(GovukForm):
    published_on = DateField(
        label="Date published", error_messages={"required": "Enter the date it was published"}
    )
    address = forms.URLField(
        label="Web address",
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": "Enter the web address where it is published",
            "invalid": "Enter a web address like https://www.example.org/reviews/child-q",
        },
    )
    nspcc_sent_on = DateField(label="Sent to the NSPCC repository (optional)", required=False)


class NationalReviewForm(GovukForm):
    panel_reference = forms.CharField(label="The Panel's reference", required=False, max_length=100)
    title = forms.CharField(label="Title, if thematic", required=False, max_length=200)
    panel_contact = forms.CharField(label="The Panel's contact", required=False, max_length=200)
    local_lead = forms.CharField(
        label="Local lead", max_length=200, error_messages={"required": "Enter the local lead"}
    )
    partnership_part = text_field(
        "The partnership's part in it",
        rows=5,
        help_text="What the partnership and its agencies provide, and who takes part.",
        message="Describe the partnership's part in the review",
    )
    status = radios(
        "Status",
        [("under_way", "Under way"), ("published", "Published")],
        "Choose the status",
    )
    published_on = DateField(label="Date published", required=False)
    publication_address = forms.URLField(
        label="Web address", required=False, max_length=500, assume_scheme="https"
    )
    version = VersionField()
