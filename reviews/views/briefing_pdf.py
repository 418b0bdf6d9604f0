"""The local review's learning briefing as a tagged PDF, for whoever may read the briefing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from cspr.pdf import pdf_response, render_pdf
from cspr.selectors import child_names_in
from reviews import access
from reviews.models import ReviewBriefing


@login_required
@require_GET
def review_briefing_pdf(request, case_pk):
    """The anonymised briefing with its publication status. Refused (back to the briefing
    page) if its text names the child, as it could after the child's record was corrected."""
    review = access.access_review(request.user, case_pk)
    briefing = ReviewBriefing.objects.filter(review=review).first()
    if briefing is None:
        raise Http404("No briefing has been written yet.")
    if child_names_in(f"{briefing.title}\n{briefing.body}", review.case):
        messages.error(request, "The briefing names the child, so it cannot be downloaded.")
        return redirect("review-briefing", case_pk=review.case_id)
    context = {
        "briefing": briefing,
        "kind": "Local child safeguarding practice review",
        "case": review.case,
        "partnership": review.case.partnership,
        "generated_at": timezone.now(),
    }
    pdf = render_pdf("partials/briefing_pdf.html", context)
    return pdf_response(pdf, f"local-review-learning-briefing-{review.case_id}.pdf")
