from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cspr import access, selectors
from cspr.authentication import reauthentication_challenge
from cspr.errors import TransitionNotAllowed
from cspr.models import Agency, Role
from cspr.pdf import pdf_response
from cspr.views.common import show_refusal
from cspr.working_days import load_calendar
from rapid_reviews import access as request_access
from rapid_reviews import selectors as review_selectors
from rapid_reviews import services
from rapid_reviews.forms import (
    RequestForm,
)
from rapid_reviews.models import RapidReview
from rapid_reviews.services.pack import pack_pdf


def _case(user, case_pk, action=access.VIEW, *, log=True):
    """The case for rapid-review pages: its timeline-level viewers only."""
    case = access.access_case(user, case_pk, access.VIEW, log=log)
    if access.VIEW_TIMELINE not in case.permissions:
        raise Http404("No such rapid review.")
    if action not in case.permissions:
        access.access_case(user, case_pk, action, log=log)  # raises 403
    return case


def _page(request, case, *, request_form=None, open_error="", decision_forms=None):
    review = (
        RapidReview.objects.filter(case=case)
        .select_related("meeting_deadline", "report_deadline")
        .first()
    )
    may_change = access.CHANGE in case.permissions
    today, calendar = timezone.localdate(), load_calendar()
    context = {"case": case, "review": review, "may_change": may_change, "open_error": open_error}
    if review:
        requests = review.requests.select_related("agency", "deadline", "records_secured_by")
        context["requests"] = [
            (r, selectors.due_text(r.deadline, today=today, calendar=calendar)) for r in requests
        ]
        context["meeting_due"] = selectors.due_text(
            review.meeting_deadline, today=today, calendar=calendar
        )
        context["report_due"] = selectors.due_text(
            review.report_deadline, today=today, calendar=calendar
        )
        if may_change:
            asked = review.requests.values("agency")
            agencies = Agency.objects.filter(partnership=case.partnership, is_active=True).exclude(
                pk__in=asked
            )
            context["request_form"] = request_form or RequestForm(agencies=agencies)
        context.update(_decision_context(request, review, may_change, decision_forms or {}))
    return render(request, "rapid_reviews/rapid_review_detail.html", context)


def _decision_context(request, review, may_change, bound):
    """What the decision part of the page shows each person, and the forms they may use."""
    from rapid_reviews.forms import (
        DisseminationForm,
        FamilyForm,
        PanelResponseForm,
        ReportSentForm,
    )
    from rapid_reviews.models import LearningMeeting, Partner

    user = request.user
    meeting = (
        LearningMeeting.objects.filter(rapid_review=review).select_related("approved_by").first()
    )
    sign_offs = list(review.sign_offs.select_related("signed_by"))
    signed = {s.partner for s in sign_offs}
    partner = services.partner_for(user)
    context = {
        "meeting": meeting,
        "immediate_actions": meeting.immediate_actions.select_related("agency") if meeting else [],
        "sign_offs": sign_offs,
        "unsigned": [label for value, label in Partner.choices if value not in signed],
        "may_approve": bool(meeting and not meeting.approved_at)
        and user.has_role(Role.SUBGROUP_CHAIR),
        "may_sign_for": Partner(partner).label
        if partner and meeting and meeting.approved_at and partner not in signed
        else None,
        "family_contacts": review.family_contacts.all(),
        "panel_responses": review.panel_responses.all(),
        "decided": len(signed) == len(Partner),
        "circulation": review.circulation.select_related("approved_by"),
    }
    if context["decided"] and services.may_approve_dissemination(user):
        context["wider_form"] = bound.get("DisseminationForm") or DisseminationForm(prefix="wider")
    if may_change:
        context["family_form"] = bound.get("FamilyForm") or FamilyForm(prefix="family")
        # A refused form is always shown again, with its errors and what was typed.
        if "ReportSentForm" in bound or (context["decided"] and not review.report_sent_on):
            context["report_sent_form"] = bound.get("ReportSentForm") or ReportSentForm(
                prefix="report"
            )
        if "PanelResponseForm" in bound or review.report_sent_on:
            context["panel_form"] = bound.get("PanelResponseForm") or PanelResponseForm(
                prefix="panel"
            )
    return context


@login_required
@require_GET
def rapid_review_detail(request, case_pk):
    """The rapid review: its deadlines, the agencies asked and where their returns are."""
    return _page(request, _case(request.user, case_pk))


