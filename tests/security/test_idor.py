"""IDOR probes: an id changed in the URL or slipped into a form never reveals or changes
anything out of the person's reach.

First, over the whole matrix: every POST refused to someone (403 or 404) changes no row
in any table. Then the places where an id travels in the request: chronology and action
rows (formsets), another agency's request, return and documents reached through one's
own request, another partnership's case, deadline, agency and notification; every
action plan object a URL names (plan, immediate action, action, evidence, barrier,
learning event) reached through another case, action, agency or partnership; and the
reports' and dashboards' figures, which never count another partnership's work.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cspr.models import AccessLogEntry, Reminder
from rapid_reviews import services
from rapid_reviews.models import (
    ChronologyEntry,
    ImmediateAction,
    InformationRequest,
    LearningMeeting,
    ReturnAttachment,
    ReturnStatus,
)
from rapid_reviews.services.attachments import return_attachment_add
from tests.rapid_reviews.test_returns import COMPLETE
from tests.security.actions_states import HEALTH_MARK, POLICE_MARK
from tests.security.conftest import CHILD_SURNAME, PSEUDONYM, signed_in, user_for
from tests.security.test_matrix import MATRIX, Clients, plan

# Rows a refused request may add: who tried (the access log, axes) and the session.
AUDIT = {
    AccessLogEntry._meta.label,
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}
POSTS = [
    (name, index)
    for name, entry in MATRIX.items()
    for index, req in enumerate(entry.reqs)
    if req.method == "post" and entry.state
]


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in AUDIT
    }


@pytest.mark.parametrize(("name", "index"), POSTS, ids=[f"{n}-{i}" for n, i in POSTS])
def test_a_refused_post_changes_nothing(sides, name, index):
    """Unlike the matrix (which rolls every request back), these are kept: all of the
    refused requests on the object and its twin together leave every table as it was."""
    entry = MATRIX[name]
    req = entry.reqs[index]
    sides.build(entry.state)
    refused = [p for p in plan(entry, req) if p.expected in (403, 404)]
    assert refused
    clients = Clients(sides)
    for probe in refused:  # sign everyone in first: that writes sessions and devices
        clients.signed_in[getattr(clients.user(probe), "pk", None)] = signed_in(clients.user(probe))
    urls = {"northtown": entry.url(sides.north), "southvale": entry.url(sides.south)}
    before = row_counts()
    for probe in refused:
        side = sides.north if probe.obj == "northtown" else sides.south
        data = req.data(side) if req.data else {}
        client = clients.signed_in[clients.user(probe).pk]
        response = client.post(urls[probe.obj], data)
        assert response.status_code == probe.expected, (probe, response.status_code)
    assert row_counts() == before


# Formsets and ids in the form ----------------------------------------------------------


@pytest.fixture
def health_return(sides):
    """Northtown's health trust asked too, with a draft row of its own."""
    sides.build("police_request")
    north = sides.north
    request = services.information_request_send(
        rapid_review=north.objects["review"],
        agency=north.health,
        due_on=north.objects["police_request"].deadline.due_on,
        note="",
        by=north["business_manager"],
    )
    services.return_save_draft(
        information_return=request.information_return,
        fields=COMPLETE | {"author_name": "Health author (fictional)"},
        rows=[
            {
                "date": "2026-09-01",
                "date_is_approximate": False,
                "source": "Health visitor notes",
                "event": "Health visit (fictional)",
                "significance": "",
                "action": "",
            }
        ],
        by=north["health_contributor"],
    )
    return request.information_return


def rows_of(information_return):
    return list(
        ChronologyEntry.objects.filter(information_return=information_return).values_list(
            "pk", "event", "information_return_id"
        )
    )


def return_post(rows, **extra):
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "save": "1",
        **extra,
    }
    for index, row in enumerate(rows):
        data.update({f"rows-{index}-{key}": value for key, value in row.items()})
    return data


def test_a_chronology_row_id_in_the_post_cannot_reach_another_agencys_rows(sides, health_return):
    police_request = sides.north.objects["police_request"]
    health_rows = rows_of(health_return)
    (health_row_pk, _, _) = health_rows[0]
    client = signed_in(sides.north["police_contributor"])
    response = client.post(
        reverse("return-edit", args=[police_request.pk]),
        return_post(
            [
                {
                    "id": health_row_pk,
                    "information_return": health_return.pk,
                    "date": "2026-10-01",
                    "source": "Police log",
                    "event": "Overwritten by the police (fictional)",
                },
                {"id": health_row_pk, "DELETE": "on", "date": "2026-10-02", "source": "x"},
            ]
        ),
    )
    assert response.status_code == 302
    assert rows_of(health_return) == health_rows
    police_rows = rows_of(police_request.information_return)
    assert [event for _, event, _ in police_rows] == ["Overwritten by the police (fictional)"]
    assert health_row_pk not in {pk for pk, _, _ in police_rows}


