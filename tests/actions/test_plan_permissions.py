"""Every action plan view over every persona: the partnership sees every plan; the
business unit maintains; the sub-group monitors (its chair assures impact); executives
answer barriers; an agency sees and updates only its own actions (another agency's is a
404); the reviewer, the administrator and another partnership see nothing (404). Each
view's allowed personas are the control that the denials come from permissions."""

import datetime

import pytest
from django.urls import reverse

from actions.models import ActionStatus
from tests.actions.builders import action_on, barrier_on, evidence_on, plan_for
from tests.conftest import PERSONAS

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")

WIDE = ["business_manager", "subgroup_member", "subgroup_chair", "executive"]
NOBODY = ["reviewer", "administrator", "stranger"]


def expect(ok=(), forbidden=(), ok_status=200, default=404):
    """{persona: status}: `ok` answer `ok_status`, `forbidden` 403, everyone else 404."""
    table = dict.fromkeys(PERSONAS, default)
    table.update(dict.fromkeys(forbidden, 403))
    table.update(dict.fromkeys(ok, ok_status))
    return table


class Scene:
    """A rapid review's plan with a police action (the one each view is asked about,
    complete where the view needs it) and a health action; evidence the police added and
    a barrier the police raised."""

    def __init__(self, world, status=ActionStatus.NOT_STARTED):
        self.world = world
        self.plan = plan_for(world)
        self.action = action_on(self.plan, world.police, D(2027, 1, 29), status, world=world)
        self.health_action = action_on(self.plan, world.health, D(2027, 1, 29), world=world)
        if status == ActionStatus.NOT_STARTED:
            self.evidence = evidence_on(self.action, world["police_contributor"])
            self.barrier = barrier_on(self.action, world["police_contributor"], world=world)

    def url(self, name, *extra):
        return reverse(name, args=[self.world.case.pk, self.action.pk, *extra])