@login_required
@require_POST
def rapid_review_open(request, case_pk):
    case = _case(request.user, case_pk, access.CHANGE)
    try:
        services.rapid_review_open(case=case, by=request.user)
    except TransitionNotAllowed as error:
        return _page(request, case, open_error=str(error))
    messages.success(request, "Rapid review opened")
    return redirect("rapid-review-detail", case_pk=case.pk)


@login_required
@require_POST
def information_request_send(request, case_pk):
    case = _case(request.user, case_pk, access.CHANGE)
    review = RapidReview.objects.filter(case=case).first()
    if review is None:
        raise Http404("Open the rapid review first.")
    agencies = Agency.objects.filter(partnership=case.partnership, is_active=True)
    form = RequestForm(request.POST, agencies=agencies)
    if form.is_valid():
        try:
            sent = services.information_request_send(
                rapid_review=review, by=request.user, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Request sent to {sent.agency}")
            if sent.collation_warning:
                messages.warning(request, sent.collation_warning)
            return redirect("rapid-review-detail", case_pk=case.pk)
    return _page(request, case, request_form=form)


@login_required
@require_GET
def request_detail(request, pk):
    """One agency's request: what is asked, by when, and the records-secured confirmation.
    Another agency cannot see it (404)."""
    found = request_access.access_request(request.user, pk)
    due = selectors.due_text(found.deadline, today=timezone.localdate(), calendar=load_calendar())
    information_return = found.information_return
    context = {
        "req": found,
        "due": due,
        "information_return": information_return,
        # The agency's own draft rows are its own until it submits them.
        "entries": information_return.entries.all()
        if information_return.status == "submitted" or "respond" in found.permissions
        else [],
        "may_edit": request_access.EDIT_RETURN
        in request_access.return_permissions(
            request.user, information_return, request_allowed=found.permissions
        ),
        "may_unlock": information_return.status == "submitted"
        and access.can(request.user, access.CHANGE, found.rapid_review.case),
    }
    return render(request, "rapid_reviews/request_detail.html", context)


@login_required
@require_POST
def records_secured(request, pk):
    found = request_access.access_request(request.user, pk, request_access.RESPOND)
    try:
        services.records_secured_confirm(request=found, by=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thank you: your agency's records are recorded as secured")
    return redirect("request-detail", pk=found.pk)


# Rows of the merged chronology on one page of the pack; the PDF has them all.
PACK_PAGE_SIZE = 100


def _pack_review(request, case_pk):
    """The case's rapid review for the pack pages, and the agency it is filtered to."""
    case = _case(request.user, case_pk)
    review = RapidReview.objects.filter(case=case).select_related("case__partnership").first()
    if review is None:
        raise Http404("No rapid review yet.")
    try:
        agency_id = int(request.GET.get("agency", "") or 0) or None
    except ValueError:
        agency_id = None
    return review, agency_id


@login_required
@require_GET
def collated_pack(request, case_pk):
    """The returns collated for the learning meeting, with the merged chronology a page of
    rows at a time (a review with ten agencies can have a thousand)."""
    review, agency_id = _pack_review(request, case_pk)
    pack = review_selectors.collated_pack(review, agency_id=agency_id, with_entries=False)
    entries = review_selectors.pack_entries(review, agency_id=agency_id)
    page = Paginator(entries, PACK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "case": review.case,
        "review": review,
        "pack": pack,
        "agency_id": agency_id,
        "entries": page.object_list,
        "entries_total": page.paginator.count,
        "page_obj": page,
        "querystring": urlencode({"agency": agency_id} if agency_id else {}),
    }
    return render(request, "rapid_reviews/pack_detail.html", context)


@login_required
@require_GET
def collated_pack_pdf(request, case_pk):
    """The same pack as a PDF, to share with the meeting's attendees."""
    # The access check, then the identity check, then the pack: a person who does not
    # pass the identity check is not recorded as having read it.
    _case(request.user, case_pk, log=False)
    challenge = reauthentication_challenge(request, action="download the pack")
    if challenge is not None:
        return challenge
    review, agency_id = _pack_review(request, case_pk)
    pdf = pack_pdf(review, by=request.user, agency_id=agency_id)
    return pdf_response(pdf, f"rapid-review-pack-{review.case.pk}.pdf")
