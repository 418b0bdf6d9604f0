"""The whole lifecycle of a case in a real browser, each step done by the person who does
it, signed in with their own password and second factor in their own browser.

1. The police refer a child; the business unit triages the referral; the sub-group chair
   decides to ask for a notification; the business unit records it, opens the rapid
   review and asks the police and the health trust for returns. The police submit theirs
   with a wrong date, the business unit unlocks it and the police correct it; the health
   trust fills in its return with JavaScript turned off. The business unit reads the
   collated pack and records the learning meeting; the chair approves the recommendation;
   the three safeguarding partners sign off; the business unit downloads the report,
   records it as sent, and records the Panel's agreement to a local review.
2. From a case whose Panel response agreed a local review (built by the services): the
   business unit commissions it; the reviewer uploads the draft; the chair quality
   assures it; the executive approves it; the business unit plans publication, records
   the final copy, is refused an early publication by the 7 working days' notice and
   publishes after it; the police update their action; the executive sees it on the
   dashboard.
"""

import contextlib
import datetime

import pytest
from playwright.sync_api import expect

from actions.models import ActionStatus, Barrier, PlanSource, ProgressUpdate
from cspr.models import AgencyType, Case, Role, Stage
from rapid_reviews.models import InformationReturn, LearningMeeting, PanelResponse
from referrals.models import Decision, Notification, Referral
from reviews.models import LocalReview, ReviewStatus
from tests.actions import builders as action_builders
from tests.browser.conftest import open_page, pdf_text_if_tagged, screenshot
from tests.browser.test_smoke import sign_in
from tests.factories import AgencyFactory, UserFactory
from tests.reviews import builders
from tests.support.clock import TODAY, travel

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

D = datetime.date
NEW_CASE = "Child R"
# The rapid review of Child R, in March 2027 (before Good Friday, the 26th: no holiday).
REFERRAL_DAY = D(2027, 3, 1)  # Monday: referred, notified, rapid review opened, returns
MEETING_DAY = D(2027, 3, 10)  # Wednesday: 7 working days after the notification
PANEL_DAY = D(2027, 3, 22)  # Monday: the Panel's letter arrives
# The local review of Child Q: approved on Friday 4 December 2026 (TODAY), published after
# 7 working days' notice.
PUBLISHED_ON = D(2026, 12, 16)

POLICE_CHANGE = "Every officer attending a home records who lives there (fictional)."
PROGRESS_NOTE = "Half the teams briefed; the training room is booked out (fictional)."
POLICE_BARRIER = "No trainer is free to brief the night shifts before March (fictional)."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = ""


@contextlib.contextmanager
def signed_in(browser, live_server, username, *, javascript=True):
    """The person's own browser, signed in with both factors."""
    with open_page(browser, javascript=javascript) as page:
        sign_in(page, live_server, username)
        yield page


def heading(page):
    return page.get_by_role("heading", level=1)


def open_case(page, pseudonym, name):
    """From the header's case list to one of the case's stage pages."""
    page.get_by_role("link", name="Cases", exact=True).first.click()
    screenshot(page, f"lifecycle-cases-{name}")
    page.get_by_role("link", name=pseudonym, exact=True).click()
    expect(heading(page)).to_have_text(pseudonym)
    screenshot(page, f"lifecycle-case-{name}")


def open_stage(page, pseudonym, link, name):
    open_case(page, pseudonym, name)
    page.get_by_role("link", name=link, exact=True).click()
    screenshot(page, f"lifecycle-{name}")


def section(page, name):
    """A section of the local review, through its navigation."""
    page.get_by_role("navigation", name="Sections of the local review").get_by_role(
        "link", name=name, exact=True
    ).click()


def cells(table, heading):
    """The figures in the table's row headed `heading`."""
    header = table.page.get_by_role("rowheader", name=heading, exact=True)
    return table.get_by_role("row").filter(has=header).get_by_role("cell")


def partners_executives(world):
    """The police's and the integrated care board's executives (the world's executive
    signs for the local authority)."""
    icb = AgencyFactory(
        partnership=world.partnership,
        name="Northtown Integrated Care Board",
        type=AgencyType.INTEGRATED_CARE_BOARD,
    )
    for username, agency in (("police-executive", world.police), ("icb-executive", icb)):
        UserFactory(
            username=username, partnership=world.partnership, agency=agency, roles=[Role.EXECUTIVE]
        )


