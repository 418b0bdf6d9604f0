"""Deadlines: computed once from their rule, stored, explained, moved only on purpose."""

import datetime

import pytest

from cspr.deadline_rules import Rule, add_calendar_months
from cspr.errors import TransitionNotAllowed
from cspr.models import CaseEvent, DeadlineStatus, EventKind
from cspr.services import deadlines as services
from cspr.services.calendar import calendar_day_remove, calendar_day_set

D = datetime.date
AWARE = D(2026, 11, 4)  # a Wednesday, in the past so that "done on" dates are allowed


def notification(world, by=None, anchor=AWARE):
    return services.deadline_set(
        case=world.case,
        rule=Rule.NOTIFICATION,
        anchor_date=anchor,
        anchor_event="the local authority became aware",
        by=by or world["business_manager"],
    )


def test_a_notification_is_due_five_working_days_after_the_date_aware(world):
    deadline = notification(world)
    assert deadline.due_on == D(2026, 11, 11)
    assert deadline.original_due_on == D(2026, 11, 11)
    assert deadline.status == DeadlineStatus.OPEN


def test_a_deadline_explains_why_it_is_due_when_it_is(world):
    text = notification(world).explanation()
    assert "Due 11 November 2026" in text
    assert "5 working days after the local authority became aware (4 November 2026)" in text
    assert "Working Together" in text


def test_the_learning_meeting_is_a_window_of_six_to_ten_working_days(world):
    deadline = services.deadline_set(
        case=world.case,
        rule=Rule.LEARNING_MEETING,
        anchor_date=D(2026, 12, 14),
        anchor_event="the notification was sent",
        by=world["business_manager"],
    )
    # 6 and 10 working days after Mon 14 Dec 2026, over Christmas and Boxing Day (28th).
    assert deadline.opens_on == D(2026, 12, 22)
    assert deadline.due_on == D(2026, 12, 30)


def test_the_publication_notice_counts_back_seven_working_days(world):
    deadline = services.deadline_set(
        case=world.case,
        rule=Rule.PUBLICATION_NOTICE,
        anchor_date=D(2027, 4, 7),
        anchor_event="the planned publication date",
        by=world["business_manager"],
    )
    # Back from Wed 7 Apr 2027: 6, 5, 2, 1 Apr, 31, 30 Mar, then over Easter Monday
    # (29) and Good Friday (26) to Thu 25 Mar.
    assert deadline.due_on == D(2027, 3, 25)


def test_the_completion_target_is_six_calendar_months(world):
    deadline = services.deadline_set(
        case=world.case,
        rule=Rule.CSPR_COMPLETION,
        anchor_date=D(2026, 8, 31),
        anchor_event="the review was initiated",
        by=world["business_manager"],
    )
    assert deadline.due_on == D(2027, 2, 28)
    assert add_calendar_months(D(2027, 8, 31), 6) == D(2028, 2, 29)


def test_a_set_deadline_needs_its_date(world):
    with pytest.raises(ValueError):
        services.deadline_set(
            case=world.case,
            rule=Rule.AGENCY_RETURN,
            anchor_date=AWARE,
            anchor_event="the information request",
            by=world["business_manager"],
        )


@pytest.mark.parametrize(
    "persona", ["subgroup_chair", "executive", "police_contributor", "reviewer", "stranger"]
)
def test_only_the_business_unit_sets_deadlines(world, persona):
    with pytest.raises(TransitionNotAllowed):
        notification(world, by=world[persona])


def test_setting_a_deadline_writes_the_timeline_and_history(world):
    deadline = notification(world)
    event = CaseEvent.objects.get(case=world.case, kind=EventKind.DEADLINE_SET)
    assert event.by == world["business_manager"]
    assert "11 November 2026" in event.summary
    assert deadline.history.first().history_user == world["business_manager"]


def local(world, due_on=None):
    """A deadline set by hand, which the deadline page itself records as done."""
    return services.deadline_set(
        case=world.case,
        rule=Rule.OTHER,
        anchor_date=AWARE,
        anchor_event="a local agreement",
        due_on=due_on or D(2026, 11, 11),
        by=world["business_manager"],
    )


def test_done_on_time_is_met_and_done_late_is_missed(world):
    manager = world["business_manager"]
    on_time = services.deadline_complete(deadline=local(world), on=D(2026, 11, 11), by=manager)
    late = services.deadline_complete(deadline=local(world), on=D(2026, 11, 12), by=manager)
    assert (on_time.status, on_time.completed_on) == (DeadlineStatus.MET, D(2026, 11, 11))
    assert late.status == DeadlineStatus.MISSED


