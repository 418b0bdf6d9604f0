"""Referral forms. A draft may be saved half-filled; the submit service says what is missing."""

from django import forms

from cspr.concurrency import VersionField
from cspr.forms import DateField, GovukForm
from cspr.models import Agency, Case, Sex
from referrals.models import Circumstance, Criterion, Decision, Nature, Urgency


class ReferralForm(GovukForm):
    # The child (kept in the restricted record)
    given_names = forms.CharField(label="Child's given names", required=False, max_length=200)
    family_name = forms.CharField(label="Child's family name", required=False, max_length=200)
    date_of_birth = DateField(label="Child's date of birth", required=False)
    sex = forms.ChoiceField(label="Child's sex", choices=Sex.choices, initial=Sex.NOT_KNOWN)
    address = forms.CharField(
        label="Child's address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Who is referring
    referring_agency = forms.ModelChoiceField(
        label="Referring agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="None: an individual",
    )
    referrer_name = forms.CharField(
        label="Name of the person referring",
        required=False,
        max_length=200,
        help_text="Needed when an individual, not an agency, refers.",
    )
    referrer_role = forms.CharField(label="Their role", required=False, max_length=200)
    referrer_contact = forms.CharField(label="How to contact them", required=False, max_length=300)
    # The incident
    incident_date = DateField(label="Date of the incident", required=False)
    nature = forms.ChoiceField(
        label="What happened", choices=Nature.choices, widget=forms.RadioSelect, required=False
    )
    abuse_or_neglect = forms.BooleanField(
        label="Abuse or neglect is known or suspected", required=False
    )
    looked_after = forms.BooleanField(label="The child is looked after", required=False)
    care_leaver = forms.BooleanField(
        label="The young person is a care leaver (up to 25)",
        required=False,
        help_text="A looked-after child's or care leaver's death is always notified to the "
        "Panel, whether or not abuse or neglect is known or suspected.",
    )
    agencies_involved = forms.ModelMultipleChoiceField(
        label="Agencies known to be involved",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_agencies = forms.CharField(
        label="Other agencies involved",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Agencies outside the partnership, or not in the list.",
    )
    case_outline = forms.CharField(
        label="Outline of the case", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    criteria = forms.MultipleChoiceField(
        label="Which criteria do you think are met?",
        choices=Criterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    circumstances = forms.MultipleChoiceField(
        label="Which other circumstances apply?",
        choices=Circumstance.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(
        label="Urgency", choices=Urgency.choices, widget=forms.RadioSelect, initial=Urgency.ROUTINE
    )
    media_interest = forms.BooleanField(label="There is media interest", required=False)
    media_details = forms.CharField(
        label="Media interest details", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()  # the referral as the page showed it (cspr.concurrency)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(partnership=partnership, is_active=True)
        self.fields["referring_agency"].queryset = agencies
        self.fields["agencies_involved"].queryset = agencies


class TriageForm(GovukForm):
    case = forms.ModelChoiceField(
        label="Attach to an existing case",
        queryset=Case.objects.none(),
        required=False,
        empty_label="No: open a new case",
    )
    pseudonym = forms.CharField(
        label="Name for a new case",
        required=False,
        max_length=60,
        help_text='The pseudonym used everywhere but the child\'s record, such as "Child Q".',
    )
    note = forms.CharField(
        label="Triage note for the sub-group",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a triage note for the sub-group"},
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="The sub-group's decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the sub-group's decision"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the rationale for the decision"},
    )


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is the referral withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the referral is withdrawn"},
    )


class AwareForm(GovukForm):
    date_aware = DateField(
        label="Date the local authority became aware of the incident",
        error_messages={"required": "Enter the date the local authority became aware"},
    )


class SentForm(GovukForm):
    sent_on = DateField(
        label="Date the notification was sent to the Panel",
        error_messages={"required": "Enter the date the notification was sent"},
    )
    panel_reference = forms.CharField(
        label="Panel reference",
        max_length=60,
        error_messages={"required": "Enter the Panel's reference"},
    )
    notified_by = forms.CharField(
        label="Who notified",
        max_length=200,
        help_text="Name and role at the local authority.",
        error_messages={"required": "Enter who notified the Panel"},
    )
    partnership_told_on = DateField(label="Date the partnership was told", required=False)
    late_reason = forms.CharField(
        label="If it was late, why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
