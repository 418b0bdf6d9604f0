"""Conducting and monitoring the review (R7): the partners' checkpoints, written requests
to the reviewer, and the parallel processes around the review (R8)."""

import datetime

import pytest

from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind
from cspr.working_days import load_calendar
from reviews import services
from reviews.models import (
    MonitoringCheckpoint,
    ParallelProcess,
    ProcessKind,
    ProcessStatus,
    RequestKind,
    ReviewerRequest,
)
from tests.factories import CaseFactory
from tests.reviews import builders
from tests.reviews.conftest import changed_by, last_event, refused, travel

pytestmark = pytest.mark.usefixtures("today")

D = datetime.date
TODAY = D(2026, 12, 4)
A_WEEK_ON = D(2026, 12, 11)
HELD = {
    "held_on": D(2026, 12, 4),
    "time_rating": "at_risk",
    "time_comment": "Two weeks behind the plan (fictional).",
    "quality_rating": "on_track",
    "quality_comment": "The first chapters are clear.",
    "actions": "The chair meets the reviewer.",
}


def manager(world):
    return world["business_manager"]


def start(world, weeks=4):
    review = builders.ready_to_start(world)
    return services.local_review_start(
        review=review,
        started_on=D(2026, 12, 4),
        monitoring_interval_weeks=weeks,
        by=manager(world),
    )


def open_checkpoint(review):
    return review.checkpoints.get(held_on__isnull=True)


def record(world, checkpoint, by=None, **changes):
    return services.checkpoint_record(
        checkpoint=checkpoint, data={**HELD, **changes}, by=by or manager(world)
    )


@pytest.fixture
def started(world):
    return start(world)


# ---------------------------------------------------------------------------- checkpoints


@pytest.mark.parametrize(
    ("weeks", "due_on"),
    [
        (2, D(2026, 12, 18)),  # a Friday
        (3, D(2026, 12, 29)),  # Christmas Day; then a weekend and the Boxing Day holiday
        (4, D(2027, 1, 4)),  # New Year's Day, a Friday; then a weekend
    ],
)
def test_the_first_checkpoint_is_due_the_interval_after_the_start_on_a_working_day(
    world, weeks, due_on
):
    review = start(world, weeks=weeks)
    deadline = open_checkpoint(review).deadline
    assert (deadline.rule, deadline.due_on) == (Rule.MONITORING_CHECKPOINT, due_on)
    assert load_calendar().is_working_day(deadline.due_on)


def test_recording_a_checkpoint_settles_its_deadline(world, started):
    checkpoint = record(world, open_checkpoint(started))
    checkpoint.deadline.refresh_from_db()
    assert checkpoint.deadline.status == DeadlineStatus.MET
    assert checkpoint.deadline.completed_on == D(2026, 12, 4)
    assert (checkpoint.held_on, checkpoint.time_rating, checkpoint.recorded_by) == (
        D(2026, 12, 4),
        "at_risk",
        manager(world),
    )
    assert last_event(world.case, EventKind.CHECKPOINT_RECORDED).by == manager(world)
    assert changed_by(checkpoint) == manager(world)


def test_recording_a_checkpoint_plans_the_next_one_the_interval_after_it(world, started):
    first = open_checkpoint(started)
    with travel(D(2027, 1, 6)):
        record(world, first, held_on=D(2027, 1, 6))
    following = open_checkpoint(started)
    assert following.pk != first.pk
    assert following.deadline.due_on == D(2027, 2, 3)
    assert following.deadline.anchor_event == "the last checkpoint"


def test_a_checkpoint_held_after_its_due_date_is_recorded_as_missed(world, started):
    checkpoint = open_checkpoint(started)  # due Monday 4 January 2027
    with travel(D(2027, 1, 6)):
        record(world, checkpoint, held_on=D(2027, 1, 6))
    checkpoint.deadline.refresh_from_db()
    assert checkpoint.deadline.status == DeadlineStatus.MISSED


@pytest.mark.parametrize(
    "field", ["held_on", "time_rating", "time_comment", "quality_rating", "quality_comment"]
)
def test_a_checkpoint_needs_its_date_and_both_ratings_with_comments(world, started, field):
    checkpoint = open_checkpoint(started)
    with pytest.raises(Incomplete) as refusal:
        record(world, checkpoint, **{field: None})
    assert set(refusal.value.fields) == {field}
    checkpoint.refresh_from_db()
    assert not checkpoint.is_held


