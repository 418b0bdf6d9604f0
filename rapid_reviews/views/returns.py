from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods, require_POST

from cspr import access
from cspr.authentication import reauthentication_challenge
from cspr.concurrency import EditConflict, carry_version
from cspr.errors import TransitionNotAllowed
from cspr.views.common import posted_text, show_refusal
from rapid_reviews import access as request_access
from rapid_reviews import services
from rapid_reviews.chronology_csv import parse_chronology
from rapid_reviews.forms import (
    ChronologyImportForm,
    ReturnForm,
    chronology_rows,
)
from rapid_reviews.services import RETURN_FIELDS, ROW_FIELDS


def _return_page(request, found, form=None, rows=None):
    information_return = found.information_return
    if form is None:
        form = ReturnForm(
            initial={name: getattr(information_return, name) for name in RETURN_FIELDS}
            | {"version": services.return_version(information_return)}
        )
    if rows is None:
        entries = list(information_return.entries.all())
        rows = chronology_rows(
            saved=len(entries),
            initial=[
                {name: getattr(entry, name) for name in ROW_FIELDS} | {"entry": entry.pk}
                for entry in entries
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
        request.user, information_return, request_allowed=found.permissions
    ):
        messages.error(request, "This return is submitted and locked.")
        return redirect("request-detail", pk=found.pk)
    if request.method == "GET":
        return _return_page(request, found)
    form = ReturnForm(request.POST)
    rows = chronology_rows(request.POST, saved=information_return.entries.count())
    if form.is_valid() and rows.is_valid():
        kept = [
            row.cleaned_data
            for row in rows
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda data: data["date"])
        saved = None
        try:
            saved = services.return_save_draft(
                information_return=information_return,
                fields=form.cleaned_data,
                rows=kept,
                by=request.user,
                version=form.cleaned_data["version"],
            )
            if "submit" in request.POST:
                services.return_submit(information_return=information_return, by=request.user)
                messages.success(request, "Return submitted. It is now locked.")
                return redirect("request-detail", pk=found.pk)
        except TransitionNotAllowed as error:
            show_refusal(form, error)
            if saved is not None:
                # The draft is saved and the submit refused: carry that version from now
                # on, and show its rows as saved (new ones with their ids, removed gone).
                carry_version(form, services.return_version(saved))
                rows = None
            elif isinstance(error, EditConflict):  # nothing saved: the page as posted
                rows, added = _with_rows_saved_since(rows, information_return)
                if added:
                    form.add_error(
                        None,
                        f"{added} chronology row{pluralize(added)} saved since you opened "
                        f"this page {pluralize(added, 'is,are')} added at the end. Saving "
                        "again keeps the rows on this page: remove any you do not want.",
                    )
            return _return_page(request, found, form=form, rows=rows)
        messages.success(request, "Draft saved")
        return redirect("return-edit", pk=found.pk)
    return _return_page(request, found, form=form, rows=rows)


def _with_rows_saved_since(rows, information_return):
    """(The refused page's rows, each that is one of the draft's named by its id, and
    after them the draft's rows saved since the page was read that it does not show
    (another tab's, an import's); how many were added). Saving the page again replaces
    the draft's rows with the page's, so each must be on it to be kept, or removed on
    purpose. The page's rows are paired with the draft's as a save pairs them, rows
    ticked for removal included."""
    shown = [row for row in rows if row.cleaned_data]
    paired, since = services.rows_paired(
        information_return.entries.all(), [row.cleaned_data for row in shown]
    )
    data, total = rows.data.copy(), rows.total_form_count()
    for row, entry in zip(shown, paired, strict=True):
        data[f"{row.prefix}-entry"] = str(entry.pk) if entry else ""
    for index, entry in enumerate(since, start=total):
        prefix = f"{rows.prefix}-{index}"
        data[f"{prefix}-entry"] = str(entry.pk)
        data[f"{prefix}-date"] = entry.date.isoformat()
        for name in ("source", "event", "significance", "action"):
            data[f"{prefix}-{name}"] = getattr(entry, name)
        if entry.date_is_approximate:
            data[f"{prefix}-date_is_approximate"] = "on"
    data[f"{rows.prefix}-TOTAL_FORMS"] = str(total + len(since))
    return chronology_rows(data, saved=total + len(since)), len(since)


@login_required
@require_POST
def return_unlock(request, pk):
    """The business unit unlocks a submitted return, with the reason."""
    found = request_access.access_request(request.user, pk)
    access.access_case(request.user, found.rapid_review.case_id, access.CHANGE)
    challenge = reauthentication_challenge(request, action=f"unlock {found.agency}'s return")
    if challenge is not None:
        return challenge
    try:
        services.return_unlock(
            information_return=found.information_return,
            reason=posted_text(request, "reason"),
            by=request.user,
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
        request.user, information_return, request_allowed=found.permissions
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
                show_refusal(form, error)
            else:
                messages.success(request, f"{count} chronology rows imported")
                return redirect("return-edit", pk=found.pk)
    return render(
        request,
        "rapid_reviews/chronology_import.html",
        {"req": found, "form": form, "row_errors": row_errors},
    )


@login_required
@require_POST
def return_addendum(request, pk):
    """The agency adds later material to its submitted (locked) return."""
    found = request_access.access_request(request.user, pk, request_access.RESPOND)
    try:
        services.return_add_addendum(
            information_return=found.information_return,
            text=posted_text(request, "text"),
            by=request.user,
        )
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Addendum added")
    return redirect("request-detail", pk=found.pk)
