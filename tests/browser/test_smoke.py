"""A business manager signs in and opens a case, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()


def test_a_business_manager_signs_in_and_opens_a_case(page, live_server, world):
    sign_in(page, live_server, "manager")
    screenshot(page, "home-business-manager")
    page.get_by_role("link", name="Cases", exact=True).first.click()
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
    assert page.get_by_label("Username").input_value() == "manager"
    screenshot(page, "sign-in-error")
