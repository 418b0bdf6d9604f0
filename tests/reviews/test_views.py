"""The local review's pages as people rely on them: what was recorded shows on its section,
a refused form says why and keeps what was typed, a saved one says so, and each person
finds what waits for them. Fictional people only."""

import datetime
import re

import pytest
import tinyhtml5
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cspr.models import CaseEvent, Deadline, Role, User
from reviews import services
from reviews.models import PublicationPlan, TermsOfReference
from tests.factories import UserFactory
from tests.reviews import builders

TODAY = timezone.localdate()
REQUEST_TEXT = "Please send the list of practitioners you have met (fictional)."
CHECKPOINT_COMMENT = "The reviewer is two weeks behind the plan (fictional)."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Letters recorded as sent keep their copy: in this test's own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = ""
    return settings.MEDIA_ROOT


# --- Reading pages ---------------------------------------------------------------------


def tree(response):
    return tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)


def words(element):
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def with_class(root, name):
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def main_text(response):
    return words(tree(response).find(".//main"))


def error_summary(response):
    """The text of the GOV.UK error summaries at the top of the page ("" when none)."""
    return " ".join(words(e) for e in with_class(tree(response), "govuk-error-summary"))


def banners(response):
    return [words(e) for e in with_class(tree(response), "govuk-notification-banner__heading")]


def field_value(response, name):
    """What the form field `name` holds on the page: an input's value, a textarea's text,
    the chosen option or radio."""
    for element in tree(response).iter():
        if element.get("name") != name:
            continue
        if element.tag == "textarea":
            return (element.text or "").strip()
        if element.tag == "select":
            chosen = [
                o.get("value") for o in element.iter("option") if o.get("selected") is not None
            ]
            return chosen[0] if chosen else None
        if element.get("type") in ("radio", "checkbox"):
            if element.get("checked") is not None:
                return element.get("value")
            continue
        return element.get("value")
    return None


def footprint():
    """Rows of every local review table (with its history) and of the kernel's events,
    deadlines and people: a refused form leaves every count as it was."""
    models = [*apps.get_app_config("reviews").get_models(), CaseEvent, Deadline, User]
    return {model._meta.label: model.objects.count() for model in models}


def day(value):
    return f"{value.day} {value:%B %Y}"


# --- States (builders, and a few steps on top) -------------------------------------------


def agreed(world):
    builders.agreed(world)


def commissioned(world):
    return builders.commissioned(world)


def appointed(world):
    review = builders.commissioned(world)
    builders.appoint(world, review)
    return review


def terms_drafted(world):
    """A reviewer appointed and version 1 of the terms saved by the business unit."""
    review = appointed(world)
    services.terms_save(
        review=review,
        fields=builders.TERMS,
        change_note="First draft",
        by=world["business_manager"],
    )
    return review


def ready(world):
    return builders.ready_to_start(world)


def started(world):
    return builders.started(world)


def with_request(world):
    review = started(world)
    services.reviewer_request_send(
        review=review,
        kind="information",
        text=REQUEST_TEXT,
        due_on=TODAY + datetime.timedelta(days=14),
        by=world["business_manager"],
    )
    return review


def with_checkpoint(world):
    review = started(world)
    services.checkpoint_record(
        checkpoint=review.checkpoints.get(),
        data={
            "held_on": TODAY,
            "time_rating": "at_risk",
            "time_comment": CHECKPOINT_COMMENT,
            "quality_rating": "on_track",
            "quality_comment": "Good engagement with practitioners (fictional).",
            "actions": "",
        },
        by=world["business_manager"],
    )
    return review


def with_letter(world):
    review = started(world)
    services.letter_prepare(
        review=review,
        kind="agency",
        agency=world.police,
        addressee="Sam Fictional, Designated Safeguarding Lead",
        organisation="",
        by=world["business_manager"],
    )
    return review


def drafted(world):
    return builders.drafted(world)


def approved(world):
    return builders.approved(world)


def planned(world):
    return builders.planned(world)


def url(name, world, *args):
    return reverse(name, args=[world.case.pk, *args])


# --- What each section shows ------------------------------------------------------------

