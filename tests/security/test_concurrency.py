"""Two people editing the same record: the second save never silently overwrites the first.

Each edit page carries the version of the record it showed (cspr.concurrency). A save
from a page opened before someone else's save is refused with a message saying who saved
and when; everything the second person typed stays on the page, and saving again from
that page (having checked) goes through.
"""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cspr.concurrency import EditConflict, check_version, version_of
from cspr.models import ChildRecord, Role
from rapid_reviews.models import ChronologyEntry, LearningBriefing, LearningMeeting
from tests.factories import UserFactory

REFUSED = re.compile(
    r"Someone else \((?P<who>[^)]+)\) saved (?P<what>[^<]+?) at \d\d:\d\d, after you opened "
    r"this page\. Your changes are below, not saved: check theirs and save again\."
)


@pytest.fixture
def draft(world):
    from tests.referrals.conftest import make_draft

    return make_draft(world)


@pytest.fixture
def review(world):
    from rapid_reviews import services
    from tests.rapid_reviews.test_rapid_reviews import notify

    notify(world)
    return services.rapid_review_open(case=world.case, by=world["business_manager"])


@pytest.fixture
def police_return(world, review):
    import datetime

    from django.utils import timezone

    from rapid_reviews import services

    request = services.information_request_send(
        rapid_review=review,
        agency=world.police,
        due_on=timezone.localdate() + datetime.timedelta(days=1),
        note="",
        by=world["business_manager"],
    )
    return request.information_return


def version_on(response):
    """The version the page's form carries back."""
    found = re.search(r'name="(?:\w+-)?version" value="([0-9a-f]+)"', response.content.decode())
    assert found, "the page carries no version"
    return found.group(1)


def fields_of(response):
    """What the page's form would send as it stands (text inputs and textareas)."""
    form = response.context["form"]
    return {
        name: "" if value is None else value
        for name, value in ((name, form[name].value()) for name in form.fields)
    }


def person(world, roles, agency=None, first_name="Jo"):
    return UserFactory(
        partnership=world.partnership,
        agency=agency,
        roles=roles,
        first_name=first_name,
        last_name="Fictional",
    )


def two_clients(first, second):
    clients = []
    for user in (first, second):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


# ----------------------------------------------------------------- the child's record


def child_form(response):
    data = fields_of(response)
    data["date_of_birth"] = data["date_of_birth"] or ""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def test_a_second_save_of_the_childs_record_is_refused_and_keeps_what_was_typed(world):
    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Sam")
    first, second = two_clients(world["business_manager"], colleague)
    url = reverse("child-record-edit", args=[world.case.pk])
    first_page, second_page = first.get(url), second.get(url)

    mine = child_form(first_page) | {"family_name": "Fictional-Jones"}
    assert first.post(url, mine).status_code == 302
    theirs = child_form(second_page) | {"address": "2 Imaginary Road"}
    response = second.post(url, theirs)

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    refusal = REFUSED.search(html.replace("&#x27;", "'"))
    assert refusal and refusal["what"] == "the child's details"
    assert refusal["who"] == str(world["business_manager"])
    assert "2 Imaginary Road" in html  # what they typed is still on the page
    child = ChildRecord.objects.get(case=world.case)
    assert (child.family_name, child.address) == ("Fictional-Jones", "")

    # Having checked, saving again from the same page goes through.
    again = theirs | {"version": version_on(response), "family_name": "Fictional-Jones"}
    assert second.post(url, again).status_code == 302
    child.refresh_from_db()
    assert (child.family_name, child.address) == ("Fictional-Jones", "2 Imaginary Road")


def test_saving_the_childs_record_twice_from_one_page_is_not_a_conflict_once_reloaded(world):
    client = Client()
    client.force_login(world["business_manager"])
    url = reverse("child-record-edit", args=[world.case.pk])
    data = child_form(client.get(url)) | {"ethnicity": "Not recorded"}
    assert client.post(url, data).status_code == 302
    data = child_form(client.get(url)) | {"disability": "None known"}
    assert client.post(url, data).status_code == 302
    assert ChildRecord.objects.get(case=world.case).disability == "None known"


