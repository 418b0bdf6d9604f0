"""`{{ status|status_tag_colour }}`: the GOV.UK tag colour of an action's status, the same on
every page that shows one (the plans, the list, the dashboards)."""

from django import template

from actions.views.plan_common import STATUS_TAGS

register = template.Library()


@register.filter
def status_tag_colour(status):
    return STATUS_TAGS.get(str(getattr(status, "value", status)), "grey")