def test_it_cannot_be_done_twice_or_in_the_future(world):
    deadline = local(world)
    manager = world["business_manager"]
    with pytest.raises(TransitionNotAllowed, match="future"):
        services.deadline_complete(deadline=deadline, on=D(2099, 1, 1), by=manager)
    services.deadline_complete(deadline=deadline, on=D(2026, 11, 6), by=manager)
    with pytest.raises(TransitionNotAllowed, match="already"):
        services.deadline_complete(deadline=deadline, on=D(2026, 11, 6), by=manager)


def test_a_deadline_another_record_meets_is_not_recorded_done_by_hand(world):
    with pytest.raises(TransitionNotAllowed, match="recording the notification as sent"):
        services.deadline_complete(
            deadline=notification(world), on=D(2026, 11, 6), by=world["business_manager"]
        )


def test_the_owning_record_settles_its_deadline_and_leaves_a_waived_one_alone(world):
    manager = world["business_manager"]
    settled = services.deadline_settle(deadline=notification(world), on=D(2026, 11, 6), by=manager)
    assert settled.status == DeadlineStatus.MET
    waived = services.deadline_waive(deadline=notification(world), reason="Closed", by=manager)
    assert services.deadline_settle(deadline=waived, on=D(2026, 11, 6), by=manager).status == (
        DeadlineStatus.WAIVED
    )


def test_marking_missed_is_idempotent_and_leaves_future_ones(world):
    past = notification(world)
    future = notification(world, anchor=D(2026, 11, 10))
    assert services.deadlines_mark_missed(today=D(2026, 11, 12)) == 1
    assert services.deadlines_mark_missed(today=D(2026, 11, 12)) == 0
    past.refresh_from_db()
    future.refresh_from_db()
    assert past.status == DeadlineStatus.MISSED
    assert future.status == DeadlineStatus.OPEN
    assert CaseEvent.objects.filter(kind=EventKind.DEADLINE_MISSED).count() == 1


def test_a_missed_deadline_can_still_be_recorded_as_done_late(world):
    deadline = local(world)
    services.deadlines_mark_missed(today=D(2026, 11, 12))
    done = services.deadline_complete(
        deadline=deadline, on=D(2026, 11, 12), by=world["business_manager"]
    )
    assert (done.status, done.completed_on) == (DeadlineStatus.MISSED, D(2026, 11, 12))


def test_done_on_time_but_entered_after_the_sweep_is_met(world):
    deadline = local(world)
    services.deadlines_mark_missed(today=D(2026, 11, 12))
    done = services.deadline_complete(
        deadline=deadline, on=D(2026, 11, 10), by=world["business_manager"]
    )
    assert done.status == DeadlineStatus.MET


def test_a_deadline_done_late_cannot_be_waived(world):
    manager = world["business_manager"]
    late = services.deadline_complete(deadline=local(world), on=D(2026, 11, 12), by=manager)
    with pytest.raises(TransitionNotAllowed, match="cannot be waived"):
        services.deadline_waive(deadline=late, reason="Tidy up", by=manager)


def test_pausing_needs_a_reason_and_resuming_moves_the_date_by_the_pause(world):
    manager = world["business_manager"]
    deadline = notification(world)
    with pytest.raises(TransitionNotAllowed, match="why"):
        services.deadline_pause(deadline=deadline, on=D(2026, 11, 5), reason=" ", by=manager)
    services.deadline_pause(
        deadline=deadline, on=D(2026, 11, 5), reason="Awaiting the Panel", by=manager
    )
    resumed = services.deadline_resume(deadline=deadline, on=D(2026, 11, 9), by=manager)
    # Paused Thu 5 to Mon 9: two working days (6, 9) lost; 11 Nov moves to 13 Nov.
    assert resumed.due_on == D(2026, 11, 13)
    assert resumed.status == DeadlineStatus.OPEN


def test_an_extension_must_be_later_and_keeps_the_original_date(world):
    manager = world["business_manager"]
    deadline = notification(world)
    with pytest.raises(TransitionNotAllowed, match="after"):
        services.deadline_extend(
            deadline=deadline, due_on=D(2026, 11, 6), reason="Agreed", by=manager
        )
    extended = services.deadline_extend(
        deadline=deadline, due_on=D(2026, 11, 18), reason="Agreed with the Panel", by=manager
    )
    assert (extended.due_on, extended.original_due_on) == (D(2026, 11, 18), D(2026, 11, 11))
    assert "Originally due 11 November 2026" in extended.explanation()


def test_a_waived_deadline_is_final(world):
    manager = world["business_manager"]
    deadline = services.deadline_waive(
        deadline=notification(world), reason="Case closed", by=manager
    )
    assert deadline.status == DeadlineStatus.WAIVED
    with pytest.raises(TransitionNotAllowed):
        services.deadline_complete(deadline=deadline, on=D(2026, 11, 6), by=manager)


