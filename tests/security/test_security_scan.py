"""`make security` reads its tools' answers honestly: no vulnerability data is "not run",
never a pass, and a finding fails the run. The tools' answers are canned here."""

import importlib.util
import json
import subprocess  # noqa: S404 (only its CompletedProcess)

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location(
    "security_scan", settings.BASE_DIR / "scripts" / "security_scan.py"
)
scan = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scan)


@pytest.fixture
def answer(monkeypatch):
    def set_answer(stdout, returncode=0, stderr=""):
        def run(args, **kwargs):
            return subprocess.CompletedProcess(args, returncode, stdout=stdout, stderr=stderr)

        monkeypatch.setattr(scan, "run", run)

    return set_answer


def audit(*packages):
    return json.dumps({"dependencies": list(packages), "fixes": []})


def test_pip_audit_skipping_every_package_is_not_run_rather_than_a_pass(answer):
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI"}
    answer(audit(skipped))  # pip-audit itself says "No known vulnerabilities found", exit 0
    figure, passed = scan.pip_audit()
    assert figure.startswith("not run (no vulnerability data: all 1 packages skipped")
    assert passed  # does not fail the run


def test_pip_audit_that_cannot_connect_is_not_run_with_the_reason(answer):
    answer("", returncode=1, stderr="Traceback ...\nConnectionError: Failed to resolve")
    assert scan.pip_audit() == ("not run (ConnectionError: Failed to resolve)", True)


def test_a_known_vulnerability_fails_the_run(answer):
    vulnerable = {
        "name": "django",
        "version": "5.2.19",
        "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.20"]}],
    }
    answer(audit(vulnerable), returncode=1)
    assert scan.pip_audit() == ("1 known vulnerabilities in 1 packages checked", False)


def test_packages_left_unchecked_are_named(answer):
    checked = {"name": "celery", "version": "5.7.0", "vulns": []}
    answer(audit(checked, {"name": "x", "skip_reason": "?"}))
    figure, passed = scan.pip_audit()
    assert figure == "0 known vulnerabilities in 1 packages checked; 1 not checked: x"
    assert passed


def bandit_report(*severities):
    issue = {"filename": "cspr/x.py", "line_number": 1, "test_id": "B000", "issue_text": "?"}
    return json.dumps(
        {
            "results": [{**issue, "issue_severity": s} for s in severities],
            "errors": [],
            "metrics": {"_totals": {"loc": 10, "nosec": 0}},
        }
    )


def test_a_medium_bandit_finding_fails_the_run_and_a_low_one_does_not(answer):
    answer(bandit_report("LOW"), returncode=1)
    assert scan.bandit() == ("0 high, 0 medium, 1 low (10 lines, 0 marked # nosec)", True)
    answer(bandit_report("MEDIUM", "LOW"), returncode=1)
    assert scan.bandit()[1] is False


def test_a_deploy_warning_fails_the_run(answer):
    answer("", returncode=0, stderr="WARNINGS:\n?: (security.W004) You have not set HSTS.\n")
    assert scan.deploy_checks() == ("1 warnings, 0 errors", False)