def test_another_agencys_request_is_not_reached_by_changing_its_id(sides, health_return):
    health_request = health_return.request
    health_rows = rows_of(health_return)
    client = signed_in(sides.north["police_contributor"])
    upload = SimpleUploadedFile("notes.txt", b"Fictional notes.\n", "text/plain")
    attempts = [
        ("get", "request-detail", {}),
        ("get", "return-edit", {}),
        ("post", "return-edit", return_post([{"date": "2026-10-01", "source": "x", "event": "y"}])),
        ("post", "records-secured", {}),
        ("post", "return-addendum", {"text": "Police text in the health return"}),
        ("post", "chronology-import", {}),
        ("get", "attachment-list", {}),
        ("post", "attachment-upload", {"file": upload}),
    ]
    for method, name, data in attempts:
        response = getattr(client, method)(reverse(name, args=[health_request.pk]), data)
        assert response.status_code == 404, name
        assert b"Health visit (fictional)" not in response.content
    health_request.refresh_from_db()
    assert health_request.records_secured_at is None
    assert rows_of(health_return) == health_rows
    assert not health_return.addenda.exists()
    assert not ReturnAttachment.objects.filter(information_return=health_return).exists()


def test_another_partnerships_return_is_neither_read_nor_unlocked(sides):
    sides.build("submitted_return")
    for persona, side in (("business_manager", sides.south), ("stranger", sides.north)):
        request = side.objects["submitted_return"]
        client = signed_in(user_for(sides, persona))
        assert client.get(reverse("request-detail", args=[request.pk])).status_code == 404
        response = client.post(reverse("return-unlock", args=[request.pk]), {"reason": "x"})
        assert response.status_code == 404
        request.information_return.refresh_from_db()
        assert request.information_return.status == ReturnStatus.SUBMITTED


def test_a_document_is_served_only_through_its_own_request(sides, health_return):
    sides.build("attachment")
    police_request = sides.north.objects["police_request"]
    health_document = return_attachment_add(
        information_return=health_return,
        upload=SimpleUploadedFile("health.txt", b"Health notes (fictional).\n", "text/plain"),
        by=sides.north["health_contributor"],
    )
    southvale_document = sides.south.objects["attachment"]
    police = signed_in(sides.north["police_contributor"])
    for document in (health_document, southvale_document):
        download = reverse("attachment-download", args=[police_request.pk, document.pk])
        assert police.get(download).status_code == 404, document
        remove = reverse("attachment-remove", args=[police_request.pk, document.pk])
        assert police.get(remove).status_code == 404, document
        assert police.post(remove).status_code == 404, document
    # The business unit sees both requests, but a document only through its own.
    services.return_submit(information_return=health_return, by=sides.north["health_contributor"])
    manager = signed_in(sides.north["business_manager"])
    crossed = reverse("attachment-download", args=[police_request.pk, health_document.pk])
    assert manager.get(crossed).status_code == 404
    own = reverse("attachment-download", args=[health_return.request_id, health_document.pk])
    assert manager.get(own).status_code == 200
    assert ReturnAttachment.objects.filter(removed_at__isnull=True).count() == 3


def test_meeting_action_rows_take_no_ids_and_only_this_partnerships_agencies(sides):
    from tests.rapid_reviews.test_decision import meet

    sides.build("review")
    meet(sides.south, sides.south.objects["review"])
    southvale_action = ImmediateAction.objects.get()
    before = (southvale_action.meeting_id, southvale_action.description, southvale_action.agency_id)
    url = reverse("meeting-record", args=[sides.north.case.pk])
    data = {
        "held_on": "2026-11-18",
        "attendees": "Chair (fictional)",
        "recommendation": "local_cspr",
        "rationale": "Learning about information sharing.",
        "criterion_working_together": "Agencies did not share information.",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "1",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-id": southvale_action.pk,
        "actions-0-meeting": southvale_action.meeting_id,
        "actions-0-description": "Changed by Northtown (fictional)",
        "actions-0-agency": sides.south.police.pk,
    }
    client = signed_in(sides.north["business_manager"])
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not LearningMeeting.objects.filter(rapid_review__case=sides.north.case).exists()
    response = client.post(url, data | {"actions-0-agency": sides.north.police.pk})
    assert response.status_code == 302
    southvale_action.refresh_from_db()
    assert (
        southvale_action.meeting_id,
        southvale_action.description,
        southvale_action.agency_id,
    ) == before
    northtown = LearningMeeting.objects.get(rapid_review__case=sides.north.case)
    assert list(northtown.immediate_actions.values_list("description", "agency")) == [
        ("Changed by Northtown (fictional)", sides.north.police.pk)
    ]


