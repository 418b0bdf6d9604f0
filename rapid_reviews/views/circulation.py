"""Circulating the report, wider dissemination, and the learning briefing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cspr import access
from cspr.errors import TransitionNotAllowed
from cspr.views.common import show_refusal
from rapid_reviews import services
from rapid_reviews.forms import BriefingForm, DisseminationForm
from rapid_reviews.models import LearningBriefing
from rapid_reviews.views.decision import _review
from rapid_reviews.views.review import _page


@login_required
@require_POST
def report_circulate(request, case_pk):
    """The business unit sends the report to the distribution list."""
    review = _review(request.user, case_pk, access.CHANGE)
    try:
        count = services.report_circulate(rapid_review=review, by=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The report went to {count} named professionals")
    return redirect("rapid-review-detail", case_pk=review.case_id)


@login_required
@require_POST
def dissemination_record(request, case_pk):
    """The chair, an executive or the Business Manager approves sharing the report wider."""
    review = _review(request.user, case_pk)
    if not services.may_approve_dissemination(request.user):
        raise PermissionDenied(
            "Wider dissemination needs the chair, an executive or the Business Manager."
        )
    form = DisseminationForm(request.POST, prefix="wider")
    if form.is_valid():
        try:
            services.dissemination_record(rapid_review=review, by=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Wider dissemination recorded")
            return redirect("rapid-review-detail", case_pk=review.case_id)
    return _page(request, review.case, decision_forms={"DisseminationForm": form})


@login_required
@require_http_methods(["GET", "POST"])
def briefing_edit(request, case_pk):
    """The business unit writes and publishes the anonymised learning briefing; the rest
    of the partnership reads it."""
    review = _review(request.user, case_pk)
    briefing = LearningBriefing.objects.filter(rapid_review=review).first()
    may_change = access.CHANGE in review.case.permissions and not (
        briefing and briefing.published_on
    )
    initial = {"title": briefing.title, "body": briefing.body} if briefing else {}
    initial["version"] = services.briefing_version(briefing)
    form = BriefingForm(request.POST or None, initial=initial) if may_change else None
    if request.method == "POST":
        if access.CHANGE not in review.case.permissions:
            raise PermissionDenied("Only the business unit changes an unpublished briefing.")
        # Published since the page was opened: the service says so and the text stays.
        form = form or BriefingForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.briefing_save(
                    rapid_review=review,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    publish="publish" in request.POST,
                    by=request.user,
                    version=form.cleaned_data["version"],
                )
            except TransitionNotAllowed as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request, "Briefing published" if "publish" in request.POST else "Briefing saved"
                )
                return redirect("briefing-edit", case_pk=review.case_id)
    return render(
        request,
        "rapid_reviews/briefing_edit.html",
        {"case": review.case, "review": review, "briefing": briefing, "form": form},
    )
