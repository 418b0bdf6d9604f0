"""Commissioning pages: the overview and start, the reviewer, the terms of reference, the
methodology, the groups, the family and the chronology template."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cspr.models import Stage
from rapid_reviews.chronology_csv import COLUMNS
from reviews import access, selectors, services
from reviews.forms import (
    AppointmentEndForm,
    AppointmentForm,
    ChronologyTemplateForm,
    FamilyEngagementForm,
    GroupMemberForm,
    MethodologyForm,
    ReviewerAccountForm,
    StartForm,
    TermsForm,
)
from reviews.models import (
    GroupKind,
    LocalReview,
    ReviewerAppointment,
    ReviewStatus,
    TermsOfReference,
)
from reviews.services.commissioning import CHRONOLOGY_FIELDS, METHODOLOGY_FIELDS, fields_version
from reviews.services.terms import TERMS_FIELDS, terms_version
from reviews.views.common import act, attempt, due, page


def _overview(request, review, start_form=None):
    checklist = services.start_checklist(review)
    context = {
        "checklist": checklist,
        "appointment": services.current_appointment(review),
        "terms": services.agreed_terms(review),
        "completion_due": due(review.completion_deadline),
        "next_checkpoint": review.checkpoints.filter(held_on__isnull=True)
        .select_related("deadline")
        .first(),
        "drafts": review.drafts.count(),
    }
    # A refused form is always shown again (its message and what was typed), even when
    # someone else's change meanwhile means it would not be offered now.
    if start_form is not None:
        context["start_form"] = start_form
    elif review.status == ReviewStatus.COMMISSIONING and access.MANAGE in review.permissions:
        context["start_form"] = StartForm()
    if context["next_checkpoint"]:
        context["checkpoint_due"] = due(context["next_checkpoint"].deadline)
    return page(request, review, "reviews/review_detail.html", context)


@login_required
@require_GET
def local_review_detail(request, case_pk):
    """The review at a glance: where it is, what commissioning still needs, its dates.
    Before it is commissioned, the business unit commissions it from here."""
    from rapid_reviews.services import may_start_local_review

    case = access.access_case(request.user, case_pk)
    if not LocalReview.objects.filter(case=case).exists():
        allowed = access.review_permissions(request.user, case)
        return render(
            request,
            "reviews/review_none.html",
            {
                "case": case,
                "may_commission": access.MANAGE in allowed
                and case.stage == Stage.LOCAL_REVIEW
                and may_start_local_review(case),
            },
        )
    return _overview(request, access.access_review(request.user, case_pk))


@login_required
@require_POST
def local_review_commission(request, case_pk):
    case = access.access_case(request.user, case_pk, access.MANAGE)
    return act(
        request,
        lambda: services.local_review_commission(case=case, by=request.user),
        "Local review commissioned",
        ("local-review-detail", case.pk),
    )


@login_required
@require_POST
def local_review_start(request, case_pk):
    review = access.access_review(request.user, case_pk, access.MANAGE)
    form = StartForm(request.POST)
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.local_review_start(review=review, by=request.user, **form.cleaned_data),
        "The review has started",
    ):
        return redirect("local-review-detail", case_pk)
    return _overview(request, review, start_form=form)


# ------------------------------------------------------------------------------ reviewer


def _reviewer_page(
    request, review, *, appoint_form=None, account_form=None, end_form=None, ending=None
):
    manage = access.MANAGE in review.permissions
    current = services.current_appointment(review)
    partnership = review.case.partnership
    context = {
        "current": current,
        "appointments": ReviewerAppointment.objects.filter(review=review)
        .select_related("reviewer", "appointed_by", "ended_by")
        .order_by("-appointed_on", "-id"),
    }
    if manage and review.status in (ReviewStatus.COMMISSIONING, ReviewStatus.UNDER_WAY):
        if current is None:
            initial = {"reviewer": request.GET.get("reviewer", "")}
            context["appoint_form"] = AppointmentForm(partnership=partnership, initial=initial)
            context["account_form"] = ReviewerAccountForm(prefix="account")
        else:
            context["end_form"] = AppointmentEndForm(prefix="end")
    # A refused form is shown again even if someone's change meanwhile means it would not
    # be offered now: its message and what was typed stay on the page.
    bound = {"appoint_form": appoint_form, "account_form": account_form, "end_form": end_form}
    context |= {name: form for name, form in bound.items() if form is not None}
    context["end_for"] = ending or current  # the appointment the end form is about
    return page(request, review, "reviews/reviewer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_appoint(request, case_pk):
    """The reviewer's appointment, with the five considerations; the business unit appoints."""
    if request.method == "GET":
        return _reviewer_page(request, access.access_review(request.user, case_pk))
    review = access.access_review(request.user, case_pk, access.MANAGE)
    form = AppointmentForm(request.POST, partnership=review.case.partnership)
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.reviewer_appoint(
            review=review,
            reviewer=form.cleaned_data["reviewer"],
            appointed_on=form.cleaned_data["appointed_on"],
            considerations=form.considerations(),
            conflict=form.conflict(),
            by=request.user,
        ),
        "Reviewer appointed: they can now see this case, and no other",
    ):
        return redirect("reviewer-appoint", case_pk)
    return _reviewer_page(request, review, appoint_form=form)


