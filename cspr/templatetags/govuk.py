"""Render Django form fields with GOV.UK Design System classes and ARIA links."""

from django import forms, template

register = template.Library()

INPUT_WIDTHS = {"date": "govuk-input--width-10"}


@register.filter
def govuk_kind(field):
    widget = field.field.widget
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.filter
def govuk_anchor(field):
    """The id the error summary links to: the first option of a group, else the control."""
    if govuk_kind(field) in ("radios", "checkboxes"):
        return f"{field.auto_id}_0"
    return field.id_for_label


@register.filter
def govuk_describedby(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govuk_control(field):
    """The field's own control with GOV.UK classes, its bound value kept."""
    kind = govuk_kind(field)
    classes = {
        "input": "govuk-input",
        "select": "govuk-select",
        "textarea": "govuk-textarea",
        "checkbox": "govuk-checkboxes__input",
    }[kind]
    if field.errors and kind != "checkbox":
        classes += f" {classes}--error"
    width = INPUT_WIDTHS.get(getattr(field.field.widget, "input_type", ""))
    if width:
        classes += f" {width}"
    attrs = {"class": classes}
    describedby = govuk_describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.filter
def page_links(page):
    """The page numbers GOV.UK pagination shows for `page` (a Paginator page), in order,
    with None for an ellipsis: the first and last pages, two either side of the current
    one, and an ellipsis only for a gap of two or more (a gap of one shows its number).
    At most nine items, however many pages there are."""
    last, current = page.paginator.num_pages, page.number
    shown = sorted(n for n in {1, last, *range(current - 2, current + 3)} if 1 <= n <= last)
    links, previous = [], 0
    for number in shown:
        if number - previous == 2:
            links.append(previous + 1)
        elif number - previous > 2:
            links.append(None)
        links.append(number)
        previous = number
    return links
