"""Create a group per role and load the shipped official bank holiday list."""

from django.db import migrations

from cspr.working_days import SHIPPED_LIST, official_adjustments, read_official_list

ROLES = [
    "business_unit",
    "subgroup_member",
    "subgroup_chair",
    "executive",
    "agency_contributor",
    "independent_reviewer",
    "administrator",
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    CalendarDay = apps.get_model("cspr", "CalendarDay")
    for role in ROLES:
        Group.objects.get_or_create(name=f"role:{role}")
    holidays = read_official_list(SHIPPED_LIST.read_text(encoding="utf-8"))
    for day, (is_working, title) in official_adjustments(holidays).items():
        CalendarDay.objects.update_or_create(
            day=day, defaults={"is_working": is_working, "title": title, "source": "official"}
        )


def backwards(apps, schema_editor):
    apps.get_model("cspr", "CalendarDay").objects.filter(source="official").delete()
    apps.get_model("auth", "Group").objects.filter(
        name__in=[f"role:{role}" for role in ROLES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cspr", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, backwards)]
