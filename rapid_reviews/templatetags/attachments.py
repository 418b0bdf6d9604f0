"""The supporting documents section of a request page:
{% return_attachments req may_attach %}."""

from django import template

from rapid_reviews import access as request_access
from rapid_reviews.forms import AttachmentForm

register = template.Library()


@register.inclusion_tag("rapid_reviews/partials/attachments.html", takes_context=True)
def return_attachments(context, found, may_attach):
    """The documents the person may see, and the upload form while they may add one.
    `found` comes from `access_request`, so the access check has been made; `may_attach`
    is whether the person may change the return (the page has worked it out already)."""
    user = context["request"].user
    return {
        "req": found,
        "attachments": request_access.attachments_visible(user, found),
        "may_attach": may_attach,
        "form": AttachmentForm(),
        "csrf_token": context.get("csrf_token"),
    }
