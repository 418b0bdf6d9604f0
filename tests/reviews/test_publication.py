"""Publication (R10): the plan and its 7-working-day notice, the sub-group's override of
open parallel processes, the final copy, publishing or not, the learning briefing, and a
national review the Panel took the case into."""

import datetime

import pytest

from cspr.concurrency import EditConflict
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind, Stage
from cspr.working_days import load_calendar
from reviews import services
from reviews.models import (
    NationalReview,
    NationalStatus,
    ProcessKind,
    PublicationPlan,
    ReviewBriefing,
    ReviewStatus,
)
from reviews.services.publication import plan_version
from tests.reviews import builders
from tests.reviews.conftest import changed_by, events, last_event, refused, travel

pytestmark = pytest.mark.usefixtures("today")

D = datetime.date
TODAY = D(2026, 12, 4)
PLANNED = D(2027, 1, 15)  # a Friday, six weeks from "today" (Friday 4 December 2026)
ADDRESS = "https://www.northtownscp.example/reviews/child-q"


def manager(world):
    return world["business_manager"]


def notice_due(planned_on):
    return load_calendar().subtract_working_days(planned_on, 7)


def earliest(copies_sent_on):
    return load_calendar().add_working_days(copies_sent_on, 7)


def save_plan(world, review, planned_on=PLANNED, by=None, version=None, **changes):
    return services.publication_plan_save(
        review=review,
        data={**builders.PLAN, "legal_advice_on": D(2026, 12, 1), "planned_on": planned_on}
        | changes,
        by=by or manager(world),
        version=version,
    )


def send_copies(world, review, panel=TODAY, secretary=TODAY, by=None):
    return services.final_copy_record(
        review=review,
        panel_sent_on=panel,
        secretary_of_state_sent_on=secretary,
        by=by or manager(world),
    )


def publish(world, review, published_on=PLANNED, address=ADDRESS, by=None):
    return services.review_publish(
        review=review,
        published_on=published_on,
        address=address,
        nspcc_sent_on=None,
        by=by or manager(world),
    )


def inquest(world):
    return services.parallel_process_record(
        case=world.case,
        data={"kind": ProcessKind.INQUEST, "lead_body": "HM Coroner for Northtown"},
        by=manager(world),
    )


def briefing(world, review, publish=False, title="Learning from Child Q", body=None, by=None):
    return services.review_briefing_save(
        review=review,
        title=title,
        body=body or "Agencies must share information about children at risk (fictional).",
        publish=publish,
        by=by or manager(world),
    )


@pytest.fixture
def approved(world):
    return builders.approved(world)


@pytest.fixture
def planned(world, approved):
    save_plan(world, approved)
    approved.refresh_from_db()
    return approved


@pytest.fixture
def noticed(world, planned):
    """Approved, planned for 15 January 2027, and both copies sent on 4 December 2026."""
    send_copies(world, planned)
    planned.refresh_from_db()
    return planned


# ---------------------------------------------------------------------------------- plan


def test_the_plan_sets_the_final_copy_deadline_seven_working_days_before(world, approved):
    plan = save_plan(world, approved)
    deadline = plan.notice_deadline
    assert (deadline.rule, deadline.anchor_date) == (Rule.PUBLICATION_NOTICE, PLANNED)
    assert deadline.due_on == notice_due(PLANNED)
    assert deadline.status == DeadlineStatus.OPEN
    assert last_event(world.case, EventKind.PUBLICATION_PLANNED).by == manager(world)
    assert changed_by(plan) == manager(world)


def test_the_notice_deadline_counts_back_over_bank_holidays(world, approved):
    plan = save_plan(world, approved, planned_on=D(2027, 1, 5))
    # Back from Tuesday 5 January 2027 over New Year's Day, Boxing Day and Christmas.
    assert plan.notice_deadline.due_on == D(2026, 12, 22)


def test_publication_is_planned_while_the_review_is_under_way(world):
    review = builders.started(world)
    assert save_plan(world, review).review == review