# --- 1. From the referral to the Panel's response ------------------------------------------


def police_refer(page):
    page.get_by_role("link", name="Referrals", exact=True).first.click()
    screenshot(page, "lifecycle-referrals-police")
    page.get_by_role("button", name="Make a referral").click()
    expect(heading(page)).to_have_text("Refer a serious child safeguarding incident")
    screenshot(page, "lifecycle-referral-form")
    page.get_by_label("Child's given names").fill("Sky")
    page.get_by_label("Child's family name").fill("Testwell")
    page.get_by_label("Child's date of birth").fill("2019-06-14")
    page.get_by_label("Referring agency").select_option(label="Northtown Police")
    page.get_by_label("Name of the person referring").fill("DS Jo Fictional")
    page.get_by_label("Their role").fill("Detective Sergeant, child protection")
    page.get_by_label("How to contact them").fill("jo.fictional@police.example")
    page.get_by_label("Date of the incident").fill("2027-02-25")
    page.get_by_role("radio", name="The child was seriously harmed").check()
    page.get_by_label("Abuse or neglect is known or suspected").check()
    page.get_by_role("checkbox", name="Northtown Health Trust").check()
    page.get_by_role("checkbox", name="Northtown Police").check()
    page.get_by_label("Outline of the case").fill(
        "A fictional child admitted to hospital with injuries after two police call-outs."
    )
    page.get_by_role(
        "checkbox", name="Highlights concerns about two or more agencies working together"
    ).check()
    page.get_by_role("button", name="Submit referral").click()
    expect(page.get_by_text("Referral submitted to the business unit")).to_be_visible()
    screenshot(page, "lifecycle-referral-submitted")


def manager_triages(page, referral):
    page.get_by_role("link", name=f"Referral {referral.pk}", exact=True).click()
    screenshot(page, "lifecycle-referral-to-triage")
    page.get_by_label("Name for a new case").fill(NEW_CASE)
    page.get_by_label("Triage note for the sub-group").fill(
        "Serious harm, two agencies involved: meets the threshold to consider (fictional)."
    )
    page.get_by_role("button", name="Pass to the sub-group").click()
    expect(page.get_by_text("Referral triaged and passed to the sub-group")).to_be_visible()
    screenshot(page, "lifecycle-referral-triaged")


def chair_decides(page, referral):
    page.get_by_role("link", name=f"Referral {referral.pk}", exact=True).click()
    screenshot(page, "lifecycle-referral-to-decide")
    page.get_by_role("radio", name="Ask the local authority to notify the Panel").check()
    page.get_by_label("Rationale").fill("Serious harm where abuse is suspected (fictional).")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    expect(page.get_by_text("Outcome: Ask the local authority to notify the Panel")).to_be_visible()
    screenshot(page, "lifecycle-referral-decided")


def manager_records_the_notification(page):
    open_stage(page, NEW_CASE, "Serious incident notification", "notification")
    page.get_by_label("Date the local authority became aware of the incident").fill(
        REFERRAL_DAY.isoformat()
    )
    page.get_by_role("button", name="Record and set the deadline").click()
    expect(page.get_by_text("The notification is due in 5 working days")).to_be_visible()
    expect(page.get_by_text("Monday 8 March 2027")).to_be_visible()
    screenshot(page, "lifecycle-notification-aware")
    page.get_by_label("Date the notification was sent to the Panel").fill(REFERRAL_DAY.isoformat())
    page.get_by_label("Panel reference").fill("CSPR-LIFECYCLE-1")
    page.get_by_label("Who notified").fill("A. Fictional, Head of Service, children's services")
    page.get_by_label("Date the partnership was told").fill(REFERRAL_DAY.isoformat())
    page.get_by_role("button", name="Record as sent").click()
    expect(page.get_by_text("The notification is recorded as sent")).to_be_visible()
    screenshot(page, "lifecycle-notification-sent")


