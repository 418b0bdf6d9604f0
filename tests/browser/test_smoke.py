"""A business manager signs in and opens a case, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, username):
    """Both factors, as the person does it: the password, then the app's code."""
    from cspr.models import User
    from tests.conftest import verified_device
    from tests.cspr.test_accounts import code_for

    device = verified_device(User.objects.get(username=username))
    device.last_t = -1  # a second sign-in within the same 30 seconds may reuse the code
    device.save()
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url
    screenshot(page, f"sign-in-{username}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    screenshot(page, f"second-factor-{username}")
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_have_count(0)
    screenshot(page, f"signed-in-{username}")


def test_a_business_manager_signs_in_and_opens_a_case(page, live_server, world):
    sign_in(page, live_server, "manager")
    screenshot(page, "home-business-manager")
    page.get_by_role("link", name="Cases", exact=True).first.click()
    screenshot(page, "case-list")
    page.get_by_role("link", name="Child Q").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Child Q"
    assert page.get_by_text(world.case.child.family_name).count() >= 1
    # The stylesheet is the locally built GOV.UK Frontend, in Arial, not GDS Transport.
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "arial" in font.lower() and "transport" not in font.lower()
    screenshot(page, "case-page")


def test_a_wrong_password_gets_a_focusable_error_summary(page, live_server, world):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.get_by_label("Username").input_value() == "manager"
    screenshot(page, "sign-in-error")


def test_a_new_person_sets_up_their_app_from_the_key_on_the_page(page, live_server, world):
    from base64 import b32decode

    from django_otp.oath import TOTP

    page.goto(f"{live_server.url}/")
    screenshot(page, "sign-in")
    page.get_by_label("Username").fill("health")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code holding the key shown below")).to_be_visible()
    screenshot(page, "second-factor-set-up")
    key = b32decode(page.locator(".app-key code").inner_text().replace(" ", ""))
    page.get_by_label("Code from your app").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Backup codes")).to_be_visible()
    assert page.locator(".app-backup-codes li").count() == 10
    screenshot(page, "backup-codes")
    page.get_by_role("link", name="I have kept my codes").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    screenshot(page, "home-health-contributor")
