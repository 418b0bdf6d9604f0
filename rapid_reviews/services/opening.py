"""Opening a rapid review, sending information requests, agencies securing records."""

from django.db import transaction
from django.utils import timezone

from cspr import access
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, ClockStart, EventKind, Stage
from cspr.services.audit import record_event, stamp
from cspr.services.cases import case_grant_agency, case_move_stage
from cspr.services.deadlines import deadline_set
from cspr.working_days import load_calendar
from rapid_reviews import access as request_access
from rapid_reviews.models import (
    InformationRequest,
    InformationReturn,
    RapidReview,
)
from rapid_reviews.services.pack import pack_pdf_queue

COLLATION_WORKING_DAYS = 2  # the business unit needs these to collate before the meeting


def _fmt(day):
    return f"{day:%-d %B %Y}"


def clock_start_for(case):
    """(clock start, what it is, learning-meeting anchor) for a case, by the partnership's
    setting; refuses when neither a sent notification nor a decision to convene exists."""
    from referrals.models import Decision, Notification, ReferralStatus

    notification = Notification.objects.filter(case=case).first()
    if notification and notification.is_sent:
        if case.partnership.rapid_review_clock_start == ClockStart.PARTNERSHIP_NOTIFIED:
            if not notification.partnership_told_on:
                raise Incomplete(
                    {
                        "partnership_told_on": "Record the date the partnership was told of "
                        "the notification: the 15 working days count from it"
                    }
                )
            return (
                notification.partnership_told_on,
                "the partnership was told of the notification",
                notification.sent_on,
            )
        return notification.sent_on, "the notification was sent to the Panel", notification.sent_on
    referral = (
        case.referrals.filter(status=ReferralStatus.DECIDED, decision=Decision.RAPID_REVIEW)
        .order_by("-decided_at")
        .first()
    )
    if referral:
        decided = timezone.localdate(referral.decided_at)
        return decided, "the sub-group decided to convene a rapid review", decided
    raise TransitionNotAllowed(
        "A rapid review follows a notification sent to the Panel or the sub-group's decision "
        "to convene one. Record one of them first."
    )


def rapid_review_open(*, case, by):
    """Open the case's rapid review: sets the learning-meeting window (6 to 10 working
    days after the notification) and the report deadline (15 working days from the
    partnership's clock start), and moves the case to the rapid review stage.
    Business unit only; once per case."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can open a rapid review.")
        if RapidReview.objects.filter(case=case).exists():
            raise TransitionNotAllowed("This case already has a rapid review.")
        clock_start, basis, meeting_anchor = clock_start_for(case)
        calendar = load_calendar()
        meeting = deadline_set(
            case=case,
            rule=Rule.LEARNING_MEETING,
            anchor_date=meeting_anchor,
            anchor_event="the notification" if meeting_anchor != clock_start else basis,
            by=by,
            calendar=calendar,
        )
        report = deadline_set(
            case=case,
            rule=Rule.RAPID_REVIEW_REPORT,
            anchor_date=clock_start,
            anchor_event=basis,
            by=by,
            calendar=calendar,
        )
        review = stamp(
            RapidReview(
                case=case,
                opened_by=by,
                clock_start=clock_start,
                clock_start_basis=basis,
                meeting_deadline=meeting,
                report_deadline=report,
            ),
            by=by,
            reason="Opened",
        )
        review.save()
        case_move_stage(case=case, to=Stage.RAPID_REVIEW, by=by, note="Rapid review opened")
        record_event(
            case=case,
            kind=EventKind.RAPID_REVIEW_OPENED,
            by=by,
            summary=f"Rapid review opened: report due {_fmt(report.due_on)}",
            note=f"Learning meeting between {_fmt(meeting.opens_on)} and {_fmt(meeting.due_on)}.",
        )
    return review


def information_request_send(*, rapid_review, agency, due_on, note, by):
    """Ask an agency of the partnership for its return; lets its contributors see the case.

    Returns the request; `collation_warning` says when the due date leaves no time to
    collate the returns before the learning meeting must be held.
    """
    with transaction.atomic():
        review = (
            RapidReview.objects.select_for_update()
            .select_related("case", "meeting_deadline")
            .get(pk=rapid_review.pk)
        )
        case = review.case
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can send information requests.")
        if agency.partnership_id != case.partnership_id or not agency.is_active:
            raise TransitionNotAllowed("That agency is not an active agency of this partnership.")
        if review.requests.filter(agency=agency).exists():
            raise TransitionNotAllowed(f"{agency} has already been asked.")
        today = timezone.localdate()
        if due_on < today:
            raise Incomplete({"due_on": "The due date must be today or later"})
        calendar = load_calendar()
        latest = calendar.subtract_working_days(
            review.meeting_deadline.due_on, COLLATION_WORKING_DAYS
        )
        warning = ""
        if due_on > latest:
            warning = (
                f"Due {_fmt(due_on)}: later than {_fmt(latest)}, which leaves less than "
                f"{COLLATION_WORKING_DAYS} working days to collate the returns before the "
                f"learning meeting must be held (by {_fmt(review.meeting_deadline.due_on)})."
            )
        deadline = deadline_set(
            case=case,
            rule=Rule.AGENCY_RETURN,
            title=f"{agency} information return",
            anchor_date=today,
            anchor_event="the information request",
            due_on=due_on,
            by=by,
            calendar=calendar,
            agency=agency,
        )
        request = stamp(
            InformationRequest(
                rapid_review=review,
                agency=agency,
                note=note,
                deadline=deadline,
                collation_warning=warning,
                sent_by=by,
            ),
            by=by,
            reason="Sent",
        )
        request.save()
        information_return = stamp(InformationReturn(request=request), by=by, reason="Requested")
        information_return.save()
        request_access.grant_return(information_return)
        case_grant_agency(case=case, agency=agency, by=by, reason="Information requested")
        record_event(
            case=case,
            kind=EventKind.INFORMATION_REQUESTED,
            by=by,
            summary=f"Information requested from {agency}, due {_fmt(due_on)}",
            note=warning,
        )
        pack_pdf_queue(review=review)
    return request


def records_secured_confirm(*, request, by):
    """The requested agency confirms it has secured its own case files (R4). Once."""
    with transaction.atomic():
        request = (
            InformationRequest.objects.select_for_update()
            .select_related("agency", "rapid_review__case")
            .get(pk=request.pk)
        )
        if request_access.RESPOND not in request_access.request_permissions(by, request):
            raise TransitionNotAllowed("Only the agency asked can confirm its records are secured.")
        if request.records_secured_at:
            raise TransitionNotAllowed(
                f"{request.records_secured_by} already confirmed this on "
                f"{timezone.localtime(request.records_secured_at):%-d %B %Y at %H:%M}."
            )
        request.records_secured_at, request.records_secured_by = timezone.now(), by
        stamp(request, by=by, reason="Records secured").save()
        record_event(
            case=request.rapid_review.case,
            kind=EventKind.RECORDS_SECURED,
            by=by,
            summary=f"{request.agency} confirmed its case records are secured",
        )
    return request
