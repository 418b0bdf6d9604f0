"""Supporting documents with an agency's information return: list, upload, download, remove.

Who may see the request sees its submitted return's documents; the asked agency sees its
own draft's too, and adds or removes them while the return is editable (ADR 4).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cspr import uploads
from cspr.errors import TransitionNotAllowed
from cspr.views.common import show_refusal
from rapid_reviews import access as request_access
from rapid_reviews.forms import AttachmentForm
from rapid_reviews.services.attachments import (
    return_attachment_add,
    return_attachment_remove,
)

LOCKED = "This return is submitted and locked."


def _may_attach(user, found):
    return request_access.EDIT_RETURN in request_access.return_permissions(
        user, found.information_return, request_allowed=found.permissions
    )


@login_required
@require_GET
def attachment_list(request, pk):
    """The documents sent with the return, each with its download link."""
    found = request_access.access_request(request.user, pk)
    return render(
        request,
        "rapid_reviews/attachment_list.html",
        {
            "req": found,
            "attachments": request_access.attachments_visible(request.user, found),
            "may_attach": _may_attach(request.user, found),
            "form": AttachmentForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request, pk):
    """The agency adds a document to its draft return. A refused file (too big, not an
    accepted kind, a virus, or no virus check possible) is shown on the page; nothing is
    stored."""
    found = request_access.access_request(request.user, pk, request_access.RESPOND)
    if not _may_attach(request.user, found):
        messages.error(request, LOCKED)
        return redirect("request-detail", pk=found.pk)
    posted = request.method == "POST"
    form = AttachmentForm(request.POST, request.FILES) if posted else AttachmentForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = return_attachment_add(
                information_return=found.information_return, upload=upload, by=request.user
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{attachment.original_name} added to the return")
            return redirect("request-detail", pk=found.pk)
    return render(request, "rapid_reviews/attachment_upload.html", {"req": found, "form": form})


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    """The file itself, as a download (never shown in the browser)."""
    attachment = request_access.access_attachment(request.user, pk, attachment_pk)
    return uploads.attachment_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_remove(request, pk, attachment_pk):
    """The agency removes a document from its draft return, after confirming."""
    attachment = request_access.access_attachment(
        request.user, pk, attachment_pk, request_access.RESPOND
    )
    if request_access.EDIT_RETURN not in attachment.permissions:
        messages.error(request, LOCKED)
        return redirect("request-detail", pk=pk)
    if request.method == "POST":
        try:
            return_attachment_remove(attachment=attachment, by=request.user)
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{attachment.original_name} removed from the return")
        return redirect("request-detail", pk=pk)
    return render(
        request,
        "rapid_reviews/attachment_remove.html",
        {"req": attachment.request, "attachment": attachment},
    )
