from django import forms

from cspr import uploads
from cspr.concurrency import VersionField
from cspr.forms import DateField, GovukForm
from cspr.models import Agency
from rapid_reviews.models import PanelOutcome, Recommendation
from rapid_reviews.services.attachments import ATTACHMENT_KINDS
from referrals.models import Circumstance, Criterion


class RequestForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Choose the agency to ask"},
    )
    due_on = DateField(
        label="Return due by", error_messages={"required": "Enter the date the return is due"}
    )
    note = forms.CharField(
        label="What the agency is asked for (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReturnForm(GovukForm):
    involvement_period = forms.CharField(
        label="Period of involvement",
        required=False,
        max_length=200,
        help_text="For example, March 2024 to October 2026.",
    )
    involvement_extent = forms.CharField(
        label="Extent of involvement", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    key_practice_episodes = forms.CharField(
        label="Key practice episodes", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    analysis = forms.CharField(
        label="Analysis against the criteria",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    immediate_actions = forms.CharField(
        label="Immediate actions already taken",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    author_name = forms.CharField(label="Author", required=False, max_length=200)
    signed_off_by = forms.CharField(
        label="Signed off by",
        required=False,
        max_length=200,
        help_text="Name and role of the senior manager.",
    )
    signed_off_on = DateField(label="Date signed off", required=False)
    version = VersionField()  # the return and its rows as the page showed them


class ChronologyRowForm(GovukForm):
    # Which of the draft's rows this is (blank for a new row), so that a save changes
    # that row and its history names it. Not trusted: the save looks it up among the
    # draft's own rows only, and anything else makes a new row.
    entry = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    date = DateField(label="Date", error_messages={"required": "Enter the date of the event"})
    date_is_approximate = forms.BooleanField(label="The date is approximate", required=False)
    source = forms.CharField(
        label="Source of information",
        max_length=300,
        error_messages={"required": "Enter the source of information"},
    )
    event = forms.CharField(
        label="Event",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe the event"},
    )
    significance = forms.CharField(
        label="Significance", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.CharField(
        label="Action taken", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_entry(self):
        value = self.cleaned_data["entry"]
        return int(value) if value.isdecimal() else None


# The page adds one empty row a save; a post claiming many more new rows than that is no
# person at a browser, and building and showing thousands of empty rows would tie the
# server up for seconds. Rows beyond the saved ones are limited to this many.
NEW_ROWS_AT_MOST = 50


class BoundedFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": "Add at most %(num)d rows at a time: save, then add more.",
        "too_few_forms": "Fill in at least %(num)d rows.",
    }


def chronology_rows(data=None, *, saved, **kwargs):
    """The chronology rows formset for a return with `saved` rows already."""
    limit = saved + NEW_ROWS_AT_MOST
    formset = forms.formset_factory(
        ChronologyRowForm,
        formset=BoundedFormSet,
        extra=1,
        can_delete=True,
        max_num=limit,
        absolute_max=limit,
        validate_max=True,
    )
    return formset(data, prefix="rows", **kwargs)


class ChronologyImportForm(GovukForm):
    # The kernel's checks (cspr.uploads): a real CSV by content as well as by name, not
    # empty, a plain file name, at most 1 MB (the parser's own limit).
    file = uploads.UploadField(
        kinds=(uploads.CSV,),
        limit=1024 * 1024,
        wrong_type="The file must be a CSV file ending in .csv",
        label="CSV file",
        help_text="First line: date, approximate, source, event, significance, action. "
        "Dates as 2026-10-01 or 01/10/2026.",
        error_messages={"required": "Choose a CSV file to import"},
    )


class AttachmentForm(GovukForm):
    file = uploads.UploadField(
        kinds=ATTACHMENT_KINDS,
        label="Upload a supporting document",
        help_text="A PDF, Word document, text or CSV file, PNG or JPEG, smaller than "
        "20 MB. Only documents your return relies on.",
        error_messages={"required": "Select a file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text.replace(
            "20 MB", uploads.size_label(uploads.max_bytes())
        )


class MeetingForm(GovukForm):
    held_on = DateField(
        label="Date of the learning meeting",
        error_messages={"required": "Enter the date of the meeting"},
    )
    attendees = forms.CharField(
        label="Attendees",
        help_text="One a line: name, role and agency.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "List who attended"},
    )
    recommendation = forms.ChoiceField(
        label="The panel's recommendation",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the panel's recommendation"},
    )
    other_review_type = forms.CharField(
        label="If another type of review, which", required=False, max_length=200
    )
    rationale = forms.CharField(
        label="Overall rationale",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the overall rationale"},
    )
    lived_experience = forms.CharField(
        label="The child's lived experience",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    equality_considerations = forms.CharField(
        label="Equality considerations",
        required=False,
        help_text="How race, disability and other protected characteristics shaped the child's "
        "experience and the practice around them.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    learning = forms.CharField(
        label="Learning identified", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parallel_processes = forms.CharField(
        label="Parallel processes",
        required=False,
        help_text="Police investigation, inquest, child death review and others.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Criterion.choices:
            self.fields[f"criterion_{value}"] = forms.CharField(
                label=f"Rationale: {label.lower()}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for value, label in Circumstance.choices:
            self.fields[f"circumstance_{value}"] = forms.CharField(
                label=f"Circumstance: {label.lower()}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def criterion_fields(self):
        return [self[f"criterion_{value}"] for value in Criterion.values]

    def circumstance_fields(self):
        return [self[f"circumstance_{value}"] for value in Circumstance.values]

    def meeting_data(self):
        data = self.cleaned_data
        fields = [
            "held_on",
            "attendees",
            "recommendation",
            "other_review_type",
            "rationale",
            "lived_experience",
            "equality_considerations",
            "learning",
            "parallel_processes",
        ]
        result = {name: data[name] for name in fields}
        result["criteria_rationale"] = {v: data[f"criterion_{v}"] for v in Criterion.values}
        result["circumstances_rationale"] = {
            v: data[f"circumstance_{v}"] for v in Circumstance.values
        }
        return result


class ActionRowForm(GovukForm):
    description = forms.CharField(
        label="Immediate action", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="None"
    )


class FamilyForm(GovukForm):
    informed_on = DateField(
        label="Date the family was informed", error_messages={"required": "Enter the date"}
    )
    informed_by = forms.CharField(
        label="Who informed them",
        max_length=200,
        help_text="Name and role, guided by the lead professional.",
        error_messages={"required": "Enter who informed the family"},
    )
    method = forms.CharField(
        label="How", max_length=200, error_messages={"required": "Say how they were informed"}
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportSentForm(GovukForm):
    sent_on = DateField(
        label="Date the report was sent to the Panel",
        error_messages={"required": "Enter the date the report was sent"},
    )


class PanelResponseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="The Panel's response",
        choices=PanelOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Panel's response"},
    )
    letter_date = DateField(
        label="Date of the letter", error_messages={"required": "Enter the letter's date"}
    )
    received_on = DateField(
        label="Date received", error_messages={"required": "Enter the date it was received"}
    )
    information_due_on = DateField(label="If it asks for more information, by when", required=False)
    text = forms.CharField(
        label="The letter's text",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the text of the Panel's letter"},
    )


class DisseminationForm(GovukForm):
    recipient = forms.CharField(
        label="Who receives the report",
        max_length=300,
        help_text="Name, role and organisation.",
        error_messages={"required": "Enter who receives the report"},
    )
    reason = forms.CharField(
        label="Why it is shared more widely",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason for sharing it more widely"},
    )


class BriefingForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(
        label="The briefing",
        error_messages={"required": "Write the briefing"},
        help_text="Anonymised: use the case name, never the child's or family's names.",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    version = VersionField()  # the briefing as the page showed it (cspr.concurrency)