def manager_opens_the_rapid_review_and_asks(page):
    page.get_by_role("link", name=f"Back to {NEW_CASE}").click()
    screenshot(page, "lifecycle-case-after-notification")
    page.get_by_role("link", name="Rapid review", exact=True).click()
    screenshot(page, "lifecycle-rapid-review-not-open")
    page.get_by_role("button", name="Open the rapid review").click()
    expect(page.get_by_text("Rapid review opened")).to_be_visible()
    screenshot(page, "lifecycle-rapid-review-opened")
    for agency in ("Northtown Police", "Northtown Health Trust"):
        page.get_by_label("Agency", exact=True).select_option(label=agency)
        page.get_by_label("Return due by").fill("2027-03-05")
        page.get_by_label("What the agency is asked for (optional)").fill(
            "Your return and chronology, please (fictional)."
        )
        page.get_by_role("button", name="Send the request").click()
        expect(page.get_by_text(f"Request sent to {agency}")).to_be_visible()
        screenshot(page, f"lifecycle-request-sent-{agency.split()[-1].lower()}")


def fill_the_return(page, *, author):
    page.get_by_label("Period of involvement").fill("2026 to 2027")
    page.get_by_label("Extent of involvement").fill("Two contacts with the family (fictional).")
    page.get_by_label("Key practice episodes").fill("A fictional episode.")
    page.get_by_label("Analysis against the criteria").fill("Information was not shared.")
    page.get_by_label("Immediate actions already taken").fill("Staff briefing.")
    page.get_by_label("Author").fill(author)
    page.get_by_label("Signed off by").fill("Head of Safeguarding (fictional)")
    page.get_by_label("Date signed off").fill(REFERRAL_DAY.isoformat())


def start_the_return(page, agency, name, *, author):
    """From the home page's list of requests: open the request, confirm the agency's
    records are secured, open the return and fill in everything but the chronology."""
    page.get_by_role("link", name=NEW_CASE, exact=True).first.click()
    expect(heading(page)).to_have_text(f"Information request to {agency}")
    screenshot(page, f"lifecycle-{name}-request")
    page.get_by_role("button", name="Confirm our records are secured").click()
    expect(page.get_by_text("your agency's records are recorded as secured")).to_be_visible()
    screenshot(page, f"lifecycle-{name}-records-secured")
    page.get_by_role("link", name="Write the return").click()
    screenshot(page, f"lifecycle-{name}-return-form")
    fill_the_return(page, author=author)


def police_submit_with_a_wrong_date(page):
    page.get_by_role("link", name="Home", exact=True).first.click()
    screenshot(page, "lifecycle-home-police-request")
    requests = page.get_by_role("heading", name="Information requests for your agency")
    expect(requests).to_be_visible()
    start_the_return(page, "Northtown Police", "police", author="DS Jo Fictional")
    # The mistake: last year, not this.
    page.locator("#id_rows-0-date").fill("2026-02-20")
    page.locator("#id_rows-0-source").fill("Police log")
    page.locator("#id_rows-0-event").fill("Call-out to the home: a neighbour heard crying")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_text("Return submitted. It is now locked.")).to_be_visible()
    expect(page.get_by_role("cell", name="20 Feb 2026")).to_be_visible()
    expect(page.get_by_role("link", name="Continue the return")).to_have_count(0)
    screenshot(page, "lifecycle-police-return-submitted")


def manager_unlocks_the_police_return(page):
    page.reload()  # the rapid review page, where the requests were sent from
    screenshot(page, "lifecycle-rapid-review-returns-in")
    page.get_by_role("link", name="Northtown Police", exact=True).click()
    screenshot(page, "lifecycle-manager-police-request")
    page.get_by_text("Unlock the return for the agency", exact=True).click()
    page.get_by_label("Reason").fill(
        "The police asked: the call-out was in February 2027, not 2026 (fictional)."
    )
    page.get_by_role("button", name="Unlock", exact=True).click()
    expect(page.get_by_text("Northtown Police's return is unlocked")).to_be_visible()
    screenshot(page, "lifecycle-police-return-unlocked")


