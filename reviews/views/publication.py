"""Publication: the plan, the final copy, publishing or not, the learning briefing; and a
national review."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cspr.models import Stage
from cspr.working_days import load_calendar
from rapid_reviews.forms import BriefingForm
from reviews import access, services
from reviews.forms import (
    FinalCopyForm,
    NationalReviewForm,
    PublicationPlanForm,
    PublishForm,
    ReasonForm,
)
from reviews.models import (
    NationalReview,
    NationalStatus,
    PublicationPlan,
    ReviewBriefing,
    ReviewStatus,
)
from reviews.services import national, publication
from reviews.views.common import attempt, due, forms_with_errors, page


def _publication_page(request, review, **bound):
    """The publication page. A refused form in `bound` (by its context name) is shown again
    whatever has changed meanwhile, with its message and what was typed."""
    allowed = review.permissions
    plan = PublicationPlan.objects.filter(review=review).select_related("notice_deadline").first()
    manage = access.MANAGE in allowed
    context = {
        "plan": plan,
        "notice_due": due(plan.notice_deadline) if plan else None,
        "blockers": publication.publication_blockers(review, plan),
        "open_processes": publication.open_processes(review.case),
    }
    if plan and plan.copies_sent:
        context["earliest"] = publication.earliest_publication(plan.copies_sent_on, load_calendar())
    if manage and review.status in publication.PLANNING:
        initial = {name: getattr(plan, name) for name in publication.PLAN_FIELDS} if plan else {}
        initial["version"] = publication.plan_version(plan)
        context["plan_form"] = PublicationPlanForm(initial=initial)
    if manage and plan and review.status == ReviewStatus.APPROVED:
        if not plan.copies_sent:
            context["copy_form"] = FinalCopyForm(prefix="copy")
        context["publish_form"] = PublishForm(prefix="publish")
    if (
        access.CHAIR in allowed
        and plan
        and review.status in publication.PLANNING
        and publication.uncovered_processes(review, plan)
    ):
        context["override_form"] = ReasonForm(prefix="override")
    if access.EXECUTIVE in allowed and review.status == ReviewStatus.APPROVED:
        context["not_publish_form"] = ReasonForm(prefix="not-publish")
    context |= bound
    return page(request, review, "reviews/publication.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_publication(request, case_pk):
    """The publication plan and what publication waits for; the business unit plans."""
    if request.method == "GET":
        return _publication_page(request, access.access_review(request.user, case_pk))
    review = access.access_review(request.user, case_pk, access.MANAGE)
    form = PublicationPlanForm(request.POST)
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.publication_plan_save(
            review=review,
            data={name: form.cleaned_data[name] for name in publication.PLAN_FIELDS},
            version=form.cleaned_data["version"],
            by=request.user,
        ),
        "Publication plan saved",
    ):
        return redirect("review-publication", case_pk)
    return _publication_page(request, review, plan_form=form)


def _publication_post(request, case_pk, action, form_class, prefix, key, call, success):
    review = access.access_review(request.user, case_pk, action)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid() and attempt(request, form, lambda: call(review, form.cleaned_data), success):
        return redirect("review-publication", case_pk)
    return _publication_page(request, review, **{key: form})


@login_required
@require_POST
def publication_override(request, case_pk):
    return _publication_post(
        request,
        case_pk,
        access.CHAIR,
        ReasonForm,
        "override",
        "override_form",
        lambda review, data: services.publication_override(
            review=review, reason=data["reason"], by=request.user
        ),
        "Recorded: publication may go ahead while those processes are open",
    )


@login_required
@require_POST
def final_copy_sent(request, case_pk):
    return _publication_post(
        request,
        case_pk,
        access.MANAGE,
        FinalCopyForm,
        "copy",
        "copy_form",
        lambda review, data: services.final_copy_record(
            review=review,
            panel_sent_on=data["panel_sent_on"],
            secretary_of_state_sent_on=data["secretary_of_state_sent_on"],
            by=request.user,
        ),
        "Final copy recorded as sent",
    )


@login_required
@require_POST
def review_publish(request, case_pk):
    return _publication_post(
        request,
        case_pk,
        access.MANAGE,
        PublishForm,
        "publish",
        "publish_form",
        lambda review, data: services.review_publish(review=review, by=request.user, **data),
        "Publication recorded: the case moves on to learning and actions",
    )


@login_required
@require_POST
def review_not_publish(request, case_pk):
    return _publication_post(
        request,
        case_pk,
        access.EXECUTIVE,
        ReasonForm,
        "not-publish",
        "not_publish_form",
        lambda review, data: services.review_not_publish(
            review=review, reason=data["reason"], by=request.user
        ),
        "Recorded: the report is not published. Its learning briefing is still needed.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_briefing(request, case_pk):
    """The review's anonymised learning briefing: the business unit writes and publishes
    it; everyone who sees the review reads it."""
    review = access.access_review(request.user, case_pk)
    briefing = ReviewBriefing.objects.filter(review=review).first()
    manage = access.MANAGE in review.permissions
    if request.method == "POST" and not manage:
        raise PermissionDenied("Only the business unit writes the learning briefing.")
    initial = {"title": briefing.title, "body": briefing.body} if briefing else {}
    initial["version"] = publication.briefing_version(briefing)
    editable = manage and not (briefing and briefing.published_on)
    posted = request.method == "POST"
    form = BriefingForm(request.POST or None, initial=initial) if editable or posted else None
    if posted and form.is_valid():
        publish = "publish" in request.POST
        if attempt(
            request,
            form,
            lambda: services.review_briefing_save(
                review=review,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                publish=publish,
                version=form.cleaned_data["version"],
                by=request.user,
            ),
            "Briefing published" if publish else "Briefing saved",
        ):
            return redirect("review-briefing", case_pk)
    may_publish = review.status in (ReviewStatus.PUBLISHED, ReviewStatus.NOT_PUBLISHED)
    context = {"briefing": briefing, "form": form, "may_publish": may_publish}
    return page(request, review, "reviews/briefing.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def national_review(request, case_pk):
    """A national review the Panel took the case into, and the partnership's part in it."""
    case = access.access_case(
        request.user, case_pk, access.MANAGE if request.method == "POST" else access.VIEW
    )
    record = NationalReview.objects.filter(case=case).select_related("updated_by").first()
    form = None
    in_national_review = record is not None or case.stage == Stage.NATIONAL_REVIEW
    if (
        in_national_review
        and access.MANAGE in case.permissions
        and not (record and record.status == NationalStatus.PUBLISHED)
    ):
        initial = (
            {name: getattr(record, name) for name in national.NATIONAL_FIELDS} if record else {}
        )
        initial["version"] = national.national_version(record)
        form = NationalReviewForm(request.POST or None, initial=initial)
    if request.method == "POST":
        form = form or NationalReviewForm(request.POST)
        if form.is_valid() and attempt(
            request,
            form,
            lambda: services.national_review_save(
                case=case,
                data={name: form.cleaned_data[name] for name in national.NATIONAL_FIELDS},
                version=form.cleaned_data["version"],
                by=request.user,
            ),
            "National review saved",
        ):
            return redirect("national-review", case_pk)
    context = {"case": case, "record": record, "form": form}
    context["error_forms"] = forms_with_errors(context)
    return render(request, "reviews/national_review.html", context)
