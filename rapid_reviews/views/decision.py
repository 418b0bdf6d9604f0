"""The learning meeting, approvals and sign-offs, the family, the report and the Panel."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cspr import access
from cspr.authentication import reauthentication_challenge
from cspr.errors import TransitionNotAllowed
from cspr.models import Agency, Role
from cspr.pdf import pdf_response, render_pdf
from cspr.views.common import posted_text, show_refusal
from rapid_reviews import services
from rapid_reviews.forms import (
    ActionRowForm,
    BoundedFormSet,
    FamilyForm,
    MeetingForm,
    PanelResponseForm,
    ReportSentForm,
)
from rapid_reviews.models import LearningMeeting, Partner, RapidReview
from rapid_reviews.views.review import _case, _page


def _review(user, case_pk, action=access.VIEW):
    case = _case(user, case_pk, action)
    review = RapidReview.objects.filter(case=case).select_related("case__partnership").first()
    if review is None:
        raise Http404("No rapid review yet.")
    review.case = case
    return review


# The page shows three rows; a post claiming thousands would take seconds to answer.
ACTIONS_AT_MOST = 20


def _actions_formset(case, data=None):
    formset = django_forms.formset_factory(
        ActionRowForm,
        formset=BoundedFormSet,
        extra=3,
        max_num=ACTIONS_AT_MOST,
        absolute_max=ACTIONS_AT_MOST,
        validate_max=True,
    )(data, prefix="actions")
    agencies = Agency.objects.filter(partnership=case.partnership, is_active=True)
    for form in formset:
        form.fields["agency"].queryset = agencies
    return formset


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request, case_pk):
    """The business unit records the learning meeting and the panel's recommendation."""
    review = _review(request.user, case_pk, access.CHANGE)
    # A post is answered by the service, so a second person's notes are shown, not lost.
    if request.method == "GET" and LearningMeeting.objects.filter(rapid_review=review).exists():
        return redirect("rapid-review-detail", case_pk=review.case_id)
    form = MeetingForm(request.POST or None)
    actions = _actions_formset(review.case, request.POST or None)
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        rows = [
            (row.cleaned_data["description"].strip(), row.cleaned_data["agency"])
            for row in actions
            if row.cleaned_data.get("description", "").strip()
        ]
        try:
            meeting = services.meeting_record(
                rapid_review=review, data=form.meeting_data(), actions=rows, by=request.user
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Learning meeting recorded")
            if meeting.window_warning:
                messages.warning(request, meeting.window_warning)
            return redirect("rapid-review-detail", case_pk=review.case_id)
    return render(
        request,
        "rapid_reviews/meeting_record.html",
        {"case": review.case, "review": review, "form": form, "actions": actions},
    )


def _act(request, call, success):
    try:
        call()
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)


@login_required
@require_POST
def recommendation_approve(request, case_pk):
    """The sub-group chair approves the recommendation."""
    review = _review(request.user, case_pk)
    if not request.user.has_role(Role.SUBGROUP_CHAIR):
        raise PermissionDenied("Only the sub-group chair approves the recommendation.")
    _act(
        request,
        lambda: services.recommendation_approve(rapid_review=review, by=request.user),
        "Recommendation approved",
    )
    return redirect("rapid-review-detail", case_pk=review.case_id)


@login_required
@require_POST
def partner_sign_off(request, case_pk):
    """An executive signs off the decision for their safeguarding partner."""
    review = _review(request.user, case_pk)
    partner = services.partner_for(request.user)
    if partner is None:
        raise PermissionDenied("Only the three safeguarding partners' executives sign off.")
    _act(
        request,
        lambda: services.partner_sign_off(
            rapid_review=review, by=request.user, note=posted_text(request, "note")
        ),
        f"Signed off for the {Partner(partner).label.lower()}",
    )
    return redirect("rapid-review-detail", case_pk=review.case_id)


def _form_post(request, case_pk, form_class, prefix, call, success):
    review = _review(request.user, case_pk, access.CHANGE)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(review, form.cleaned_data)
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, success)
            return redirect("rapid-review-detail", case_pk=review.case_id)
    return _page(request, review.case, decision_forms={form_class.__name__: form})


@login_required
@require_POST
def family_informed(request, case_pk):
    return _form_post(
        request,
        case_pk,
        FamilyForm,
        "family",
        lambda review, data: services.family_informed(rapid_review=review, by=request.user, **data),
        "Recorded that the family was informed",
    )


@login_required
@require_POST
def report_sent(request, case_pk):
    return _form_post(
        request,
        case_pk,
        ReportSentForm,
        "report",
        lambda review, data: services.report_sent(rapid_review=review, by=request.user, **data),
        "The report is recorded as sent to the Panel",
    )


@login_required
@require_POST
def panel_response(request, case_pk):
    return _form_post(
        request,
        case_pk,
        PanelResponseForm,
        "panel",
        lambda review, data: services.panel_response_record(
            rapid_review=review, by=request.user, **data
        ),
        "The Panel's response is recorded",
    )


@login_required
@require_GET
def report_pdf(request, case_pk):
    """The rapid review report, laid out for the Panel."""
    review = _review(request.user, case_pk)
    challenge = reauthentication_challenge(request, action="download the report")
    if challenge is not None:
        return challenge
    meeting = LearningMeeting.objects.filter(rapid_review=review).first()
    requests = review.requests.select_related("agency", "information_return").order_by(
        "agency__name"
    )
    context = {
        "case": review.case,
        "review": review,
        "meeting": meeting,
        "requests": [r for r in requests if r.information_return.status == "submitted"],
        "sign_offs": review.sign_offs.select_related("signed_by"),
        "family": review.family_contacts.all(),
        "referral": review.case.referrals.filter(status="decided").first(),
        "generated_at": timezone.now(),
        "generated_by": request.user,
    }
    pdf = render_pdf("rapid_reviews/report_pdf.html", context)
    return pdf_response(pdf, f"rapid-review-report-{review.case_id}.pdf")