def test_a_new_holiday_moves_open_deadlines_and_says_so_on_the_timeline(world):
    deadline = notification(world)
    moved = calendar_day_set(
        day=D(2026, 11, 6),
        is_working=False,
        title="One-off holiday",
        reason="Announced by the government",
        by=world["administrator"],
    )
    deadline.refresh_from_db()
    assert moved == [deadline]
    assert deadline.due_on == D(2026, 11, 12)
    event = CaseEvent.objects.get(case=world.case, kind=EventKind.DEADLINE_RECOMPUTED)
    assert "11 November 2026 to 12 November 2026" in event.summary
    assert "Announced by the government" in event.note
    assert event.by == world["administrator"]


def test_undoing_the_holiday_moves_them_back(world):
    deadline = notification(world)
    admin = world["administrator"]
    calendar_day_set(
        day=D(2026, 11, 6), is_working=False, title="One-off", reason="Announced", by=admin
    )
    calendar_day_remove(day=D(2026, 11, 6), reason="Entered in error", by=admin)
    deadline.refresh_from_db()
    assert deadline.due_on == D(2026, 11, 11)


def test_a_calendar_change_leaves_met_fixed_and_set_deadlines_alone(world):
    manager = world["business_manager"]
    met = services.deadline_settle(deadline=notification(world), on=AWARE, by=manager)
    extended = services.deadline_extend(
        deadline=notification(world), due_on=D(2026, 11, 13), reason="Agreed", by=manager
    )
    set_by_hand = services.deadline_set(
        case=world.case,
        rule=Rule.AGENCY_RETURN,
        anchor_date=AWARE,
        anchor_event="the information request",
        due_on=D(2026, 11, 9),
        by=manager,
    )
    moved = calendar_day_set(
        day=D(2026, 11, 5), is_working=False, title="x", reason="y", by=world["administrator"]
    )
    assert moved == []
    for deadline, due in [(met, D(2026, 11, 11)), (extended, D(2026, 11, 13))]:
        deadline.refresh_from_db()
        assert deadline.due_on == due
    set_by_hand.refresh_from_db()
    assert set_by_hand.due_on == D(2026, 11, 9)


@pytest.mark.parametrize(
    "persona", ["business_manager", "subgroup_chair", "executive", "police_contributor"]
)
def test_only_an_administrator_changes_the_calendar(world, persona):
    with pytest.raises(TransitionNotAllowed, match="administrator"):
        calendar_day_set(
            day=D(2026, 11, 6), is_working=False, title="x", reason="y", by=world[persona]
        )


def test_weekends_cannot_be_made_working_days(world):
    with pytest.raises(TransitionNotAllowed, match="Saturdays"):
        calendar_day_set(
            day=D(2026, 11, 7), is_working=True, title="x", reason="y", by=world["administrator"]
        )


def test_a_resumed_deadline_still_follows_the_calendar(world):
    manager = world["business_manager"]
    deadline = notification(world)
    services.deadline_pause(deadline=deadline, on=D(2026, 11, 5), reason="Awaiting", by=manager)
    deadline = services.deadline_resume(deadline=deadline, on=D(2026, 11, 5), by=manager)
    assert deadline.due_on == D(2026, 11, 11)  # resumed the same day: nothing lost
    calendar_day_set(
        day=D(2026, 11, 9), is_working=False, title="One-off", reason="x", by=world["administrator"]
    )
    deadline.refresh_from_db()
    assert deadline.due_on == D(2026, 11, 12)


def test_a_pause_moves_a_windows_opening_too(world):
    manager = world["business_manager"]
    window = services.deadline_set(
        case=world.case,
        rule=Rule.LEARNING_MEETING,
        anchor_date=D(2026, 11, 2),
        anchor_event="the notification was sent",
        by=manager,
    )
    assert (window.opens_on, window.due_on) == (D(2026, 11, 10), D(2026, 11, 16))
    services.deadline_pause(deadline=window, on=D(2026, 11, 4), reason="Inquest", by=manager)
    window = services.deadline_resume(deadline=window, on=D(2026, 11, 6), by=manager)
    assert (window.opens_on, window.due_on) == (D(2026, 11, 12), D(2026, 11, 18))
    assert "Paused for 2 working days" in window.explanation()


def test_a_paused_deadline_is_resumed_before_it_is_extended(world):
    manager = world["business_manager"]
    deadline = notification(world)
    services.deadline_pause(deadline=deadline, on=D(2026, 11, 5), reason="Awaiting", by=manager)
    with pytest.raises(TransitionNotAllowed, match="Resume the deadline before extending"):
        services.deadline_extend(
            deadline=deadline, due_on=D(2026, 11, 20), reason="Agreed", by=manager
        )


