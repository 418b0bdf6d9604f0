"""`make security`: Django's deployment checks, bandit and pip-audit, with their figures.

Fails (exit 1) on a deployment check warning or error, a high or medium bandit finding
(fix it, or mark it `# nosec <id>` with the reason), or a known vulnerability in an
installed package. pip-audit needs PyPI's vulnerability data over the network: when it
cannot get it, it is reported as "not run" with the reason, and does not fail the run.
Never run by `make test`. See docs/security.md ("Scans").
"""

import json
import os
import re
import secrets
import subprocess  # noqa: S404 (runs the project's own tools with fixed argument lists)
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable  # the project's virtualenv, where `make security` runs this
CODE = ["cspr", "referrals", "rapid_reviews", "reviews", "actions"]

# The production settings as this repository writes them, in an environment like the
# server's. Placeholders, not the server's secrets: on the server itself run
# `manage.py check --deploy` in the web container to check its real environment.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cspr.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://cspr:placeholder@db:5432/cspr",
    "REDIS_URL": "redis://redis:6379/0",
    "ALLOWED_HOSTS": "cspr.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cspr.example.org",
    "SITE_URL": "https://cspr.example.org",
    "CLAMAV_URL": "tcp://clamav:3310",
}


def run(args, env=None, timeout=600):
    return subprocess.run(  # noqa: S603 (fixed argument lists, no shell)
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def deploy_checks():
    """(figure, passed) for `manage.py check --deploy` on the production settings."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    result = run([PYTHON, "manage.py", "check", "--deploy"], env={**keep, **PRODUCTION})
    output = result.stdout + result.stderr
    codes = re.findall(r"^\S+: \(([\w.]+\.([EWCI])\d+)\)", output, re.M)
    warnings = sum(kind == "W" for _, kind in codes)
    errors = sum(kind in "EC" for _, kind in codes)
    if result.returncode and not codes:  # the settings did not even load
        print(output.strip())
        return f"could not run (exit {result.returncode})", False
    if codes:
        print(result.stderr.strip())
    return f"{warnings} warnings, {errors} errors", warnings == errors == 0


def bandit():
    """(figure, passed): high and medium findings fail; lows are listed for review."""
    result = run([PYTHON, "-m", "bandit", "-r", *CODE, "-x", "*/migrations/*", "-f", "json", "-q"])
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr.strip())
        return f"could not run (exit {result.returncode})", False
    counts = {"HIGH": 0, "MEDIUM": 0, "LOW": 0}
    for issue in report["results"]:
        counts[issue["issue_severity"]] = counts.get(issue["issue_severity"], 0) + 1
        print(
            f"  {issue['issue_severity'].lower()}: {issue['test_id']} "
            f"{issue['filename']}:{issue['line_number']}: {issue['issue_text']}"
        )
    for error in report["errors"]:
        print(f"  not scanned: {error['filename']}: {error['reason']}")
    totals = report["metrics"]["_totals"]
    figure = (
        f"{counts['HIGH']} high, {counts['MEDIUM']} medium, {counts['LOW']} low "
        f"({totals['loc']} lines, {totals['nosec']} marked # nosec)"
    )
    return figure, counts["HIGH"] == counts["MEDIUM"] == 0 and not report["errors"]


def pip_audit():
    """(figure, passed): a known vulnerability fails; no vulnerability data is "not run"."""
    result = run([PYTHON, "-m", "pip_audit", "--progress-spinner", "off", "-f", "json"])
    try:
        packages = json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        lines = result.stderr.strip().splitlines() or [f"exit {result.returncode}"]
        return f"not run ({lines[-1][:300]})", True
    skipped = [p for p in packages if "skip_reason" in p]
    checked = [p for p in packages if "skip_reason" not in p]
    found = [(p["name"], p["version"], v) for p in checked for v in p.get("vulns", [])]
    for name, version, vuln in found:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
        print(f"  {name} {version}: {vuln['id']} (fixed in {fixed})")
    if not checked:
        # pip-audit itself then says "No known vulnerabilities found": nothing was checked.
        reason = skipped[0]["skip_reason"] if skipped else "no packages found"
        return (
            f"not run (no vulnerability data: all {len(skipped)} packages skipped; "
            f'first: "{reason}")',
            True,
        )
    figure = f"{len(found)} known vulnerabilities in {len(checked)} packages checked"
    if skipped:
        figure += f"; {len(skipped)} not checked: " + ", ".join(p["name"] for p in skipped)
    return figure, not found


SCANS = {"check --deploy": deploy_checks, "bandit": bandit, "pip-audit": pip_audit}


def main():
    failed, figures = False, []
    for name, scan in SCANS.items():
        print(f"== {name}")
        figure, passed = scan()
        figures.append(f"{name}: {figure}")
        failed |= not passed
    print("\n".join(["", *figures]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