def police_correct_the_date(page):
    page.reload()
    screenshot(page, "lifecycle-police-request-unlocked")
    page.get_by_role("link", name="Continue the return").click()
    screenshot(page, "lifecycle-police-return-to-correct")
    assert page.locator("#id_rows-0-date").input_value() == "2026-02-20"
    page.locator("#id_rows-0-date").fill("2027-02-20")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_text("Return submitted. It is now locked.")).to_be_visible()
    expect(page.get_by_role("cell", name="20 Feb 2027")).to_be_visible()
    screenshot(page, "lifecycle-police-return-corrected")


def health_return_without_javascript(page):
    """The health trust's return, in a browser with JavaScript turned off."""
    start_the_return(
        page, "Northtown Health Trust", "health-no-javascript", author="Nurse Ali Fictional"
    )
    page.locator("#id_rows-0-date").fill("2027-01-12")
    page.locator("#id_rows-0-source").fill("Health visitor's notes")
    page.locator("#id_rows-0-event").fill("Health visit: the child was not seen")
    page.get_by_role("button", name="Save and add another row").click()
    expect(page.get_by_text("Draft saved")).to_be_visible()
    screenshot(page, "lifecycle-health-return-second-row-no-javascript")
    page.locator("#id_rows-1-date").fill("2027-02-26")
    page.locator("#id_rows-1-source").fill("Emergency department record")
    page.locator("#id_rows-1-event").fill("Admitted with injuries")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_text("Return submitted. It is now locked.")).to_be_visible()
    screenshot(page, "lifecycle-health-return-submitted-no-javascript")


def manager_collates_and_records_the_meeting(page):
    open_stage(page, NEW_CASE, "Rapid review", "rapid-review-meeting-day")
    page.get_by_role("link", name="Collated pack and merged chronology").click()
    expect(heading(page)).to_have_text("Collated pack for the learning meeting")
    expect(page.get_by_text("3 events from 2 agencies")).to_be_visible()
    expect(page.get_by_text("Call-out to the home: a neighbour heard crying")).to_be_visible()
    expect(page.get_by_text("Health visit: the child was not seen")).to_be_visible()
    screenshot(page, "lifecycle-collated-pack")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack as a PDF").click()
    assert NEW_CASE in pdf_text_if_tagged(download.value.path())

    page.get_by_role("link", name="Back to the rapid review").click()
    screenshot(page, "lifecycle-rapid-review-before-meeting")
    page.get_by_role("link", name="Record the learning meeting").click()
    screenshot(page, "lifecycle-meeting-form")
    page.get_by_label("Date of the learning meeting").fill(MEETING_DAY.isoformat())
    page.get_by_label("Attendees").fill(
        "Chair (fictional)\nPolice lead (fictional)\nDesignated Nurse (fictional)"
    )
    page.locator("#id_actions-0-description").fill("Brief all staff on information sharing")
    page.get_by_label("A local child safeguarding practice review").check()
    page.get_by_label(
        "Rationale: highlights concerns about two or more agencies working together"
    ).fill("The police and the health trust did not share what they knew (fictional).")
    page.get_by_label("Overall rationale").fill("Learning about information sharing.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Learning meeting recorded")).to_be_visible()
    expect(page.get_by_text("Outside the window")).to_have_count(0)
    screenshot(page, "lifecycle-meeting-recorded")


def chair_approves(page):
    open_stage(page, NEW_CASE, "Rapid review", "rapid-review-chair")
    page.get_by_role("button", name="Approve the recommendation").click()
    expect(page.get_by_text("Recommendation approved")).to_be_visible()
    screenshot(page, "lifecycle-recommendation-approved")


def partner_signs_off(page, partner):
    open_stage(page, NEW_CASE, "Rapid review", f"rapid-review-{partner.replace(' ', '-')}")
    page.get_by_label("Note (optional)").fill(f"Agreed for the {partner} (fictional).")
    page.get_by_role("button", name=f"Sign off the decision for the {partner}").click()
    expect(page.get_by_text(f"Signed off for the {partner}")).to_be_visible()
    screenshot(page, f"lifecycle-signed-off-{partner.replace(' ', '-')}")


