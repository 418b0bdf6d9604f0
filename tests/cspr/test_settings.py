"""Production settings refuse to start without real secrets."""

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOOD_KEY = "k" * 20 + "Zq8#-" * 8


def check_production(*command, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CONN_MAX_AGE"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="cspr.settings.production")
    return subprocess.run(  # noqa: S603 (the tests name the command)
        [sys.executable, "manage.py", *(command or ["check"])],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "env,complaint",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY}, "DATABASE_URL"),
        ({"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "sqlite:///x.db"}, "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_without_a_secret_database_and_broker(env, complaint):
    result = check_production(**env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_them():
    result = check_production(
        SECRET_KEY=GOOD_KEY, DATABASE_URL="sqlite:///x.db", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("env,kept", [({}, "60"), ({"CONN_MAX_AGE": "0"}, "0")])
def test_production_keeps_each_workers_database_connection_and_checks_it(env, kept):
    result = check_production(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        " print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="sqlite:///x.db",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **env,
    )
    assert result.stdout.split() == [kept, "True"], result.stderr