def test_a_request_is_not_sent_to_another_partnerships_agency(sides):
    sides.build("review")
    client = signed_in(sides.north["business_manager"])
    response = client.post(
        reverse("information-request-send", args=[sides.north.case.pk]),
        {"agency": sides.south.health.pk, "due_on": "2027-01-04"},
    )
    assert response.status_code == 200
    assert not InformationRequest.objects.filter(agency=sides.south.health).exists()
    assert "Southvale Health Trust" not in response.content.decode()


def test_a_referral_names_no_agency_of_another_partnership(sides):
    from referrals.models import Referral

    sides.build("draft")
    referral = sides.north.objects["draft"]
    client = signed_in(sides.north["police_contributor"])
    base = {
        "given_names": "Robin",
        "family_name": CHILD_SURNAME["northtown"],
        "sex": "not_known",
        "incident_date": "2026-11-02",
        "nature": "serious_harm",
        "case_outline": "Changed outline (fictional).",
        "urgency": "routine",
        "criteria": ["working_together"],
        "referring_agency": sides.north.police.pk,
        "save": "1",
    }
    for smuggled in (
        {"referring_agency": sides.south.police.pk},
        {"agencies_involved": [sides.north.police.pk, sides.south.health.pk]},
    ):
        response = client.post(reverse("referral-edit", args=[referral.pk]), base | smuggled)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.case_outline != "Changed outline (fictional)."
    assert list(referral.agencies_involved.all()) == [sides.north.police]


def test_a_deadline_is_reached_only_through_its_own_case(sides):
    from cspr.deadline_rules import Rule
    from cspr.services.deadlines import deadline_set
    from tests.factories import CaseFactory

    sides.build("deadline")
    southvale_deadline = sides.south.objects["deadline"]
    manager = signed_in(sides.north["business_manager"])
    url = reverse("deadline-action", args=[sides.north.case.pk, southvale_deadline.pk, "waive"])
    assert manager.post(url, {"waive-reason": "Closed"}).status_code == 404
    southvale_deadline.refresh_from_db()
    assert southvale_deadline.status == "open"
    # The reviewer sees Child Northwick only: not a deadline of another Northtown case.
    other = CaseFactory(partnership=sides.north.partnership, pseudonym="Child Elsewhere")
    elsewhere = deadline_set(
        case=other,
        rule=Rule.OTHER,
        anchor_date=southvale_deadline.anchor_date,
        anchor_event="a local agreement",
        due_on=southvale_deadline.due_on,
        title="Elsewhere's letters",
        by=sides.north["business_manager"],
    )
    reviewer = signed_in(sides.north["reviewer"])
    page = reviewer.get(reverse("deadline-detail", args=[sides.north.case.pk, elsewhere.pk]))
    assert page.status_code == 404
    assert b"Elsewhere" not in page.content


def test_nobody_marks_anothers_notification_read(sides):
    sides.build("reminder")
    southvale_reminder = sides.south.objects["reminder"]
    manager = signed_in(sides.north["business_manager"])
    url = reverse("notification-read", args=[southvale_reminder.pk])
    assert manager.post(url).status_code == 404
    manager.post(reverse("notification-read-all"))
    assert Reminder.objects.get(pk=southvale_reminder.pk).read_at is None
    assert Reminder.objects.get(pk=sides.north.objects["reminder"].pk).read_at is not None


def test_the_pack_filter_shows_nothing_of_another_partnerships_agency(sides):
    sides.build("submitted_return")
    manager = signed_in(sides.north["business_manager"])
    url = reverse("collated-pack", args=[sides.north.case.pk])
    html = manager.get(url, {"agency": sides.south.police.pk}).content.decode()
    assert "Southvale" not in html
    assert PSEUDONYM["southvale"] not in html


def test_a_case_id_of_another_partnership_opens_and_changes_nothing(sides):
    from cspr.models import Case

    sides.build("review")
    manager = signed_in(sides.north["business_manager"])
    southvale = sides.south.case.pk
    for name, data in [
        ("case-legal-hold", {"reason": "Inquest"}),
        ("child-record-edit", {"given_names": "A", "family_name": "B", "sex": "male"}),
        ("briefing-edit", {"title": "T", "body": "B"}),
        ("notification-aware", {"date_aware": "2026-11-04"}),
    ]:
        response = manager.post(reverse(name, args=[southvale]), data)
        assert response.status_code == 404, name
    case = Case.objects.get(pk=southvale)
    assert not case.legal_hold
    assert case.child.family_name == CHILD_SURNAME["southvale"]


# Access taken away ---------------------------------------------------------------------

REFERRAL_STATES = {"draft", "submitted", "triaged"}  # the author keeps their own referral
NOT_THE_CASES = {"agency-access-log"}  # the agency's own page, whatever it was asked about
# An agency's own actions are its own on any case of its partnership, asked or not
# (actions.access): their pages do not come from the case's grant (tested below).
OWN_AGENCYS_ACTIONS = {
    name
    for name in MATRIX
    if name.startswith(("action-", "evidence-", "barrier-")) and MATRIX[name].state
}
GRANTED = [
    (name, persona)
    for name, entry in MATRIX.items()
    if entry.state and entry.state not in REFERRAL_STATES and name not in NOT_THE_CASES
    for persona in ("police_contributor", "reviewer")
    if any(persona in req.ok for req in entry.reqs)
    and not (persona == "police_contributor" and name in OWN_AGENCYS_ACTIONS)
]


