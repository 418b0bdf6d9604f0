"""What every local review service shares: the row lock, the permission guard and the
status table."""

from django.utils import timezone

from cspr.errors import TransitionNotAllowed
from cspr.services.audit import stamp
from reviews import access
from reviews.models import ALLOWED_REVIEW_MOVES, LocalReview, ReviewStatus

FINISHED = (ReviewStatus.PUBLISHED, ReviewStatus.NOT_PUBLISHED)
RUNNING = (ReviewStatus.COMMISSIONING, ReviewStatus.UNDER_WAY)


def fmt(day):
    return f"{day:%-d %B %Y}"


def lock(review):
    """The review, locked for the rest of the transaction, with its case."""
    return (
        LocalReview.objects.select_for_update(of=("self",))
        .select_related("case__partnership", "completion_deadline")
        .get(pk=review.pk)
    )


def guard(review, by, action, refusal):
    """Refuse unless `by` may do `action` with the review (`reviews.access`)."""
    if by is None or not access.may(by, action, review):
        raise TransitionNotAllowed(refusal)


def guard_status(review, allowed, refusal):
    if review.status not in allowed:
        raise TransitionNotAllowed(refusal)


def move(review, to, *, by, reason):
    """Move the review's status along `ALLOWED_REVIEW_MOVES` and save it (with its other
    changed fields) for history."""
    if to not in ALLOWED_REVIEW_MOVES[ReviewStatus(review.status)]:
        raise TransitionNotAllowed(
            f"A review that is {review.get_status_display().lower()} cannot become "
            f"{ReviewStatus(to).label.lower()}."
        )
    review.status = to
    stamp(review, by=by, reason=reason).save()
    return review


def blank(value):
    return not str(value or "").strip()


def not_future(day, field, what="The date"):
    """{field: message} when `day` is after today, for an `Incomplete`."""
    if day and day > timezone.localdate():
        return {field: f"{what} must be today or in the past"}
    return {}
