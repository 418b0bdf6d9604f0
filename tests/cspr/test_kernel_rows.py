"""The test harness puts back every row the data migrations write after a transactional
test's flush (`tests.conftest.restore_kernel_rows`). A new data migration whose rows it
does not put back would leave the tests after a transactional one without them, and
which tests those are depends on how pytest-xdist spreads the files."""

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import restore_kernel_rows


def _counts():
    """Rows in each table, less django-simple-history's: a migration runs on its own
    models, which keep no history, where this test runs the same code on today's."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model.__name__.startswith("Historical")
    }


def _flush():
    call_command("flush", interactive=False, verbosity=0)


def _run_data_migrations():
    """Every RunPython operation of the project's migrations, in the order `migrate` runs
    them, on the models as they are now."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    ours = {config.label for config in apps.get_app_configs() if "site-packages" not in config.path}
    for migration, _ in plan:
        if migration.app_label in ours:
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)


def test_every_row_the_data_migrations_write_is_put_back_after_a_flush(transactional_db):
    # What the migrations write, on an empty database, whatever ran before this test.
    _flush()
    _run_data_migrations()
    written = {label: n for label, n in _counts().items() if n}
    assert written["auth.Group"] and written["cspr.CalendarDay"]  # there are rows to lose

    _flush()
    restore_kernel_rows()

    restored = _counts()
    missing = {label: (n, restored[label]) for label, n in written.items() if restored[label] < n}
    assert not missing, f"Rows the migrations write and the harness does not put back: {missing}"