def test_moving_the_publication_date_moves_the_notice_deadline(world, planned):
    before = planned.publication_plan.notice_deadline
    plan = save_plan(world, planned, planned_on=D(2027, 2, 5))
    assert plan.notice_deadline.pk == before.pk
    plan.notice_deadline.refresh_from_db()
    assert plan.notice_deadline.due_on == notice_due(D(2027, 2, 5))
    assert plan.notice_deadline.anchor_date == D(2027, 2, 5)
    moved = last_event(world.case, EventKind.DEADLINE_REANCHORED)
    assert moved.by == manager(world)
    assert "moved from 15 January 2027 to 5 February 2027" in moved.note
    assert last_event(world.case, EventKind.PUBLICATION_PLANNED).summary.startswith(
        "Publication moved from 15 January 2027 to 5 February 2027"
    )


def test_saving_the_plan_without_moving_the_date_leaves_the_deadline(world, planned):
    save_plan(world, planned, communications_advice="No press statement.")
    assert events(world.case, EventKind.DEADLINE_REANCHORED) == []


def test_a_new_plan_cannot_be_for_a_day_already_past(world, approved):
    with pytest.raises(Incomplete) as refusal:
        save_plan(world, approved, planned_on=D(2026, 12, 3))
    assert set(refusal.value.fields) == {"planned_on"}
    assert not PublicationPlan.objects.exists()


def test_a_plan_whose_day_has_passed_can_still_be_edited_without_moving_it(world, approved):
    save_plan(world, approved, planned_on=D(2026, 12, 10))
    with travel(D(2026, 12, 14)):
        plan = save_plan(world, approved, planned_on=D(2026, 12, 10), impact_on_others="None.")
    assert plan.impact_on_others == "None."


def test_a_plan_needs_the_planned_date(world, approved):
    with pytest.raises(Incomplete) as refusal:
        save_plan(world, approved, planned_on=None)
    assert set(refusal.value.fields) == {"planned_on"}


def test_legal_advice_taken_needs_its_date(world, approved):
    with pytest.raises(Incomplete) as refusal:
        save_plan(world, approved, legal_advice_on=None)
    assert set(refusal.value.fields) == {"legal_advice_on"}


def test_no_legal_advice_taken_keeps_no_advice(world, approved):
    plan = save_plan(world, approved, legal_advice_taken=False)
    assert (plan.legal_advice_on, plan.legal_advice) == (None, "")


def test_after_the_copies_publication_cannot_move_inside_the_notice(world, noticed):
    too_soon = earliest(D(2026, 12, 4)) - datetime.timedelta(days=1)
    with pytest.raises(Incomplete, match="publication can be no earlier than") as refusal:
        save_plan(world, noticed, planned_on=too_soon)
    assert set(refusal.value.fields) == {"planned_on"}
    assert PublicationPlan.objects.get().planned_on == PLANNED


def test_after_the_copies_publication_can_move_to_seven_working_days_after(world, noticed):
    plan = save_plan(world, noticed, planned_on=earliest(D(2026, 12, 4)))
    assert plan.planned_on == D(2026, 12, 15)


def test_a_plan_changed_since_the_page_opened_is_not_overwritten(world, planned):
    opened = plan_version(planned.publication_plan)
    save_plan(world, planned, communications_advice="A statement and an interview.")
    with pytest.raises(EditConflict):
        save_plan(world, planned, version=opened, planned_on=D(2027, 2, 5))
    assert PublicationPlan.objects.get().planned_on == PLANNED