@pytest.mark.parametrize(("name", "persona"), GRANTED, ids=[f"{n}-{p}" for n, p in GRANTED])
def test_taking_access_away_closes_every_page_it_opened(sides, name, persona):
    """The police see Child Northwick because they were asked, the reviewer because they
    were commissioned: once that is revoked, every page either had is a 404."""
    from cspr import access

    entry = MATRIX[name]
    sides.build(entry.state)
    if persona == "reviewer":
        access.revoke_person(sides.north.case, sides.north["reviewer"])
    else:
        access.revoke_agency(sides.north.case, sides.north.police)
    client = signed_in(sides.north[persona])
    url = entry.url(sides.north)
    for req in entry.reqs:
        if persona in req.ok:
            data = req.data(sides.north) if req.data else {}
            assert getattr(client, req.method)(url, data).status_code == 404, req.method
    home = client.get(reverse("home")).content.decode()
    assert PSEUDONYM["northtown"] not in home


def test_a_hidden_object_answers_like_one_that_does_not_exist(sides):
    """No existence oracle: the stranger's 404 for Northtown's objects reads exactly like
    the 404 for an id nobody has."""
    sides.build("submitted_attachment")
    sides.build("submitted")
    north = sides.north
    attachment = north.objects["attachment"]
    request_pk = attachment.information_return.request_id
    hidden_and_missing = [
        (("case-detail", north.case.pk), ("case-detail", 999999)),
        (("request-detail", request_pk), ("request-detail", 999999)),
        (("referral-detail", north.objects["submitted"].pk), ("referral-detail", 999999)),
        (
            ("attachment-download", request_pk, attachment.pk),
            ("attachment-download", request_pk, 999999),
        ),
    ]
    stranger = signed_in(sides.world["stranger"])
    nonce = re.compile(rb'nonce="[^"]*"')
    for hidden, missing in hidden_and_missing:
        seen = stranger.get(reverse(hidden[0], args=hidden[1:]))
        unknown = stranger.get(reverse(missing[0], args=missing[1:]))
        assert seen.status_code == unknown.status_code == 404
        assert nonce.sub(b"", seen.content) == nonce.sub(b"", unknown.content), hidden[0]


# The local review's objects -------------------------------------------------------------

# The pages naming one of a review's objects (or, for a parallel process, the case's) by
# id, with the state whose object that is: the same as the matrix's.
REVIEW_OBJECTS = {
    "appointment-end": "an appointment",
    "terms-agree": "a terms version",
    "group-member-remove": "a group member",
    "letter-pdf": "a letter",
    "letter-sent": "a letter",
    "checkpoint-record": "a checkpoint",
    "reviewer-request-answer": "a written request",
    "draft-download": "a draft",
    "quality-assurance": "a draft",
    "parallel-process-conclude": "a parallel process",
}
NOBODY_HAS = 999999


def _elsewhere(sides):
    """Another Northtown case with a local review of its own, started, with every kind of
    object: the Northtown personas see it, but never through Child Northwick's pages."""
    from dataclasses import replace

    from reviews import services as reviews
    from tests.factories import CaseFactory
    from tests.reviews import builders

    north = sides.north
    case = CaseFactory(
        partnership=north.partnership,
        pseudonym="Child Elsewhere",
        created_by=north["business_manager"],
    )
    side = replace(north, case=case, objects={})
    builders.agreed(side)
    review = builders.commission(side)
    manager = side["business_manager"]
    side.objects["local_appointed"] = builders.appoint(side, review)
    side.objects["local_terms"] = builders.agree_terms(side, review)
    review = builders.start(side, builders.prepare(side, review))
    side.objects["local_member"] = review.members.get()
    side.objects["local_checkpoint"] = review.checkpoints.get()
    side.objects["local_letter"] = reviews.letter_prepare(
        review=review,
        kind="referrer",
        agency=None,
        addressee="Elsewhere's referrer (fictional)",
        organisation="",
        by=manager,
    )
    side.objects["local_request"] = reviews.reviewer_request_send(
        review=review,
        kind="information",
        text="Elsewhere's request (fictional).",
        due_on=review.started_on + datetime.timedelta(days=7),
        by=manager,
    )
    side.objects["local_draft"] = builders.upload_draft(side, review).drafts.get()
    side.objects["local_process"] = reviews.parallel_process_record(
        case=case,
        data={"kind": "inquest", "lead_body": "Elsewhere's coroner (fictional)"},
        by=manager,
    )
    return side


