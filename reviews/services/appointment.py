"""The independent reviewer: the appointment (with the protocol's five considerations),
its end, and a sign-in for a reviewer new to the partnership (R6)."""

from django.db import transaction

from cspr import access as case_access
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind, Role
from cspr.services.audit import record_event, stamp
from cspr.services.cases import case_grant_reviewer, case_revoke_reviewer
from reviews import access
from reviews.models import ReviewerAppointment
from reviews.services.common import RUNNING, blank, fmt, guard, guard_status, lock, not_future

CONSIDERATIONS = [
    "knowledge_and_engagement",
    "research_knowledge",
    "complex_circumstances",
    "communicating_findings",
]


def current_appointment(review):
    return (
        ReviewerAppointment.objects.filter(review=review, ended_on__isnull=True)
        .select_related("reviewer")
        .first()
    )


def reviewer_appoint(*, review, reviewer, appointed_on, considerations, conflict, by):
    """Appoint the independent reviewer, recording the protocol's five considerations;
    a declared conflict of interest needs the appointing group's decision. The reviewer
    then sees this case and no other. Business unit; one reviewer at a time.

    `considerations` maps each of CONSIDERATIONS to its text; `conflict` is a dict with
    `declared`, `details` and `decision`."""
    with transaction.atomic():
        review = lock(review)
        guard(review, by, access.MANAGE, "Only the business unit appoints the reviewer.")
        guard_status(review, RUNNING, "The reviewer is appointed while the review is running.")
        if current_appointment(review):
            raise TransitionNotAllowed(
                "The review has a reviewer: end that appointment before appointing another."
            )
        missing = not_future(appointed_on, "appointed_on", "The date of appointment")
        if appointed_on is None:
            missing["appointed_on"] = "Enter the date of appointment"
        if not (
            reviewer.is_active
            and reviewer.partnership_id == review.case.partnership_id
            and reviewer.has_role(Role.INDEPENDENT_REVIEWER)
        ):
            missing["reviewer"] = "Choose an independent reviewer of this partnership"
        for name in CONSIDERATIONS:
            if blank(considerations.get(name)):
                missing[name] = "Record how the reviewer meets this consideration"
        if conflict["declared"]:
            if blank(conflict["details"]):
                missing["conflict_details"] = "Describe the conflict of interest declared"
            if blank(conflict["decision"]):
                missing["conflict_decision"] = (
                    "Record the appointing group's decision on the conflict of interest"
                )
        if missing:
            raise Incomplete(missing)
        appointment = stamp(
            ReviewerAppointment(
                review=review,
                reviewer=reviewer,
                appointed_on=appointed_on,
                appointed_by=by,
                conflict_declared=conflict["declared"],
                conflict_details=conflict["details"] if conflict["declared"] else "",
                conflict_decision=conflict["decision"] if conflict["declared"] else "",
                **{name: considerations[name] for name in CONSIDERATIONS},
            ),
            by=by,
            reason="Appointed",
        )
        appointment.save()
        case_grant_reviewer(
            case=review.case, reviewer=reviewer, by=by, reason="Appointed to the local review"
        )
        record_event(
            case=review.case,
            kind=EventKind.REVIEWER_APPOINTED,
            by=by,
            summary=f"{reviewer} appointed as the independent reviewer from {fmt(appointed_on)}",
            note=f"Conflict of interest declared: {appointment.conflict_details}\n"
            f"Decision: {appointment.conflict_decision}"
            if appointment.conflict_declared
            else "No conflict of interest declared.",
        )
    return appointment


def appointment_end(*, appointment, ended_on, reason, by):
    """End the reviewer's appointment (they withdrew, or were replaced): they no longer see
    the case. Business unit; with a reason."""
    with transaction.atomic():
        review = lock(appointment.review)
        guard(review, by, access.MANAGE, "Only the business unit ends an appointment.")
        appointment = ReviewerAppointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.ended_on:
            raise TransitionNotAllowed("This appointment has already ended.")
        missing = not_future(ended_on, "ended_on")
        if ended_on is None:
            missing["ended_on"] = "Enter the date it ends"
        elif ended_on < appointment.appointed_on:
            missing["ended_on"] = "The appointment cannot end before it began"
        if blank(reason):
            missing["reason"] = "Say why the appointment ends"
        if missing:
            raise Incomplete(missing)
        appointment.ended_on, appointment.ended_reason, appointment.ended_by = ended_on, reason, by
        stamp(appointment, by=by, reason="Ended").save()
        case_revoke_reviewer(case=review.case, reviewer=appointment.reviewer, by=by, reason=reason)
        record_event(
            case=review.case,
            kind=EventKind.REVIEWER_APPOINTMENT_ENDED,
            by=by,
            summary=f"{appointment.reviewer}'s appointment as reviewer ended on {fmt(ended_on)}",
            note=reason,
        )
    return appointment


def reviewer_account_create(*, partnership, first_name, last_name, email, by):
    """Give a newly commissioned reviewer a sign-in: an account with the independent
    reviewer role only, which sees no case until an appointment grants one. They are
    e-mailed a link to choose a password (then set up their second factor at the first
    sign-in). The partnership's business unit only; an address already in use is refused."""
    from django.contrib.auth import get_user_model
    from django.utils.crypto import get_random_string

    from cspr.services.people import person_sync_groups
    from reviews.tasks import send_reviewer_invitation

    User = get_user_model()
    if not case_access.may_manage_cases(by) or by.partnership_id != partnership.pk:
        raise TransitionNotAllowed("Only the partnership's business unit adds a reviewer.")
    missing = {}
    if blank(first_name):
        missing["first_name"] = "Enter the reviewer's first name"
    if blank(last_name):
        missing["last_name"] = "Enter the reviewer's last name"
    if blank(email):
        missing["email"] = "Enter the reviewer's e-mail address"
    if missing:
        raise Incomplete(missing)
    email = email.strip()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise Incomplete(
                {
                    "email": "Someone already signs in with this e-mail address: choose them "
                    "from the list, or ask an administrator"
                }
            )
        stem = email.split("@")[0].lower()[:20] or "reviewer"
        username = stem
        while User.objects.filter(username=username).exists():
            username = f"{stem}-{get_random_string(4, 'abcdefghijkmnpqrstuvwxyz23456789')}"
        user = User(
            username=username,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            partnership=partnership,
            job_title="Independent reviewer",
        )
        # A password nobody knows: the reviewer chooses theirs through the e-mailed link.
        user.set_password(get_random_string(48))
        stamp(user, by=by, reason="Reviewer's sign-in created").save()
        person_sync_groups(user=user, roles={Role.INDEPENDENT_REVIEWER})
        transaction.on_commit(lambda: send_reviewer_invitation.delay(user.pk))
    return user


def reviewer_invitation_send(*, user):
    """E-mail a new reviewer the link to choose their password. The link is the password
    reset link (single use, PASSWORD_RESET_TIMEOUT), its address from SITE_URL."""
    from urllib.parse import urljoin

    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if not (user.is_active and user.email):
        return False
    path = reverse(
        "password-reset-confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    context = {
        "user": user,
        "link": urljoin(settings.SITE_URL, path),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "sign_in": urljoin(settings.SITE_URL, reverse("sign-in")),
    }
    subject = render_to_string("emails/reviewer_invitation_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject,
        render_to_string("emails/reviewer_invitation_body.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("emails/reviewer_invitation_body.html", context), "text/html"
    )
    message.send()
    return True
