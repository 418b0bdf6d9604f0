"""The administrator's admin: agencies get their group, people get their roles."""

from django.contrib.auth.models import Group

from cspr.models import Agency, Role, User


def test_an_administrator_adds_an_agency_and_it_gets_its_own_group(client, world):
    client.force_login(world["administrator"])
    response = client.post(
        "/admin/cspr/agency/add/",
        {
            "partnership": world.partnership.pk,
            "name": "Northtown Academy",
            "type": "education",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northtown Academy")
    assert agency.group.name.startswith("agency:")
    assert agency.history.first().history_user == world["administrator"]


def test_an_administrator_gives_a_person_roles_and_their_agency_group(client, world):
    person = User.objects.create_user("newcomer", partnership=world.partnership)
    client.force_login(world["administrator"])
    response = client.post(
        f"/admin/cspr/user/{person.pk}/change/",
        {
            "username": "newcomer",
            "first_name": "Casey",
            "last_name": "Example",
            "email": "",
            "job_title": "",
            "partnership": world.partnership.pk,
            "agency": world.police.pk,
            "roles": [Role.AGENCY_CONTRIBUTOR],
            "is_active": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(pk=person.pk)
    assert person.roles == {Role.AGENCY_CONTRIBUTOR}
    assert person.groups.filter(pk=world.police.group.pk).exists()


def test_an_agency_contributor_without_an_agency_is_refused(client, world):
    person = User.objects.create_user("loner", partnership=world.partnership)
    client.force_login(world["administrator"])
    response = client.post(
        f"/admin/cspr/user/{person.pk}/change/",
        {
            "username": "loner",
            "partnership": world.partnership.pk,
            "roles": [Role.AGENCY_CONTRIBUTOR],
            "is_active": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert "An agency contributor needs an agency." in response.content.decode()
    assert (
        not User.objects.get(pk=person.pk)
        .groups.filter(pk__in=Group.objects.filter(name__startswith="role:"))
        .exists()
    )


def test_a_business_manager_cannot_use_the_admin(client, world):
    client.force_login(world["business_manager"])
    assert client.get("/admin/cspr/user/").status_code == 302


def change_roles(client, world, person, roles, partnership):
    return client.post(
        f"/admin/cspr/user/{person.pk}/change/",
        {
            "username": person.username,
            "partnership": partnership.pk if partnership else "",
            "roles": roles,
            "is_active": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "09:00:00",
        },
    )


def test_role_changes_are_in_the_history_with_who_made_them(client, world):
    person = User.objects.create_user("promoted", partnership=world.partnership)
    client.force_login(world["administrator"])
    change_roles(client, world, person, [Role.BUSINESS_UNIT], world.partnership)
    record = person.history.latest("history_date")
    assert record.history_user == world["administrator"]
    groups = [g.group.name for g in record.groups.all()]
    assert groups == [Role.group_name(Role.BUSINESS_UNIT)]


def test_an_administrator_cannot_give_themselves_case_access(client, world):
    admin = world["administrator"]
    client.force_login(admin)
    response = change_roles(
        client, world, admin, [Role.ADMINISTRATOR, Role.BUSINESS_UNIT], world.partnership
    )
    html = response.content.decode()
    assert "An administrator holds no other role" in html
    assert "You cannot change your own roles or partnership" in html
    assert User.objects.get(pk=admin.pk).roles == {Role.ADMINISTRATOR}


def test_changing_roles_asks_the_administrator_to_prove_who_they_are_again(client, world):
    from cspr.authentication import PROVED_AT
    from tests.conftest import verified_device
    from tests.cspr.test_accounts import PASSWORD, code_for

    person = User.objects.create_user("promoted", partnership=world.partnership)
    client.force_login(world["administrator"])
    session = client.session
    session[PROVED_AT] -= 60 * 60
    session.save()
    response = change_roles(client, world, person, [Role.BUSINESS_UNIT], world.partnership)
    page = response.content.decode()
    assert "Confirm it is you" in page
    assert f'name="roles" value="{Role.BUSINESS_UNIT}"' in page
    assert User.objects.get(pk=person.pk).roles == set()
    response = client.post(
        f"/admin/cspr/user/{person.pk}/change/",
        {
            "username": person.username,
            "partnership": world.partnership.pk,
            "roles": [Role.BUSINESS_UNIT],
            "is_active": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "09:00:00",
            "confirm-password": PASSWORD,
            "confirm-code": code_for(verified_device(world["administrator"])),
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).roles == {Role.BUSINESS_UNIT}


def test_an_administrator_resets_a_lost_second_factor_from_the_people_list(client, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import verified_device

    person = world["health_contributor"]
    verified_device(person)
    client.force_login(world["administrator"])
    response = client.post(
        "/admin/cspr/user/",
        {"action": "reset_second_factor", "_selected_action": [person.pk]},
        follow=True,
    )
    assert "Second factor reset for 1 person" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_an_administrator_sees_a_lockout_and_lifts_it(client, world):
    from axes.models import AccessAttempt
    from django.test import Client

    from tests.cspr.test_accounts import password_step

    locked = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        password_step(locked, "manager", "wrong-guess")
    assert password_step(locked, "manager").status_code == 429
    client.force_login(world["administrator"])
    assert "203.0.113.9" in client.get("/admin/axes/accessattempt/").content.decode()
    attempt = AccessAttempt.objects.get(username="manager")
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert password_step(locked, "manager").status_code == 302


def test_opening_a_person_in_the_admin_asks_for_the_identity_check_first(client, world):
    from cspr.authentication import PROVED_AT

    client.force_login(world["administrator"])
    session = client.session
    session[PROVED_AT] -= 60 * 60
    session.save()
    person = world["police_contributor"]
    response = client.get(f"/admin/cspr/user/{person.pk}/change/")
    assert "To add or change a person, enter your password" in response.content.decode()
    response = client.get(f"/admin/cspr/user/{person.pk}/password/")
    assert "To set a person&#x27;s password, enter your password" in response.content.decode()