def manager_sends_the_report(page):
    open_stage(page, NEW_CASE, "Rapid review", "rapid-review-decided")
    expect(page.get_by_text("not yet signed")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rapid review report (PDF)").click()
    text = pdf_text_if_tagged(download.value.path())
    assert NEW_CASE in text
    assert "Brief all staff on information sharing" in text
    page.get_by_label("Date the report was sent to the Panel").fill(MEETING_DAY.isoformat())
    page.get_by_role("button", name="Record the report as sent").click()
    expect(page.get_by_text("The report is recorded as sent to the Panel")).to_be_visible()
    expect(page.get_by_text("Sent to the Panel on 10 March 2027")).to_be_visible()
    screenshot(page, "lifecycle-report-sent")


def manager_records_the_panels_response(page):
    open_stage(page, NEW_CASE, "Rapid review", "rapid-review-panel-letter")
    page.get_by_text("Record the Panel's response", exact=True).click()
    page.get_by_role("radio", name="Agrees a local CSPR").check()
    page.get_by_label("Date of the letter").fill("2027-03-19")
    page.get_by_label("Date received").fill(PANEL_DAY.isoformat())
    page.get_by_label("The letter's text").fill("The Panel agrees a local review (fictional).")
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_text("The Panel's response is recorded")).to_be_visible()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Agrees a local CSPR")
    screenshot(page, "lifecycle-panel-response")


def test_a_referral_goes_through_the_rapid_review_to_the_panels_agreement(
    browser, live_server, world
):
    partners_executives(world)
    with travel(REFERRAL_DAY):
        with signed_in(browser, live_server, "police") as police:
            police_refer(police)
            referral = Referral.objects.get()
            assert (referral.status, referral.referring_agency) == ("submitted", world.police)

            with signed_in(browser, live_server, "manager") as manager:
                manager_triages(manager, referral)
                with signed_in(browser, live_server, "chair") as chair:
                    chair_decides(chair, referral)
                referral.refresh_from_db()
                assert referral.decision == Decision.NOTIFY
                case = Case.objects.get(pseudonym=NEW_CASE)
                assert referral.case == case

                manager.get_by_role("link", name=f"Go to the case, {NEW_CASE}").click()
                screenshot(manager, "lifecycle-new-case")
                manager_records_the_notification(manager)
                notification = Notification.objects.get(case=case)
                assert (notification.sent_on, notification.is_late) == (REFERRAL_DAY, False)
                manager_opens_the_rapid_review_and_asks(manager)

                police_submit_with_a_wrong_date(police)
                manager_unlocks_the_police_return(manager)
                police_correct_the_date(police)
            police_return = InformationReturn.objects.get(request__agency=world.police)
            assert police_return.status == "submitted"
            assert list(police_return.entries.values_list("date", flat=True)) == [D(2027, 2, 20)]

        with signed_in(browser, live_server, "health", javascript=False) as health:
            health_return_without_javascript(health)
        health_return = InformationReturn.objects.get(request__agency=world.health)
        assert health_return.status == "submitted"
        assert health_return.entries.count() == 2

    with travel(MEETING_DAY):
        with signed_in(browser, live_server, "manager") as manager:
            manager_collates_and_records_the_meeting(manager)
            meeting = LearningMeeting.objects.get()
            assert (meeting.held_on, meeting.window_warning) == (MEETING_DAY, "")

            with signed_in(browser, live_server, "chair") as chair:
                chair_approves(chair)
            for username, partner in (
                ("executive", "local authority"),
                ("police-executive", "police"),
                ("icb-executive", "integrated care board"),
            ):
                with signed_in(browser, live_server, username) as executive:
                    partner_signs_off(executive, partner)

            manager_sends_the_report(manager)
        case.refresh_from_db()
        assert case.stage == Stage.PANEL_RESPONSE

    with travel(PANEL_DAY), signed_in(browser, live_server, "manager") as manager:
        manager_records_the_panels_response(manager)
    assert PanelResponse.objects.get().outcome == "agrees_local_cspr"
    case.refresh_from_db()
    assert case.stage == Stage.LOCAL_REVIEW


# --- 2. From the local review to the actions on the executive's dashboard -------------------