@login_required
@require_POST
def reviewer_invite(request, case_pk):
    """A sign-in for a reviewer new to the partnership; they are then appointed."""
    review = access.access_review(request.user, case_pk, access.MANAGE)
    form = ReviewerAccountForm(request.POST, prefix="account")
    created = {}

    def create():
        created["user"] = services.reviewer_account_create(
            partnership=review.case.partnership, by=request.user, **form.cleaned_data
        )

    if form.is_valid() and attempt(
        request,
        form,
        create,
        "Sign-in created: we have e-mailed them a link to choose a password",
    ):
        appoint = reverse("reviewer-appoint", args=[case_pk])
        return redirect(f"{appoint}?reviewer={created['user'].pk}")
    return _reviewer_page(request, review, account_form=form)


@login_required
@require_POST
def appointment_end(request, case_pk, pk):
    review = access.access_review(request.user, case_pk, access.MANAGE)
    appointment = access.review_object(review, ReviewerAppointment.objects, pk)
    form = AppointmentEndForm(request.POST, prefix="end")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.appointment_end(
            appointment=appointment, by=request.user, **form.cleaned_data
        ),
        "The appointment has ended: they no longer see this case",
    ):
        return redirect("reviewer-appoint", case_pk)
    return _reviewer_page(request, review, end_form=form, ending=appointment)


# ---------------------------------------------------------------------- terms of reference


@login_required
@require_http_methods(["GET", "POST"])
def terms_edit(request, case_pk):
    """Every version of the terms of reference, who agreed which, and (for the business
    unit and the sub-group) a new version."""
    review = access.access_review(request.user, case_pk)
    if request.method == "POST" and access.DRAFT_TERMS not in review.permissions:
        raise PermissionDenied("Only the business unit and the sub-group draft the terms.")
    latest = services.latest_terms(review)
    form = None
    may_draft = access.DRAFT_TERMS in review.permissions and review.status in (
        ReviewStatus.COMMISSIONING,
        ReviewStatus.UNDER_WAY,
        ReviewStatus.READY_FOR_EXECUTIVE,
    )
    if may_draft or request.method == "POST":
        initial = {name: getattr(latest, name) for name in TERMS_FIELDS} if latest else {}
        initial["version"] = terms_version(review)
        form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            form,
            lambda: services.terms_save(
                review=review,
                fields={name: data[name] for name in TERMS_FIELDS},
                change_note=data["change_note"],
                version=data["version"],
                by=request.user,
            ),
            "New version of the terms of reference saved",
        ):
            return redirect("terms-edit", case_pk)
    versions = TermsOfReference.objects.filter(review=review).select_related(
        "saved_by", "chair_agreed_by", "reviewer_agreed_by"
    )
    allowed = review.permissions
    side = "reviewer" if access.REVIEWER in allowed else "chair" if access.CHAIR in allowed else ""
    return page(
        request,
        review,
        "reviews/terms.html",
        {
            "versions": versions,
            "latest": latest,
            "agreed": services.agreed_terms(review),
            "form": form,
            "agree_as": side if latest and not getattr(latest, f"{side}_agreed_at", True) else "",
        },
    )


@login_required
@require_POST
def terms_agree(request, case_pk, pk):
    review = access.access_review(request.user, case_pk)
    if not {access.CHAIR, access.REVIEWER} & review.permissions:
        raise PermissionDenied("The sub-group chair and the reviewer agree the terms.")
    terms = access.review_object(review, TermsOfReference.objects, pk)
    return act(
        request,
        lambda: services.terms_agree(terms=terms, by=request.user),
        f"You agreed version {terms.number} of the terms of reference",
        ("terms-edit", case_pk),
    )


# ------------------------------------------------------------------ methodology, chronology


