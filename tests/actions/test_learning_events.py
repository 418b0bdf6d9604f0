"""Learning events: recording and changing them, the cases whose learning they shared (and
their timelines), attendance once held, the count against twice a year, and who sees what."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from actions.models import LearningEvent, LearningEventCase
from actions.services.learning import (
    event_version,
    events_held_by_year,
    learning_event_record,
    learning_event_update,
)
from cspr.concurrency import EditConflict
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import CaseEvent, EventKind
from tests.conftest import PERSONAS
from tests.factories import CaseFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")  # Friday 4 December 2026

EVENT = {
    "title": "Autumn learning event (fictional)",
    "held_on": D(2026, 11, 19),
    "audience": "Designated safeguarding leads in schools",
    "notes": "",
    "attendance": None,
}


def record(world, cases=(), by=None, **changes):
    return learning_event_record(
        partnership=world.partnership,
        data=EVENT | changes,
        cases=cases,
        by=by or world["business_manager"],
    )


def shared(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=EventKind.LEARNING_SHARED).values_list(
            "summary", flat=True
        )
    )


def test_recording_an_event_tells_each_cases_timeline(world):
    manager = world["business_manager"]
    event = record(world, cases=[world.case])
    assert list(event.cases.all()) == [world.case]
    assert shared(world.case) == [
        "Learning shared at Autumn learning event (fictional) (19 November 2026)"
    ]
    assert CaseEvent.objects.get(kind=EventKind.LEARNING_SHARED).by == manager
    assert event.history.get().history_user == manager
    assert LearningEventCase.history.get().history_user == manager


def test_changing_the_cases_tells_only_the_case_newly_linked(world):
    manager = world["business_manager"]
    second = CaseFactory(partnership=world.partnership, pseudonym="Child R")
    event = record(world, cases=[world.case])
    link = LearningEventCase.objects.get(event=event, case=world.case)
    learning_event_update(event=event, data=EVENT | {"attendance": 45}, cases=[second], by=manager)
    event.refresh_from_db()
    assert event.attendance == 45
    assert list(event.cases.all()) == [second]
    assert len(shared(world.case)) == 1 and len(shared(second)) == 1
    unlinked = LearningEventCase.history.filter(id=link.pk, history_type="-").get()
    assert unlinked.history_user == manager
    assert event.history.first().history_user == manager


def test_a_case_of_another_partnership_is_refused_and_nothing_is_stored(world):
    with pytest.raises(Incomplete, match="your partnership's cases"):
        record(world, cases=[world.case, world.other_case])
    assert not LearningEvent.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.LEARNING_SHARED).exists()


def test_attendance_is_not_recorded_for_an_event_not_yet_held(world):
    with pytest.raises(Incomplete, match="once the event has been held"):
        record(world, held_on=D(2027, 3, 10), attendance=30)
    assert not LearningEvent.objects.exists()
    planned = record(world, held_on=D(2027, 3, 10))
    with pytest.raises(Incomplete, match="once the event has been held"):
        learning_event_update(
            event=planned,
            data=EVENT | {"held_on": D(2027, 3, 10), "attendance": 30},
            cases=[],
            by=world["business_manager"],
        )
    held_today = record(world, held_on=D(2026, 12, 4), attendance=12)
    assert held_today.attendance == 12


@pytest.mark.parametrize(
    "persona",
    [p for p in PERSONAS if p != "business_manager"],
)
def test_only_the_partnerships_business_unit_records_events(world, persona):
    with pytest.raises(TransitionNotAllowed):
        record(world, by=world[persona])
    assert not LearningEvent.objects.exists()


def test_a_change_made_meanwhile_is_not_overwritten(world):
    manager = world["business_manager"]
    event = record(world)
    seen = event_version(event)
    learning_event_update(event=event, data=EVENT | {"title": "Renamed"}, cases=[], by=manager)
    with pytest.raises(EditConflict):
        learning_event_update(
            event=event, data=EVENT | {"notes": "Mine"}, cases=[], by=manager, version=seen
        )
    event.refresh_from_db()
    assert (event.title, event.notes) == ("Renamed", "")


def test_events_held_are_counted_by_financial_year(world):
    for day in [D(2025, 4, 1), D(2026, 3, 31), D(2026, 6, 1), D(2027, 2, 1)]:
        record(world, held_on=day)
    record(world, held_on=D(2025, 3, 31))  # the year before those shown
    assert events_held_by_year(world.partnership, today=D(2026, 12, 4)) == [
        ("2026 to 2027", 1, 1),
        ("2025 to 2026", 2, 0),
    ]


# ------------------------------------------------------------------------------ the pages

WIDE = {"business_manager", "subgroup_member", "subgroup_chair", "executive"}


@pytest.fixture
def event(world):
    return record(world, cases=[world.case])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["learning-event-list", "learning-event-list-csv"])
def test_the_list_answers_each_persona(client, world, event, name, persona):
    client.force_login(world[persona])
    response = client.get(reverse(name))
    assert response.status_code == (200 if persona in WIDE | {"stranger"} else 403)
    if response.status_code == 200:
        body = response.content.decode()
        assert (event.title in body) is (persona != "stranger")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_new_event_page_answers_each_persona(client, world, persona):
    client.force_login(world[persona])
    response = client.get(reverse("learning-event-new"))
    assert response.status_code == (200 if persona in {"business_manager", "stranger"} else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_edit_page_answers_each_persona(client, world, event, persona):
    client.force_login(world[persona])
    response = client.get(reverse("learning-event-edit", args=[event.pk]))
    expected = {"business_manager": 200, "stranger": 404}.get(persona, 403)
    assert response.status_code == expected


def test_the_list_shows_the_newest_first_and_the_count_against_twice_a_year(client, world):
    record(world, title="Spring event", held_on=D(2026, 5, 12), attendance=60)
    record(world, title="Winter event", held_on=D(2027, 1, 20))
    client.force_login(world["executive"])
    html = client.get(reverse("learning-event-list")).content.decode()
    assert html.index("Winter event") < html.index("Spring event")
    assert "twice" in html
    assert "2026 to 2027 so far: 1 held, 1 planned" in html
    assert "2025 to 2026: 0 held" in html


def test_recording_an_event_from_the_page(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("learning-event-new"),
        {
            "title": "Winter learning event",
            "held_on": "2026-11-30",
            "audience": "GP practices",
            "attendance": "38",
            "cases": [world.case.pk],
        },
    )
    assert response.status_code == 302
    event = LearningEvent.objects.get()
    assert (event.attendance, list(event.cases.all())) == (38, [world.case])
    assert len(shared(world.case)) == 1


def test_a_case_of_another_partnership_posted_by_id_is_refused_on_the_page(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("learning-event-new"),
        {
            "title": "Winter learning event",
            "held_on": "2026-11-30",
            "audience": "GP practices",
            "cases": [world.case.pk, world.other_case.pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose only your partnership&#x27;s cases" in html
    assert 'value="Winter learning event"' in html
    assert not LearningEvent.objects.exists()
    assert "Child Z" not in html


def test_attendance_for_a_future_event_is_refused_on_the_page(client, world, event):
    client.force_login(world["business_manager"])
    url = reverse("learning-event-edit", args=[event.pk])
    response = client.post(
        url,
        {
            "title": event.title,
            "held_on": "2027-02-01",
            "audience": event.audience,
            "attendance": "20",
            "cases": [world.case.pk],
            "version": event_version(event),
        },
    )
    assert response.status_code == 200
    assert "Attendance can be recorded once the event has been held" in response.content.decode()
    event.refresh_from_db()
    assert (event.held_on, event.attendance) == (D(2026, 11, 19), None)


def test_editing_an_event_opened_before_someone_elses_change_is_refused(client, world, event):
    client.force_login(world["business_manager"])
    url = reverse("learning-event-edit", args=[event.pk])
    page = client.get(url).content.decode()
    assert event_version(event) in page
    data = {
        "title": event.title,
        "held_on": "2026-11-19",
        "audience": event.audience,
        "attendance": "41",
        "cases": [world.case.pk],
        "version": event_version(event),
    }
    learning_event_update(
        event=event,
        data=EVENT | {"notes": "Slides sent"},
        cases=[world.case],
        by=world["business_manager"],
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "after you opened this page" in response.content.decode()
    event.refresh_from_db()
    assert event.attendance is None
    # Saving again, having seen the other change, goes through.
    again = client.post(url, data | {"version": event_version(event)})
    assert again.status_code == 302
    event.refresh_from_db()
    assert event.attendance == 41


def test_the_csv_escapes_what_a_spreadsheet_would_run(client, world):
    record(world, title='=HYPERLINK("http://example.invalid")', cases=[world.case])
    client.force_login(world["subgroup_chair"])
    response = client.get(reverse("learning-event-list-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Title", "Date"]
    assert rows[1][0] == '\'=HYPERLINK("http://example.invalid")'
    assert rows[1][1] == "2026-11-19"
    assert rows[1][4] == "Child Q"
