"""The report: its versions, the sub-group's quality assurance, the executive's approval."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cspr import uploads
from cspr.authentication import reauthentication_challenge
from reviews import access, services
from reviews.forms import DraftUploadForm, QualityAssuranceForm, ReasonForm
from reviews.models import QualityAssurance, ReportDraft, ReviewStatus
from reviews.services.report import latest_draft
from reviews.views.common import act, attempt, page


def _report_page(request, review, *, return_form=None):
    allowed = review.permissions
    newest = latest_draft(review)
    context = {
        "drafts": review.drafts.select_related("uploaded_by"),
        "checks": QualityAssurance.objects.filter(review=review).select_related(
            "draft", "recorded_by"
        ),
        "newest": newest,
        "may_upload": access.UPLOAD in allowed and review.status == ReviewStatus.UNDER_WAY,
        "may_check": access.CHAIR in allowed
        and review.status == ReviewStatus.UNDER_WAY
        and newest is not None,
        "may_decide": access.EXECUTIVE in allowed
        and review.status == ReviewStatus.READY_FOR_EXECUTIVE,
    }
    if return_form is not None:  # refused: shown again, whatever has changed meanwhile
        context["return_form"] = return_form
    elif context["may_decide"]:
        context["return_form"] = ReasonForm(prefix="return")
    return page(request, review, "reviews/report.html", context)


@login_required
@require_GET
def review_report(request, case_pk):
    """Every version of the report; the business unit, the sub-group, the executives and
    the reviewer see them all."""
    return _report_page(request, access.access_review(request.user, case_pk))


@login_required
@require_http_methods(["GET", "POST"])
def draft_upload(request, case_pk):
    """The reviewer (or the business unit, for one sent another way) uploads a version. A
    refused file (too big, not a PDF or Word document, a virus, or no virus check possible)
    is shown on the page; nothing is stored."""
    review = access.access_review(request.user, case_pk, access.UPLOAD)
    form = DraftUploadForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: services.report_draft_upload(
                review=review,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                by=request.user,
            ),
            "New version of the report uploaded",
        )
    ):
        return redirect("review-report", case_pk)
    return page(request, review, "reviews/draft_upload.html", {"form": form})


@login_required
@require_GET
def draft_download(request, case_pk, pk):
    """A version of the report, as a download (never shown in the browser)."""
    review = access.access_review(request.user, case_pk)
    draft = access.review_object(review, ReportDraft.objects, pk)
    challenge = reauthentication_challenge(request, action="download the report")
    if challenge is not None:
        return challenge
    return uploads.attachment_response(
        draft.file, filename=draft.original_name, content_type=draft.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def quality_assurance(request, case_pk, pk):
    """The sub-group chair's quality assurance of a version: the seven points, each with a
    comment, and the decision."""
    review = access.access_review(request.user, case_pk, access.CHAIR)
    draft = access.review_object(review, ReportDraft.objects, pk)
    form = QualityAssuranceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            form,
            lambda: services.quality_assurance_record(
                review=review,
                draft=draft,
                answers=form.answers(),
                decision=data["decision"],
                note=data["note"],
                by=request.user,
            ),
            f"Quality assurance of version {draft.number} recorded",
        ):
            return redirect("review-report", case_pk)
    return page(request, review, "reviews/quality_assurance.html", {"form": form, "draft": draft})


@login_required
@require_POST
def report_approve(request, case_pk):
    review = access.access_review(request.user, case_pk, access.EXECUTIVE)
    return act(
        request,
        lambda: services.report_approve(review=review, by=request.user),
        "Final report approved",
        ("review-report", case_pk),
    )


@login_required
@require_POST
def report_return(request, case_pk):
    review = access.access_review(request.user, case_pk, access.EXECUTIVE)
    form = ReasonForm(request.POST, prefix="return")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.report_return(
            review=review, reason=form.cleaned_data["reason"], by=request.user
        ),
        "The report is back with the reviewer",
    ):
        return redirect("review-report", case_pk)
    return _report_page(request, review, return_form=form)