def _edit_fields(request, case_pk, *, form_class, names, template, call, success, to):
    """A page editing some of the review's own fields in place, carrying their version."""
    review = access.access_review(request.user, case_pk)
    if request.method == "POST" and access.MANAGE not in review.permissions:
        raise PermissionDenied("Only the business unit changes this.")
    editable = access.MANAGE in review.permissions and review.status == ReviewStatus.COMMISSIONING
    form = None
    if editable or request.method == "POST":
        initial = {name: getattr(review, name) for name in names}
        initial["version"] = fields_version(review, names)
        form = form_class(request.POST or None, initial=initial)
    posted = request.method == "POST" and form.is_valid()
    if posted and attempt(request, form, lambda: call(review, form.cleaned_data), success):
        return redirect(to, case_pk)
    return page(request, review, template, {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def methodology_edit(request, case_pk):
    """The methodology and how it meets the four commitments; fixed once the review starts."""
    return _edit_fields(
        request,
        case_pk,
        form_class=MethodologyForm,
        names=METHODOLOGY_FIELDS,
        template="reviews/methodology.html",
        call=lambda review, data: services.methodology_agree(
            review=review,
            data={name: data[name] for name in METHODOLOGY_FIELDS},
            version=data["version"],
            by=request.user,
        ),
        success="Methodology agreed",
        to="methodology-edit",
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_template(request, case_pk):
    """The chronology template: the rapid review's chronology row over an agreed period."""
    return _edit_fields(
        request,
        case_pk,
        form_class=ChronologyTemplateForm,
        names=CHRONOLOGY_FIELDS,
        template="reviews/chronology.html",
        call=lambda review, data: services.chronology_template_agree(
            review=review,
            chronology_from=data["chronology_from"],
            chronology_to=data["chronology_to"],
            guidance=data["chronology_guidance"],
            version=data["version"],
            by=request.user,
        ),
        success="Chronology template agreed",
        to="chronology-template",
    )


@login_required
@require_GET
def chronology_template_csv(request, case_pk):
    """The template as a CSV file agencies fill in: the columns the chronology import reads."""
    review = access.access_review(request.user, case_pk)
    response = HttpResponse(",".join(COLUMNS) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="chronology-template-{review.case_id}.csv"'
    )
    return response


# ------------------------------------------------------------------------ groups and family


@login_required
@require_http_methods(["GET", "POST"])
def review_groups(request, case_pk):
    """The review group and the practitioner group; the business unit adds and removes."""
    review = access.access_review(
        request.user, case_pk, access.MANAGE if request.method == "POST" else access.VIEW
    )
    form = None
    if access.MANAGE in review.permissions and review.status not in (
        ReviewStatus.APPROVED,
        ReviewStatus.PUBLISHED,
        ReviewStatus.NOT_PUBLISHED,
    ):
        form = GroupMemberForm(request.POST or None, partnership=review.case.partnership)
    if request.method == "POST":
        form = form or GroupMemberForm(request.POST, partnership=review.case.partnership)
        if form.is_valid() and attempt(
            request,
            form,
            lambda: services.group_member_add(review=review, by=request.user, **form.cleaned_data),
            f"{form.cleaned_data['name']} added",
        ):
            return redirect("review-groups", case_pk)
    return page(
        request,
        review,
        "reviews/groups.html",
        {"group_rows": _group_rows(review), "form": form},
    )


def _group_rows(review):
    grouped = selectors.group_members(review)
    return [
        (
            GroupKind.REVIEW,
            "Review group",
            grouped[GroupKind.REVIEW],
            "Managers of sufficient seniority from the key agencies involved.",
        ),
        (
            GroupKind.PRACTITIONER,
            "Practitioner group",
            grouped[GroupKind.PRACTITIONER],
            "The staff and managers who worked directly with the child and family.",
        ),
    ]


@login_required
@require_POST
def group_member_remove(request, case_pk, pk):
    from reviews.models import GroupMember

    review = access.access_review(request.user, case_pk, access.MANAGE)
    member = access.review_object(review, GroupMember.objects, pk)
    return act(
        request,
        lambda: services.group_member_remove(member=member, by=request.user),
        f"{member.name} removed from the {member.get_group_display().lower()}",
        ("review-groups", case_pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_engagement(request, case_pk):
    """The family engagement log; the business unit adds to it."""
    review = access.access_review(
        request.user, case_pk, access.MANAGE if request.method == "POST" else access.VIEW
    )
    form = (
        FamilyEngagementForm(request.POST or None) if access.MANAGE in review.permissions else None
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: services.family_engagement_record(
                review=review, by=request.user, **form.cleaned_data
            ),
            "Added to the family engagement log",
        )
    ):
        return redirect("family-engagement", case_pk)
    log = review.family_log.select_related("recorded_by").order_by("-on", "-id")
    return page(request, review, "reviews/family.html", {"log": log, "form": form})