def manager_commissions(page):
    open_stage(page, "Child Q", "Local review", "local-review-not-commissioned")
    page.get_by_role("button", name="Commission the local review").click()
    expect(page.get_by_text("Local review commissioned")).to_be_visible()
    screenshot(page, "lifecycle-local-review-commissioned")


def reviewer_uploads_the_draft(page):
    open_stage(page, "Child Q", "Local review", "local-review-reviewer")
    section(page, "Report")
    screenshot(page, "lifecycle-report-reviewer")
    page.get_by_role("link", name="Upload a version").click()
    screenshot(page, "lifecycle-upload-form")
    report = {"name": "child-q-report.pdf", "mimeType": "application/pdf", "buffer": builders.PDF}
    page.get_by_label("The report").set_input_files(files=[report])
    page.get_by_label("What this version changes (optional)").fill("Final draft (fictional).")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("New version of the report uploaded")).to_be_visible()
    screenshot(page, "lifecycle-draft-uploaded")


def chair_quality_assures(page):
    open_stage(page, "Child Q", "Local review", "local-review-chair")
    section(page, "Report")
    screenshot(page, "lifecycle-report-chair")
    page.get_by_role("link", name="Quality assure version 1").click()
    screenshot(page, "lifecycle-quality-assurance-form")
    for number in range(1, 8):
        point = page.get_by_role("group", name=f"Point {number} of 7")
        point.get_by_role("radio", name="Yes").check()
        point.get_by_label("Comment").fill("Met (fictional).")
    page.get_by_role("radio", name="Ready for the executive").check()
    page.get_by_role("button", name="Record the quality assurance").click()
    expect(page.get_by_text("Quality assurance of version 1 recorded")).to_be_visible()
    screenshot(page, "lifecycle-quality-assured")


def executive_approves(page):
    open_stage(page, "Child Q", "Local review", "local-review-executive")
    section(page, "Report")
    screenshot(page, "lifecycle-report-executive")
    page.get_by_role("button", name="Approve the final report").click()
    expect(page.get_by_text("Final report approved")).to_be_visible()
    screenshot(page, "lifecycle-report-approved")


def manager_plans_and_sends_the_final_copy(page):
    open_stage(page, "Child Q", "Local review", "local-review-approved")
    section(page, "Publication")
    screenshot(page, "lifecycle-publication-unplanned")
    page.get_by_label("Planned publication date").fill(PUBLISHED_ON.isoformat())
    page.get_by_label("Legal advice was taken").check()
    page.get_by_label("Date of the legal advice").fill(TODAY.isoformat())
    page.get_by_label("What the legal advice was").fill("Publish with names removed (fictional).")
    page.get_by_label("Communications advice").fill("A press statement on the day (fictional).")
    page.get_by_label("Impact on the child's family").fill("The named contact meets them first.")
    page.get_by_label("Impact on practitioners").fill("Practitioners are briefed the week before.")
    page.get_by_label("The family's named contact").fill("Business Manager (fictional)")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Publication plan saved")).to_be_visible()
    # 7 working days before Wednesday 16 December.
    expect(page.get_by_text("By Monday 7 December 2026")).to_be_visible()
    screenshot(page, "lifecycle-publication-planned")

    page.get_by_label("Sent to the Panel").fill(TODAY.isoformat())
    page.get_by_label("Sent to the Secretary of State").fill(TODAY.isoformat())
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_text("Final copy recorded as sent")).to_be_visible()
    expect(page.get_by_text("publication can be on 15 December 2026 or later")).to_be_visible()
    screenshot(page, "lifecycle-final-copy-sent")

    # Publishing the same day is refused: the notice is 7 working days.
    page.get_by_label("Date published").fill(TODAY.isoformat())
    page.get_by_label("Web address").fill("https://www.example.org/reviews/child-q")
    page.get_by_role("button", name="Record publication").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("7 working days' notice means publishing on 15 December 2026")
    screenshot(page, "lifecycle-publication-too-early")


