"""Django's deployment checks pass on the production settings, in a realistic environment.

Each test starts a fresh Python: the production settings read the environment when they
are imported, and the test process already runs on the test settings.
"""

import json
import os
import secrets
import subprocess  # noqa: S404 (runs this project's manage.py with a fixed argument list)
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cspr.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://cspr:not-a-real-password@db.internal:5432/cspr",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "cspr.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cspr.example.org",
    "SITE_URL": "https://cspr.example.org",
    "CLAMAV_URL": "tcp://clamav:3310",  # uploads are scanned (cspr.W101 otherwise)
    # Named on the accessibility statement and privacy notice (cspr.W102 otherwise).
    "SERVICE_OPERATOR": "Fictionshire Safeguarding Children Partnership",
    "SERVICE_CONTACT_EMAIL": "partnership@example.org",
}


def run(*args):
    # Only what a server would have: no DEBUG, CLAMAV_URL or other override from the
    # machine running the tests leaks in.
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    return subprocess.run(  # noqa: S603 (sys.executable and fixed arguments)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**keep, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_checks_find_nothing_on_the_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


def production_settings(*names):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run("-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_asks_for_https_only_for_a_year_on_every_subdomain():
    s = production_settings(
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "DEBUG"
    )
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and s["SECURE_SSL_REDIRECT"]
    assert s["DEBUG"] is False


def test_production_cookies_are_secure_and_bound_to_this_host():
    s = production_settings(
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME"
    )
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert s["CSRF_COOKIE_NAME"].startswith("__Host-")