def test_a_rating_must_be_one_of_the_three(world, started):
    with pytest.raises(Incomplete) as refusal:
        record(world, open_checkpoint(started), time_rating="fine")
    assert set(refusal.value.fields) == {"time_rating"}


def test_a_checkpoint_is_held_after_the_review_started(world, started):
    with pytest.raises(Incomplete) as refusal:
        record(world, open_checkpoint(started), held_on=D(2026, 12, 3))
    assert set(refusal.value.fields) == {"held_on"}


def test_a_checkpoint_cannot_be_recorded_before_it_is_held(world, started):
    with pytest.raises(Incomplete) as refusal:
        record(world, open_checkpoint(started), held_on=D(2026, 12, 5))
    assert set(refusal.value.fields) == {"held_on"}


def test_a_checkpoint_is_recorded_once(world, started):
    checkpoint = open_checkpoint(started)
    record(world, checkpoint)
    with pytest.raises(TransitionNotAllowed, match="was recorded on 4 December 2026"):
        record(world, checkpoint, time_rating="off_track")
    assert MonitoringCheckpoint.objects.filter(review=started).count() == 2


def test_monitoring_stops_once_the_report_is_approved(world):
    review = builders.approved(world)
    record(world, open_checkpoint(review))
    assert not review.checkpoints.filter(held_on__isnull=True).exists()


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_a_checkpoint(world, started, persona):
    checkpoint = open_checkpoint(started)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        record(world, checkpoint, by=world[persona])
    checkpoint.refresh_from_db()
    assert not checkpoint.is_held


# ------------------------------------------------------------------- requests to the reviewer


def send(world, review, kind=RequestKind.INFORMATION, due_on=A_WEEK_ON, by=None, **kw):
    return services.reviewer_request_send(
        review=review,
        kind=kind,
        text=kw.get("text", "Please send the list of practitioners you have met (fictional)."),
        due_on=due_on,
        by=by or manager(world),
    )


def answer(world, request, persona="reviewer", answered_on=TODAY, text="Attached."):
    return services.reviewer_request_answer(
        request=request, answered_on=answered_on, answer=text, by=world[persona]
    )


def test_a_written_request_is_due_by_the_date_set(world, started):
    request = send(world, started)
    assert (request.sent_on, request.sent_by) == (D(2026, 12, 4), manager(world))
    deadline = request.deadline
    assert (deadline.rule, deadline.anchor_date, deadline.due_on) == (
        Rule.REVIEWER_REQUEST,
        D(2026, 12, 4),
        D(2026, 12, 11),
    )
    assert deadline.status == DeadlineStatus.OPEN
    assert last_event(world.case, EventKind.REVIEWER_REQUESTED).by == manager(world)
    assert changed_by(request) == manager(world)


def test_a_request_may_be_made_while_commissioning_once_there_is_a_reviewer(world):
    review = builders.commissioned(world)
    with pytest.raises(TransitionNotAllowed, match="Appoint the reviewer first"):
        send(world, review)
    builders.appoint(world, review)
    assert send(world, review).review == review


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "a chat"), ("text", " "), ("due_on", None), ("due_on", D(2026, 12, 3))],
)
def test_a_request_needs_what_is_asked_and_a_due_date_from_today(world, started, field, value):
    fields = {"kind": RequestKind.INFORMATION, "text": "Send the list.", "due_on": D(2026, 12, 4)}
    with pytest.raises(Incomplete) as refusal:
        services.reviewer_request_send(
            review=started, **{**fields, field: value}, by=manager(world)
        )
    assert set(refusal.value.fields) == {field}
    assert not ReviewerRequest.objects.exists()


def test_nothing_more_is_asked_of_the_reviewer_once_the_report_is_approved(world):
    review = builders.approved(world)
    with pytest.raises(TransitionNotAllowed, match="nothing more to ask"):
        send(world, review)


def test_the_reviewers_reply_settles_the_request(world, started):
    request = answer(world, send(world, started))
    request.deadline.refresh_from_db()
    assert request.deadline.status == DeadlineStatus.MET
    assert (request.answered_on, request.answer, request.answered_by) == (
        D(2026, 12, 4),
        "Attached.",
        world["reviewer"],
    )
    assert last_event(world.case, EventKind.REVIEWER_REPLIED).by == world["reviewer"]
    assert changed_by(request) == world["reviewer"]