# name: (state, what the business manager sees on the section's page)
SHOWN = {
    "reviewer-appoint": (
        ready,
        lambda w: [
            str(w["reviewer"]),
            *builders.CONSIDERATIONS.values(),
            "None declared",
            f"{day(TODAY)} by {w['business_manager']}",
        ],
    ),
    "terms-edit": (
        ready,
        lambda w: [
            "Version 1 (agreed)",
            builders.TERMS["key_lines_of_enquiry"],
            builders.TERMS["scope"],
            builders.TERMS["equality_considerations"],
            "1 January 2025 to 31 October 2026",
            f"by {w['subgroup_chair']}",
            f"by {w['reviewer']}",
        ],
    ),
    "methodology-edit": (
        ready,
        lambda w: [
            "Significant Incident Learning Process (SILP)",
            builders.METHODOLOGY["family_engagement"],
            builders.METHODOLOGY["practitioner_engagement"],
            builders.METHODOLOGY["systems_approach"],
            builders.METHODOLOGY["quality_markers"],
        ],
    ),
    "review-groups": (
        ready,
        lambda w: [
            "Pat Fictional, Detective Inspector",
            "Northtown Police",
            "Head of the public protection unit",
        ],
    ),
    "family-engagement": (
        ready,
        lambda w: ["Family told about the review", "Mother", "by letter and a visit"],
    ),
    "chronology-template": (
        ready,
        lambda w: ["1 January 2025 to 31 October 2026", "One row per contact."],
    ),
    "local-review-detail": (
        started,
        lambda w: [
            "Under way",
            f"{w['reviewer']}, from {day(TODAY)}",
            "Version 1 agreed",
            "Significant Incident Learning Process (SILP)",
            "Started",
            f"Complete by (target){day(w.case.local_review.completion_deadline.due_on)}",
        ],
    ),
    "review-monitoring": (
        with_checkpoint,
        lambda w: ["Held", "At risk", CHECKPOINT_COMMENT, "Good engagement with practitioners"],
    ),
    "review-letters": (
        with_letter,
        lambda w: [
            "Sam Fictional, Designated Safeguarding Lead, Northtown Police (a key agency)",
            "Download the letter (PDF)",
            "Record as sent",
        ],
    ),
    "review-report": (drafted, lambda w: ["Version 1", "report-v1.pdf", "First full draft"]),
    "review-publication": (
        planned,
        lambda w: [
            "Publish with the names removed (fictional).",
            "The family's named contact meets them first.",
            "Business Manager (fictional)",
        ],
    ),
}


@pytest.mark.parametrize("name", SHOWN)
def test_each_section_page_shows_what_was_recorded(client, world, name):
    state, expected = SHOWN[name]
    state(world)
    client.force_login(world["business_manager"])
    response = client.get(url(name, world))
    assert response.status_code == 200
    text = main_text(response)
    for shown in expected(world):
        assert shown in text, shown


def test_the_start_page_lists_what_commissioning_still_needs(client, world):
    appointed(world)
    client.force_login(world["business_manager"])
    page = tree(client.get(url("local-review-detail", world)))
    heading = next(e for e in page.iter("h2") if words(e) == "Before the review starts")
    checklist = next(e for e in page.iter("ul") if "govuk-list" in (e.get("class") or ""))
    items = [words(li) for li in checklist.iter("li")]
    assert heading is not None
    assert items == [
        "Done Appoint the independent reviewer",
        "To do Agree the terms of reference with the reviewer",
        "To do Agree the methodology",
        "To do Form the review group",
        "To do Tell the family about the review, or record why not yet",
        "To do Agree the chronology template",
    ]


# --- A refused form: the message on top, the typing kept, nothing changed -------------------


def appointment_post(world, **changes):
    return {
        "reviewer": world["reviewer"].pk,
        "appointed_on": TODAY.isoformat(),
        **builders.CONSIDERATIONS,
        "conflict_declared": "no",
        "conflict_details": "",
        "conflict_decision": "",
        **changes,
    }


def terms_post(**changes):
    return {
        "period_from": "2025-01-01",
        "period_to": "2026-10-31",
        "key_lines_of_enquiry": builders.TERMS["key_lines_of_enquiry"],
        "scope": builders.TERMS["scope"],
        "equality_considerations": builders.TERMS["equality_considerations"],
        "change_note": "First draft",
        "version": "",
        **changes,
    }


def methodology_post(**changes):
    return {**builders.METHODOLOGY, "version": "", **changes}


def plan_post(**changes):
    return {
        "planned_on": (TODAY + datetime.timedelta(days=40)).isoformat(),
        "legal_advice_taken": "on",
        "legal_advice_on": TODAY.isoformat(),
        "legal_advice": "Publish with the names removed (fictional).",
        "communications_advice": "A press statement on the day.",
        "wider_agencies_informed": "All partner agencies.",
        "impact_on_family": "The family's named contact meets them first.",
        "impact_on_practitioners": "Practitioners are briefed the week before.",
        "impact_on_others": "",
        "family_named_contact": "Business Manager (fictional)",
        "version": "",
        **changes,
    }


def answer_field(world, name):
    """A field of the reply form of the case's only written request (named after it)."""
    return f"answer-{world.case.local_review.reviewer_requests.get().pk}-{name}"


def answer_post(world, **fields):
    return {answer_field(world, name): value for name, value in fields.items()}


YESTERDAY = (TODAY - datetime.timedelta(days=1)).isoformat()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()