def _without_nonce(response):
    return re.sub(rb'nonce="[^"]*"', b"", response.content)


@pytest.mark.parametrize("name", REVIEW_OBJECTS)
def test_a_review_object_is_reached_only_through_its_own_review(sides, name):
    """An id of another partnership's review, or of another case's, on Child Northwick's
    pages: a 404 that reads exactly like an id nobody has, sent by someone who may do
    this with Northtown's own object; and nothing changes, in any table."""
    entry = MATRIX[name]
    sides.build(entry.state)
    north = sides.north
    foreign = {"Southvale": sides.south, "another Northtown case": _elsewhere(sides)}
    for req in entry.reqs:
        persona = next(p for p in req.ok if p != "anonymous")
        client = signed_in(north[persona])
        own = entry.url(north)
        assert getattr(client, req.method)(own).status_code != 404, (name, persona)
        for where, side in foreign.items():
            other = side.objects[entry.state]
            # The post that would be valid for that object, had it been reachable.
            data = req.data(side) if req.data else {}
            before = row_counts()
            hidden = getattr(client, req.method)(
                reverse(name, args=[north.case.pk, other.pk]), data
            )
            missing = getattr(client, req.method)(
                reverse(name, args=[north.case.pk, NOBODY_HAS]), data
            )
            assert row_counts() == before, (name, where)
            assert hidden.status_code == missing.status_code == 404, (name, where, persona)
            assert _without_nonce(hidden) == _without_nonce(missing), (name, where)
            assert PSEUDONYM["southvale"].encode() not in hidden.content


def test_another_partnerships_review_answers_like_a_case_nobody_has(sides):
    """The stranger (Southvale's business manager) on Child Northwick's review pages."""
    sides.build("local_draft")
    stranger = signed_in(sides.world["stranger"])
    draft = sides.north.objects["local_draft"]
    for args in ([], [draft.pk]):
        name = "draft-download" if args else "review-report"
        hidden = stranger.get(reverse(name, args=[sides.north.case.pk, *args]))
        missing = stranger.get(reverse(name, args=[NOBODY_HAS, *args]))
        assert hidden.status_code == missing.status_code == 404, name
        assert _without_nonce(hidden) == _without_nonce(missing), name


# Action plans, evidence, barriers, learning events ---------------------------------------

# Each page naming objects by id under the case: the state whose object it is, and the ids
# its URL takes after the case's (from a side's objects).
ACTION_OBJECTS = {
    "action-add": ("plan", lambda o: [o["plan"].pk]),
    "immediate-action-take-in": (
        "immediate_action",
        lambda o: [o["plan"].pk, o["immediate_action"].pk],
    ),
    **{
        name: (state, lambda o, state=state: [o[state].pk])
        for name, state in [
            ("action-detail", "police_action"),
            ("action-edit", "police_action"),
            ("action-progress", "police_action"),
            ("action-complete", "police_action"),
            ("action-reopen", "complete_action"),
            ("action-impact", "complete_action"),
            ("evidence-add", "police_action"),
            ("barrier-raise", "police_action"),
        ]
    },
    **{
        name: (state, lambda o, state=state: [o[state].action_id, o[state].pk])
        for name, state in [
            ("evidence-download", "evidence_file"),
            ("evidence-remove", "evidence_file"),
            ("barrier-respond", "barrier"),
            ("barrier-close", "barrier_answered"),
        ]
    },
}


EVERY_ACTION_STATE = ("complete_action", "evidence_file", "barrier", "barrier_answered")


def _another_case(sides):
    """Another Northtown case with the same action plan objects: the Northtown personas
    see them, but never through Child Northwick's pages."""
    from dataclasses import replace

    from cspr import access
    from tests.factories import CaseFactory
    from tests.security.actions_states import build_on
    from tests.security.conftest import STATES

    north = sides.north
    case = CaseFactory(
        partnership=north.partnership,
        pseudonym="Child Elsewhere",
        created_by=north["business_manager"],
    )
    access.grant_agency(case, north.police)
    side = replace(north, case=case, objects={})
    for state in ("complete_action", "evidence_file", "barrier", "barrier_answered"):
        build_on(side, state, STATES)
    build_on(side, "immediate_action", STATES)
    return side


def test_every_page_naming_an_action_object_is_probed():
    named = {
        name
        for name, entry in MATRIX.items()
        if entry.state and name.startswith(("action-", "evidence-", "barrier-", "immediate-"))
    }
    assert named - {"action-plans", "action-plan-open"} == set(ACTION_OBJECTS)