def test_the_business_unit_records_a_reply_that_came_another_way(world, started):
    request = answer(world, send(world, started), persona="business_manager")
    request.deadline.refresh_from_db()
    assert request.deadline.status == DeadlineStatus.MET
    assert request.answered_by == manager(world)


def test_a_reply_after_the_due_date_is_recorded_as_missed(world, started):
    request = send(world, started, due_on=D(2026, 12, 7))
    with travel(D(2026, 12, 9)):
        answer(world, request, answered_on=D(2026, 12, 9))
    request.deadline.refresh_from_db()
    assert request.deadline.status == DeadlineStatus.MISSED


@pytest.mark.parametrize(
    ("field", "value"),
    [("answered_on", D(2026, 12, 3)), ("answered_on", D(2026, 12, 5)), ("answer", "")],
)
def test_a_reply_needs_its_text_and_a_date_from_the_request_to_today(world, started, field, value):
    request = send(world, started)
    reply = {"answered_on": D(2026, 12, 4), "answer": "Attached.", field: value}
    with pytest.raises(Incomplete) as refusal:
        services.reviewer_request_answer(request=request, **reply, by=world["reviewer"])
    assert set(refusal.value.fields) == {field}
    request.refresh_from_db()
    assert not request.is_answered


def test_a_request_is_answered_once(world, started):
    request = answer(world, send(world, started))
    with pytest.raises(TransitionNotAllowed, match="was answered on 4 December 2026"):
        answer(world, request, persona="business_manager", text="Again.")


