"""What the local review pages share: finding the review, the section's page, and calling
a service with a form."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from cspr import access as case_access
from cspr import selectors
from cspr.errors import TransitionNotAllowed
from cspr.views.common import show_refusal
from cspr.working_days import load_calendar
from reviews import access

# The review's sections, in the order of the work: (URL name, link text).
SECTIONS = [
    ("local-review-detail", "Overview"),
    ("reviewer-appoint", "Reviewer"),
    ("terms-edit", "Terms of reference"),
    ("methodology-edit", "Methodology"),
    ("review-groups", "Groups"),
    ("family-engagement", "Family"),
    ("chronology-template", "Chronology"),
    ("review-letters", "Letters"),
    ("review-monitoring", "Monitoring"),
    ("review-report", "Report"),
    ("review-publication", "Publication"),
    ("review-briefing", "Learning briefing"),
]


def due(deadline):
    """The deadline's "due in 3 working days" text and tag, or None."""
    if deadline is None:
        return None
    return selectors.due_text(deadline, today=timezone.localdate(), calendar=load_calendar())


def page(request, review, template, context=None):
    """A section of the review: the template with the review, its case, what the person
    may do, and the section links."""
    allowed = review.permissions
    base = {
        "case": review.case,
        "review": review,
        "may": {action: action in allowed for action in _ACTIONS},
        "partnership_wide": request.user.has_role(*case_access.PARTNERSHIP_WIDE),
        "sections": SECTIONS,
    }
    context = {**base, **(context or {})}
    context["error_forms"] = forms_with_errors(context)
    return render(request, template, context)


def forms_with_errors(context):
    """The bound forms on a page that have errors (each gets the error summary at the top,
    and the page title starts "Error:")."""
    found = []
    for value in context.values():
        candidates = value.values() if isinstance(value, dict) else [value]
        found += [f for f in candidates if isinstance(f, forms.BaseForm) and f.errors]
    return found


_ACTIONS = (
    access.MANAGE,
    access.DRAFT_TERMS,
    access.CHAIR,
    access.REVIEWER,
    access.EXECUTIVE,
    access.UPLOAD,
)


def attempt(request, form, call, success):
    """Call a service for a valid form: flash `success` and return True, or put the
    service's refusal on the form (so the page shows it, keeping what was typed)."""
    try:
        call()
    except TransitionNotAllowed as error:
        show_refusal(form, error)
        return False
    messages.success(request, success)
    return True


def act(request, call, success, to):
    """For a button without a form: call the service, flash the outcome, redirect."""
    try:
        call()
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(*to)