def manager_publishes(page):
    open_stage(page, "Child Q", "Local review", "local-review-to-publish")
    section(page, "Publication")
    screenshot(page, "lifecycle-publication-due")
    page.get_by_label("Date published").fill(PUBLISHED_ON.isoformat())
    page.get_by_label("Web address").fill("https://www.example.org/reviews/child-q")
    page.get_by_role("button", name="Record publication").click()
    expect(page.get_by_text("Publication recorded: the case moves on")).to_be_visible()
    expect(page.get_by_text("Published 16 December 2026")).to_be_visible()
    screenshot(page, "lifecycle-published")


def police_update_their_action(page):
    page.get_by_role("link", name="Northtown Police's actions").click()
    expect(page.get_by_text(POLICE_CHANGE)).to_be_visible()
    screenshot(page, "lifecycle-police-actions")
    page.get_by_role("link", name="Child Q: action 1").click()
    expect(heading(page)).to_have_text("Action 1")
    screenshot(page, "lifecycle-police-action")
    page.get_by_text("Report progress", exact=True).first.click()
    page.get_by_role("radio", name="At risk").check()
    page.get_by_label("Progress", exact=True).fill(PROGRESS_NOTE)
    page.get_by_role("button", name="Report progress").click()
    expect(page.get_by_text("Progress recorded")).to_be_visible()
    screenshot(page, "lifecycle-police-progress")
    page.get_by_text("Raise a barrier", exact=True).click()
    page.get_by_label("What stops the action being completed?").fill(POLICE_BARRIER)
    page.get_by_role("button", name="Raise the barrier").click()
    expect(page.get_by_text("Barrier raised and escalated to the executive")).to_be_visible()
    screenshot(page, "lifecycle-police-barrier")


def executive_reads_the_dashboard(page, stage):
    page.get_by_role("link", name="Your dashboard").click()
    expect(heading(page)).to_have_text("Dashboard")
    executive = page.get_by_role("region", name="Executive")
    stages = executive.get_by_role("table", name="Cases at each stage")
    expect(cells(stages, stage)).to_have_text("1")
    waiting = executive.get_by_role(
        "table", name="Barriers escalated to the executive with no response yet, oldest first"
    )
    row = waiting.get_by_role("row").filter(has_text=POLICE_BARRIER)
    expect(row).to_contain_text("Northtown Police")
    expect(row).to_contain_text("Child Q")
    screenshot(page, "lifecycle-executive-dashboard")


def test_a_local_review_is_published_and_its_actions_reach_the_executive(
    browser, live_server, world
):
    with travel(TODAY):
        builders.agreed(world)
        with signed_in(browser, live_server, "manager") as manager:
            manager_commissions(manager)
        review = LocalReview.objects.get(case=world.case)
        # The reviewer appointed, the terms agreed, the review prepared and started.
        builders.appoint(world, review)
        builders.agree_terms(world, review)
        builders.start(world, builders.prepare(world, review))

        with signed_in(browser, live_server, "reviewer") as reviewer:
            reviewer_uploads_the_draft(reviewer)
        with signed_in(browser, live_server, "chair") as chair:
            chair_quality_assures(chair)
        with signed_in(browser, live_server, "executive") as executive:
            executive_approves(executive)
        review.refresh_from_db()
        assert review.status == ReviewStatus.APPROVED
        with signed_in(browser, live_server, "manager") as manager:
            manager_plans_and_sends_the_final_copy(manager)

    with travel(PUBLISHED_ON):
        with signed_in(browser, live_server, "manager") as manager:
            manager_publishes(manager)
        review.refresh_from_db()
        assert (review.status, review.published_on) == (ReviewStatus.PUBLISHED, PUBLISHED_ON)

        plan = action_builders.plan_for(world, source=PlanSource.LOCAL_REVIEW)
        action = action_builders.action_on(
            plan, world.police, D(2027, 3, 31), world=world, change=POLICE_CHANGE
        )
        with signed_in(browser, live_server, "police") as police:
            police_update_their_action(police)
        update = ProgressUpdate.objects.get(action=action)
        assert (update.status, update.by) == (ActionStatus.AT_RISK, world["police_contributor"])
        assert Barrier.objects.get(action=action).raised_by == world["police_contributor"]

        world.case.refresh_from_db()
        with signed_in(browser, live_server, "executive") as executive:
            executive_reads_the_dashboard(executive, world.case.get_stage_display())
