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
