"""Forms for themes on cases, the equality analysis and learning events. Forms check
shape; the services check the rules (who, which partnership, attendance once held)."""

from django import forms

from actions.models import Theme
from cspr.concurrency import VersionField
from cspr.forms import DateField, GovukForm
from cspr.models import Case


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CaseThemesForm(GovukForm):
    themes = ThemeChoiceField(
        label="Themes",
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every theme the case's learning touches on; untick one to remove it.",
        error_messages={
            "invalid_choice": "Choose themes from the list",
            "invalid_pk_value": "Choose themes from the list",
        },
    )


class PeriodForm(GovukForm):
    """A financial year by its first calendar year, or every year."""

    ALL = "all"
    period = forms.ChoiceField(label="Period", required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [*years, (self.ALL, "All time")]


class CaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.pseudonym


class LearningEventForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the event's title"}
    )
    held_on = DateField(label="Date", error_messages={"required": "Enter the date of the event"})
    audience = forms.CharField(
        label="Who it is for",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, designated safeguarding leads in schools and GP practices.",
        error_messages={"required": "Say who the event is for"},
    )
    attendance = forms.IntegerField(
        label="How many attended (once it has been held)",
        required=False,
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number who attended, like 45",
            "min_value": "Enter the number who attended, like 45",
            "max_value": "Enter the number who attended, like 45",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    cases = CaseChoiceField(
        label="Cases whose learning was shared",
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose only your partnership's cases",
            "invalid_pk_value": "Choose only your partnership's cases",
        },
    )
    version = VersionField()

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
