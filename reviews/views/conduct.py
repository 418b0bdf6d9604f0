"""Pages for the review under way: the "review has started" letters, monitoring (the
checkpoints and the written requests to the reviewer) and parallel processes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cspr import uploads
from cspr.authentication import reauthentication_challenge
from cspr.pdf import pdf_response
from reviews import access, selectors, services
from reviews.forms import (
    CheckpointForm,
    ConcludeForm,
    LetterForm,
    ParallelProcessForm,
    RequestAnswerForm,
    ReviewerRequestForm,
    SentOnForm,
)
from reviews.models import (
    MonitoringCheckpoint,
    ParallelProcess,
    ReviewerRequest,
    ReviewStatus,
    StartLetter,
)
from reviews.services.conduct import MONITORED
from reviews.views.common import attempt, due, forms_with_errors, page

# ----------------------------------------------------------------------------------- letters


def _letters_page(request, review, *, form=None, sent_forms=None):
    manage = access.MANAGE in review.permissions
    letters = review.letters.select_related("agency", "sent_by").order_by("created_at", "id")
    unsent = [letter.pk for letter in letters if not letter.is_sent] if manage else []
    context = {
        "letters": letters,
        "suggested": selectors.suggested_recipients(review) if manage else [],
        "sent_forms": {pk: SentOnForm(prefix=f"sent-{pk}") for pk in unsent} | (sent_forms or {}),
    }
    if form is not None:  # a refused form is always shown again, with what was typed
        context["form"] = form
    elif manage and review.is_started:
        context["form"] = LetterForm(partnership=review.case.partnership)
    return page(request, review, "reviews/letters.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_letters(request, case_pk):
    """The Business Manager's letters to the referrer and key agencies that the review has
    started: prepared here, downloaded as PDFs, recorded as sent."""
    if request.method == "GET":
        return _letters_page(request, access.access_review(request.user, case_pk))
    review = access.access_review(request.user, case_pk, access.MANAGE)
    form = LetterForm(request.POST, partnership=review.case.partnership)
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.letter_prepare(review=review, by=request.user, **form.cleaned_data),
        "Letter prepared: download it, send it, then record it as sent",
    ):
        return redirect("review-letters", case_pk)
    return _letters_page(request, review, form=form)


@login_required
@require_GET
def letter_pdf(request, case_pk, pk):
    """The letter as a PDF: made from the case until it is sent, then the copy sent."""
    review = access.access_review(request.user, case_pk)
    letter = access.review_object(review, StartLetter.objects, pk)
    challenge = reauthentication_challenge(request, action="download the letter")
    if challenge is not None:
        return challenge
    filename = f"review-started-letter-{letter.pk}.pdf"
    if letter.is_sent:
        return uploads.attachment_response(
            letter.copy, filename=filename, content_type="application/pdf"
        )
    return pdf_response(services.letter_render(letter), filename)


@login_required
@require_POST
def letter_sent(request, case_pk, pk):
    review = access.access_review(request.user, case_pk, access.MANAGE)
    letter = access.review_object(review, StartLetter.objects, pk)
    form = SentOnForm(request.POST, prefix=f"sent-{letter.pk}")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.letter_record_sent(letter=letter, by=request.user, **form.cleaned_data),
        f"Letter to {letter.addressee} recorded as sent; the copy sent is kept",
    ):
        return redirect("review-letters", case_pk)
    return _letters_page(request, review, sent_forms={letter.pk: form})


# -------------------------------------------------------------------------------- monitoring


def _monitoring_page(
    request, review, *, checkpoint=None, checkpoint_form=None, request_form=None, answer=None
):
    """The monitoring page. A refused form (`checkpoint_form` for `checkpoint`, the
    `request_form`, an `answer` as (request id, form)) is shown again whatever has changed
    meanwhile, with its message and what was typed."""
    allowed = review.permissions
    manage = access.MANAGE in allowed
    open_checkpoint = checkpoint or review.checkpoints.filter(held_on__isnull=True).first()
    context = {
        "completion_due": due(review.completion_deadline),
        "requests": [(r, due(r.deadline)) for r in selectors.reviewer_requests(review)],
        "answer_forms": {},
    }
    if request.user.has_role(*access.case_access.PARTNERSHIP_WIDE):
        context["checkpoints"] = [(c, due(c.deadline)) for c in selectors.checkpoints(review)]
    if manage and open_checkpoint:
        context["open_checkpoint"] = open_checkpoint
        context["checkpoint_form"] = checkpoint_form or CheckpointForm(prefix="checkpoint")
    if request_form is not None:
        context["request_form"] = request_form
    elif manage and review.status in (ReviewStatus.COMMISSIONING, *MONITORED):
        context["request_form"] = ReviewerRequestForm(prefix="request")
    if allowed & {access.MANAGE, access.REVIEWER}:
        for waiting in review.reviewer_requests.filter(answered_on__isnull=True):
            context["answer_forms"][waiting.pk] = RequestAnswerForm(prefix=f"answer-{waiting.pk}")
    if answer is not None:
        context["answer_forms"][answer[0]] = answer[1]
    return page(request, review, "reviews/monitoring.html", context)


@login_required
@require_GET
def review_monitoring(request, case_pk):
    """The partners' monitoring of time and quality, and the written requests to the
    reviewer (regulation 14). The reviewer sees the requests, not the partners' ratings."""
    return _monitoring_page(request, access.access_review(request.user, case_pk))


