"""The learning briefings of a rapid review and a local review as PDFs: the text, the
publication status and the partnership, never the child's name, for whoever may read the
briefing page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cspr.models import ChildRecord
from rapid_reviews import services as rapid
from reviews import services as local
from tests.conftest import PERSONAS
from tests.rapid_reviews.test_rapid_reviews import notify
from tests.reviews import builders

pytestmark = pytest.mark.usefixtures("today")  # Friday 4 December 2026

SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "reviewer"}
BODY = "Agencies must share information about babies at risk (fictional)."


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def rapid_review(world):
    notify(world)
    return rapid.rapid_review_open(case=world.case, by=world["business_manager"])


def rapid_briefing(world, review, publish):
    return rapid.briefing_save(
        rapid_review=review,
        title="Learning from Child Q",
        body=BODY,
        publish=publish,
        by=world["business_manager"],
    )


@pytest.fixture
def local_review(world):
    review = builders.commissioned(world)
    local.review_briefing_save(
        review=review,
        title="Learning from the local review of Child Q",
        body=BODY,
        publish=False,
        by=world["business_manager"],
    )
    return review


def test_a_published_rapid_review_briefing_says_when_it_was_published(client, world, rapid_review):
    rapid_briefing(world, rapid_review, publish=True)
    client.force_login(world["executive"])
    response = client.get(reverse("briefing-pdf", args=[world.case.pk]))
    text = pdf_text(response)
    assert "Learning from Child Q" in text
    assert BODY in text
    assert "Published on 4 December 2026" in text
    assert world.partnership.name in text
    child = world.case.child
    assert child.family_name not in text and child.given_names not in text
    assert "attachment" in response["Content-Disposition"]


def test_a_draft_rapid_review_briefing_says_it_is_not_yet_published(client, world, rapid_review):
    rapid_briefing(world, rapid_review, publish=False)
    client.force_login(world["business_manager"])
    text = pdf_text(client.get(reverse("briefing-pdf", args=[world.case.pk])))
    assert "Not yet published" in text and "Published on" not in text


def test_a_local_review_briefing_as_a_pdf(client, world, local_review):
    client.force_login(world["subgroup_chair"])
    text = pdf_text(client.get(reverse("review-briefing-pdf", args=[world.case.pk])))
    assert "Learning from the local review of Child Q" in text
    assert BODY in text
    assert "Not yet published" in text
    assert "local child safeguarding practice review learning briefing" in text
    assert world.partnership.name in text
    assert world.case.child.family_name not in text


def test_there_is_no_pdf_before_a_briefing_is_written(client, world, rapid_review):
    client.force_login(world["business_manager"])
    assert client.get(reverse("briefing-pdf", args=[world.case.pk])).status_code == 404


def test_a_briefing_that_names_the_child_after_a_correction_is_not_downloaded(
    client, world, rapid_review
):
    rapid_briefing(world, rapid_review, publish=False)
    # The child's record is corrected to a name the briefing happens to use.
    ChildRecord.objects.filter(case=world.case).update(family_name="Babies")
    client.force_login(world["business_manager"])
    response = client.get(reverse("briefing-pdf", args=[world.case.pk]), follow=True)
    assert response.redirect_chain[0][0] == reverse("briefing-edit", args=[world.case.pk])
    assert "names the child" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_rapid_review_briefing_pdf_answers_each_persona(client, world, rapid_review, persona):
    rapid_briefing(world, rapid_review, publish=True)
    client.force_login(world[persona])
    response = client.get(reverse("briefing-pdf", args=[world.case.pk]))
    page = client.get(reverse("briefing-edit", args=[world.case.pk]))
    assert response.status_code == page.status_code == (200 if persona in SEES else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_local_review_briefing_pdf_answers_each_persona(client, world, local_review, persona):
    client.force_login(world[persona])
    response = client.get(reverse("review-briefing-pdf", args=[world.case.pk]))
    page = client.get(reverse("review-briefing", args=[world.case.pk]))
    assert response.status_code == page.status_code == (200 if persona in SEES else 404)


def test_the_briefing_pages_link_to_their_pdfs(client, world, rapid_review, local_review):
    rapid_briefing(world, rapid_review, publish=True)
    client.force_login(world["business_manager"])
    rapid_page = client.get(reverse("briefing-edit", args=[world.case.pk])).content.decode()
    assert reverse("briefing-pdf", args=[world.case.pk]) in rapid_page
    local_page = client.get(reverse("review-briefing", args=[world.case.pk])).content.decode()
    assert reverse("review-briefing-pdf", args=[world.case.pk]) in local_page