GETS = {
    "plans": (
        lambda s: reverse("action-plans", args=[s.world.case.pk]),
        expect(ok=[*WIDE, "police_contributor", "health_contributor"]),
    ),
    "detail": (
        lambda s: s.url("action-detail"),
        expect(ok=[*WIDE, "police_contributor"]),
    ),
    "edit": (
        lambda s: s.url("action-edit"),
        expect(ok=["business_manager"], forbidden=[*WIDE[1:], "police_contributor"]),
    ),
    "add": (
        lambda s: reverse("action-add", args=[s.world.case.pk, s.plan.pk]),
        expect(
            ok=["business_manager"],
            forbidden=[*WIDE[1:], "police_contributor", "health_contributor"],
        ),
    ),
    "take_in": (
        lambda s: reverse(
            "immediate-action-take-in",
            args=[
                s.world.case.pk,
                s.plan.pk,
                s.plan.case.rapid_review.meeting.immediate_actions.get().pk,
            ],
        ),
        expect(
            ok=["business_manager"],
            forbidden=[*WIDE[1:], "police_contributor", "health_contributor"],
        ),
    ),
    "evidence": (
        lambda s: s.url("evidence-download", s.evidence.pk),
        expect(ok=[*WIDE, "police_contributor"]),
    ),
    "list": (
        lambda s: reverse("action-list"),
        expect(
            ok=[*WIDE, "police_contributor", "health_contributor", "stranger"],
            forbidden=["reviewer", "administrator"],
        ),
    ),
    "csv": (
        lambda s: reverse("action-list-csv"),
        expect(
            ok=[*WIDE, "police_contributor", "health_contributor", "stranger"],
            forbidden=["reviewer", "administrator"],
        ),
    ),
    "barriers": (
        lambda s: reverse("barrier-list"),
        expect(
            ok=[*WIDE, "stranger"],
            forbidden=["police_contributor", "health_contributor", "reviewer", "administrator"],
        ),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", list(GETS))
def test_who_sees_each_page(world, client, view, persona):
    scene = Scene(world)
    address, statuses = GETS[view]
    client.force_login(world[persona])
    response = client.get(address(scene))
    assert response.status_code == statuses[persona]
    if view in ("list", "csv", "barriers") and persona == "stranger":
        assert "Child Q" not in response.content.decode("utf-8-sig")


def test_an_agency_never_sees_another_agencys_action(world, client):
    scene = Scene(world)
    client.force_login(world["health_contributor"])
    assert client.get(scene.url("action-detail")).status_code == 404
    assert client.get(scene.url("evidence-download", scene.evidence.pk)).status_code == 404
    health = reverse("action-detail", args=[world.case.pk, scene.health_action.pk])
    assert client.get(health).status_code == 200


UPDATERS = expect(
    ok=["business_manager", "police_contributor"],
    forbidden=WIDE[1:],
    ok_status=302,
)

POSTS = {
    "progress": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("action-progress"),
        {"progress-status": "on_track", "progress-text": "Begun."},
        UPDATERS,
    ),
    "complete": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("action-complete"),
        {"complete-completed_on": "2026-12-04", "complete-text": "Done."},
        UPDATERS,
    ),
    "evidence_add": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("evidence-add"),
        {"evidence-description": "Minutes", "evidence-link": "https://example.org/minutes"},
        UPDATERS,
    ),
    "evidence_remove": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("evidence-remove", s.evidence.pk),
        {},
        UPDATERS,
    ),
    "barrier_raise": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("barrier-raise"),
        {"barrier-description": "No budget."},
        UPDATERS,
    ),
    "barrier_respond": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("barrier-respond", s.barrier.pk),
        {"respond-{barrier}-response": "Budget found."},
        expect(
            ok=["executive"],
            forbidden=[
                "business_manager",
                "subgroup_member",
                "subgroup_chair",
                "police_contributor",
            ],
            ok_status=302,
        ),
    ),
    "barrier_close": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("barrier-close", s.barrier.pk),
        {"close-{barrier}-note": "Resolved."},
        expect(
            ok=["business_manager"],
            forbidden=[*WIDE[1:], "police_contributor"],
            ok_status=302,
        ),
    ),
    "reopen": (
        ActionStatus.COMPLETE,
        lambda s: s.url("action-reopen"),
        {"reopen-reason": "Not embedded.", "reopen-due_on": "2027-03-01"},
        expect(
            ok=["business_manager"],
            forbidden=[*WIDE[1:], "police_contributor"],
            ok_status=302,
        ),
    ),
    "impact": (
        ActionStatus.COMPLETE,
        lambda s: s.url("action-impact"),
        {"impact-how": "Audit.", "impact-assured_on": "2026-12-04"},
        expect(
            ok=["business_manager", "subgroup_chair"],
            forbidden=["subgroup_member", "executive", "police_contributor"],
            ok_status=302,
        ),
    ),
    "edit": (
        ActionStatus.NOT_STARTED,
        lambda s: s.url("action-edit"),
        {
            "finding": "F",
            "change": "C",
            "agency": "{police}",
            "owner_name": "O",
            "due_on": "2027-01-29",
        },
        expect(
            ok=["business_manager"],
            forbidden=[*WIDE[1:], "police_contributor"],
            ok_status=302,
        ),
    ),
    "add": (
        ActionStatus.NOT_STARTED,
        lambda s: reverse("action-add", args=[s.world.case.pk, s.plan.pk]),
        {
            "finding": "F",
            "change": "C",
            "agency": "{police}",
            "owner_name": "O",
            "due_on": "2027-01-29",
        },
        expect(
            ok=["business_manager"],
            forbidden=[*WIDE[1:], "police_contributor", "health_contributor"],
            ok_status=302,
        ),
    ),
    "plan_open": (
        ActionStatus.NOT_STARTED,
        lambda s: reverse("action-plan-open", args=[s.world.case.pk]),
        {"source": "rapid_review"},
        # Allowed to post; the plan exists, so the refusal is a message on the plans page.
        expect(
            ok=["business_manager"],
            forbidden=[*WIDE[1:], "police_contributor", "health_contributor"],
            ok_status=302,
        ),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", list(POSTS))
def test_who_may_post_each_form(world, client, view, persona):
    status, address, data, statuses = POSTS[view]
    scene = Scene(world, status)
    barrier = getattr(scene, "barrier", None)
    data = {
        key.format(barrier=barrier.pk if barrier else 0): value.format(police=world.police.pk)
        for key, value in data.items()
    }
    client.force_login(world[persona])
    response = client.post(address(scene), data)
    assert response.status_code == statuses[persona]
