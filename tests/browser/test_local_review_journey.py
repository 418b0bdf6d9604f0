"""A local review in a real browser: the business unit commissions it after the Panel's
agreement, appoints the reviewer, drafts the terms and prepares the review, starts it; the
reviewer signs in and uploads the first draft. One page is used with JavaScript off."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews import services
from reviews.models import LocalReview, ReportDraft, ReviewStatus, TermsOfReference
from tests.browser.conftest import open_page, screenshot
from tests.browser.test_smoke import sign_in
from tests.reviews import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = builders.PDF


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = ""


def section(page, name):
    """Go to a section of the review through its navigation."""
    page.get_by_role("navigation", name="Sections of the local review").get_by_role(
        "link", name=name, exact=True
    ).click()


def commission_and_appoint(page, live_server, world):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/cases/{world.case.pk}/")
    screenshot(page, "case-page-before-the-local-review")
    page.get_by_role("link", name="Local review", exact=True).click()
    screenshot(page, "local-review-not-commissioned")
    page.get_by_role("button", name="Commission the local review").click()
    expect(page.get_by_text("Local review commissioned")).to_be_visible()
    screenshot(page, "local-review-commissioned")

    section(page, "Reviewer")
    page.get_by_label("Independent reviewer").select_option(label="Rowan Ashdown")
    page.get_by_label("Date of appointment").fill(timezone.localdate().isoformat())
    for label, text in (
        ("Knowledge of reviews, and ability", builders.CONSIDERATIONS["knowledge_and_engagement"]),
        ("Knowledge of research", builders.CONSIDERATIONS["research_knowledge"]),
        ("Grasp of the complex circumstances", builders.CONSIDERATIONS["complex_circumstances"]),
        ("Ability to communicate findings", builders.CONSIDERATIONS["communicating_findings"]),
    ):
        page.get_by_label(label).fill(text)
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_text("Reviewer appointed: they can now see this case")).to_be_visible()
    expect(page.get_by_text("None declared")).to_be_visible()
    screenshot(page, "local-review-reviewer-appointed")


def draft_terms_and_prepare(page, world):
    section(page, "Terms of reference")
    page.locator("#id_period_from").fill("2025-01-01")
    page.locator("#id_period_to").fill("2026-10-31")
    page.get_by_label("Research questions and key lines of enquiry").fill(
        builders.TERMS["key_lines_of_enquiry"]
    )
    page.get_by_label("Scope: agencies and matters in and out").fill(builders.TERMS["scope"])
    page.get_by_label("Equality and human rights").fill(builders.TERMS["equality_considerations"])
    page.get_by_role("button", name="Save as version 1").click()
    expect(page.get_by_text("New version of the terms of reference saved")).to_be_visible()
    screenshot(page, "local-review-terms-drafted")

    section(page, "Methodology")
    page.get_by_role("radio", name="Significant Incident Learning Process (SILP)").check()
    page.get_by_label("Engagement with the family and carers").fill(
        builders.METHODOLOGY["family_engagement"]
    )
    page.get_by_label("Engagement with frontline practitioners").fill(
        builders.METHODOLOGY["practitioner_engagement"]
    )
    page.get_by_label("A no-blame, systems learning approach").fill(
        builders.METHODOLOGY["systems_approach"]
    )
    page.get_by_label("Conducted in line with the NSPCC quality markers").fill(
        builders.METHODOLOGY["quality_markers"]
    )
    page.get_by_role("button", name="Agree the methodology").click()
    expect(page.get_by_text("Methodology agreed")).to_be_visible()
    screenshot(page, "local-review-methodology")

    section(page, "Groups")
    page.get_by_role("radio", name="Review group").check()
    page.get_by_label("Name", exact=True).fill("Pat Fictional")
    page.get_by_label("Role", exact=True).fill("Detective Inspector")
    page.get_by_label("Agency").select_option(label="Northtown Police")
    page.get_by_label("Seniority (review group)").fill("Head of the public protection unit")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Pat Fictional added")).to_be_visible()
    screenshot(page, "local-review-groups")

    section(page, "Family")
    page.get_by_role("radio", name="Family told about the review").check()
    page.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("Family member (optional)").fill("Mother")
    page.get_by_label("Summary").fill("Told about the review at a home visit (fictional).")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added to the family engagement log")).to_be_visible()
    screenshot(page, "local-review-family")


def chronology_without_javascript(browser, live_server, world):
    """The chronology template, agreed in a browser with JavaScript turned off."""
    with open_page(browser, javascript=False) as page:
        sign_in(page, live_server, "manager")
        page.goto(f"{live_server.url}/cases/{world.case.pk}/local-review/")
        section(page, "Chronology")
        page.get_by_label("The chronology starts on").fill("2025-01-01")
        page.get_by_label("and ends on").fill("2025-12-31")
        page.get_by_label("Guidance for agencies").fill("One row per contact.")
        page.get_by_role("button", name="Agree the template").click()
        expect(page.get_by_text("Chronology template agreed")).to_be_visible()
        expect(page.get_by_text("1 January 2025 to 31 December 2025")).to_be_visible()
        screenshot(page, "local-review-chronology-no-javascript")


def test_the_business_unit_commissions_and_starts_a_review_and_the_reviewer_uploads_a_draft(
    browser, page, live_server, world
):
    reviewer = world["reviewer"]
    reviewer.first_name, reviewer.last_name = "Rowan", "Ashdown"
    reviewer.save()
    builders.agreed(world)

    commission_and_appoint(page, live_server, world)
    draft_terms_and_prepare(page, world)
    chronology_without_javascript(browser, live_server, world)

    terms = TermsOfReference.objects.get()
    services.terms_agree(terms=terms, by=world["subgroup_chair"])
    services.terms_agree(terms=terms, by=reviewer)

    section(page, "Overview")
    expect(page.get_by_text("To do")).to_have_count(0)
    page.get_by_label("Date the review started").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_text("The review has started")).to_be_visible()
    assert LocalReview.objects.get().status == ReviewStatus.UNDER_WAY
    screenshot(page, "local-review-started")

    with open_page(browser) as reviewer_page:
        sign_in(reviewer_page, live_server, "reviewer")
        reviewer_page.get_by_role("link", name="Child Q").first.click()
        screenshot(reviewer_page, "case-page-reviewer")
        reviewer_page.get_by_role("link", name="Local review", exact=True).click()
        screenshot(reviewer_page, "local-review-reviewer")
        section(reviewer_page, "Report")
        screenshot(reviewer_page, "local-review-report-reviewer")
        reviewer_page.get_by_role("link", name="Upload a version").click()
        screenshot(reviewer_page, "local-review-upload-form")
        reviewer_page.get_by_label("The report").set_input_files(
            files=[{"name": "report-v1.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        reviewer_page.get_by_label("What this version changes (optional)").fill(
            "First full draft (fictional)."
        )
        reviewer_page.get_by_role("button", name="Upload").click()
        expect(reviewer_page.get_by_text("New version of the report uploaded")).to_be_visible()
        expect(reviewer_page.get_by_role("link", name=re.compile(r"^Version 1\b"))).to_be_visible()
        screenshot(reviewer_page, "local-review-draft-uploaded")
    draft = ReportDraft.objects.get()
    assert (draft.number, draft.uploaded_by, draft.original_name) == (
        1,
        reviewer,
        "report-v1.pdf",
    )
