"""The default retention periods (docs/security.md, "Retention and subject access").
Administrators change them in the Django admin; this only fills in what is missing."""

from django.db import migrations

DEFAULTS = [
    (
        "case",
        15,
        "Default pending the partnership's records schedule: review records are commonly "
        "kept 15 years after the review's work ends.",
    ),
    (
        "referral",
        6,
        "Default: a referral that never became a case, 6 years after it was withdrawn or decided.",
    ),
    ("access_log", 6, "Default: 6 years, the limitation period for most claims."),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("cspr", "RetentionRule")
    for record_type, years, note in DEFAULTS:
        RetentionRule.objects.get_or_create(
            record_type=record_type, defaults={"years": years, "note": note}
        )


def unseed(apps, schema_editor):
    RetentionRule = apps.get_model("cspr", "RetentionRule")
    RetentionRule.objects.filter(record_type__in=[row[0] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cspr", "0013_access_log_retention_legal_hold")]

    operations = [migrations.RunPython(seed, unseed)]