def test_publication_is_not_planned_while_commissioning(world):
    review = builders.commissioned(world)
    with pytest.raises(TransitionNotAllowed, match="once the review is under way"):
        save_plan(world, review)


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_plans_publication(world, approved, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        save_plan(world, approved, by=world[persona])
    assert not PublicationPlan.objects.exists()


# ------------------------------------------------------------------------------ override


def override(world, review, reason="Counsel advises publishing; the coroner agrees.", by=None):
    return services.publication_override(
        review=review, reason=reason, by=by or world["subgroup_chair"]
    )


def test_the_chair_agrees_to_publish_despite_an_open_process(world, planned):
    inquest(world)
    plan = override(world, planned)
    assert (plan.override_by, plan.override_reason) == (
        world["subgroup_chair"],
        "Counsel advises publishing; the coroner agrees.",
    )
    event = last_event(world.case, EventKind.PUBLICATION_OVERRIDE)
    assert event.by == world["subgroup_chair"]
    assert "Inquest" in event.summary
    assert changed_by(plan) == world["subgroup_chair"]


def test_there_is_nothing_to_override_without_an_open_process(world, planned):
    services.parallel_process_conclude(
        process=inquest(world),
        concluded_on=D(2026, 12, 4),
        outcome="Accidental death.",
        by=manager(world),
    )
    with pytest.raises(TransitionNotAllowed, match="No parallel process holds publication"):
        override(world, planned)


def test_the_override_needs_the_sub_groups_reasons(world, planned):
    inquest(world)
    with pytest.raises(Incomplete) as refusal:
        override(world, planned, reason=" ")
    assert set(refusal.value.fields) == {"reason"}
    assert PublicationPlan.objects.get().override_at is None


def test_a_second_override_without_a_new_process_is_refused(world, planned):
    inquest(world)
    override(world, planned)
    with pytest.raises(TransitionNotAllowed, match="already agreed to publish despite"):
        override(world, planned, reason="Again.")


def test_a_process_recorded_after_the_override_holds_publication_until_the_chair_decides(
    world, noticed
):
    inquest(world)
    override(world, noticed)
    services.parallel_process_record(
        case=world.case,
        data={"kind": ProcessKind.DISCIPLINARY, "lead_body": "Northtown Health Trust"},
        by=manager(world),
    )
    with travel(PLANNED), pytest.raises(TransitionNotAllowed, match="Disciplinary process"):
        publish(world, noticed)
    override(world, noticed, reason="The trust's process will take a year.")
    with travel(PLANNED):
        publish(world, noticed)
    noticed.refresh_from_db()
    assert noticed.status == ReviewStatus.PUBLISHED


def test_the_override_needs_a_plan(world, approved):
    inquest(world)
    with pytest.raises(TransitionNotAllowed, match="Make the publication plan first"):
        override(world, approved)


@pytest.mark.parametrize("persona", refused("subgroup_chair"))
def test_only_the_chair_overrides_an_open_process(world, planned, persona):
    inquest(world)
    with pytest.raises(TransitionNotAllowed, match="The sub-group chair records"):
        override(world, planned, by=world[persona])
    assert PublicationPlan.objects.get().override_at is None


# ---------------------------------------------------------------------------- final copy


def test_both_copies_sent_in_time_meet_the_notice_deadline(world, planned):
    with travel(D(2026, 12, 7)):
        plan = send_copies(world, planned, panel=D(2026, 12, 4), secretary=D(2026, 12, 7))
    plan.notice_deadline.refresh_from_db()
    assert (plan.notice_deadline.status, plan.notice_deadline.completed_on) == (
        DeadlineStatus.MET,
        D(2026, 12, 7),
    )
    assert plan.copies_recorded_by == manager(world)
    assert last_event(world.case, EventKind.FINAL_COPY_SENT).by == manager(world)
    assert changed_by(plan) == manager(world)


def test_one_copy_alone_does_not_meet_the_notice_deadline(world, planned):
    plan = send_copies(world, planned, secretary=None)
    plan.notice_deadline.refresh_from_db()
    assert plan.notice_deadline.status == DeadlineStatus.OPEN
    plan = send_copies(world, planned, panel=None, secretary=D(2026, 12, 4))
    plan.notice_deadline.refresh_from_db()
    assert plan.notice_deadline.status == DeadlineStatus.MET


def test_copies_sent_after_the_due_date_miss_the_notice_deadline(world, approved):
    # Publication planned for Thursday 10 December: the copies were due by 1 December.
    save_plan(world, approved, planned_on=D(2026, 12, 10))
    plan = send_copies(world, approved)
    plan.notice_deadline.refresh_from_db()
    assert plan.notice_deadline.due_on == notice_due(D(2026, 12, 10))
    assert plan.notice_deadline.status == DeadlineStatus.MISSED


def test_a_copy_recorded_as_sent_keeps_its_date(world, noticed):
    with pytest.raises(Incomplete, match="recorded as sent on 4 December 2026") as refusal:
        send_copies(world, noticed, panel=D(2026, 12, 3), secretary=None)
    assert set(refusal.value.fields) == {"panel_sent_on"}
    assert PublicationPlan.objects.get().panel_copy_sent_on == D(2026, 12, 4)


def test_a_copy_cannot_be_recorded_before_it_is_sent(world, planned):
    with pytest.raises(Incomplete) as refusal:
        send_copies(world, planned, panel=D(2026, 12, 5), secretary=None)
    assert set(refusal.value.fields) == {"panel_sent_on"}


def test_the_final_copy_needs_a_date(world, planned):
    with pytest.raises(Incomplete, match="Enter the date a copy was sent"):
        send_copies(world, planned, panel=None, secretary=None)


def test_the_final_copy_is_the_approved_report(world):
    review = builders.quality_assured(world)
    save_plan(world, review)
    with pytest.raises(TransitionNotAllowed, match="approve it first"):
        send_copies(world, review)
    assert PublicationPlan.objects.get().panel_copy_sent_on is None


def test_the_final_copy_needs_a_plan(world, approved):
    with pytest.raises(TransitionNotAllowed, match="Make the publication plan first"):
        send_copies(world, approved)


def test_a_final_copy_cannot_be_dated_before_the_report_was_approved(world, planned):
    with pytest.raises(Incomplete, match="cannot have gone before that") as refusal:
        send_copies(world, planned, panel=D(2026, 11, 20), secretary=D(2026, 12, 4))
    assert set(refusal.value.fields) == {"panel_sent_on"}
    assert PublicationPlan.objects.get().secretary_of_state_copy_sent_on is None


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_the_final_copy(world, planned, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        send_copies(world, planned, by=world[persona])
    assert PublicationPlan.objects.get().panel_copy_sent_on is None


# ----------------------------------------------------------------------------- publishing


def test_publishing_records_the_date_and_address_and_moves_the_case_to_learning(world, noticed):
    with travel(PLANNED):
        review = publish(world, noticed)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert (review.published_on, review.publication_address) == (PLANNED, ADDRESS)
    assert review.publication_recorded_by == manager(world)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.LEARNING
    assert last_event(world.case, EventKind.REVIEW_PUBLISHED).by == manager(world)
    assert last_event(world.case, EventKind.STAGE_CHANGED).by == manager(world)
    assert changed_by(review) == manager(world)


@pytest.mark.parametrize("state", ["drafted", "quality_assured"])
def test_it_is_not_published_without_quality_assurance_and_approval(world, state):
    review = getattr(builders, state)(world)
    save_plan(world, review)
    with pytest.raises(TransitionNotAllowed, match="executive approve it"):
        publish(world, review, published_on=D(2026, 12, 4))
    review.refresh_from_db()
    assert review.status != ReviewStatus.PUBLISHED


def test_it_is_not_published_without_a_plan(world, approved):
    with pytest.raises(TransitionNotAllowed, match="there is no publication plan"):
        publish(world, approved, published_on=D(2026, 12, 4))


def test_it_is_not_published_before_the_notice_is_recorded(world, planned):
    refusal = "final copy must be recorded as sent"
    with travel(PLANNED), pytest.raises(TransitionNotAllowed, match=refusal):
        publish(world, planned)
    planned.refresh_from_db()
    assert planned.status == ReviewStatus.APPROVED


def test_an_open_parallel_process_holds_publication(world, noticed):
    inquest(world)
    refusal = "parallel processes are open \\(Inquest\\)"
    with travel(PLANNED), pytest.raises(TransitionNotAllowed, match=refusal):
        publish(world, noticed)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.LOCAL_REVIEW


def test_the_chairs_override_lets_it_publish_despite_an_open_process(world, noticed):
    inquest(world)
    override(world, noticed)
    with travel(PLANNED):
        assert publish(world, noticed).status == ReviewStatus.PUBLISHED


def test_it_publishes_once_the_parallel_process_has_concluded(world, noticed):
    services.parallel_process_conclude(
        process=inquest(world), concluded_on=D(2026, 12, 4), outcome="Closed.", by=manager(world)
    )
    with travel(PLANNED):
        assert publish(world, noticed).status == ReviewStatus.PUBLISHED


def test_it_is_not_published_less_than_seven_working_days_after_the_copies(world, noticed):
    first_day = earliest(D(2026, 12, 4))  # Tuesday 15 December 2026
    day_before = first_day - datetime.timedelta(days=1)
    with travel(first_day):
        with pytest.raises(Incomplete, match="7 working days' notice") as refusal:
            publish(world, noticed, published_on=day_before)
        assert set(refusal.value.fields) == {"published_on"}
        assert publish(world, noticed, published_on=first_day).published_on == first_day


def test_the_publication_date_cannot_be_in_the_future(world, noticed):
    with travel(D(2026, 12, 15)), pytest.raises(Incomplete) as refusal:
        publish(world, noticed, published_on=D(2026, 12, 16))
    assert set(refusal.value.fields) == {"published_on"}


def test_publishing_needs_the_web_address(world, noticed):
    with travel(PLANNED), pytest.raises(Incomplete) as refusal:
        publish(world, noticed, address=" ")
    assert set(refusal.value.fields) == {"address"}


def test_a_review_is_published_once(world, noticed):
    with travel(PLANNED):
        publish(world, noticed)
        with pytest.raises(TransitionNotAllowed):
            publish(world, noticed)
    assert len(events(world.case, EventKind.REVIEW_PUBLISHED)) == 1


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_publication(world, noticed, persona):
    with travel(PLANNED), pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        publish(world, noticed, by=world[persona])
    noticed.refresh_from_db()
    assert noticed.status == ReviewStatus.APPROVED


# ---------------------------------------------------------------------- not publishing


def not_publish(world, review, reason="Publishing would identify the siblings.", by=None):
    return services.review_not_publish(review=review, reason=reason, by=by or world["executive"])


def test_the_executive_decides_not_to_publish_with_the_reason(world, planned):
    review = not_publish(world, planned)
    review.refresh_from_db()
    assert review.status == ReviewStatus.NOT_PUBLISHED
    assert review.not_published_reason == "Publishing would identify the siblings."
    event = last_event(world.case, EventKind.REVIEW_NOT_PUBLISHED)
    assert event.by == world["executive"]
    assert changed_by(review) == world["executive"]


def test_not_publishing_withdraws_the_notice_deadline(world, planned):
    not_publish(world, planned)
    deadline = PublicationPlan.objects.get().notice_deadline
    assert deadline.status == DeadlineStatus.WAIVED


def test_not_publishing_needs_no_plan(world, approved):
    assert not_publish(world, approved).status == ReviewStatus.NOT_PUBLISHED


def test_not_publishing_needs_the_reason(world, approved):
    with pytest.raises(Incomplete) as refusal:
        not_publish(world, approved, reason="")
    assert set(refusal.value.fields) == {"reason"}
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED


def test_the_decision_not_to_publish_is_made_on_the_approved_report(world):
    review = builders.quality_assured(world)
    with pytest.raises(TransitionNotAllowed, match="approved final report"):
        not_publish(world, review)


def test_the_case_waits_for_the_learning_briefing_after_a_decision_not_to_publish(world, approved):
    not_publish(world, approved)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.LOCAL_REVIEW
    briefing(world, approved, publish=True)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.LEARNING
    assert last_event(world.case, EventKind.STAGE_CHANGED).by == manager(world)


@pytest.mark.parametrize("persona", refused("executive"))
def test_only_the_executive_decides_not_to_publish(world, approved, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the executive"):
        not_publish(world, approved, by=world[persona])
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED


# ------------------------------------------------------------------------ learning briefing


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Learning from Robin's review", "Agencies must share information."),
        ("Learning from Child Q", "What happened to ROBIN shows agencies must share."),
        ("Learning from Child Q", "The {family} family were not heard."),
    ],
)
def test_a_briefing_that_names_the_child_is_refused(world, approved, title, body):
    family = world.case.child.family_name
    with pytest.raises(Incomplete, match="must be anonymised") as refusal:
        briefing(world, approved, title=title, body=body.format(family=family))
    assert set(refusal.value.fields) == {"body"}
    assert not ReviewBriefing.objects.exists()


def test_a_briefing_is_drafted_before_the_report_is_approved(world):
    review = builders.started(world)
    draft = briefing(world, review)
    assert (draft.title, draft.published_on) == ("Learning from Child Q", None)
    assert changed_by(draft) == manager(world)


def test_the_briefing_is_not_published_before_the_decision_on_the_report(world, approved):
    with pytest.raises(TransitionNotAllowed, match="once the report is published"):
        briefing(world, approved, publish=True)
    assert not ReviewBriefing.objects.exists()


def test_the_briefing_is_saved_before_the_decision_on_the_report(world, approved):
    saved = briefing(world, approved)
    assert (saved.title, saved.published_on) == ("Learning from Child Q", None)


@pytest.fixture
def not_published(world, approved):
    return not_publish(world, approved)


def test_publishing_the_briefing_records_the_day_and_who(world, not_published):
    published = briefing(world, not_published, publish=True)
    assert (published.published_on, published.published_by) == (D(2026, 12, 4), manager(world))
    assert last_event(world.case, EventKind.BRIEFING_PUBLISHED).by == manager(world)
    assert changed_by(published) == manager(world)


def test_a_published_briefing_no_longer_changes(world, not_published):
    briefing(world, not_published, publish=True)
    with pytest.raises(TransitionNotAllowed, match="can no longer change"):
        briefing(world, not_published, title="A better title")
    assert ReviewBriefing.objects.get().title == "Learning from Child Q"


@pytest.mark.parametrize("field", ["title", "body"])
def test_a_briefing_needs_a_title_and_a_body(world, approved, field):
    with pytest.raises(Incomplete) as refusal:
        services.review_briefing_save(
            review=approved,
            **{"title": "Learning", "body": "Share information.", field: " "},
            publish=False,
            by=manager(world),
        )
    assert set(refusal.value.fields) == {field}


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_writes_the_briefing(world, approved, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        briefing(world, approved, publish=True, by=world[persona])
    assert not ReviewBriefing.objects.exists()


# ------------------------------------------------------------------------ national review

NATIONAL = {
    "panel_reference": "NR-2026-4",
    "title": "",
    "panel_contact": "Panel secretariat (fictional)",
    "partnership_part": "Agencies supply chronologies; the chair sits on the reference group.",
    "local_lead": "Business Manager (fictional)",
    "status": NationalStatus.UNDER_WAY,
    "published_on": None,
    "publication_address": "",
}


def save_national(world, by=None, **changes):
    return services.national_review_save(
        case=world.case, data={**NATIONAL, **changes}, by=by or manager(world)
    )


@pytest.fixture
def national(world):
    """The case after the Panel took it into a national review."""
    builders.agreed(world, outcome="national_review")
    return world.case


def test_it_records_the_partnerships_part_in_a_national_review(world, national):
    record = save_national(world)
    assert (record.local_lead, record.status) == ("Business Manager (fictional)", "under_way")
    world.case.refresh_from_db()
    assert world.case.stage == Stage.NATIONAL_REVIEW
    assert last_event(world.case, EventKind.NATIONAL_REVIEW).by == manager(world)
    assert changed_by(record) == manager(world)


def test_only_a_case_the_panel_took_into_a_national_review_has_one(world):
    builders.agreed(world)
    with pytest.raises(TransitionNotAllowed, match="Panel took into a national review"):
        save_national(world)
    assert not NationalReview.objects.exists()


@pytest.mark.parametrize("field", ["partnership_part", "local_lead"])
def test_the_national_review_record_needs_the_partnerships_part_and_lead(world, national, field):
    with pytest.raises(Incomplete) as refusal:
        save_national(world, **{field: ""})
    assert set(refusal.value.fields) == {field}


@pytest.mark.parametrize("field", ["published_on", "publication_address"])
def test_a_published_national_review_needs_its_date_and_address(world, national, field):
    published = {"status": NationalStatus.PUBLISHED, "published_on": D(2026, 12, 4)}
    published["publication_address"] = "https://www.gov.example/national-review"
    with pytest.raises(Incomplete) as refusal:
        save_national(world, **{**published, field: None})
    assert set(refusal.value.fields) == {field}
    world.case.refresh_from_db()
    assert world.case.stage == Stage.NATIONAL_REVIEW


def test_a_published_national_review_moves_the_case_to_learning(world, national):
    save_national(world)
    record = save_national(
        world,
        status=NationalStatus.PUBLISHED,
        published_on=D(2026, 12, 4),
        publication_address="https://www.gov.example/national-review",
    )
    assert record.published_on == D(2026, 12, 4)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.LEARNING
    assert (
        "published on 4 December 2026" in last_event(world.case, EventKind.NATIONAL_REVIEW).summary
    )


def test_a_published_national_review_record_is_complete(world, national):
    save_national(
        world,
        status=NationalStatus.PUBLISHED,
        published_on=D(2026, 12, 4),
        publication_address="https://www.gov.example/national-review",
    )
    with pytest.raises(TransitionNotAllowed, match="record is complete"):
        save_national(world, local_lead="Someone else (fictional)")


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_a_national_review(world, national, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        save_national(world, by=world[persona])
    assert not NationalReview.objects.exists()