def test_pause_and_resume_days_must_be_real(world):
    manager = world["business_manager"]
    deadline = notification(world)
    for day in (D(2026, 11, 3), D(2026, 11, 12), D(2099, 1, 1)):  # before anchor, after due
        with pytest.raises(TransitionNotAllowed, match="A pause must start between"):
            services.deadline_pause(deadline=deadline, on=day, reason="x", by=manager)
    services.deadline_pause(deadline=deadline, on=D(2026, 11, 5), reason="x", by=manager)
    with pytest.raises(TransitionNotAllowed, match="resumes between"):
        services.deadline_resume(deadline=deadline, on=D(2099, 1, 1), by=manager)


def test_the_daily_task_marks_overdue_deadlines_missed(world):
    from cspr.tasks import mark_missed_deadlines

    deadline = notification(world)  # due 11 November 2026, in the past
    assert mark_missed_deadlines.delay().get() >= 1
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MISSED
    assert mark_missed_deadlines.delay().get() == 0


def test_the_beat_schedule_runs_the_sweep_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["mark-missed-deadlines"]
    assert entry["task"] == "cspr.tasks.mark_missed_deadlines"


# Moving a deadline with its anchor, and withdrawing it (for the service that owns it).


def publication_notice(world, planned_on):
    return services.deadline_set(
        case=world.case,
        rule=Rule.PUBLICATION_NOTICE,
        anchor_date=planned_on,
        anchor_event="the planned publication date",
        by=world["business_manager"],
    )


def test_moving_the_anchor_moves_the_due_date_with_a_timeline_row(world):
    deadline = publication_notice(world, D(2027, 4, 7))
    moved = services.deadline_reanchor(
        deadline=deadline,
        anchor_date=D(2027, 4, 21),
        by=world["business_manager"],
        reason="Publication put back a fortnight.",
    )
    # Back 7 working days from Wed 21 Apr 2027: Mon 12 Apr.
    assert (moved.anchor_date, moved.due_on, moved.original_due_on) == (
        D(2027, 4, 21),
        D(2027, 4, 12),
        D(2027, 4, 12),
    )
    event = CaseEvent.objects.get(kind=EventKind.DEADLINE_REANCHORED)
    assert event.summary.endswith("moved from 25 March 2027 to 12 April 2027")
    assert "Publication put back a fortnight." in event.note
    assert event.by == world["business_manager"]


def test_moving_the_anchor_replans_the_reminders(world):
    deadline = publication_notice(world, D(2027, 4, 7))
    before = set(deadline.reminders.values_list("for_day", flat=True))
    services.deadline_reanchor(
        deadline=deadline, anchor_date=D(2027, 5, 5), by=world["business_manager"], reason=""
    )
    after = set(deadline.reminders.values_list("for_day", flat=True))
    assert before and after and not before & after
    assert max(after) <= D(2027, 5, 5)


def test_a_provisional_miss_opens_again_when_the_anchor_moves_into_the_future(world):
    deadline = publication_notice(world, D(2026, 11, 25))
    services.deadlines_mark_missed(today=D(2026, 11, 30))
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MISSED
    later = datetime.date.today() + datetime.timedelta(days=60)
    moved = services.deadline_reanchor(
        deadline=deadline, anchor_date=later, by=world["business_manager"], reason=""
    )
    assert moved.status == DeadlineStatus.OPEN


def test_a_deadline_already_met_stays_as_it_was_when_the_anchor_moves(world):
    deadline = notification(world)
    services.deadline_settle(deadline=deadline, on=D(2026, 11, 9), by=world["business_manager"])
    kept = services.deadline_reanchor(
        deadline=deadline, anchor_date=D(2026, 11, 18), by=world["business_manager"], reason=""
    )
    assert (kept.status, kept.anchor_date, kept.due_on) == (
        DeadlineStatus.MET,
        AWARE,
        D(2026, 11, 11),
    )
    assert not CaseEvent.objects.filter(kind=EventKind.DEADLINE_REANCHORED).exists()


def test_withdrawing_a_deadline_waives_it_with_the_reason_and_stops_its_reminders(world):
    deadline = publication_notice(world, D(2027, 4, 7))
    assert deadline.reminders.exists()
    withdrawn = services.deadline_withdraw(
        deadline=deadline, by=world["executive"], reason="The report is not published."
    )
    assert (withdrawn.status, withdrawn.reason) == (
        DeadlineStatus.WAIVED,
        "The report is not published.",
    )
    assert not withdrawn.reminders.filter(status="pending").exists()
    event = CaseEvent.objects.get(kind=EventKind.DEADLINE_WAIVED)
    assert event.by == world["executive"]


def test_withdrawing_a_deadline_already_done_leaves_it_done(world):
    deadline = notification(world)
    services.deadline_settle(deadline=deadline, on=D(2026, 11, 9), by=world["business_manager"])
    kept = services.deadline_withdraw(deadline=deadline, by=world["executive"], reason="Gone")
    assert kept.status == DeadlineStatus.MET
