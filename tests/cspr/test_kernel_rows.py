"""The test harness puts back every row the data migrations wrote after a transactional
test's flush (`tests.conftest.restore_kernel_rows`). A new data migration whose rows it
does not put back would leave the tests after a transactional one without them, and
which tests those are depends on how pytest-xdist spreads the files."""

from django.apps import apps
from django.core.management import call_command

from tests.conftest import restore_kernel_rows


def _counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def test_every_row_the_migrations_wrote_is_put_back_after_a_flush(transactional_db):
    migrated = _counts()
    assert migrated["auth.Group"] and migrated["cspr.CalendarDay"]  # the rows exist to lose

    call_command("flush", interactive=False, verbosity=0)
    restore_kernel_rows()

    restored = _counts()
    missing = {label: (n, restored[label]) for label, n in migrated.items() if restored[label] < n}
    assert not missing, f"Rows the migrations wrote and the harness does not put back: {missing}"
