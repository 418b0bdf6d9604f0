"""The demo data loads, gives every role a sign-in, and loads only once."""

from django.core.management import call_command

from cspr.models import Case, Role, User


def test_the_demo_has_a_sign_in_for_every_role_and_loads_once(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    roles = set().union(*(user.roles for user in User.objects.all()))
    assert roles == set(Role.values)
    assert Case.objects.filter(partnership__name__startswith="Northbridge").count() == 4
    assert "westmoor" in capsys.readouterr().out
