"""Rapid review tasks. Thin: ids in, a service does the work; queued on commit."""

from celery import shared_task

from cspr.tasks import RETRY


# WeasyPrint takes seconds for a large pack; one stuck far longer is stopped, and the next
# download makes the PDF itself.
@shared_task(**RETRY, soft_time_limit=300, time_limit=360)
def prepare_pack_pdf(review_id):
    """Make and keep the review's collated pack PDF if the kept one is out of date. Running
    twice does no harm: the second finds the first one's PDF right."""
    from rapid_reviews.models import RapidReview
    from rapid_reviews.services.pack import pack_pdf_prepare

    review = RapidReview.objects.select_related("case__partnership").filter(pk=review_id).first()
    return bool(review) and pack_pdf_prepare(review=review)
