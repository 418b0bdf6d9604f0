"""The business unit puts a case on legal hold, or takes it off, with a reason."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cspr import access
from cspr.forms import LegalHoldForm
from cspr.services.retention import case_legal_hold_clear, case_legal_hold_set
from cspr.views.common import run_service


@login_required
@require_http_methods(["GET", "POST"])
def legal_hold(request, pk):
    """Set the hold when there is none, clear it when there is one. Business unit only.
    The page posts which of the two it offered: if someone else did it meanwhile, the
    service refuses rather than undo theirs."""
    case = access.access_case(request.user, pk, access.CHANGE)
    form = LegalHoldForm(
        request.POST or None, initial={"hold": "clear" if case.legal_hold else "set"}
    )
    if request.method == "POST" and form.is_valid():
        clear = (form.cleaned_data["hold"] or ("clear" if case.legal_hold else "set")) == "clear"
        service = case_legal_hold_clear if clear else case_legal_hold_set
        response = run_service(
            request,
            form,
            lambda: service(case=case, reason=form.cleaned_data["reason"], by=request.user),
            success="Legal hold cleared" if clear else "Legal hold set",
            redirect_to=reverse("case-detail", args=[case.pk]),
        )
        if response:
            return response
    return render(request, "cspr/legal_hold.html", {"case": case, "form": form})