@pytest.mark.parametrize("name", ACTION_OBJECTS)
def test_an_action_object_is_reached_only_through_its_own_case_and_action(sides, name):
    """Each id in the URL, in turn, replaced by the id of the same kind of object of
    another partnership's case or of another Northtown case: a 404 that reads exactly like
    an id nobody has, for everyone who may do this with Child Northwick's own object; and
    nothing changes, in any table."""
    entry = MATRIX[name]
    state, ids = ACTION_OBJECTS[name]
    for need in (*EVERY_ACTION_STATE, state):
        sides.build(need)
    north = sides.north
    foreign = {"Southvale": sides.south, "another Northtown case": _another_case(sides)}
    own_ids = ids(north.objects)
    for req in entry.reqs:
        data = req.data(north) if req.data else {}
        for persona in sorted(set(req.ok) - {"anonymous"}):
            client = signed_in(north[persona])
            with transaction.atomic():  # the control, rolled back
                assert getattr(client, req.method)(entry.url(north), data).status_code != 404
                transaction.set_rollback(True)
            for where, side in foreign.items():
                other_ids = ids(side.objects)
                for position in range(len(own_ids)):
                    hidden_ids = [*own_ids[:position], other_ids[position]]
                    missing_ids = [*own_ids[:position], NOBODY_HAS]
                    hidden_ids += own_ids[position + 1 :]
                    missing_ids += own_ids[position + 1 :]
                    before = row_counts()
                    hidden = getattr(client, req.method)(
                        reverse(name, args=[north.case.pk, *hidden_ids]), data
                    )
                    missing = getattr(client, req.method)(
                        reverse(name, args=[north.case.pk, *missing_ids]), data
                    )
                    where_ = (name, req.method, persona, where, position)
                    assert row_counts() == before, where_
                    assert hidden.status_code == missing.status_code == 404, where_
                    assert _without_nonce(hidden) == _without_nonce(missing), where_
                    assert b"Elsewhere" not in hidden.content, where_
                    assert PSEUDONYM["southvale"].encode() not in hidden.content, where_
            # Child Northwick's own objects, named under another case's id.
            elsewhere = foreign["another Northtown case"].case.pk
            hidden = getattr(client, req.method)(reverse(name, args=[elsewhere, *own_ids]), data)
            missing = getattr(client, req.method)(reverse(name, args=[NOBODY_HAS, *own_ids]), data)
            assert hidden.status_code == missing.status_code == 404, (name, persona)
            assert _without_nonce(hidden) == _without_nonce(missing), (name, persona)


@pytest.mark.parametrize(
    "name",
    [name for name in ACTION_OBJECTS if name not in ("action-add", "immediate-action-take-in")],
)
def test_another_agencys_action_answers_like_one_nobody_has(sides, name):
    """The health trust's contributor on the police's action, its evidence and barriers:
    the same 404 as for an action nobody has, and nothing changes."""
    entry = MATRIX[name]
    state, ids = ACTION_OBJECTS[name]
    for need in (*EVERY_ACTION_STATE, state):
        sides.build(need)
    north = sides.north
    client = signed_in(north["health_contributor"])
    own_ids = ids(north.objects)
    for req in entry.reqs:
        data = req.data(north) if req.data else {}
        before = row_counts()
        hidden = getattr(client, req.method)(reverse(name, args=[north.case.pk, *own_ids]), data)
        missing_ids = [NOBODY_HAS] + own_ids[1:]
        missing = getattr(client, req.method)(
            reverse(name, args=[north.case.pk, *missing_ids]), data
        )
        assert row_counts() == before, name
        assert hidden.status_code == missing.status_code == 404, name
        assert _without_nonce(hidden) == _without_nonce(missing), name
        assert POLICE_MARK.encode() not in hidden.content


def test_evidence_and_barriers_are_reached_only_through_their_own_action(sides):
    """The health trust's evidence and barrier, named under the police's action of the
    same case (which the business unit sees both of): a 404, and they stay as they were."""
    from actions.models import Barrier, Evidence

    sides.build("health_action")
    north = sides.north
    police, health = north.objects["police_action"], north.objects["health_action"]
    evidence = Evidence.objects.create(
        action=health,
        description="Health evidence (fictional)",
        link="https://www.example.org/health",
        added_by=north["health_contributor"],
    )
    barrier = Barrier.objects.create(
        action=health,
        description="Health barrier (fictional)",
        raised_by=north["health_contributor"],
    )
    attempts = [
        ("business_manager", "get", "evidence-download", evidence.pk, {}),
        ("business_manager", "post", "evidence-remove", evidence.pk, {}),
        ("police_contributor", "get", "evidence-download", evidence.pk, {}),
        ("police_contributor", "post", "evidence-remove", evidence.pk, {}),
        (
            "executive",
            "post",
            "barrier-respond",
            barrier.pk,
            {f"respond-{barrier.pk}-response": "x"},
        ),
        (
            "business_manager",
            "post",
            "barrier-close",
            barrier.pk,
            {f"close-{barrier.pk}-note": "x"},
        ),
    ]
    clients = {persona: signed_in(north[persona]) for persona, *_ in attempts}
    before = row_counts()
    for persona, method, name, pk, data in attempts:
        client = clients[persona]
        response = getattr(client, method)(reverse(name, args=[north.case.pk, police.pk, pk]), data)
        assert response.status_code == 404, (persona, name)
    assert row_counts() == before
    evidence.refresh_from_db()
    barrier.refresh_from_db()
    assert evidence.removed_at is None
    assert (barrier.responded_at, barrier.closed_at) == (None, None)


