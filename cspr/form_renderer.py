"""The form renderer: Django's own widget templates, the common ones written out in Python.

Every form field's control (an input, a select and its options, a textarea) was rendered
through Django's widget templates: about 0.1 ms a template on the development machine,
and a select includes one template per option and one for each option's attributes. The
case list's three filters cost a sixth of its time, and a return's edit page has 32
fields. `GovukFormRenderer` writes the same HTML, character for character, for Django's
own `input.html` family, `select.html` and `textarea.html`; anything else (the field
groups in `templates/django/forms/`, a widget whose template the project overrides, a
value the templates would localise) goes through the templates as before.
`tests/cspr/test_form_renderer.py` compares the two for every form in the product.
"""

from pathlib import Path

import django
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
# Django's templates that are `{% include "django/forms/widgets/input.html" %}` only.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "url",
        "tel",
        "search",
        "color",
        "checkbox",
        "file",
    )
}
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"
TEXTAREA = f"{WIDGETS}textarea.html"
# What those templates include: an override of any of them must win too.
INCLUDED = (f"{WIDGETS}input.html", f"{WIDGETS}attrs.html", OPTION)
DJANGO_TEMPLATES = Path(django.__file__).parent / "forms" / "templates"


class NotPlain(Exception):
    """A value the templates would localise or format: let them render it."""


def _formatted(value):
    """`{{ value|stringformat:'s' }}`: any value as text, escaped unless marked safe."""
    return value if isinstance(value, SafeData) else escape(str(value))


def _shown(value):
    """`{{ value }}` for text; other values (numbers, dates) the templates localise."""
    if isinstance(value, (str, Promise)):
        return conditional_escape(value)
    raise NotPlain


def _attrs(attrs):
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_shown(name)}")
        if value is not True:
            out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(widget):
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _select(widget):
    out = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    # Each option's template ends with a line break, which the include keeps.
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                raise NotPlain
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_shown(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget):
    shown = _shown(widget["value"]) if widget["value"] else ""
    opening = f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>'
    return f"{opening}\n{shown}</textarea>"


WRITERS = {**dict.fromkeys(INPUTS, _input), SELECT: _select, TEXTAREA: _textarea}


class GovukFormRenderer(TemplatesSetting):
    """Templates from the project's template engine (as TemplatesSetting), with Django's
    own input, select and textarea templates written in Python when nothing overrides
    them."""

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is not None and self._is_djangos_own(template_name):
            try:
                return mark_safe(writer(context["widget"]).strip())  # noqa: S308
            except NotPlain:
                pass
        return super().render(template_name, context, request=request)

    def _is_djangos_own(self, template_name):
        """Whether the engine finds Django's own template, and Django's own of those it
        includes, not a project's override (looked up once each: the renderer lives as
        long as the process)."""
        known = self.__dict__.setdefault("_djangos_own", {})
        if template_name not in known:
            known[template_name] = all(
                Path(self.get_template(name).origin.name).is_relative_to(DJANGO_TEMPLATES)
                for name in (template_name, *INCLUDED)
            )
        return known[template_name]
