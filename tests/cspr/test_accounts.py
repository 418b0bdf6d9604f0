"""Signing in with two factors, sessions that end on time, identity checks before
sensitive actions, brute-force protection and password reset."""

import datetime
import re
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cspr.authentication import PROVED_AT
from cspr.models import User
from tests.conftest import PERSONAS, verified_device

PASSWORD = "correct-horse-battery"
ALL = set(PERSONAS)


def code_for(device, at=None):
    """The code the person's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def password_step(client, username, password=PASSWORD, **extra):
    return client.post(reverse("sign-in"), {"username": username, "password": password}, **extra)


def signed_in(client, user):
    """Both steps through the pages, as a person does it."""
    device = verified_device(user)
    password_step(client, user.username)
    response = client.post(reverse("second-factor"), {"code": code_for(device)})
    assert response.status_code == 302
    return device


# name: (method, url builder, data, expected status builder)
VIEWS = {
    "account": ("get", lambda w, d: reverse("account"), None, lambda p: 200),
    "second-factor": ("get", lambda w, d: reverse("second-factor"), None, lambda p: 302),
    "second-factor-set-up": (
        "get",
        lambda w, d: reverse("second-factor-set-up"),
        None,
        lambda p: 302,  # already set up: back to the account page
    ),
    "backup-codes": ("get", lambda w, d: reverse("backup-codes"), None, lambda p: 200),
    "account-confirm": ("get", lambda w, d: reverse("account-confirm"), None, lambda p: 200),
    "sign-out-everywhere": (
        "post",
        lambda w, d: reverse("sign-out-everywhere"),
        {},
        lambda p: 302,
    ),
    "password-change": ("get", lambda w, d: reverse("password-change"), None, lambda p: 200),
}

# Open to anyone: the way back in when a password is forgotten.
PUBLIC_VIEWS = {
    "password-reset": lambda: reverse("password-reset"),
    "password-reset-sent": lambda: reverse("password-reset-sent"),
    "password-reset-confirm": lambda: reverse("password-reset-confirm", args=["MQ", "x-y"]),
    "password-reset-complete": lambda: reverse("password-reset-complete"),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_account_page_serves_each_person_their_own_account(client, world, name, persona):
    method, url, data, expected = VIEWS[name]
    client.force_login(world[persona])
    response = getattr(client, method)(url(world, None), data)
    assert response.status_code == expected(persona)


@pytest.mark.parametrize("name", VIEWS)
def test_every_account_page_sends_an_anonymous_visitor_to_sign_in(client, world, name):
    method, url, data, _ = VIEWS[name]
    response = getattr(client, method)(url(world, None), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("name", PUBLIC_VIEWS)
def test_the_password_reset_pages_open_without_signing_in(client, db, name):
    assert client.get(PUBLIC_VIEWS[name]()).status_code == 200


# --- The second factor --------------------------------------------------------------


def test_a_password_alone_opens_no_page_with_case_data(client, world):
    verified_device(world["business_manager"])
    password_step(client, "manager")
    for url in [
        reverse("home"),
        reverse("case-list"),
        reverse("case-detail", args=[world.case.pk]),
        reverse("child-record-edit", args=[world.case.pk]),
        reverse("referral-list"),
        reverse("notification-list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("second-factor")), url
    response = client.get(reverse("case-detail", args=[world.case.pk]), follow=True)
    assert "Child Q" not in response.content.decode()


def test_the_admin_also_waits_for_the_second_factor(client, world):
    verified_device(world["administrator"])
    password_step(client, "admin")
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("second-factor"))


def test_the_admins_own_sign_in_page_leads_to_the_services(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('sign-in')}?next=/admin/"


def test_signing_in_with_the_code_from_the_app_opens_the_page_asked_for(client, world):
    device = verified_device(world["business_manager"])
    case_url = reverse("case-detail", args=[world.case.pk])
    response = client.post(
        reverse("sign-in"), {"username": "manager", "password": PASSWORD, "next": case_url}
    )
    assert response["Location"] == case_url
    response = client.get(case_url)
    assert response["Location"] == f"{reverse('second-factor')}?next=%2Fcases%2F{world.case.pk}%2F"
    response = client.post(response["Location"], {"code": code_for(device), "next": case_url})
    assert response["Location"] == case_url
    assert "Child Q" in client.get(case_url).content.decode()


def test_a_wrong_code_is_refused_with_a_message(client, world):
    device = verified_device(world["business_manager"])
    password_step(client, "manager")
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("second-factor"), {"code": wrong})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The code is not right" in html
    assert client.get(reverse("home")).status_code == 302


def test_a_code_cannot_be_used_twice(world):
    device = verified_device(world["business_manager"])
    first, second = Client(), Client()
    code = code_for(device)
    password_step(first, "manager")
    assert first.post(reverse("second-factor"), {"code": code}).status_code == 302
    password_step(second, "manager")
    response = second.post(reverse("second-factor"), {"code": code})
    assert response.status_code == 200
    assert second.get(reverse("home")).status_code == 302


def test_the_next_address_never_leads_off_the_service(client, world):
    device = verified_device(world["business_manager"])
    password_step(client, "manager")
    response = client.post(
        reverse("second-factor"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_the_first_sign_in_sets_up_the_app_and_shows_backup_codes_once(client, world):
    password_step(client, "manager")
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("second-factor-set-up"))
    page = client.get(reverse("second-factor-set-up")).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=world["business_manager"], confirmed=False)
    response = client.post(reverse("second-factor-set-up"), {"code": "12345"})
    assert "Enter the 6-digit code" in response.content.decode()
    response = client.post(reverse("second-factor-set-up"), {"code": code_for(device)})
    assert response["Location"] == reverse("backup-codes")
    page = client.get(reverse("backup-codes")).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    again = client.get(reverse("backup-codes")).content.decode()
    assert not set(codes) & set(re.findall(r"<code>(\w+)</code>", again))
    assert "10 unused backup codes" in again
    assert client.get(reverse("home")).status_code == 200


def test_a_person_with_an_app_cannot_set_up_another_without_an_administrator(client, world):
    verified_device(world["business_manager"])
    password_step(client, "manager")
    response = client.get(reverse("second-factor-set-up"))
    assert response["Location"] == reverse("second-factor")
    assert TOTPDevice.objects.filter(user=world["business_manager"]).count() == 1


def test_a_backup_code_signs_in_once(world):
    from cspr.services.accounts import backup_codes_replace

    user = world["business_manager"]
    verified_device(user)
    code = backup_codes_replace(user=user)[0]
    first = Client()
    password_step(first, "manager")
    response = first.post(reverse("second-factor"), {"code": code}, follow=True)
    assert "You used a backup code. You have 9 left" in response.content.decode()
    second = Client()
    password_step(second, "manager")
    assert (
        "The code is not right"
        in second.post(reverse("second-factor"), {"code": code}).content.decode()
    )


def test_an_administrator_resets_a_lost_second_factor_and_the_person_is_signed_out(world):
    from cspr.services.accounts import second_factor_reset

    user = world["police_contributor"]
    theirs = Client()
    signed_in(theirs, user)
    second_factor_reset(user=user, by=world["administrator"])
    assert theirs.get(reverse("home")).status_code == 302
    password_step(theirs, "police")
    assert theirs.get(reverse("home"))["Location"].startswith(reverse("second-factor-set-up"))
    reset = User.history.get(id=user.pk, history_change_reason__startswith="Second factor reset")
    assert reset.history_user == world["administrator"]


# --- Sessions -----------------------------------------------------------------------


def test_a_session_ends_after_30_minutes_without_a_request(client, world):
    start = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        signed_in(client, world["business_manager"])
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("case-list"))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('sign-in')}?next=%2Fcases%2F"
        page = client.get(response["Location"]).content.decode()
        assert "signed out after 30 minutes without activity" in page


def test_a_session_ends_12_hours_after_signing_in_however_busy(client, world):
    start = datetime.datetime(2026, 11, 25, 7, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        signed_in(client, world["business_manager"])
        for _ in range(47):
            clock.shift(datetime.timedelta(minutes=15))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=16))
        assert client.get(reverse("home")).status_code == 302


def test_session_cookies_are_http_only_same_site_and_end_with_the_browser(client, world):
    verified_device(world["business_manager"])
    response = password_step(client, "manager")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["expires"] == ""  # a browser-session cookie


def test_signing_out_everywhere_ends_every_session(world):
    user = world["business_manager"]
    laptop, phone = Client(), Client()
    signed_in(laptop, user)
    device = TOTPDevice.objects.get(user=user)
    password_step(phone, "manager")
    phone.post(reverse("second-factor"), {"code": code_for(device, at=time.time() + 30)})
    assert phone.get(reverse("home")).status_code == 200
    response = laptop.post(reverse("sign-out-everywhere"), follow=True)
    assert "You are signed out everywhere" in response.content.decode()
    assert laptop.get(reverse("home")).status_code == 302
    assert phone.get(reverse("home")).status_code == 302
    assert User.history.filter(id=user.pk).first().history_change_reason == "Signed out everywhere"


def test_changing_the_password_keeps_this_session_and_ends_the_others(world):
    user = world["business_manager"]
    mine, other = Client(), Client()
    mine.force_login(user)
    other.force_login(user)
    response = mine.post(
        reverse("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-fictional-passphrase",
            "new_password2": "a-new-long-fictional-passphrase",
        },
    )
    assert response.status_code == 302
    assert mine.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 302


def test_a_weak_new_password_is_refused_and_nothing_changes(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "too short" in html and "too common" in html
    assert User.objects.get(username="manager").check_password(PASSWORD)


# --- Brute force ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_username_from_that_address_for_15_minutes(world):
    start = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        attacker = Client(REMOTE_ADDR="203.0.113.9")
        for _ in range(4):
            assert password_step(attacker, "manager", "wrong-guess").status_code == 200
        assert password_step(attacker, "manager", "wrong-guess").status_code == 429
        response = password_step(attacker, "manager")
        assert response.status_code == 429
        assert "Too many attempts to sign in with this username" in response.content.decode()
        # The person themselves, elsewhere, is not locked out by the attacker.
        assert password_step(Client(REMOTE_ADDR="198.51.100.7"), "manager").status_code == 302
        clock.shift(datetime.timedelta(minutes=16))
        assert password_step(attacker, "manager").status_code == 302


def test_a_locked_out_answer_does_not_tell_whether_the_account_exists(world):
    answers = []
    for username in ["manager", "nobody-by-this-name"]:
        client = Client(REMOTE_ADDR="203.0.113.10")
        for _ in range(4):
            first = password_step(client, username, "wrong-guess")
        locked = password_step(client, username, "wrong-guess")
        answers.append((first.status_code, locked.status_code, locked.content.count(b"Too many")))
    assert answers[0] == answers[1] == (200, 429, 1)


def test_a_username_longer_than_any_account_can_have_is_an_ordinary_wrong_sign_in(world):
    """Typed or pasted at the sign-in page, it gets the usual message, counts towards
    the lock like any other, and is never a server error (the attempt's record has a
    column of 255)."""
    client = Client(REMOTE_ADDR="203.0.113.11")
    too_long = "a-pasted-paragraph-" * 20
    for _ in range(4):
        response = password_step(client, too_long, "wrong-guess")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    assert password_step(client, too_long, "wrong-guess").status_code == 429
    locked = password_step(client, too_long, "wrong-guess").content.decode()
    assert "Too many attempts to sign in with this username" in locked


# --- Identity checks before sensitive actions ---------------------------------------


@pytest.fixture
def submitted_return(world):
    """The police's return on Child Q's rapid review, submitted and so locked."""
    from rapid_reviews import services
    from tests.rapid_reviews.conftest import police_draft_return
    from tests.rapid_reviews.test_returns import save

    information_return = police_draft_return(world)
    save(world, information_return)
    services.return_submit(information_return=information_return, by=world["police_contributor"])
    return information_return


def _stale(client):
    session = client.session
    session[PROVED_AT] -= 60 * 60
    session.save()


def test_unlocking_a_return_asks_for_the_password_and_code_and_keeps_the_reason(
    client, world, submitted_return
):
    from rapid_reviews.models import ReturnStatus

    police_return = submitted_return
    manager = world["business_manager"]
    client.force_login(manager)
    _stale(client)
    url = reverse("return-unlock", args=[police_return.request_id])
    response = client.post(url, {"reason": "Wrong date in row 1"})
    page = response.content.decode()
    assert "Confirm it is you" in page
    assert 'name="reason" value="Wrong date in row 1"' in page
    police_return.refresh_from_db()
    assert police_return.status == ReturnStatus.SUBMITTED
    # A wrong password: asked again, still nothing changed, the reason still carried.
    response = client.post(
        url,
        {"reason": "Wrong date in row 1", "confirm-password": "nope", "confirm-code": "000000"},
    )
    assert "The password or the code is not right" in response.content.decode()
    assert 'value="Wrong date in row 1"' in response.content.decode()
    police_return.refresh_from_db()
    assert police_return.status == ReturnStatus.SUBMITTED
    device = verified_device(manager)
    response = client.post(
        url,
        {
            "reason": "Wrong date in row 1",
            "confirm-password": PASSWORD,
            "confirm-code": code_for(device),
        },
    )
    assert response.status_code == 302
    police_return.refresh_from_db()
    assert police_return.status != ReturnStatus.SUBMITTED
    assert world.case.events.get(kind="return_unlocked").note == "Wrong date in row 1"


def test_a_person_who_may_not_unlock_gets_the_refusal_not_the_identity_check(
    client, world, submitted_return
):
    police_return = submitted_return
    client.force_login(world["police_contributor"])
    _stale(client)
    url = reverse("return-unlock", args=[police_return.request_id])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(world["stranger"])
    _stale(client)
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_downloading_the_pack_waits_for_the_identity_check_then_comes_back(
    client, world, submitted_return
):
    manager = world["business_manager"]
    client.force_login(manager)
    _stale(client)
    url = reverse("collated-pack-pdf", args=[world.case.pk])
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    assert "To download the pack, enter your password" in response.content.decode()
    confirm = (
        f"{reverse('account-confirm')}?next=%2Fcases%2F{world.case.pk}%2Frapid-review%2Fpack.pdf"
    )
    assert f'action="{confirm}"' in response.content.decode().replace("&amp;", "&")
    response = client.post(
        confirm,
        {"confirm-password": PASSWORD, "confirm-code": code_for(verified_device(manager))},
    )
    assert response["Location"] == url
    assert client.get(url)["Content-Type"] == "application/pdf"


# --- Password reset -------------------------------------------------------------------


def _reset_link(message):
    return re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", message.body).group(1)


def test_a_reset_link_goes_by_email_and_sets_a_new_password_once(client, world, settings):
    settings.SITE_URL = "https://cspr.example.org"
    user = world["business_manager"]
    user.email = "manager@example.org"
    user.save()
    elsewhere = Client()
    elsewhere.force_login(user)
    response = client.post(reverse("password-reset"), {"email": "manager@example.org"})
    assert response["Location"] == reverse("password-reset-sent")
    (message,) = mail.outbox
    assert message.to == ["manager@example.org"]
    assert "https://cspr.example.org/password-reset/" in message.body
    link = _reset_link(message)
    form_url = client.get(link)["Location"]  # Django hides the token from the address
    new = {"new_password1": "another-fictional-passphrase", "new_password2": ""}
    response = client.post(form_url, new)
    assert "There is a problem" in response.content.decode()
    new["new_password2"] = new["new_password1"]
    assert client.post(form_url, new)["Location"] == reverse("password-reset-complete")
    assert User.objects.get(pk=user.pk).check_password("another-fictional-passphrase")
    assert elsewhere.get(reverse("home")).status_code == 302  # every session ended
    again = Client()
    assert "This link does not work" in again.get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, world):
    response = client.post(reverse("password-reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password-reset-sent")
    assert mail.outbox == []


def test_a_reset_link_stops_working_after_an_hour(client, world):
    user = world["business_manager"]
    user.email = "manager@example.org"
    user.save()
    start = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.post(reverse("password-reset"), {"email": "manager@example.org"})
        clock.shift(datetime.timedelta(minutes=61))
        page = client.get(_reset_link(mail.outbox[0]), follow=True).content.decode()
    assert "This link does not work" in page


def test_a_reset_link_uses_the_service_address_not_the_requests_host(client, world, settings):
    settings.SITE_URL = "https://cspr.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    user = world["business_manager"]
    user.email = "manager@example.org"
    user.save()
    client.post(
        reverse("password-reset"), {"email": "manager@example.org"}, HTTP_HOST="evil.example"
    )
    assert "evil.example" not in mail.outbox[0].body


def test_behind_the_proxy_a_made_up_forwarded_address_does_not_escape_the_lock(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")  # the proxy
    for guess in range(5):
        response = password_step(
            client,
            "manager",
            "wrong-guess",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{guess}, 203.0.113.9",  # made up, then real
        )
    assert response.status_code == 429
    elsewhere = password_step(client, "manager", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert elsewhere.status_code == 302


def test_a_wrong_password_in_the_identity_check_counts_towards_the_lock_and_spends_no_code(
    client, world
):
    from cspr.services.accounts import backup_codes_replace

    manager = world["business_manager"]
    codes = backup_codes_replace(user=manager)
    client.force_login(manager)
    _stale(client)
    for _ in range(4):
        response = client.post(
            reverse("account-confirm"), {"confirm-password": "guess", "confirm-code": codes[0]}
        )
        assert "The password or the code is not right" in response.content.decode()
    assert StaticToken.objects.filter(token=codes[0]).exists()
    response = client.post(
        reverse("account-confirm"), {"confirm-password": "guess", "confirm-code": codes[0]}
    )
    assert response.status_code == 429  # locked, as five wrong passwords at sign-in are


def test_each_browser_setting_up_gets_its_own_key_and_only_its_own_is_confirmed(world):
    from base64 import b32decode

    user = world["business_manager"]
    attacker, person = Client(), Client()
    password_step(attacker, "manager")
    seen = attacker.get(reverse("second-factor-set-up")).content.decode()
    attackers_key = re.search(r'class="govuk-body app-key"><code>([A-Z2-7 ]+)<', seen).group(1)
    password_step(person, "manager")
    page = person.get(reverse("second-factor-set-up")).content.decode()
    key = re.search(r'class="govuk-body app-key"><code>([A-Z2-7 ]+)<', page).group(1)
    assert key != attackers_key
    code = f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"
    assert person.post(reverse("second-factor-set-up"), {"code": code}).status_code == 302
    (device,) = TOTPDevice.objects.filter(user=user)
    assert device.confirmed and device.bin_key == b32decode(key.replace(" ", ""))
