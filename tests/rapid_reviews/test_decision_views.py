"""Decision pages over every persona, and the report PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from rapid_reviews import services
from rapid_reviews.models import LearningMeeting
from tests.conftest import PERSONAS
from tests.rapid_reviews.test_decision import meet

SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "reviewer"}


def meeting_post():
    data = {
        "held_on": "2026-11-18",
        "attendees": "Chair (fictional)",
        "recommendation": "local_cspr",
        "rationale": "Learning about information sharing.",
        "criterion_working_together": "Agencies did not share information.",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-description": "Brief all staff",
    }
    return data


def test_the_business_unit_records_the_meeting_from_the_form(client, world, review):
    client.force_login(world["business_manager"])
    response = client.post(reverse("meeting-record", args=[world.case.pk]), meeting_post())
    assert response.status_code == 302
    meeting = LearningMeeting.objects.get()
    assert meeting.criteria_rationale["working_together"] == "Agencies did not share information."
    assert meeting.immediate_actions.get().description == "Brief all staff"


def test_a_meeting_without_a_criterion_rationale_is_refused_and_keeps_the_input(
    client,
    world,
    review,
):
    client.force_login(world["business_manager"])
    data = meeting_post() | {"criterion_working_together": "", "attendees": "Kept attendee"}
    html = client.post(reverse("meeting-record", args=[world.case.pk]), data).content.decode()
    assert "Give the rationale against at least one criterion" in html
    assert "Kept attendee" in html
    assert not LearningMeeting.objects.exists()


def test_the_chair_and_the_partners_sign_from_the_page(client, world, review, executives):
    meet(world, review)
    client.force_login(world["subgroup_chair"])
    page = client.get(reverse("rapid-review-detail", args=[world.case.pk])).content.decode()
    assert "Approve the recommendation" in page
    client.post(reverse("recommendation-approve", args=[world.case.pk]))
    client.force_login(executives["police"])
    page = client.get(reverse("rapid-review-detail", args=[world.case.pk])).content.decode()
    assert "Sign off the decision for the police" in page
    client.post(reverse("partner-sign-off", args=[world.case.pk]), {"note": "Agreed"})
    review.refresh_from_db()
    assert review.sign_offs.get().partner == "police"


def test_the_report_pdf_is_laid_out_for_the_panel_with_the_cases_content(
    client,
    world,
    review,
    executives,
):
    meet(world, review)
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    services.partner_sign_off(rapid_review=review, by=executives["police"])
    client.force_login(world["business_manager"])
    response = client.get(reverse("report-pdf", args=[world.case.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Rapid review: Child Q",
        "Decision and rationale",
        "Learning about information",
        "Police",
        "Brief all staff on information sharing",
        "Sign-off",
    ):
        assert expected in text, expected
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_sending_the_report_before_the_sign_offs_is_refused_on_the_page(client, world, review):
    meet(world, review)
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("report-sent", args=[world.case.pk]), {"report-sent_on": "2026-11-20"}
    )
    assert "All three safeguarding partners must sign off first" in response.content.decode()


# name: (method, data, expected(persona)); all on a review with a recorded meeting
VIEWS = {
    "meeting-record": (
        "get",
        None,
        lambda p: 302 if p == "business_manager" else 403 if p in SEES else 404,
    ),
    "recommendation-approve": (
        "post",
        None,
        lambda p: 302 if p == "subgroup_chair" else 403 if p in SEES else 404,
    ),
    "partner-sign-off": (
        "post",
        None,
        lambda p: 302 if p == "executive" else 403 if p in SEES else 404,
    ),
    "family-informed": (
        "post",
        {
            "family-informed_on": "2026-11-12",
            "family-informed_by": "Lead (fictional)",
            "family-method": "Visit",
        },
        lambda p: 302 if p == "business_manager" else 403 if p in SEES else 404,
    ),
    "report-pdf": ("get", None, lambda p: 200 if p in SEES else 404),
    "report-sent": (
        "post",
        {"report-sent_on": "2026-11-20"},
        lambda p: 200 if p == "business_manager" else 403 if p in SEES else 404,
    ),
    "panel-response": (
        "post",
        {},
        lambda p: 200 if p == "business_manager" else 403 if p in SEES else 404,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_decision_view_answers_each_persona(client, world, review, name, persona):
    meet(world, review)
    method, data, expected = VIEWS[name]
    client.force_login(world[persona])
    response = getattr(client, method)(reverse(name, args=[world.case.pk]), data)
    assert response.status_code == expected(persona)


def test_the_chair_and_then_each_partner_see_what_waits_for_them_at_home(
    client, world, review, executives
):
    meet(world, review)
    client.force_login(world["subgroup_chair"])
    assert "the recommendation needs your approval" in client.get(reverse("home")).content.decode()
    client.force_login(executives["police"])
    assert "needs your sign-off" not in client.get(reverse("home")).content.decode()
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    assert "the decision needs your sign-off" in client.get(reverse("home")).content.decode()
    services.partner_sign_off(rapid_review=review, by=executives["police"])
    assert "needs your sign-off" not in client.get(reverse("home")).content.decode()
