"""The form renderer writes Django's widget templates in Python: the HTML must be the
templates' own, character for character, for every field of every form in the product."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.urls import get_resolver
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from cspr.form_renderer import GovukFormRenderer
from cspr.models import Agency
from tests.factories import AgencyFactory

APPS = ("cspr", "referrals", "rapid_reviews", "reviews", "actions")
AWKWARD = 'Ann & "Bo" <b>O\'Neil</b>'
VALUES = [None, "", "plain", AWKWARD, 7, 0, True, False, datetime.date(2026, 3, 27), ["a", "b"]]
ATTRS = [
    {},
    {"class": "govuk-input", "aria-describedby": "id_x-hint id_x-error"},
    {"id": "id_x", "disabled": True, "readonly": False, "maxlength": 20, "data-x": AWKWARD},
]


def product_forms():
    """Every form class the product's pages use (the URL configuration imports them)."""
    get_resolver().url_patterns  # noqa: B018 - imports every view and its forms
    found, queue = {}, [forms.BaseForm]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS:
            found[f"{cls.__module__}.{cls.__name__}"] = cls
    return found


def render_both(widget, name, value, attrs):
    """The HTML of each renderer, or the error both raise for a value the widget refuses."""
    try:
        template = widget.render(name, value, attrs=dict(attrs), renderer=TemplatesSetting())
    except (AttributeError, TypeError, ValueError) as error:
        with pytest.raises(type(error)):
            widget.render(name, value, attrs=dict(attrs), renderer=GovukFormRenderer())
        return None, None
    written = widget.render(name, value, attrs=dict(attrs), renderer=GovukFormRenderer())
    return template, written


@pytest.mark.django_db
def test_every_field_of_every_form_renders_as_the_templates_do():
    forms_found = product_forms()
    assert {"cspr.forms.CaseFilterForm", "actions.forms.plans.ActionFilterForm"} <= set(forms_found)
    widgets = 0
    for form_name, form_class in forms_found.items():
        for field_name, field in form_class.base_fields.items():
            subjects = [field.widget]
            if isinstance(field.widget, forms.MultiWidget):
                subjects += field.widget.widgets
            for widget in subjects:
                widgets += 1
                choices = [value for value, _ in getattr(widget, "choices", [])][:3]
                for value in [*VALUES, *choices]:
                    for attrs in ATTRS:
                        template, written = render_both(widget, field_name, value, attrs)
                        assert written == template, (form_name, field_name, value, attrs)
    assert widgets > 100


@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(
            choices=[("", "Choose"), ("Group & co", [("1", AWKWARD), (2, "two")]), ("3", "x")]
        ),
        forms.Select(choices=[("a", mark_safe("<em>safe</em>")), ("b", lazy(str, str)("lazy"))]),
        forms.Select(choices=[(1, 1), (2, 2.5)]),
        forms.SelectMultiple(choices=[("a", "A"), ("b", "B")]),
        forms.Textarea(),
        forms.TextInput(),
        forms.NumberInput(),
        forms.HiddenInput(),
        forms.CheckboxInput(),
        forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        forms.DateTimeInput(),
        forms.PasswordInput(render_value=True),
        forms.EmailInput(),
        forms.FileInput(),
        forms.ClearableFileInput(),
        forms.RadioSelect(choices=[("a", "A")]),
    ],
    ids=lambda widget: type(widget).__name__,
)
def test_each_kind_of_widget_renders_as_the_templates_do(widget):
    for value in [*VALUES, mark_safe("<i>kept</i>"), 2.5, ["a", "1"]]:
        for attrs in [*ATTRS, {"step": 0.5, "min": datetime.date(2026, 1, 1)}]:
            template, written = render_both(widget, "field", value, attrs)
            assert written == template, (value, attrs)


@pytest.mark.django_db
def test_choices_of_records_render_as_the_templates_do():
    agency = AgencyFactory(name=AWKWARD)
    AgencyFactory(partnership=agency.partnership)
    for field in (
        forms.ModelChoiceField(queryset=Agency.objects.order_by("pk")),
        forms.ModelMultipleChoiceField(queryset=Agency.objects.order_by("pk")),
    ):
        for value in (None, agency.pk, [agency.pk], str(agency.pk)):
            template, written = render_both(field.widget, "agency", value, ATTRS[1])
            assert written == template, value
            assert "Ann &amp; &quot;Bo&quot;" in written


def test_the_common_controls_are_written_without_the_templates(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("rendered through a template")

    renderer = GovukFormRenderer()
    monkeypatch.setattr(TemplatesSetting, "render", refuse)
    select = forms.Select(choices=[("a", "A")]).render("s", "a", renderer=renderer)
    assert select == '<select name="s">\n  <option value="a" selected>A</option>\n\n</select>'
    assert forms.TextInput().render("q", "x", renderer=renderer) == (
        '<input type="text" name="q" value="x">'
    )
    assert forms.Textarea().render("t", "x", renderer=renderer).startswith("<textarea")


@pytest.mark.parametrize(
    "overridden, markup",
    [
        ("text.html", '<input class="overridden" name="{{ widget.name }}">'),
        ("attrs.html", ' class="overridden"'),
        ("input.html", '<input class="overridden" name="{{ widget.name }}">'),
    ],
)
def test_a_projects_own_widget_template_is_used_not_the_python(
    tmp_path, settings, overridden, markup
):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / overridden).write_text(markup)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    written = forms.TextInput().render("q", "x", renderer=GovukFormRenderer())
    assert 'class="overridden"' in written
