"""The accessibility statement and the privacy notice: open to anyone, linked from every
page, naming who runs the service and this installation's retention periods."""

import pytest
from django.urls import reverse

from cspr.models import RetentionRule
from tests.cspr.test_accounts import password_step

PAGES = ["accessibility-statement", "privacy-notice"]


@pytest.mark.parametrize("name", PAGES)
def test_anyone_can_read_the_page_without_signing_in(client, world, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "Sign out" not in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_person_between_their_password_and_second_factor_can_read_it(client, world, name):
    password_step(client, "manager")

    assert client.get(reverse("account")).status_code == 302  # the second factor first
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_every_page_links_to_both_from_its_footer(client, world, name):
    for html in (
        client.get(reverse("sign-in")).content.decode(),
        _signed_in_home(client, world),
    ):
        assert f'href="{reverse(name)}"' in html


def _signed_in_home(client, world):
    client.force_login(world["business_manager"])
    html = client.get(reverse("home")).content.decode()
    client.logout()
    return html


@pytest.mark.parametrize("name", PAGES)
def test_a_signed_in_person_sees_their_own_partnership_named(client, world, name):
    client.force_login(world["stranger"])
    html = client.get(reverse(name)).content.decode()

    assert world["stranger"].partnership.name in html
    assert world.partnership.name not in html


def test_the_operator_and_contacts_from_the_settings_are_named_to_the_public(client, db, settings):
    settings.SERVICE_OPERATOR = "Fictionshire Safeguarding Children Partnership"
    settings.SERVICE_CONTACT_EMAIL = "business.unit@fictionshire.example.org"
    settings.DATA_PROTECTION_EMAIL = "dpo@fictionshire.example.org"

    statement = client.get(reverse("accessibility-statement")).content.decode()
    notice = client.get(reverse("privacy-notice")).content.decode()

    assert "run by Fictionshire Safeguarding Children Partnership" in statement
    assert 'href="mailto:business.unit@fictionshire.example.org"' in statement
    assert "run by Fictionshire Safeguarding Children Partnership" in notice
    assert 'href="mailto:dpo@fictionshire.example.org"' in notice


def test_with_no_contact_set_the_pages_send_people_to_their_business_unit(client, db, settings):
    settings.SERVICE_OPERATOR = settings.SERVICE_CONTACT_EMAIL = ""
    settings.DATA_PROTECTION_EMAIL = ""

    statement = client.get(reverse("accessibility-statement")).content.decode()
    notice = client.get(reverse("privacy-notice")).content.decode()

    assert "mailto:" not in statement and "mailto:" not in notice
    assert "contact your safeguarding partnership's business unit" in statement
    assert "ask your safeguarding partnership's business unit" in notice


def test_the_statement_names_the_session_time_out_it_fails_on(client, db, settings):
    settings.SESSION_IDLE_SECONDS = 20 * 60

    html = client.get(reverse("accessibility-statement")).content.decode()

    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in html
    assert "signed out after 20 minutes without activity, and 12 hours after signing in" in html
    assert "2.2.1 (timing adjustable)" in html


def test_the_notice_shows_the_retention_periods_this_installation_applies(client, db):
    RetentionRule.objects.filter(record_type="access_log").update(years=7)

    html = client.get(reverse("privacy-notice")).content.decode()

    assert "Access log entry" in html and "7 years" in html
    assert "the day of the entry" in html
    assert "Closed case, with everything recorded on it" in html


def test_the_pages_answer_only_get(client, db):
    for name in PAGES:
        assert client.post(reverse(name)).status_code == 405


def test_a_deployment_without_contact_details_is_warned(settings):
    from cspr.views.public import check_contact_details

    settings.SERVICE_OPERATOR, settings.SERVICE_CONTACT_EMAIL = "", ""
    assert [w.id for w in check_contact_details()] == ["cspr.W102"]
    settings.SERVICE_OPERATOR = "Fictionshire Safeguarding Children Partnership"
    settings.SERVICE_CONTACT_EMAIL = "partnership@example.org"
    assert check_contact_details() == []
