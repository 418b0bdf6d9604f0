"""What the action plan pages share: rendering with the error summary, calling a service
for a form, and the status each action shows today."""

from django.contrib import messages
from django.shortcuts import render

from cspr.errors import TransitionNotAllowed
from cspr.views.common import show_refusal
from reviews.views.common import forms_with_errors

# The tag colour of each status people see.
STATUS_TAGS = {
    "not_started": "grey",
    "on_track": "blue",
    "at_risk": "orange",
    "overdue": "red",
    "complete": "green",
    "impact_assured": "purple",
}


def page(request, template, context):
    """The template with the bound forms that have errors listed for the error summary."""
    context["error_forms"] = forms_with_errors(context)
    return render(request, template, context)


def attempt(request, form, call, success):
    """Call a service for a valid form: flash `success` (text, or a function of the
    result) and return the result, or put the service's refusal on the form (so the page
    shows it, keeping what was typed) and return None."""
    try:
        result = call()
    except TransitionNotAllowed as error:
        show_refusal(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result if result is not None else True


def status_rows(actions, today):
    """[(action, status, tag colour)]: the status each action shows today (overdue
    worked out from its due date)."""
    rows = []
    for action in actions:
        status = action.status_on(today)
        rows.append((action, status, STATUS_TAGS[status.value]))
    return rows
