"""Action plan services: every transition and guard, each leaving its timeline row and
the person in the field history."""

import datetime

import pytest
from django.utils import timezone

from actions.models import ActionStatus, PlanSource, Theme
from actions.services import barriers, evidence, plans, progress
from cspr.concurrency import EditConflict
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind
from tests.actions.builders import (
    action_data,
    action_on,
    barrier_on,
    changed_by,
    evidence_on,
    last_event,
    pdf_upload,
    plan_for,
    stored_files,
)
from tests.actions.conftest import travel
from tests.factories import AgencyFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def plan(world):
    return plan_for(world)


@pytest.fixture
def police_action(world, plan):
    return action_on(plan, world.police, D(2027, 1, 29), world=world)


# ---------------------------------------------------------------------------- plans


def test_the_business_unit_opens_the_rapid_reviews_plan(world, plan):
    assert plan.source == PlanSource.RAPID_REVIEW
    event = last_event(world.case, EventKind.ACTION_PLAN_OPENED)
    assert event.by == world["business_manager"]
    assert "rapid review" in event.summary
    assert changed_by(plan) == world["business_manager"]


def test_a_plan_waits_for_its_review(world):
    with pytest.raises(TransitionNotAllowed, match="no rapid review"):
        plans.action_plan_open(
            case=world.case, source=PlanSource.RAPID_REVIEW, by=world["business_manager"]
        )
    plan_for(world)
    with pytest.raises(TransitionNotAllowed, match="No local review"):
        plans.action_plan_open(
            case=world.case, source=PlanSource.LOCAL_REVIEW, by=world["business_manager"]
        )


def test_the_local_reviews_plan_opens_once_it_is_commissioned(world, plan):
    local = plan_for(world, source=PlanSource.LOCAL_REVIEW)
    assert local.source == PlanSource.LOCAL_REVIEW


def test_each_review_has_one_plan(world, plan):
    with pytest.raises(TransitionNotAllowed, match="already has its action plan"):
        plans.action_plan_open(
            case=world.case, source=PlanSource.RAPID_REVIEW, by=world["business_manager"]
        )


@pytest.mark.parametrize(
    "persona", ["subgroup_chair", "executive", "police_contributor", "reviewer", "stranger"]
)
def test_only_the_business_unit_opens_a_plan(world, persona):
    plan_for(world, source=PlanSource.LOCAL_REVIEW)  # both reviews exist, one plan open
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        plans.action_plan_open(case=world.case, source=PlanSource.RAPID_REVIEW, by=world[persona])


# -------------------------------------------------------------------------- actions


def test_an_action_is_numbered_and_reminds_its_agency_by_a_deadline(world, plan):
    first = action_on(plan, world.police, D(2027, 1, 29), world=world)
    second = action_on(plan, world.health, D(2027, 2, 26), world=world)
    assert (first.number, second.number) == (1, 2)
    deadline = second.deadline
    assert deadline.rule == Rule.ACTION
    assert deadline.agency == world.health
    assert deadline.due_on == D(2027, 2, 26)
    assert deadline.status == DeadlineStatus.OPEN
    event = last_event(world.case, EventKind.ACTION_ADDED)
    assert event.by == world["business_manager"]
    assert "Action 2" in event.summary and "Northtown Health Trust" in event.summary
    assert changed_by(second) == world["business_manager"]


def test_an_action_carries_its_themes(world, plan):
    themes = list(Theme.objects.filter(is_active=True)[:2])
    action = plans.action_add(
        plan=plan,
        data=action_data(world, world.police, themes=themes),
        by=world["business_manager"],
    )
    assert set(action.themes.all()) == set(themes)


def test_an_action_needs_each_detail(world, plan):
    with pytest.raises(Incomplete) as refused:
        plans.action_add(
            plan=plan,
            data={"finding": " ", "change": "", "agency": None, "owner_name": "", "due_on": None},
            by=world["business_manager"],
        )
    assert set(refused.value.fields) == {"finding", "change", "agency", "owner_name", "due_on"}


def test_an_action_is_owned_by_an_active_agency_of_the_partnership(world, plan):
    elsewhere = AgencyFactory(partnership=world.other_partnership)
    closed = AgencyFactory(partnership=world.partnership, is_active=False)
    for agency in (elsewhere, closed):
        with pytest.raises(Incomplete, match="agency of the partnership"):
            plans.action_add(
                plan=plan, data=action_data(world, agency), by=world["business_manager"]
            )


def test_an_action_is_not_due_in_the_past(world, plan, today):
    with pytest.raises(Incomplete, match="cannot be in the past"):
        plans.action_add(
            plan=plan,
            data=action_data(world, world.police, today - datetime.timedelta(days=1)),
            by=world["business_manager"],
        )


