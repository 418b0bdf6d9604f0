"""The pages a public sector service publishes for anyone, signed in or not: the
accessibility statement and the privacy notice. They hold no case data."""

from django.conf import settings
from django.core import checks
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cspr.models import RetentionRule
from cspr.models.audit import COUNTED_FROM

# When this statement was written and its claims last checked against the service (the
# browser tests run axe-core on every page their journeys visit: tests/browser/).
STATEMENT_PREPARED_ON = "30 November 2026"


def _operator(request):
    """Who runs the service, as the page names them: the signed-in person's partnership,
    or the installation's operator from the settings, or a plain description."""
    user = request.user
    partnership = getattr(user, "partnership", None) if user.is_authenticated else None
    if partnership is not None:
        return partnership.name
    return settings.SERVICE_OPERATOR or "the safeguarding children partnership that uses it"


def _contact():
    return {
        "contact_email": settings.SERVICE_CONTACT_EMAIL,
        "privacy_email": settings.DATA_PROTECTION_EMAIL or settings.SERVICE_CONTACT_EMAIL,
    }


@require_GET
def accessibility_statement(request):
    """The accessibility statement, in the shape the Public Sector Bodies Accessibility
    Regulations 2018 ask for."""
    return render(
        request,
        "cspr/accessibility.html",
        {
            "operator": _operator(request),
            "prepared_on": STATEMENT_PREPARED_ON,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
            **_contact(),
        },
    )


@require_GET
def privacy_notice(request):
    """The privacy notice: what the service holds, why, who sees it, how long it is kept
    (this installation's retention rules, as `purge_expired` applies them) and people's
    rights under UK data protection law."""
    return render(
        request,
        "cspr/privacy.html",
        {
            "operator": _operator(request),
            "retention": [
                (rule.get_record_type_display(), rule.years, COUNTED_FROM[rule.record_type])
                for rule in RetentionRule.objects.order_by("record_type")
            ],
            **_contact(),
        },
    )


@checks.register(checks.Tags.security, deploy=True)
def check_contact_details(app_configs=None, **kwargs):
    """A deployment names who runs it and how to reach them: the accessibility regulations
    ask the statement for a contact, and the privacy notice needs the data protection
    officer's."""
    if settings.SERVICE_OPERATOR and settings.SERVICE_CONTACT_EMAIL:
        return []
    return [
        checks.Warning(
            "SERVICE_OPERATOR or SERVICE_CONTACT_EMAIL is not set: the accessibility "
            "statement and privacy notice tell people who are not signed in only to contact "
            "their partnership's business unit.",
            hint="Set both (and DATA_PROTECTION_EMAIL) in .env (see .env.example).",
            id="cspr.W102",
        )
    ]