def test_an_action_names_no_agency_of_another_partnership(sides):
    """Adding an action, taking in an immediate action or editing one: Southvale's police
    are not a choice for Northtown's plan, and nothing is stored."""
    from actions.services.plans import action_version

    sides.build("immediate_action")
    sides.build("police_action")
    north = sides.north
    plan, action = north.objects["plan"], north.objects["police_action"]
    client = signed_in(north["business_manager"])
    data = {
        "finding": "A finding (fictional).",
        "change": "A change (fictional).",
        "agency": sides.south.police.pk,
        "owner_name": "Sam Fictional",
        "due_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    attempts = [
        (reverse("action-add", args=[north.case.pk, plan.pk]), data),
        (
            reverse(
                "immediate-action-take-in",
                args=[north.case.pk, plan.pk, north.objects["immediate_action"].pk],
            ),
            data,
        ),
        (
            reverse("action-edit", args=[north.case.pk, action.pk]),
            data | {"version": action_version(action)},
        ),
    ]
    before = row_counts()
    for url, post in attempts:
        response = client.post(url, post)
        assert response.status_code == 200, url
        assert "Southvale Police" not in response.content.decode(), url
    assert row_counts() == before
    action.refresh_from_db()
    assert action.agency == north.police


def test_a_learning_event_shares_no_case_of_another_partnership(sides):
    from actions.models import LearningEvent, LearningEventCase

    sides.build("learning_event")
    north = sides.north
    event = north.objects["learning_event"]
    client = signed_in(north["business_manager"])
    base = {
        "title": "Spring learning event (fictional)",
        "held_on": "2026-04-20",
        "audience": "GP practices (fictional)",
    }
    before = row_counts()
    new = client.post(reverse("learning-event-new"), base | {"cases": [sides.south.case.pk]})
    assert new.status_code == 200
    from actions.services.learning import event_version

    edit = client.post(
        reverse("learning-event-edit", args=[event.pk]),
        base | {"cases": [sides.south.case.pk], "version": event_version(event)},
    )
    assert edit.status_code == 200
    assert row_counts() == before
    for response in (new, edit):
        assert PSEUDONYM["southvale"] not in response.content.decode()
    assert (
        not LearningEventCase.objects.filter(case=sides.south.case)
        .exclude(event__partnership=sides.south.partnership)
        .exists()
    )
    assert LearningEvent.objects.filter(partnership=north.partnership).count() == 1


def test_another_partnerships_learning_event_answers_like_one_nobody_has(sides):
    sides.build("learning_event")
    manager = signed_in(sides.north["business_manager"])
    southvale = sides.south.objects["learning_event"]
    for method in ("get", "post"):
        before = row_counts()
        hidden = getattr(manager, method)(reverse("learning-event-edit", args=[southvale.pk]))
        missing = getattr(manager, method)(reverse("learning-event-edit", args=[NOBODY_HAS]))
        assert row_counts() == before
        assert hidden.status_code == missing.status_code == 404
        assert _without_nonce(hidden) == _without_nonce(missing)


def test_an_agencys_own_actions_do_not_depend_on_the_cases_grant(sides):
    """By design (actions.access), the police keep their own actions when the case's grant
    is taken away, but not the case itself, nor another agency's action."""
    from cspr import access

    sides.build("health_action")
    north = sides.north
    access.revoke_agency(north.case, north.police)
    police = signed_in(north["police_contributor"])
    own = north.objects["police_action"]
    health = north.objects["health_action"]
    assert police.get(reverse("action-detail", args=[north.case.pk, own.pk])).status_code == 200
    assert police.get(reverse("action-detail", args=[north.case.pk, health.pk])).status_code == 404
    assert police.get(reverse("case-detail", args=[north.case.pk])).status_code == 404
    page = police.get(reverse("action-plans", args=[north.case.pk])).content.decode()
    assert POLICE_MARK in page
    assert HEALTH_MARK not in page
    # The health trust was never asked about the case: it sees its own action, and
    # neither the child's name nor the police's action.
    health_contributor = signed_in(north["health_contributor"])
    assert health_contributor.get(reverse("case-detail", args=[north.case.pk])).status_code == 404
    for url in (
        reverse("action-detail", args=[north.case.pk, health.pk]),
        reverse("action-plans", args=[north.case.pk]),
        reverse("action-list"),
        reverse("dashboard"),
    ):
        page = health_contributor.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert HEALTH_MARK in text, url
        assert POLICE_MARK not in text, url
        assert CHILD_SURNAME["northtown"] not in text, url