# ----------------------------------------------------------------- a referral


def referral_form(response):
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in ("agencies_involved", "criteria", "circumstances"):
            data[name] = [str(getattr(v, "pk", v)) for v in value or []]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def test_the_author_saving_a_referral_from_an_older_tab_is_told_and_loses_nothing(world, draft):
    author = world["police_contributor"]
    first, second = two_clients(author, author)
    url = reverse("referral-edit", args=[draft.pk])
    first_page, second_page = first.get(url), second.get(url)

    first.post(url, referral_form(first_page) | {"case_outline": "Outline from tab one."})
    response = second.post(
        url, referral_form(second_page) | {"media_details": "Local paper (fictional)."}
    )

    html = response.content.decode().replace("&#x27;", "'")
    assert "You (in another window or tab) saved this referral at" in html
    assert "Your changes are below, not saved: check theirs and save again." in html
    assert "Local paper (fictional)." in html
    draft.refresh_from_db()
    assert (draft.case_outline, draft.media_details) == ("Outline from tab one.", "")


# ----------------------------------------------------------------- an information return


def return_form(response, rows):
    data = fields_of(response)
    data["signed_off_on"] = ""
    data.update(
        {
            "rows-TOTAL_FORMS": str(len(rows)),
            "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        data.update({f"rows-{index}-{name}": value for name, value in row.items()})
    return data


ROW = {"date": "2026-10-01", "source": "Police log", "event": "Call-out to the home"}


def test_two_officers_saving_the_same_return_do_not_overwrite_each_others_rows(
    world, police_return
):
    colleague = person(world, [Role.AGENCY_CONTRIBUTOR], agency=world.police, first_name="Ash")
    first, second = two_clients(world["police_contributor"], colleague)
    url = reverse("return-edit", args=[police_return.request_id])
    first_page, second_page = first.get(url), second.get(url)

    assert first.post(url, return_form(first_page, [ROW])).status_code == 302
    their_row = ROW | {"event": "Second officer's visit (fictional)"}
    response = second.post(url, return_form(second_page, [their_row]))

    html = response.content.decode().replace("&#x27;", "'")
    refusal = REFUSED.search(html)
    assert refusal and refusal["what"] == "this return"
    assert "Second officer's visit (fictional)" in html
    assert list(ChronologyEntry.objects.values_list("event", flat=True)) == ["Call-out to the home"]


def refused_page(response):
    """What the refused return page sends when saved again as it stands."""
    rows = response.context["rows"].data
    return fields_of(response) | {name: value for name, value in rows.items() if "rows-" in name}


IMPORTED = {
    "date": datetime.date(2026, 9, 1),
    "date_is_approximate": False,
    "source": "Imported log",
    "event": "Imported event",
    "significance": "",
    "action": "",
}


def test_an_import_after_the_page_was_opened_is_not_wiped_by_saving_it(world, police_return):
    from rapid_reviews import services

    client = Client()
    client.force_login(world["police_contributor"])
    url = reverse("return-edit", args=[police_return.request_id])
    page = client.get(url)
    services.return_append_rows(
        information_return=police_return,
        rows=[IMPORTED],
        by=world["police_contributor"],
        source_name="rows.csv",
    )
    response = client.post(url, return_form(page, [ROW]))
    assert response.status_code == 200
    imported = ChronologyEntry.objects.get(event="Imported event")
    # The refused page shows the imported row, named, after this person's own: saving
    # it again (with the version it now carries) keeps both.
    html = response.content.decode()
    assert "1 chronology row saved since you opened this page is added at the end" in html
    assert f'name="rows-1-entry" value="{imported.pk}"' in html
    assert "Imported event" in html
    assert client.post(url, refused_page(response)).status_code == 302
    assert sorted(ChronologyEntry.objects.values_list("event", flat=True)) == [
        "Call-out to the home",
        "Imported event",
    ]
    assert ChronologyEntry.objects.filter(pk=imported.pk).exists()  # kept, not re-added


def test_a_row_ticked_for_removal_on_a_refused_page_is_not_shown_as_saved_since(
    world, police_return
):
    from rapid_reviews import services

    services.return_save_draft(
        information_return=police_return,
        fields={},
        rows=[{**IMPORTED, "event": "Kept"}, {**IMPORTED, "event": "To remove"}],
        by=world["police_contributor"],
    )
    kept, to_remove = police_return.entries.order_by("event")
    client = Client()
    client.force_login(world["police_contributor"])
    url = reverse("return-edit", args=[police_return.request_id])
    page = client.get(url)
    services.return_append_rows(
        information_return=police_return, rows=[IMPORTED], by=world["police_contributor"]
    )
    on_page = [
        {"date": "2026-09-01", "source": "Imported log", "event": e.event, "entry": str(e.pk)}
        for e in (kept, to_remove)
    ]
    on_page[1]["DELETE"] = "on"
    response = client.post(url, return_form(page, on_page))

    html = response.content.decode()
    assert "1 chronology row saved since you opened this page is added at the end" in html
    assert client.post(url, refused_page(response)).status_code == 302
    assert sorted(police_return.entries.values_list("event", flat=True)) == [
        "Imported event",
        "Kept",
    ]


# ----------------------------------------------------------------- the learning briefing


def test_a_second_save_of_the_briefing_is_refused(world, review):
    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Kit")
    first, second = two_clients(world["business_manager"], colleague)
    url = reverse("briefing-edit", args=[world.case.pk])
    first_version, second_version = version_on(first.get(url)), version_on(second.get(url))

    first.post(url, {"title": "Learning", "body": "First draft.", "version": first_version})
    response = second.post(
        url, {"title": "Learning", "body": "Second draft (kept).", "version": second_version}
    )

    html = response.content.decode()
    refusal = REFUSED.search(html)
    assert refusal and refusal["what"] == "the briefing"
    assert "Second draft (kept)." in html
    assert LearningBriefing.objects.get().body == "First draft."


def test_saving_a_briefing_published_meanwhile_keeps_the_text_on_the_page(world, review):
    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Kit")
    first, second = two_clients(world["business_manager"], colleague)
    url = reverse("briefing-edit", args=[world.case.pk])
    first_version, second_version = version_on(first.get(url)), version_on(second.get(url))

    first.post(
        url, {"title": "Learning", "body": "Published.", "version": first_version, "publish": "1"}
    )
    response = second.post(
        url, {"title": "Learning", "body": "Late edit (kept).", "version": second_version}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The briefing is published; it can no longer change." in html
    assert "Late edit (kept)." in html
    assert LearningBriefing.objects.get().body == "Published."


# ----------------------------------------------------------------- the learning meeting


def test_a_second_record_of_the_learning_meeting_keeps_the_second_persons_notes(world, review):
    from tests.rapid_reviews.test_decision_views import meeting_post

    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Lee")
    first, second = two_clients(world["business_manager"], colleague)
    url = reverse("meeting-record", args=[world.case.pk])
    first.get(url), second.get(url)

    assert first.post(url, meeting_post()).status_code == 302
    response = second.post(url, meeting_post() | {"attendees": "Lee's attendee list (kept)"})

    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert f"{world['business_manager']} already recorded the learning meeting at" in html
    assert "What you typed is below, not saved" in html
    assert "Lee's attendee list (kept)" in html
    assert LearningMeeting.objects.get().attendees == "Chair (fictional)"


# ----------------------------------------------------------------- the kernel


def test_a_post_without_a_version_is_not_checked_and_a_matching_one_passes():
    current = version_of({"a": 1})
    check_version(None, current=current, what="x", by=None)
    check_version(current, current=current, what="x", by=None)
    with pytest.raises(EditConflict) as refused:
        check_version(version_of({"a": 0}), current=current, what="the thing", by=None)
    assert refused.value.current == current
    assert str(refused.value).startswith("Someone else saved the thing, after you opened")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)
def test_two_saves_at_the_same_moment_let_exactly_one_through(kernel_rows, world):
    """Both read the same version, both save at once: the row lock makes the second wait,
    re-read and find the first's change."""
    from django.db import close_old_connections

    from cspr.services.cases import child_record_update, child_record_version

    case = world.case
    version = child_record_version(case.child)
    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Max")
    barrier = threading.Barrier(2)
    outcomes = []

    def save(by, family_name):
        try:
            barrier.wait(timeout=10)
            child_record_update(
                case=case, changes={"family_name": family_name}, by=by, version=version
            )
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=save, args=(world["business_manager"], "One")),
        threading.Thread(target=save, args=(colleague, "Two")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    assert ChildRecord.objects.get(case=case).history.count() == 2  # created, then one save


# ----------------------------------------------------------------- a deadline


def test_a_second_extension_from_an_older_page_is_refused(world):
    from cspr.deadline_rules import Rule
    from cspr.models import Deadline
    from cspr.services.deadlines import deadline_set

    deadline = deadline_set(
        case=world.case,
        rule=Rule.NOTIFICATION,
        anchor_date=__import__("datetime").date(2026, 11, 4),
        anchor_event="the local authority became aware",
        by=world["business_manager"],
    )
    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Ray")
    first, second = two_clients(world["business_manager"], colleague)
    page = reverse("deadline-detail", args=[world.case.pk, deadline.pk])
    url = reverse("deadline-action", args=[world.case.pk, deadline.pk, "extend"])
    first_version, second_version = version_on(first.get(page)), version_on(second.get(page))

    first.post(
        url,
        {"extend-due_on": "2026-12-01", "extend-reason": "Agreed", "extend-version": first_version},
    )
    response = second.post(
        url,
        {
            "extend-due_on": "2026-12-18",
            "extend-reason": "Ray's reason (kept)",
            "extend-version": second_version,
        },
    )

    html = response.content.decode()
    refusal = REFUSED.search(html)
    assert refusal and refusal["what"] == "this deadline"
    assert "Ray&#x27;s reason (kept)" in html
    assert Deadline.objects.get(pk=deadline.pk).due_on.isoformat() == "2026-12-01"


# ----------------------------------------------------------------- a legal hold


def test_setting_a_legal_hold_someone_set_meanwhile_does_not_clear_it(world):
    from cspr.models import Case

    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Bo")
    first, second = two_clients(world["business_manager"], colleague)
    url = reverse("case-legal-hold", args=[world.case.pk])
    for page in (first.get(url), second.get(url)):
        assert 'name="hold" value="set"' in page.content.decode()

    assert first.post(url, {"reason": "Inquest", "hold": "set"}).status_code == 302
    response = second.post(url, {"reason": "Civil claim (kept)", "hold": "set"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The case is already on legal hold." in html
    assert "Civil claim (kept)" in html
    case = Case.objects.get(pk=world.case.pk)
    assert (case.legal_hold, case.legal_hold_reason) == (True, "Inquest")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)
def test_two_people_opening_a_case_by_the_same_name_at_once_get_one_case_and_a_message(
    kernel_rows, world
):
    from django.db import close_old_connections

    from cspr.errors import TransitionNotAllowed
    from cspr.models import Case
    from cspr.services.cases import case_open

    colleague = person(world, [Role.BUSINESS_UNIT], first_name="Max")
    barrier = threading.Barrier(2)
    outcomes = []

    def open_case(by, name):
        try:
            barrier.wait(timeout=10)
            case_open(
                partnership=world.partnership,
                pseudonym=name,
                child={"given_names": "Kit", "family_name": "Fictional"},
                by=by,
            )
            outcomes.append("opened")
        except TransitionNotAllowed as refusal:
            outcomes.append(str(refusal))
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=open_case, args=(world["business_manager"], "Child T")),
        threading.Thread(target=open_case, args=(colleague, "child t")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("opened") == 1
    assert [o for o in outcomes if o != "opened"][0].startswith("There is already a case called")
    assert Case.objects.filter(pseudonym__iexact="child t").count() == 1
