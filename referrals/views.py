from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cspr import access as case_access
from cspr.concurrency import carry_version
from cspr.errors import TransitionNotAllowed
from cspr.views.common import show_refusal
from referrals import access, selectors, services
from referrals.forms import DecisionForm, ReferralForm, TriageForm, WithdrawForm
from referrals.services import CHILD_FIELDS, REFERRAL_FIELDS


@login_required
@require_GET
def referral_list(request):
    """The referrals the person may see: their own, or the partnership's submitted ones."""
    referrals = selectors.referral_list(request.user)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/referral_list.html",
        {"page_obj": page, "querystring": "", "may_refer": access.may_refer(request.user)},
    )


@login_required
@require_POST
def referral_start(request):
    """Start a draft and go to its form."""
    if not access.may_refer(request.user):
        raise PermissionDenied("You cannot make referrals.")
    referral = services.referral_start(by=request.user)
    return redirect("referral-edit", pk=referral.pk)


def _initial(referral):
    initial = {name: getattr(referral, name) for name in REFERRAL_FIELDS}
    initial.update({name: getattr(referral.child, name) for name in CHILD_FIELDS})
    initial["agencies_involved"] = list(referral.agencies_involved.all())
    initial["version"] = services.referral_version(referral)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request, pk):
    """The author fills in the referral; "Save as draft" keeps it, "Submit" sends it.

    A submit with something missing saves the draft first, so nothing typed is lost,
    then shows what is missing.
    """
    referral = access.access_referral(request.user, pk, access.EDIT)
    form = ReferralForm(
        request.POST or None, initial=_initial(referral), partnership=referral.partnership
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kept = services.referral_save_draft(
                referral=referral,
                fields={name: data[name] for name in REFERRAL_FIELDS},
                child={name: data[name] for name in CHILD_FIELDS},
                agencies_involved=list(data["agencies_involved"]),
                by=request.user,
                version=data["version"],
            )
            saved = True
            if "submit" in request.POST:
                services.referral_submit(referral=referral, by=request.user)
                messages.success(request, "Referral submitted to the business unit")
                return redirect("referral-detail", pk=referral.pk)
        except TransitionNotAllowed as error:
            if saved:  # the draft is saved: the page now shows (and carries) that version
                carry_version(form, services.referral_version(kept))
            show_refusal(form, error)
        else:
            messages.success(request, "Draft saved")
            return redirect("referral-edit", pk=referral.pk)
    return render(
        request,
        "referrals/referral_edit.html",
        {"referral": referral, "form": form, "saved": saved},
    )


def _detail(request, referral, *, triage_form=None, decision_form=None, withdraw_form=None):
    allowed = referral.permissions
    context = {"referral": referral}
    if access.VIEW_CHILD in allowed:
        context["child"] = referral.child
    if access.TRIAGE in allowed:
        cases = case_access.cases_visible_to(request.user).order_by("pseudonym")
        context["triage_form"] = triage_form or TriageForm(cases=cases)
    if access.DECIDE in allowed:
        context["decision_form"] = decision_form or DecisionForm()
    if access.WITHDRAW in allowed:
        context["withdraw_form"] = withdraw_form or WithdrawForm(prefix="withdraw")
    if referral.case_id and case_access.can(request.user, case_access.VIEW, referral.case):
        context["case_link"] = reverse("case-detail", args=[referral.case_id])
    return render(request, "referrals/referral_detail.html", context)


@login_required
@require_GET
def referral_detail(request, pk):
    """The referral as submitted, its outcome, and the next step for whoever takes it."""
    return _detail(request, access.access_referral(request.user, pk, access.VIEW))


@login_required
@require_POST
def referral_triage(request, pk):
    referral = access.access_referral(request.user, pk, access.TRIAGE)
    cases = case_access.cases_visible_to(request.user).order_by("pseudonym")
    form = TriageForm(request.POST, cases=cases)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_triage(
                referral=referral,
                case=data["case"],
                pseudonym=data["pseudonym"],
                note=data["note"],
                by=request.user,
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Referral triaged and passed to the sub-group")
            return redirect("referral-detail", pk=referral.pk)
    return _detail(request, referral, triage_form=form)


@login_required
@require_POST
def referral_decide(request, pk):
    referral = access.access_referral(request.user, pk, access.DECIDE)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.referral_decide(
                referral=referral,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                by=request.user,
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Decision recorded")
            return redirect("referral-detail", pk=referral.pk)
    return _detail(request, referral, decision_form=form)


@login_required
@require_POST
def referral_withdraw(request, pk):
    referral = access.access_referral(request.user, pk, access.WITHDRAW)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.referral_withdraw(
                referral=referral, reason=form.cleaned_data["reason"], by=request.user
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Referral withdrawn")
            return redirect("referral-detail", pk=referral.pk)
    return _detail(request, referral, withdraw_form=form)
