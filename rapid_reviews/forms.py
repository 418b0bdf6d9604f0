from django import forms

from cspr.forms import DateField, GovukForm
from cspr.models import Agency


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


class ChronologyRowForm(GovukForm):
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


ChronologyFormSet = forms.formset_factory(ChronologyRowForm, extra=1, can_delete=True)


class ChronologyImportForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text="First line: date, approximate, source, event, significance, action. "
        "Dates as 2026-10-01 or 01/10/2026.",
        error_messages={"required": "Choose a CSV file to import"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file ending in .csv")
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        return upload
