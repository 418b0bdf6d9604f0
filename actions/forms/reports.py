"""The reports' choices: a GET form each, checked on the server so a bad value shows in
the GOV.UK error summary."""

import datetime

from django import forms
from django.utils import timezone

from actions.reports import YearKind, current_period
from cspr.forms import DateField, GovukForm

EARLIEST_YEAR = 2000


class ExceptionReportForm(GovukForm):
    as_at = DateField(
        label="As at",
        required=False,
        help_text=(
            "Leave empty for today, or give the date of the oversight group's meeting. "
            "Actions are shown as they stand now, so the date cannot be in the past."
        ),
    )

    def clean_as_at(self):
        today = timezone.localdate()
        as_at = self.cleaned_data.get("as_at") or today
        if as_at < today:
            raise forms.ValidationError("The date must be today or later")
        if as_at > today + datetime.timedelta(days=366):
            raise forms.ValidationError("The date must be within a year from today")
        return as_at


class AnnualReportForm(GovukForm):
    year = forms.IntegerField(
        label="Year",
        required=False,
        help_text="The year it starts in, for example 2026 for April 2026 to March 2027.",
        error_messages={"invalid": "Enter the year as a number, for example 2026"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(
        label="Kind of year",
        required=False,
        choices=YearKind.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a financial year or a calendar year"},
    )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or YearKind.FINANCIAL

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is None:
            return None
        latest = timezone.localdate().year
        if not EARLIEST_YEAR <= year <= latest:
            raise forms.ValidationError(f"Enter a year from {EARLIEST_YEAR} to {latest}")
        return year

    def period(self):
        """The chosen period (a valid form); the current financial year by default."""
        from actions.reports import Period

        year, kind = self.cleaned_data["year"], self.cleaned_data["kind"]
        if year is None:
            default = current_period(timezone.localdate())
            year = default.year if kind == YearKind.FINANCIAL else timezone.localdate().year
        return Period(kind, year)
