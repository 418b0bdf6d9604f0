"""Production settings refuse to start without real secrets."""

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOOD_KEY = "k" * 20 + "Zq8#-" * 8


def check_production(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="cspr.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=clean, capture_output=True, text=True
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
