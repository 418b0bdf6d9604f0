"""The objects of action plans, learning and reporting, for the security tests to probe:
built with the ORM directly (not the actions services), the same in both partnerships.

Each recipe takes a side (`tests.security.conftest.Side`: its case, agencies, people and
the objects built so far) and returns the object its state names. `ACTION_STATES` is
merged into the conftest's STATES: (states it needs first, recipe).

What is built on each side's case, from its rapid review (learning meeting held, so its
immediate action for the police exists):
- the action plan, with action 1 for the police and action 2 for the health trust, both
  open and due in 30 days; action 3 for the police, complete;
- evidence on the police action: a file and a link;
- a barrier to the police action awaiting the executive's response, and another one
  already answered;
- the learning meeting's immediate action, not yet taken into the plan;
- a learning event sharing the case's learning, a theme applied to the case, and the
  learning briefings of the rapid review and of the local review.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

# A word in every text of an agency's actions (finding, change, evidence, barriers), which
# no page may show to another agency's contributor.
MARK = {"police": "Kestrel", "health": "Heron"}
POLICE_MARK, HEALTH_MARK = MARK["police"], MARK["health"]
EVIDENCE_TEXT = b"Minutes of the staff briefing (fictional).\n"


def _today():
    return timezone.localdate()


def _plan(side):
    from actions.models import ActionPlan, PlanSource

    return ActionPlan.objects.create(
        case=side.case, source=PlanSource.RAPID_REVIEW, created_by=side["business_manager"]
    )


def _action(agency_of, number, *, complete=False):
    """Action `number` of the side's plan, owned by the agency `agency_of(side)` gives,
    with its deadline (as the actions services set one)."""

    def recipe(side):
        from actions.models import Action, ActionStatus
        from cspr.deadline_rules import Rule
        from cspr.services.deadlines import deadline_set

        agency = agency_of(side)
        mark = MARK[agency.type]
        due_on = _today() + datetime.timedelta(days=30)
        deadline = deadline_set(
            case=side.case,
            rule=Rule.ACTION,
            anchor_date=_today(),
            anchor_event="the action plan was agreed",
            due_on=due_on,
            title=f"Action {number}",
            agency=agency,
            by=side["business_manager"],
        )
        action = Action.objects.create(
            plan=side.objects["plan"],
            number=number,
            finding=f"{mark} finding {number}: the agency did not share what it knew.",
            change=f"{mark} change {number}: staff are briefed on information sharing.",
            agency=agency,
            owner_name="Sam Fictional, Head of Safeguarding",
            due_on=due_on,
            deadline=deadline,
            created_by=side["business_manager"],
        )
        if complete:
            action.status = ActionStatus.COMPLETE
            action.completed_on = _today()
            action.save()
        return action

    return recipe


def _evidence_file(side):
    from actions.models import Evidence
    from cspr.uploads import ScanResult

    evidence = Evidence(
        action=side.objects["police_action"],
        description="Kestrel briefing minutes",
        original_name="minutes.txt",
        content_type="text/plain",
        size=len(EVIDENCE_TEXT),
        sha256="0" * 64,
        scan_result=ScanResult.NOT_SCANNED,
        added_by=side["police_contributor"],
    )
    evidence.file.save("minutes.txt", ContentFile(EVIDENCE_TEXT), save=False)
    evidence.save()
    return evidence


def _evidence_link(side):
    from actions.models import Evidence

    return Evidence.objects.create(
        action=side.objects["police_action"],
        description="Kestrel procedure",
        link="https://www.example.org/procedures/information-sharing",
        added_by=side["police_contributor"],
    )


def _barrier(side):
    from actions.models import Barrier

    return Barrier.objects.create(
        action=side.objects["police_action"],
        description="Kestrel barrier: no budget for the training this year (fictional).",
        raised_by=side["police_contributor"],
    )


def _barrier_answered(side):
    from actions.models import Barrier

    return Barrier.objects.create(
        action=side.objects["police_action"],
        description="Kestrel barrier: the trainer left (fictional).",
        raised_by=side["police_contributor"],
        response="The partnership pays for a trainer this quarter (fictional).",
        responded_at=timezone.now(),
        responded_by=side["executive"],
    )


def _immediate_action(side):
    """The learning meeting's immediate action for the police (tests.rapid_reviews'
    `meet`), not taken into the plan."""
    from rapid_reviews.models import ImmediateAction

    return ImmediateAction.objects.get(meeting__rapid_review__case=side.case)


def _learning_event(side):
    from actions.models import LearningEvent, LearningEventCase

    event = LearningEvent.objects.create(
        partnership=side.partnership,
        title="Autumn learning event (fictional)",
        held_on=datetime.date(2026, 10, 15),
        audience="Practitioners of every partner agency",
        attendance=42,
        created_by=side["business_manager"],
    )
    LearningEventCase.objects.create(event=event, case=side.case)
    return event


def _case_theme(side):
    from actions.models import CaseTheme, Theme

    return CaseTheme.objects.create(
        case=side.case,
        theme=Theme.objects.get(name="Information sharing"),
        added_by=side["business_manager"],
    )


def _rapid_briefing(side):
    from rapid_reviews.models import LearningBriefing

    return LearningBriefing.objects.create(
        rapid_review=side.objects["review"],
        title="Learning from the rapid review (fictional)",
        body="Agencies did not share what they knew (fictional).",
    )


def _local_briefing(side):
    from reviews.models import LocalReview
    from reviews.models.publication import ReviewBriefing

    return ReviewBriefing.objects.create(
        review=LocalReview.objects.get(case=side.case),
        title="Learning from the local review (fictional)",
        body="Practitioners did not hear the child (fictional).",
    )


ACTION_STATES = {
    "plan": (("meeting",), _plan),
    "police_action": (("plan",), _action(lambda side: side.police, 1)),
    "health_action": (("police_action",), _action(lambda side: side.health, 2)),
    "complete_action": (("health_action",), _action(lambda side: side.police, 3, complete=True)),
    "evidence_file": (("police_action",), _evidence_file),
    "evidence_link": (("police_action",), _evidence_link),
    "barrier": (("police_action",), _barrier),
    "barrier_answered": (("police_action",), _barrier_answered),
    "immediate_action": (("plan",), _immediate_action),
    "learning_event": ((), _learning_event),
    "case_theme": ((), _case_theme),
    "rapid_briefing": (("review",), _rapid_briefing),
    "local_briefing": (("local_approved",), _local_briefing),
}


def build_on(side, state, states):
    """Build `state` (and what it needs) on one side only; idempotent. For tests that
    work in one partnership (the fuzzing)."""
    needs, recipe = states[state]
    for need in needs:
        build_on(side, need, states)
    if state not in side.objects:
        side.objects[state] = recipe(side) if recipe else side.case
    return side.objects[state]