def test_uploading_a_draft_answers_the_open_requests_for_a_draft(world, started):
    for_draft = send(world, started, kind=RequestKind.DRAFT)
    for_information = send(world, started)
    services.report_draft_upload(
        review=started, upload=builders.pdf_upload(), note="", by=world["reviewer"]
    )
    for_draft.refresh_from_db()
    for_information.refresh_from_db()
    assert for_draft.is_answered
    assert for_draft.answer == "Version 1 of the report uploaded."
    assert for_draft.deadline.status == DeadlineStatus.MET
    assert not for_information.is_answered
    assert for_information.deadline.status == DeadlineStatus.OPEN


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_writes_to_the_reviewer(world, started, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        send(world, started, by=world[persona])
    assert not ReviewerRequest.objects.exists()


@pytest.mark.parametrize("persona", refused("business_manager", "reviewer"))
def test_only_the_reviewer_or_the_business_unit_records_a_reply(world, started, persona):
    request = send(world, started)
    with pytest.raises(TransitionNotAllowed, match="Only the reviewer, or the business unit"):
        answer(world, request, persona=persona)
    request.refresh_from_db()
    assert not request.is_answered


def test_a_reviewer_no_longer_appointed_does_not_reply(world, started):
    request = send(world, started)
    services.appointment_end(
        appointment=services.current_appointment(started),
        ended_on=D(2026, 12, 4),
        reason="Replaced (fictional).",
        by=manager(world),
    )
    with pytest.raises(TransitionNotAllowed, match="Only the reviewer, or the business unit"):
        answer(world, request)


# ------------------------------------------------------------------------ parallel processes


def record_process(world, by=None, case=None, **data):
    fields = {"kind": ProcessKind.INQUEST, "lead_body": "HM Coroner for Northtown", **data}
    return services.parallel_process_record(
        case=case or world.case, data=fields, by=by or manager(world)
    )


def test_it_records_an_open_parallel_process(world, started):
    process = record_process(world, reference="INQ-1")
    assert (process.kind, process.status, process.recorded_by) == (
        ProcessKind.INQUEST,
        ProcessStatus.OPEN,
        manager(world),
    )
    event = last_event(world.case, EventKind.PARALLEL_PROCESS)
    assert event.by == manager(world)
    assert event.summary.endswith("open")
    assert changed_by(process) == manager(world)


def test_a_domestic_homicide_review_is_for_a_victim_aged_16_or_over(world, started):
    with pytest.raises(Incomplete) as refusal:
        record_process(world, kind=ProcessKind.DOMESTIC_HOMICIDE_REVIEW)
    assert set(refusal.value.fields) == {"victim_aged_16_or_over"}
    process = record_process(
        world, kind=ProcessKind.DOMESTIC_HOMICIDE_REVIEW, victim_aged_16_or_over=True
    )
    assert process.victim_aged_16_or_over


@pytest.mark.parametrize(
    "kind",
    [
        ProcessKind.POLICE_INVESTIGATION,
        ProcessKind.CRIMINAL_PROCEEDINGS,
        ProcessKind.INQUEST,
        ProcessKind.CHILD_DEATH_REVIEW,
        ProcessKind.DISCIPLINARY,
    ],
)
def test_only_a_dhr_or_sar_is_reviewed_jointly(world, started, kind):
    with pytest.raises(Incomplete) as refusal:
        record_process(world, kind=kind, is_joint_review=True)
    assert set(refusal.value.fields) == {"is_joint_review"}
    assert not ParallelProcess.objects.exists()


def test_a_joint_safeguarding_adult_review_links_to_another_case_of_the_partnership(world, started):
    sibling = CaseFactory(partnership=world.partnership, pseudonym="Adult S")
    process = record_process(
        world,
        kind=ProcessKind.SAFEGUARDING_ADULT_REVIEW,
        is_joint_review=True,
        referred_on=D(2026, 12, 1),
        referred_to="Northtown Safeguarding Adults Board",
        linked_case=sibling,
    )
    assert (process.is_joint_review, process.linked_case) == (True, sibling)
    assert "joint review" in last_event(world.case, EventKind.PARALLEL_PROCESS).note


@pytest.mark.parametrize("which", ["another_partnerships", "the_same"])
def test_the_linked_case_is_another_case_of_this_partnership(world, started, which):
    linked = world.other_case if which == "another_partnerships" else world.case
    with pytest.raises(Incomplete) as refusal:
        record_process(
            world,
            kind=ProcessKind.SAFEGUARDING_ADULT_REVIEW,
            is_joint_review=True,
            linked_case=linked,
        )
    assert set(refusal.value.fields) == {"linked_case"}


def test_another_process_says_what_it_is_and_who_leads_it(world, started):
    with pytest.raises(Incomplete) as refusal:
        record_process(world, kind=ProcessKind.OTHER, lead_body=" ")
    assert set(refusal.value.fields) == {"description", "lead_body"}


def test_a_referral_cannot_be_dated_in_the_future(world, started):
    with pytest.raises(Incomplete) as refusal:
        record_process(
            world,
            kind=ProcessKind.SAFEGUARDING_ADULT_REVIEW,
            referred_on=D(2026, 12, 5),
        )
    assert set(refusal.value.fields) == {"referred_on"}


def test_concluding_a_process_records_its_outcome(world, started):
    process = record_process(world)
    services.parallel_process_conclude(
        process=process,
        concluded_on=D(2026, 12, 4),
        outcome="Narrative conclusion (fictional).",
        by=manager(world),
    )
    process.refresh_from_db()
    assert (process.status, process.concluded_on) == (ProcessStatus.CONCLUDED, D(2026, 12, 4))
    assert "concluded" in last_event(world.case, EventKind.PARALLEL_PROCESS).summary
    assert changed_by(process) == manager(world)


def test_a_process_concludes_once(world, started):
    process = record_process(world)
    conclude = {"concluded_on": TODAY, "outcome": "Closed.", "by": manager(world)}
    services.parallel_process_conclude(process=process, **conclude)
    with pytest.raises(TransitionNotAllowed, match="concluded on 4 December 2026"):
        services.parallel_process_conclude(process=process, **conclude)


@pytest.mark.parametrize(
    ("field", "value"),
    [("concluded_on", None), ("concluded_on", D(2026, 12, 5)), ("outcome", " ")],
)
def test_concluding_needs_a_date_to_today_and_the_outcome(world, started, field, value):
    process = record_process(world)
    conclusion = {"concluded_on": D(2026, 12, 4), "outcome": "Closed.", field: value}
    with pytest.raises(Incomplete) as refusal:
        services.parallel_process_conclude(process=process, **conclusion, by=manager(world))
    assert set(refusal.value.fields) == {field}
    process.refresh_from_db()
    assert process.is_open


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_a_parallel_process(world, started, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        record_process(world, by=world[persona])
    assert not ParallelProcess.objects.exists()


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_concludes_a_parallel_process(world, started, persona):
    process = record_process(world)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.parallel_process_conclude(
            process=process, concluded_on=D(2026, 12, 4), outcome="Closed.", by=world[persona]
        )
    process.refresh_from_db()
    assert process.is_open
