from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cspr import access, selectors
from cspr.errors import TransitionNotAllowed
from cspr.models import Agency
from cspr.pdf import pdf_response, render_pdf
from cspr.working_days import load_calendar
from rapid_reviews import access as request_access
from rapid_reviews import selectors as review_selectors
from rapid_reviews import services
from rapid_reviews.chronology_csv import parse_chronology
from rapid_reviews.forms import (
    ChronologyFormSet,
    ChronologyImportForm,
    RequestForm,
    ReturnForm,
)
from rapid_reviews.models import RapidReview
from rapid_reviews.services import RETURN_FIELDS, ROW_FIELDS
from referrals.views import _show_refusal


def _case(user, case_pk, action=access.VIEW):
    """The case for rapid-review pages: its timeline-level viewers only."""
    case = access.access_case(user, case_pk, access.VIEW)
    if access.VIEW_TIMELINE not in case.permissions:
        raise Http404("No such rapid review.")
    if action not in case.permissions:
        access.access_case(user, case_pk, action)  # raises 403
    return case


def _page(request, case, *, request_form=None, open_error=""):
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
    return render(request, "rapid_reviews/rapid_review_detail.html", context)


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
            _show_refusal(form, error)
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
        "entries": information_return.entries.all(),
        "may_edit": request_access.EDIT_RETURN
        in request_access.return_permissions(request.user, information_return),
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


def _return_page(request, found, form=None, rows=None):
    information_return = found.information_return
    if form is None:
        form = ReturnForm(
            initial={name: getattr(information_return, name) for name in RETURN_FIELDS}
        )
    if rows is None:
        rows = ChronologyFormSet(
            prefix="rows",
            initial=[
                {name: getattr(entry, name) for name in ROW_FIELDS}
                for entry in information_return.entries.all()
            ],
        )
    return render(
        request,
        "rapid_reviews/return_edit.html",
        {"req": found, "information_return": information_return, "form": form, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_edit(request, pk):
    """The agency writes its return and chronology: add, change and remove rows without
    JavaScript, save as a draft, submit. A half-filled row is an error and nothing typed
    is lost; a submitted return is locked."""
    found = request_access.access_request(request.user, pk, request_access.RESPOND)
    information_return = found.information_return
    if request_access.EDIT_RETURN not in request_access.return_permissions(
        request.user, information_return
    ):
        messages.error(request, "This return is submitted and locked.")
        return redirect("request-detail", pk=found.pk)
    if request.method == "GET":
        return _return_page(request, found)
    form = ReturnForm(request.POST)
    rows = ChronologyFormSet(request.POST, prefix="rows")
    if form.is_valid() and rows.is_valid():
        kept = [
            row.cleaned_data
            for row in rows
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda data: data["date"])
        try:
            services.return_save_draft(
                information_return=information_return,
                fields=form.cleaned_data,
                rows=kept,
                by=request.user,
            )
            if "submit" in request.POST:
                services.return_submit(information_return=information_return, by=request.user)
                messages.success(request, "Return submitted. It is now locked.")
                return redirect("request-detail", pk=found.pk)
        except TransitionNotAllowed as error:
            _show_refusal(form, error)
            return _return_page(request, found, form=form, rows=rows)
        messages.success(request, "Draft saved")
        return redirect("return-edit", pk=found.pk)
    return _return_page(request, found, form=form, rows=rows)


@login_required
@require_POST
def return_unlock(request, pk):
    """The business unit unlocks a submitted return, with the reason."""
    found = request_access.access_request(request.user, pk)
    access.access_case(request.user, found.rapid_review.case_id, access.CHANGE)
    reason = request.POST.get("reason", "")
    try:
        services.return_unlock(
            information_return=found.information_return, reason=reason, by=request.user
        )
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{found.agency}'s return is unlocked")
    return redirect("request-detail", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def chronology_import(request, pk):
    """Import chronology rows from a CSV file into the agency's draft. Any bad row stops
    the whole import (nothing is added) and every bad row is listed by its line."""
    found = request_access.access_request(request.user, pk, request_access.RESPOND)
    information_return = found.information_return
    if request_access.EDIT_RETURN not in request_access.return_permissions(
        request.user, information_return
    ):
        messages.error(request, "This return is submitted and locked.")
        return redirect("request-detail", pk=found.pk)
    form = ChronologyImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = parse_chronology(upload.read())
        if parsed.errors:
            row_errors = parsed.errors
        else:
            try:
                count = services.return_append_rows(
                    information_return=information_return,
                    rows=parsed.rows,
                    by=request.user,
                    source_name=upload.name,
                )
            except TransitionNotAllowed as error:
                _show_refusal(form, error)
            else:
                messages.success(request, f"{count} chronology rows imported")
                return redirect("return-edit", pk=found.pk)
    return render(
        request,
        "rapid_reviews/chronology_import.html",
        {"req": found, "form": form, "row_errors": row_errors},
    )


def _pack_context(request, case_pk):
    case = _case(request.user, case_pk)
    review = RapidReview.objects.filter(case=case).first()
    if review is None:
        raise Http404("No rapid review yet.")
    try:
        agency_id = int(request.GET.get("agency", "") or 0) or None
    except ValueError:
        agency_id = None
    pack = review_selectors.collated_pack(review, agency_id=agency_id)
    return {
        "case": case,
        "review": review,
        "pack": pack,
        "agency_id": agency_id,
        "generated_at": timezone.now(),
        "generated_by": request.user,
    }


@login_required
@require_GET
def collated_pack(request, case_pk):
    """The returns collated for the learning meeting, with the merged chronology."""
    return render(request, "rapid_reviews/pack_detail.html", _pack_context(request, case_pk))


@login_required
@require_GET
def collated_pack_pdf(request, case_pk):
    """The same pack as a PDF, to share with the meeting's attendees."""
    context = _pack_context(request, case_pk)
    pdf = render_pdf("rapid_reviews/pack_pdf.html", context)
    return pdf_response(pdf, f"rapid-review-pack-{context['case'].pk}.pdf")