# Figures: a partnership's never count another's -----------------------------------------

FIGURES = [
    ("business_manager", "action-list-csv", []),
    ("business_manager", "exception-report-csv", []),
    ("business_manager", "annual-report-csv", []),
    ("business_manager", "equality-analysis-csv", []),
    ("business_manager", "learning-event-list-csv", []),
    *[
        ("business_manager", "dashboard-csv", [name])
        for name in ("open-cases", "open-cases-by-stage", "deadlines", "returns-by-agency")
    ],
    *[
        ("executive", "dashboard-csv", [name])
        for name in (
            "cases-by-stage",
            "timeliness",
            "overdue-actions",
            "overdue-actions-by-agency",
            "themes",
            "barriers",
        )
    ],
    ("subgroup_chair", "dashboard-csv", ["waiting-for-the-chair"]),
    ("police_contributor", "dashboard-csv", ["agency-actions"]),
    ("police_contributor", "dashboard-csv", ["agency-requests"]),
    ("health_contributor", "dashboard-csv", ["agency-actions"]),
]


def test_figures_and_lists_are_unchanged_by_another_partnerships_work(sides):
    """Every CSV of the reports and dashboards, for Northtown's people, is the same before
    and after Southvale records the same work (actions overdue, barriers, themes, a
    learning event, requests, a meeting): no figure counts another partnership's."""
    from actions.models import Action
    from tests.security.actions_states import build_on
    from tests.security.conftest import STATES

    work = ("complete_action", "barrier", "case_theme", "learning_event", "submitted_return")
    for state in work:
        build_on(sides.north, state, STATES)
    overdue = timezone.localdate() - datetime.timedelta(days=5)
    Action.objects.filter(plan__case=sides.north.case, number=1).update(due_on=overdue)
    clients = {persona: signed_in(sides.north[persona]) for persona, *_ in FIGURES}

    def downloads():
        found = {}
        for persona, name, args in FIGURES:
            response = clients[persona].get(reverse(name, args=args))
            assert response.status_code == 200, (persona, name, args)
            found[(persona, name, *args)] = response.content.decode()
        return found

    before = downloads()
    for state in work:
        build_on(sides.south, state, STATES)
    Action.objects.filter(plan__case=sides.south.case, number=1).update(due_on=overdue)
    after = downloads()
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, changed
    # The control: Northtown's own work is in them.
    for key in [
        ("business_manager", "action-list-csv"),
        ("business_manager", "exception-report-csv"),
        ("business_manager", "learning-event-list-csv"),
        ("executive", "dashboard-csv", "overdue-actions"),
        ("executive", "dashboard-csv", "barriers"),
    ]:
        assert PSEUDONYM["northtown"] in before[key], key
    assert HEALTH_MARK in before[("health_contributor", "dashboard-csv", "agency-actions")]
    assert POLICE_MARK not in before[("health_contributor", "dashboard-csv", "agency-actions")]


def test_an_agency_reads_neither_the_immediate_actions_waiting_nor_removed_evidence(sides):
    """The police see their own actions on the case's plans page, not the learning
    meeting's immediate actions still to be taken in (the business unit's to place); and
    evidence once removed is gone for everyone, its file with it."""
    from actions.services.evidence import evidence_remove

    sides.build("immediate_action")
    sides.build("evidence_file")
    north = sides.north
    waiting = north.objects["immediate_action"].description
    url = reverse("action-plans", args=[north.case.pk])
    assert waiting in signed_in(north["business_manager"]).get(url).content.decode()
    page = signed_in(north["police_contributor"]).get(url).content.decode()
    assert POLICE_MARK in page
    assert waiting not in page

    evidence = north.objects["evidence_file"]
    download = reverse("evidence-download", args=[north.case.pk, evidence.action_id, evidence.pk])
    police = signed_in(north["police_contributor"])
    response = police.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    evidence_remove(evidence=evidence, by=north["business_manager"])
    for persona in ("police_contributor", "business_manager"):
        assert signed_in(north[persona]).get(download).status_code == 404, persona


def test_an_agency_is_reminded_of_its_own_actions_only(sides):
    """An action's due date reminds the business unit and the owning agency's
    contributors: never another agency's, nor another partnership's people."""
    from cspr.deadline_rules import Rule

    sides.build("health_action")
    north = sides.north
    for state, agency_persona in (
        ("police_action", "police_contributor"),
        ("health_action", "health_contributor"),
    ):
        deadline = north.objects[state].deadline
        recipients = set(
            Reminder.objects.filter(deadline=deadline).values_list("recipient_id", flat=True)
        )
        assert deadline.rule == Rule.ACTION
        assert {north["business_manager"].pk, north[agency_persona].pk} <= recipients, state
        assert recipients <= {north["business_manager"].pk, north[agency_persona].pk}, state