# case: (state, URL, post data, message, (field or field(world), what was typed))
REFUSED = {
    "a conflict of interest without the group's decision": (
        commissioned,
        lambda w, r: url("reviewer-appoint", w),
        lambda w: appointment_post(
            w, conflict_declared="yes", conflict_details="Worked with the police lead (typed)."
        ),
        "Record the appointing group's decision on the conflict of interest",
        ("conflict_details", "Worked with the police lead (typed)."),
    ),
    "an appointment missing a consideration": (
        commissioned,
        lambda w, r: url("reviewer-appoint", w),
        lambda w: appointment_post(w, research_knowledge=""),
        "Record how the reviewer meets this consideration",
        ("complex_circumstances", builders.CONSIDERATIONS["complex_circumstances"]),
    ),
    "a reviewer whose e-mail address is taken": (
        commissioned,
        lambda w, r: url("reviewer-invite", w),
        lambda w: {
            "account-first_name": "Morgan",
            "account-last_name": "Fictional",
            "account-email": "taken@example.org",
        },
        "Someone already signs in with this e-mail address",
        ("account-first_name", "Morgan"),
    ),
    "the end of an appointment before it began": (
        appointed,
        lambda w, r: url("appointment-end", w, r.appointments.get().pk),
        lambda w: {"end-ended_on": YESTERDAY, "end-reason": "The reviewer withdrew (typed)."},
        "The appointment cannot end before it began",
        ("end-reason", "The reviewer withdrew (typed)."),
    ),
    "terms without their key lines of enquiry": (
        appointed,
        lambda w, r: url("terms-edit", w),
        lambda w: terms_post(key_lines_of_enquiry="", scope="Police only (typed)."),
        "Enter the research questions or key lines of enquiry",
        ("scope", "Police only (typed)."),
    ),
    "terms whose period ends before it starts": (
        appointed,
        lambda w, r: url("terms-edit", w),
        lambda w: terms_post(period_from="2026-01-01", period_to="2025-01-01"),
        "The period must end after it starts",
        ("key_lines_of_enquiry", builders.TERMS["key_lines_of_enquiry"]),
    ),
    "a bespoke methodology that does not say how it works": (
        commissioned,
        lambda w, r: url("methodology-edit", w),
        lambda w: methodology_post(methodology="bespoke", family_engagement="Home visits (typed)."),
        "Say how the bespoke or hybrid approach works",
        ("family_engagement", "Home visits (typed)."),
    ),
    "a review group member without their seniority": (
        commissioned,
        lambda w, r: url("review-groups", w),
        lambda w: {
            "group": "review",
            "name": "Kim Fictional",
            "role": "Named nurse",
            "agency": w.health.pk,
            "seniority": "",
            "involvement": "",
        },
        "Say how senior they are: the review group needs managers",
        ("name", "Kim Fictional"),
    ),
    "a family contact dated tomorrow": (
        commissioned,
        lambda w, r: url("family-engagement", w),
        lambda w: {
            "kind": "informed",
            "on": TOMORROW,
            "family_member": "Father",
            "by_whom": "",
            "summary": "Told by phone (typed).",
            "consent": "",
        },
        "The date must be today or in the past",
        ("summary", "Told by phone (typed)."),
    ),
    "a chronology that ends before it starts": (
        commissioned,
        lambda w, r: url("chronology-template", w),
        lambda w: {
            "chronology_from": "2026-01-01",
            "chronology_to": "2025-01-01",
            "chronology_guidance": "Include every home visit (typed).",
            "version": "",
        },
        "The chronology must end after it starts",
        ("chronology_guidance", "Include every home visit (typed)."),
    ),
    "a start before commissioning is done": (
        appointed,
        lambda w, r: url("local-review-start", w),
        lambda w: {"started_on": TODAY.isoformat(), "monitoring_interval_weeks": "6"},
        "Before the review starts: agree the terms of reference with the reviewer",
        ("monitoring_interval_weeks", "6"),
    ),
    "a written request due yesterday": (
        started,
        lambda w, r: url("reviewer-request-send", w),
        lambda w: {
            "request-kind": "information",
            "request-text": "Send the interview notes (typed).",
            "request-due_on": YESTERDAY,
        },
        "The reply cannot be due before today",
        ("request-text", "Send the interview notes (typed)."),
    ),
    "a reply dated tomorrow": (
        with_request,
        lambda w, r: url("reviewer-request-answer", w, r.reviewer_requests.get().pk),
        lambda w: answer_post(w, answered_on=TOMORROW, answer="Sent on Friday (typed)."),
        "The date of the reply must be today or in the past",
        (lambda w: answer_field(w, "answer"), "Sent on Friday (typed)."),
    ),
    "a checkpoint without a comment on time": (
        started,
        lambda w, r: url("checkpoint-record", w, r.checkpoints.get().pk),
        lambda w: {
            "checkpoint-held_on": TODAY.isoformat(),
            "checkpoint-time_rating": "on_track",
            "checkpoint-time_comment": "",
            "checkpoint-quality_rating": "on_track",
            "checkpoint-quality_comment": "Thorough so far (typed).",
            "checkpoint-actions": "",
        },
        "Comment on the review's time",
        ("checkpoint-quality_comment", "Thorough so far (typed)."),
    ),
    "a letter to a key agency without the agency": (
        started,
        lambda w, r: url("review-letters", w),
        lambda w: {
            "kind": "agency",
            "agency": "",
            "addressee": "Sam Fictional, Designated Safeguarding Lead",
            "organisation": "",
        },
        "Choose the agency",
        ("addressee", "Sam Fictional, Designated Safeguarding Lead"),
    ),
    "a publication plan with legal advice but no date": (
        approved,
        lambda w, r: url("review-publication", w),
        lambda w: plan_post(legal_advice_on="", communications_advice="No statement (typed)."),
        "Enter the date legal advice was taken",
        ("communications_advice", "No statement (typed)."),
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_form_says_why_on_top_keeps_the_typing_and_changes_nothing(client, world, case):
    state, to, data, message, (field, typed) = REFUSED[case]
    review = state(world)
    world["police_contributor"].email = "taken@example.org"
    world["police_contributor"].save()
    client.force_login(world["business_manager"])
    before = footprint()
    response = client.post(to(world, review), data(world))
    assert response.status_code == 200
    assert message in error_summary(response)
    assert field_value(response, field(world) if callable(field) else field) == typed
    assert footprint() == before


def folded_away(root, element):
    """Whether `element` sits in a closed <details>: hidden until someone opens it."""
    parents = {child: parent for parent in root.iter() for child in parent}
    while element is not None:
        if element.tag == "details" and element.get("open") is None:
            return True
        element = parents.get(element)
    return False


@pytest.mark.parametrize(
    "case", [c for c in REFUSED if c != "a start before commissioning is done"]
)
def test_each_message_in_the_summary_leads_to_its_field_shown_without_javascript(
    client, world, case
):
    state, to, data, message, _ = REFUSED[case]
    review = state(world)
    world["police_contributor"].email = "taken@example.org"
    world["police_contributor"].save()
    client.force_login(world["business_manager"])
    root = tree(client.post(to(world, review), data(world)))
    (summary,) = with_class(root, "govuk-error-summary")
    links = [a for a in summary.iter("a") if message in words(a)]
    assert links, message
    for link in links:
        target = next(e for e in root.iter() if e.get("id") == link.get("href").removeprefix("#"))
        assert target.tag in ("input", "textarea", "select")
        assert not folded_away(root, target)


def test_a_refused_form_puts_error_in_the_page_title(client, world):
    commissioned(world)
    client.force_login(world["business_manager"])
    response = client.post(url("reviewer-appoint", world), appointment_post(world, reviewer=""))
    assert words(tree(response).find(".//title")).startswith("Error: Reviewer")


# --- A saved form: back to the page, with what happened ------------------------------------

# case: (state, persona, URL, post data, where it lands, the message)
SAVED = {
    "commissioning": (
        agreed,
        "business_manager",
        lambda w, r: url("local-review-commission", w),
        lambda w, r: {},
        "local-review-detail",
        "Local review commissioned",
    ),
    "the appointment": (
        commissioned,
        "business_manager",
        lambda w, r: url("reviewer-appoint", w),
        lambda w, r: appointment_post(w),
        "reviewer-appoint",
        "Reviewer appointed: they can now see this case, and no other",
    ),
    "the end of the appointment": (
        appointed,
        "business_manager",
        lambda w, r: url("appointment-end", w, r.appointments.get().pk),
        lambda w, r: {"end-ended_on": TODAY.isoformat(), "end-reason": "Withdrew (fictional)."},
        "reviewer-appoint",
        "The appointment has ended: they no longer see this case",
    ),
    "a version of the terms": (
        appointed,
        "business_manager",
        lambda w, r: url("terms-edit", w),
        lambda w, r: terms_post(),
        "terms-edit",
        "New version of the terms of reference saved",
    ),
    "the chair's agreement to the terms": (
        terms_drafted,
        "subgroup_chair",
        lambda w, r: url("terms-agree", w, r.terms.get().pk),
        lambda w, r: {},
        "terms-edit",
        "You agreed version 1 of the terms of reference",
    ),
    "the reviewer's agreement to the terms": (
        terms_drafted,
        "reviewer",
        lambda w, r: url("terms-agree", w, r.terms.get().pk),
        lambda w, r: {},
        "terms-edit",
        "You agreed version 1 of the terms of reference",
    ),
    "the methodology": (
        commissioned,
        "business_manager",
        lambda w, r: url("methodology-edit", w),
        lambda w, r: methodology_post(),
        "methodology-edit",
        "Methodology agreed",
    ),
    "a group member": (
        commissioned,
        "business_manager",
        lambda w, r: url("review-groups", w),
        lambda w, r: {
            "group": "practitioner",
            "name": "Kim Fictional",
            "role": "Health visitor",
            "agency": w.health.pk,
            "seniority": "",
            "involvement": "Visited the family monthly (fictional).",
        },
        "review-groups",
        "Kim Fictional added",
    ),
    "a group member's removal": (
        ready,
        "business_manager",
        lambda w, r: url("group-member-remove", w, r.members.get().pk),
        lambda w, r: {},
        "review-groups",
        "Pat Fictional removed from the review group",
    ),
    "a family contact": (
        commissioned,
        "business_manager",
        lambda w, r: url("family-engagement", w),
        lambda w, r: {
            "kind": "informed",
            "on": TODAY.isoformat(),
            "family_member": "Mother",
            "by_whom": "",
            "summary": "Told at a home visit (fictional).",
            "consent": "",
        },
        "family-engagement",
        "Added to the family engagement log",
    ),
    "the chronology template": (
        commissioned,
        "business_manager",
        lambda w, r: url("chronology-template", w),
        lambda w, r: {
            "chronology_from": "2025-01-01",
            "chronology_to": "2026-10-31",
            "chronology_guidance": "",
            "version": "",
        },
        "chronology-template",
        "Chronology template agreed",
    ),
    "the start": (
        ready,
        "business_manager",
        lambda w, r: url("local-review-start", w),
        lambda w, r: {"started_on": TODAY.isoformat(), "monitoring_interval_weeks": "4"},
        "local-review-detail",
        "The review has started",
    ),
    "a written request": (
        started,
        "business_manager",
        lambda w, r: url("reviewer-request-send", w),
        lambda w, r: {
            "request-kind": "draft",
            "request-text": "The first draft, please (fictional).",
            "request-due_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
        },
        "review-monitoring",
        "Request sent to the reviewer",
    ),
    "a checkpoint": (
        started,
        "business_manager",
        lambda w, r: url("checkpoint-record", w, r.checkpoints.get().pk),
        lambda w, r: {
            "checkpoint-held_on": TODAY.isoformat(),
            "checkpoint-time_rating": "on_track",
            "checkpoint-time_comment": "On time (fictional).",
            "checkpoint-quality_rating": "on_track",
            "checkpoint-quality_comment": "Thorough (fictional).",
            "checkpoint-actions": "",
        },
        "review-monitoring",
        "Checkpoint recorded",
    ),
    "a letter": (
        started,
        "business_manager",
        lambda w, r: url("review-letters", w),
        lambda w, r: {
            "kind": "referrer",
            "agency": "",
            "addressee": "Drew Fictional, school nurse",
            "organisation": "",
        },
        "review-letters",
        "Letter prepared: download it, send it, then record it as sent",
    ),
    "a letter sent": (
        with_letter,
        "business_manager",
        lambda w, r: url("letter-sent", w, r.letters.get().pk),
        lambda w, r: {f"sent-{r.letters.get().pk}-sent_on": TODAY.isoformat()},
        "review-letters",
        "Letter to Sam Fictional, Designated Safeguarding Lead recorded as sent; "
        "the copy sent is kept",
    ),
    "the publication plan": (
        approved,
        "business_manager",
        lambda w, r: url("review-publication", w),
        lambda w, r: plan_post(),
        "review-publication",
        "Publication plan saved",
    ),
}


@pytest.mark.parametrize("case", SAVED)
def test_a_saved_form_goes_back_to_its_page_with_what_happened(client, world, case):
    state, persona, to, data, lands, message = SAVED[case]
    review = state(world)
    client.force_login(world[persona])
    response = client.post(to(world, review), data(world, review))
    assert response.status_code == 302
    assert response["Location"] == url(lands, world)
    assert message in banners(client.get(response["Location"]))


@pytest.mark.parametrize(
    "persona,offered",
    [
        ("subgroup_chair", ["Agree version 1 for the sub-group"]),
        ("reviewer", ["Agree version 1"]),
        ("business_manager", []),
    ],
)
def test_the_terms_page_offers_the_chair_and_the_reviewer_their_agreement(
    client, world, persona, offered
):
    terms_drafted(world)
    client.force_login(world[persona])
    buttons = [words(b) for b in tree(client.get(url("terms-edit", world))).iter("button")]
    assert [b for b in buttons if b.startswith("Agree version")] == offered


# --- The reviewer on the monitoring page ---------------------------------------------------


def test_the_reviewer_sees_the_review_but_not_the_partners_checkpoint_ratings(client, world):
    with_checkpoint(world)
    client.force_login(world["business_manager"])
    assert CHECKPOINT_COMMENT in main_text(client.get(url("review-monitoring", world)))
    client.force_login(world["reviewer"])
    assert client.get(url("local-review-detail", world)).status_code == 200
    text = main_text(client.get(url("review-monitoring", world)))
    assert "Written requests to the reviewer" in text
    assert "Checkpoints on time and quality" not in text
    assert CHECKPOINT_COMMENT not in text and "At risk" not in text


def test_the_reviewer_does_not_read_the_checkpoint_ratings_on_the_case_timeline(client, world):
    with_checkpoint(world)
    case_page = reverse("case-detail", args=[world.case.pk])
    client.force_login(world["business_manager"])  # the control: the partners read it
    assert CHECKPOINT_COMMENT in main_text(client.get(url("review-monitoring", world)))
    client.force_login(world["reviewer"])
    text = main_text(client.get(case_page))
    assert "Monitoring checkpoint held on" in text  # the timeline is there
    assert CHECKPOINT_COMMENT not in text
    assert "at risk" not in text.lower()


def test_the_reviewer_sees_the_written_requests_to_them(client, world):
    with_request(world)
    client.force_login(world["reviewer"])
    response = client.get(url("review-monitoring", world))
    assert REQUEST_TEXT in main_text(response)
    assert "Record the reply" in main_text(response)


def test_the_reviewer_replies_to_a_written_request_from_the_page(client, world):
    review = with_request(world)
    waiting = review.reviewer_requests.get()
    client.force_login(world["reviewer"])
    response = client.post(
        url("reviewer-request-answer", world, waiting.pk),
        answer_post(world, answered_on=TODAY.isoformat(), answer="Attached (fictional)."),
    )
    assert response["Location"] == url("review-monitoring", world)
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answered_by) == ("Attached (fictional).", world["reviewer"])
    page = client.get(response["Location"])
    assert "Reply recorded" in banners(page)
    assert "Attached (fictional)." in main_text(page)


# --- Two people editing at once --------------------------------------------------------------


def version_on(response):
    return field_value(response, "version")


def another_business_unit_member(world):
    return UserFactory(
        username="second-manager",
        first_name="Jo",
        last_name="Fictional",
        partnership=world.partnership,
        roles=[Role.BUSINESS_UNIT],
    )


def test_an_edit_conflict_on_the_terms_keeps_what_was_typed(world):
    appointed(world)
    mine, theirs = Client(), Client()
    mine.force_login(world["business_manager"])
    theirs.force_login(world["subgroup_chair"])
    opened = version_on(mine.get(url("terms-edit", world)))
    their_version = version_on(theirs.get(url("terms-edit", world)))
    assert (
        theirs.post(url("terms-edit", world), terms_post(version=their_version)).status_code == 302
    )

    typed = "Did the school know about the missed appointments? (typed)"
    response = mine.post(
        url("terms-edit", world), terms_post(key_lines_of_enquiry=typed, version=opened)
    )
    assert response.status_code == 200
    summary = error_summary(response)
    assert f"Someone else ({world['subgroup_chair']}) saved a new version" in summary
    assert "Your changes are below, not saved" in summary
    assert field_value(response, "key_lines_of_enquiry") == typed
    assert list(TermsOfReference.objects.values_list("key_lines_of_enquiry", flat=True)) == [
        builders.TERMS["key_lines_of_enquiry"]
    ]


def test_an_edit_conflict_on_the_methodology_keeps_what_was_typed(world):
    review = commissioned(world)
    colleague = another_business_unit_member(world)
    mine, theirs = Client(), Client()
    mine.force_login(world["business_manager"])
    theirs.force_login(colleague)
    opened = version_on(mine.get(url("methodology-edit", world)))
    their_version = version_on(theirs.get(url("methodology-edit", world)))
    response = theirs.post(url("methodology-edit", world), methodology_post(version=their_version))
    assert response.status_code == 302

    typed = "Two meetings with the grandparents (typed)."
    response = mine.post(
        url("methodology-edit", world),
        methodology_post(methodology="learning_together", family_engagement=typed, version=opened),
    )
    assert response.status_code == 200
    assert "Someone else (Jo Fictional) saved the methodology" in error_summary(response)
    assert field_value(response, "family_engagement") == typed
    assert field_value(response, "methodology") == "learning_together"
    review.refresh_from_db()
    assert (review.methodology, review.family_engagement) == (
        "silp",
        builders.METHODOLOGY["family_engagement"],
    )


def test_an_edit_conflict_on_the_publication_plan_keeps_what_was_typed(world):
    review = planned(world)
    colleague = another_business_unit_member(world)
    mine, theirs = Client(), Client()
    mine.force_login(world["business_manager"])
    theirs.force_login(colleague)
    opened = version_on(mine.get(url("review-publication", world)))
    their_version = version_on(theirs.get(url("review-publication", world)))
    response = theirs.post(
        url("review-publication", world),
        plan_post(communications_advice="No press statement.", version=their_version),
    )
    assert response.status_code == 302

    typed = "The family asked to see it a week before (typed)."
    response = mine.post(
        url("review-publication", world), plan_post(impact_on_family=typed, version=opened)
    )
    assert response.status_code == 200
    assert "Someone else (Jo Fictional) saved the publication plan" in error_summary(response)
    assert field_value(response, "impact_on_family") == typed
    plan = PublicationPlan.objects.get(review=review)
    assert plan.communications_advice == "No press statement."
    assert plan.impact_on_family == builders.PLAN["impact_on_family"]


# page: (state, URL name, the other person, their post, mine, what is saved in the end)
RESAVED = {
    "the terms": (
        appointed,
        "terms-edit",
        lambda w: w["subgroup_chair"],
        lambda version: terms_post(version=version),
        lambda version: terms_post(key_lines_of_enquiry="Mine (typed).", version=version),
        lambda w: TermsOfReference.objects.order_by("-number").first().key_lines_of_enquiry,
    ),
    "the methodology": (
        commissioned,
        "methodology-edit",
        another_business_unit_member,
        lambda version: methodology_post(version=version),
        lambda version: methodology_post(family_engagement="Mine (typed).", version=version),
        lambda w: w.case.local_review.family_engagement,
    ),
    "the publication plan": (
        planned,
        "review-publication",
        another_business_unit_member,
        lambda version: plan_post(communications_advice="Theirs.", version=version),
        lambda version: plan_post(impact_on_family="Mine (typed).", version=version),
        lambda w: PublicationPlan.objects.get().impact_on_family,
    ),
}


@pytest.mark.parametrize("what", RESAVED)
def test_after_an_edit_conflict_saving_the_kept_text_again_goes_through(world, what):
    state, name, other, theirs_post, my_post, saved = RESAVED[what]
    state(world)
    mine, theirs = Client(), Client()
    mine.force_login(world["business_manager"])
    theirs.force_login(other(world))
    opened = version_on(mine.get(url(name, world)))
    their_version = version_on(theirs.get(url(name, world)))
    assert theirs.post(url(name, world), theirs_post(their_version)).status_code == 302
    refused = mine.post(url(name, world), my_post(opened))
    assert "after you opened this page" in error_summary(refused)

    again = mine.post(url(name, world), my_post(version_on(refused)))
    assert again.status_code == 302
    world.case.refresh_from_db()
    assert saved(world) == "Mine (typed)."


# --- A sign-in for a new reviewer ----------------------------------------------------------

NEW_REVIEWER = {
    "account-first_name": "Morgan",
    "account-last_name": "Fictional",
    "account-email": "morgan.fictional@example.org",
}


def test_the_reviewer_invite_creates_a_reviewers_sign_in_and_offers_them_for_appointment(
    client, world, django_capture_on_commit_callbacks
):
    commissioned(world)
    client.force_login(world["business_manager"])
    with django_capture_on_commit_callbacks():  # the e-mail is the next test's business
        response = client.post(url("reviewer-invite", world), NEW_REVIEWER)
    reviewer = User.objects.get(email="morgan.fictional@example.org")
    assert (reviewer.get_full_name(), reviewer.partnership) == (
        "Morgan Fictional",
        world.partnership,
    )
    assert reviewer.roles == {Role.INDEPENDENT_REVIEWER}
    assert response["Location"] == f"{url('reviewer-appoint', world)}?reviewer={reviewer.pk}"
    page = client.get(response["Location"])
    assert "Sign-in created: we have e-mailed them a link to choose a password" in banners(page)
    assert field_value(page, "reviewer") == str(reviewer.pk)


def test_the_new_reviewer_is_emailed_a_link_that_sets_their_password(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://cspr.example.org"
    commissioned(world)
    client.force_login(world["business_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("reviewer-invite", world), NEW_REVIEWER)
    (message,) = mail.outbox
    assert message.to == ["morgan.fictional@example.org"]
    link = re.search(r"https://cspr\.example\.org(/password-reset/\S+/)", message.body).group(1)

    newcomer = Client()
    form_url = newcomer.get(link)["Location"]  # Django hides the token from the address
    chosen = "a-fictional-reviewers-passphrase"
    response = newcomer.post(form_url, {"new_password1": chosen, "new_password2": chosen})
    assert response["Location"] == reverse("password-reset-complete")
    assert User.objects.get(email="morgan.fictional@example.org").check_password(chosen)


# --- Finding the review -------------------------------------------------------------------


def test_the_case_page_links_to_the_local_review_once_commissioned(client, world):
    client.force_login(world["business_manager"])
    link = f'href="{url("local-review-detail", world)}"'
    assert link not in client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    commissioned(world)
    page = client.get(reverse("case-detail", args=[world.case.pk]))
    assert link in page.content.decode()
    assert "Local review" in main_text(page)


# state, persona, what their home page says waits for them
WAITING = {
    "the chair: terms to agree": (
        terms_drafted,
        "subgroup_chair",
        "the terms of reference need your agreement",
    ),
    "the reviewer: terms to agree": (
        terms_drafted,
        "reviewer",
        "the terms of reference need your agreement",
    ),
    "the reviewer: a written request": (with_request, "reviewer", "1 written request to answer"),
    "the chair: a draft to check": (
        drafted,
        "subgroup_chair",
        "a draft report needs quality assurance",
    ),
    "the executive: a report to approve": (
        builders.quality_assured,
        "executive",
        "the final report needs the executive's approval",
    ),
}


@pytest.mark.parametrize("case", WAITING)
def test_the_home_page_lists_what_waits_for_each_person(client, world, case):
    state, persona, what = WAITING[case]
    client.force_login(world[persona])
    assert f"Child Q: {what}" not in main_text(client.get(reverse("home")))
    state(world)
    page = client.get(reverse("home"))
    assert f"Child Q: {what}" in main_text(page)
    assert f'href="{url("local-review-detail", world)}"' in page.content.decode()


def test_a_reviewer_who_sees_the_case_but_is_not_appointed_to_it_may_not_act_as_its_reviewer(
    client, world
):
    from cspr import access as case_access

    review = builders.started(world)
    waiting = services.reviewer_request_send(
        review=review,
        kind="information",
        text="Please send the interview notes (fictional).",
        due_on=TODAY + datetime.timedelta(days=14),
        by=world["business_manager"],
    )
    other = UserFactory(partnership=world.partnership, roles=[Role.INDEPENDENT_REVIEWER])
    case_access.grant_person(world.case, other)
    client.force_login(other)
    assert client.get(url("local-review-detail", world)).status_code == 200  # sees it
    terms = review.terms.get()
    refused = [
        client.post(url("terms-agree", world, terms.pk)),
        client.get(url("draft-upload", world)),
        client.post(url("draft-upload", world), {"file": builders.pdf_upload()}),
        client.post(
            url("reviewer-request-answer", world, waiting.pk),
            {
                f"answer-{waiting.pk}-answered_on": TODAY.isoformat(),
                f"answer-{waiting.pk}-answer": "x",
            },
        ),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    waiting.refresh_from_db()
    assert (waiting.answered_on, review.drafts.count()) == (None, 0)


# --- A refused form stays on the page even when someone else's change means it would
# no longer be offered.


def test_a_second_person_recording_the_copies_sees_why_and_keeps_the_dates(world):
    review = builders.plan(world, builders.approved(world))
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(world["business_manager"])
    data = {"copy-panel_sent_on": TODAY.isoformat(), "copy-secretary_of_state_sent_on": ""}
    assert first.post(url("final-copy-sent", world), data).status_code == 302
    late = dict(data, **{"copy-secretary_of_state_sent_on": TODAY.isoformat()})
    assert first.post(url("final-copy-sent", world), late).status_code == 302
    response = second.post(url("final-copy-sent", world), late)
    assert response.status_code == 200
    assert "Both copies are already recorded as sent" in error_summary(response)
    assert field_value(response, "copy-panel_sent_on") == TODAY.isoformat()
    review.publication_plan.refresh_from_db()
    assert review.publication_plan.copies_sent_on == TODAY


def test_starting_a_review_someone_has_just_started_says_so_on_the_page(world):
    builders.ready_to_start(world)
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(world["business_manager"])
    data = {"started_on": TODAY.isoformat(), "monitoring_interval_weeks": "6"}
    assert first.post(url("local-review-start", world), data).status_code == 302
    response = second.post(url("local-review-start", world), data)
    assert response.status_code == 200
    assert "The review has already started" in error_summary(response)
    assert field_value(response, "monitoring_interval_weeks") == "6"


def test_appointing_when_someone_has_just_appointed_keeps_the_considerations_typed(world):
    review = builders.commissioned(world)
    page = Client()
    page.force_login(world["business_manager"])
    builders.appoint(world, review)  # meanwhile, by someone else
    data = {
        "reviewer": world["reviewer"].pk,
        "appointed_on": TODAY.isoformat(),
        "conflict_declared": "no",
        **{name: f"{text} (typed)" for name, text in builders.CONSIDERATIONS.items()},
    }
    response = page.post(url("reviewer-appoint", world), data)
    assert response.status_code == 200
    assert "end that appointment before appointing another" in error_summary(response)
    assert field_value(response, "research_knowledge") == (
        f"{builders.CONSIDERATIONS['research_knowledge']} (typed)"
    )