@pytest.mark.parametrize("persona", ["subgroup_chair", "executive", "police_contributor"])
def test_only_the_business_unit_adds_actions(world, plan, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        plans.action_add(plan=plan, data=action_data(world, world.police), by=world[persona])


def test_an_immediate_action_is_taken_into_the_rapid_reviews_plan(world, plan):
    waiting = plans.immediate_actions_waiting(plan).get()
    action = plans.immediate_action_take_in(
        plan=plan,
        immediate_action=waiting,
        data=action_data(world, world.police, change=waiting.description),
        by=world["business_manager"],
    )
    assert action.immediate_action == waiting
    assert not plans.immediate_actions_waiting(plan).exists()
    assert "immediate action" in last_event(world.case, EventKind.ACTION_ADDED).summary
    with pytest.raises(TransitionNotAllowed, match="already in the plan"):
        plans.immediate_action_take_in(
            plan=plan,
            immediate_action=waiting,
            data=action_data(world, world.police),
            by=world["business_manager"],
        )


def test_an_immediate_action_goes_only_into_the_rapid_reviews_plan(world, plan):
    waiting = plans.immediate_actions_waiting(plan).get()
    local = plan_for(world, source=PlanSource.LOCAL_REVIEW)
    assert not plans.immediate_actions_waiting(local).exists()
    with pytest.raises(TransitionNotAllowed, match="rapid review's plan only"):
        plans.immediate_action_take_in(
            plan=local,
            immediate_action=waiting,
            data=action_data(world, world.police),
            by=world["business_manager"],
        )


# ---------------------------------------------------------------------------- edits


def test_a_new_due_date_replaces_the_deadline(world, police_action):
    old = police_action.deadline
    version = plans.action_version(police_action)
    action = plans.action_edit(
        action=police_action,
        data=action_data(world, world.health, D(2027, 3, 31)),
        version=version,
        by=world["business_manager"],
    )
    old.refresh_from_db()
    assert old.status == DeadlineStatus.WAIVED
    assert action.deadline.status == DeadlineStatus.OPEN
    assert (action.deadline.due_on, action.deadline.agency) == (D(2027, 3, 31), world.health)
    assert action.agency == world.health
    assert world.case.deadlines.filter(rule=Rule.ACTION, status="open").count() == 1
    event = last_event(world.case, EventKind.ACTION_CHANGED)
    assert "the agency (was Northtown Police)" in event.summary
    assert "the due date (was 29 January 2027)" in event.summary
    assert changed_by(action) == world["business_manager"]


def test_an_edit_since_the_page_was_opened_is_refused(world, police_action):
    version = plans.action_version(police_action)
    progress.progress_add(
        action=police_action, text="Begun.", status="on_track", by=world["police_contributor"]
    )
    with pytest.raises(EditConflict):
        plans.action_edit(
            action=police_action,
            data=action_data(world, world.police, D(2027, 1, 29), owner_name="Someone new"),
            version=version,
            by=world["business_manager"],
        )
    police_action.refresh_from_db()
    assert police_action.owner_name != "Someone new"


def test_a_complete_actions_due_date_waits_for_it_to_be_reopened(world, plan):
    action = action_on(plan, world.police, D(2027, 1, 29), ActionStatus.COMPLETE, world=world)
    with pytest.raises(TransitionNotAllowed, match="reopen it"):
        plans.action_edit(
            action=action,
            data=action_data(world, world.police, D(2027, 5, 1)),
            by=world["business_manager"],
        )
    edited = plans.action_edit(
        action=action,
        data=action_data(world, world.police, D(2027, 1, 29), owner_name="A. New Owner"),
        by=world["business_manager"],
    )
    assert edited.owner_name == "A. New Owner"


def test_only_the_business_unit_edits(world, police_action):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        plans.action_edit(
            action=police_action,
            data=action_data(world, world.police),
            by=world["police_contributor"],
        )


# ------------------------------------------------------------------------- progress


def test_progress_is_kept_and_sets_the_status(world, police_action):
    update = progress.progress_add(
        action=police_action,
        text="Trainer booked.",
        status=ActionStatus.AT_RISK,
        by=world["police_contributor"],
    )
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.AT_RISK
    assert update.by == world["police_contributor"]
    event = last_event(world.case, EventKind.ACTION_PROGRESS)
    assert event.by == world["police_contributor"] and event.note == "Trainer booked."
    assert changed_by(police_action) == world["police_contributor"]


def test_progress_reports_an_open_status_and_says_something(world, police_action):
    with pytest.raises(Incomplete) as refused:
        progress.progress_add(
            action=police_action, text=" ", status="complete", by=world["police_contributor"]
        )
    assert set(refused.value.fields) == {"text", "status"}


@pytest.mark.parametrize("persona", ["health_contributor", "executive", "subgroup_chair"])
def test_only_the_owning_agency_or_the_business_unit_reports(world, police_action, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the owning agency"):
        progress.progress_add(action=police_action, text="x", status="on_track", by=world[persona])


def test_overdue_is_worked_out_not_stored(world, police_action):
    assert police_action.status_on(D(2027, 1, 29)) == ActionStatus.NOT_STARTED
    assert police_action.status_on(D(2027, 2, 1)) == ActionStatus.OVERDUE
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.NOT_STARTED


def test_completing_settles_the_deadline_on_time(world, police_action, today):
    action = progress.action_complete(
        action=police_action, completed_on=today, text="Done.", by=world["police_contributor"]
    )
    assert action.status == ActionStatus.COMPLETE and action.completed_on == today
    action.deadline.refresh_from_db()
    assert action.deadline.status == DeadlineStatus.MET
    assert action.updates.first().status == ActionStatus.COMPLETE
    event = last_event(world.case, EventKind.ACTION_COMPLETED)
    assert event.by == world["police_contributor"] and "(late)" not in event.summary
    assert changed_by(action) == world["police_contributor"]


def test_completing_late_settles_the_deadline_as_missed(world, police_action):
    with travel(D(2027, 2, 5)):
        action = progress.action_complete(
            action=police_action,
            completed_on=D(2027, 2, 3),
            text="Done late.",
            by=world["business_manager"],
        )
    action.deadline.refresh_from_db()
    assert action.deadline.status == DeadlineStatus.MISSED
    assert action.deadline.completed_on == D(2027, 2, 3)
    assert "(late)" in last_event(world.case, EventKind.ACTION_COMPLETED).summary


def test_completion_needs_a_real_date_and_a_note(world, police_action, today):
    by = world["police_contributor"]
    with pytest.raises(Incomplete, match="today or in the past"):
        progress.action_complete(
            action=police_action, completed_on=today + datetime.timedelta(1), text="x", by=by
        )
    with pytest.raises(Incomplete, match="before the action was added"):
        progress.action_complete(
            action=police_action, completed_on=today - datetime.timedelta(1), text="x", by=by
        )
    with pytest.raises(Incomplete) as refused:
        progress.action_complete(action=police_action, completed_on=None, text="", by=by)
    assert set(refused.value.fields) == {"completed_on", "text"}


def test_reopening_needs_a_reason_and_sets_a_new_deadline(world, plan, today):
    action = action_on(plan, world.police, D(2027, 1, 29), ActionStatus.COMPLETE, world=world)
    settled = action.deadline
    with pytest.raises(Incomplete, match="why the action is reopened"):
        progress.action_reopen(
            action=action, reason=" ", due_on=D(2027, 3, 1), by=world["business_manager"]
        )
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        progress.action_reopen(
            action=action, reason="No", due_on=D(2027, 3, 1), by=world["police_contributor"]
        )
    action = progress.action_reopen(
        action=action,
        reason="The audit found staff unaware.",
        due_on=D(2027, 3, 1),
        by=world["business_manager"],
    )
    assert action.status == ActionStatus.ON_TRACK and action.completed_on is None
    assert action.deadline != settled and action.deadline.status == DeadlineStatus.OPEN
    assert action.deadline.due_on == D(2027, 3, 1)
    event = last_event(world.case, EventKind.ACTION_CHANGED)
    assert "reopened" in event.summary and event.note == "The audit found staff unaware."
    assert changed_by(action) == world["business_manager"]


def test_an_open_action_is_not_reopened(world, police_action):
    with pytest.raises(TransitionNotAllowed, match="not complete"):
        progress.action_reopen(
            action=police_action, reason="x", due_on=D(2027, 3, 1), by=world["business_manager"]
        )


# --------------------------------------------------------------------------- impact


def test_the_chair_assures_a_complete_actions_impact_and_it_is_settled(world, plan, today):
    action = action_on(plan, world.police, D(2027, 1, 29), ActionStatus.COMPLETE, world=world)
    action = progress.impact_assure(
        action=action, how="Case audit.", assured_on=today, by=world["subgroup_chair"]
    )
    assert action.status == ActionStatus.IMPACT_ASSURED
    assert action.impact_assured_by == world["subgroup_chair"]
    event = last_event(world.case, EventKind.ACTION_IMPACT_ASSURED)
    assert event.by == world["subgroup_chair"] and event.note == "Case audit."
    assert changed_by(action) == world["subgroup_chair"]
    manager = world["business_manager"]
    with pytest.raises(TransitionNotAllowed, match="no longer changes"):
        progress.action_reopen(action=action, reason="x", due_on=D(2027, 3, 1), by=manager)
    with pytest.raises(TransitionNotAllowed, match="no longer changes"):
        plans.action_edit(action=action, data=action_data(world, world.police), by=manager)
    with pytest.raises(TransitionNotAllowed, match="no longer changes"):
        evidence_on(action, manager)


def test_impact_is_assured_once_complete_and_not_before(world, police_action, today):
    with pytest.raises(TransitionNotAllowed, match="not complete"):
        progress.impact_assure(
            action=police_action, how="x", assured_on=today, by=world["business_manager"]
        )
    progress.action_complete(
        action=police_action, completed_on=today, text="Done.", by=world["business_manager"]
    )
    with pytest.raises(Incomplete) as refused:
        progress.impact_assure(
            action=police_action,
            how=" ",
            assured_on=today + datetime.timedelta(1),
            by=world["business_manager"],
        )
    assert set(refused.value.fields) == {"how", "assured_on"}


@pytest.mark.parametrize("persona", ["subgroup_member", "executive", "police_contributor"])
def test_only_the_business_unit_or_the_chair_assures_impact(world, plan, today, persona):
    action = action_on(plan, world.police, D(2027, 1, 29), ActionStatus.COMPLETE, world=world)
    with pytest.raises(TransitionNotAllowed, match="sub-group chair"):
        progress.impact_assure(action=action, how="x", assured_on=today, by=world[persona])


# ------------------------------------------------------------------------- evidence


def test_evidence_is_a_checked_file(world, police_action, media):
    item = evidence_on(police_action, world["police_contributor"])
    assert item.original_name == "briefing-attendance.pdf"
    assert item.content_type == "application/pdf"
    assert len(stored_files(media)) == 1
    event = last_event(world.case, EventKind.EVIDENCE_ADDED)
    assert event.by == world["police_contributor"]
    assert changed_by(item) == world["police_contributor"]


def test_evidence_may_be_a_web_link(world, police_action):
    item = evidence_on(
        police_action, world["business_manager"], link="https://www.example.org/briefing"
    )
    assert item.link == "https://www.example.org/briefing" and not item.file


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "https://user:secret@example.org/",
        "www.example.org",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(world, police_action, link):
    with pytest.raises(Incomplete) as refused:
        evidence_on(police_action, world["business_manager"], link=link)
    assert "link" in refused.value.fields
    assert not police_action.evidence.exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("tool.pdf", b"MZ\x90\x00 not a pdf", "must be a PDF"),
        ("notes.exe", b"MZ\x90\x00", "must be a PDF"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(
    world, police_action, media, name, content, message
):
    upload = pdf_upload(name, content)
    with pytest.raises(Incomplete, match=message):
        evidence_on(police_action, world["police_contributor"], upload=upload)
    assert stored_files(media) == []
    assert not police_action.evidence.exists()


def test_a_file_too_big_is_refused(world, police_action, media, settings):
    settings.UPLOAD_MAX_BYTES = 20
    with pytest.raises(Incomplete, match="smaller than"):
        evidence_on(police_action, world["police_contributor"])
    assert stored_files(media) == []


def test_removing_evidence_keeps_the_row_and_deletes_the_file(
    world, police_action, media, django_capture_on_commit_callbacks
):
    item = evidence_on(police_action, world["police_contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        evidence.evidence_remove(evidence=item, by=world["police_contributor"])
    item.refresh_from_db()
    assert item.removed_by == world["police_contributor"] and item.removed_at
    assert stored_files(media) == []
    event = last_event(world.case, EventKind.EVIDENCE_REMOVED)
    assert event.by == world["police_contributor"]
    assert changed_by(item) == world["police_contributor"]
    with pytest.raises(TransitionNotAllowed, match="already removed"):
        evidence.evidence_remove(evidence=item, by=world["business_manager"])


def test_only_who_added_it_or_the_business_unit_removes_evidence(world, police_action):
    from cspr.models import Role
    from tests.factories import UserFactory

    colleague = UserFactory(
        partnership=world.partnership, agency=world.police, roles=[Role.AGENCY_CONTRIBUTOR]
    )
    item = evidence_on(police_action, world["police_contributor"])
    with pytest.raises(TransitionNotAllowed, match="person who added"):
        evidence.evidence_remove(evidence=item, by=colleague)
    evidence.evidence_remove(evidence=item, by=world["business_manager"])


# ------------------------------------------------------------------------- barriers


def test_a_barrier_is_raised_answered_and_closed(world, police_action):
    barrier = barrier_on(police_action, world["police_contributor"], world=world)
    raised = last_event(world.case, EventKind.BARRIER_RAISED)
    assert raised.by == world["police_contributor"] and "escalated" in raised.summary
    assert changed_by(barrier) == world["police_contributor"]
    assert list(barriers.barriers_open(world["executive"])) == [barrier]

    barrier = barriers.barrier_respond(
        barrier=barrier, response="Funding agreed.", by=world["executive"]
    )
    assert barrier.responded_by == world["executive"]
    assert last_event(world.case, EventKind.BARRIER_RESPONDED).by == world["executive"]
    assert changed_by(barrier) == world["executive"]
    with pytest.raises(TransitionNotAllowed, match="responded to this barrier"):
        barriers.barrier_respond(barrier=barrier, response="Again.", by=world["executive"])

    barrier = barriers.barrier_close(
        barrier=barrier, note="Trainer found.", by=world["business_manager"]
    )
    assert barrier.closed_by == world["business_manager"] and not barrier.is_open
    assert last_event(world.case, EventKind.BARRIER_CLOSED).by == world["business_manager"]
    assert changed_by(barrier) == world["business_manager"]
    assert not barriers.barriers_open(world["executive"]).exists()
    with pytest.raises(TransitionNotAllowed, match="closed on"):
        barriers.barrier_close(barrier=barrier, note="x", by=world["business_manager"])


def test_a_barrier_needs_saying_what_it_is(world, police_action):
    with pytest.raises(Incomplete):
        barrier_on(police_action, world["police_contributor"], world=world, description=" ")


@pytest.mark.parametrize("persona", ["health_contributor", "executive", "subgroup_chair"])
def test_only_who_may_update_the_action_raises_a_barrier(world, police_action, persona):
    with pytest.raises(TransitionNotAllowed):
        barrier_on(police_action, world[persona], world=world)


@pytest.mark.parametrize("persona", ["business_manager", "subgroup_chair", "police_contributor"])
def test_only_an_executive_responds(world, police_action, persona):
    barrier = barrier_on(police_action, world=world)
    with pytest.raises(TransitionNotAllowed, match="Only an executive"):
        barriers.barrier_respond(barrier=barrier, response="x", by=world[persona])


@pytest.mark.parametrize("persona", ["executive", "subgroup_chair", "police_contributor"])
def test_only_the_business_unit_closes_a_barrier(world, police_action, persona):
    barrier = barrier_on(police_action, world=world)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        barriers.barrier_close(barrier=barrier, note="x", by=world[persona])


def test_no_barrier_is_raised_on_a_complete_action(world, plan):
    action = action_on(plan, world.police, D(2027, 1, 29), ActionStatus.COMPLETE, world=world)
    with pytest.raises(TransitionNotAllowed, match="complete"):
        barrier_on(action, world=world)


def test_timestamps_are_todays(world, police_action):
    barrier = barrier_on(police_action, world=world)
    assert timezone.localdate(barrier.raised_at) == D(2026, 12, 4)


def test_a_theme_no_longer_in_use_stays_on_an_action_but_is_not_added(world, plan):
    theme, other = Theme.objects.filter(is_active=True)[:2]
    action = plans.action_add(
        plan=plan,
        data=action_data(world, world.police, themes=[theme]),
        by=world["business_manager"],
    )
    Theme.objects.filter(pk__in=[theme.pk, other.pk]).update(is_active=False)
    theme.refresh_from_db()
    other.refresh_from_db()
    due = action.due_on
    kept = plans.action_edit(
        action=action,
        data=action_data(world, world.police, due, themes=[theme], owner_name="New Owner"),
        by=world["business_manager"],
    )
    assert list(kept.themes.all()) == [theme]
    with pytest.raises(Incomplete, match="still in use"):
        plans.action_edit(
            action=action,
            data=action_data(world, world.police, due, themes=[theme, other]),
            by=world["business_manager"],
        )


def test_evidence_stays_once_the_impact_is_assured(world, plan, today):
    action = action_on(plan, world.police, D(2027, 1, 29), world=world)
    item = evidence_on(action, world["police_contributor"])
    progress.action_complete(
        action=action, completed_on=today, text="Done.", by=world["police_contributor"]
    )
    progress.impact_assure(
        action=action, how="Audit.", assured_on=today, by=world["business_manager"]
    )
    with pytest.raises(TransitionNotAllowed, match="no longer changes"):
        evidence.evidence_remove(evidence=item, by=world["business_manager"])