@login_required
@require_POST
def checkpoint_record(request, case_pk, pk):
    review = access.access_review(request.user, case_pk, access.MANAGE)
    checkpoint = access.review_object(review, MonitoringCheckpoint.objects, pk)
    form = CheckpointForm(request.POST, prefix="checkpoint")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.checkpoint_record(
            checkpoint=checkpoint, data=form.cleaned_data, by=request.user
        ),
        "Checkpoint recorded",
    ):
        return redirect("review-monitoring", case_pk)
    return _monitoring_page(request, review, checkpoint=checkpoint, checkpoint_form=form)


@login_required
@require_POST
def reviewer_request_send(request, case_pk):
    review = access.access_review(request.user, case_pk, access.MANAGE)
    form = ReviewerRequestForm(request.POST, prefix="request")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.reviewer_request_send(review=review, by=request.user, **form.cleaned_data),
        "Request sent to the reviewer",
    ):
        return redirect("review-monitoring", case_pk)
    return _monitoring_page(request, review, request_form=form)


@login_required
@require_POST
def reviewer_request_answer(request, case_pk, pk):
    review = access.access_review(request.user, case_pk)
    if not {access.MANAGE, access.REVIEWER} & review.permissions:
        raise PermissionDenied("The reviewer, or the business unit for them, records a reply.")
    waiting = access.review_object(review, ReviewerRequest.objects, pk)
    form = RequestAnswerForm(request.POST, prefix=f"answer-{waiting.pk}")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.reviewer_request_answer(
            request=waiting, by=request.user, **form.cleaned_data
        ),
        "Reply recorded",
    ):
        return redirect("review-monitoring", case_pk)
    return _monitoring_page(request, review, answer=(waiting.pk, form))


# ------------------------------------------------------------------------ parallel processes


def _processes_page(request, case, *, form=None, conclude=None):
    manage = access.MANAGE in case.permissions
    cases = selectors.linkable_cases(request.user, case)
    context = {
        "case": case,
        "processes": selectors.parallel_processes(case),
        "joint_with": selectors.joint_reviews_with(case, request.user),
        "form": (form or ParallelProcessForm(case=case, cases=cases)) if manage else None,
        "conclude_forms": {},
    }
    if manage:
        for process in context["processes"]:
            if process.is_open:
                context["conclude_forms"][process.pk] = ConcludeForm(
                    prefix=f"conclude-{process.pk}"
                )
    if conclude is not None:
        context["conclude_forms"][conclude[0]] = conclude[1]
    context["error_forms"] = forms_with_errors(context)
    return render(request, "reviews/parallel_processes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def parallel_processes(request, case_pk):
    """Processes beside the review (police, inquest, child death review, disciplinary, a
    domestic homicide or safeguarding adult review); an open one holds publication."""
    if request.method == "GET":
        return _processes_page(request, access.access_case(request.user, case_pk))
    case = access.access_case(request.user, case_pk, access.MANAGE)
    form = ParallelProcessForm(
        request.POST, case=case, cases=selectors.linkable_cases(request.user, case)
    )
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.parallel_process_record(
            case=case, data=form.cleaned_data, by=request.user
        ),
        "Parallel process recorded",
    ):
        return redirect("parallel-processes", case_pk)
    return _processes_page(request, case, form=form)


@login_required
@require_POST
def parallel_process_conclude(request, case_pk, pk):
    case = access.access_case(request.user, case_pk, access.MANAGE)
    process = ParallelProcess.objects.filter(case=case, pk=pk).first()
    if process is None:
        raise Http404("No such process.")
    form = ConcludeForm(request.POST, prefix=f"conclude-{process.pk}")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.parallel_process_conclude(
            process=process, by=request.user, **form.cleaned_data
        ),
        f"{process} recorded as concluded",
    ):
        return redirect("parallel-processes", case_pk)
    return _processes_page(request, case, conclude=(process.pk, form))
