"""Small helpers the kernel's views share."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from cspr.concurrency import carry_current_version
from cspr.errors import Incomplete, TransitionNotAllowed


def run_service(request, form, call, *, success, redirect_to):
    """Call a service; on success flash `success` and redirect, on a refusal put the
    service's message on the form (so the page shows it and keeps what was typed).

    `success` and `redirect_to` (a URL or URL name) may be functions of the service's result.
    Returns a redirect, or None when the form should be shown again.
    """
    try:
        result = call()
    except TransitionNotAllowed as error:
        carry_current_version(form, error)
        form.add_error(None, str(error))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def show_refusal(form, error):
    """Put a service's refusal on the form: each missing field by its name, else on top.
    After an edit conflict the form carries the version now saved (see cspr.concurrency)."""
    carry_current_version(form, error)
    if isinstance(error, Incomplete):
        for name, message in error.fields.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, str(error))


def posted_text(request, name):
    """A text value a button posts without a form, checked as a form's text field is (no
    NUL character: PostgreSQL cannot store one). A bad one is a `TransitionNotAllowed`."""
    try:
        return forms.CharField(required=False, strip=False).clean(request.POST.get(name, ""))
    except ValidationError as error:
        raise TransitionNotAllowed(" ".join(error.messages)) from error
