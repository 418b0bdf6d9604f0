"""The action plan pages: what each shows, forms refused with what was typed kept, bad
uploads and links refused on the page, the CSV, and queries that do not grow with rows."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action, ActionStatus, PlanSource
from actions.services import plans, progress
from tests.actions.builders import (
    action_data,
    action_on,
    barrier_on,
    evidence_on,
    pdf_upload,
    plan_for,
    stored_files,
)

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def plan(world):
    return plan_for(world)


@pytest.fixture
def police_action(world, plan):
    return action_on(plan, world.police, D(2027, 1, 29), world=world)


@pytest.fixture
def health_action(world, plan):
    return action_on(
        plan,
        world.health,
        D(2026, 12, 1),
        world=world,
        added_on=D(2026, 11, 20),
        change="Health visitors",
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def url(name, action, *extra):
    return reverse(name, args=[action.plan.case_id, action.pk, *extra])


def test_the_plans_page_shows_each_plan_with_actions_and_waiting_immediate_actions(
    world, client, police_action
):
    page = signed_in(client, world["business_manager"]).get(
        reverse("action-plans", args=[world.case.pk])
    )
    text = page.content.decode()
    assert "Action 1" in text and "Northtown Police" in text and "Pat Fictional" in text
    assert "29 Jan 2027" in text and "Not started" in text
    assert "Brief all staff on information sharing" in text  # the immediate action
    assert "take it into the plan" in text
    assert "Local child safeguarding practice review" in text
    assert "No local review has been commissioned" in text


def test_an_overdue_action_shows_as_overdue(world, client, health_action):
    page = signed_in(client, world["business_manager"]).get(url("action-detail", health_action))
    assert "Overdue" in page.content.decode()


def test_an_agency_sees_only_its_own_actions_on_the_plan(
    world, client, police_action, health_action
):
    page = signed_in(client, world["health_contributor"]).get(
        reverse("action-plans", args=[world.case.pk])
    )
    text = page.content.decode()
    assert "Health visitors" in text
    assert "Northtown Police" not in text
    assert "Brief all staff" not in text  # immediate actions are the partnership's
    assert client.get(url("action-detail", police_action)).status_code == 404


def test_an_agency_without_an_action_or_the_case_does_not_reach_its_plans(
    world, client, police_action
):
    response = signed_in(client, world["health_contributor"]).get(
        reverse("action-plans", args=[world.case.pk])
    )
    assert response.status_code == 404


def test_another_cases_action_id_answers_like_one_nobody_has(world, client, police_action):
    from tests.factories import CaseFactory

    other = CaseFactory(partnership=world.partnership, pseudonym="Child P")
    signed_in(client, world["business_manager"])
    assert (
        client.get(reverse("action-detail", args=[other.pk, police_action.pk])).status_code == 404
    )
    assert client.get(reverse("action-detail", args=[other.pk, 999999])).status_code == 404


def test_the_business_unit_opens_a_plan_on_the_page(world, client, plan):
    from tests.actions.builders import local_review_of

    local_review_of(world)
    response = signed_in(client, world["business_manager"]).post(
        reverse("action-plan-open", args=[world.case.pk]), {"source": "local_review"}
    )
    assert response.status_code == 302
    assert world.case.action_plans.filter(source=PlanSource.LOCAL_REVIEW).exists()


def form_data(world, **overrides):
    return {
        "finding": "Strategy discussions left out the school (fictional).",
        "change": "Schools are invited to every strategy discussion (fictional).",
        "agency": world.children.pk,
        "owner_name": "Sam Fictional",
        "due_on": "2027-03-31",
        **overrides,
    }


def test_the_business_unit_adds_an_action(world, client, plan):
    response = signed_in(client, world["business_manager"]).post(
        reverse("action-add", args=[world.case.pk, plan.pk]), form_data(world)
    )
    action = Action.objects.get(plan=plan)
    assert response.status_code == 302
    assert response.url == url("action-detail", action)
    assert action.agency == world.children and action.deadline.due_on == D(2027, 3, 31)


def test_a_refused_action_keeps_what_was_typed(world, client, plan):
    response = signed_in(client, world["business_manager"]).post(
        reverse("action-add", args=[world.case.pk, plan.pk]),
        form_data(world, due_on="2026-01-01", owner_name="Kept Name"),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "cannot be in the past" in text
    assert "Kept Name" in text
    assert not Action.objects.exists()


def test_an_immediate_action_is_taken_in_on_its_page(world, client, plan):
    waiting = plans.immediate_actions_waiting(plan).get()
    take_in = reverse("immediate-action-take-in", args=[world.case.pk, plan.pk, waiting.pk])
    signed_in(client, world["business_manager"])
    assert "Brief all staff on information sharing" in client.get(take_in).content.decode()
    response = client.post(take_in, form_data(world, change=waiting.description))
    assert response.status_code == 302
    assert Action.objects.get().immediate_action == waiting
    assert client.get(take_in).status_code == 404  # taken in: no longer waiting


def test_an_edit_conflict_keeps_what_was_typed(world, client, police_action):
    signed_in(client, world["business_manager"])
    page = client.get(url("action-edit", police_action))
    version = page.context["form"].initial["version"]
    progress.progress_add(
        action=police_action, text="Begun.", status="on_track", by=world["police_contributor"]
    )
    response = client.post(
        url("action-edit", police_action),
        form_data(world, agency=world.police.pk, due_on="2027-01-29", owner_name="Typed Owner")
        | {"version": version},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "after you opened this page" in text and "Typed Owner" in text
    police_action.refresh_from_db()
    assert police_action.owner_name == "Pat Fictional, Head of Safeguarding"
    # The form now carries the version saved: saving again goes through.
    again = response.context["form"].data["version"]
    response = client.post(
        url("action-edit", police_action),
        form_data(world, agency=world.police.pk, due_on="2027-01-29", owner_name="Typed Owner")
        | {"version": again},
    )
    assert response.status_code == 302


def test_an_agency_reports_progress_and_completes(world, client, police_action, today):
    signed_in(client, world["police_contributor"])
    client.post(
        url("action-progress", police_action),
        {"progress-status": "at_risk", "progress-text": "Trainer ill."},
    )
    client.post(
        url("action-complete", police_action),
        {"complete-completed_on": today.isoformat(), "complete-text": "All briefed."},
    )
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.COMPLETE
    text = client.get(url("action-detail", police_action)).content.decode()
    assert "Trainer ill." in text and "All briefed." in text


def test_a_bad_upload_is_refused_on_the_page_and_nothing_is_stored(
    world, client, police_action, media
):
    response = signed_in(client, world["police_contributor"]).post(
        url("evidence-add", police_action),
        {
            "evidence-description": "Attendance",
            "evidence-upload": pdf_upload("report.pdf", b"MZ\x90\x00 an executable"),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "The file must be a PDF" in text
    assert "Attendance" in text
    assert stored_files(media) == [] and not police_action.evidence.exists()


def test_a_javascript_link_is_refused_on_the_page(world, client, police_action):
    response = signed_in(client, world["police_contributor"]).post(
        url("evidence-add", police_action),
        {"evidence-description": "Briefing", "evidence-link": "javascript:alert(document.cookie)"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "starting with https://" in text
    assert not police_action.evidence.exists()


def test_evidence_is_downloaded_only_as_an_attachment(world, client, police_action):
    item = evidence_on(police_action, world["police_contributor"])
    response = signed_in(client, world["subgroup_member"]).get(
        url("evidence-download", police_action, item.pk)
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_executive_responds_to_a_barrier_listed_on_the_barriers_page(
    world, client, police_action
):
    barrier = barrier_on(police_action, world["police_contributor"], world=world)
    signed_in(client, world["executive"])
    listing = client.get(reverse("barrier-list")).content.decode()
    assert "No trainer until spring" in listing and "Child Q: action 1" in listing
    response = client.post(
        url("barrier-respond", police_action, barrier.pk),
        {f"respond-{barrier.pk}-response": "Funding for a trainer agreed."},
    )
    assert response.status_code == 302
    barrier.refresh_from_db()
    assert barrier.responded_by == world["executive"]


def test_the_actions_list_filters_by_status_including_overdue(
    world, client, police_action, health_action
):
    signed_in(client, world["business_manager"])
    overdue = client.get(reverse("action-list"), {"status": "overdue"})
    rows = overdue.context["rows"]
    assert [action for action, *_ in rows] == [health_action]
    not_started = client.get(reverse("action-list"), {"status": "not_started"})
    assert [action for action, *_ in not_started.context["rows"]] == [police_action]
    by_agency = client.get(reverse("action-list"), {"agency": world.police.pk})
    assert [action for action, *_ in by_agency.context["rows"]] == [police_action]


def test_an_agency_lists_only_its_own_actions(world, client, police_action, health_action):
    response = signed_in(client, world["police_contributor"]).get(reverse("action-list"))
    assert [action for action, *_ in response.context["rows"]] == [police_action]
    assert "Health visitors" not in response.content.decode()


def test_the_csv_has_the_filtered_actions_with_formulas_defused(world, client, plan):
    action_on(plan, world.police, D(2027, 1, 29), world=world, owner_name="=HYPERLINK(1)")
    action_on(plan, world.health, D(2026, 12, 1), world=world, added_on=D(2026, 11, 20))
    signed_in(client, world["business_manager"])
    response = client.get(reverse("action-list-csv"), {"agency": world.police.pk})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Case,Plan,Action,Finding")
    assert len(lines) == 2
    assert "Child Q,Rapid review,1," in lines[1]
    assert "'=HYPERLINK(1)" in lines[1] and "Not started" in lines[1]
    overdue = client.get(reverse("action-list-csv"), {"status": "overdue"})
    assert "Northtown Health Trust" in overdue.content.decode("utf-8-sig")
    assert "Northtown Police" not in overdue.content.decode("utf-8-sig")


def test_a_contributors_csv_has_only_their_agencys_actions(world, client, plan):
    action_on(plan, world.police, D(2027, 1, 29), world=world)
    action_on(plan, world.health, D(2027, 1, 29), world=world)
    text = (
        signed_in(client, world["health_contributor"])
        .get(reverse("action-list-csv"))
        .content.decode("utf-8-sig")
    )
    assert "Northtown Health Trust" in text and "Northtown Police" not in text


@pytest.mark.parametrize(
    "name", ["action-list", "plans", "barrier-list", "action-list-csv", "detail"]
)
def test_list_pages_take_the_same_queries_however_many_rows(
    world, client, plan, name, django_assert_max_num_queries
):
    def fetch():
        first = plan.actions.order_by("number").first()
        target = {
            "plans": reverse("action-plans", args=[world.case.pk]),
            "detail": url("action-detail", first) if first else None,
        }.get(name) or reverse(name)
        return client.get(target)

    signed_in(client, world["business_manager"])
    action = action_on(plan, world.police, D(2027, 1, 29), world=world)
    barrier_on(action, world=world)
    evidence_on(action, world["business_manager"], link="https://example.org/a")
    progress.progress_add(action=action, text="x", status="on_track", by=world["business_manager"])
    fetch()
    with django_assert_max_num_queries(60) as few:
        fetch()
    for n in range(6):
        more = action_on(plan, world.health, D(2027, 1, 29), world=world)
        barrier_on(more, world=world)
        evidence_on(action, world["business_manager"], link=f"https://example.org/{n}")
        barrier_on(action, world=world)
        progress.progress_add(
            action=action, text="y", status="on_track", by=world["business_manager"]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        fetch()


def test_the_action_data_builder_fits_the_service(world, plan):
    # Keeps the builders honest for the other tests that use them.
    action = plans.action_add(
        plan=plan, data=action_data(world, world.police), by=world["business_manager"]
    )
    assert action.number == 1
