"""Builders for action plans and actions in given states, on the `world` (or a security
`Side`): a plan for a case's rapid review or local review, an action on it owned by an
agency with a reported status, evidence and a barrier. Fictional people only."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.models import ActionPlan, ActionStatus, PlanSource
from actions.services import barriers, evidence, plans, progress

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def rapid_review_of(world, case=None):
    """The case's rapid review (the learning meeting held, with its immediate action of
    briefing staff, owned by the police), opened if it has none."""
    from rapid_reviews import services as rapid
    from rapid_reviews.models import RapidReview
    from tests.rapid_reviews.test_decision import meet
    from tests.rapid_reviews.test_rapid_reviews import notify

    case = case or world.case
    review = RapidReview.objects.filter(case=case).first()
    if review is None:
        notify(world)
        review = rapid.rapid_review_open(case=case, by=world["business_manager"])
        meet(world, review)
    return review


def local_review_of(world):
    """`world.case` taken on from its rapid review (opened and met if need be) to the
    Panel's agreement, and its local review commissioned."""
    from rapid_reviews import services as rapid
    from reviews import services as local
    from tests.reviews.builders import executives

    manager, today = world["business_manager"], timezone.localdate()
    review = rapid_review_of(world)
    rapid.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    for executive in executives(world):
        rapid.partner_sign_off(rapid_review=review, by=executive)
    rapid.report_sent(rapid_review=review, sent_on=today, by=manager)
    rapid.panel_response_record(
        rapid_review=review,
        outcome="agrees_local_cspr",
        letter_date=today,
        received_on=today,
        text="The Panel's letter (fictional).",
        information_due_on=None,
        by=manager,
    )
    world.case.refresh_from_db()
    return local.local_review_commission(case=world.case, by=manager)


def plan_for(world, case=None, source=PlanSource.RAPID_REVIEW):
    """The case's action plan of `source`, opened by the business unit (the rapid review
    is opened first when needed; a local review's plan needs the review commissioned)."""
    case = case or world.case
    found = ActionPlan.objects.filter(case=case, source=source).first()
    if found is not None:
        return found
    if source == PlanSource.RAPID_REVIEW:
        rapid_review_of(world, case)
    elif not hasattr(type(case).objects.get(pk=case.pk), "local_review"):
        local_review_of(world)
    case.refresh_from_db()
    return plans.action_plan_open(case=case, source=source, by=world["business_manager"])


def action_data(world, agency, due_on=None, **overrides):
    return {
        "finding": "Agencies did not share what they knew about the child (fictional).",
        "change": "Every strategy discussion includes health and education (fictional).",
        "agency": agency,
        "owner_name": "Pat Fictional, Head of Safeguarding",
        "due_on": due_on or timezone.localdate() + datetime.timedelta(days=60),
        "themes": [],
        **overrides,
    }


def action_on(
    plan, agency, due_on=None, status=ActionStatus.NOT_STARTED, *, world, added_on=None, **overrides
):
    """An action of the plan owned by `agency`, brought to `status` (on track or at risk
    by a progress update, complete today, impact assured today). `added_on` adds it on an
    earlier day (for an action already overdue)."""
    if added_on is not None:
        from tests.actions.conftest import travel

        with travel(added_on):
            action = action_on(plan, agency, due_on, world=world, **overrides)
        return action_on_status(action, status, world)
    action = plans.action_add(
        plan=plan,
        data=action_data(world, agency, due_on, **overrides),
        by=world["business_manager"],
    )
    return action_on_status(action, status, world)


def action_on_status(action, status, world):
    """Bring an action just added to `status`."""
    manager = world["business_manager"]
    if status in (ActionStatus.ON_TRACK, ActionStatus.AT_RISK):
        progress.progress_add(
            action=action, text="Training booked (fictional).", status=status, by=manager
        )
    if status in (ActionStatus.COMPLETE, ActionStatus.IMPACT_ASSURED):
        progress.action_complete(
            action=action,
            completed_on=timezone.localdate(),
            text="All staff briefed (fictional).",
            by=manager,
        )
    if status == ActionStatus.IMPACT_ASSURED:
        progress.impact_assure(
            action=action,
            how="An audit of ten strategy discussions since (fictional).",
            assured_on=timezone.localdate(),
            by=manager,
        )
    action.refresh_from_db()
    return action


def pdf_upload(name="briefing-attendance.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def evidence_on(action, by, *, upload=None, link="", description="Attendance list (fictional)"):
    if upload is None and not link:
        upload = pdf_upload()
    return evidence.evidence_add(
        action=action, description=description, upload=upload, link=link, by=by
    )


def barrier_on(action, by=None, *, world, description="No trainer until spring (fictional)."):
    return barriers.barrier_raise(
        action=action, description=description, by=by or world["business_manager"]
    )


def events(case, kind):
    """The case's timeline rows of one kind, oldest first."""
    from cspr.models import CaseEvent

    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("id"))


def last_event(case, kind):
    found = events(case, kind)
    return found[-1] if found else None


def changed_by(obj):
    """Who django-simple-history says made the row's latest change."""
    return obj.history.first().history_user


def stored_files(root):
    """Every file under MEDIA_ROOT."""
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
