"""Forms for the kernel's pages. Forms check shape; services check the rules."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from cspr.concurrency import VersionField
from cspr.models import ChildRecord, Stage


class GovukForm(forms.Form):
    """Server-side validation only, so every error shows in the GOV.UK error summary."""

    use_required_attribute = False


class DateField(forms.DateField):
    """A real day between 1900 and 2100. Deadlines are counted in working days from the
    dates people enter: a day at the edge of the calendar (year 1 or 9999) has no room
    to count in, and is never what anyone meant."""

    EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {
        "invalid": "Enter a real date, for example 27 3 2026.",
        "out_of_range": "Enter a date between 1900 and 2100",
    }

    def validate(self, value):
        super().validate(value)
        if value and not (self.EARLIEST <= value <= self.LATEST):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")


class SignInForm(AuthenticationForm):
    use_required_attribute = False
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class CaseFilterForm(GovukForm):
    DEADLINE_CHOICES = [
        ("", "Any"),
        ("overdue", "Has an overdue deadline"),
        ("soon", "Has a deadline in the next 10 working days"),
    ]
    q = forms.CharField(label="Case name", required=False, max_length=60)
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices]
    )
    deadline = forms.ChoiceField(label="Deadlines", required=False, choices=DEADLINE_CHOICES)


CHILD_FIELDS = [
    "given_names",
    "family_name",
    "date_of_birth",
    "sex",
    "ethnic_group",
    "ethnicity",
    "disabled",
    "disability",
    "nhs_number",
    "local_authority_reference",
    "address",
]


class ChildRecordForm(forms.ModelForm):
    """The child's restricted record, with the protected characteristics (R12) that let
    themes be analysed across cases: the ethnic group and whether the child is disabled as
    choices to count by, each with the free-text detail in the family's own terms."""

    use_required_attribute = False
    version = VersionField()  # the record as the page showed it (cspr.concurrency)

    class Meta:
        model = ChildRecord
        fields = CHILD_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ethnic_group": forms.RadioSelect,
            "disabled": forms.RadioSelect,
        }
        field_classes = {"date_of_birth": DateField}
        labels = {
            "ethnic_group": "Ethnic group",
            "ethnicity": "Ethnicity in more detail (optional)",
            "disabled": "Is the child disabled?",
            "disability": "Disability in more detail (optional)",
        }
        help_texts = {
            "ethnic_group": "The census groups for England and Wales, as the family describe it.",
            "ethnicity": "For example, White Irish, or Black Caribbean.",
            "disability": "For example, a learning disability or a long-term condition.",
        }
        error_messages = {
            "given_names": {"required": "Enter the child's given names"},
            "family_name": {"required": "Enter the child's family name"},
            "date_of_birth": {"invalid": "Enter a real date of birth"},
            "ethnic_group": {"invalid_choice": "Choose the child's ethnic group from the list"},
            "disabled": {"invalid_choice": "Choose whether the child is disabled"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not answered keeps what is recorded ("Not known" for a new record), so a post
        # from an older page never wipes a characteristic someone recorded.
        for name in ("ethnic_group", "disabled"):
            self.fields[name].required = False

    def _kept(self, name):
        return self.cleaned_data[name] or getattr(self.instance, name)

    def clean_ethnic_group(self):
        return self._kept("ethnic_group")

    def clean_disabled(self):
        return self._kept("disabled")

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"].replace(" ", "")
        if value and (not value.isdigit() or len(value) != 10):
            raise forms.ValidationError("Enter an NHS number of 10 digits, like 485 777 3456")
        return value


class CaseOpenForm(ChildRecordForm):
    pseudonym = forms.CharField(
        label="Case name",
        max_length=60,
        help_text='The pseudonym used everywhere but the child\'s record, such as "Child Q".',
        error_messages={"required": "Enter a case name, such as Child Q"},
    )
    version = None  # a new case has no earlier version

    field_order = ["pseudonym", *CHILD_FIELDS]


class DoneForm(GovukForm):
    on = DateField(
        label="Date it was done", error_messages={"required": "Enter the date it was done"}
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()  # the deadline as the page showed it (cspr.concurrency)


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )


class LegalHoldForm(ReasonForm):
    """The page says which way it goes, so a hold someone else set (or cleared) meanwhile
    is never undone by a click meant to do the same."""

    hold = forms.ChoiceField(
        choices=[("", "As the case stands"), ("set", "Set it"), ("clear", "Clear it")],
        required=False,  # a post without it (a script) goes by the case as it stands
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Open the legal hold page again"},
    )


class PauseForm(ReasonForm):
    on = DateField(
        label="Paused from", error_messages={"required": "Enter the date it paused from"}
    )
    version = VersionField()
    field_order = ["on", "reason"]


class ResumeForm(GovukForm):
    on = DateField(label="Resumed on", error_messages={"required": "Enter the date it resumed"})
    version = VersionField()


class ExtendForm(ReasonForm):
    due_on = DateField(label="New due date", error_messages={"required": "Enter the new due date"})
    version = VersionField()
    field_order = ["due_on", "reason"]


class WaiveForm(ReasonForm):
    version = VersionField()


class CalendarDayForm(GovukForm):
    day = DateField(label="Date", error_messages={"required": "Enter the date"})
    is_working = forms.TypedChoiceField(
        label="This day is",
        choices=[("false", "Not a working day (a holiday)"), ("true", "A working day")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the day is a working day"},
    )
    title = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, the name of the bank holiday.",
        error_messages={"required": "Enter a name for the day"},
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the change"},
    )


class CalendarUndoForm(GovukForm):
    reason = forms.CharField(
        label="Reason for undoing the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason for undoing the change"},
    )
