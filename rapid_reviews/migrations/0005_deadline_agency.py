"""Each agency return's deadline names the agency that owes it, so reminders reach it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def name_the_agency(apps, schema_editor):
    Deadline = apps.get_model("cspr", "Deadline")
    InformationRequest = apps.get_model("rapid_reviews", "InformationRequest")
    owed_by = InformationRequest.objects.filter(deadline_id=OuterRef("pk")).values("agency_id")[:1]
    Deadline.objects.filter(rule="agency_return", agency__isnull=True).update(
        agency_id=Subquery(owed_by)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cspr", "0011_reminders"),
        ("rapid_reviews", "0004_return_addenda"),
    ]

    operations = [migrations.RunPython(name_the_agency, migrations.RunPython.noop)]
