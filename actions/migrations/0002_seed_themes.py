"""The learning theme taxonomy every partnership starts with (administrators may add
to it, or make a theme inactive)."""

from django.db import migrations

THEMES = [
    ("Neglect", "Persistent failure to meet the child's basic needs."),
    ("Domestic abuse", "Abuse between adults in the household, and its effect on the child."),
    ("Parental mental health", ""),
    ("Parental substance misuse", "Drugs or alcohol."),
    ("Exploitation", "Criminal or sexual exploitation, county lines, trafficking."),
    ("Safe sleep", "Sudden unexpected death in infancy and unsafe sleeping arrangements."),
    ("Professional curiosity", "Looking beyond what is presented; respectful uncertainty."),
    ("Information sharing", "Between agencies, and within them."),
    ("Voice of the child", "The child's wishes, feelings and daily lived experience."),
    ("Race and culture", "How race, ethnicity and culture shaped the child's experience."),
    ("Disability", "The child's or a parent's disability, and its effect on practice."),
    ("Physical abuse", ""),
    ("Sexual abuse", "Including online sexual abuse."),
    ("Emotional abuse", ""),
    ("Non-accidental injury in infants", "Including bruising in non-mobile babies."),
    (
        "Adolescent risk outside the home",
        "Extra-familial harm, going missing, serious youth violence.",
    ),
    ("Multi-agency working", "Escalation, strategy discussions, thresholds."),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("actions", "Theme")
    for name, description in THEMES:
        Theme.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_action_plans_learning_themes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
