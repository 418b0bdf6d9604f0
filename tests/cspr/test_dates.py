"""The quicker `date` filter gives exactly what Django's gives."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from cspr.templatetags.dates import _compiled, date

LONDON = ZoneInfo("Europe/London")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Every format a template passes to `date`, and a few more.
FORMATS = sorted(
    {
        match
        for path in TEMPLATES.rglob("*.*")
        for match in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8"))
    }
    | {"d/m/Y", "Y-m-d", "j F Y, H:i:s"}
)
DAYS = [datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(0, 400, 7)] + [
    datetime.date(1999, 12, 31),
    datetime.date(2028, 2, 29),
    datetime.date(987, 3, 4),
]
MOMENTS = [
    datetime.datetime(2026, 3, 29, 0, 59, 5, tzinfo=datetime.UTC),  # before the clocks go forward
    datetime.datetime(2026, 3, 29, 1, 0, 0, tzinfo=datetime.UTC),  # after
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),  # BST
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),  # GMT again
    datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 7, 4, 9, 5, 7),  # naive
]


def test_the_templates_formats_are_all_filled_in_here_rather_than_by_django():
    assert len(FORMATS) >= 10
    assert all(_compiled(format_string) for format_string in FORMATS)


@pytest.mark.parametrize("format_string", FORMATS)
def test_every_format_gives_djangos_text(format_string):
    with timezone.override(LONDON):
        for value in DAYS + [timezone.localtime(m) if timezone.is_aware(m) else m for m in MOMENTS]:
            if isinstance(value, datetime.datetime) or not _compiled(format_string)[1]:
                assert date(value, format_string) == django_date(value, format_string), value


def test_in_a_template_a_moment_is_shown_in_london_time():
    node = Template('{{ at|date:"j F Y" }}').nodelist[0]
    assert node.filter_expression.filters[0][0] is date, "templates use this filter"
    moment = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)
    html = Template('{{ at|date:"j F Y, H:i" }}').render(Context({"at": moment}))
    assert html == "2 July 2026, 00:30"


@pytest.mark.parametrize(
    ("value", "format_string"),
    [
        (None, "j F Y"),
        ("", "j F Y"),
        ("not a date", "j F Y"),
        (datetime.date(2026, 5, 1), "H:i"),  # a time of a date: Django's answer
        (datetime.date(2026, 5, 1), None),  # DATE_FORMAT
        (datetime.date(2026, 5, 1), "jS F Y"),  # a character not filled in here
        (datetime.date(2026, 5, 1), r"j \o\f F"),  # escapes
    ],
)
def test_anything_else_is_left_to_django(value, format_string):
    try:
        expected = django_date(value, format_string)
    except TypeError as error:
        with pytest.raises(TypeError) as raised:
            date(value, format_string)
        assert str(raised.value) == str(error)
    else:
        assert date(value, format_string) == expected
