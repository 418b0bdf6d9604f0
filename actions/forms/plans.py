"""Forms for the action plan pages. Forms check shape; services check the rules."""

from django import forms

from actions.models import OPEN_STATUSES, ActionStatus, PlanSource, Theme
from actions.services.evidence import EVIDENCE_KINDS
from cspr import uploads
from cspr.concurrency import VersionField
from cspr.forms import DateField, GovukForm
from cspr.models import Agency


def text_field(label, message, *, rows=3, required=True, help_text="", max_length=None):
    kwargs = {
        "label": label,
        "required": required,
        "help_text": help_text,
        "error_messages": {"required": message},
    }
    if max_length:
        kwargs["max_length"] = max_length
    else:
        kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(**kwargs)


class PlanOpenForm(GovukForm):
    source = forms.ChoiceField(
        choices=PlanSource.choices,
        widget=forms.HiddenInput,
        error_messages={"required": "Choose which plan to open"},
    )


class ActionForm(GovukForm):
    """An action's details: adding one, taking in an immediate action, or editing."""

    finding = text_field("The finding it answers", "Enter the finding the action answers")
    change = text_field("What will change", "Say what will change")
    agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        empty_label="Choose the agency",
        error_messages={
            "required": "Choose the agency that owns the action",
            "invalid_choice": "Choose an agency of the partnership",
        },
    )
    owner_name = text_field(
        "Named owner",
        "Enter the named owner",
        max_length=200,
        help_text="The person in the agency who answers for the action, and their role.",
    )
    due_on = DateField(label="Due date", error_messages={"required": "Enter the due date"})
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        required=False,
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose any that apply.",
        error_messages={"invalid_choice": "Choose themes that are still in use"},
    )
    version = VersionField()  # the action as the edit page showed it (cspr.concurrency)

    def __init__(self, *args, partnership, current_themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            partnership=partnership, is_active=True
        ).order_by("name")
        # A theme no longer offered stays on an action that has it, until it is taken off.
        self.fields["themes"].queryset = Theme.objects.filter(
            is_active=True
        ) | Theme.objects.filter(pk__in=[theme.pk for theme in current_themes])


class ProgressForm(GovukForm):
    status = forms.ChoiceField(
        label="How is the action going?",
        choices=[(status.value, status.label) for status in OPEN_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose not started, on track or at risk"},
    )
    text = text_field("Progress", "Say what progress has been made")


class CompleteForm(GovukForm):
    completed_on = DateField(
        label="Date it was completed",
        error_messages={"required": "Enter the date it was completed"},
    )
    text = text_field("What was done", "Say what was done")


class ReopenForm(GovukForm):
    reason = text_field("Why is it reopened?", "Say why the action is reopened")
    due_on = DateField(label="New due date", error_messages={"required": "Enter the new due date"})


class ImpactForm(GovukForm):
    how = text_field(
        "How was its impact assured?",
        "Say how the action's impact was assured",
        help_text="For example, an audit of cases since, or practitioners' feedback.",
    )
    assured_on = DateField(
        label="Date its impact was assured",
        error_messages={"required": "Enter the date its impact was assured"},
    )


class EvidenceForm(GovukForm):
    description = text_field(
        "What does it show?", "Describe what the evidence shows", max_length=200
    )
    upload = uploads.UploadField(
        label="A file",
        kinds=EVIDENCE_KINDS,
        required=False,
    )
    link = forms.CharField(
        label="Or a link",
        required=False,
        max_length=500,
        help_text="A web address starting with https://",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = (
            f"{uploads.kinds_label(EVIDENCE_KINDS)}, smaller than "
            f"{uploads.size_label(uploads.max_bytes())}."
        )

    def clean(self):
        data = super().clean()
        if "upload" in self.errors:
            return data
        if not data.get("upload") and not (data.get("link") or "").strip():
            self.add_error("upload", "Choose a file or enter a link")
        return data


class BarrierForm(GovukForm):
    description = text_field(
        "What stops the action being completed?", "Say what stops the action being completed"
    )


class BarrierResponseForm(GovukForm):
    response = text_field("The executive's response", "Enter the executive's response")


class BarrierCloseForm(GovukForm):
    note = text_field("How was it resolved?", "Say how the barrier was resolved")


STATUS_FILTERS = [("", "Any status"), *[(s.value, s.label) for s in ActionStatus]]


class ActionFilterForm(GovukForm):
    case = forms.ChoiceField(label="Case", required=False)
    agency = forms.ChoiceField(label="Agency", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_FILTERS)

    def __init__(self, *args, cases, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "Any case")] + [(str(pk), n) for pk, n in cases]
        self.fields["agency"].choices = [("", "Any agency")] + [(str(pk), n) for pk, n in agencies]
